/* Image generator port: draws a book cover. The bytes are stored, never a URL. */
#ifndef WL_PORT_IMAGE_GENERATOR_H
#define WL_PORT_IMAGE_GENERATOR_H

#include <stddef.h>

#include "domain/common/err.h"
#include "ports/text_generator.h"

/* The PNG renditions of a cover (link previews, thumbnails). */
#define AIGEN_COVER_FULL_W  600
#define AIGEN_COVER_FULL_H  900
#define AIGEN_COVER_THUMB_W 300
#define AIGEN_COVER_THUMB_H 450

typedef struct aigen_image_request {
	const char *title;
	const char *pen_name;
	const char *cover_prompt; /* may be NULL: the generator decides */
	/* hints from the text generator; "" / 0 when there are none */
	const char *genre;		/* may be NULL */
	char (*motifs)[AIGEN_CODE_MAX]; /* nmotifs codes, read only */
	int nmotifs;
} aigen_image_request;

typedef struct aigen_png {
	unsigned char *data; /* owned; NULL when the generator made none */
	size_t len;
	int width, height;
} aigen_png;

typedef struct aigen_image {
	unsigned char *data; /* owned; freed by aigen_image_dispose() */
	size_t len;
	char mime[32]; /* image/png, image/jpeg or image/svg+xml */
	/* optional PNG renditions of the same cover, 600 x 900 and 300 x 450 */
	aigen_png png_full, png_thumb;
} aigen_image;

void aigen_image_dispose(aigen_image *img);

typedef struct image_generator_vtbl {
	/*
	 * Fills out. The codes as for the text generator. A raster cover is
	 * decoded by the core before it is kept (aigen_cover_check): mime is the
	 * generator's claim only.
	 */
	int (*generate)(aigen_image *out, void *self, const aigen_image_request *req, app_err *err);
	const char *(*name)(void *self);
	void (*destroy)(void *self);
} image_generator_vtbl;

typedef struct image_generator {
	const image_generator_vtbl *vtbl;
	void *self;
} image_generator;

static inline int image_generator_generate(aigen_image *out, const image_generator *g,
					   const aigen_image_request *req, app_err *err)
{
	return g->vtbl->generate(out, g->self, req, err);
}
static inline const char *image_generator_name(const image_generator *g)
{
	return g->vtbl->name(g->self);
}

#endif
