/* claim_lines.c: see claim_lines.h. */
#include "experiments/claim_lines.h"

void claim_lines_print(const struct claim *claims /* (n) */, int n, const struct scenario *sc,
		       const struct run_desc *d, const struct history *h, FILE *out)
{
	for (int i = 0; i < n; i++) {
		struct claim_eval e = {0};
		e.verdict = claims[i].eval(sc, d, h, h->done, &e);
		fprintf(out, "CLAIM %s: %s: %s\n", claims[i].id, e.text, claim_verdict_word(e.verdict));
	}
}
