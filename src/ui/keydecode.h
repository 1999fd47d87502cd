/* keydecode.h: whole escape sequences from the bytes a terminal sends.
 * ncurses' keypad decodes the sequences its terminfo entry knows; the rest
 * (PuTTY's and rxvt's Home, End and F1-F5, the other cursor-key mode, ...)
 * reach us byte by byte, and this decoder reads them as one key, as an
 * unknown sequence to name and ignore, or as the terminal's answer to a
 * cursor-position request (ESC [ row ; col R), which is never a key. No
 * terminal here: tests/test_keydecode.c feeds it bytes. */
#ifndef OVERPARAM_UI_KEYDECODE_H
#define OVERPARAM_UI_KEYDECODE_H

#include <stdbool.h>
#include <stddef.h>

#define KEYDEC_SEQ_MAX 24  /* longer than any key's sequence: cut there, unknown */
#define KEYDEC_NAME_MAX 80 /* "ESC [ 9 9 ~" */
#define KEYDEC_ESC 27
/* Timeouts a cut sequence that may be the start of an awaited answer
 * (ESC, or ESC [ digits ; digits) survives: the caller's timeout is 50 ms,
 * so about a second. A slow link may deliver an answer in pieces, and
 * read as keys its tail would be commands: "8" a scenario, "R" a restart. */
#define KEYDEC_ANSWER_PATIENCE 20

struct keydec {
	unsigned char seq[KEYDEC_SEQ_MAX]; /* (n) the sequence so far, from its ESC */
	int n;
	bool answer_due; /* a cursor-position request is out (keydecode_expect_answer) */
	int waits;       /* timeouts the pending sequence has survived */
	bool tail;       /* an answer was cut after all: its digits, ';' and R are dropped */
};

enum keydec_kind {
	KEYDEC_MORE,    /* inside a sequence: feed the next byte (or time out) */
	KEYDEC_KEY,     /* a key: code is a character or an ncurses KEY_ code */
	KEYDEC_UNKNOWN, /* a sequence no table knows: name says which */
	KEYDEC_CPR,     /* a cursor-position report: row, col */
};

struct keydec_event {
	enum keydec_kind kind;
	int code;
	int row, col;
	char name[KEYDEC_NAME_MAX];
};

/* One input: a byte, or a code ncurses decoded (that ends a sequence in
 * progress, which is dropped). */
enum keydec_kind keydecode_feed(struct keydec *d, int ch, struct keydec_event *ev);
/* True while a sequence waits for its next byte. */
bool keydecode_pending(const struct keydec *d);
/* No byte came in time: a lone ESC is the Escape key, a cut sequence is
 * unknown. KEYDEC_MORE when nothing was pending. */
enum keydec_kind keydecode_timeout(struct keydec *d, struct keydec_event *ev);
/* A cursor-position request was just sent: until its answer comes, a
 * sequence that may begin it waits KEYDEC_ANSWER_PATIENCE timeouts, not
 * one, and the rest of an answer cut even so is dropped, not read as keys. */
void keydecode_expect_answer(struct keydec *d);
/* "ESC [ 9 9 ~": the bytes of seq, ESC and control bytes by name. */
void keydecode_name(const unsigned char *seq /* (n) */, int n, char *out /* (len) */, size_t len);

#endif
