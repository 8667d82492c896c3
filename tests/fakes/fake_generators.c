/* Fakes of the aigen core's generators (scripted text and image) and a fixed random source. */
#include "fakes/fake_aigen.h"
#include "support/test_images.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- generators -------------------------------------------------------------------------- */

fake_text_answer fake_text_ok(int64_t price)
{
	fake_text_answer a = {
	    .summary = "A quiet village, a stubborn child, and the library that waited for her.",
	    .tagline = "Every book waits for its reader.",
	    .price_reason = "A medium-length novel.",
	    .cover_prompt = "A small library at dusk, warm lights.",
	    .price = price,
	    .has_price = 1,
	};
	return a;
}

void fake_text_push(fake_text_gen *f, fake_text_answer a)
{
	if (f->nscript < sizeof(f->script) / sizeof(f->script[0]))
		f->script[f->nscript++] = a;
}

static char *maybe_dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int ft_generate(aigen_draft *out, void *self, const aigen_text_request *req, app_err *err)
{
	fake_text_gen *f = self;
	fake_text_answer a = f->next < f->nscript ? f->script[f->next++] : f->fallback;

	f->calls++;
	f->last_variant = req->variant;
	if (a.rc) {
		int rc = app_err_set(err, a.rc, NULL, NULL, "scripted failure %d", f->calls);

		if (a.retry_after_ms)
			app_err_extra(err, "retryAfterMs", a.retry_after_ms);
		return rc;
	}
	out->summary = maybe_dup(a.summary);
	out->tagline = maybe_dup(a.tagline);
	out->price_reason = maybe_dup(a.price_reason);
	out->cover_prompt = maybe_dup(a.cover_prompt);
	out->price = a.price;
	out->has_price = a.has_price;
	return 0;
}

static const char *ft_name(void *self)
{
	return ((fake_text_gen *)self)->name;
}

static void nothing(void *self)
{
	(void)self;
}

static const text_generator_vtbl ft_vtbl = {
    .generate = ft_generate,
    .name = ft_name,
    .destroy = nothing,
};

text_generator fake_text_generator(fake_text_gen *f)
{
	return (text_generator){.vtbl = &ft_vtbl, .self = f};
}

static int fi_generate(aigen_image *out, void *self, const aigen_image_request *req, app_err *err)
{
	fake_image_gen *f = self;
	int rc = f->next < f->nscript ? f->script[f->next++] : f->fallback_rc;

	(void)req;
	f->calls++;
	if (rc) {
		rc = app_err_set(err, rc, NULL, NULL, "scripted image failure %d", f->calls);
		if (f->retry_after_ms)
			app_err_extra(err, "retryAfterMs", f->retry_after_ms);
		return rc;
	}
	if (f->bytes) {
		if (!(out->data = malloc(f->nbytes ? f->nbytes : 1)))
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		memcpy(out->data, f->bytes, f->nbytes);
		out->len = f->nbytes;
	} else {
		/* a real cover: 300 x 450, solid */
		out->data = test_png(&out->len, 300, 450, TEST_PNG_RGB, 0, NULL);
	}
	snprintf(out->mime, sizeof(out->mime), "%s", f->mime ? f->mime : "image/png");
	return 0;
}

static const char *fi_name(void *self)
{
	return ((fake_image_gen *)self)->name;
}

static const image_generator_vtbl fi_vtbl = {
    .generate = fi_generate,
    .name = fi_name,
    .destroy = nothing,
};

image_generator fake_image_generator(fake_image_gen *f)
{
	return (image_generator){.vtbl = &fi_vtbl, .self = f};
}

static double fr_unit(void *self)
{
	return ((fake_random *)self)->value;
}

static const random_port_vtbl fr_vtbl = {.unit = fr_unit};

random_port fake_random_port(fake_random *f)
{
	return (random_port){.vtbl = &fr_vtbl, .self = f};
}
