/*
 * PNG renditions of a decoded image. The decoder's rows are cropped to the
 * rendition's aspect and averaged in boxes of f x f pixels on the way in
 * (f the largest whole factor that keeps at least the rendition's size), so
 * memory stays near the rendition's size whatever the source's (but for an
 * interlaced PNG, whose rows are only whole after the last pass: it is held
 * whole, width x height x 4 bytes within the caller's limits); cairo then
 * scales that to the exact size with its good filter, over white, and writes
 * the PNG.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "adapters/image/image_codec.h"
#include "adapters/image/image_internal.h"

typedef struct image_reduce {
	unsigned tw, th;	 /* the rendition */
	unsigned x0, y0, cw, ch; /* the part of the source that is kept */
	unsigned f;		 /* box side */
	unsigned rw, rh;	 /* the reduced image */
	uint64_t *sum;		 /* rw boxes x (B, G, R premultiplied by A * 255, A) */
	uint32_t *px;		 /* rw x rh, cairo's premultiplied ARGB32 */
} image_reduce;

/* The crop: the centred part of a w x h source with the rendition's aspect. */
static void reduce_crop(image_reduce *r, unsigned w, unsigned h)
{
	if ((uint64_t)w * r->th > (uint64_t)h * r->tw) { /* wider than the rendition */
		r->ch = h;
		r->cw = (unsigned)(((uint64_t)h * r->tw + r->th / 2) / r->th);
	} else {
		r->cw = w;
		r->ch = (unsigned)(((uint64_t)w * r->th + r->tw / 2) / r->tw);
	}
	r->cw = r->cw < 1 ? 1 : r->cw > w ? w : r->cw;
	r->ch = r->ch < 1 ? 1 : r->ch > h ? h : r->ch;
	r->x0 = (w - r->cw) / 2;
	r->y0 = (h - r->ch) / 2;
}

static int reduce_begin(void *ctx, unsigned w, unsigned h, app_err *err)
{
	image_reduce *r = ctx;
	unsigned fx, fy;

	reduce_crop(r, w, h);
	fx = r->cw / r->tw;
	fy = r->ch / r->th;
	r->f = fx < fy ? fx : fy;
	if (r->f < 1)
		r->f = 1;
	r->rw = (r->cw + r->f - 1) / r->f;
	r->rh = (r->ch + r->f - 1) / r->f;
	r->sum = calloc((size_t)r->rw * 4, sizeof(*r->sum));
	r->px = malloc((size_t)r->rw * r->rh * sizeof(*r->px));
	if (!r->sum || !r->px)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	return 0;
}

/* Writes one row of boxes (bh source rows high) and clears the sums. */
static void reduce_flush(image_reduce *r, unsigned ry, unsigned bh)
{
	uint32_t *out = r->px + (size_t)ry * r->rw;
	unsigned bx;

	for (bx = 0; bx < r->rw; bx++) {
		uint64_t *s = r->sum + (size_t)bx * 4;
		unsigned bw = r->cw - bx * r->f < r->f ? r->cw - bx * r->f : r->f;
		uint64_t n = (uint64_t)bw * bh, n255 = n * 255;
		/* rounded alike, a premultiplied channel never exceeds alpha */
		uint32_t a = (uint32_t)((s[3] + n / 2) / n);
		uint32_t cr = (uint32_t)((s[2] + n255 / 2) / n255);
		uint32_t cg = (uint32_t)((s[1] + n255 / 2) / n255);
		uint32_t cb = (uint32_t)((s[0] + n255 / 2) / n255);

		out[bx] = a << 24 | cr << 16 | cg << 8 | cb;
	}
	memset(r->sum, 0, (size_t)r->rw * 4 * sizeof(*r->sum));
}

