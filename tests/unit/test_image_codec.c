/* The image adapter: decoding to the end, limits, and cover-fit PNG renditions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "adapters/image/image_codec.h"
#include "ports/image_generator.h"
#include "support/test_images.h"

static const image_limits cover_limits = {
    .max_bytes = 2 * 1024 * 1024, .min_side = 300, .max_side = 4000};

static int inspect(image_info *info, const unsigned char *data, size_t len, const image_limits *lim,
		   app_err *err)
{
	image_inspector in = image_codec_inspector();

	memset(info, 0, sizeof(*info));
	app_err_clear(err);
	return image_inspector_inspect(info, &in, data, len, lim, err);
}

static void assert_refused(const unsigned char *data, size_t len, const image_limits *lim,
			   const char *needle)
{
	image_info info;
	app_err err;

	assert_int_equal(inspect(&info, data, len, lim, &err), APP_EINVALID);
	assert_int_equal(err.code, APP_EINVALID);
	assert_string_equal(err.field, "image");
	if (!strstr(err.msg, needle))
		fail_msg("\"%s\" not in \"%s\"", needle, err.msg);
	assert_int_equal(info.width, 0); /* nothing filled on failure */
}

static void test_png_kinds_decode(void **state)
{
	static const int kinds[] = {TEST_PNG_RGB, TEST_PNG_RGBA, TEST_PNG_GRAY, TEST_PNG_PALETTE,
				    TEST_PNG_RGB16};
	image_info info;
	app_err err;

	(void)state;
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		for (int interlace = 0; interlace < 2; interlace++) {
			size_t len;
			unsigned char *png = test_png(&len, 320, 480, kinds[k], interlace, NULL);

			assert_int_equal(inspect(&info, png, len, &cover_limits, &err), 0);
			assert_string_equal(info.mime, "image/png");
			assert_int_equal(info.width, 320);
			assert_int_equal(info.height, 480);
			assert_int_equal(info.len, len);
			free(png);
		}
	}
}

static void test_jpeg_kinds_decode(void **state)
{
	image_info info;
	app_err err;

	(void)state;
	for (int kind = TEST_JPEG_RGB; kind <= TEST_JPEG_GRAY; kind++) {
		for (int progressive = 0; progressive < 2; progressive++) {
			size_t len;
			unsigned char *jpg = test_jpeg(&len, 301, 455, kind, progressive, NULL);

			assert_int_equal(inspect(&info, jpg, len, &cover_limits, &err), 0);
			assert_string_equal(info.mime, "image/jpeg");
			assert_int_equal(info.width, 301);
			assert_int_equal(info.height, 455);
			assert_int_equal(info.len, len);
			free(jpg);
		}
	}
}

/* What merely starts like an image is not one. */
static void test_signature_alone_is_not_an_image(void **state)
{
	static const unsigned char png_sig_junk[] = "\x89PNG\r\n\x1a\n<script>alert(1)</script>";
	static const unsigned char jpeg_sig_junk[] = "\xff\xd8\xff\xe0JFIF but no more";
	static const unsigned char gif[] = "GIF89a\x01\x00\x01\x00\x00\x00\x00;";

	(void)state;
	assert_refused(png_sig_junk, sizeof(png_sig_junk) - 1, NULL, "does not decode (PNG");
	assert_refused(jpeg_sig_junk, sizeof(jpeg_sig_junk) - 1, NULL, "does not decode (JPEG");
	assert_refused(gif, sizeof(gif) - 1, NULL, "neither PNG nor JPEG");
	assert_refused((const unsigned char *)"", 0, NULL, "neither PNG nor JPEG");
	assert_refused(NULL, 0, NULL, "neither PNG nor JPEG");
	assert_refused((const unsigned char *)"<svg/>", 6, NULL, "neither PNG nor JPEG");
}

