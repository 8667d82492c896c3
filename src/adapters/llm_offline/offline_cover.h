/*
 * The offline cover: one drawing routine (Cairo + Pango) for the SVG and the
 * PNG renditions. Internal to the adapter.
 */
#ifndef WL_ADAPTER_LLM_OFFLINE_COVER_H
#define WL_ADAPTER_LLM_OFFLINE_COVER_H

#include <cairo.h>
#include <pango/pangocairo.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/common/strbuf.h"

#define COVER_W 600.0
#define COVER_H 900.0

/* What a cover is drawn from: clean UTF-8 strings and indexes into the vocabularies. */
typedef struct cover_spec {
	const char *title; /* never NULL; at most COVER_TITLE_MAX characters */
	const char *pen;   /* never NULL; "" for none */
	int genre;	   /* index into aigen_genres() */
	int motif[3];	   /* indexes into the motif codes; the first is the emblem */
	int nmotifs;
	int korean; /* the title reads as Korean: labels and line breaking follow */
	uint32_t seed;
} cover_spec;

#define COVER_TITLE_MAX 200
#define COVER_PEN_MAX	60

typedef struct rgb {
	double r, g, b;
} rgb;

/* The colours an emblem is drawn with. */
typedef struct emblem_ink {
	rgb fill;  /* the shape */
	rgb shade; /* details on it (windows, knobs, veins) */
	rgb glow;  /* the soft light behind it */
	double glow_alpha;
	int raster; /* drawing on an image: the glow may be computed small and scaled */
} emblem_ink;

/* --- cover_fonts.c ------------------------------------------------------------------- */

/*
 * Takes the process-wide font lock and returns the font map. Pango is used
 * under this lock only. APP_EUNAVAILABLE with a clear message when no font
 * for Korean is installed (the lock is not held then).
 */
int cover_fonts_lock(PangoFontMap **out, app_err *err);
void cover_fonts_unlock(void);
/* The family to ask for: want when it is installed, else the best Korean one found. */
const char *cover_fonts_family(const char *want);

/* --- cover_draw.c -------------------------------------------------------------------- */

/*
 * Draws the cover on cr in a COVER_W x COVER_H user space (the caller
 * scales). raster: cr draws on an image, where a gradient may be computed
 * small and scaled (the same picture, faster); else everything stays vector.
 * Font lock held.
 */
void cover_draw(cairo_t *cr, PangoContext *ctx, const cover_spec *spec, int raster);
/* Appends the title's lines as cover_draw() sets them, '\n' between; returns how many. */
int cover_title_lines(strbuf *out, PangoContext *ctx, const cover_spec *spec);

/* --- cover_emblem.c ------------------------------------------------------------------ */

/* Draws motif (an index into the motif codes) centred on (cx, cy), size px across. */
void cover_emblem(cairo_t *cr, int motif, double cx, double cy, double size, const emblem_ink *ink,
		  uint32_t seed);

/* --- cover_work.c -------------------------------------------------------------------- */

/* The memory the calling thread draws covers in, kept until the thread ends. */
typedef struct cover_work cover_work;

/* This thread's workspace, made on its first cover; NULL and APP_ENOMEM without memory. */
cover_work *cover_work_get(app_err *err);
/* Its RGB24 image, AIGEN_COVER_FULL_W x _H or (thumb) AIGEN_COVER_THUMB_W x _H; w owns it. */
cairo_surface_t *cover_work_image(cover_work *w, int thumb);
/* A buffer of at least n bytes, w's, valid until the next call; NULL without memory. */
unsigned char *cover_work_raw(cover_work *w, size_t n);
/* The zlib stream of raw (fastest level) in w's buffer, *len bytes; NULL without memory. */
unsigned char *cover_work_deflate(cover_work *w, const unsigned char *raw, size_t n, size_t *len);

/* --- cover_png.c --------------------------------------------------------------------- */

/*
 * Encodes an RGB24 image surface as PNG (fast compression: covers are
 * drawn, not photographed), in wk's buffers. *out is malloc'ed, owned by
 * the caller. APP_ENOMEM, or APP_EIO when libpng fails.
 */
int cover_png_encode(unsigned char **out, size_t *len, cairo_surface_t *s, cover_work *wk,
		     app_err *err);

/* --- small shared helpers ------------------------------------------------------------ */

static inline void cover_set(cairo_t *cr, rgb c, double alpha)
{
	cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

/* xorshift32: the deterministic stream textures and skylines are drawn from. */
static inline uint32_t cover_rand(uint32_t *s)
{
	uint32_t x = *s ? *s : 0x9E3779B9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

/* A value in [lo, hi) from the stream. */
static inline double cover_uniform(uint32_t *s, double lo, double hi)
{
	return lo + (hi - lo) * (double)(cover_rand(s) >> 8) / (double)(1u << 24);
}

#endif
