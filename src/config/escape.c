/* escape.c: text that a message quotes back, made safe to show. A terminal
 * acts on control characters (ESC [ 2 J clears it; C1's U+009B is CSI on
 * some), and a reader cannot see a no-break space or a byte-order mark, so
 * a message writes those out as <U+XXXX> and names the first one; bytes
 * that are not UTF-8 (a file name, an argument) are written as \xNN. */
#include <stdio.h>
#include <string.h>

#include "config/parse.h"

/* Characters that show as nothing, or as an ordinary space, but are not
 * one: a pasted no-break space or a BOM from concatenated files reads as a
 * valid value on screen. Sorted by code point, ranges inclusive. */
static const struct {
	long lo, hi;
	const char *name;
} hidden[] = {
	{0x00A0, 0x00A0, "a no-break space"},
	{0x00AD, 0x00AD, "a soft hyphen"},
	{0x034F, 0x034F, "a combining grapheme joiner"},
	{0x061C, 0x061C, "an Arabic letter mark"},
	{0x115F, 0x1160, "a Hangul filler"},
	{0x180E, 0x180E, "a Mongolian vowel separator"},
	{0x2000, 0x200A, "a typographic space"},
	{0x200B, 0x200B, "a zero-width space"},
	{0x200C, 0x200C, "a zero-width non-joiner"},
	{0x200D, 0x200D, "a zero-width joiner"},
	{0x200E, 0x200E, "a left-to-right mark"},
	{0x200F, 0x200F, "a right-to-left mark"},
	{0x2028, 0x2028, "a line separator"},
	{0x2029, 0x2029, "a paragraph separator"},
	{0x202A, 0x202E, "a bidirectional control"},
	{0x202F, 0x202F, "a narrow no-break space"},
	{0x205F, 0x205F, "a medium mathematical space"},
	{0x2060, 0x2060, "a word joiner"},
	{0x2061, 0x2064, "an invisible operator"},
	{0x2066, 0x2069, "a bidirectional isolate"},
	{0x206A, 0x206F, "a deprecated format character"},
	{0x3000, 0x3000, "an ideographic space"},
	{0x3164, 0x3164, "a Hangul filler"},
	{0xFEFF, 0xFEFF, "a byte-order mark"},
	{0xFFA0, 0xFFA0, "a Hangul filler"},
	{0xFFF9, 0xFFFB, "an interlinear annotation character"},
	{0xE0000, 0xE007F, "a tag character"},
};

const char *escape_hidden_name(long cp)
{
	if (cp == '\t')
		return "a tab";
	if ((cp >= 0 && cp < 0x20) || cp == 0x7F)
		return "a control character";
	if (cp >= 0x80 && cp <= 0x9F)
		return "a C1 control character";
	for (size_t i = 0; i < sizeof hidden / sizeof *hidden && hidden[i].lo <= cp; i++)
		if (cp <= hidden[i].hi)
			return hidden[i].name;
	return NULL;
}

int escape_decode(const char *s, long *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	struct utf8 u = {0, 0x80, 0xBF};
	if (!reader_utf8_step(&u, p[0])) {
		*cp = -1;
		return 1;
	}
	int n = u.need + 1;
	long v = n == 1 ? p[0] : p[0] & (0x7F >> n);
	for (int i = 1; i < n; i++) {
		if (!reader_utf8_step(&u, p[i])) { /* also stops at the NUL */
			*cp = -1;
			return 1;
		}
		v = v << 6 | (p[i] & 0x3F);
	}
	*cp = v;
	return n;
}

int escape_first_hidden(const char *s, long *cp)
{
	for (int i = 0; s[i];) {
		int n = escape_decode(s + i, cp);
		if (*cp > 0x7F && escape_hidden_name(*cp))
			return i;
		i += n;
	}
	return -1;
}

void config_escape(char *out, size_t len, const char *msg)
{
	if (!out || len == 0)
		return;
	size_t o = 0, i = 0;
	long first = -1;
	while (msg[i]) {
		long cp;
		char esc[24];
		int n = escape_decode(msg + i, &cp);
		const char *piece = msg + i;
		size_t plen = (size_t)n;
		if (cp < 0) {
			snprintf(esc, sizeof esc, "\\x%02X", (unsigned char)msg[i]);
			piece = esc;
			plen = strlen(esc);
		} else if (escape_hidden_name(cp)) {
			snprintf(esc, sizeof esc, "<U+%04lX>", cp);
			piece = esc;
			plen = strlen(esc);
			if (first < 0)
				first = cp;
		}
		if (o + plen >= len) /* never half a character or half an escape */
			break;
		memcpy(out + o, piece, plen);
		o += plen;
		i += (size_t)n;
	}
	out[o] = '\0';
	if (first >= 0 && !msg[i]) { /* a note only after the whole message */
		char note[80];
		int m = snprintf(note, sizeof note, " (U+%04lX is %s)", first, escape_hidden_name(first));
		if (m > 0 && o + (size_t)m < len)
			memcpy(out + o, note, (size_t)m + 1);
	}
}
