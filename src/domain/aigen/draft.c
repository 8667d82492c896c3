#include "ports/image_generator.h"
#include "ports/text_generator.h"

#include <stdlib.h>
#include <string.h>

void aigen_draft_dispose(aigen_draft *d)
{
	free(d->summary);
	free(d->tagline);
	free(d->price_reason);
	free(d->cover_prompt);
	memset(d, 0, sizeof(*d));
}

void aigen_image_dispose(aigen_image *img)
{
	free(img->data);
	free(img->png_full.data);
	free(img->png_thumb.data);
	memset(img, 0, sizeof(*img));
}
