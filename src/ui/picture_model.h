/* picture_model.h: the snapshot a picture is drawn from (picture.c takes
 * it, picture_draw.c draws it with cairo). Plain values only: the drawing
 * may run on another thread while the run goes on. */
#ifndef OVERPARAM_UI_PICTURE_MODEL_H
#define OVERPARAM_UI_PICTURE_MODEL_H

#include <cairo.h>
#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "overparam/claim.h"
#include "overparam/experiment.h"

#define PIC_COLS 800        /* columns a curve is summarised into */
#define PIC_MAX_CURVES (VIEW_MAX_METRICS * RUN_MAX_SERIES)
#define PIC_MAX_CLAIMS 8

struct pic_curve {
	char label[64];
	float lo[PIC_COLS], hi[PIC_COLS]; /* min and max of each column, NaN: none */
	bool any;                         /* a finite point at all */
	double lo_all, hi_all, minpos;    /* over every column */
	bool diverged;
};

struct pic_view {
	enum view_kind kind;
	char title[64];
	char pending[64]; /* said in the empty plot until its first value (view_spec.pending) */
	int scale_group; /* views of one nonzero group share their y scale */
	/* lines */
	bool log_y, x_grid;
	uint32_t span; /* x runs over 0 .. span: epochs or grid positions */
	int ncurves;
	struct pic_curve curve[PIC_MAX_CURVES];
	double hline, vline;
	char hline_label[48], vline_label[48];
	/* bars */
	int nbars;
	double bar[RUN_MAX_GRID];
	double bar_levels[2];
	char bar_labels[3][32];
	/* split: per series signal, other, and the closed-form min-norm pair */
	int nsplit;
	char split_label[RUN_MAX_SERIES][32];
	double split[RUN_MAX_SERIES][4];
	/* heat: the map (map_cols x map_rows, row 0 on top), its marks and paths */
	int map_cols, map_rows;
	double *map;                    /* (map_rows, map_cols) row-major, NaN: not yet */
	int nmarks;
	double mark[VIEW_MAX_MARKS][2]; /* map position: column, row */
	char mark_label[VIEW_MAX_MARKS][16];
	int npaths;
	double path[RUN_MAX_SERIES][RUN_MAX_GRID]; /* column, row pairs, NaN past the end */
	char path_label[RUN_MAX_SERIES][32];
	/* table */
	int nrows, ncols;
	char head[TABLE_MAX_COLS][32];
	char cell[RUN_MAX_SERIES][TABLE_MAX_COLS][40];
	bool cell_bad[RUN_MAX_SERIES][TABLE_MAX_COLS];
};

struct picture {
	bool dark;
	char title[96], subtitle[96];
	int n_grid;
	double grid_x[RUN_MAX_GRID];
	char grid_name[24];
	int nviews;
	struct pic_view view[RUN_MAX_VIEWS];
	int nclaims;
	char claim[PIC_MAX_CLAIMS][CLAIM_TEXT_MAX];
	enum claim_verdict claim_verdict[PIC_MAX_CLAIMS];
};

/* Draws p on a PICTURE_WIDTH x PICTURE_HEIGHT surface. */
void picture_draw(cairo_t *cr, const struct picture *p);

#endif
