/* claim.c: what claims share (claim.h). */
#include <math.h>

#include "overparam/claim.h"
#include "overparam/experiment.h"

const char *claim_verdict_word(enum claim_verdict v)
{
	switch (v) {
	case CLAIM_NOT_YET:
		return "not yet";
	case CLAIM_HOLDS:
		return "holds";
	case CLAIM_FAILS:
		return "fails";
	case CLAIM_UNDECIDED:
		break;
	}
	return "undecided";
}

int claim_evaluate(const struct scenario *sc, const struct run_desc *d, const struct history *h, bool finished,
		   const struct claim **which /* (CLAIM_MAX) */, struct claim_eval *e /* (CLAIM_MAX) */)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	int n = 0;
	for (int i = 0; ops && i < ops->n_claims && n < CLAIM_MAX; i++) {
		const struct claim *c = &ops->claims[i];
		if (c->applies && !c->applies(sc))
			continue;
		e[n] = (struct claim_eval){.verdict = CLAIM_UNDECIDED, .figure = NAN};
		e[n].verdict = c->eval(sc, d, h, finished, &e[n]);
		which[n++] = c;
	}
	return n;
}
