/* ring.c: SPSC ring over C11 atomics. Each index has one writer; the other
 * side reads it with acquire, and only when its cached copy says it must
 * (full for the producer, empty for the consumer), so the steady state touches
 * the other side's cache line rarely. */
#include "overparam/ring.h"

#include <stdlib.h>
#include <string.h>

int ring_init_at(struct ring *r, uint32_t capacity, size_t elem_size, uint32_t start)
{
	memset(r, 0, sizeof(*r));
	/* >= 2 keeps "full" and "empty" distinct in count terms and rules out
	 * a useless one-slot ring; the mask trick needs a power of two. */
	if (capacity < 2 || (capacity & (capacity - 1)) != 0)
		return -1;
	if (elem_size == 0 || elem_size > UINT32_MAX || capacity > SIZE_MAX / elem_size)
		return -1;
	size_t bytes = (size_t)capacity * elem_size;
	/* C11 aligned_alloc wants a size that is a multiple of the alignment. */
	size_t rounded = (bytes + RING_CACHE_LINE - 1) / RING_CACHE_LINE * RING_CACHE_LINE;
	if (rounded < bytes)
		return -1;
	unsigned char *slots = aligned_alloc(RING_CACHE_LINE, rounded);
	if (!slots)
		return -1;
	r->slots = slots;
	r->mask = capacity - 1;
	r->elem_size = (uint32_t)elem_size;
	atomic_init(&r->head, start);
	atomic_init(&r->tail, start);
	r->tail_cache = start;
	r->head_cache = start;
	return 0;
}

int ring_init(struct ring *r, uint32_t capacity, size_t elem_size)
{
	return ring_init_at(r, capacity, elem_size, 0);
}

void ring_destroy(struct ring *r)
{
	free(r->slots);
	r->slots = NULL;
	r->mask = 0;
	r->elem_size = 0;
}

uint32_t ring_capacity(const struct ring *r)
{
	return r->slots ? r->mask + 1 : 0;
}

bool ring_push(struct ring *r, const void *elem /* (elem_size) bytes */)
{
	uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint32_t cap = r->mask + 1;
	if (head - r->tail_cache >= cap) {
		/* acquire: the consumer's reads of the slot we are about to
		 * overwrite happened before it released tail. */
		r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (head - r->tail_cache >= cap)
			return false;
	}
	memcpy(r->slots + (size_t)(head & r->mask) * r->elem_size, elem, r->elem_size);
	atomic_store_explicit(&r->head, head + 1, memory_order_release);
	return true;
}

bool ring_pop(struct ring *r, void *elem /* (elem_size) bytes */)
{
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	if (r->head_cache == tail) {
		r->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
		if (r->head_cache == tail)
			return false;
	}
	memcpy(elem, r->slots + (size_t)(tail & r->mask) * r->elem_size, r->elem_size);
	atomic_store_explicit(&r->tail, tail + 1, memory_order_release);
	return true;
}

uint32_t ring_pop_many(struct ring *r, void *out /* (max, elem_size) */, uint32_t max)
{
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint32_t avail = r->head_cache - tail;
	if (avail < max) {
		r->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
		avail = r->head_cache - tail;
	}
	uint32_t n = avail < max ? avail : max;
	if (n == 0)
		return 0;
	/* The run may wrap past the buffer's physical end: two copies at most. */
	uint32_t at = tail & r->mask;
	uint32_t first = r->mask + 1 - at;
	if (first > n)
		first = n;
	size_t es = r->elem_size;
	memcpy(out, r->slots + (size_t)at * es, (size_t)first * es);
	if (n > first)
		memcpy((unsigned char *)out + (size_t)first * es, r->slots, (size_t)(n - first) * es);
	atomic_store_explicit(&r->tail, tail + n, memory_order_release);
	return n;
}

uint32_t ring_count(struct ring *r)
{
	/* tail first: head only grows, so head - tail cannot go negative; a
	 * stale tail can overstate, hence the clamp. */
	uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	uint32_t n = head - tail;
	uint32_t cap = ring_capacity(r);
	return n > cap ? cap : n;
}
