/*
 * JPEG through libjpeg-turbo: every scanline decoded to the end of the data.
 * libjpeg calls a truncated or corrupt stream a warning and fills in gray;
 * here every warning is an error, so only an image that decodes cleanly
 * passes. Errors come back by longjmp: the state lives in one struct reached
 * through a pointer, so nothing is indeterminate after the jump.
 */
#include "adapters/image/image_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

typedef struct image_jpeg {
	struct jpeg_decompress_struct cinfo;
	struct jpeg_error_mgr jerr;
	struct jpeg_progress_mgr progress;
	jmp_buf jmp;
	char msg[JMSG_LENGTH_MAX];
	int code; /* libjpeg's message code of the failure; -1: ours */
	unsigned char *row;
} image_jpeg;

static image_jpeg *jpeg_ctx(j_common_ptr cinfo)
{
	return (image_jpeg *)cinfo->client_data;
}

static void jpeg_on_error(j_common_ptr cinfo)
{
	image_jpeg *c = jpeg_ctx(cinfo);

	c->code = cinfo->err->msg_code;
	cinfo->err->format_message(cinfo, c->msg);
	longjmp(c->jmp, 1);
}

/* Level -1 is a warning (corrupt or truncated data): fatal here. Trace levels are ignored. */
static void jpeg_on_message(j_common_ptr cinfo, int level)
{
	if (level < 0)
		jpeg_on_error(cinfo);
}

static void jpeg_on_output(j_common_ptr cinfo)
{
	(void)cinfo;
}

static void jpeg_on_progress(j_common_ptr cinfo)
{
	j_decompress_ptr d = (j_decompress_ptr)cinfo;

	if (d->input_scan_number > IMAGE_JPEG_MAX_SCANS) {
		image_jpeg *c = jpeg_ctx(cinfo);

		c->code = -1;
		snprintf(c->msg, sizeof(c->msg), "more than %d scans", IMAGE_JPEG_MAX_SCANS);
		longjmp(c->jmp, 1);
	}
}

/* The part that runs under the setjmp. */
static int jpeg_rows(image_info *out, image_jpeg *c, const unsigned char *data, size_t len,
		     const image_limits *lim, const image_sink *sink, app_err *err)
{
	j_decompress_ptr d = &c->cinfo;
	int rc;

	jpeg_create_decompress(d);
	d->client_data = c;
	d->mem->max_memory_to_use = (long)IMAGE_DECODER_MEMORY;
	c->progress.progress_monitor = jpeg_on_progress;
	d->progress = &c->progress;
	jpeg_mem_src(d, data, (unsigned long)len);
	jpeg_read_header(d, TRUE);
	if ((rc = image_size_check(lim, d->image_width, d->image_height, err)))
		return rc;
	if (d->jpeg_color_space == JCS_CMYK || d->jpeg_color_space == JCS_YCCK)
		return image_refuse(err, "JPEG", "CMYK is not supported; save it as RGB");
	d->out_color_space = JCS_EXT_RGBA;
	jpeg_start_decompress(d);
	if (d->output_width != d->image_width || d->output_height != d->image_height ||
	    d->output_components != 4)
		return image_refuse(err, "JPEG", "unexpected output layout");
	if (sink && sink->begin &&
	    (rc = sink->begin(sink->ctx, d->output_width, d->output_height, err)))
		return rc;
	c->row = malloc((size_t)d->output_width * 4);
	if (!c->row)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	while (d->output_scanline < d->output_height) {
		JSAMPROW r = c->row;
		unsigned y = d->output_scanline;

		if (jpeg_read_scanlines(d, &r, 1) != 1)
			return image_refuse(err, "JPEG", "no scanline");
		if (sink && sink->row)
			sink->row(sink->ctx, y, c->row);
	}
	jpeg_finish_decompress(d);
	snprintf(out->mime, sizeof(out->mime), "image/jpeg");
	out->width = d->output_width;
	out->height = d->output_height;
	out->len = len - d->src->bytes_in_buffer;
	return 0;
}

int image_jpeg_decode(image_info *out, const unsigned char *data, size_t len,
		      const image_limits *lim, const image_sink *sink, app_err *err)
{
	image_jpeg *c = calloc(1, sizeof(*c));
	image_info got = {0};
	int rc;

	if (!c)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	c->cinfo.err = jpeg_std_error(&c->jerr);
	c->jerr.error_exit = jpeg_on_error;
	c->jerr.emit_message = jpeg_on_message;
	c->jerr.output_message = jpeg_on_output;
	c->cinfo.client_data = c;
	if (setjmp(c->jmp)) {
		if (c->code == JERR_NO_SOI || c->code == JERR_INPUT_EMPTY)
			rc = app_err_set(err, APP_EINVALID, NULL, "image",
					 "the image is neither PNG nor JPEG");
		else if (c->code == JERR_OUT_OF_MEMORY)
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		else if (c->code == JERR_NO_BACKING_STORE)
			rc = image_refuse(err, "JPEG", "it needs too much memory to decode");
		else
			rc = image_refuse(err, "JPEG", c->msg);
		goto out;
	}
	rc = jpeg_rows(&got, c, data, len, lim, sink, err);
	if (rc == 0)
		*out = got;
out:
	jpeg_destroy_decompress(&c->cinfo);
	free(c->row);
	free(c);
	return rc;
}
