/* test_ring.c: the SPSC ring's contract: full/empty, no overwrite,
 * power-of-two capacity, index wrap-around at UINT32_MAX, pop_many across the
 * buffer's end, and exact in-order delivery between two threads.
 * OVERPARAM_RING_STRESS=N overrides the stress test's record count (default
 * 10,000,000), e.g. for slow sanitizer builds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/record.h"
#include "overparam/ring.h"

#define STRESS_DEFAULT 10000000u

static void test_capacity_power_of_two(void **state)
{
	(void)state;
	struct ring r;
	const uint32_t bad[] = {0, 1, 3, 6, 12, 1000, (1u << 20) + 1};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ring_init(&r, bad[i], sizeof(int)), -1);
		assert_int_equal(ring_capacity(&r), 0);
	}
	assert_int_equal(ring_init(&r, 4, 0), -1); /* zero-size elements too */

	const uint32_t good[] = {2, 4, 8, 1024, 1u << 16};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(ring_init(&r, good[i], sizeof(struct op_record)), 0);
		assert_int_equal(ring_capacity(&r), good[i]);
		assert_int_equal((uintptr_t)r.slots % RING_CACHE_LINE, 0);
		ring_destroy(&r);
	}
	/* Producer and consumer indices must not share a cache line. */
	assert_true(offsetof(struct ring, tail) - offsetof(struct ring, head) >= RING_CACHE_LINE);
}

static void test_empty_and_full(void **state)
{
	(void)state;
	struct ring r;
	assert_int_equal(ring_init(&r, 4, sizeof(int)), 0);
	int v = -1;
	assert_false(ring_pop(&r, &v));
	assert_int_equal(v, -1); /* a failed pop leaves the output alone */
	assert_int_equal(ring_count(&r), 0);
	int buf[8];
	assert_int_equal(ring_pop_many(&r, buf, 8), 0);

	for (int i = 1; i <= 4; i++) {
		assert_true(ring_push(&r, &i));
		assert_int_equal(ring_count(&r), (uint32_t)i);
	}
	int extra = 99;
	assert_false(ring_push(&r, &extra));
	assert_false(ring_push(&r, &extra));
	assert_int_equal(ring_count(&r), 4);

	/* Nothing was overwritten by the refused pushes. */
	for (int i = 1; i <= 4; i++) {
		assert_true(ring_pop(&r, &v));
		assert_int_equal(v, i);
	}
	assert_false(ring_pop(&r, &v));
	assert_int_equal(ring_count(&r), 0);

	/* Full again after draining: one slot freed admits exactly one push. */
	for (int i = 10; i < 14; i++)
		assert_true(ring_push(&r, &i));
	assert_false(ring_push(&r, &extra));
	assert_true(ring_pop(&r, &v));
	assert_int_equal(v, 10);
	assert_true(ring_push(&r, &extra));
	assert_false(ring_push(&r, &extra));
	assert_int_equal(ring_pop_many(&r, buf, 8), 4);
	assert_int_equal(buf[0], 11);
	assert_int_equal(buf[1], 12);
	assert_int_equal(buf[2], 13);
	assert_int_equal(buf[3], 99);
	ring_destroy(&r);
}

/* Pushes and pops in uneven batches across the uint32 index wrap; every
 * value must come out exactly once, in order. */
static void test_wrap_at_uint32_max(void **state)
{
	(void)state;
	struct ring r;
	const uint32_t start = UINT32_MAX - 5;
	assert_int_equal(ring_init_at(&r, 8, sizeof(uint64_t), start), 0);
	uint64_t next_in = 1000, next_out = 1000;
	const int pushes[] = {3, 5, 1, 8, 2, 7, 4, 6};
	const int pops[] = {2, 4, 1, 6, 8, 3, 5, 1};
	for (int round = 0; round < 40; round++) {
		int np = pushes[round % 8], nq = pops[(round * 3) % 8];
		for (int i = 0; i < np; i++) {
			bool room = ring_count(&r) < 8;
			assert_int_equal(ring_push(&r, &next_in), room);
			if (room)
				next_in++;
		}
		assert_int_equal(ring_count(&r), (uint32_t)(next_in - next_out));
		for (int i = 0; i < nq; i++) {
			uint64_t v = 0;
			bool any = next_out < next_in;
			assert_int_equal(ring_pop(&r, &v), any);
			if (any) {
				assert_int_equal(v, next_out);
				next_out++;
			}
		}
	}
	/* The indices really crossed zero. */
	assert_true(next_in - 1000 > 6);
	uint32_t head = atomic_load(&r.head);
	assert_int_equal(head, (uint32_t)(start + (uint32_t)(next_in - 1000)));
	assert_true(head < start);
	ring_destroy(&r);
}

static void test_wrap_first_push_crossing(void **state)
{
	(void)state;
	struct ring r;
	/* Fill exactly across the wrap: indices UINT32_MAX-1 .. 1. */
	assert_int_equal(ring_init_at(&r, 4, sizeof(uint32_t), UINT32_MAX - 1), 0);
	for (uint32_t i = 0; i < 4; i++)
		assert_true(ring_push(&r, &i));
	uint32_t x = 77;
	assert_false(ring_push(&r, &x));
	assert_int_equal(ring_count(&r), 4);
	uint32_t out[4];
	assert_int_equal(ring_pop_many(&r, out, 4), 4);
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(out[i], i);
	assert_int_equal(ring_count(&r), 0);
	assert_int_equal(atomic_load(&r.tail), 2);
	ring_destroy(&r);
}

