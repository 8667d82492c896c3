/*
 * The memory a thread draws covers in, kept for its next cover. Fresh pages
 * for every cover cost more than drawing it: several MB a cover (the two
 * images, the PNG scanlines), each 4 KiB page faulted in on first touch and
 * given back to the system when freed, about half the time of a cover. A
 * thread keeps one workspace (about 5 MB) until it ends.
 */
#include "adapters/llm_offline/offline_cover.h"
#include "ports/image_generator.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdlib.h>

struct cover_work {
	cairo_surface_t *image[2]; /* RGB24: full size, thumbnail */
	unsigned char *raw, *z;	   /* the scanlines and their zlib stream */
	size_t raw_cap, z_cap;
	struct libdeflate_compressor *deflate;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_key_t key;
static int have_key;
/* this thread's workspace; also what keeps it reachable for a leak checker */
static _Thread_local cover_work *mine;

static void work_free(void *p)
{
	cover_work *w = p;

	if (!w)
		return;
	for (int i = 0; i < 2; i++)
		if (w->image[i])
			cairo_surface_destroy(w->image[i]);
	free(w->raw);
	free(w->z);
	if (w->deflate)
		libdeflate_free_compressor(w->deflate);
	free(w);
}

static void make_key(void)
{
	have_key = pthread_key_create(&key, work_free) == 0;
}

static cover_work *work_new(void)
{
	cover_work *w = calloc(1, sizeof(*w));
	int ok = w != NULL;

	for (int i = 0; ok && i < 2; i++) {
		w->image[i] = cairo_image_surface_create(
		    CAIRO_FORMAT_RGB24, i ? AIGEN_COVER_THUMB_W : AIGEN_COVER_FULL_W,
		    i ? AIGEN_COVER_THUMB_H : AIGEN_COVER_FULL_H);
		ok = cairo_surface_status(w->image[i]) == CAIRO_STATUS_SUCCESS;
	}
	if (ok)
		ok = (w->deflate = libdeflate_alloc_compressor(1)) != NULL;
	if (!ok) {
		work_free(w);
		return NULL;
	}
	return w;
}

cover_work *cover_work_get(app_err *err)
{
	cover_work *w = NULL;

	pthread_once(&once, make_key);
	if (mine)
		return mine;
	/* the key frees it when the thread ends */
	if (have_key && (w = work_new()) && pthread_setspecific(key, w) == 0)
		return mine = w;
	work_free(w);
	app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	return NULL;
}

cairo_surface_t *cover_work_image(cover_work *w, int thumb)
{
	return w->image[thumb ? 1 : 0];
}

/* *buf holding at least n bytes (*cap of them), kept for the next call. */
static unsigned char *grown(unsigned char **buf, size_t *cap, size_t n)
{
	unsigned char *p;

	if (n <= *cap)
		return *buf;
	if (!(p = realloc(*buf, n)))
		return NULL;
	*buf = p;
	*cap = n;
	return p;
}

unsigned char *cover_work_raw(cover_work *w, size_t n)
{
	return grown(&w->raw, &w->raw_cap, n);
}

unsigned char *cover_work_deflate(cover_work *w, const unsigned char *raw, size_t n, size_t *len)
{
	unsigned char *z = grown(&w->z, &w->z_cap, libdeflate_zlib_compress_bound(w->deflate, n));

	*len = z ? libdeflate_zlib_compress(w->deflate, raw, n, z, w->z_cap) : 0;
	return *len ? z : NULL;
}
