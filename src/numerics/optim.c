/* optim.c: torch.optim.SGD (no momentum) and torch.optim.Adam (torch 1.13,
 * single-tensor path). Per-step scalars are formed once in double; the
 * per-parameter work is one fused float32 loop, as torch does it. A step may
 * be split into ranges run by different threads (the width sweep's widest
 * net): every parameter's update depends on that parameter alone. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "overparam/optim.h"

int optim_create(struct optim *o, enum optim_kind kind, size_t n, double lr)
{
	memset(o, 0, sizeof *o);
	o->kind = kind;
	o->n = n;
	o->lr = lr;
	o->beta1 = 0.9;
	o->beta2 = 0.999;
	o->eps = 1e-8;
	if (kind == OPTIM_ADAM) {
		/* calloc(0) may return NULL; ask for at least one element. */
		o->m = calloc(n ? n : 1, sizeof *o->m);
		o->v = calloc(n ? n : 1, sizeof *o->v);
		if (!o->m || !o->v) {
			optim_destroy(o);
			return -1;
		}
	}
	return 0;
}

void optim_destroy(struct optim *o)
{
	free(o->m);
	free(o->v);
	o->m = NULL;
	o->v = NULL;
	o->t = 0;
}

void optim_reset(struct optim *o)
{
	o->t = 0;
	if (o->m)
		memset(o->m, 0, o->n * sizeof *o->m);
	if (o->v)
		memset(o->v, 0, o->n * sizeof *o->v);
}

/* Both loops run in blocks of OPTIM_BLOCK with a constant inner trip count,
 * which GCC vectorizes even at -O2 (a plain loop of unknown length stays
 * scalar there); a short scalar tail finishes. Adam's block vectorizes only
 * under -fno-math-errno: otherwise sqrtf may set errno, which keeps it a
 * scalar call.
 *
 * The build targets baseline x86-64 (SSE2, 4 floats a vector), and Adam is
 * bound by its divides and square root, so on x86-64 it is also compiled for
 * AVX2 and AVX-512 and the widest the CPU has is picked at load time (ifunc):
 * about 2.5x faster on the 42,601-parameter net. IEEE division and square
 * root are correctly rounded at every vector width and -std=c11 forbids FMA
 * contraction, so every version gives the same bits (tests/test_optim.c
 * checks against a one-float-at-a-time loop). */
#define OPTIM_BLOCK 16

/* Not under ThreadSanitizer: the ifunc resolver GCC writes would run,
 * instrumented, before the TSan runtime is up. */
#if defined(__GNUC__) && defined(__x86_64__) && defined(__linux__) && !defined(__clang__) && !defined(__SANITIZE_THREAD__)
#define OPTIM_WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define OPTIM_WIDE
#endif

static void sgd_update(size_t n, float lr, float *restrict p /* (n) */, const float *restrict g /* (n) */)
{
	size_t i = 0;

	for (; i + OPTIM_BLOCK <= n; i += OPTIM_BLOCK)
		for (int k = 0; k < OPTIM_BLOCK; k++)
			p[i + k] -= lr * g[i + k];
	for (; i < n; i++)
		p[i] -= lr * g[i];
}

/* The per-parameter scalars of one Adam step, in float as torch applies them. */
struct adam_coef {
	float b1, c1, b2, c2, sqrt_bc2, eps, step;
};

/* m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps), in torch's order. */
OPTIM_WIDE
static void adam_update(struct adam_coef c, size_t n, float *restrict p /* (n) */, float *restrict m /* (n) */,
			float *restrict v /* (n) */, const float *restrict g /* (n) */)
{
	size_t i = 0;

	for (; i + OPTIM_BLOCK <= n; i += OPTIM_BLOCK) {
		for (int k = 0; k < OPTIM_BLOCK; k++) {
			float mk = c.b1 * m[i + k] + c.c1 * g[i + k];
			float vk = c.b2 * v[i + k] + c.c2 * g[i + k] * g[i + k];

			m[i + k] = mk;
			v[i + k] = vk;
			p[i + k] -= c.step * (mk / (sqrtf(vk) / c.sqrt_bc2 + c.eps));
		}
	}
	for (; i < n; i++) {
		float mk = c.b1 * m[i] + c.c1 * g[i];
		float vk = c.b2 * v[i] + c.c2 * g[i] * g[i];

		m[i] = mk;
		v[i] = vk;
		p[i] -= c.step * (mk / (sqrtf(vk) / c.sqrt_bc2 + c.eps));
	}
}

static struct adam_coef adam_coef_at(const struct optim *o)
{
	const double bc1 = 1.0 - pow(o->beta1, (double)o->t);
	const double bc2 = 1.0 - pow(o->beta2, (double)o->t);

	return (struct adam_coef){
		.b1 = (float)o->beta1,
		.c1 = (float)(1.0 - o->beta1),
		.b2 = (float)o->beta2,
		.c2 = (float)(1.0 - o->beta2),
		.sqrt_bc2 = (float)sqrt(bc2),
		.eps = (float)o->eps,
		.step = (float)(o->lr / bc1),
	};
}

void optim_step_begin(struct optim *o)
{
	o->t++;
}

void optim_step_range(const struct optim *o, float *params /* (n) */, const float *grads /* (n) */, size_t begin,
		      size_t end)
{
	if (end > o->n)
		end = o->n;
	if (begin >= end)
		return;
	size_t len = end - begin;

	if (o->kind == OPTIM_ADAM)
		adam_update(adam_coef_at(o), len, params + begin, o->m + begin, o->v + begin, grads + begin);
	else
		sgd_update(len, (float)o->lr, params + begin, grads + begin);
}

void optim_step(struct optim *o, float *params /* (n) */, const float *grads /* (n) */)
{
	optim_step_begin(o);
	optim_step_range(o, params, grads, 0, o->n);
}
