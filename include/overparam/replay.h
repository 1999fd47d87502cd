/* replay.h: `--replay [RUN]`, a stored run played back through the live
 * UI with no training (src/store/replay.c). */
#ifndef OVERPARAM_REPLAY_H
#define OVERPARAM_REPLAY_H

#include <stddef.h>

#include "overparam/experiment.h"
#include "overparam/store.h"

/* Reads run `id` (0: the newest) of the store: its scenario, rebuilt from
 * the stored text, --set overrides and knobs, with the stored seed, into
 * *sc, and its records. Returns 0, or -1 with one line in err. */
int replay_load(const struct store_settings *set, long long id, struct scenario *sc, char *err /* (errlen) */,
		size_t errlen);
/* The kind's descriptor with create/step/destroy replaced: each step
 * emits one stored epoch's records. For trainer_config.ops. */
const struct experiment_ops *replay_ops(void);
void replay_free(void);

/* Run `id` of the store for --compare: its scenario file (as given) and
 * knobs into path and knobs, then each of its records to take(ctx, rec)
 * (take NULL: only check that it is there). Returns 0, or -1 with one
 * line in err. */
int replay_each(const struct store_settings *set, long long id, char *path /* (256) */, char *knobs /* (256) */,
		void (*take)(void *ctx, const struct op_record *rec), void *ctx, char *err /* (errlen) */,
		size_t errlen);

#endif
