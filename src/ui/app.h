/* app.h: the live UI's state, shared by the files that make up ui_run:
 * app.c (start-up, the loop, the way out), panels.c (views, windows,
 * records, drawing a frame), status.c (header and footer) and actions.c
 * (what the keys do). Only the UI thread touches any of it. */
#ifndef OVERPARAM_UI_APP_H
#define OVERPARAM_UI_APP_H

#include <stdbool.h>

#include "overparam/trainer.h"
#include "overparam/ui.h"
#include "ui/widgets.h"

/* `e` exports that may write at once: each holds a copy of the history. */
#define UI_EXPORTS 4

struct app {
	const struct scenario *sc; /* = own, read-only where knobs do not matter */
	struct scenario *own;      /* (n) the UI's copy: knobs change it (the trainer keeps another) */
	int *knob_sel;             /* (n) each scenario's selected knob */
	int n;
	struct run_desc *desc; /* (n) */
	struct ui_options opt;
	struct theme theme;
	struct trainer *tr;
	struct history hist;

	int cur;         /* scenario on screen */
	bool flip_log;   /* `y`: every line chart on the other axis kind */
	bool show_text;
	bool help;
	bool too_small;
	int need_w, need_h;

	struct layout lay;
	WINDOW *in;      /* 1x1, never drawn: wgetch on it refreshes nothing */
	WINDOW *hdr, *ftr;
	WINDOW *win[RUN_MAX_VIEWS];
	struct chart chart[RUN_MAX_VIEWS];
	struct bars bars[RUN_MAX_VIEWS];
	bool charts_live;
	bool dirty[RUN_MAX_VIEWS];
	bool hdr_dirty, ftr_dirty, all_dirty;

	enum trainer_state shown_state;
	double shown_pace;
	double pace_asked; /* last CMD_PACE sent, until the trainer shows it (< 0: none) */
	char msg[512];
	bool msg_bad;
	double msg_until;
	struct export_job *export[UI_EXPORTS]; /* `e` exports writing now, NULL where none */
	/* why.c: the Why panel's text, and the history and scenario it is of */
	char why[(size_t)CLAIM_MAX * (CLAIM_TEXT_MAX + 16) + sizeof(((struct scenario *)0)->notes)];
	uint64_t why_changes;
	int why_scenario;
};

static inline const struct run_desc *app_desc(const struct app *a)
{
	return &a->desc[a->cur];
}

/* app.c: seconds on the monotonic clock. */
double app_now(void);

/* why.c: the Why panel's text (the claims' live verdicts, then the
 * notes), evaluated again only when the history changed; why_update says
 * whether it did change. */
const char *why_text(struct app *a);
bool why_update(struct app *a);

/* panels.c */
void panels_show(struct app *a, int idx);  /* put scenario idx on screen */
void panels_reset(struct app *a);          /* a new run, or a new axis kind */
void panels_relayout(struct app *a);       /* the screen size or the notes changed */
bool panels_log(const struct app *a, const struct view_spec *v); /* v on a log axis now */
void panels_drain(struct app *a);          /* the trainer's records into the history */
void panels_draw(struct app *a);           /* redraw what changed, one doupdate */
void panels_close(struct app *a);          /* delete the windows */
void panels_free(struct app *a);           /* free the charts */

/* status.c */
void status_msg(struct app *a, const char *text, bool bad); /* in the header for a while */
void status_draw_header(struct app *a);
void status_draw_footer(struct app *a);

/* actions.c: one key; false when it asks to quit. */
bool actions_key(struct app *a, int ch);
/* Each frame: the exports' progress, then their results, in the header. */
void actions_export_tick(struct app *a);
/* On the way out, terminal restored: lets the exports finish for a moment,
 * else stops them and says on stderr that their files were not written. */
void actions_export_quit(struct app *a);

#endif
