/* test_trainer.c: the trainer thread's behaviour as the UI relies on it,
 * driven through a fake experiment injected with cfg->ops. The fake takes its
 * shape from the scenario: model.n_widths series, train.epochs epochs, and
 * series i reports MET_DIVERGED at epoch model.widths[i] (0: never). Each
 * step emits one MET_TRAIN_LOSS per live series with value = epoch. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "overparam/run_loop.h"
#include "overparam/trainer.h"

#define REFUSED_SEED 13 /* the fake's create() fails for this seed */

struct experiment {
	int spin; /* enum spin: what of it runs until cancelled */
	int n_series;
	uint32_t epochs;
	uint32_t epoch;
	int diverge_at[RUN_MAX_SERIES];
};

static atomic_int fake_live;    /* experiments alive now */
static atomic_int fake_overlap; /* creates while another was alive */
static atomic_int fake_creates;
static _Atomic uint64_t fake_last_seed;

static int fake_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	if (seed == REFUSED_SEED) {
		snprintf(err, errlen, "fake: seed %d refused", REFUSED_SEED);
		return -1;
	}
	struct experiment *x = calloc(1, sizeof(*x));
	if (!x) {
		snprintf(err, errlen, "fake: out of memory");
		return -1;
	}
	if (atomic_fetch_add(&fake_live, 1) != 0)
		atomic_fetch_add(&fake_overlap, 1);
	atomic_fetch_add(&fake_creates, 1);
	atomic_store(&fake_last_seed, seed);
	x->n_series = sc->model.n_widths;
	x->epochs = (uint32_t)sc->train.epochs;
	for (int i = 0; i < x->n_series; i++)
		x->diverge_at[i] = sc->model.widths[i];
	*out = x;
	return 0;
}

static bool fake_step(struct experiment *x, struct emitter *em)
{
	x->epoch++;
	for (int s = 0; s < x->n_series; s++) {
		int d = x->diverge_at[s];
		if (d > 0 && x->epoch > (uint32_t)d)
			continue; /* a diverged series is silent */
		if (d > 0 && x->epoch == (uint32_t)d) {
			emitter_put(em, x->epoch, s, MET_DIVERGED, 0, NAN);
			continue;
		}
		emitter_put(em, x->epoch, s, MET_TRAIN_LOSS, 0, (double)x->epoch);
	}
	return x->epoch < x->epochs;
}

static void fake_destroy(struct experiment *x)
{
	atomic_fetch_sub(&fake_live, 1);
	free(x);
}

static void fake_describe(const struct scenario *sc, struct run_desc *d)
{
	memset(d, 0, sizeof(*d));
	d->planned_epochs = sc->train.epochs;
	d->n_series = sc->model.n_widths;
}

static const struct experiment_ops fake_ops = {
	.kind = "fake",
	.create = fake_create,
	.step = fake_step,
	.destroy = fake_destroy,
	.describe = fake_describe,
};

/* ---- helpers ---- */

static struct scenario fake_scenario(uint64_t seed, int epochs, int n_series, double pace)
{
	struct scenario sc;
	memset(&sc, 0, sizeof(sc));
	snprintf(sc.path, sizeof(sc.path), "fake.ini");
	sc.kind = KIND_WIDTH_SWEEP;
	sc.seed = seed;
	sc.pace = pace;
	sc.model.n_widths = n_series;
	sc.train.epochs = epochs;
	return sc;
}

