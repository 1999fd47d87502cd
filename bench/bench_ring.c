/* bench_ring.c: SPSC ring throughput between two threads, the shape the
 * trainer and UI use it in: the producer pushes op_records one at a time, the
 * consumer drains in batches with ring_pop_many. Usage:
 * bench_ring [records [capacity]]. Prints "ring: N records/s", the median of
 * BENCH_TRIALS runs (a shared VM's vCPU placement makes single runs noisy);
 * the sequence is checked so a fast wrong ring cannot report a number. */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "overparam/record.h"
#include "overparam/ring.h"

#define BENCH_RECORDS 20000000u
#define BENCH_TRIALS 5
#define BENCH_CAPACITY 65536u /* the trainer's default ring */
#define BENCH_BATCH 4096u     /* a frame's drain */

/* A short wait that tells the core we are spinning. */
static inline void bench_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#else
	atomic_signal_fence(memory_order_seq_cst);
#endif
}

struct bench {
	struct ring ring;
	uint32_t count;
};

static double bench_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void *bench_producer(void *arg)
{
	struct bench *b = arg;
	struct op_record rec = {.generation = 1, .metric = MET_TRAIN_LOSS};
	for (uint32_t seq = 0; seq < b->count; seq++) {
		rec.epoch = seq;
		rec.value = (double)seq;
		unsigned spins = 0;
		while (!ring_push(&b->ring, &rec)) {
			if (++spins > 1024) /* only when the machine is busy */
				sched_yield();
			else
				bench_relax();
		}
	}
	return NULL;
}

static uint32_t bench_arg(int argc, char **argv, int i, uint32_t dflt)
{
	if (argc <= i)
		return dflt;
	char *end;
	unsigned long v = strtoul(argv[i], &end, 10);
	if (*end != '\0' || v == 0 || v > UINT32_MAX) {
		fprintf(stderr, "bench_ring: bad number '%s'\n", argv[i]);
		exit(2);
	}
	return (uint32_t)v;
}

/* One trial: records per second, or a negative value on failure. */
static double bench_trial(uint32_t count, uint32_t capacity)
{
	static struct op_record buf[BENCH_BATCH];
	struct bench b = {.count = count};
	if (ring_init(&b.ring, capacity, sizeof(struct op_record)) != 0)
		return -1;
	pthread_t th;
	double t0 = bench_now();
	if (pthread_create(&th, NULL, bench_producer, &b) != 0) {
		ring_destroy(&b.ring);
		return -1;
	}
	uint32_t expect = 0;
	bool ok = true;
	while (expect < b.count) {
		uint32_t n = ring_pop_many(&b.ring, buf, BENCH_BATCH);
		/* A short batch means we caught up with the producer: let it get
		 * ahead rather than fight it for the cache lines it is writing
		 * (the UI drains once a frame, far from this close). */
		if (n < BENCH_BATCH)
			for (int k = 0; k < 128; k++)
				bench_relax();
		for (uint32_t i = 0; i < n; i++, expect++) {
			if (buf[i].epoch != expect && ok) {
				fprintf(stderr, "bench_ring: record %u out of order (got %u)\n", expect, buf[i].epoch);
				ok = false;
			}
		}
	}
	double dt = bench_now() - t0;
	pthread_join(th, NULL);
	ring_destroy(&b.ring);
	return ok ? (double)count / dt : -1;
}

static int bench_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	uint32_t count = bench_arg(argc, argv, 1, BENCH_RECORDS);
	uint32_t capacity = bench_arg(argc, argv, 2, BENCH_CAPACITY);
	if (capacity < 2 || (capacity & (capacity - 1)) != 0) {
		fprintf(stderr, "bench_ring: capacity %u must be a power of two >= 2\n", capacity);
		return 2;
	}
	double rate[BENCH_TRIALS];
	for (int i = 0; i < BENCH_TRIALS; i++) {
		rate[i] = bench_trial(count, capacity);
		if (rate[i] < 0) {
			fprintf(stderr, "bench_ring: trial %d failed\n", i + 1);
			return 1;
		}
	}
	qsort(rate, BENCH_TRIALS, sizeof(rate[0]), bench_cmp);
	printf("ring: %.0f records/s\n", rate[BENCH_TRIALS / 2]);
	return 0;
}
