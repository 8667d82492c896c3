#include "support/test_images.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

static void die(const char *what)
{
	fprintf(stderr, "test_images: %s\n", what);
	abort();
}

void test_paint_solid(unsigned char px[4], unsigned x, unsigned y, unsigned w, unsigned h)
{
	(void)x;
	(void)y;
	(void)w;
	(void)h;
	px[0] = 40;
	px[1] = 90;
	px[2] = 200;
	px[3] = 255;
}

void test_paint_bands(unsigned char px[4], unsigned x, unsigned y, unsigned w, unsigned h)
{
	unsigned band = w >= h ? x * 3 / w : y * 3 / h;

	px[0] = band == 0 ? 255 : 0;
	px[1] = band == 1 ? 255 : 0;
	px[2] = band == 2 ? 255 : 0;
	px[3] = 255;
}

typedef struct membuf {
	unsigned char *data;
	size_t len, cap;
} membuf;

static void membuf_put(membuf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;

		while (cap < b->len + n)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data)
			die("out of memory");
		b->cap = cap;
	}
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void png_put(png_structp png, png_bytep data, size_t n)
{
	membuf_put(png_get_io_ptr(png), data, n);
}

static void png_flush_nothing(png_structp png)
{
	(void)png;
}

/* One row of the painted image in the layout of kind. */
static void png_row(unsigned char *row, unsigned y, unsigned w, unsigned h, int kind,
		    test_paint_fn paint)
{
	for (unsigned x = 0; x < w; x++) {
		unsigned char px[4];

		paint(px, x, y, w, h);
		switch (kind) {
		case TEST_PNG_RGBA:
			memcpy(row + x * 4, px, 4);
			break;
		case TEST_PNG_GRAY:
			row[x] = (unsigned char)((px[0] + px[1] + px[2]) / 3);
			break;
		case TEST_PNG_PALETTE:
			row[x] = px[0] ? 0 : px[1] ? 1 : 2;
			break;
		case TEST_PNG_RGB16:
			for (int c = 0; c < 3; c++) {
				row[x * 6 + c * 2] = px[c];
				row[x * 6 + c * 2 + 1] = px[c];
			}
			break;
		default:
			memcpy(row + x * 3, px, 3);
		}
	}
}

unsigned char *test_png(size_t *len, unsigned w, unsigned h, int kind, int interlace,
			test_paint_fn paint)
{
	static const int types[] = {PNG_COLOR_TYPE_RGB, PNG_COLOR_TYPE_RGBA, PNG_COLOR_TYPE_GRAY,
				    PNG_COLOR_TYPE_PALETTE, PNG_COLOR_TYPE_RGB};
	static const png_color palette[] = {{255, 0, 0}, {0, 255, 0}, {0, 0, 255}};
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	membuf b = {0};
	unsigned char *row = malloc((size_t)w * 8);
	int passes;

	if (!png || !info || !row)
		die("png: out of memory");
	/* no setjmp: an encoder error aborts the test program */
	paint = paint ? paint : test_paint_solid;
	png_set_write_fn(png, &b, png_put, png_flush_nothing);
	png_set_IHDR(png, info, w, h, kind == TEST_PNG_RGB16 ? 16 : 8, types[kind],
		     interlace ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (kind == TEST_PNG_PALETTE)
		png_set_PLTE(png, info, palette, 3);
	png_write_info(png, info);
	passes = png_set_interlace_handling(png);
	for (int p = 0; p < passes; p++)
		for (unsigned y = 0; y < h; y++) {
			png_row(row, y, w, h, kind, paint);
			png_write_row(png, row);
		}
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(row);
	*len = b.len;
	return b.data;
}

unsigned char *test_jpeg(size_t *len, unsigned w, unsigned h, int kind, int progressive,
			 test_paint_fn paint)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr e;
	unsigned char *out = NULL, *row = malloc((size_t)w * 4);
	unsigned long n = 0;
	int comps = kind == TEST_JPEG_GRAY ? 1 : kind == TEST_JPEG_CMYK ? 4 : 3;

	if (!row)
		die("jpeg: out of memory");
	paint = paint ? paint : test_paint_solid;
	c.err = jpeg_std_error(&e); /* errors exit the test program */
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &n);
	c.image_width = w;
	c.image_height = h;
	c.input_components = comps;
	c.in_color_space = comps == 1 ? JCS_GRAYSCALE : comps == 4 ? JCS_CMYK : JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 90, TRUE);
	if (progressive)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < h) {
		JSAMPROW r = row;

		for (unsigned x = 0; x < w; x++) {
			unsigned char px[4];

			paint(px, x, c.next_scanline, w, h);
			if (comps == 1)
				row[x] = (unsigned char)((px[0] + px[1] + px[2]) / 3);
			else if (comps == 4)
				for (int k = 0; k < 4; k++)
					row[x * 4 + k] = k < 3 ? (unsigned char)(255 - px[k]) : 0;
			else
				memcpy(row + x * 3, px, 3);
		}
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	free(row);
	*len = n;
	return out;
}

void test_png_pixel(unsigned char px[4], const unsigned char *png, size_t len, unsigned x,
		    unsigned y)
{
	png_image img;
	unsigned char *buf;

	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&img, png, len))
		die("png: cannot read back");
	img.format = PNG_FORMAT_RGBA;
	buf = malloc(PNG_IMAGE_SIZE(img));
	if (!buf || !png_image_finish_read(&img, NULL, buf, 0, NULL))
		die("png: cannot decode back");
	if (x >= img.width || y >= img.height)
		die("png: pixel out of the image");
	memcpy(px, buf + ((size_t)y * img.width + x) * 4, 4);
	free(buf);
	png_image_free(&img);
}

unsigned char *test_append(const unsigned char *data, size_t len, const char *tail, size_t n)
{
	unsigned char *p = malloc(len + n + 1);

	if (!p)
		die("out of memory");
	memcpy(p, data, len);
	memcpy(p + len, tail, n);
	return p;
}
