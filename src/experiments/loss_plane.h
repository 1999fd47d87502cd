/* loss_plane.h: the loss plane kind's map and its coordinates, for the
 * kind and its tests (src/experiments/loss_plane.c). */
#ifndef OVERPARAM_EXPERIMENTS_LOSS_PLANE_H
#define OVERPARAM_EXPERIMENTS_LOSS_PLANE_H

#include "overparam/experiment.h"

#define LOSS_PLANE_COLS 61        /* the map: fits an 80-column screen at two pixels a cell */
#define LOSS_PLANE_ROWS 41
#define LOSS_PLANE_SERIES 4       /* the map's series, after curved_path's A, B, line, curve */
#define LOSS_PLANE_PATH_POINTS 41 /* points of each path drawn on the map */

/* Where the map lies in the plane's coordinates: column c is at
 * x = x0 + c step, row r at y = y0 - r step (row 0 on top); and the
 * points marked on it, (px[k], py[k]). */
struct loss_plane_frame {
	double x0, y0, step;
	int n;
	double px[3], py[3];
};

/* The frame with square cells around the n points (their bounding box
 * and a margin of MARGIN of its larger side each way, centred). */
void loss_plane_frame_fit(struct loss_plane_frame *f, const double *px /* (n) */, const double *py /* (n) */,
			  int n);
/* Map position (fractional column, row) of plane point (x, y). */
static inline double loss_plane_col(const struct loss_plane_frame *f, double x)
{
	return (x - f->x0) / f->step;
}
static inline double loss_plane_row(const struct loss_plane_frame *f, double y)
{
	return (f->y0 - y) / f->step;
}

/* For tests, on a run that has mapped its plane: the training loss at
 * plane point (x, y), as the map computes it; and the three trained points. */
double loss_plane_loss_at(struct experiment *x, double px, double py);
void loss_plane_points(struct experiment *x, const float **a, const float **b, const float **bend);

#endif
