/* arrays.c: see arrays.h. The list of arrays grows by doubling; the arrays
 * stay separate allocations, so each keeps malloc's alignment. */
#include <stdlib.h>

#include "overparam/arrays.h"

void *arrays_alloc(struct arrays *a, size_t count, size_t size)
{
	if (a->failed)
		return NULL;
	if (a->n == a->cap) {
		int cap = a->cap > 0 ? 2 * a->cap : 8;
		void **grown = realloc(a->ptr, (size_t)cap * sizeof *grown);
		if (!grown) {
			a->failed = true;
			return NULL;
		}
		a->ptr = grown;
		a->cap = cap;
	}
	void *p = calloc(count > 0 ? count : 1, size);
	if (!p) {
		a->failed = true;
		return NULL;
	}
	a->ptr[a->n++] = p;
	return p;
}

void arrays_free(struct arrays *a)
{
	for (int i = 0; i < a->n; i++)
		free(a->ptr[i]);
	free(a->ptr);
	*a = (struct arrays){0};
}
