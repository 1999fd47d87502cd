# overparam: see README.md. `make` builds ./overparam, `make run` starts the
# live demo, `make test` runs every test, `make deps` installs what the build
# needs on Debian.

CC       ?= cc
BUILD    ?= build
SAN      ?=
PREFIX   ?= /usr/local
DESTDIR  ?=
PKGS     := ncursesw openblas inih
DEBS     := build-essential pkg-config libncurses-dev libopenblas-dev libinih-dev libcmocka-dev tmux \
            valgrind cppcheck clang clang-tidy libclang-rt-14-dev python3

# ncursesw's pkg-config asks for _XOPEN_SOURCE=600; we set the feature macros
# ourselves (POSIX 2008 + X/Open 7), so drop its -D flags to avoid redefinition.
PKG_CFLAGS := $(filter-out -D%,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null)

OPT      ?= -O2 -g -fno-math-errno
WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2
ifneq ($(CI),)
WARN     += -Werror
endif
ifneq ($(WERROR),)
WARN     += -Werror
endif
SANFLAGS := $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all,)
CPPFLAGS += -Iinclude -Isrc -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 $(PKG_CFLAGS)
CFLAGS   += -std=c11 $(OPT) $(WARN) $(SANFLAGS) -pthread -MMD -MP
LDFLAGS  += $(SANFLAGS) -pthread
LDLIBS   += $(PKG_LIBS) -lm

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/src/cli/main.o
TEST_SRC := $(wildcard tests/test_*.c)
TESTS    := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
BENCH_SRC := $(wildcard bench/bench_*.c)
BENCHES  := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
LIB      := $(BUILD)/liboverparam.a
BIN      := $(BUILD)/overparam

.PHONY: all run test tests bench bench-torch deps have-deps install clean lint fixtures valgrind fuzz claims
.DEFAULT_GOAL := all

all: overparam

overparam: $(BIN)
	@cp $(BIN) $@.tmp && mv -f $@.tmp $@   # a running ./overparam keeps its old inode

# docs/claims.md and docs/claims.csv: every shipped scenario's claims at
# seeds 1..32 (overparam --study). The README quotes its numbers from it.
claims: $(BIN)
	$(BIN) --study 32 --study-csv docs/claims.csv >docs/claims.md.tmp && mv -f docs/claims.md.tmp docs/claims.md

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# ar names members by file name alone: two sources of one name in different
# folders would shadow each other, so refuse them.
$(LIB): $(LIB_OBJ)
	@dups=$$(printf '%s\n' $(notdir $^) | sort | uniq -d); \
	if [ -n "$$dups" ]; then echo "src: two sources named $$dups (ar keeps members by name)" >&2; exit 1; fi
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS) $(CMOCKA_LIBS)

$(BUILD)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS) $(LDLIBS)

tests: $(TESTS) $(BIN)

# `make run` and `make test` are all the set-up a fresh Debian machine needs:
# when a dependency is missing they install it first (make deps), then build
# in a fresh make so pkg-config's flags are read again.
have-deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists $(PKGS) cmocka || \
	    ! command -v tmux >/dev/null || ! command -v valgrind >/dev/null || \
	    ! command -v python3 >/dev/null; then \
		echo "overparam: installing build dependencies (make deps)"; \
		$(MAKE) --no-print-directory deps; \
	fi

# The live demo on the shipped scenarios.
run: have-deps
	@$(MAKE) --no-print-directory overparam
	./overparam scenarios/*.ini

# Every test: unit tests, the same under ASan+UBSan and TSan, headless runs
# of every scenario, and the real binary driven in tmux. See tests/run.
test: have-deps
	@bash tests/run

bench: overparam $(BENCHES)
	@bash bench/run

# Regenerate the PyTorch/numpy fixtures (needs Debian's python3-torch;
# CI does not: the fixtures are committed).
fixtures:
	/usr/bin/python3 tests/reference/torch_fixtures.py tests/fixtures

# Static analysis: cppcheck and clang-tidy (.clang-tidy) over src/ and
# include/; any finding fails. See tests/lint.sh.
lint:
	@bash tests/lint.sh

# Memcheck on a headless run of every scenario (epochs capped at
# VALGRIND_EPOCHS, default 200) and a scripted TUI session (tests/valgrind.sh;
# tests/valgrind.supp: what ncurses keeps by design). make test runs the same
# with VALGRIND_EPOCHS=20.
valgrind: overparam
	@bash tests/valgrind.sh

# libFuzzer over the scenario parser and validator (tests/fuzz_scenario.c):
# the library again, built by clang with coverage and ASan+UBSan under
# build/fuzz. New inputs go to build/fuzz/corpus, crashes to build/fuzz/;
# copy a crash into tests/fuzz-regress/ and make test replays it.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
fuzz:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang SAN=fuzzer-no-link,address,undefined \
		$(FUZZ_BUILD)/liboverparam.a
	clang $(CPPFLAGS) -std=c11 -O1 -g -DFUZZ_LIBFUZZER -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -o $(FUZZ_BUILD)/fuzz_scenario tests/fuzz_scenario.c \
		$(FUZZ_BUILD)/liboverparam.a $(LDLIBS) -pthread
	@mkdir -p $(FUZZ_BUILD)/corpus
	$(FUZZ_BUILD)/fuzz_scenario -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=10 \
		-artifact_prefix=$(FUZZ_BUILD)/ -print_final_stats=1 \
		$(FUZZ_BUILD)/corpus tests/fuzz-corpus tests/fuzz-regress scenarios tests/scenarios

# Our epochs/s against PyTorch's on the same configurations, in one run.
bench-torch: overparam $(BENCHES)
	@bash bench/torch

deps:
	@if [ "$$(id -u)" = 0 ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS); \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBS); \
	else \
		echo "make deps: not root; run:"; \
		echo "  sudo apt-get install $(DEBS)"; \
		exit 1; \
	fi

install: overparam
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/overparam/scenarios
	install -m 755 overparam $(DESTDIR)$(PREFIX)/bin/overparam
	install -m 644 scenarios/*.ini $(DESTDIR)$(PREFIX)/share/overparam/scenarios/

clean:
	rm -rf build overparam

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
