/* export.c: the `e` key. The current run's metrics as CSV, in the same
 * columns and labels as `--headless --csv`, so one script reads both (the
 * grid, as there, under series 0). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ui/widgets.h"

/* The scenario's file name without directory and ".ini". */
static void scenario_stem(const struct scenario *sc, char *buf, size_t len)
{
	const char *base = strrchr(sc->path, '/');
	base = base ? base + 1 : sc->path;
	snprintf(buf, len, "%s", *base ? base : "scenario");
	size_t n = strlen(buf);
	if (n > 4 && strcmp(buf + n - 4, ".ini") == 0)
		buf[n - 4] = 0;
}

/* A CSV field, quoted when it holds a comma, quote or newline. */
static void put_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static void put_row(FILE *f, const char *name, const char *series, enum metric m, uint32_t epoch, uint32_t index,
		    double v)
{
	put_field(f, name);
	fputc(',', f);
	put_field(f, series);
	fprintf(f, ",%s,%u,%u,%.9g\n", metric_name(m), epoch, index, v);
}

int export_csv(const char *dir, const struct scenario *sc, const struct run_desc *d, const struct history *h,
	       char *msg, size_t len)
{
	char stem[256], stamp[32], path[1024];
	scenario_stem(sc, stem, sizeof stem);
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(path, sizeof path, "%s%soverparam-%s-%llu-%s.csv", dir && *dir ? dir : "",
		 dir && *dir && dir[strlen(dir) - 1] != '/' ? "/" : "", stem, (unsigned long long)h->seed, stamp);
	FILE *f = fopen(path, "w");
	if (!f) {
		snprintf(msg, len, "export failed: %s: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "scenario,series,metric,epoch,index,value\n");
	for (int s = 0; s < RUN_MAX_SERIES; s++) {
		const char *label = s < d->n_series ? d->series_label[s] : "run";
		for (int m = 0; m < MET_COUNT; m++) {
			const struct point_series *ps = &h->pts[s][m];
			if (ps->n > 0) {
				for (uint32_t i = 0; i < ps->n; i++)
					put_row(f, stem, label, (enum metric)m, ps->epoch[i], 0, ps->value[i]);
			} else if (h->seen[s][m] && !metric_is_grid((enum metric)m)) {
				/* events and values kept only as their latest */
				put_row(f, stem, label, (enum metric)m, h->last_epoch[s][m], 0, h->last[s][m]);
			}
		}
	}
	/* grid metrics: their latest value at each grid point */
	for (int s = 0; s < RUN_MAX_SERIES; s++) {
		const char *label = s < d->n_series ? d->series_label[s] : "run";
		for (int m = 0; m < MET_COUNT; m++) {
			const double *grid = history_grid(h, s, (enum metric)m);
			for (int i = 0; grid && i < d->n_grid && i < RUN_MAX_GRID; i++)
				if (!isnan(grid[i]))
					put_row(f, stem, label, (enum metric)m, h->grid_epoch[s][m], (uint32_t)i, grid[i]);
		}
	}
	bool bad = ferror(f) != 0;
	if (fclose(f) != 0 || bad) {
		snprintf(msg, len, "export failed: %s: %s", path, strerror(errno ? errno : EIO));
		return -1;
	}
	/* A folded curve (history.h) has only its latest points: say so. */
	uint32_t from = history_kept_from(h);
	if (from)
		snprintf(msg, len, "wrote (summarised before epoch %u): %s", from, path);
	else
		snprintf(msg, len, "wrote %s", path);
	return 0;
}
