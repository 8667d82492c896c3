/*
 * PNG encoding of the rendered covers. The pixels are filtered (Up: the
 * grounds are gradients down the page, so most rows differ little from the
 * one above) and compressed as one buffer with libdeflate (both in the
 * thread's workspace, cover_work.c), twice as fast as
 * zlib and smaller at its fastest level; libpng writes the file around them
 * (signature, IHDR, the IDAT chunk, IEND, their CRCs). Cairo's own writer,
 * zlib at its default effort trying every filter on every row, takes four
 * times as long for the same picture.
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

/*
 * One row as a PNG scanline: the filter byte, then R G B of each pixel less
 * the pixel above (Up), or as they are in the first row (None). Cairo's
 * RGB24 pixel is a native-endian 0x00RRGGBB word.
 */
static void scanline(unsigned char *restrict o, const uint32_t *restrict c,
		     const uint32_t *restrict above, int w)
{
	*o++ = above ? 2 : 0;
	for (int x = 0; x < w; x++, o += 3) {
		uint32_t p = c[x], q = above ? above[x] : 0;

		o[0] = (unsigned char)((p >> 16) - (q >> 16));
		o[1] = (unsigned char)((p >> 8) - (q >> 8));
		o[2] = (unsigned char)(p - q);
	}
}

/* The image's rows as PNG scanlines in the workspace; NULL for no memory. */
static unsigned char *scanlines(cover_work *wk, cairo_surface_t *s, size_t *n)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	size_t stride = (size_t)cairo_image_surface_get_stride(s), row = (size_t)w * 3 + 1;
	const unsigned char *px = cairo_image_surface_get_data(s);
	unsigned char *out = cover_work_raw(wk, row * (size_t)h);

	for (int y = 0; out && y < h; y++)
		scanline(out + (size_t)y * row, (const uint32_t *)(const void *)(px + y * stride),
			 y ? (const uint32_t *)(const void *)(px + (y - 1) * stride) : NULL, w);
	*n = row * (size_t)h;
	return out;
}

/*
 * Writes the PNG around the zlib stream z into b; 0, or -1 when libpng
 * failed (b->oom: for memory). setjmp stays in here with nothing to clobber.
 */
static int write_png(png_buf *b, cairo_surface_t *s, const unsigned char *z, size_t zlen)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;

	if (!info) {
		png_destroy_write_struct(&png, NULL);
		b->oom = 1;
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_set_write_fn(png, b, on_write, on_flush);
	png_set_IHDR(png, info, (png_uint_32)cairo_image_surface_get_width(s),
		     (png_uint_32)cairo_image_surface_get_height(s), 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	png_write_chunk(png, (png_const_bytep) "IDAT", z, zlen);
	png_write_chunk(png, (png_const_bytep) "IEND", NULL, 0);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int cover_png_encode(unsigned char **out, size_t *len, cairo_surface_t *s, cover_work *wk,
		     app_err *err)
{
	png_buf b = {0};
	unsigned char *raw, *z = NULL;
	size_t n = 0, zlen = 0;
	int rc = 0;

	*out = NULL;
	*len = 0;
	cairo_surface_flush(s);
	if ((raw = scanlines(wk, s, &n)))
		z = cover_work_deflate(wk, raw, n, &zlen);
	/* the file is the stream and 57 bytes around it: one allocation */
	if (z && (b.data = malloc(zlen + 64)))
		b.cap = zlen + 64;
	if (!b.data) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	} else if (write_png(&b, s, z, zlen) < 0) {
		free(b.data);
		rc = b.oom ? app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory")
			   : app_err_set(err, APP_EIO, NULL, NULL, "covers: libpng failed");
	} else {
		*out = b.data;
		*len = b.len;
	}
	return rc;
}
