/* reader.c: scenario text into libinih, one checked line at a time.
 *
 * libinih splits lines into sections, keys and values. It is fed through our
 * own line reader, which counts lines (so every message names one), refuses
 * over-long lines, binary data and invalid UTF-8 before inih sees them, and
 * classifies each line the way inih will, so that a malformed line gets a
 * precise message instead of inih's bare line number. A key's value is kept
 * pending until the next key, section or end of file, because indented lines
 * continue it (inih's multi-line values); only then is it parsed and
 * range-checked (value.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "config/parse.h"

/* ---- the line reader -------------------------------------------------- */

static int source_getc(struct source *s)
{
	int c;
	if (s->fp)
		c = getc(s->fp);
	else
		c = s->pos < s->len ? s->mem[s->pos++] : EOF;
	if (c != EOF)
		s->taken++;
	return c;
}

static int source_peek(struct source *s)
{
	if (s->fp) {
		int c = getc(s->fp);
		if (c != EOF)
			ungetc(c, s->fp);
		return c;
	}
	return s->pos < s->len ? s->mem[s->pos] : EOF;
}

/* No overlongs, no surrogates, nothing above U+10FFFF. */
bool reader_utf8_step(struct utf8 *u, unsigned char c)
{
	if (u->need > 0) {
		if (c < u->lo || c > u->hi)
			return false;
		u->need--;
		u->lo = 0x80;
		u->hi = 0xBF;
		return true;
	}
	u->lo = 0x80;
	u->hi = 0xBF;
	if (c < 0x80)
		return true;
	if (c >= 0xC2 && c <= 0xDF)
		u->need = 1;
	else if (c == 0xE0)
		u->need = 2, u->lo = 0xA0;
	else if (c == 0xED)
		u->need = 2, u->hi = 0x9F;
	else if (c >= 0xE1 && c <= 0xEF)
		u->need = 2;
	else if (c == 0xF0)
		u->need = 3, u->lo = 0x90;
	else if (c >= 0xF1 && c <= 0xF3)
		u->need = 3;
	else if (c == 0xF4)
		u->need = 3, u->hi = 0x8F;
	else
		return false;
	return true;
}

/* Reads one line (without its newline or a CR before it) into ps->line.
 * Returns its length, -1 at end of input, -2 after recording an error. */
static int read_line(struct pstate *ps, int limit)
{
	struct source *s = &ps->src;
	struct utf8 u = {0, 0x80, 0xBF};
	int n = 0, seq_col = 0, lead = 0, c = source_getc(s);
	int line = ps->lineno + 1;
	if (c == EOF) {
		if (s->fp && ferror(s->fp)) {
			parse_fail(ps, 0, -1, "cannot read: %s", strerror(errno));
			return -2;
		}
		return -1;
	}
	for (; c != EOF && c != '\n'; c = source_getc(s)) {
		if (c == '\r' && (source_peek(s) == '\n' || source_peek(s) == EOF))
			continue;
		if ((c < 0x20 && c != '\t') || c == 0x7F) {
			parse_fail(ps, line, -1, "control character 0x%02x at column %d (not a text file?)", (unsigned)c, n + 1);
			return -2;
		}
		if (u.need == 0) {
			seq_col = n + 1; /* a broken sequence is reported where it starts */
			lead = c;
		}
		if (!reader_utf8_step(&u, (unsigned char)c)) {
			parse_fail(ps, line, -1, "not valid UTF-8 text at column %d", seq_col);
			return -2;
		}
		if (reader_is_c1(lead, c)) { /* a terminal may act on it: U+009B is CSI */
			parse_fail(ps, line, -1, "control character U+%04X at column %d (text converted from Windows-1252?)",
				   (unsigned)c, seq_col);
			return -2;
		}
		if (n >= limit) {
			parse_fail(ps, line, -1, "line longer than %d bytes", limit);
			return -2;
		}
		ps->line[n++] = (char)c;
	}
	if (u.need > 0) {
		parse_fail(ps, line, -1, "not valid UTF-8 text at column %d", seq_col);
		return -2;
	}
	if (c == EOF && s->fp && ferror(s->fp)) {
		parse_fail(ps, 0, -1, "cannot read: %s", strerror(errno));
		return -2;
	}
	if (s->taken > FILE_CAP) { /* a huge file of valid lines would take seconds */
		parse_fail(ps, 0, -1, "larger than %zu MiB (the limit for a scenario file)", FILE_CAP >> 20);
		return -2;
	}
	ps->line[n] = '\0';
	return n;
}

/* As inih's find_chars_or_comment: the first of `chars`, or an inline
 * comment (';' after whitespace), or the end. */
static const char *find_stop(const char *s, const char *chars)
{
	bool was_space = false;
	while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
		was_space = is_blank((unsigned char)*s);
		s++;
	}
	return s;
}

int reader_section(const char *name, size_t n)
{
	for (int i = 0; i < SEC_COUNT; i++)
		if (strlen(section_names[i]) == n && memcmp(section_names[i], name, n) == 0)
			return i;
	return -1;
}

/* A malformed line's message. The line may look right on screen: a
 * character on it that shows as nothing (a BOM from concatenated files, a
 * no-break space) is named. `start`: where the line's text begins. */
