/*
 * PNG encoding of the rendered covers. The pixels are filtered (Up: the
 * grounds are gradients down the page, so most rows differ little from the
 * one above) and compressed as one buffer with libdeflate, twice as fast as
 * zlib and smaller at its fastest level; libpng writes the file around them
 * (signature, IHDR, the IDAT chunk, IEND, their CRCs). Cairo's own writer,
 * zlib at its default effort trying every filter on every row, takes four
 * times as long for the same picture.
 */
#include "adapters/llm_offline/offline_cover.h"

#include <libdeflate.h>
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

/* The image's rows as PNG scanlines: a filter byte (Up), then R G B less the pixel above. */
static unsigned char *scanlines(cairo_surface_t *s, size_t *n)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	size_t stride = (size_t)cairo_image_surface_get_stride(s), row = (size_t)w * 3 + 1;
	const unsigned char *px = cairo_image_surface_get_data(s);
	unsigned char *out = malloc(row * (size_t)h), *zero = calloc((size_t)w, 4);
	/* cairo's RGB24 is a native-endian 0x00RRGGBB word per pixel */
	const uint32_t one = 1;
	int le = *(const unsigned char *)&one == 1, r = le ? 2 : 1, g = le ? 1 : 2, b = le ? 0 : 3;

	if (!out || !zero) {
		free(out);
		free(zero);
		return NULL;
	}
	for (int y = 0; y < h; y++) {
		const unsigned char *c = px + (size_t)y * stride, *a = y ? c - stride : zero;
		unsigned char *o = out + (size_t)y * row;

		*o++ = 2; /* Up */
		for (int x = 0; x < w; x++, c += 4, a += 4, o += 3) {
			o[0] = (unsigned char)(c[r] - a[r]);
			o[1] = (unsigned char)(c[g] - a[g]);
			o[2] = (unsigned char)(c[b] - a[b]);
		}
	}
	free(zero);
	*n = row * (size_t)h;
	return out;
}

/* The zlib stream of the scanlines. */
static unsigned char *deflated(const unsigned char *raw, size_t n, size_t *len)
{
	struct libdeflate_compressor *c = libdeflate_alloc_compressor(1);
	size_t cap;
	unsigned char *z = NULL;

	*len = 0;
	if (!c)
		return NULL;
	cap = libdeflate_zlib_compress_bound(c, n);
	if ((z = malloc(cap)) && !(*len = libdeflate_zlib_compress(c, raw, n, z, cap))) {
		free(z);
		z = NULL;
	}
	libdeflate_free_compressor(c);
	return z;
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

int cover_png_encode(unsigned char **out, size_t *len, cairo_surface_t *s, app_err *err)
{
	png_buf b = {0};
	unsigned char *raw, *z = NULL;
	size_t n = 0, zlen = 0;
	int rc = 0;

	*out = NULL;
	*len = 0;
	cairo_surface_flush(s);
	raw = scanlines(s, &n);
	if (raw)
		z = deflated(raw, n, &zlen);
	if (!z) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	} else if (write_png(&b, s, z, zlen) < 0) {
		free(b.data);
		rc = b.oom ? app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory")
			   : app_err_set(err, APP_EIO, NULL, NULL, "covers: libpng failed");
	} else {
		*out = b.data;
		*len = b.len;
	}
	free(z);
	free(raw);
	return rc;
}
