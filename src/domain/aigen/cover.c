#include "domain/aigen/aigen.h"

#include <stdio.h>
#include <string.h>

/* A rendition a generator sent along must be the PNG of the size it names. */
static int check_rendition(const aigen_png *p, int w, int h, const image_inspector *in,
			   app_err *err)
{
	image_info info;
	app_err why;

	if (!p->data)
		return 0;
	app_err_clear(&why);
	if (image_inspector_inspect(&info, in, p->data, p->len, NULL, &why) != 0 ||
	    strcmp(info.mime, "image/png") != 0 || info.width != (unsigned)w ||
	    info.height != (unsigned)h || p->width != w || p->height != h)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				   "the %dx%d rendition is not a PNG of that size", w, h);
	return 0;
}

int aigen_cover_check(aigen_image *img, const image_inspector *in, int builtin, app_err *err)
{
	image_limits lim = {
	    .max_bytes = AIGEN_COVER_MAX_BYTES,
	    .min_side = AIGEN_COVER_MIN_SIDE,
	    .max_side = AIGEN_COVER_MAX_SIDE,
	};
	image_info info;
	app_err why;
	int rc;

	if (!img->data || img->len == 0)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "the image is empty");
	/* the built-in generator writes its SVG itself, every text escaped */
	if (builtin && strcmp(img->mime, "image/svg+xml") == 0)
		return 0;
	app_err_clear(&why);
	rc = image_inspector_inspect(&info, in, img->data, img->len, &lim, &why);
	if (rc == APP_ENOMEM)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	/* an image that does not decode is a bad answer, worth another try like any other */
	if (rc)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "%s",
				   why.msg[0] ? why.msg : "the image does not decode");
	if ((rc = check_rendition(&img->png_full, AIGEN_COVER_FULL_W, AIGEN_COVER_FULL_H, in,
				  err)) ||
	    (rc = check_rendition(&img->png_thumb, AIGEN_COVER_THUMB_W, AIGEN_COVER_THUMB_H, in,
				  err)))
		return rc;
	snprintf(img->mime, sizeof(img->mime), "%s", info.mime);
	img->len = info.len; /* what follows the image's end is not kept */
	return 0;
}
