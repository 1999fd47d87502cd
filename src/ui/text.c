/* text.c: UTF-8 text in curses windows (width-aware clipping, wrapping) and
 * the notes panel. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "overparam/claim.h"
#include "ui/widgets.h"

/* Decodes one character of s (at most n bytes); a byte that does not
 * decode stands for itself as '?'. Returns the bytes used (>= 1). */
static int decode(const char *s, size_t n, wchar_t *wc)
{
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t r = mbrtowc(wc, s, n, &st);
	if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
		*wc = L'?';
		return 1;
	}
	return (int)r;
}

static int char_width(wchar_t wc)
{
	int cw = wcwidth(wc);
	return cw < 0 ? 1 : cw;
}

int text_width(const char *s)
{
	int w = 0;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		i += (size_t)decode(s + i, n - i, &wc);
		w += char_width(wc);
	}
	return w;
}

static wchar_t ellipsis(void)
{
	return MB_CUR_MAX > 1 ? L'\x2026' : L'~';
}

void text_put_wch(WINDOW *w, int y, int x, wchar_t c, attr_t attr)
{
	wattrset(w, attr);
	mvwaddnwstr(w, y, x, &c, 1);
	wattrset(w, A_NORMAL);
}

int text_put(WINDOW *w, int y, int x, const char *s, int maxw, attr_t attr)
{
	if (maxw <= 0)
		return 0;
	wchar_t buf[512];
	int nb = 0, width = 0;
	size_t n = strlen(s);
	bool cut = false;
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		i += (size_t)decode(s + i, n - i, &wc);
		if (wc < L' ' || wc == 0x7f)
			wc = L'?';
		int cw = char_width(wc);
		if (width + cw > maxw || nb >= (int)(sizeof buf / sizeof buf[0]) - 1) {
			cut = true;
			break;
		}
		buf[nb++] = wc;
		width += cw;
	}
	if (cut) {
		/* Make room for the ellipsis. */
		while (nb > 0 && width + 1 > maxw)
			width -= char_width(buf[--nb]);
		buf[nb++] = ellipsis();
		width += 1;
	}
	buf[nb] = 0;
	wattrset(w, attr);
	mvwaddnwstr(w, y, x, buf, nb);
	wattrset(w, A_NORMAL);
	return width;
}

void text_pending(WINDOW *w, int y, int x, int width, const char *s, const struct theme *t)
{
	int inner = width - 2; /* a column clear of the axis and the border */
	struct text_line lines[3];
	int n = text_wrap(s, inner, lines, 3);
	n = n > 3 ? 3 : n;
	for (int i = 0; i < n; i++) {
		char buf[160];
		snprintf(buf, sizeof buf, "%.*s", lines[i].len, s + lines[i].start);
		int cw = text_width(buf);
		text_put(w, y - n / 2 + i, x + 1 + (cw < inner ? (inner - cw) / 2 : 0), buf, inner, theme_attr(t, ROLE_DIM));
	}
}

void panel_frame(WINDOW *w, const char *title, const struct theme *t)
{
	int cols = getmaxx(w);
	werase(w);
	wattrset(w, theme_attr(t, ROLE_BORDER));
	box(w, 0, 0);
	wattrset(w, A_NORMAL);
	if (title && *title && cols > 6) {
		mvwaddch(w, 0, 1, ' ');
		int tw = text_put(w, 0, 2, title, cols - 5, theme_attr(t, ROLE_TITLE));
		mvwaddch(w, 0, 2 + tw, ' ');
	}
}

/* Where a paragraph ends: a newline, or a backslash followed by 'n' as
 * some INI files spell it. Returns the break's length (0: none here). */
static int par_break(const char *s)
{
	if (s[0] == '\n')
		return 1;
	if (s[0] == '\\' && s[1] == 'n')
		return 2;
	return 0;
}

