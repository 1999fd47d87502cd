/* arrays.h: the arrays one object owns, each allocated on its own and all
 * freed together. A constructor takes every array from one `struct arrays`
 * and checks for failure once; its destructor frees them in one call. Used
 * by the numerics workspaces and by the experiments. */
#ifndef OVERPARAM_ARRAYS_H
#define OVERPARAM_ARRAYS_H

#include <stdbool.h>
#include <stddef.h>

/* Zero-initialised, it owns nothing. */
struct arrays {
	void **ptr;  /* (cap) the arrays handed out, n of them */
	int n, cap;
	bool failed; /* an allocation failed: the owner is unusable */
};

/* A zeroed array of `count` elements of `size` bytes (at least one element,
 * so an empty array is no failure), owned by a. Returns NULL and sets
 * a->failed when out of memory; once failed, every later call returns NULL. */
void *arrays_alloc(struct arrays *a, size_t count, size_t size);

/* Frees every array a owns; a owns nothing again. */
void arrays_free(struct arrays *a);

#endif
