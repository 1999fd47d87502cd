/* claim.c: what claims share (claim.h). */
#include "overparam/claim.h"

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
