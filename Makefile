# overparam: see README.md. `make` builds ./overparam, `make run` starts the
# live demo, `make test` runs every test, `make deps` installs what the build
# and the tests need on Debian (`make deps-run`: only what building and
# running need), `make install`/`make uninstall` (PREFIX, DESTDIR), `make deb`.

CC       ?= cc
BUILD    ?= build
SAN      ?=
PREFIX   ?= /usr/local
DESTDIR  ?=
VERSION  := 0.1.0
PKGS     := ncursesw openblas inih cairo sqlite3
# Two tiers: `make run` installs RUN_DEBS alone; `make test` and `make lint`
# add TEST_DEBS (`make deps-list` prints both). `make deb` adds DEB_DEBS.
RUN_DEBS  := build-essential pkg-config libncurses-dev libopenblas-dev libinih-dev libcairo2-dev libsqlite3-dev
TEST_DEBS := libcmocka-dev sqlite3 tmux file valgrind cppcheck clang clang-tidy libclang-rt-14-dev python3 mandoc
DEB_DEBS  := devscripts debhelper lintian
DEBS      := $(RUN_DEBS) $(TEST_DEBS)

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

.PHONY: all run test tests bench bench-torch deps deps-run deps-list have-deps have-run-deps install uninstall \
	deb clean lint fixtures valgrind fuzz claims FORCE
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

# --version names the commit built: git's when this is a git checkout (and
# not a tarball unpacked inside another one), else the one `git archive`
# wrote into .commit (export-subst, .gitattributes), else "unknown". main.o
# alone sees it, and is rebuilt when it (or PREFIX, where the scenarios are
# installed) changes.
GIT_DESC := $(shell [ "$$(git rev-parse --show-toplevel 2>/dev/null)" = "$(CURDIR)" ] && \
	git describe --always --dirty --abbrev=12 2>/dev/null)
ifeq ($(GIT_DESC),)
GIT_DESC := $(shell sed -n 's/^commit \([0-9a-f]\{7,40\}\)$$/\1/p' .commit 2>/dev/null)
endif
GIT_DESC := $(if $(GIT_DESC),$(GIT_DESC),unknown)
DATADIR  := $(PREFIX)/share/overparam
$(MAIN_OBJ): CPPFLAGS += -DOVERPARAM_VERSION='"$(VERSION)"' -DOVERPARAM_COMMIT='"$(GIT_DESC)"' \
	-DOVERPARAM_DATADIR='"$(DATADIR)"'
$(MAIN_OBJ): $(BUILD)/version.stamp
$(BUILD)/version.stamp: FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION) $(GIT_DESC) $(DATADIR)' | cmp -s - $@ || echo '$(VERSION) $(GIT_DESC) $(DATADIR)' >$@

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
# when a dependency of their tier is missing they install it first (make
# deps-run, make deps), then build in a fresh make so pkg-config's flags are
# read again. `make run` never pulls a test tool.
have-run-deps:
	@if ! command -v pkg-config >/dev/null || ! command -v cc >/dev/null || ! pkg-config --exists $(PKGS); then \
		echo "overparam: installing what building and running need (make deps-run)"; \
		$(MAKE) --no-print-directory deps-run; \
	fi

have-deps:
	@if ! command -v pkg-config >/dev/null || ! pkg-config --exists $(PKGS) cmocka || \
	    ! command -v tmux >/dev/null || ! command -v valgrind >/dev/null || \
	    ! command -v python3 >/dev/null || ! command -v clang-tidy >/dev/null || \
	    ! command -v cppcheck >/dev/null || ! command -v mandoc >/dev/null || \
	    ! command -v sqlite3 >/dev/null || ! command -v file >/dev/null; then \
		echo "overparam: installing build and test dependencies (make deps)"; \
		$(MAKE) --no-print-directory deps; \
	fi

# The live demo on the shipped scenarios.
run: have-run-deps
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
	/usr/bin/python3 tests/reference/minnorm_split.py tests/fixtures
	/usr/bin/python3 tests/reference/hvp_fixtures.py tests/fixtures

# Static analysis: cppcheck and clang-tidy (.clang-tidy) over src/ and
# include/; any finding fails. See tests/lint.sh.
lint: have-deps
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

# apt-get as root (or through passwordless sudo); else the command to run.
deps: DEPS_WANT = $(DEBS)
deps-run: DEPS_WANT = $(RUN_DEBS)
deps deps-run:
	@if [ "$$(id -u)" = 0 ]; then \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEPS_WANT); \
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEPS_WANT); \
	else \
		echo "make $@: not root; run:"; \
		echo "  sudo apt-get install $(DEPS_WANT)"; \
		exit 1; \
	fi

deps-list:
	@echo "make run:  $(RUN_DEBS)"
	@echo "make test: the above and $(TEST_DEBS)"
	@echo "make deb:  make run's and $(DEB_DEBS)"

# What `make install` puts in place, and `make uninstall` removes (with the
# folders it made, when they are left empty). BASHCOMPDIR: bash-completion's
# folder for commands' completions.
BINDIR      := $(PREFIX)/bin
SCENDIR     := $(DATADIR)/scenarios
MANDIR      := $(PREFIX)/share/man/man1
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SCENARIOS   := $(notdir $(wildcard scenarios/*.ini))

# ($(BIN), not ./overparam: an install for another PREFIX leaves ./overparam as it is.)
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SCENDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/overparam
	install -m 644 $(addprefix scenarios/,$(SCENARIOS)) $(DESTDIR)$(SCENDIR)/
	install -m 644 docs/overparam.1 $(DESTDIR)$(MANDIR)/overparam.1
	install -m 644 completions/overparam $(DESTDIR)$(BASHCOMPDIR)/overparam

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/overparam $(DESTDIR)$(MANDIR)/overparam.1 \
		$(DESTDIR)$(BASHCOMPDIR)/overparam $(addprefix $(DESTDIR)$(SCENDIR)/,$(SCENARIOS))
	@rmdir $(DESTDIR)$(SCENDIR) $(DESTDIR)$(DATADIR) 2>/dev/null || true
	@# Under a DESTDIR (a staging tree), the shared folders install made too,
	@# when empty (DESTDIR itself stays); a live system's bin/ and man/ stay.
	@if [ -n "$(DESTDIR)" ]; then for d in $(BINDIR) $(MANDIR) $(BASHCOMPDIR); do \
		while [ -n "$$d" ] && [ "$$d" != / ] && rmdir "$(DESTDIR)$$d" 2>/dev/null; do d=$${d%/*}; done; \
	done; fi

# The Debian package (debian/), built unsigned; dpkg-buildpackage writes
# next to this folder, and the files move to build/deb/ (make clean is part
# of the build, so build/ is made afresh). lintian: any error fails.
DEB_OUT := overparam_$(VERSION)_$(shell dpkg --print-architecture 2>/dev/null)
deb:
	@command -v dpkg-buildpackage >/dev/null && command -v dh >/dev/null && command -v lintian >/dev/null || \
		$(MAKE) --no-print-directory deps DEBS='$(RUN_DEBS) $(DEB_DEBS)'
	dpkg-buildpackage -us -uc -b
	@mkdir -p build/deb
	mv ../$(DEB_OUT).deb ../$(DEB_OUT).changes ../$(DEB_OUT).buildinfo \
		../overparam-dbgsym_$(VERSION)_*.deb build/deb/
	lintian --fail-on error build/deb/$(DEB_OUT).changes

clean:
	rm -rf build overparam

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
