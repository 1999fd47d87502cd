/* meta.h: inside the store: what a run's row holds (meta.c builds it on
 * the producer's thread) and the writer thread's state (writer.c). */
#ifndef OVERPARAM_STORE_META_H
#define OVERPARAM_STORE_META_H

#include <sqlite3.h>
#include <stdint.h>

#include "overparam/experiment.h"
#include "overparam/store.h"

struct run_meta {
	char scenario[256], title[64], kind[32], mode[16];
	char *text;  /* the file as read, and a comment block with what changed it */
	char *sets;  /* the --set overrides, one a line */
	char knobs[256]; /* "lr=0.01 depth=2" */
	uint64_t seed;
	double started; /* Unix seconds */
	int planned;
	int n_series;
	char labels[RUN_MAX_SERIES][32];
	int headline; /* enum metric: the first line chart's first curve, -1 none */
};

struct run_meta *meta_make(const struct scenario *sc, uint64_t seed, const char *mode);
void meta_free(struct run_meta *m);
/* The knobs as "lr=0.01 depth=2" (the stored form; replay reads it back). */
void meta_knobs(const struct scenario *sc, char *buf /* (len) */, size_t len);

/* What the producer hands the writer, in order. */
enum entry_kind { E_BEGIN, E_REC, E_END, E_PAUSED };

struct entry {
	enum entry_kind kind;
	union {
		struct op_record rec;     /* E_REC */
		struct run_meta *meta;    /* E_BEGIN: the writer's to free */
		enum store_status status; /* E_END */
		int paused;               /* E_PAUSED: 1 paused, 0 running */
	} u;
};

struct writer {
	sqlite3 *db;
	sqlite3_stmt *ins_run, *ins_series, *ins_rec, *end_run, *set_paused;
	struct store_settings set;
	int64_t run;          /* the open run's id, 0: none */
	int64_t seq;          /* its records so far */
	uint32_t epochs;
	int headline;
	int n_series;
	char labels[RUN_MAX_SERIES][32];
	double last[RUN_MAX_SERIES]; /* latest value of the headline metric, NaN: none */
};

int writer_init(struct writer *w, sqlite3 *db, const struct store_settings *s, char *err, size_t errlen);
/* One batch in one transaction, then retention when a run ended in it.
 * Returns 0, or -1 with the reason in why (nothing of the batch kept). */
int writer_commit(struct writer *w, const struct entry *e /* (n) */, size_t n, char *why, size_t whylen);
void writer_free(struct writer *w);

#endif
