/*
 * Real images made on the spot for tests, with libpng and libjpeg: any size,
 * colour type, interlacing or progression, painted by a function of (x, y).
 * Each returns a malloc'ed buffer (free() it) and its size, or aborts the
 * test program when the encoder fails.
 */
#ifndef WL_TEST_IMAGES_H
#define WL_TEST_IMAGES_H

#include <stddef.h>
#include <stdint.h>

/* Paints pixel (x, y) of a w x h image: 8-bit RGBA into px. */
typedef void (*test_paint_fn)(unsigned char px[4], unsigned x, unsigned y, unsigned w, unsigned h);

/* A solid mid-blue, opaque. */
void test_paint_solid(unsigned char px[4], unsigned x, unsigned y, unsigned w, unsigned h);
/* Three equal bands, red, green and blue: vertical when w >= h, else horizontal. */
void test_paint_bands(unsigned char px[4], unsigned x, unsigned y, unsigned w, unsigned h);

enum {
	TEST_PNG_RGB = 0,
	TEST_PNG_RGBA = 1,
	TEST_PNG_GRAY = 2,
	TEST_PNG_PALETTE = 3,
	TEST_PNG_RGB16 = 4,
};

/* kind: TEST_PNG_*; interlace: Adam7 when non-zero; paint NULL: solid. */
unsigned char *test_png(size_t *len, unsigned w, unsigned h, int kind, int interlace,
			test_paint_fn paint);

enum {
	TEST_JPEG_RGB = 0,
	TEST_JPEG_GRAY = 1,
	TEST_JPEG_CMYK = 2,
};

/* kind: TEST_JPEG_*; progressive when non-zero; paint NULL: solid. */
unsigned char *test_jpeg(size_t *len, unsigned w, unsigned h, int kind, int progressive,
			 test_paint_fn paint);

/* The pixel (x, y) of a PNG (8-bit RGBA after libpng's simplified reader). Aborts if it fails. */
void test_png_pixel(unsigned char px[4], const unsigned char *png, size_t len, unsigned x,
		    unsigned y);

/* data[0..len) followed by extra bytes of tail (a new malloc'ed buffer). */
unsigned char *test_append(const unsigned char *data, size_t len, const char *tail, size_t n);

#endif
