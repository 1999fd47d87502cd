/* picture.c: the snapshot a picture is drawn from (picture.h), and writing
 * it to a file whole or not at all. A line chart's curves are taken as the
 * per-column min/max summaries the terminal chart draws from (plot.h), at
 * the picture's width, so a snapshot costs the same however long the run
 * was, and it holds no pointer into the history. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "overparam/picture.h"
#include "ui/picture_model.h"
#include "ui/widgets.h"

bool picture_format_of(const char *path, enum picture_format *out)
{
	const char *dot = path ? strrchr(path, '.') : NULL;
	if (!dot || strchr(dot, '/'))
		return false;
	if (!strcasecmp(dot, ".svg"))
		*out = PICTURE_SVG;
	else if (!strcasecmp(dot, ".png"))
		*out = PICTURE_PNG;
	else if (!strcasecmp(dot, ".pdf"))
		*out = PICTURE_PDF;
	else
		return false;
	return true;
}

/* A curve's label as the terminal legend gives it. */
static void curve_label(struct pic_curve *pc, const struct view_spec *v, const struct run_desc *d, int s,
			enum metric m, int nseries)
{
	const struct metric_info *mi = metric_info(m);
	const char *ml = mi ? mi->label : metric_name(m);
	if (v->n_metrics == 1)
		snprintf(pc->label, sizeof pc->label, "%s", d->series_label[s]);
	else if (nseries == 1)
		snprintf(pc->label, sizeof pc->label, "%s", ml);
	else
		snprintf(pc->label, sizeof pc->label, "%s %s", d->series_label[s], ml);
}

/* A grid curve's values as points (index, value). */
static void grid_series(const struct history *h, const struct run_desc *d, int s, enum metric m,
			struct point_series *ps, uint32_t *idx /* (RUN_MAX_GRID) */, double *val /* (RUN_MAX_GRID) */)
{
	const double *g = history_grid(h, s, m);
	*ps = (struct point_series){.epoch = idx, .value = val, .cap = RUN_MAX_GRID};
	for (int i = 0; g && i < d->n_grid && i < RUN_MAX_GRID; i++)
		if (!isnan(g[i])) {
			idx[ps->n] = (uint32_t)i;
			val[ps->n] = g[i];
			ps->n++;
		}
}

/* The column summary of one curve into pc (PIC_COLS columns). */
static int take_curve(struct pic_curve *pc, const struct view_spec *v, const struct run_desc *d,
		      const struct history *h, int s, enum metric m, uint32_t span)
{
	struct colsum cs;
	colsum_init(&cs);
	if (colsum_reset(&cs, PIC_COLS, span) != 0)
		return -1;
	if (v->x_grid) {
		struct point_series ps;
		uint32_t idx[RUN_MAX_GRID];
		double val[RUN_MAX_GRID];
		grid_series(h, d, s, m, &ps, idx, val);
		colsum_update(&cs, &ps);
	} else {
		colsum_update_folded(&cs, &h->pts[s][m], &h->fold[s][m]);
	}
	for (int i = 0; i < PIC_COLS; i++) {
		pc->lo[i] = cs.min[i];
		pc->hi[i] = cs.max[i];
	}
	double lo, hi, minpos;
	pc->any = colsum_extent(&cs, &lo, &hi, &minpos);
	pc->lo_all = lo;
	pc->hi_all = hi;
	pc->minpos = minpos;
	colsum_free(&cs);
	pc->diverged = h->diverged[s];
	return 0;
}

static int take_lines(struct pic_view *pv, const struct view_spec *v, const struct run_desc *d,
		      const struct history *h)
{
	int series[RUN_MAX_SERIES];
	int ns = view_list_series(v, d->n_series, series);
	uint32_t span = v->x_grid ? (uint32_t)(d->n_grid > 1 ? d->n_grid - 1 : 1)
				  : (uint32_t)(d->planned_epochs > 0 ? d->planned_epochs : 1);
	pv->span = span;
	for (int mi = 0; mi < v->n_metrics && mi < VIEW_MAX_METRICS; mi++)
		for (int i = 0; i < ns && pv->ncurves < PIC_MAX_CURVES; i++) {
			struct pic_curve *pc = &pv->curve[pv->ncurves++];
			curve_label(pc, v, d, series[i], v->metrics[mi], ns);
			if (take_curve(pc, v, d, h, series[i], v->metrics[mi], span) != 0)
				return -1;
		}
	return 0;
}

