/* args.c: what reading the command line needs beyond getopt: strict
 * numbers, one-line complaints that cannot upset the terminal, and a clear
 * message for an option getopt refused. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/args.h"
#include "overparam/config.h"

/* One line on stderr. It may quote an argument, a path or TERM, which can
 * hold escape sequences (--seed $'\e[2J' would clear the screen) or
 * characters that show as nothing: config_escape writes those out. */
void args_complain(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t cap = (size_t)n * 8 + 96; /* a byte becomes at most "<U+001B>", and a note */
	char *raw = malloc((size_t)n + 1), *out = malloc(cap);
	if (raw && out) {
		va_start(ap, fmt);
		vsnprintf(raw, (size_t)n + 1, fmt, ap);
		va_end(ap);
		config_escape(out, cap, raw);
		fprintf(stderr, "%s\n", out);
	} else {
		fputs("overparam: out of memory\n", stderr);
	}
	free(raw);
	free(out);
}

/* Strict unsigned parse: digits only, no sign, no trailing text. */
int args_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	if (!*s)
		return -1;
	for (const char *c = s; *c; c++)
		if (*c < '0' || *c > '9')
			return -1;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Digits with an optional fraction and exponent, as in scenario files,
 * and no sign: a pace or a rate is never negative, and "+5" is a typo. */
static bool is_plain_decimal(const char *s)
{
	return *s != '+' && *s != '-' && config_is_decimal(s);
}

int args_parse_pace(const char *s, double *out)
{
	if (strcmp(s, "max") == 0) {
		*out = 0;
		return 0;
	}
	if (!is_plain_decimal(s))
		return -1;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0.1 && v <= 100000))
		return -1;
	*out = v;
	return 0;
}

/* An unknown option that is likely a file name ("-dash.ini"): it ends in
 * .ini, or names a path that exists. */
static bool dash_file(const char *arg)
{
	struct stat st;
	size_t n = strlen(arg);
	return (n > 4 && strcmp(arg + n - 4, ".ini") == 0) || stat(arg, &st) == 0;
}

#define DASH_HINT "(use -- before file names that begin with -)"

/* The argument an unknown short option came from: getopt has moved optind
 * past it only when the option was its last letter. */
static const char *short_arg(char *const *argv, int argc)
{
	if (optind < argc && argv[optind][0] == '-') {
		const char *at = strchr(argv[optind] + 1, optopt);
		if (at && at[1])
			return argv[optind];
	}
	return argv[optind - 1];
}

/* getopt_long's ':' (missing argument) and '?' (anything else) as one clear
 * line. optopt is 0 for an unknown or ambiguous long option, a long
 * option's value when it was misused, else the unknown short option's
 * letter: -h and -V take no argument, so they never fail in short form. A
 * file name that begins with '-' gets a hint about "--". */
void args_bad_option(const struct option *opts, char *const *argv, int argc, int c)
{
	const struct option *hit = NULL;
	for (const struct option *o = opts; o->name; o++)
		if (optopt != 0 && o->val == optopt)
			hit = o;
	if (c == ':' && hit) {
		args_complain("overparam: option '--%s' needs an argument (see --help)", hit->name);
	} else if (hit) {
		args_complain("overparam: option '--%s' takes no argument (see --help)", hit->name);
	} else if (optopt != 0) {
		const char *arg = short_arg(argv, argc);
		if (dash_file(arg))
			args_complain("overparam: unknown option '-%c' in '%s' " DASH_HINT, optopt, arg);
		else
			args_complain("overparam: unknown option '-%c' (see --help)", optopt);
	} else {
		const char *arg = argv[optind - 1];
		size_t n = strcspn(arg + 2, "=");
		char names[256] = "";
		size_t used = 0;
		int matches = 0;
		for (const struct option *o = opts; o->name; o++)
			if (strncmp(o->name, arg + 2, n) == 0 && used < sizeof names) {
				used += (size_t)snprintf(names + used, sizeof names - used, "%s--%s", matches ? ", " : "",
							 o->name);
				matches++;
			}
		if (matches > 1 && n > 0)
			args_complain("overparam: option '%.*s' is ambiguous: %s", (int)n + 2, arg, names);
		else
			args_complain("overparam: unknown option '%s' %s", arg, dash_file(arg) ? DASH_HINT : "(see --help)");
	}
}
