/* optim.h: SGD and Adam with PyTorch's update formulas (torch.optim.SGD with
 * no momentum; torch.optim.Adam with bias correction, eps outside the sqrt). */
#ifndef OVERPARAM_OPTIM_H
#define OVERPARAM_OPTIM_H

#include <stddef.h>

enum optim_kind { OPTIM_SGD, OPTIM_ADAM };

struct optim {
	enum optim_kind kind;
	size_t n;
	double lr, beta1, beta2, eps;
	long t;   /* steps taken (Adam's bias correction) */
	float *m; /* (n) Adam first moment, NULL for SGD */
	float *v; /* (n) Adam second moment, NULL for SGD */
};

/* Adam uses beta1 0.9, beta2 0.999, eps 1e-8. Returns 0 or -1 (no memory). */
int optim_create(struct optim *o, enum optim_kind kind, size_t n, double lr);
void optim_destroy(struct optim *o);
/* Back to step 0 with zero moments. */
void optim_reset(struct optim *o);
void optim_step(struct optim *o, float *params /* (n) */, const float *grads /* (n) */);

/* One step split over threads: optim_step_begin counts the step (once), then
 * optim_step_range applies that step to params[begin, end) only. Disjoint
 * ranges may run on different threads at once, after begin; the result is
 * bit for bit that of optim_step. optim_step is begin plus the whole range. */
void optim_step_begin(struct optim *o);
void optim_step_range(const struct optim *o, float *params /* (n) */, const float *grads /* (n) */, size_t begin,
		      size_t end);

#endif
