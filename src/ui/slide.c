/* slide.c: the s key. The screen's panels (or the zoomed one) as an SVG
 * and a PNG next to the CSV exports, named as they are. The snapshot is
 * taken on the UI thread (bounded by the picture's width, not the run's
 * length); cairo draws and writes on a thread of its own, so a slow disk
 * never holds up the keys. */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "overparam/picture.h"
#include "ui/widgets.h"

struct slide_job {
	pthread_t thread;
	struct picture *pic;
	char stem[PATH_MAX * 2 + 2]; /* dir/overparam-<scenario>-<seed>-<time> */
	char msg[PATH_MAX * 3];
	bool bad;
	atomic_bool done;
};

static void *slide_main(void *arg)
{
	struct slide_job *j = arg;
	static const struct {
		const char *ext;
		enum picture_format f;
	} kinds[] = {{".svg", PICTURE_SVG}, {".png", PICTURE_PNG}};
	char written[2][PATH_MAX], err[PATH_MAX + 128];
	for (size_t i = 0; i < 2; i++) {
		char path[sizeof j->stem + 8];
		snprintf(path, sizeof path, "%s%s", j->stem, kinds[i].ext);
		if (picture_write(j->pic, path, kinds[i].f, true, written[i], err, sizeof err) != 0) {
			snprintf(j->msg, sizeof j->msg, "picture failed: %s", err);
			j->bad = true;
			atomic_store(&j->done, true);
			return NULL;
		}
	}
	/* the name alone, first: the status line is one row (the folder is
	 * --export-dir's); a cut end loses the least */
	const char *svg = strrchr(written[0], '/'), *png = strrchr(written[1], '/');
	snprintf(j->msg, sizeof j->msg, "saved picture %s and %s", svg ? svg + 1 : written[0], png ? png + 1 : written[1]);
	atomic_store(&j->done, true);
	return NULL;
}

struct slide_job *slide_start(const char *dir, const struct scenario *sc, const struct run_desc *d,
			      const struct history *h, int view, bool dark, char *msg, size_t len)
{
	struct slide_job *j = calloc(1, sizeof *j);
	if (!j || !(j->pic = picture_snapshot(sc, d, h, view, dark))) {
		free(j);
		snprintf(msg, len, "picture failed: out of memory");
		return NULL;
	}
	char name[PATH_MAX];
	export_stem(sc, h->seed, name, sizeof name);
	snprintf(j->stem, sizeof j->stem, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
	atomic_init(&j->done, false);
	if (pthread_create(&j->thread, NULL, slide_main, j) != 0) {
		picture_free(j->pic);
		free(j);
		snprintf(msg, len, "picture failed: cannot start a thread");
		return NULL;
	}
	snprintf(msg, len, "drawing the picture...");
	return j;
}

bool slide_poll(struct slide_job *j, char *msg, size_t len, bool *bad)
{
	if (!atomic_load(&j->done))
		return false;
	snprintf(msg, len, "%s", j->msg);
	*bad = j->bad;
	return true;
}

bool slide_end(struct slide_job *j, double wait)
{
	if (!j)
		return true;
	struct timespec step = {0, 10L * 1000 * 1000};
	for (double t = 0; t < wait && !atomic_load(&j->done); t += 0.01)
		nanosleep(&step, NULL);
	if (!atomic_load(&j->done)) {
		/* cairo cannot be stopped: the thread ends with the process, and
		 * its temporary file is all it leaves */
		pthread_detach(j->thread);
		return false;
	}
	pthread_join(j->thread, NULL);
	bool ok = !j->bad;
	picture_free(j->pic);
	free(j);
	return ok;
}
