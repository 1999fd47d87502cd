/* meta.c: a run's row in the store: the scenario text as run (the file as
 * it was read, then a comment block with the --set overrides and the knob
 * values in force), seed, knobs, version, series labels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/meta.h"

#ifndef OVERPARAM_VERSION
#define OVERPARAM_VERSION "0.1.0"
#endif

#define SOURCES_MAX 64
#define SOURCE_MAX_BYTES (1u << 20)

/* The files as read at start-up (store_note_source), by path. */
static struct source {
	char path[256];
	char *text;
	char *sets;
} sources[SOURCES_MAX];
static int n_sources;

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(SOURCE_MAX_BYTES + 1);
	size_t n = buf ? fread(buf, 1, SOURCE_MAX_BYTES, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	return buf;
}

static char *join_sets(const char *const *sets /* (n) */, int n)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(sets[i]) + 1;
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (int i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? "\n" : "", sets[i]);
	return s;
}

void store_note_source(const char *path, const char *const *sets, int n_sets)
{
	if (n_sources == SOURCES_MAX)
		return;
	struct source *s = &sources[n_sources];
	snprintf(s->path, sizeof s->path, "%s", path);
	s->text = read_file(path);
	s->sets = join_sets(sets, n_sets);
	if (s->text && s->sets)
		n_sources++;
	else {
		free(s->text);
		free(s->sets);
	}
}

void store_forget_sources(void)
{
	for (int i = 0; i < n_sources; i++) {
		free(sources[i].text);
		free(sources[i].sets);
	}
	n_sources = 0;
}

static const struct source *find_source(const char *path)
{
	for (int i = 0; i < n_sources; i++)
		if (strcmp(sources[i].path, path) == 0)
			return &sources[i];
	return NULL;
}

void meta_knobs(const struct scenario *sc, char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (int k = 0; k < sc->n_knobs && used < len; k++) {
		char v[32];
		scenario_knob_format(sc->knobs[k].values[sc->knobs[k].current], v, sizeof v);
		used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", k ? " " : "", sc->knobs[k].name, v);
	}
}

/* The file, then what changed it, as comments: the text still reads as
 * the file alone, and says how the run differed from it. */
static char *text_as_run(const char *file, const char *sets, const char *knobs)
{
	size_t len = strlen(file) + 2 * strlen(sets) + strlen(knobs) + 256;
	char *t = malloc(len);
	if (!t)
		return NULL;
	size_t n = (size_t)snprintf(t, len, "%s", file);
	if (n > 0 && t[n - 1] != '\n')
		t[n++] = '\n';
	n += (size_t)snprintf(t + n, len - n, "; ---- as run by overparam %s ----\n", OVERPARAM_VERSION);
	for (const char *p = sets; *p;) {
		size_t k = strcspn(p, "\n");
		n += (size_t)snprintf(t + n, len - n, "; --set %.*s\n", (int)k, p);
		p += k + (p[k] == '\n');
	}
	if (*knobs)
		snprintf(t + n, len - n, "; knobs %s\n", knobs);
	return t;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int headline_metric(const struct run_desc *d)
{
	if (d->headline > 0)
		return d->headline - 1;
	for (int v = 0; v < d->n_views; v++)
		if (d->views[v].kind == VIEW_LINES && d->views[v].n_metrics > 0)
			return (int)d->views[v].metrics[0];
	return -1;
}

struct run_meta *meta_make(const struct scenario *sc, uint64_t seed, const char *mode)
{
	struct run_meta *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	const struct source *src = find_source(sc->path);
	char *file = src ? NULL : read_file(sc->path);
	m->sets = strdup(src ? src->sets : "");
	meta_knobs(sc, m->knobs, sizeof m->knobs);
	const char *text = src ? src->text : file ? file : "";
	m->text = m->sets ? text_as_run(text, m->sets, m->knobs) : NULL;
	free(file);
	if (!m->text) {
		meta_free(m);
		return NULL;
	}
	snprintf(m->scenario, sizeof m->scenario, "%s", sc->path);
	snprintf(m->title, sizeof m->title, "%s", sc->title);
	snprintf(m->kind, sizeof m->kind, "%s", scenario_kind_name(sc->kind));
	snprintf(m->mode, sizeof m->mode, "%s", mode);
	m->seed = seed;
	m->started = wall_now();
	struct run_desc d;
	experiment_describe(sc, &d);
	m->planned = d.planned_epochs;
	m->n_series = d.n_series < RUN_MAX_SERIES ? d.n_series : RUN_MAX_SERIES;
	for (int i = 0; i < m->n_series; i++)
		snprintf(m->labels[i], sizeof m->labels[i], "%s", d.series_label[i]);
	m->headline = headline_metric(&d);
	return m;
}

void meta_free(struct run_meta *m)
{
	if (!m)
		return;
	free(m->text);
	free(m->sets);
	free(m);
}
