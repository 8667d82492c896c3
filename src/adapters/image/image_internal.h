/* Inside the image adapter: the decoders hand rows to a sink. */
#ifndef WL_ADAPTER_IMAGE_INTERNAL_H
#define WL_ADAPTER_IMAGE_INTERNAL_H

#include <stddef.h>

#include "domain/common/err.h"
#include "ports/image_inspector.h"

/*
 * Memory a decoder may take for itself (libpng's buffers and chunks,
 * libjpeg's coefficient buffers for progressive images). Beyond it the image
 * is refused, never swapped or allocated anyway.
 */
#define IMAGE_DECODER_MEMORY ((size_t)64 * 1024 * 1024)

/* Largest ancillary chunk libpng keeps (an ICC profile, compressed text). */
#define IMAGE_PNG_CHUNK_MAX ((size_t)1024 * 1024)

/* More scans than this in a progressive JPEG is a CPU bomb, not a picture. */
#define IMAGE_JPEG_MAX_SCANS 500

/*
 * Where decoded rows go. Rows are 8-bit RGBA with straight alpha, width * 4
 * bytes, each row once and in order. begin() is called once the size is
 * known and within the limits; a non-zero return stops the decoding with
 * that code. row may be NULL (inspection only).
 */
typedef struct image_sink {
	int (*begin)(void *ctx, unsigned width, unsigned height, app_err *err);
	void (*row)(void *ctx, unsigned y, const unsigned char *rgba);
	void *ctx;
} image_sink;

/*
 * Decodes the whole image under lim (defaults already filled in) into sink
 * (may be NULL) and fills out. APP_EINVALID (field "image"), APP_ENOMEM, or
 * what begin() returned.
 */
int image_png_decode(image_info *out, const unsigned char *data, size_t len,
		     const image_limits *lim, const image_sink *sink, app_err *err);
int image_jpeg_decode(image_info *out, const unsigned char *data, size_t len,
		      const image_limits *lim, const image_sink *sink, app_err *err);

/* APP_EINVALID unless width x height is within lim. */
int image_size_check(const image_limits *lim, unsigned width, unsigned height, app_err *err);

/* "the image does not decode (PNG: why)" as APP_EINVALID on field "image". */
int image_refuse(app_err *err, const char *format, const char *why);

/* Decodes data as PNG or JPEG, whichever it is, after the byte limit and defaults. */
int image_decode(image_info *out, const unsigned char *data, size_t len, const image_limits *lim,
		 const image_sink *sink, app_err *err);

#endif
