/*
 * PNG through libpng's row API: every row of every pass is decompressed and
 * unfiltered, every critical chunk's CRC checked, and the data read through
 * IEND. libpng reports errors by longjmp: everything the decoding allocates
 * lives in one struct reached through a pointer, so nothing is lost or left
 * indeterminate when it jumps.
 */
#include "adapters/image/image_internal.h"

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/* Every block carries its size so the budget can be given back on free. */
typedef union png_block {
	max_align_t align;
	size_t size;
} png_block;

typedef struct image_png {
	const unsigned char *data;
	size_t len, off;
	size_t used;	 /* bytes libpng holds */
	int over_budget; /* it asked for more than IMAGE_DECODER_MEMORY */
	int nomem;	 /* malloc itself failed */
	char msg[160];
	png_structp png;
	png_infop info;
	unsigned char *rows; /* one row, or every row of an interlaced image for a sink */
} image_png;

static png_voidp png_on_malloc(png_structp png, png_alloc_size_t n)
{
	image_png *c = png_get_mem_ptr(png);
	png_block *b;

	if (n > IMAGE_DECODER_MEMORY - c->used) {
		c->over_budget = 1;
		return NULL; /* libpng turns this into an error */
	}
	b = malloc(sizeof(*b) + n);
	if (!b) {
		c->nomem = 1;
		return NULL;
	}
	b->size = n;
	c->used += n;
	return b + 1;
}

static void png_on_free(png_structp png, png_voidp p)
{
	image_png *c = png_get_mem_ptr(png);
	png_block *b;

	if (!p)
		return;
	b = (png_block *)p - 1;
	c->used -= b->size;
	free(b);
}

static void png_on_error(png_structp png, png_const_charp msg)
{
	image_png *c = png_get_error_ptr(png);

	snprintf(c->msg, sizeof(c->msg), "%s", msg ? msg : "error");
	png_longjmp(png, 1);
}

/* Warnings are benign by libpng's own judgement (a known-bad sRGB profile, say). */
static void png_on_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

static void png_on_read(png_structp png, png_bytep out, size_t n)
{
	image_png *c = png_get_io_ptr(png);

	if (n > c->len - c->off)
		png_error(png, "the data ends before the image does");
	memcpy(out, c->data + c->off, n);
	c->off += n;
}

/* Every format becomes 8-bit RGBA. */
static void png_to_rgba(png_structp png, png_infop info)
{
	int type = png_get_color_type(png, info);

	png_set_expand(png); /* palette, gray below 8 bits, tRNS */
	png_set_scale_16(png);
	if (type == PNG_COLOR_TYPE_GRAY || type == PNG_COLOR_TYPE_GRAY_ALPHA)
		png_set_gray_to_rgb(png);
	png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
}

/* The part that runs under libpng's setjmp. */
static int png_rows(image_info *out, image_png *c, const image_limits *lim, const image_sink *sink,
		    app_err *err)
{
	/* ancillary chunks nobody reads here are skipped, not decompressed */
	static const png_byte ignored[] = "iCCP\0iTXt\0sPLT\0tEXt\0zTXt\0eXIf";
	png_structp png = c->png;
	png_infop info = c->info;
	unsigned w, h, y;
	int pass, passes, rc;
	size_t rowbytes;
	int keep_all;

	png_set_read_fn(png, c, png_on_read);
	png_set_user_limits(png, lim->max_side, lim->max_side);
	png_set_chunk_malloc_max(png, IMAGE_PNG_CHUNK_MAX);
	png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, ignored, 6);
	png_read_info(png, info);
	w = png_get_image_width(png, info);
	h = png_get_image_height(png, info);
	if ((rc = image_size_check(lim, w, h, err)))
		return rc;
	png_to_rgba(png, info);
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	rowbytes = png_get_rowbytes(png, info);
	if (rowbytes != (size_t)w * 4)
		return image_refuse(err, "PNG", "unexpected row layout");
	if (sink && sink->begin && (rc = sink->begin(sink->ctx, w, h, err)))
		return rc;
	/* Adam7 fills a row over seven passes: a sink then needs them all at once */
	keep_all = passes > 1 && sink && sink->row;
	c->rows = malloc(keep_all ? rowbytes * h : rowbytes);
	if (!c->rows)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	for (pass = 0; pass < passes; pass++) {
		for (y = 0; y < h; y++) {
			unsigned char *row = c->rows + (keep_all ? rowbytes * y : 0);

			png_read_row(png, row, NULL);
			if (pass == passes - 1 && sink && sink->row)
				sink->row(sink->ctx, y, row);
		}
	}
	png_read_end(png, info);
	snprintf(out->mime, sizeof(out->mime), "image/png");
	out->width = w;
	out->height = h;
	out->len = c->off;
	return 0;
}

int image_png_decode(image_info *out, const unsigned char *data, size_t len,
		     const image_limits *lim, const image_sink *sink, app_err *err)
{
	image_png *c = calloc(1, sizeof(*c));
	image_info got = {0};
	int rc;

	if (!c)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	c->data = data;
	c->len = len;
	c->png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, c, png_on_error, png_on_warning, c,
					  png_on_malloc, png_on_free);
	if (c->png)
		c->info = png_create_info_struct(c->png);
	if (!c->png || !c->info) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if (setjmp(png_jmpbuf(c->png))) {
		if (c->nomem)
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		else if (c->over_budget)
			rc = image_refuse(err, "PNG", "it needs too much memory to decode");
		else
			rc = image_refuse(err, "PNG", c->msg);
		goto out;
	}
	rc = png_rows(&got, c, lim, sink, err);
	if (rc == 0)
		*out = got;
out:
	png_destroy_read_struct(&c->png, &c->info, NULL);
	free(c->rows);
	free(c);
	return rc;
}
