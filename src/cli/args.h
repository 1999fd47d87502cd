/* args.h: reading the command line beyond getopt (src/cli/args.c). */
#ifndef OVERPARAM_CLI_ARGS_H
#define OVERPARAM_CLI_ARGS_H

#include <getopt.h>
#include <stdint.h>

/* One line on stderr, "\n" added. An argument, a path or TERM quoted in it
 * may hold escape sequences or invisible characters: they are written out
 * (config_escape), so a bad argument cannot upset the terminal. */
void args_complain(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Strict unsigned parse: digits only, no sign, no trailing text, at most
 * max. Returns 0, or -1 leaving *out alone. */
int args_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* --pace: "max" (0), or epochs a second, a plain decimal in 0.1 .. 100000.
 * Returns 0, or -1 leaving *out alone. */
int args_parse_pace(const char *s, double *out);

/* getopt_long's ':' (missing argument) and '?' (anything else) as one
 * clear line on stderr, with a hint about "--" for a file name that begins
 * with '-'. */
void args_bad_option(const struct option *opts, char *const *argv, int argc, int c);

#endif