static struct trainer_config fake_config(const struct scenario *scs, int n, uint32_t cap, bool paused)
{
	struct trainer_config cfg = {
		.scenarios = scs,
		.n_scenarios = n,
		.initial = 0,
		.ring_capacity = cap,
		.start_paused = paused,
		.pace_override = -1,
		.ops = &fake_ops,
	};
	return cfg;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void sleep_ms(double ms)
{
	struct timespec ts = {(time_t)(ms / 1000), (long)(fmod(ms, 1000) * 1e6)};
	nanosleep(&ts, NULL);
}

/* Everything drained so far, in arrival order. */
struct log {
	struct op_record *r;
	size_t n, cap;
};

static void log_drain(struct trainer *t, struct log *lg)
{
	struct op_record buf[256];
	uint32_t got;
	while ((got = trainer_drain(t, buf, 256)) > 0) {
		if (lg->n + got > lg->cap) {
			lg->cap = (lg->n + got) * 2;
			lg->r = realloc(lg->r, lg->cap * sizeof(*lg->r));
			assert_non_null(lg->r);
		}
		memcpy(lg->r + lg->n, buf, got * sizeof(*buf));
		lg->n += got;
	}
}

static size_t log_count(const struct log *lg, enum metric m, uint32_t gen /* 0: any */)
{
	size_t c = 0;
	for (size_t i = 0; i < lg->n; i++)
		if (lg->r[i].metric == m && (gen == 0 || lg->r[i].generation == gen))
			c++;
	return c;
}

static const struct op_record *log_last(const struct log *lg, enum metric m)
{
	for (size_t i = lg->n; i-- > 0;)
		if (lg->r[i].metric == m)
			return &lg->r[i];
	return NULL;
}

/* Drains while waiting, so a full ring never holds the trainer back. */
static bool wait_state(struct trainer *t, struct log *lg, enum trainer_state st, double timeout_ms)
{
	double end = now_s() + timeout_ms / 1000;
	do {
		log_drain(t, lg);
		if (trainer_state(t) == st) {
			log_drain(t, lg);
			return true;
		}
		sleep_ms(1);
	} while (now_s() < end);
	return false;
}

static bool wait_count(struct trainer *t, struct log *lg, enum metric m, uint32_t gen, size_t n, double timeout_ms)
{
	double end = now_s() + timeout_ms / 1000;
	do {
		log_drain(t, lg);
		if (log_count(lg, m, gen) >= n)
			return true;
		sleep_ms(1);
	} while (now_s() < end);
	return false;
}

static void send(struct trainer *t, enum command_kind k, int32_t arg, double value)
{
	struct op_command c = {.kind = (uint32_t)k, .arg = arg, .value = value};
	assert_true(trainer_command(t, c));
}

static int reset_fake(void **state)
{
	(void)state;
	atomic_store(&fake_live, 0);
	atomic_store(&fake_overlap, 0);
	atomic_store(&fake_creates, 0);
	atomic_store(&fake_last_seed, 0);
	return 0;
}

/* Every experiment created was destroyed, never two alive at once. */
static void check_fake_clean(void)
{
	assert_int_equal(atomic_load(&fake_live), 0);
	assert_int_equal(atomic_load(&fake_overlap), 0);
}

/* ---- tests ---- */

static void test_bad_config_rejected(void **state)
{
	(void)state;
	struct scenario sc = fake_scenario(1, 10, 1, 0);
	struct trainer *t = (struct trainer *)&sc; /* must be reset to NULL */
	struct trainer_config cfg = fake_config(&sc, 1, 100, true);
	assert_int_equal(trainer_start(&t, &cfg), -1);
	assert_null(t);
	cfg = fake_config(&sc, 0, 256, true);
	assert_int_equal(trainer_start(&t, &cfg), -1);
	cfg = fake_config(&sc, 1, 256, true);
	cfg.initial = 1;
	assert_int_equal(trainer_start(&t, &cfg), -1);
	cfg.initial = -1;
	assert_int_equal(trainer_start(&t, &cfg), -1);
	assert_int_equal(atomic_load(&fake_creates), 0);

	/* 0 means the default capacity; stopping at once is clean. */
	cfg = fake_config(&sc, 1, 0, true);
	assert_int_equal(trainer_start(&t, &cfg), 0);
	trainer_stop(t);
	trainer_stop(NULL);
	check_fake_clean();
}

static void test_start_emits_start_first(void **state)
{
	(void)state;
	struct scenario scs[2] = {fake_scenario(42, 10, 2, 0), fake_scenario(7, 10, 2, 0)};
	struct trainer_config cfg = fake_config(scs, 2, 256, true);
	cfg.initial = 1;
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_count(t, &lg, MET_START, 0, 1, 2000));
	sleep_ms(100);
	log_drain(t, &lg);
	/* Paused from the start: the run's opening record and nothing else. */
	assert_int_equal(lg.n, 1);
	assert_int_equal(lg.r[0].metric, MET_START);
	assert_int_equal(lg.r[0].generation, 1);
	assert_int_equal(lg.r[0].series, 1);
	assert_int_equal(lg.r[0].epoch, 0);
	assert_true(lg.r[0].value == 7.0);
	assert_int_equal(trainer_generation(t), 1);
	assert_int_equal(trainer_state(t), TRAINER_PAUSED);
	assert_int_equal(trainer_records_sent(t), 1);
	assert_string_equal(trainer_error(t), "");
	assert_true(atomic_load(&fake_last_seed) == 7);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

/* A run that ended with records still in the ring: the UI must not take
 * it for whole (its header's "done", an export) until it drained them. */
static void test_ended_with_records_pending(void **state)
{
	(void)state;
	struct scenario sc = fake_scenario(3, 20, 2, 0);
	struct trainer_config cfg = fake_config(&sc, 1, 1024, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	double end = now_s() + 5;
	while (trainer_state(t) != TRAINER_DONE && now_s() < end) /* nothing drained meanwhile */
		sleep_ms(1);
	assert_int_equal(trainer_state(t), TRAINER_DONE);
	assert_true(trainer_records_pending(t));
	struct log lg = {0};
	log_drain(t, &lg);
	assert_false(trainer_records_pending(t));
	assert_int_equal(trainer_records_sent(t), lg.n);
	assert_non_null(log_last(&lg, MET_DONE)); /* the last record is in hand */
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

static void test_pause_stops_records(void **state)
{
	(void)state;
	struct scenario sc = fake_scenario(5, 1000000, 2, 0);
	struct trainer_config cfg = fake_config(&sc, 1, 1024, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_count(t, &lg, MET_EPOCH, 0, 500, 5000));

	send(t, CMD_SET_PAUSED, 1, 0);
	assert_true(wait_state(t, &lg, TRAINER_PAUSED, 2000));
	size_t at_pause = lg.n;
	/* The last epoch finished whole before the pause took effect. */
	const struct op_record *last = log_last(&lg, MET_EPOCH);
	assert_non_null(last);
	uint32_t paused_at = last->epoch;
	assert_int_equal(log_count(&lg, MET_TRAIN_LOSS, 0), 2 * (size_t)paused_at);
	sleep_ms(200);
	log_drain(t, &lg);
	assert_int_equal(lg.n, at_pause);
	assert_int_equal(trainer_records_sent(t), lg.n);

	/* Resuming continues the same run, with no gap and no repeat. */
	send(t, CMD_SET_PAUSED, 0, 0);
	assert_true(wait_count(t, &lg, MET_EPOCH, 0, paused_at + 10, 2000));
	for (size_t i = at_pause; i < lg.n; i++)
		if (lg.r[i].metric == MET_EPOCH) {
			assert_int_equal(lg.r[i].epoch, paused_at + 1);
			break;
		}

	/* CMD_PAUSE toggles. */
	send(t, CMD_PAUSE, 0, 0);
	assert_true(wait_state(t, &lg, TRAINER_PAUSED, 2000));
	size_t n = lg.n;
	sleep_ms(50);
	log_drain(t, &lg);
	assert_int_equal(lg.n, n);
	send(t, CMD_PAUSE, 0, 0);
	assert_true(wait_state(t, &lg, TRAINER_RUNNING, 2000));
	assert_true(wait_count(t, &lg, MET_EPOCH, 0, log_count(&lg, MET_EPOCH, 0) + 5, 2000));
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

static void test_step_while_paused(void **state)
{
	(void)state;
	struct scenario sc = fake_scenario(5, 5, 3, 0);
	struct trainer_config cfg = fake_config(&sc, 1, 256, true);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_count(t, &lg, MET_START, 0, 1, 2000));

	send(t, CMD_STEP, 0, 0);
	assert_true(wait_count(t, &lg, MET_EPOCH, 0, 1, 2000));
	sleep_ms(100);
	log_drain(t, &lg);
	/* Exactly one epoch: START, three losses of epoch 1, one EPOCH. */
	assert_int_equal(lg.n, 5);
	assert_int_equal(log_count(&lg, MET_EPOCH, 0), 1);
	assert_int_equal(log_count(&lg, MET_TRAIN_LOSS, 0), 3);
	for (int s = 0; s < 3; s++) {
		assert_int_equal(lg.r[1 + s].metric, MET_TRAIN_LOSS);
		assert_int_equal(lg.r[1 + s].series, s);
		assert_int_equal(lg.r[1 + s].epoch, 1);
		assert_true(lg.r[1 + s].value == 1.0);
	}
	assert_int_equal(lg.r[4].epoch, 1);
	assert_true(lg.r[4].value == 1.0);
	assert_int_equal(trainer_state(t), TRAINER_PAUSED);

	/* Three steps queued at once: three epochs, in order. */
	for (int i = 0; i < 3; i++)
		send(t, CMD_STEP, 0, 0);
	assert_true(wait_count(t, &lg, MET_EPOCH, 0, 4, 2000));
	sleep_ms(50);
	log_drain(t, &lg);
	assert_int_equal(log_count(&lg, MET_EPOCH, 0), 4);
	assert_int_equal(log_last(&lg, MET_EPOCH)->epoch, 4);
	assert_int_equal(log_count(&lg, MET_TRAIN_LOSS, 0), 12);

	/* The last epoch ends the run; a step after that is ignored. */
	send(t, CMD_STEP, 0, 0);
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	assert_int_equal(log_count(&lg, MET_DONE, 0), 1);
	assert_true(log_last(&lg, MET_DONE)->value == 5.0);
	size_t n = lg.n;
	send(t, CMD_STEP, 0, 0);
	sleep_ms(100);
	log_drain(t, &lg);
	assert_int_equal(lg.n, n);
	assert_int_equal(trainer_records_sent(t), lg.n);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

static void test_step_ignored_while_running(void **state)
{
	(void)state;
	/* At 1 epoch/s the first epoch runs at once and the next 1 s later. */
	struct scenario sc = fake_scenario(5, 100, 1, 1);
	struct trainer_config cfg = fake_config(&sc, 1, 256, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_count(t, &lg, MET_EPOCH, 0, 1, 2000));
	send(t, CMD_STEP, 0, 0);
	send(t, CMD_STEP, 0, 0);
	sleep_ms(150);
	log_drain(t, &lg);
	assert_int_equal(log_count(&lg, MET_EPOCH, 0), 1);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

static void test_restart_bumps_generation(void **state)
{
	(void)state;
	struct scenario sc = fake_scenario(42, 100, 2, 0);
	struct trainer_config cfg = fake_config(&sc, 1, 256, true);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	send(t, CMD_STEP, 0, 0);
	send(t, CMD_STEP, 0, 0);
	assert_true(wait_count(t, &lg, MET_EPOCH, 1, 2, 2000));

	send(t, CMD_RESTART, 0, 0);
	assert_true(wait_count(t, &lg, MET_START, 2, 1, 2000));
	const struct op_record *st = log_last(&lg, MET_START);
	assert_int_equal(st->generation, 2);
	assert_true(st->value == 42.0);
	assert_int_equal(trainer_generation(t), 2);
	/* A restart while paused shows the new start and waits. */
	sleep_ms(80);
	log_drain(t, &lg);
	assert_int_equal(trainer_state(t), TRAINER_PAUSED);
	assert_int_equal(log_count(&lg, MET_EPOCH, 2), 0);
	send(t, CMD_STEP, 0, 0);
	assert_true(wait_count(t, &lg, MET_EPOCH, 2, 1, 2000));
	assert_int_equal(log_last(&lg, MET_EPOCH)->epoch, 1); /* a fresh run */
	assert_true(atomic_load(&fake_last_seed) == 42);

	/* A new seed: different, exact as a double, and what create() got. */
	send(t, CMD_RESTART, 1, 0);
	send(t, CMD_STEP, 0, 0);
	assert_true(wait_count(t, &lg, MET_EPOCH, 3, 1, 2000));
	st = log_last(&lg, MET_START);
	assert_int_equal(st->generation, 3);
	double seed3 = st->value;
	assert_true(seed3 != 42.0);
	assert_true(seed3 >= 0 && seed3 < 9007199254740992.0 && seed3 == floor(seed3));
	assert_true((double)atomic_load(&fake_last_seed) == seed3);

	/* "Same seed" now means the new run's seed; another new seed differs. */
	send(t, CMD_RESTART, 0, 0);
	assert_true(wait_count(t, &lg, MET_START, 4, 1, 2000));
	assert_true(log_last(&lg, MET_START)->value == seed3);
	send(t, CMD_RESTART, 1, 0);
	assert_true(wait_count(t, &lg, MET_START, 5, 1, 2000));
	assert_true(log_last(&lg, MET_START)->value != seed3);

	assert_int_equal(atomic_load(&fake_creates), 5);
	assert_int_equal(atomic_load(&fake_live), 1);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

static void test_restart_after_done_runs_again(void **state)
{
	(void)state;
	struct scenario sc = fake_scenario(9, 3, 1, 0);
	struct trainer_config cfg = fake_config(&sc, 1, 256, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	/* START, 3 x (loss, EPOCH), DONE */
	assert_int_equal(lg.n, 8);
	assert_int_equal(lg.r[0].metric, MET_START);
	assert_int_equal(lg.r[7].metric, MET_DONE);
	assert_true(lg.r[7].value == 3.0);

	send(t, CMD_RESTART, 0, 0);
	assert_true(wait_count(t, &lg, MET_DONE, 2, 1, 2000));
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	assert_int_equal(lg.n, 16);
	for (size_t i = 8; i < 16; i++)
		assert_int_equal(lg.r[i].generation, 2);
	assert_int_equal(lg.r[8].metric, MET_START);
	assert_int_equal(trainer_records_sent(t), 16);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

/* Restarts and switches while the trainer runs flat out into a small full
 * ring: stale records are still in the ring when the generation moves on, and
 * a UI-style filter must be able to drop them. */
static void test_generations_and_stale_filter(void **state)
{
	(void)state;
	struct scenario scs[2] = {fake_scenario(11, 1000000, 2, 0), fake_scenario(22, 1000000, 3, 0)};
	struct trainer_config cfg = fake_config(scs, 2, 256, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_count(t, &lg, MET_EPOCH, 1, 200, 2000));

	/* What each generation should start: its scenario, and its seed as
	 * the scenario's (switch), the previous run's (restart 0), or a new
	 * one (restart 1, NaN here). */
	enum { GENS = 13 };
	int want_scenario[GENS + 1] = {0};
	double want_seed[GENS + 1] = {0, 11.0};
	size_t dropped = 0, kept_mismatch = 0;
	uint32_t gen = 1;
	for (int i = 0; i < GENS - 1; i++) {
		size_t before = lg.n;
		if (i % 3 == 2) {
			send(t, CMD_RESTART, i % 2, 0);
			want_scenario[gen + 1] = want_scenario[gen];
			want_seed[gen + 1] = i % 2 ? NAN : want_seed[gen];
		} else {
			int target = i % 2 ? 0 : 1;
			send(t, CMD_SWITCH, target, 0);
			want_scenario[gen + 1] = target;
			want_seed[gen + 1] = (double)scs[target].seed;
		}
		/* Let the ring fill with the old run first (commands are seen
		 * between epochs, and the trainer waits on the full ring). */
		sleep_ms(5);
		double end = now_s() + 2;
		while (trainer_generation(t) == gen && now_s() < end) {
			log_drain(t, &lg);
			sleep_ms(1);
		}
		assert_int_equal(trainer_generation(t), gen + 1);
		gen++;
		assert_true(wait_count(t, &lg, MET_EPOCH, gen, 50, 2000));
		/* The UI's filter: once the generation moved on, older records
		 * are dropped; what is kept must open with the new START. */
		bool first = true;
		for (size_t k = before; k < lg.n; k++) {
			if (lg.r[k].generation < gen) {
				dropped++;
				continue;
			}
			if (first && lg.r[k].metric != MET_START)
				kept_mismatch++;
			first = false;
		}
	}
	assert_true(dropped > 0);
	assert_int_equal(kept_mismatch, 0);
	trainer_stop(t);

	/* The whole stream: generations never go back, each opens with START
	 * naming its scenario and seed, and each run's epochs count 1, 2, ... */
	assert_int_equal(lg.r[0].metric, MET_START);
	assert_int_equal(lg.r[0].generation, 1);
	uint32_t g = 1, next_epoch = 1, next_loss[RUN_MAX_SERIES];
	double prev_seed = lg.r[0].value;
	for (int s = 0; s < RUN_MAX_SERIES; s++)
		next_loss[s] = 1;
	for (size_t i = 1; i < lg.n; i++) {
		const struct op_record *r = &lg.r[i];
		assert_true(r->generation == g || r->generation == g + 1);
		if (r->generation == g + 1) {
			assert_int_equal(r->metric, MET_START);
			g++;
			assert_int_equal(r->series, want_scenario[g]);
			if (isnan(want_seed[g]))
				assert_true(r->value != prev_seed);
			else
				assert_true(r->value == want_seed[g]);
			prev_seed = r->value;
			next_epoch = 1;
			for (int s = 0; s < RUN_MAX_SERIES; s++)
				next_loss[s] = 1;
			continue;
		}
		if (r->metric == MET_EPOCH)
			assert_int_equal(r->epoch, next_epoch++);
		else if (r->metric == MET_TRAIN_LOSS)
			assert_int_equal(r->epoch, next_loss[r->series]++);
		else
			fail_msg("unexpected metric %u", r->metric);
	}
	assert_int_equal(g, gen);
	check_fake_clean();
	free(lg.r);
}

/* 200,000 epochs flat out through a 256-record ring drained in small,
 * slow bites: every record arrives, in order, and the count matches. */
static void test_no_records_lost(void **state)
{
	(void)state;
	const uint32_t epochs = 200000;
	struct scenario sc = fake_scenario(3, (int)epochs, 2, 0);
	struct trainer_config cfg = fake_config(&sc, 1, 256, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);

	struct op_record buf[13];
	uint64_t received = 0;
	uint32_t next_epoch = 1, next_loss[2] = {1, 1};
	bool started = false, done = false;
	uint64_t bites = 0;
	double end = now_s() + 60;
	while (!done && now_s() < end) {
		uint32_t n = trainer_drain(t, buf, 1 + (uint32_t)(bites % 13));
		if (++bites % 64 == 0)
			sleep_ms(0.02);
		for (uint32_t i = 0; i < n; i++) {
			const struct op_record *r = &buf[i];
			received++;
			assert_int_equal(r->generation, 1);
			switch (r->metric) {
			case MET_START:
				assert_false(started);
				started = true;
				break;
			case MET_TRAIN_LOSS:
				assert_true(started);
				assert_true(r->series < 2);
				assert_int_equal(r->epoch, next_loss[r->series]);
				assert_true(r->value == (double)next_loss[r->series]);
				next_loss[r->series]++;
				break;
			case MET_EPOCH:
				assert_int_equal(r->epoch, next_epoch);
				/* both series' losses came before their epoch mark */
				assert_int_equal(next_loss[0], next_epoch + 1);
				assert_int_equal(next_loss[1], next_epoch + 1);
				next_epoch++;
				break;
			case MET_DONE:
				assert_true(r->value == (double)epochs);
				assert_int_equal(i, n - 1);
				done = true;
				break;
			default:
				fail_msg("unexpected metric %u", r->metric);
			}
		}
	}
	assert_true(done);
	assert_int_equal(next_epoch, epochs + 1);
	struct log lg = {0};
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	assert_int_equal(lg.n, 0);
	assert_int_equal(received, 1 + 3 * (uint64_t)epochs + 1);
	assert_int_equal(trainer_records_sent(t), received);
	trainer_stop(t);
	check_fake_clean();
}

static void test_pace(void **state)
{
	(void)state;
	struct scenario sc = fake_scenario(3, 1000000, 1, 100);
	struct trainer_config cfg = fake_config(&sc, 1, 1024, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	assert_true(trainer_pace(t) == 100.0);
	struct log lg = {0};
	double t0 = now_s();
	while (now_s() - t0 < 0.3) {
		log_drain(t, &lg);
		sleep_ms(5);
	}
	log_drain(t, &lg);
	size_t n = log_count(&lg, MET_EPOCH, 0);
	assert_in_range(n, 10, 60);

	/* Flat out is much faster than 100/s. */
	send(t, CMD_PACE, 0, 0.0);
	t0 = now_s();
	while (now_s() - t0 < 0.2) {
		log_drain(t, &lg);
		sleep_ms(2);
	}
	assert_true(trainer_pace(t) == 0.0);
	assert_true(log_count(&lg, MET_EPOCH, 0) - n > 200);

	/* A slow pace sleeps between epochs, but a command wakes it at once. */
	send(t, CMD_PACE, 0, 0.5);
	sleep_ms(50);
	log_drain(t, &lg);
	t0 = now_s();
	send(t, CMD_SET_PAUSED, 1, 0);
	assert_true(wait_state(t, &lg, TRAINER_PAUSED, 2000));
	assert_true(now_s() - t0 < 0.5);
	assert_true(trainer_pace(t) == 0.5);
	/* A negative pace is refused. */
	send(t, CMD_PACE, 0, -3);
	sleep_ms(20);
	assert_true(trainer_pace(t) == 0.5);
	/* A vanishing pace: one epoch at once, then a (bounded) long sleep
	 * that a stop still cuts short. */
	size_t before = log_count(&lg, MET_EPOCH, 0);
	send(t, CMD_PACE, 0, 1e-300);
	send(t, CMD_SET_PAUSED, 0, 0);
	assert_true(wait_count(t, &lg, MET_EPOCH, 0, before + 1, 2000));
	sleep_ms(30);
	log_drain(t, &lg);
	assert_int_equal(log_count(&lg, MET_EPOCH, 0), before + 1);
	t0 = now_s();
	trainer_stop(t);
	assert_true(now_s() - t0 < 1.0);

	/* The override wins over the scenario's pace. */
	cfg.pace_override = 0;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	assert_true(trainer_pace(t) == 0.0);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

static void test_divergence_stops(void **state)
{
	(void)state;
	struct scenario sc = fake_scenario(3, 1000, 2, 0);
	sc.model.widths[0] = 3;
	sc.model.widths[1] = 5;
	struct trainer_config cfg = fake_config(&sc, 1, 256, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_state(t, &lg, TRAINER_DIVERGED, 2000));
	assert_int_equal(log_count(&lg, MET_DIVERGED, 0), 2);
	assert_int_equal(log_last(&lg, MET_EPOCH)->epoch, 5);
	assert_int_equal(log_count(&lg, MET_EPOCH, 0), 5);
	assert_true(log_last(&lg, MET_DONE)->value == 5.0);
	assert_true(isnan(log_last(&lg, MET_DIVERGED)->value));
	size_t n = lg.n;
	sleep_ms(100);
	log_drain(t, &lg);
	assert_int_equal(lg.n, n);

	/* A restart runs again (and diverges again). */
	send(t, CMD_RESTART, 0, 0);
	assert_true(wait_count(t, &lg, MET_DONE, 2, 1, 2000));
	assert_true(wait_state(t, &lg, TRAINER_DIVERGED, 2000));
	assert_int_equal(log_count(&lg, MET_EPOCH, 2), 5);
	trainer_stop(t);

	/* One series of two diverging is not the run diverging. */
	sc.model.widths[0] = 0;
	sc.model.widths[1] = 2;
	sc.train.epochs = 50;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	free(lg.r);
	memset(&lg, 0, sizeof(lg));
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	assert_int_equal(log_count(&lg, MET_EPOCH, 0), 50);
	assert_int_equal(log_count(&lg, MET_DIVERGED, 0), 1);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

static void test_stop_never_deadlocks(void **state)
{
	(void)state;
	/* Nobody drains: the trainer blocks on the full ring. */
	struct scenario sc = fake_scenario(3, 1000000, 2, 0);
	struct trainer_config cfg = fake_config(&sc, 1, 256, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	double end = now_s() + 2;
	while (trainer_records_sent(t) < 256 && now_s() < end)
		sleep_ms(1);
	assert_int_equal(trainer_records_sent(t), 256);
	sleep_ms(30);
	assert_int_equal(trainer_records_sent(t), 256); /* waits, never drops */
	double t0 = now_s();
	trainer_stop(t);
	assert_true(now_s() - t0 < 1.0);
	check_fake_clean();

	/* The same after a QUIT command sent by the UI itself. */
	assert_int_equal(trainer_start(&t, &cfg), 0);
	sleep_ms(30);
	send(t, CMD_QUIT, 0, 0);
	t0 = now_s();
	trainer_stop(t);
	assert_true(now_s() - t0 < 1.0);

	/* Paused (asleep on the condvar) and at a slow pace: also prompt. */
	cfg.start_paused = true;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	sleep_ms(30);
	t0 = now_s();
	trainer_stop(t);
	assert_true(now_s() - t0 < 1.0);
	cfg.start_paused = false;
	cfg.pace_override = 0.1;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	sleep_ms(30);
	t0 = now_s();
	trainer_stop(t);
	assert_true(now_s() - t0 < 1.0);
	check_fake_clean();
}

static void test_create_failure_and_recovery(void **state)
{
	(void)state;
	struct scenario scs[2] = {fake_scenario(REFUSED_SEED, 3, 1, 0), fake_scenario(7, 3, 1, 0)};
	struct trainer_config cfg = fake_config(scs, 2, 256, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_state(t, &lg, TRAINER_FAILED, 2000));
	assert_non_null(strstr(trainer_error(t), "refused"));
	assert_int_equal(lg.n, 1);
	assert_int_equal(lg.r[0].metric, MET_START);
	send(t, CMD_STEP, 0, 0);
	send(t, CMD_SET_PAUSED, 0, 0);
	sleep_ms(50);
	log_drain(t, &lg);
	assert_int_equal(lg.n, 1);
	assert_int_equal(trainer_state(t), TRAINER_FAILED);

	/* Switching to a scenario that works runs it and clears the error. */
	send(t, CMD_SWITCH, 1, 0);
	assert_true(wait_count(t, &lg, MET_DONE, 2, 1, 2000));
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	assert_string_equal(trainer_error(t), "");

	/* Back to the refused seed, then a restart with a new seed works. */
	send(t, CMD_SWITCH, 0, 0);
	assert_true(wait_count(t, &lg, MET_START, 3, 1, 2000));
	assert_true(wait_state(t, &lg, TRAINER_FAILED, 2000));
	send(t, CMD_RESTART, 1, 0);
	assert_true(wait_count(t, &lg, MET_DONE, 4, 1, 2000));
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	assert_int_equal(atomic_load(&fake_creates), 2);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

static void test_switch_out_of_range_ignored(void **state)
{
	(void)state;
	struct scenario scs[2] = {fake_scenario(1, 10, 1, 0), fake_scenario(2, 10, 1, 0)};
	struct trainer_config cfg = fake_config(scs, 2, 256, true);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_count(t, &lg, MET_START, 0, 1, 2000));
	send(t, CMD_SWITCH, 2, 0);
	send(t, CMD_SWITCH, -1, 0);
	send(t, CMD_SWITCH, 1, 0); /* a valid one after, to know the others were seen */
	assert_true(wait_count(t, &lg, MET_START, 0, 2, 2000));
	sleep_ms(30);
	log_drain(t, &lg);
	assert_int_equal(trainer_generation(t), 2);
	assert_int_equal(lg.n, 2);
	assert_int_equal(lg.r[1].series, 1);
	assert_true(lg.r[1].value == 2.0);
	assert_int_equal(trainer_state(t), TRAINER_PAUSED);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}


/* CMD_PARK (a kept run on the UI's screen): the running run is dropped, no
 * new one starts (no record, the generation stays), the state is done; a
 * restart then runs the parked scenario with the parked seed. */
static void test_park_then_restart(void **state)
{
	(void)state;
	struct scenario scs[2] = {fake_scenario(1, 1000, 1, 50), fake_scenario(2, 3, 1, 0)};
	struct trainer_config cfg = fake_config(scs, 2, 256, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	assert_true(wait_count(t, &lg, MET_START, 0, 1, 2000));
	send(t, CMD_PARK, 1, 77.0);
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	sleep_ms(50);
	log_drain(t, &lg);
	size_t n = lg.n;
	assert_int_equal(trainer_generation(t), 1);
	assert_int_equal(log_count(&lg, MET_START, 0), 1);
	assert_int_equal(log_count(&lg, MET_DONE, 0), 0); /* dropped, not finished */
	send(t, CMD_STEP, 0, 0);                             /* nothing to step */
	sleep_ms(30);
	log_drain(t, &lg);
	assert_int_equal(lg.n, n);
	send(t, CMD_RESTART, 0, 0);
	assert_true(wait_count(t, &lg, MET_DONE, 2, 1, 2000));
	const struct op_record *start = log_last(&lg, MET_START);
	assert_int_equal(start->series, 1); /* scenario 2 */
	assert_true(start->value == 77.0);  /* the kept run's seed */
	assert_true(atomic_load(&fake_last_seed) == 77);
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

/* ---- cancellation (run_loop.h) ---- */

/* The spinning fake: train.repeats says what runs on until the run is
 * cancelled, as a long LAPACK set-up or a step that trains to convergence
 * does; DEAF ignores the flag (one long library call), for DEAF_S. */
enum spin { SPIN_NONE, SPIN_CREATE, SPIN_STEP, SPIN_DEAF };
#define SPIN_S 20.0 /* far beyond every wait below: only a cancel ends it */
#define DEAF_S 1.0

static atomic_int spins; /* spins entered */

/* true if cancelled */
static bool spin(double seconds, bool deaf)
{
	atomic_fetch_add(&spins, 1);
	double end = now_s() + seconds;
	while (now_s() < end)
		if (!deaf && run_cancelled())
			return true;
	return false;
}

static int spin_create(const struct scenario *sc, uint64_t seed, struct experiment **out, char *err, size_t errlen)
{
	if (sc->train.repeats == SPIN_CREATE && spin(SPIN_S, false))
		return -1;
	if (fake_create(sc, seed, out, err, errlen) != 0)
		return -1;
	(*out)->spin = sc->train.repeats;
	return 0;
}

static bool spin_step(struct experiment *x, struct emitter *em)
{
	if (x->spin == SPIN_STEP || x->spin == SPIN_DEAF)
		if (spin(x->spin == SPIN_DEAF ? DEAF_S : SPIN_S, x->spin == SPIN_DEAF))
			return false;
	return fake_step(x, em);
}

static const struct experiment_ops spin_ops = {
	.kind = "spin",
	.create = spin_create,
	.step = spin_step,
	.destroy = fake_destroy,
	.describe = fake_describe,
};

static struct scenario spin_scenario(enum spin what)
{
	struct scenario sc = fake_scenario(1, 1000000, 1, 0);
	sc.train.repeats = (int)what;
	return sc;
}

static bool wait_spins(int n, double timeout_ms)
{
	double end = now_s() + timeout_ms / 1000;
	while (atomic_load(&spins) < n && now_s() < end)
		sleep_ms(1);
	return atomic_load(&spins) >= n;
}

/* Sends c while the trainer is held in a spin; returns the seconds until
 * generation gen opened, or 99 if it did not within 2 s. */
static double cancel_took(struct trainer *t, struct log *lg, struct op_command c, uint32_t gen)
{
	double t0 = now_s();
	assert_true(trainer_command(t, c));
	if (!wait_count(t, lg, MET_START, gen, 1, 2000))
		return 99;
	return now_s() - t0;
}

/* A trainer on two scenarios, the first spinning as `what` says (and
 * already in its spin), the second a plain fake of 50 epochs. */
static struct trainer *start_spinning(enum spin what)
{
	atomic_store(&spins, 0);
	struct scenario scs[2] = {spin_scenario(what), fake_scenario(2, 50, 1, 0)};
	struct trainer_config cfg = fake_config(scs, 2, 1024, false);
	cfg.ops = &spin_ops;
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	assert_true(wait_spins(1, 2000));
	return t;
}

static void test_cancel_cuts_long_step(void **state)
{
	(void)state;
	struct trainer *t = start_spinning(SPIN_STEP);
	struct log lg = {0};
	/* r, a knob (this scenario has none: the run restarts all the same),
	 * then a switch: each ends the spinning step and starts its run. */
	double r = cancel_took(t, &lg, (struct op_command){.kind = CMD_RESTART}, 2);
	assert_true(wait_spins(2, 2000));
	double k = cancel_took(t, &lg, (struct op_command){.kind = CMD_KNOB}, 3);
	assert_true(wait_spins(3, 2000));
	double sw = cancel_took(t, &lg, (struct op_command){.kind = CMD_SWITCH, .arg = 1}, 4);
	print_message("restart %.1f ms, knob %.1f ms, switch %.1f ms\n", 1e3 * r, 1e3 * k, 1e3 * sw);
	assert_true(r < 2 && k < 2 && sw < 2);
	assert_true(wait_count(t, &lg, MET_DONE, 4, 1, 2000));
	/* A dropped run ends unseen: no MET_DONE, no error. */
	assert_int_equal(log_count(&lg, MET_DONE, 0), 1);
	assert_string_equal(trainer_error(t), "");
	trainer_stop(t);
	assert_false(run_cancelled());
	check_fake_clean();
	free(lg.r);
}

static void test_cancel_cuts_long_create(void **state)
{
	(void)state;
	struct trainer *t = start_spinning(SPIN_CREATE);
	struct log lg = {0};
	double sw = cancel_took(t, &lg, (struct op_command){.kind = CMD_SWITCH, .arg = 1}, 2);
	print_message("switch during create %.1f ms\n", 1e3 * sw);
	assert_true(sw < 2);
	assert_true(wait_state(t, &lg, TRAINER_DONE, 2000));
	assert_string_equal(trainer_error(t), ""); /* given up, not failed */
	assert_int_equal(atomic_load(&fake_creates), 1);
	/* Back into the spinning create: stopping does not wait for it. */
	assert_true(trainer_command(t, (struct op_command){.kind = CMD_SWITCH, .arg = 0}));
	assert_true(wait_spins(2, 2000));
	double t0 = now_s();
	assert_true(trainer_stop_within(t, 5));
	assert_true(now_s() - t0 < 1);
	check_fake_clean();
	free(lg.r);
}

/* Restarts and switches as fast as keys can come: every one but the last
 * is cancelled, and the last run is never (its epochs keep coming). Paced,
 * so that no run can reach its end during the test. */
static void test_cancel_burst_keeps_last_run(void **state)
{
	(void)state;
	struct scenario scs[2] = {fake_scenario(1, 200000, 1, 2000), fake_scenario(2, 200000, 1, 2000)};
	struct trainer_config cfg = fake_config(scs, 2, 1u << 14, false);
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct log lg = {0};
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 10; i++) {
			struct op_command c = {.kind = i % 3 ? CMD_RESTART : CMD_SWITCH, .arg = i % 2};
			assert_true(trainer_command(t, c));
			log_drain(t, &lg);
		}
		uint32_t gen = 1 + 10 * (uint32_t)(round + 1);
		assert_true(wait_count(t, &lg, MET_EPOCH, gen, 40, 2000));
		assert_int_equal(trainer_state(t), TRAINER_RUNNING);
		assert_false(run_cancelled());
	}
	trainer_stop(t);
	check_fake_clean();
	free(lg.r);
}

/* The last resort: a step deaf to the flag holds the thread, and the caller
 * gets control back at the deadline; a later trainer_stop still joins. */
static void test_stop_within_deadline(void **state)
{
	(void)state;
	atomic_store(&spins, 0);
	struct scenario sc = spin_scenario(SPIN_DEAF);
	struct trainer_config cfg = fake_config(&sc, 1, 1024, false);
	cfg.ops = &spin_ops;
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	assert_true(wait_spins(1, 2000));
	double t0 = now_s();
	assert_false(trainer_stop_within(t, 0.2));
	double took = now_s() - t0;
	assert_true(took >= 0.19 && took < DEAF_S);
	trainer_stop(t);
	check_fake_clean();

	/* A step that listens (for SPIN_S) ends well within the deadline. */
	sc = spin_scenario(SPIN_STEP);
	assert_int_equal(trainer_start(&t, &cfg), 0);
	assert_true(wait_spins(2, 2000));
	assert_true(trainer_stop_within(t, DEAF_S));
	check_fake_clean();
}

/* A real scenario at max pace through a small ring: what the UI drains is
 * exactly the record stream of the same run through experiment_run (the
 * headless runner's loop), marks included, in order, bit for bit. */
struct direct_log {
	struct op_record *rec;
	size_t n, cap;
};

static void direct_emit(void *ctx, const struct op_record *rec)
{
	struct direct_log *d = ctx;
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 4096;
		d->rec = realloc(d->rec, d->cap * sizeof *d->rec);
		assert_non_null(d->rec);
	}
	d->rec[d->n++] = *rec;
}

static void test_real_scenario_no_loss(void **state)
{
	(void)state;
	struct scenario sc;
	char err[SCENARIO_ERR_LEN];
	if (scenario_load("scenarios/02-mode-connectivity.ini", &sc, err, sizeof err) != 0)
		fail_msg("%s", err);

	struct direct_log want = {0};
	struct emitter em = {.emit = direct_emit, .ctx = &want, .generation = 1};
	struct run_stats st;
	assert_int_equal(experiment_run(experiment_ops_for(sc.kind), &sc, sc.seed, NULL, &em, &st, err, sizeof err), 0);
	assert_int_equal(want.n > 0 ? want.rec[want.n - 1].metric : MET_COUNT, MET_DONE);

	struct trainer_config cfg = {.scenarios = &sc, .n_scenarios = 1, .ring_capacity = 64, .pace_override = 0};
	struct trainer *t;
	assert_int_equal(trainer_start(&t, &cfg), 0);
	struct op_record buf[7];
	size_t next = 0;
	bool done = false;
	double end = now_s() + 60;
	while (!done && now_s() < end) {
		uint32_t n = trainer_drain(t, buf, 7);
		if (n == 0)
			sleep_ms(0.05);
		for (uint32_t i = 0; i < n; i++) {
			const struct op_record *r = &buf[i];
			assert_true(next < want.n);
			const struct op_record *w = &want.rec[next++];
			assert_int_equal(r->generation, w->generation);
			assert_int_equal(r->epoch, w->epoch);
			assert_int_equal(r->series, w->series);
			assert_int_equal(r->metric, w->metric);
			assert_int_equal(r->index, w->index);
			assert_memory_equal(&r->value, &w->value, sizeof r->value); /* bit-identical */
			done = r->metric == MET_DONE;
		}
	}
	assert_true(done);
	assert_int_equal(next, want.n);
	assert_int_equal(want.rec[want.n - 1].value, st.epochs);
	assert_int_equal(trainer_records_sent(t), want.n);
	trainer_stop(t);
	free(want.rec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_bad_config_rejected, reset_fake),
		cmocka_unit_test_setup(test_start_emits_start_first, reset_fake),
		cmocka_unit_test_setup(test_ended_with_records_pending, reset_fake),
		cmocka_unit_test_setup(test_pause_stops_records, reset_fake),
		cmocka_unit_test_setup(test_step_while_paused, reset_fake),
		cmocka_unit_test_setup(test_step_ignored_while_running, reset_fake),
		cmocka_unit_test_setup(test_restart_bumps_generation, reset_fake),
		cmocka_unit_test_setup(test_restart_after_done_runs_again, reset_fake),
		cmocka_unit_test_setup(test_generations_and_stale_filter, reset_fake),
		cmocka_unit_test_setup(test_no_records_lost, reset_fake),
		cmocka_unit_test_setup(test_pace, reset_fake),
		cmocka_unit_test_setup(test_divergence_stops, reset_fake),
		cmocka_unit_test_setup(test_stop_never_deadlocks, reset_fake),
		cmocka_unit_test_setup(test_create_failure_and_recovery, reset_fake),
		cmocka_unit_test_setup(test_switch_out_of_range_ignored, reset_fake),
		cmocka_unit_test_setup(test_cancel_cuts_long_step, reset_fake),
		cmocka_unit_test_setup(test_cancel_cuts_long_create, reset_fake),
		cmocka_unit_test_setup(test_cancel_burst_keeps_last_run, reset_fake),
		cmocka_unit_test_setup(test_stop_within_deadline, reset_fake),
		cmocka_unit_test(test_real_scenario_no_loss),
		cmocka_unit_test_setup(test_park_then_restart, reset_fake),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