static void take_bars(struct pic_view *pv, const struct view_spec *v, const struct run_desc *d,
		      const struct history *h)
{
	int series[RUN_MAX_SERIES];
	int s = view_list_series(v, d->n_series, series) > 0 ? series[0] : 0;
	const double *g = history_grid(h, s, v->metrics[0]);
	pv->nbars = d->n_grid < RUN_MAX_GRID ? d->n_grid : RUN_MAX_GRID;
	for (int i = 0; i < pv->nbars; i++)
		pv->bar[i] = g ? g[i] : NAN;
}

static void take_split(struct pic_view *pv, const struct view_spec *v, const struct run_desc *d,
		       const struct history *h)
{
	int series[RUN_MAX_SERIES];
	int ns = view_list_series(v, RUN_MAX_SERIES, series);
	if (ns == 0)
		series[ns++] = 0;
	pv->nsplit = ns;
	for (int i = 0; i < ns; i++) {
		int s = series[i];
		snprintf(pv->split_label[i], sizeof pv->split_label[i], "%s", d->series_label[s]);
		for (int k = 0; k < 4; k++)
			pv->split[i][k] = k < v->n_metrics && h->seen[s][v->metrics[k]] ? h->last[s][v->metrics[k]] : NAN;
	}
}

static void take_table(struct pic_view *pv, const struct view_spec *v, const struct run_desc *d,
		       const struct history *h)
{
	int series[RUN_MAX_SERIES];
	int ns = view_list_series(v, d->n_series, series);
	pv->ncols = v->n_cols < TABLE_MAX_COLS ? v->n_cols : TABLE_MAX_COLS;
	pv->nrows = ns;
	for (int c = 0; c < pv->ncols; c++) {
		snprintf(pv->head[c], sizeof pv->head[c], "%s", v->cols[c].head);
		for (int r = 0; r < ns; r++) {
			enum ui_role role;
			table_cell_text(&v->cols[c], d, h, series[r], pv->cell[r][c], sizeof pv->cell[r][c], &role);
			pv->cell_bad[r][c] = role == ROLE_BAD;
		}
	}
}

static int take_heat(struct pic_view *pv, const struct view_spec *v, const struct run_desc *d,
		     const struct history *h)
{
	int s = 0;
	while (s < RUN_MAX_SERIES - 1 && !((v->series_mask >> s) & 1u))
		s++;
	pv->map_cols = v->map_cols;
	pv->map_rows = v->map_rows;
	size_t n = (size_t)v->map_cols * (size_t)v->map_rows;
	if (n == 0 || n > RUN_MAX_MAP || !(pv->map = malloc(n * sizeof *pv->map)))
		return n == 0 || n > RUN_MAX_MAP ? 0 : -1;
	const double *m = history_grid(h, s, v->metrics[0]);
	for (size_t i = 0; i < n; i++)
		pv->map[i] = m ? m[i] : NAN;
	const double *marks = v->n_metrics > 1 ? history_grid(h, s, v->metrics[1]) : NULL;
	for (int k = 0; marks && k < VIEW_MAX_MARKS && v->mark_labels[k]; k++, pv->nmarks++) {
		pv->mark[k][0] = marks[2 * (size_t)k];
		pv->mark[k][1] = marks[2 * (size_t)k + 1];
		snprintf(pv->mark_label[k], sizeof pv->mark_label[k], "%s", v->mark_labels[k]);
	}
	for (int p = 0; v->n_metrics > 2 && p < d->n_series && p < RUN_MAX_SERIES; p++) {
		const double *g = history_grid(h, p, v->metrics[2]);
		if (!((v->path_mask >> p) & 1u) || !g)
			continue;
		memcpy(pv->path[pv->npaths], g, sizeof pv->path[0]);
		snprintf(pv->path_label[pv->npaths++], sizeof pv->path_label[0], "%s", d->series_label[p]);
	}
	return 0;
}