static void test_truncated_images_are_refused(void **state)
{
	size_t plen, jlen, i;
	unsigned char *png = test_png(&plen, 300, 450, TEST_PNG_RGB, 0, test_paint_bands);
	unsigned char *jpg = test_jpeg(&jlen, 300, 450, TEST_JPEG_RGB, 0, test_paint_bands);
	unsigned char *pjpg;
	size_t pjlen;
	/* at the header, inside the image data, before IEND, within IEND's CRC */
	size_t png_cuts[] = {8, 40, plen / 2, plen - 12, plen - 1};
	size_t jpg_cuts[] = {2, 200, jlen / 2, jlen - 2};

	(void)state;
	for (i = 0; i < sizeof(png_cuts) / sizeof(png_cuts[0]); i++)
		assert_refused(png, png_cuts[i], NULL, "does not decode (PNG");
	for (i = 0; i < sizeof(jpg_cuts) / sizeof(jpg_cuts[0]); i++)
		assert_refused(jpg, jpg_cuts[i], NULL, "does not decode (JPEG");
	/* a progressive JPEG cut after its first scans still has a picture: not enough */
	pjpg = test_jpeg(&pjlen, 300, 450, TEST_JPEG_RGB, 1, test_paint_bands);
	assert_refused(pjpg, pjlen * 2 / 3, NULL, "does not decode (JPEG");
	free(pjpg);
	free(png);
	free(jpg);
}

static void test_corrupt_data_is_refused(void **state)
{
	size_t plen, jlen;
	unsigned char *png = test_png(&plen, 300, 450, TEST_PNG_RGB, 0, test_paint_bands);
	unsigned char *jpg = test_jpeg(&jlen, 300, 450, TEST_JPEG_RGB, 0, test_paint_bands);

	(void)state;
	png[plen / 2] ^= 0x55; /* inside IDAT: its CRC no longer matches */
	assert_refused(png, plen, NULL, "does not decode (PNG");
	/* entropy-coded data replaced by a marker-like run */
	memset(jpg + jlen / 2, 0xff, 16);
	assert_refused(jpg, jlen, NULL, "does not decode (JPEG");
	free(png);
	free(jpg);
}

static void test_trailing_bytes_are_not_part_of_the_image(void **state)
{
	static const char tail[] = "<html><script>alert(1)</script></html>";
	size_t plen, jlen;
	unsigned char *png = test_png(&plen, 300, 450, TEST_PNG_RGB, 0, NULL);
	unsigned char *jpg = test_jpeg(&jlen, 300, 450, TEST_JPEG_RGB, 0, NULL);
	unsigned char *p2 = test_append(png, plen, tail, sizeof(tail) - 1);
	unsigned char *j2 = test_append(jpg, jlen, tail, sizeof(tail) - 1);
	image_info info;
	app_err err;

	(void)state;
	assert_int_equal(inspect(&info, p2, plen + sizeof(tail) - 1, NULL, &err), 0);
	assert_int_equal(info.len, plen);
	assert_int_equal(inspect(&info, j2, jlen + sizeof(tail) - 1, NULL, &err), 0);
	assert_int_equal(info.len, jlen);
	free(p2);
	free(j2);
	free(png);
	free(jpg);
}

static void test_limits(void **state)
{
	image_limits pixels = {.max_pixels = 100 * 100};
	size_t len;
	unsigned char *small = test_png(&len, 299, 450, TEST_PNG_RGB, 0, NULL);

	(void)state;
	assert_refused(small, len, &cover_limits, "299x450 px; each side must be 300 to 4000 px");
	free(small);
	small = test_jpeg(&len, 4001, 300, TEST_JPEG_GRAY, 0, NULL);
	assert_refused(small, len, &cover_limits, "4001x300 px");
	free(small);
	small = test_png(&len, 101, 100, TEST_PNG_GRAY, 0, NULL);
	assert_refused(small, len, &pixels, "over 10000 pixels");
	free(small);
	small = test_png(&len, 300, 300, TEST_PNG_RGB, 0, test_paint_bands);
	{
		image_limits bytes = {.max_bytes = len - 1};

		assert_refused(small, len, &bytes, "over");
	}
	free(small);
}

