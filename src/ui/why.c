/* why.c: the Why panel's text: each claim of the run on screen with its
 * live verdict and figures (claim.h), then the scenario's notes. The
 * claims are evaluated again only when the history has changed. */
#include <stdio.h>
#include <string.h>

#include "ui/app.h"

size_t why_claims(const struct app *a, char *out, size_t cap)
{
	const struct scenario *sc = &a->sc[a->cur];
	const struct claim *which[CLAIM_MAX];
	struct claim_eval e[CLAIM_MAX];
	int n = claim_evaluate(sc, app_desc(a), &a->hist, a->hist.done, which, e);
	size_t used = 0;
	out[0] = 0;
	for (int i = 0; i < n && used < cap; i++)
		used += (size_t)snprintf(out + used, cap - used, "[%s] %s\n", claim_verdict_word(e[i].verdict), e[i].text);
	return used < cap ? used : cap;
}

/* "[verdict] sentence" a claim, then the notes: the verdict is a word, so
 * it reads the same without colour. */
static void compose(const struct app *a, char *out, size_t cap)
{
	const struct scenario *sc = &a->sc[a->cur];
	size_t used = why_claims(a, out, cap);
	if (used < cap)
		snprintf(out + used, cap - used, "%s", sc->notes[0] ? sc->notes : sc->summary);
}

const char *why_text(struct app *a)
{
	if (a->why_changes != a->hist.changes || a->why_scenario != a->cur || !a->why[0]) {
		compose(a, a->why, sizeof a->why);
		a->why_changes = a->hist.changes;
		a->why_scenario = a->cur;
	}
	return a->why;
}

bool why_update(struct app *a)
{
	if (a->why_changes == a->hist.changes && a->why_scenario == a->cur && a->why[0])
		return false;
	char old[sizeof a->why];
	memcpy(old, a->why, sizeof old);
	why_text(a);
	return strcmp(old, a->why) != 0;
}