int text_wrap(const char *s, int width, struct text_line *lines, int max)
{
	if (width < 1)
		width = 1;
	int count = 0;
	size_t n = strlen(s);
	size_t pos = 0;
	while (pos <= n) {
		/* One paragraph: [pos, end). */
		size_t end = pos;
		while (end < n && !par_break(s + end))
			end++;
		size_t p = pos;
		bool any = false;
		for (;;) {
			while (p < end && s[p] == ' ')
				p++;
			if (p >= end)
				break;
			size_t start = p, brk = 0;
			int w = 0;
			size_t q = p;
			while (q < end) {
				wchar_t wc;
				int used = decode(s + q, end - q, &wc);
				int cw = char_width(wc);
				if (wc == L' ')
					brk = q;
				if (w + cw > width)
					break;
				w += cw;
				q += (size_t)used;
			}
			size_t stop, next;
			if (q >= end) {
				stop = next = end;
			} else if (brk > start) {
				stop = brk;
				next = brk + 1;
			} else if (s[q] == ' ') {
				stop = q;
				next = q + 1;
			} else {
				stop = next = q > start ? q : q + 1; /* a word wider than the line */
			}
			while (stop > start && s[stop - 1] == ' ')
				stop--;
			if (count < max) {
				lines[count].start = (int)start;
				lines[count].len = (int)(stop - start);
				lines[count].par_end = false;
			}
			count++;
			any = true;
			p = next;
		}
		if (any && count <= max)
			lines[count - 1].par_end = true;
		if (end >= n)
			break;
		pos = end + (size_t)par_break(s + end);
	}
	return count;
}

/* A claim's verdict tag ("[fails]", why.c) at the start of s: its colour,
 * and its length in *len (0: none). The word itself says it without one. */
static attr_t verdict_attr(const char *s, const struct theme *t, int *len)
{
	static const struct {
		enum claim_verdict v;
		enum ui_role role;
	} tags[] = {
		{CLAIM_HOLDS, ROLE_DONE},
		{CLAIM_FAILS, ROLE_BAD},
		{CLAIM_NOT_YET, ROLE_DIM},
		{CLAIM_UNDECIDED, ROLE_PAUSED},
	};
	*len = 0;
	for (size_t i = 0; s[0] == '[' && i < sizeof tags / sizeof *tags; i++) {
		const char *word = claim_verdict_word(tags[i].v);
		size_t n = strlen(word);
		if (strncmp(s + 1, word, n) == 0 && s[1 + n] == ']') {
			*len = (int)n + 2;
			return theme_attr(t, tags[i].role);
		}
	}
	return A_NORMAL;
}

void text_draw(WINDOW *w, const char *title, const char *notes, const struct theme *t)
{
	text_draw_styled(w, title, notes, t, A_NORMAL);
}

void text_draw_styled(WINDOW *w, const char *title, const char *notes, const struct theme *t, attr_t attr)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	panel_frame(w, title, t);
	int iw = cols - 4, ih = rows - 2;
	if (iw < 1 || ih < 1 || !notes)
		return;
	struct text_line lines[128];
	int max = (int)(sizeof lines / sizeof lines[0]);
	int n = text_wrap(notes, iw, lines, max);
	if (n > max)
		n = max;
	int pars = 0;
	for (int i = 0; i < n - 1; i++)
		pars += lines[i].par_end;
	/* Blank lines between paragraphs only when everything still fits. */
	bool gaps = n + pars <= ih;
	char buf[1024];
	int y = 1;
	for (int i = 0; i < n && y <= ih; i++) {
		int len = lines[i].len < (int)sizeof buf - 1 ? lines[i].len : (int)sizeof buf - 1;
		memcpy(buf, notes + lines[i].start, (size_t)len);
		buf[len] = 0;
		bool last_row = y == ih && i < n - 1;
		if (last_row) {
			/* More text than room: say so with an ellipsis. */
			int bw = text_width(buf);
			if (bw < iw) {
				text_put(w, y, 2, buf, bw, attr);
				text_put_wch(w, y, 2 + bw, ellipsis(), attr);
			} else {
				/* text_put cuts it and adds the ellipsis itself */
				char more[1032];
				snprintf(more, sizeof more, "%s  ", buf);
				text_put(w, y, 2, more, iw, attr);
			}
		} else {
			text_put(w, y, 2, buf, iw, attr);
		}
		int tag;
		attr_t at = verdict_attr(buf, t, &tag);
		if (tag > 0 && tag < iw && (i == 0 || lines[i - 1].par_end)) {
			buf[tag] = 0;
			text_put(w, y, 2, buf, tag, at);
		}
		y++;
		if (gaps && lines[i].par_end)
			y++;
	}
}