static void fail_line(struct pstate *ps, int line, const char *start, const char *problem)
{
	long cp;
	int at = escape_first_hidden(start, &cp);
	if (at < 0)
		parse_fail(ps, line, -1, "%s", problem);
	else
		parse_fail(ps, line, -1, "%s (column %d is U+%04lX, %s)", problem, (int)(start - ps->line) + at + 1, cp,
			   escape_hidden_name(cp));
}

/* Sorts the line as inih will: blank or comment, continuation, section
 * header, key line. Returns false after recording an error. */
static bool classify_line(struct pstate *ps)
{
	const char *start = ps->line;
	int line = ps->lineno + 1;
	ps->cont = false;
	if (line == 1 && memcmp(start, "\xEF\xBB\xBF", 3) == 0)
		start += 3; /* inih skips a UTF-8 byte order mark */
	const char *t = start;
	while (is_blank((unsigned char)*t))
		t++;
	if (*t == '\0')
		return true;
	ps->nonblank++;
	if (*t == ';' || *t == '#')
		return true;
	if (t > ps->line && ps->have_prev_key) {
		ps->cont = true;
		return true;
	}
	/* A new key or section ends the pending value: check it first, so
	 * errors come in file order. */
	value_flush(ps);
	if (ps->failed)
		return false;
	if (*t == '[') {
		const char *end = find_stop(t + 1, "]");
		if (*end != ']') {
			fail_line(ps, line, start, "section header has no closing ]");
			return false;
		}
		const char *after = end + 1;
		while (is_blank((unsigned char)*after))
			after++;
		if (*after && *after != ';' && *after != '#') {
			fail_line(ps, line, start, "unexpected text after ] in section header");
			return false;
		}
		size_t n = (size_t)(end - (t + 1));
		int sec = reader_section(t + 1, n);
		if (sec < 0) {
			parse_fail(ps, line, -1,
				   "unknown section [%.*s] (expected [scenario], [data], [model], [train] or [knobs])",
				   (int)(n > ECHO_MAX ? ECHO_MAX : n), t + 1);
			return false;
		}
		if (ps->sec_line[sec]) {
			parse_fail(ps, line, -1, "section [%s] appears twice (first at line %d)", section_names[sec],
				   ps->sec_line[sec]);
			return false;
		}
		ps->sec_line[sec] = line;
		ps->have_prev_key = false;
		return true;
	}
	const char *end = find_stop(t, "=:");
	if (*end != '=' && *end != ':') {
		fail_line(ps, line, start, "expected 'key = value', '[section]' or a comment");
		return false;
	}
	ps->have_prev_key = true;
	return true;
}

static char *scenario_reader(char *str, int num, void *stream)
{
	struct pstate *ps = stream;
	if (ps->failed)
		return NULL;
	/* inih needs room for CR, LF and NUL after the longest line. */
	int limit = num - 3 < LINE_CAP ? num - 3 : LINE_CAP;
	if (limit < 1)
		return NULL;
	int n = read_line(ps, limit);
	if (n < 0)
		return NULL;
	if (!classify_line(ps))
		return NULL;
	ps->lineno++;
	memcpy(str, ps->line, (size_t)n);
	str[n] = '\n';
	str[n + 1] = '\0';
	return str;
}

static int scenario_handler(void *user, const char *section, const char *name, const char *value)
{
	struct pstate *ps = user;
	int line = ps->lineno;
	if (ps->failed)
		return 1;
	if (ps->cont) {
		/* An indented line: one more piece of the pending value. */
		if (ps->pend >= 0)
			value_append(ps, value, strlen(value));
		else if (ps->knob_pend >= 0)
			knobs_append(ps, value);
		return 1;
	}
	char eb[ECHO_MAX + 4];
	if (name[0] == '\0') {
		parse_fail(ps, line, -1, "key name missing before =");
		return 1;
	}
	int sec = reader_section(section, strlen(section));
	if (sec < 0) {
		parse_fail(ps, line, -1, "%s: set before any [section]", parse_echo(eb, name));
		return 1;
	}
	ps->knob_pend = -1;
	if (sec == SEC_KNOBS) {
		knobs_define(ps, line, name, value);
		return 1;
	}
	int key = keys_find(sec, name);
	if (key < 0) {
		keys_fail_unknown(ps, line, sec, name);
		return 1;
	}
	if (ps->key_line[key]) {
		parse_fail(ps, line, key, "set twice (first at line %d)", ps->key_line[key]);
		return 1;
	}
	ps->key_line[key] = line;
	value_begin(ps, key, value, strlen(value));
	return 1;
}

void reader_read(struct pstate *ps)
{
	int rc = ini_parse_stream(scenario_reader, ps, scenario_handler, ps);
	if (!ps->failed) {
		value_flush(ps);
		if (!ps->failed && rc == -2)
			parse_fail(ps, 0, -1, "out of memory");
		else if (!ps->failed && rc > 0) /* inih saw what our reader did not */
			parse_fail(ps, rc, -1, "malformed line");
	}
	if (!ps->failed && ps->nonblank == 0)
		parse_fail(ps, 0, -1, "empty file: no [scenario] section");
}
