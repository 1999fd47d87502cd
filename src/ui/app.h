/* app.h: the live UI's state, shared by the files that make up ui_run:
 * app.c (start-up, the loop, the way out), panels.c (views, windows,
 * records, drawing a frame), status.c (header and footer) and actions.c
 * (what the keys do). Only the UI thread touches any of it. */
#ifndef OVERPARAM_UI_APP_H
#define OVERPARAM_UI_APP_H

#include <stdbool.h>

#include "overparam/trainer.h"
#include "overparam/ui.h"
#include "ui/keydecode.h"
#include "ui/lag.h"
#include "ui/picker.h"
#include "ui/widgets.h"

/* `i` cycles the explanation through these. */
enum notes_mode { NOTES_SHORT, NOTES_FULL, NOTES_HIDDEN };

/* `e` exports that may write at once: each holds a copy of the history. */
#define UI_EXPORTS 4

/* keep.c: a scenario's last finished run, off screen. */
struct kept_run {
	struct history *hist;   /* NULL: none */
	enum trainer_state end; /* done or diverged */
};

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
	struct ghost_set ghosts; /* earlier runs on the line charts (ghost.h) */
	bool lecturer_paused;    /* --follow: the lecturer's session is paused (follow.c) */

	int cur;         /* scenario on screen */
	bool flip_log;   /* `y`: every line chart on the other axis kind */
	bool show_text;  /* the notes panel (notes != NOTES_HIDDEN) */
	enum notes_mode notes; /* `i` */
	int notes_scroll;      /* first line of the full notes shown */
	int zoom;        /* `z`: the view shown alone, -1: none */
	bool present;    /* `p`, --present: the presenter layout */
	bool theme_bold; /* the theme's own bold (the presenter's is on top) */
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
	bool msg_wide; /* the message takes the room it needs before the counters do (a file written) */
	double msg_until;
	struct export_job *export[UI_EXPORTS]; /* `e` exports writing now, NULL where none */
	struct slide_job *slide;                /* `s` picture being drawn, NULL when none */

	/* input.c: whole escape sequences, the picker, the link's lag */
	struct keydec kd;
	struct picker picker;
	struct lag lag;
	/* keep.c: each scenario's last finished run, kept when the screen
	 * leaves it; the one on screen is in hist, the trainer waits */
	struct kept_run *kept;          /* (n) */
	bool on_kept;
	enum trainer_state on_kept_state;
	/* why.c: the Why panel's text, and the history and scenario it is of */
	char why[(size_t)CLAIM_MAX * (CLAIM_TEXT_MAX + 16) + sizeof(((struct scenario *)0)->notes)];
	uint64_t why_changes;
	int why_scenario;
};

static inline const struct run_desc *app_desc(const struct app *a)
{
	return &a->desc[a->cur];
}

/* The state the header shows: the trainer's, or paused while following a
 * paused lecturer (our trainer then just waits for records). A run that
 * ended is "running" until the UI has taken its last records: the trainer
 * may finish between a frame's drain and its header, and "done" over a
 * table, charts and an `e` export short of the end would be wrong. */
static inline enum trainer_state app_state(const struct app *a)
{
	enum trainer_state st = trainer_state(a->tr);
	bool ended = st == TRAINER_DONE || st == TRAINER_DIVERGED || st == TRAINER_FAILED;
	if (ended && trainer_records_pending(a->tr))
		return TRAINER_RUNNING;
	return a->lecturer_paused && st == TRAINER_RUNNING ? TRAINER_PAUSED : st;
}

/* app.c: seconds on the monotonic clock. */
double app_now(void);

/* follow.c: --follow, each frame: a new run of the lecturer's is shown */
void follow_tick(struct app *a);
/* why.c: the Why panel's text (the claims' live verdicts, then the
 * notes), evaluated again only when the history changed; why_update says
 * whether it did change. */
const char *why_text(struct app *a);
/* The claims alone, "[verdict] sentence" a line, into out; returns the
 * bytes written (0: the kind states none). */
size_t why_claims(const struct app *a, char *out /* (cap) */, size_t cap);
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

/* notes.c: the full notes overlay and the presenter's claims */
void notes_open(struct app *a);            /* draw the overlay (again) */
void notes_close(void);
void notes_touch(void);                    /* back on top after the panels under it */
bool notes_key(struct app *a, int ch);     /* scroll keys while it is open; true: taken */
/* The claims panel's text (presenter layout, full notes): the claims with
 * their verdicts once the claims list is merged, until then the notes. */
const char *notes_claims_text(const struct app *a, char *buf /* (len) */, size_t len);
void notes_draw_claims(WINDOW *w, const struct app *a);

/* status.c */
void status_msg(struct app *a, const char *text, bool bad); /* in the header for a while */
void status_draw_header(struct app *a);
void status_draw_footer(struct app *a);

/* input.c: wgetch's codes through the key decoder to actions_key; the
 * picker's number wait; the lag probe after a frame. */
void input_init(struct app *a);
bool input_key(struct app *a, int ch);   /* false: quit */
bool input_timeout(struct app *a);       /* the wait for a key ran out; false: quit */
int input_wait_ms(const struct app *a);  /* how long the next wait for a key lasts */
bool input_frame_due(struct app *a);     /* whether to draw now (the rate may be down) */
void input_after_frame(struct app *a);
void input_quit(struct app *a);          /* an answer on its way is swallowed */

/* keep.c */
int keep_init(struct app *a);                 /* -1: out of memory */
void keep_free(struct app *a);
bool keep_has(const struct app *a, int idx);
void keep_save(struct app *a);                /* before leaving a->cur: a finished run is kept */
void keep_restore(struct app *a, int idx);    /* kept run idx into hist (keep_has first) */
void keep_leave(struct app *a);               /* a new run replaces the kept one on screen */
enum trainer_state keep_state(const struct app *a); /* the state to show */

/* actions.c: one key; false when it asks to quit. */
bool actions_key(struct app *a, int ch);
/* The picker's answer to a key: drawn again, or closed with a jump. */
void actions_picked(struct app *a, enum picker_result r, int jump);
/* Each frame: the exports' progress, then their results, in the header. */
void actions_export_tick(struct app *a);
/* On the way out, terminal restored: lets the exports finish for a moment,
 * else stops them and says on stderr that their files were not written. */
void actions_export_quit(struct app *a);

#endif