static void test_pop_many_across_end(void **state)
{
	(void)state;
	struct ring r;
	assert_int_equal(ring_init(&r, 8, sizeof(struct op_record)), 0);
	struct op_record rec = {0}, out[16];
	uint32_t next_in = 0;
	/* Move the indices to slot 5, then fill: the data occupies physical
	 * slots 5,6,7,0,1,2,3,4. */
	for (int i = 0; i < 5; i++) {
		rec.epoch = next_in++;
		assert_true(ring_push(&r, &rec));
	}
	assert_int_equal(ring_pop_many(&r, out, 5), 5);
	for (int i = 0; i < 8; i++) {
		rec.epoch = next_in;
		rec.value = next_in * 0.5;
		next_in++;
		assert_true(ring_push(&r, &rec));
	}
	assert_false(ring_push(&r, &rec));
	memset(out, 0xab, sizeof(out));
	assert_int_equal(ring_pop_many(&r, out, 16), 8);
	for (uint32_t i = 0; i < 8; i++) {
		assert_int_equal(out[i].epoch, 5 + i);
		assert_true(out[i].value == (5 + i) * 0.5);
	}
	/* Elements past the returned count are untouched. */
	assert_int_equal(out[8].epoch, 0xabababab);

	/* Partial takes: 3 up to the end, then the rest from the start. */
	for (int i = 0; i < 8; i++) {
		rec.epoch = next_in++;
		assert_true(ring_push(&r, &rec));
	}
	uint32_t expect = 13;
	uint32_t got = ring_pop_many(&r, out, 3);
	assert_int_equal(got, 3);
	for (uint32_t i = 0; i < got; i++)
		assert_int_equal(out[i].epoch, expect++);
	got = ring_pop_many(&r, out, 16);
	assert_int_equal(got, 5);
	for (uint32_t i = 0; i < got; i++)
		assert_int_equal(out[i].epoch, expect++);
	assert_int_equal(ring_pop_many(&r, out, 16), 0);
	ring_destroy(&r);
}

static void test_pop_many_across_end_and_wrap(void **state)
{
	(void)state;
	struct ring r;
	/* start % 8 == 2 and the index wraps while the data wraps the buffer. */
	assert_int_equal(ring_init_at(&r, 8, sizeof(uint32_t), UINT32_MAX - 5), 0);
	uint32_t in = 0, want = 0, buf[8];
	for (int round = 0; round < 12; round++) {
		while (ring_push(&r, &in))
			in++;
		uint32_t n = ring_pop_many(&r, buf, (uint32_t)(3 + round % 6));
		assert_int_equal(n, 3 + round % 6);
		for (uint32_t i = 0; i < n; i++)
			assert_int_equal(buf[i], want++);
	}
	uint32_t n = ring_pop_many(&r, buf, 8);
	for (uint32_t i = 0; i < n; i++)
		assert_int_equal(buf[i], want++);
	assert_int_equal(want, in);
	ring_destroy(&r);
}

struct stress {
	struct ring ring;
	uint32_t count;
};

static struct op_record stress_record(uint32_t seq)
{
	/* Every field depends on seq, so a torn or stale slot cannot pass. */
	struct op_record rec = {
		.generation = seq * 2654435761u,
		.epoch = seq,
		.series = (uint16_t)(seq & 0xffff),
		.metric = (uint16_t)(seq >> 16),
		.index = ~seq,
		.value = (double)seq + 0.25,
	};
	return rec;
}

static void *stress_producer(void *arg)
{
	struct stress *s = arg;
	for (uint32_t seq = 0; seq < s->count; seq++) {
		struct op_record rec = stress_record(seq);
		unsigned spins = 0;
		while (!ring_push(&s->ring, &rec)) {
			if (++spins > 64) /* a shared 2-core box: let the consumer run */
				sched_yield();
		}
	}
	return NULL;
}

static uint32_t stress_count(void)
{
	const char *env = getenv("OVERPARAM_RING_STRESS");
	if (env && *env) {
		char *end;
		unsigned long v = strtoul(env, &end, 10);
		if (*end == '\0' && v > 0 && v <= UINT32_MAX)
			return (uint32_t)v;
	}
	return STRESS_DEFAULT;
}

static void test_two_thread_exact_sequence(void **state)
{
	(void)state;
	struct stress s = {.count = stress_count()};
	assert_int_equal(ring_init(&s.ring, 1024, sizeof(struct op_record)), 0);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, stress_producer, &s), 0);

	struct op_record buf[64];
	uint32_t expect = 0, bad = 0, turn = 0;
	unsigned idle = 0;
	while (expect < s.count) {
		uint32_t n;
		/* Alternate single pops and batches of varying size so both
		 * consumer paths run against a constantly filling ring. */
		if (turn++ % 3 == 0)
			n = ring_pop(&s.ring, &buf[0]) ? 1 : 0;
		else
			n = ring_pop_many(&s.ring, buf, 1 + turn % 64);
		if (n == 0) {
			if (++idle > 64)
				sched_yield();
			continue;
		}
		idle = 0;
		for (uint32_t i = 0; i < n; i++) {
			struct op_record want = stress_record(expect);
			if (memcmp(&buf[i], &want, sizeof(want)) != 0 && bad++ == 0)
				print_error("record %u: got epoch %u\n", expect, buf[i].epoch);
			expect++;
		}
	}
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(bad, 0);
	assert_int_equal(expect, s.count);
	struct op_record extra;
	assert_false(ring_pop(&s.ring, &extra));
	ring_destroy(&s.ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capacity_power_of_two),
		cmocka_unit_test(test_empty_and_full),
		cmocka_unit_test(test_wrap_at_uint32_max),
		cmocka_unit_test(test_wrap_first_push_crossing),
		cmocka_unit_test(test_pop_many_across_end),
		cmocka_unit_test(test_pop_many_across_end_and_wrap),
		cmocka_unit_test(test_two_thread_exact_sequence),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
