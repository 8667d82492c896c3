#include "adapters/image/image_codec.h"

#include <stdio.h>
#include <string.h>

#include <png.h>

#include "adapters/image/image_internal.h"

int image_refuse(app_err *err, const char *format, const char *why)
{
	return app_err_set(err, APP_EINVALID, NULL, "image", "the image does not decode (%s: %s)",
			   format, why);
}

int image_size_check(const image_limits *lim, unsigned width, unsigned height, app_err *err)
{
	if (width < lim->min_side || height < lim->min_side || width > lim->max_side ||
	    height > lim->max_side)
		return app_err_set(err, APP_EINVALID, NULL, "image",
				   "the image is %ux%u px; each side must be %u to %u px", width,
				   height, lim->min_side, lim->max_side);
	if ((uint64_t)width * height > lim->max_pixels)
		return app_err_set(err, APP_EINVALID, NULL, "image",
				   "the image is %ux%u px, over %llu pixels", width, height,
				   (unsigned long long)lim->max_pixels);
	return 0;
}

int image_decode(image_info *out, const unsigned char *data, size_t len, const image_limits *lim_in,
		 const image_sink *sink, app_err *err)
{
	image_limits lim = lim_in ? *lim_in : (image_limits){0};

	if (lim.min_side == 0)
		lim.min_side = 1;
	if (lim.max_side == 0 || lim.max_side > IMAGE_SIDE_CEILING)
		lim.max_side = IMAGE_SIDE_CEILING;
	if (lim.max_pixels == 0)
		lim.max_pixels = (uint64_t)lim.max_side * lim.max_side;
	if (lim.max_bytes && len > lim.max_bytes)
		return app_err_set(err, APP_EINVALID, NULL, "image",
				   "the image is %zu bytes, over %zu", len, lim.max_bytes);
	if (!data)
		len = 0;
	/* libpng tells its signature; libjpeg says itself when the data is not a JPEG */
	if (len >= 8 && png_sig_cmp(data, 0, 8) == 0)
		return image_png_decode(out, data, len, &lim, sink, err);
	return image_jpeg_decode(out, data, len, &lim, sink, err);
}

static int image_codec_inspect(image_info *out, void *self, const unsigned char *data, size_t len,
			       const image_limits *lim, app_err *err)
{
	(void)self;
	return image_decode(out, data, len, lim, NULL, err);
}

static const image_inspector_vtbl image_codec_inspector_vtbl = {
    .inspect = image_codec_inspect,
};

image_inspector image_codec_inspector(void)
{
	return (image_inspector){.vtbl = &image_codec_inspector_vtbl, .self = NULL};
}
