/* panels.c: the current scenario's panels. Records from the trainer go
 * into the history and mark the panels they feed; a frame redraws only
 * those (wnoutrefresh each, then one doupdate). */
#include <math.h>
#include <string.h>

#include "ui/app.h"
#include "overparam/share.h"
#include "overparam/store.h"

#define DRAIN_CHUNK 1024
#define DRAIN_FRAME_MAX (1u << 17) /* records a frame may take; the ring holds the rest */

/* ---- views of the current scenario ---- */

void panels_free(struct app *a)
{
	if (!a->charts_live)
		return;
	for (int v = 0; v < RUN_MAX_VIEWS; v++)
		chart_free(&a->chart[v]);
	a->charts_live = false;
}

bool panels_log(const struct app *a, const struct view_spec *v)
{
	return v->log_y != a->flip_log;
}

static void views_init(struct app *a)
{
	panels_free(a);
	const struct run_desc *d = app_desc(a);
	memset(a->chart, 0, sizeof a->chart);
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		const struct view_spec *vs = &d->views[v];
		int series[RUN_MAX_SERIES];
		int curves = view_list_series(vs, d->n_series, series) * vs->n_metrics;
		/* Braille cells hold one colour: without colours, several curves
		 * are told apart by glyph instead. */
		bool glyphs = !a->theme.braille || (!a->theme.color && curves > 1);
		if (vs->kind == VIEW_LINES)
			chart_init(&a->chart[v], vs, d, panels_log(a, vs), glyphs);
		bars_reset(&a->bars[v]);
	}
	a->charts_live = true;
}

/* A new run began (or the axis kind changed): charts forget their scales. */
void panels_reset(struct app *a)
{
	const struct run_desc *d = app_desc(a);
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		chart_reset(&a->chart[v], panels_log(a, &d->views[v]));
		bars_reset(&a->bars[v]);
	}
	a->all_dirty = true;
	a->hdr_dirty = true;
}

/* ---- layout and windows ---- */

void panels_close(struct app *a)
{
	for (int v = 0; v < RUN_MAX_VIEWS; v++)
		if (a->win[v]) {
			delwin(a->win[v]);
			a->win[v] = NULL;
		}
	if (a->hdr)
		delwin(a->hdr);
	if (a->ftr)
		delwin(a->ftr);
	a->hdr = a->ftr = NULL;
}

void panels_relayout(struct app *a)
{
	panels_close(a);
	const struct run_desc *d = app_desc(a);
	const char *notes = why_text(a);
	a->theme.bold = a->theme_bold || a->present; /* the presenter: bold, block lines */
	if (a->zoom >= d->n_views || (a->zoom >= 0 && d->views[a->zoom].kind == VIEW_TEXT))
		a->zoom = -1;
	int rc;
	if (a->present) {
		rc = layout_present(d, COLS, LINES, &a->lay);
	} else if (a->zoom >= 0) {
		rc = layout_zoom(d, a->zoom, COLS, LINES, &a->lay);
	} else {
		rc = layout_compute(d, notes, COLS, LINES, a->show_text, &a->lay);
		if (rc != 0 && a->show_text)
			rc = layout_compute(d, notes, COLS, LINES, false, &a->lay); /* notes give way first */
	}
	a->too_small = rc != 0;
	/* Only a new layout erases: this is the one full repaint. */
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (a->too_small) {
		layout_min_size(d, notes, &a->need_w, &a->need_h);
		a->all_dirty = true;
		return;
	}
	a->hdr = newwin(LAYOUT_HEADER_ROWS, COLS, 0, 0);
	a->ftr = newwin(LAYOUT_FOOTER_ROWS, COLS, LINES - LAYOUT_FOOTER_ROWS, 0);
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		struct rect r = a->lay.view[v];
		if (r.w > 0 && r.h > 0)
			a->win[v] = newwin(r.h, r.w, r.y, r.x);
	}
	a->all_dirty = a->hdr_dirty = a->ftr_dirty = true;
	if (a->notes == NOTES_FULL)
		notes_open(a); /* the new size */
}

void panels_show(struct app *a, int idx)
{
	if (idx != a->cur)
		a->zoom = -1; /* another scenario's views */
	a->cur = idx;
	views_init(a);
	panels_relayout(a);
}

/* ---- records ---- */

