/*
 * Image inspection port: whether some bytes are a PNG or a JPEG that decodes
 * completely (every row, every checksum) within limits, and what it is. The
 * aigen core asks it about every raster cover an image generator returns;
 * author uploads are checked the same way. An implementation never trusts a
 * signature alone and never parses image formats by hand.
 */
#ifndef WL_PORT_IMAGE_INSPECTOR_H
#define WL_PORT_IMAGE_INSPECTOR_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"

/* Hard ceiling of a side, whatever the limits say (the decoders' memory is sized for it). */
#define IMAGE_SIDE_CEILING 16384

/* What a caller accepts. Zero fields take the defaults named. */
typedef struct image_limits {
	size_t max_bytes;    /* input size; 0: any */
	unsigned min_side;   /* each side at least; 0: 1 */
	unsigned max_side;   /* each side at most; 0 or above the ceiling: IMAGE_SIDE_CEILING */
	uint64_t max_pixels; /* width * height at most; 0: max_side squared */
} image_limits;

typedef struct image_info {
	char mime[16]; /* "image/png" or "image/jpeg" */
	unsigned width, height;
	/*
	 * Bytes from the start that make up the image (through PNG's IEND or
	 * JPEG's EOI); anything after them is not part of it and should not be
	 * kept or served.
	 */
	size_t len;
} image_info;

typedef struct image_inspector_vtbl {
	/*
	 * Decodes data (len bytes) completely. APP_EINVALID (field "image")
	 * when it is neither PNG nor JPEG, does not decode to its end, or breaks
	 * a limit; the message says which. APP_ENOMEM. out is filled on success only.
	 */
	int (*inspect)(image_info *out, void *self, const unsigned char *data, size_t len,
		       const image_limits *lim, app_err *err);
} image_inspector_vtbl;

typedef struct image_inspector {
	const image_inspector_vtbl *vtbl;
	void *self;
} image_inspector;

static inline int image_inspector_inspect(image_info *out, const image_inspector *in,
					  const unsigned char *data, size_t len,
					  const image_limits *lim, app_err *err)
{
	return in->vtbl->inspect(out, in->self, data, len, lim, err);
}

#endif
