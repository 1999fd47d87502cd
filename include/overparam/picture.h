/* picture.h: a run's panels as a picture for slides (SVG, PNG or PDF,
 * drawn with cairo): the line charts with real axes and legends, the bar
 * charts, split bars and tables, the title, and the claims with their
 * verdicts. A picture is taken from the history in two steps: a snapshot
 * (cheap, the caller's thread, bounded by the pixels, not the epochs), and
 * the drawing, which needs nothing else and may run on another thread. */
#ifndef OVERPARAM_PICTURE_H
#define OVERPARAM_PICTURE_H

#include <stdbool.h>
#include <stddef.h>

#include "overparam/experiment.h"
#include "overparam/history.h"
#include "overparam/scenario.h"

/* A 16:9 slide, in pixels (PNG) or points (SVG, PDF). */
#define PICTURE_WIDTH 1600
#define PICTURE_HEIGHT 900

enum picture_format { PICTURE_SVG, PICTURE_PNG, PICTURE_PDF };

struct picture; /* the snapshot */

/* The format a path's extension names (.svg, .png, .pdf, any case);
 * false for any other. */
bool picture_format_of(const char *path, enum picture_format *out);

/* Takes what the picture shows from a run: view -1 for every panel but the
 * notes (the claims take their place), or one view index (a zoomed panel).
 * dark: light text on a dark ground (the dark theme); else the light one,
 * which prints. NULL when out of memory. */
struct picture *picture_snapshot(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				 int view, bool dark);
void picture_free(struct picture *p);

/* Draws the snapshot into path, whole or not at all (a temporary file in
 * the same folder, then put in place). keep: never replace a file, take
 * path-2, path-3 ... instead; else path is replaced. final (PATH_MAX, may
 * be NULL) gets the name written. Returns 0, or -1 with the reason in err. */
int picture_write(const struct picture *p, const char *path, enum picture_format f, bool keep,
		  char *final /* (PATH_MAX) */, char *err /* (len) */, size_t len);

#endif