/* PNG's CRC-32 (ISO 3309), bit by bit: only to forge a header in a test. */
static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return c ^ 0xffffffffu;
}

/* A header claiming a huge image is refused before anything is allocated for it. */
static void test_huge_declared_size(void **state)
{
	size_t len;
	unsigned char *png = test_png(&len, 300, 300, TEST_PNG_GRAY, 0, NULL);
	uint32_t crc;

	(void)state;
	/* IHDR (type at 12, data at 16..28, CRC at 29): width 100000, the CRC made right */
	png[16] = 0x00;
	png[17] = 0x01;
	png[18] = 0x86;
	png[19] = 0xa0;
	crc = crc32_png(png + 12, 17);
	png[29] = (unsigned char)(crc >> 24);
	png[30] = (unsigned char)(crc >> 16);
	png[31] = (unsigned char)(crc >> 8);
	png[32] = (unsigned char)crc;
	assert_refused(png, len, NULL, "Invalid IHDR");
	free(png);
}

/* A progressive JPEG whose coefficients alone need more than the decoder budget. */
static void test_memory_budget(void **state)
{
	size_t len;
	unsigned char *jpg = test_jpeg(&len, 6000, 6000, TEST_JPEG_GRAY, 1, NULL);

	(void)state;
	assert_refused(jpg, len, NULL, "too much memory");
	free(jpg);
}

static void test_cmyk_jpeg_is_refused(void **state)
{
	size_t len;
	unsigned char *jpg = test_jpeg(&len, 300, 300, TEST_JPEG_CMYK, 0, NULL);

	(void)state;
	assert_refused(jpg, len, NULL, "CMYK");
	free(jpg);
}

static unsigned char *scale(size_t *out_len, const unsigned char *data, size_t len, unsigned w,
			    unsigned h)
{
	image_scaler s = image_codec_scaler();
	unsigned char *out = (unsigned char *)"";
	image_info info;
	app_err err;

	assert_int_equal(
	    image_scaler_cover_png(&out, out_len, &s, data, len, &cover_limits, w, h, &err), 0);
	assert_non_null(out);
	/* the rendition is itself a PNG that decodes, of exactly the asked size */
	assert_int_equal(inspect(&info, out, *out_len, NULL, &err), 0);
	assert_string_equal(info.mime, "image/png");
	assert_int_equal(info.width, w);
	assert_int_equal(info.height, h);
	return out;
}

static void assert_near(const unsigned char px[4], int r, int g, int b)
{
	if (abs(px[0] - r) > 24 || abs(px[1] - g) > 24 || abs(px[2] - b) > 24 || px[3] != 255)
		fail_msg("pixel %d,%d,%d,%d is not near %d,%d,%d", px[0], px[1], px[2], px[3], r, g,
			 b);
}

