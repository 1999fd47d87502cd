/* csv.h: the one CSV writer, for `--headless --csv` and the `e` key.
 *
 * Rows are "scenario,series,metric,epoch,index,value": fields quoted as
 * RFC 4180 says (a field with a comma, a quote, CR or LF is quoted, its
 * quotes doubled), the scenario as its file was named on the command line,
 * and the value at full precision: %.9g when it is exactly a float32 (the
 * values the MLP kinds compute in float), %.17g for any other double, so
 * every value reads back exactly (a float32 one when read as a float32).
 *
 * A file is written under a temporary name in its own directory, fsync'd,
 * and renamed into place only when whole: no reader ever sees part of one,
 * and a failed write leaves nothing behind. Rows leave the buffer whole,
 * so even a stream (stdout, a pipe) is never cut mid-row by the writer.
 * The first error stops everything after it and is kept to be reported.
 * Names longer than PATH_MAX are refused (ENAMETOOLONG), never cut. */
#ifndef OVERPARAM_CSV_H
#define OVERPARAM_CSV_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CSV_HEADER "scenario,series,metric,epoch,index,value\n"

enum csv_mode {
	CSV_STREAM,  /* straight to a descriptor: stdout (`-`), a device, a FIFO */
	CSV_REPLACE, /* the path given (--csv FILE), replaced whole when closed */
	CSV_UNIQUE,  /* a new file NAME.csv, else NAME-2.csv, NAME-3.csv, ...:
	              * never one that exists, even against another process */
};

enum { CSV_BUF = 1 << 16 };

struct csv_out {
	enum csv_mode mode;
	int fd;           /* -1 when closed */
	bool own_fd;      /* ours to close (stdout is main's) */
	int err;          /* the first error's errno; 0 while all is well */
	const char *what; /* what failed then: "cannot write", "error writing", ... */
	uint64_t rows;    /* rows taken, the header not counted */
	size_t used;      /* bytes in buf */
	/* The target; CSV_UNIQUE: its name without ".csv". After a good
	 * csv_close, the file written. */
	char path[PATH_MAX];
	char tmp[PATH_MAX]; /* the temporary file until it is renamed; "" when none */
	char buf[CSV_BUF];
};

/* Opens for `--csv PATH`: "-" is stdout, an existing device or FIFO is
 * written as it is, anything else gets a temporary file beside it that
 * replaces it at csv_close. Writes the header. Returns 0, or -1 with
 * w->err and w->what set (nothing left on disk). */
int csv_open_path(struct csv_out *w, const char *path);
/* Opens a new file in dir (NULL or "": the current directory) that
 * csv_close names dir/NAME.csv, or NAME-2.csv, NAME-3.csv, ... when taken.
 * Writes the header. Returns 0, or -1 as csv_open_path. */
int csv_open_new(struct csv_out *w, const char *dir, const char *name);
/* One row; does nothing once an error has happened. */
void csv_row(struct csv_out *w, const char *scenario, const char *series, const char *metric, uint32_t epoch,
	     uint32_t index, double value);
/* Writes out the rows buffered so far. Returns 0, or -1 (w->err). */
int csv_flush(struct csv_out *w);
/* Flushes, fsyncs and closes; puts the file in place (w->path then names
 * it). On any error, the temporary file is removed. Returns 0, or -1. */
int csv_close(struct csv_out *w);
/* Closes and removes the temporary file: for an error found elsewhere. */
void csv_abort(struct csv_out *w);
/* What went wrong, for a message: "No space left on device" ... */
const char *csv_reason(const struct csv_out *w);

/* The value column as csv_row writes it: %.9g for a float32 value, %.17g
 * otherwise. len at least 32. */
void csv_format_value(char *buf /* (len) */, size_t len, double v);
/* A path that --csv must not overwrite: one ending in ".ini" (any case; a
 * shell glob such as `--csv scenarios/ *.ini` makes the first scenario the
 * CSV), or one naming the same file as an input (by device and inode, so
 * any spelling of it). Returns true with the reason in msg. */
bool csv_refuses(const char *path, const char *const *inputs /* (n) */, int n, char *msg /* (len) */, size_t len);

#endif