static bool view_names(const struct view_spec *v, enum metric m)
{
	for (int i = 0; i < v->n_metrics; i++)
		if (v->metrics[i] == m)
			return true;
	return false;
}

static bool view_uses(const struct view_spec *v, const struct op_record *r)
{
	enum metric m = (enum metric)r->metric;
	bool in_mask = r->series < 32 && ((v->series_mask >> r->series) & 1u);
	switch (v->kind) {
	case VIEW_LINES:
		return in_mask && (m == MET_DIVERGED || view_names(v, m));
	case VIEW_BARS:
		/* bars of any other grid metric (and its summary value) */
		return m == MET_INTERP_LOSS || m == MET_BARRIER || view_names(v, m);
	case VIEW_SPLIT:
		return m == MET_DIVERGED || view_names(v, m);
	case VIEW_TABLE:
		if (!in_mask)
			return false;
		if (m == MET_DIVERGED)
			return true;
		for (int i = 0; i < v->n_cols; i++)
			if ((v->cols[i].format == CELL_LOSS || v->cols[i].format == CELL_EPOCH) && v->cols[i].metric == m)
				return true;
		return false;
	case VIEW_TEXT:
		return false;
	case VIEW_HEAT:
		return view_names(v, m);
	}
	return false;
}

static void take_record(struct app *a, const struct op_record *r)
{
	if (!history_add(&a->hist, r))
		return;
	if (r->metric == MET_START && a->hist.scenario >= 0 && a->hist.scenario < a->n)
		ghost_on_start(&a->ghosts, a->hist.scenario, &a->sc[a->hist.scenario], a->hist.seed);
	if (r->metric == MET_START && a->hist.scenario >= 0 && a->hist.scenario < a->n) {
		store_begin(store_default(), &a->sc[a->hist.scenario], a->hist.seed, "live");
		store_begin(share_store(), &a->sc[a->hist.scenario], a->hist.seed, "live");
	}
	store_add(store_default(), r); /* off the trainer's thread; its MET_DONE ends the stored run */
	store_add(share_store(), r);   /* --share: the followers' copy */
	if (r->metric == MET_START) {
		int s = a->hist.scenario;
		if (s >= 0 && s < a->n && s != a->cur)
			panels_show(a, s); /* the trainer is elsewhere: follow it */
		else
			panels_reset(a);
		/* the x span of the line charts: the fold keeps their columns */
		int planned = app_desc(a)->planned_epochs;
		history_set_span(&a->hist, planned > 0 ? (uint32_t)planned : 1);
		return;
	}
	if (r->metric == MET_EPOCH || r->metric == MET_DONE) {
		a->hdr_dirty = true;
		return;
	}
	const struct run_desc *d = app_desc(a);
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++)
		if (view_uses(&d->views[v], r))
			a->dirty[v] = true;
}

void panels_drain(struct app *a)
{
	static struct op_record buf[DRAIN_CHUNK];
	uint32_t total = 0;
	for (;;) {
		uint32_t n = trainer_drain(a->tr, buf, DRAIN_CHUNK);
		for (uint32_t i = 0; i < n && !a->on_kept; i++) /* a kept run: all are stale (keep.c) */
			take_record(a, &buf[i]);
		total += n;
		if (n < DRAIN_CHUNK || total >= DRAIN_FRAME_MAX)
			break;
	}
}

/* ---- drawing a frame ---- */

static void draw_too_small(struct app *a)
{
	werase(stdscr);
	char buf[96];
	snprintf(buf, sizeof buf, "Terminal too small: need %dx%d, have %dx%d", a->need_w, a->need_h, COLS, LINES);
	int bw = text_width(buf);
	if (bw > COLS) {
		snprintf(buf, sizeof buf, "need %dx%d, have %dx%d", a->need_w, a->need_h, COLS, LINES);
		bw = text_width(buf);
	}
	int x = bw < COLS ? (COLS - bw) / 2 : 0;
	text_put(stdscr, LINES / 2, x, buf, COLS, theme_attr(&a->theme, ROLE_TITLE));
	wnoutrefresh(stdscr);
}

/* Views of one scale_group follow the group's top; a view whose top
 * moved is redrawn (force[v]) though its own data did not change. */
