/* ring.h: single-producer single-consumer lock-free ring of fixed-size
 * elements. Power-of-two capacity; free-running 32-bit indices masked on use,
 * so wrap-around is arithmetic; producer and consumer indices on separate
 * cache lines, each side caching the other's index. The producer copies then
 * publishes with release; the consumer reads the index with acquire. */
#ifndef OVERPARAM_RING_H
#define OVERPARAM_RING_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RING_CACHE_LINE 64

struct ring {
	alignas(RING_CACHE_LINE) _Atomic uint32_t head; /* next slot to write; producer-owned */
	uint32_t tail_cache;                             /* producer's last view of tail */
	alignas(RING_CACHE_LINE) _Atomic uint32_t tail; /* next slot to read; consumer-owned */
	uint32_t head_cache;                             /* consumer's last view of head */
	alignas(RING_CACHE_LINE) uint32_t mask;          /* capacity - 1 */
	uint32_t elem_size;
	unsigned char *slots;                            /* (capacity, elem_size) */
};

/* capacity must be a power of two >= 2 (else returns -1 and leaves r
 * unusable); returns -1 too when out of memory. */
int ring_init(struct ring *r, uint32_t capacity, size_t elem_size);
/* As ring_init with both indices starting at `start`, so tests can cross
 * the index type's wrap-around. */
int ring_init_at(struct ring *r, uint32_t capacity, size_t elem_size, uint32_t start);
void ring_destroy(struct ring *r);

uint32_t ring_capacity(const struct ring *r);

/* Producer side. false when full: the caller waits, nothing is dropped. */
bool ring_push(struct ring *r, const void *elem);

/* Consumer side. false when empty. */
bool ring_pop(struct ring *r, void *elem);
/* Up to max elements into out (max, elem_size); returns how many. */
uint32_t ring_pop_many(struct ring *r, void *out, uint32_t max);

/* Elements in the ring now (exact for the calling side, a snapshot else). */
uint32_t ring_count(struct ring *r);

#endif
