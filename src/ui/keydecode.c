/* keydecode.c: see keydecode.h. A sequence is ESC then either a CSI
 * ("[", parameters 0x30-0x3F, intermediates 0x20-0x2F, a final 0x40-0x7E;
 * the Linux console's "[[A" too), an SS3 ("O", optional parameters, a
 * final), or one other byte (Alt and a key). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "ui/keydecode.h"

/* What terminals send that their terminfo entry may not say: xterm in
 * either cursor-key mode, PuTTY and rxvt (1~/4~, 7~/8~, 11~-15~), the
 * Linux console ([[A-[[E). The keys' actions are in keymap.c. */
static const struct {
	const char *seq; /* after the ESC */
	int code;
} seq_table[] = {
	{"[A", KEY_UP},        {"[B", KEY_DOWN},      {"[C", KEY_RIGHT},     {"[D", KEY_LEFT},
	{"OA", KEY_UP},        {"OB", KEY_DOWN},      {"OC", KEY_RIGHT},     {"OD", KEY_LEFT},
	{"[H", KEY_HOME},      {"[F", KEY_END},       {"OH", KEY_HOME},      {"OF", KEY_END},
	{"[1~", KEY_HOME},     {"[4~", KEY_END},      {"[7~", KEY_HOME},     {"[8~", KEY_END},
	{"[2~", KEY_IC},       {"[3~", KEY_DC},       {"[5~", KEY_PPAGE},    {"[6~", KEY_NPAGE},
	{"[11~", KEY_F(1)},    {"[12~", KEY_F(2)},    {"[13~", KEY_F(3)},    {"[14~", KEY_F(4)},
	{"[15~", KEY_F(5)},    {"[17~", KEY_F(6)},    {"[18~", KEY_F(7)},    {"[19~", KEY_F(8)},
	{"[20~", KEY_F(9)},    {"[21~", KEY_F(10)},   {"[23~", KEY_F(11)},   {"[24~", KEY_F(12)},
	{"OP", KEY_F(1)},      {"OQ", KEY_F(2)},      {"OR", KEY_F(3)},      {"OS", KEY_F(4)},
	{"[[A", KEY_F(1)},     {"[[B", KEY_F(2)},     {"[[C", KEY_F(3)},     {"[[D", KEY_F(4)},
	{"[[E", KEY_F(5)},     {"[Z", KEY_BTAB},      {"OM", KEY_ENTER},
};
#define SEQ_TABLE_N ((int)(sizeof seq_table / sizeof seq_table[0]))

void keydecode_name(const unsigned char *seq, int n, char *out, size_t len)
{
	size_t used = 0;
	out[0] = 0;
	for (int i = 0; i < n && used + 1 < len; i++) {
		char one[8];
		unsigned c = seq[i];
		if (c == KEYDEC_ESC)
			snprintf(one, sizeof one, "ESC");
		else if (c < 0x20)
			snprintf(one, sizeof one, "^%c", (char)(c + '@'));
		else if (c >= 0x7f)
			snprintf(one, sizeof one, "0x%02x", c);
		else
			snprintf(one, sizeof one, "%c", (char)c);
		int w = snprintf(out + used, len - used, "%s%s", i ? " " : "", one);
		if (w < 0 || (size_t)w >= len - used) {
			out[used] = 0;
			break;
		}
		used += (size_t)w;
	}
}

bool keydecode_pending(const struct keydec *d)
{
	return d->n > 0;
}

static enum keydec_kind key(struct keydec_event *ev, int code)
{
	ev->kind = KEYDEC_KEY;
	ev->code = code;
	ev->name[0] = 0;
	return KEYDEC_KEY;
}

/* The pending sequence as unknown; the decoder starts over. */
static enum keydec_kind unknown(struct keydec *d, struct keydec_event *ev)
{
	ev->kind = KEYDEC_UNKNOWN;
	ev->code = 0;
	keydecode_name(d->seq, d->n, ev->name, sizeof ev->name);
	d->n = 0;
	return KEYDEC_UNKNOWN;
}

/* ESC [ digits ; digits R */
static bool parse_cpr(const struct keydec *d, int *row, int *col)
{
	if (d->n < 6 || d->seq[1] != '[' || d->seq[d->n - 1] != 'R')
		return false;
	int v[2] = {0, 0}, k = 0, digits = 0;
	for (int i = 2; i < d->n - 1; i++) {
		unsigned char c = d->seq[i];
		if (c >= '0' && c <= '9' && digits < 5) {
			v[k] = v[k] * 10 + (c - '0');
			digits++;
		} else if (c == ';' && k == 0 && digits > 0) {
			k = 1;
			digits = 0;
		} else {
			return false;
		}
	}
	if (k != 1 || digits == 0)
		return false;
	*row = v[0];
	*col = v[1];
	return true;
}