static void test_scale_cover_fit(void **state)
{
	/* three bands, red | green | blue, across the longer side */
	static const struct {
		int jpeg, kind, interlace;
		unsigned w, h, rw, rh;
		struct {
			unsigned x, y;
			int r, g, b;
		} probe[3];
	} cases[] = {
	    /* wide: a 2:3 crop keeps the green middle only, corners included */
	    {0, TEST_PNG_RGB, 0, 1800, 900, 600, 900, {{0, 0, 0, 255, 0}, {599, 899, 0, 255, 0}}},
	    /* tall, from a progressive JPEG, upscaled from 300 px wide: the middle again */
	    {1,
	     TEST_JPEG_RGB,
	     1,
	     300,
	     1800,
	     600,
	     900,
	     {{300, 10, 0, 255, 0}, {300, 890, 0, 255, 0}}},
	    /* the same aspect: nothing is cut, the thumb keeps all three bands */
	    {0,
	     TEST_PNG_PALETTE,
	     1,
	     1200,
	     1800,
	     300,
	     450,
	     {{150, 5, 255, 0, 0}, {150, 225, 0, 255, 0}, {150, 445, 0, 0, 255}}},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len, out_len;
		unsigned char *src = cases[i].jpeg
					 ? test_jpeg(&len, cases[i].w, cases[i].h, cases[i].kind,
						     cases[i].interlace, test_paint_bands)
					 : test_png(&len, cases[i].w, cases[i].h, cases[i].kind,
						    cases[i].interlace, test_paint_bands);
		unsigned char *out = scale(&out_len, src, len, cases[i].rw, cases[i].rh);

		for (size_t k = 0; k < 3; k++) {
			unsigned char px[4];

			if (!cases[i].probe[k].r && !cases[i].probe[k].g && !cases[i].probe[k].b)
				continue;
			test_png_pixel(px, out, out_len, cases[i].probe[k].x, cases[i].probe[k].y);
			assert_near(px, cases[i].probe[k].r, cases[i].probe[k].g,
				    cases[i].probe[k].b);
		}
		free(out);
		free(src);
	}
}

static void paint_clear(unsigned char px[4], unsigned x, unsigned y, unsigned w, unsigned h)
{
	test_paint_bands(px, x, y, w, h);
	px[3] = 0;
}

static void test_scale_flattens_on_white(void **state)
{
	size_t len, out_len;
	unsigned char px[4];
	unsigned char *png = test_png(&len, 400, 600, TEST_PNG_RGBA, 0, paint_clear);
	unsigned char *out = scale(&out_len, png, len, AIGEN_COVER_THUMB_W, AIGEN_COVER_THUMB_H);

	(void)state;
	test_png_pixel(px, out, out_len, 150, 225);
	assert_near(px, 255, 255, 255);
	free(out);
	free(png);
}

static void test_scale_refuses_what_inspect_refuses(void **state)
{
	image_scaler s = image_codec_scaler();
	static const unsigned char junk[] = "\x89PNG\r\n\x1a\nnot really";
	unsigned char *out = (unsigned char *)"";
	size_t out_len = 1, len;
	unsigned char *png = test_png(&len, 300, 450, TEST_PNG_RGB, 0, NULL);
	app_err err;

	(void)state;
	assert_int_equal(image_scaler_cover_png(&out, &out_len, &s, junk, sizeof(junk) - 1,
						&cover_limits, 600, 900, &err),
			 APP_EINVALID);
	assert_null(out);
	assert_int_equal(out_len, 0);
	assert_int_equal(
	    image_scaler_cover_png(&out, &out_len, &s, png, len, &cover_limits, 0, 900, &err),
	    APP_EINVALID);
	assert_string_equal(err.field, "width");
	assert_int_equal(image_scaler_cover_png(&out, &out_len, &s, png, len, &cover_limits,
						IMAGE_RENDITION_MAX + 1, 900, &err),
			 APP_EINVALID);
	free(png);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_png_kinds_decode),
	    cmocka_unit_test(test_jpeg_kinds_decode),
	    cmocka_unit_test(test_signature_alone_is_not_an_image),
	    cmocka_unit_test(test_truncated_images_are_refused),
	    cmocka_unit_test(test_corrupt_data_is_refused),
	    cmocka_unit_test(test_trailing_bytes_are_not_part_of_the_image),
	    cmocka_unit_test(test_limits),
	    cmocka_unit_test(test_huge_declared_size),
	    cmocka_unit_test(test_memory_budget),
	    cmocka_unit_test(test_cmyk_jpeg_is_refused),
	    cmocka_unit_test(test_scale_cover_fit),
	    cmocka_unit_test(test_scale_flattens_on_white),
	    cmocka_unit_test(test_scale_refuses_what_inspect_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