static void reduce_row(void *ctx, unsigned y, const unsigned char *rgba)
{
	image_reduce *r = ctx;
	const unsigned char *p = rgba + (size_t)r->x0 * 4;
	unsigned x, dy;

	if (y < r->y0 || y >= r->y0 + r->ch)
		return;
	for (x = 0; x < r->cw; x++, p += 4) {
		uint64_t *s = r->sum + (size_t)(x / r->f) * 4;
		unsigned a = p[3];

		s[0] += (uint64_t)p[2] * a;
		s[1] += (uint64_t)p[1] * a;
		s[2] += (uint64_t)p[0] * a;
		s[3] += a;
	}
	dy = y - r->y0;
	if (dy % r->f == r->f - 1 || dy == r->ch - 1)
		reduce_flush(r, dy / r->f, dy % r->f + 1);
}

typedef struct png_out {
	unsigned char *data;
	size_t len, cap;
} png_out;

static cairo_status_t png_out_write(void *closure, const unsigned char *data, unsigned int n)
{
	png_out *o = closure;

	if (n > o->cap - o->len) {
		size_t cap = o->cap ? o->cap : 64 * 1024;
		unsigned char *p;

		while (n > cap - o->len)
			cap *= 2;
		p = realloc(o->data, cap);
		if (!p)
			return CAIRO_STATUS_NO_MEMORY;
		o->data = p;
		o->cap = cap;
	}
	memcpy(o->data + o->len, data, n);
	o->len += n;
	return CAIRO_STATUS_SUCCESS;
}

/* Scales the reduced image to the rendition over white and encodes it. */
static int reduce_render(png_out *o, const image_reduce *r, app_err *err)
{
	cairo_surface_t *src = cairo_image_surface_create_for_data(
	    (unsigned char *)r->px, CAIRO_FORMAT_ARGB32, (int)r->rw, (int)r->rh, (int)r->rw * 4);
	cairo_surface_t *dst =
	    cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)r->tw, (int)r->th);
	cairo_t *cr = cairo_create(dst);
	cairo_status_t st;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_scale(cr, (double)r->tw / r->rw, (double)r->th / r->rh);
	cairo_set_source_surface(cr, src, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
	cairo_paint(cr);
	st = cairo_status(cr);
	if (st == CAIRO_STATUS_SUCCESS) {
		cairo_surface_flush(dst);
		st = cairo_surface_write_to_png_stream(dst, png_out_write, o);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(dst);
	cairo_surface_destroy(src);
	if (st == CAIRO_STATUS_NO_MEMORY)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (st != CAIRO_STATUS_SUCCESS)
		return app_err_set(err, APP_EINVALID, NULL, "image",
				   "cannot draw the rendition: %s", cairo_status_to_string(st));
	return 0;
}

static int image_codec_cover_png(unsigned char **out, size_t *out_len, void *self,
				 const unsigned char *data, size_t len, const image_limits *lim,
				 unsigned width, unsigned height, app_err *err)
{
	image_reduce r = {.tw = width, .th = height};
	image_sink sink = {.begin = reduce_begin, .row = reduce_row, .ctx = &r};
	image_info info;
	png_out o = {0};
	int rc;

	(void)self;
	*out = NULL;
	*out_len = 0;
	if (width == 0 || height == 0 || width > IMAGE_RENDITION_MAX ||
	    height > IMAGE_RENDITION_MAX)
		return app_err_set(err, APP_EINVALID, NULL, "width",
				   "a rendition is 1 to %d px a side", IMAGE_RENDITION_MAX);
	rc = image_decode(&info, data, len, lim, &sink, err);
	if (rc == 0)
		rc = reduce_render(&o, &r, err);
	if (rc == 0) {
		*out = o.data;
		*out_len = o.len;
		o.data = NULL;
	}
	free(o.data);
	free(r.sum);
	free(r.px);
	return rc;
}

static const image_scaler_vtbl image_codec_scaler_vtbl = {
    .cover_png = image_codec_cover_png,
};

image_scaler image_codec_scaler(void)
{
	return (image_scaler){.vtbl = &image_codec_scaler_vtbl, .self = NULL};
}