static void share_scales(struct app *a, bool *force /* (RUN_MAX_VIEWS) */)
{
	const struct run_desc *d = app_desc(a);
	double line_top[RUN_MAX_VIEWS];
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++)
		line_top[v] = d->views[v].kind == VIEW_LINES ? chart_top(&a->chart[v]) : NAN;
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++) {
		force[v] = false;
		if (d->views[v].scale_group == 0)
			continue;
		double top = scale_group_top(d, v, &a->hist, line_top);
		double *mine = d->views[v].kind == VIEW_LINES ? &a->chart[v].shared_top : &a->bars[v].shared_top;
		if (top != *mine && !(isnan(top) && isnan(*mine))) {
			*mine = top;
			force[v] = true;
		}
	}
}

/* Redraws view v into its window; false when nothing changed on it. */
static bool draw_view(struct app *a, int v, bool force)
{
	WINDOW *w = a->win[v];
	const struct run_desc *d = app_desc(a);
	const struct view_spec *vs = &d->views[v];
	switch (vs->kind) {
	case VIEW_LINES:
		/* Points that land inside a column's min..max change nothing. */
		if (!chart_update(&a->chart[v], &a->hist) && !a->all_dirty && !force)
			return false;
		a->chart[v].ghosts = &a->ghosts; /* earlier runs, faint (ghost.h) */
		a->chart[v].ghost_scenario = a->cur;
		a->chart[v].ghost_path = a->sc[a->cur].path;
		chart_draw(w, &a->chart[v], &a->hist, &a->theme);
		break;
	case VIEW_BARS:
		bars_draw(w, &a->bars[v], vs, d, &a->hist, &a->theme);
		break;
	case VIEW_SPLIT:
		split_draw(w, vs, d, &a->hist, &a->theme);
		break;
	case VIEW_TABLE:
		table_draw(w, vs, d, &a->hist, &a->theme);
		break;
	case VIEW_TEXT:
		if (a->present)
			notes_draw_claims(w, a);
		else
			text_draw(w, vs->title, why_text(a), &a->theme);
		break;
	case VIEW_HEAT:
		heatmap_draw(w, vs, d, &a->hist, &a->theme);
		break;
	}
	wnoutrefresh(w);
	return true;
}

/* The header follows the trainer's state and pace, an export's progress,
 * and a message's end. */
static void check_header(struct app *a)
{
	enum trainer_state st = app_state(a);
	double pace = trainer_pace(a->tr);
	if (st != a->shown_state || pace != a->shown_pace) {
		if ((st == TRAINER_PAUSED) != (a->shown_state == TRAINER_PAUSED))
			store_set_paused(share_store(), st == TRAINER_PAUSED); /* --share: followers mirror it */
		a->shown_state = st;
		a->shown_pace = pace;
		a->hdr_dirty = a->ftr_dirty = true;
	}
	actions_export_tick(a);
	if (a->msg[0] && app_now() >= a->msg_until) {
		a->msg[0] = 0;
		a->hdr_dirty = true;
	}
}

static void frame_done(struct app *a, bool any)
{
	a->all_dirty = a->hdr_dirty = a->ftr_dirty = false;
	memset(a->dirty, 0, sizeof a->dirty);
	if (any)
		doupdate();
}

void panels_draw(struct app *a)
{
	bool any = false;
	if (a->too_small) {
		if (a->all_dirty) {
			draw_too_small(a);
			any = true;
		}
		frame_done(a, any);
		return;
	}
	check_header(a);
	if (a->hdr_dirty || a->all_dirty) {
		status_draw_header(a);
		wnoutrefresh(a->hdr);
		any = true;
	}
	if (a->ftr_dirty || a->all_dirty) {
		status_draw_footer(a);
		wnoutrefresh(a->ftr);
		any = true;
	}
	const struct run_desc *d = app_desc(a);
	bool force[RUN_MAX_VIEWS];
	share_scales(a, force);
	bool why = why_update(a); /* the claims' verdicts or figures moved */
	for (int v = 0; v < d->n_views && v < RUN_MAX_VIEWS; v++)
		if (a->win[v] && (a->dirty[v] || a->all_dirty || force[v] || (why && d->views[v].kind == VIEW_TEXT)))
			any |= draw_view(a, v, force[v]);
	if (a->notes == NOTES_FULL && (any || a->all_dirty))
		notes_touch();
	if ((a->help || a->picker.open) && (any || a->all_dirty)) {
		help_touch();
		picker_touch();
		any = true;
	}
	frame_done(a, any);
}