static int take_view(struct pic_view *pv, const struct view_spec *v, const struct run_desc *d,
		     const struct history *h)
{
	pv->kind = v->kind;
	pv->scale_group = v->scale_group;
	snprintf(pv->title, sizeof pv->title, "%s", v->title ? v->title : "");
	snprintf(pv->pending, sizeof pv->pending, "%s", v->pending ? v->pending : "");
	pv->log_y = v->log_y;
	pv->x_grid = v->x_grid;
	/* a line the run measured (hline_run) or the view's own */
	pv->hline = !v->hline_run ? v->hline : (h->seen[0][v->hline_metric] ? h->last[0][v->hline_metric] : NAN);
	snprintf(pv->hline_label, sizeof pv->hline_label, "%s", v->hline_label ? v->hline_label : "");
	pv->vline = v->vline;
	snprintf(pv->vline_label, sizeof pv->vline_label, "%s", v->vline_label ? v->vline_label : "");
	pv->bar_levels[0] = v->bar_levels[0];
	pv->bar_levels[1] = v->bar_levels[1];
	for (int i = 0; i < 3; i++)
		snprintf(pv->bar_labels[i], sizeof pv->bar_labels[i], "%s", v->bar_labels[i] ? v->bar_labels[i] : "");
	switch (v->kind) {
	case VIEW_LINES:
		return take_lines(pv, v, d, h);
	case VIEW_BARS:
		take_bars(pv, v, d, h);
		break;
	case VIEW_SPLIT:
		take_split(pv, v, d, h);
		break;
	case VIEW_TABLE:
		take_table(pv, v, d, h);
		break;
	case VIEW_HEAT:
		return take_heat(pv, v, d, h);
	case VIEW_TEXT:
		break;
	}
	return 0;
}

/* The claims with their verdicts on the records so far. */
static void take_claims(struct picture *p, const struct scenario *sc, const struct run_desc *d,
			const struct history *h)
{
	const struct experiment_ops *ops = experiment_ops_for(sc->kind);
	for (int i = 0; ops && i < ops->n_claims && p->nclaims < PIC_MAX_CLAIMS; i++) {
		struct claim_eval e = {.verdict = CLAIM_UNDECIDED, .figure = NAN};
		e.verdict = ops->claims[i].eval(sc, d, h, h->done, &e);
		p->claim_verdict[p->nclaims] = e.verdict;
		snprintf(p->claim[p->nclaims], sizeof p->claim[p->nclaims], "%s", e.text);
		p->nclaims++;
	}
}

struct picture *picture_snapshot(const struct scenario *sc, const struct run_desc *d, const struct history *h,
				 int view, bool dark)
{
	struct picture *p = calloc(1, sizeof *p);
	if (!p)
		return NULL;
	p->dark = dark;
	snprintf(p->title, sizeof p->title, "%s", sc->title);
	snprintf(p->subtitle, sizeof p->subtitle, "seed %llu, %s %u of %d%s", (unsigned long long)h->seed,
		 "epoch", h->epoch, d->planned_epochs, h->done ? ", done" : "");
	p->n_grid = d->n_grid < RUN_MAX_GRID ? d->n_grid : RUN_MAX_GRID;
	memcpy(p->grid_x, d->grid_x, sizeof(double) * (size_t)p->n_grid);
	snprintf(p->grid_name, sizeof p->grid_name, "%s", d->grid_name ? d->grid_name : "");
	for (int i = 0; i < d->n_views && i < RUN_MAX_VIEWS; i++) {
		if (view >= 0 && i != view)
			continue;
		if (d->views[i].kind == VIEW_TEXT)
			continue;
		if (take_view(&p->view[p->nviews++], &d->views[i], d, h) != 0) {
			picture_free(p);
			return NULL;
		}
	}
	take_claims(p, sc, d, h);
	return p;
}

