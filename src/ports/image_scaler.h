/*
 * Image scaling port: a decoded PNG or JPEG scaled to a fixed-size PNG
 * rendition: link previews and lists need PNG covers of known sizes (the
 * AIGEN_COVER_FULL_* and AIGEN_COVER_THUMB_* of ports/image_generator.h).
 * Cover-fit: scaled so that it fills the rendition, centred, the overflow
 * cropped; transparency is flattened on white.
 */
#ifndef WL_PORT_IMAGE_SCALER_H
#define WL_PORT_IMAGE_SCALER_H

#include <stddef.h>

#include "domain/common/err.h"
#include "ports/image_inspector.h"

/* Largest rendition side. */
#define IMAGE_RENDITION_MAX 4096

typedef struct image_scaler_vtbl {
	/*
	 * Decodes data (len bytes) under lim exactly as the inspector does and
	 * writes a width x height PNG into *out (owned, release with free()),
	 * its size in *out_len. APP_EINVALID as for inspect(), or (field
	 * "width") when a side of the rendition is 0 or above
	 * IMAGE_RENDITION_MAX; APP_ENOMEM. *out is NULL on failure.
	 */
	int (*cover_png)(unsigned char **out, size_t *out_len, void *self,
			 const unsigned char *data, size_t len, const image_limits *lim,
			 unsigned width, unsigned height, app_err *err);
} image_scaler_vtbl;

typedef struct image_scaler {
	const image_scaler_vtbl *vtbl;
	void *self;
} image_scaler;

static inline int image_scaler_cover_png(unsigned char **out, size_t *out_len,
					 const image_scaler *s, const unsigned char *data,
					 size_t len, const image_limits *lim, unsigned width,
					 unsigned height, app_err *err)
{
	return s->vtbl->cover_png(out, out_len, s->self, data, len, lim, width, height, err);
}

#endif
