/*
 * PNG encoding of the rendered covers with libpng. Cairo's own writer uses
 * zlib's default effort and tries every filter per row, four times slower
 * for a drawn image that compresses well anyway; here: one of zlib's fast
 * levels and the Up filter (the grounds are gradients down the page, so most
 * rows differ little from the one above): hardly larger, a third of the time.
 */
#include "adapters/llm_offline/offline_cover.h"

#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

typedef struct png_buf {
	unsigned char *data;
	size_t len, cap;
	int oom;
} png_buf;

static void on_write(png_structp png, png_bytep data, png_size_t n)
{
	png_buf *b = png_get_io_ptr(png);

	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64 * 1024;
		unsigned char *p;

		while (cap < b->len + n)
			cap *= 2;
		if (!(p = realloc(b->data, cap))) {
			b->oom = 1;
			png_error(png, "out of memory");
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, n);
	b->len += n;
}

static void on_flush(png_structp png)
{
	(void)png;
}

static int little_endian(void)
{
	const uint32_t one = 1;

	return *(const unsigned char *)&one == 1;
}

/* Writes the rows of s; longjmps out through libpng on failure. */
static void write_image(png_structp png, png_infop info, cairo_surface_t *s)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	unsigned char *rows = cairo_image_surface_get_data(s);

	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, 2);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
	png_write_info(png, info);
	/* cairo's RGB24 is a native-endian 0x00RRGGBB word per pixel */
	if (little_endian()) {
		png_set_filler(png, 0, PNG_FILLER_AFTER);
		png_set_bgr(png);
	} else {
		png_set_filler(png, 0, PNG_FILLER_BEFORE);
	}
	for (int y = 0; y < h; y++)
		png_write_row(png, rows + (size_t)y * (size_t)stride);
	png_write_end(png, info);
}

int cover_png_encode(unsigned char **out, size_t *len, cairo_surface_t *s, app_err *err)
{
	/* on the heap: what libpng's callbacks write stays defined after a longjmp */
	png_buf *b = calloc(1, sizeof(*b));
	png_structp png = NULL;
	png_infop info = NULL;
	int rc = 0;

	*out = NULL;
	*len = 0;
	cairo_surface_flush(s);
	if (b)
		png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	if (png)
		info = png_create_info_struct(png);
	if (!info) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		free(b->data);
		b->data = NULL;
		rc = b->oom ? app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory")
			    : app_err_set(err, APP_EIO, NULL, NULL, "covers: libpng failed");
		goto out;
	}
	png_set_write_fn(png, b, on_write, on_flush);
	write_image(png, info, s);
	*out = b->data;
	*len = b->len;
out:
	if (png)
		png_destroy_write_struct(&png, &info);
	free(b);
	return rc;
}