static enum keydec_kind answer(struct keydec *d, struct keydec_event *ev)
{
	ev->kind = KEYDEC_CPR;
	ev->code = 0;
	ev->name[0] = 0;
	d->n = 0;
	d->answer_due = false;
	d->tail = false;
	return KEYDEC_CPR;
}

/* A whole sequence: a CPR, a key of the table, or unknown. */
static enum keydec_kind complete(struct keydec *d, struct keydec_event *ev)
{
	if (parse_cpr(d, &ev->row, &ev->col))
		return answer(d, ev);
	for (int i = 0; i < SEQ_TABLE_N; i++) {
		const char *s = seq_table[i].seq;
		if ((int)strlen(s) == d->n - 1 && memcmp(s, d->seq + 1, (size_t)(d->n - 1)) == 0) {
			d->n = 0;
			return key(ev, seq_table[i].code);
		}
	}
	return unknown(d, ev);
}

/* ESC [ [: the Linux console's F1-F5 take one more byte. */
static bool linux_f(const struct keydec *d)
{
	return d->n >= 3 && d->seq[1] == '[' && d->seq[2] == '[';
}

/* Whether byte c ends the sequence in d (c already appended). */
static bool is_final(const struct keydec *d, unsigned char c)
{
	if (linux_f(d))
		return d->n == 4;
	return c >= 0x40 && c <= 0x7e;
}

/* A byte that may sit inside a sequence before its final byte. */
static bool is_inner(const struct keydec *d, unsigned char c)
{
	return (c >= 0x20 && c <= 0x3f) || (linux_f(d) && d->n == 3);
}

/* ESC, or ESC [ then digits and at most one ';': what an answer begins with. */
static bool answer_prefix(const struct keydec *d)
{
	if (d->n >= 2 && d->seq[1] != '[')
		return false;
	int semis = 0;
	for (int i = 2; i < d->n; i++)
		if (d->seq[i] == ';')
			semis++;
		else if (d->seq[i] < '0' || d->seq[i] > '9')
			return false;
	return semis <= 1;
}

void keydecode_expect_answer(struct keydec *d)
{
	d->answer_due = true;
}

enum keydec_kind keydecode_feed(struct keydec *d, int ch, struct keydec_event *ev)
{
	if (ch == KEY_RESIZE) /* a signal's, not the terminal's bytes: it may fall inside an answer */
		return key(ev, ch);
	if (ch < 0 || ch > 0xff) { /* an ncurses KEY_ code: whatever was pending is dropped */
		d->tail = d->n > 0 && d->answer_due && answer_prefix(d);
		d->n = 0;
		return key(ev, ch);
	}
	unsigned char c = (unsigned char)ch;
	d->waits = 0;
	if (d->tail && d->n == 0) { /* the rest of a cut answer */
		if (c == 'R') {
			ev->row = ev->col = 0;
			return answer(d, ev);
		}
		if ((c >= '0' && c <= '9') || c == ';' || c == '[')
			return KEYDEC_MORE;
		d->tail = false;
	}
	if (d->n == 0) {
		if (c != KEYDEC_ESC)
			return key(ev, ch);
		d->seq[d->n++] = c;
		return KEYDEC_MORE;
	}
	if (c == KEYDEC_ESC) {
		/* a new sequence cuts the pending one: ESC ESC is a lone ESC first */
		enum keydec_kind k = d->n == 1 ? key(ev, KEYDEC_ESC) : unknown(d, ev);
		d->seq[0] = c;
		d->n = 1;
		return k;
	}
	d->seq[d->n++] = c;
	if (d->n == 2)
		return c == '[' || c == 'O' ? KEYDEC_MORE : unknown(d, ev); /* Alt and a key: not ours */
	if (is_final(d, c))
		return complete(d, ev);
	if (!is_inner(d, c) || d->n == KEYDEC_SEQ_MAX)
		return unknown(d, ev);
	return KEYDEC_MORE;
}

enum keydec_kind keydecode_timeout(struct keydec *d, struct keydec_event *ev)
{
	if (d->n == 0)
		return KEYDEC_MORE;
	if (d->answer_due && answer_prefix(d)) {
		if (++d->waits < KEYDEC_ANSWER_PATIENCE)
			return KEYDEC_MORE;
		d->tail = true; /* its rest, if it ever comes, is no key */
	}
	d->waits = 0;
	if (d->n == 1) {
		d->n = 0;
		return key(ev, KEYDEC_ESC);
	}
	return unknown(d, ev);
}
