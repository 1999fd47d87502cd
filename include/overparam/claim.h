/* claim.h: what a scenario says about its run, as code. A claim is a
 * predicate over the run's own records and a sentence filled with the
 * figures it computed, so no number on screen or in a report is typed by
 * hand. The Why panel shows each claim's live verdict; headless prints one
 * CLAIM line each; `--study N` counts how many seeds it holds at. */
#ifndef OVERPARAM_CLAIM_H
#define OVERPARAM_CLAIM_H

#include <stdbool.h>
#include <stddef.h>

struct scenario;
struct run_desc;
struct history;

enum claim_verdict {
	CLAIM_NOT_YET,   /* the run is still going and the predicate does not hold yet */
	CLAIM_HOLDS,     /* holds now (live) or held at the end (finished) */
	CLAIM_FAILS,     /* the run finished and the predicate does not hold */
	CLAIM_UNDECIDED, /* no verdict can be drawn: diverged, or a figure is missing */
};

#define CLAIM_TEXT_MAX 200

/* One evaluation of a claim on the records so far. */
struct claim_eval {
	enum claim_verdict verdict;
	double figure;              /* the one number the seed study summarises (NaN: none) */
	char text[CLAIM_TEXT_MAX];  /* the sentence with this run's figures */
};

struct claim {
	const char *id;       /* short, stable, [a-z0-9-]: "ticket-beats-reinit" */
	const char *figure;   /* what figure is, for the study's table: "re-init/ticket loss ratio" */
	/* Fills e->text and e->figure from the run's records; `finished` says
	 * the run is over (a predicate that does not hold then FAILS; before,
	 * it is NOT_YET). Returns the verdict, also stored in e->verdict. Pure:
	 * reads only its arguments, so the UI and headless agree. */
	enum claim_verdict (*eval)(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				   bool finished, struct claim_eval *e);
	/* NULL: about every scenario of its kind; else whether it is about
	 * this one (a spiked covariance is the benign one, say). */
	bool (*applies)(const struct scenario *sc);
};

/* The most claims one kind declares. */
#define CLAIM_MAX 8

/* The word a verdict is shown as: "holds", "not yet", "fails", "undecided". */
const char *claim_verdict_word(enum claim_verdict v);

/* The claims of sc's kind that apply to sc, evaluated on h in their
 * order: which[i] and e[i] for each, at most CLAIM_MAX. Returns how many. */
int claim_evaluate(const struct scenario *sc, const struct run_desc *d, const struct history *h, bool finished,
		   const struct claim **which /* (CLAIM_MAX) */, struct claim_eval *e /* (CLAIM_MAX) */);

#endif
