/*
 * The image decoder on arbitrary bytes: covers come from image providers and
 * from authors. Whatever comes in, inspection must not crash, leak, read out
 * of bounds or run away; what it accepts must be within the limits, must
 * decode again from its own bytes alone (info.len), and must scale to a
 * rendition that is itself a PNG of exactly the asked size.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/image/image_codec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small enough that a fuzzing run spends its time on formats, not on big rows. */
static const image_limits fuzz_limits = {.max_side = 1024, .max_pixels = 512 * 1024};

static void check_accepted(const uint8_t *data, const image_info *info)
{
	image_inspector in = image_codec_inspector();
	image_scaler sc = image_codec_scaler();
	image_info again, out_info;
	unsigned char *png = NULL;
	size_t png_len = 0;
	app_err err;
	int rc;

	if (strcmp(info->mime, "image/png") != 0 && strcmp(info->mime, "image/jpeg") != 0)
		abort();
	if (info->width < 1 || info->height < 1 || info->width > fuzz_limits.max_side ||
	    info->height > fuzz_limits.max_side ||
	    (uint64_t)info->width * info->height > fuzz_limits.max_pixels)
		abort();
	rc = image_inspector_inspect(&again, &in, data, info->len, &fuzz_limits, &err);
	if (rc == APP_ENOMEM)
		return;
	if (rc != 0 || again.width != info->width || again.height != info->height ||
	    again.len != info->len)
		abort();
	rc = image_scaler_cover_png(&png, &png_len, &sc, data, info->len, &fuzz_limits, 20, 30,
				    &err);
	if (rc == APP_ENOMEM)
		return;
	if (rc != 0)
		abort();
	rc = image_inspector_inspect(&out_info, &in, png, png_len, NULL, &err);
	if (rc == 0 && (strcmp(out_info.mime, "image/png") != 0 || out_info.width != 20 ||
			out_info.height != 30 || out_info.len != png_len))
		abort();
	if (rc != 0 && rc != APP_ENOMEM)
		abort();
	free(png);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	image_inspector in = image_codec_inspector();
	image_info info;
	app_err err;
	int rc;

	memset(&info, 0, sizeof(info));
	rc = image_inspector_inspect(&info, &in, data, size, &fuzz_limits, &err);
	if (rc == 0) {
		if (info.len == 0 || info.len > size)
			abort();
		check_accepted(data, &info);
	} else if (rc != APP_EINVALID && rc != APP_ENOMEM) {
		abort();
	} else if (info.width != 0 || err.code != rc) {
		abort(); /* out untouched, the error says what happened */
	}
	return 0;
}