void picture_free(struct picture *p)
{
	for (int i = 0; p && i < p->nviews; i++)
		free(p->view[i].map);
	free(p);
}

/* ---- the file, whole or not at all ---- */

static cairo_status_t write_fd(void *closure, const unsigned char *data, unsigned int length)
{
	int fd = *(int *)closure;
	while (length > 0) {
		ssize_t n = write(fd, data, length);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return CAIRO_STATUS_WRITE_ERROR;
		data += n;
		length -= (unsigned)n;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* Draws p onto a surface writing to fd. Returns cairo's status. */
static cairo_status_t render_to(const struct picture *p, int *fd, enum picture_format f)
{
	cairo_surface_t *s;
	if (f == PICTURE_SVG)
		s = cairo_svg_surface_create_for_stream(write_fd, fd, PICTURE_WIDTH, PICTURE_HEIGHT);
	else if (f == PICTURE_PDF)
		s = cairo_pdf_surface_create_for_stream(write_fd, fd, PICTURE_WIDTH, PICTURE_HEIGHT);
	else
		s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, PICTURE_WIDTH, PICTURE_HEIGHT);
	cairo_t *cr = cairo_create(s);
	picture_draw(cr, p);
	cairo_status_t st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS && f == PICTURE_PNG)
		st = cairo_surface_write_to_png_stream(s, write_fd, fd);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	return st;
}

/* A fresh temporary name next to path, made with O_EXCL (so never another
 * writer's), mode 0666 less the umask as any new file. */
static int open_temp(const char *path, char *tmp /* (PATH_MAX) */)
{
	static unsigned counter;
	for (int tries = 0; tries < 100; tries++) {
		unsigned k = __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED);
		if (snprintf(tmp, PATH_MAX, "%s.tmp-%ld-%u", path, (long)getpid(), k) >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

/* Puts the written tmp at path: replacing what is there, or (keep) under
 * the first free name of path, path-2, path-3 ... (before the extension),
 * by link(), which never replaces. The name used goes to final. */
static int place(const char *tmp, const char *path, bool keep, char *final /* (PATH_MAX) */)
{
	if (!keep) {
		snprintf(final, PATH_MAX, "%s", path);
		return rename(tmp, path);
	}
	const char *dot = strrchr(path, '.');
	int stem = dot ? (int)(dot - path) : (int)strlen(path);
	for (int k = 1; k < 100; k++) {
		if (k == 1)
			snprintf(final, PATH_MAX, "%s", path);
		else
			snprintf(final, PATH_MAX, "%.*s-%d%s", stem, path, k, dot ? dot : "");
		if (link(tmp, final) == 0) {
			unlink(tmp);
			return 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	errno = EEXIST;
	return -1;
}

int picture_write(const struct picture *p, const char *path, enum picture_format f, bool keep, char *final,
		  char *err, size_t len)
{
	char tmp[PATH_MAX], placed[PATH_MAX];
	int fd = open_temp(path, tmp);
	if (fd < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	errno = 0;
	cairo_status_t st = render_to(p, &fd, f);
	int saved = errno;
	if (st == CAIRO_STATUS_SUCCESS && fsync(fd) != 0)
		st = CAIRO_STATUS_WRITE_ERROR, saved = errno;
	if (close(fd) != 0 && st == CAIRO_STATUS_SUCCESS)
		st = CAIRO_STATUS_WRITE_ERROR, saved = errno;
	if (st == CAIRO_STATUS_SUCCESS && place(tmp, path, keep, placed) == 0) {
		if (final)
			snprintf(final, PATH_MAX, "%s", placed);
		return 0;
	}
	if (st == CAIRO_STATUS_SUCCESS)
		saved = errno;
	unlink(tmp);
	snprintf(err, len, "%s: %s", path,
		 st == CAIRO_STATUS_WRITE_ERROR ? strerror(saved ? saved : EIO) : cairo_status_to_string(st));
	return -1;
}
