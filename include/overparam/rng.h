/* rng.h: seeded, reproducible random streams. One stream per model and per
 * data set, so changing one model's size never changes another's draws. */
#ifndef OVERPARAM_RNG_H
#define OVERPARAM_RNG_H

#include <stdint.h>

/* xoshiro256** state seeded through splitmix64. */
struct rng {
	uint64_t s[4];
};

/* Independent stream `stream` of seed `seed` (e.g. stream = model index). */
void rng_seed(struct rng *r, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1) with 53 random bits. */
double rng_uniform(struct rng *r);
/* Standard normal (Box-Muller; no cached second value, so streams stay
 * position-independent). */
double rng_normal(struct rng *r);

#endif
