/* The scripted story model (fake_story_model.h). */
#include "fakes/fake_story_model.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int fake_write(story_model_reply *out, void *self, const story_model_request *req,
		      app_err *err)
{
	fake_story_model *f = self;

	f->calls++;
	free(f->last_system);
	free(f->last_user);
	f->last_system = dup_or_null(req->system_prompt);
	f->last_user = dup_or_null(req->user_prompt);
	if (f->fail)
		return app_err_set(err, f->fail, NULL, NULL, "the fake model fails");
	if (f->n && !(out->s = calloc(f->n, sizeof(*out->s))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	for (size_t i = 0; i < f->n; i++) {
		out->s[i].episode = f->lines[i].episode;
		out->s[i].text = dup_or_null(f->lines[i].text);
		out->n++;
	}
	return 0;
}

static const char *fake_name(void *self)
{
	(void)self;
	return "fake-model";
}

static void fake_destroy(void *self)
{
	fake_story_model_dispose(self);
}

static const story_model_vtbl fake_vtbl = {
    .write = fake_write,
    .name = fake_name,
    .destroy = fake_destroy,
};

story_model fake_story_model_port(fake_story_model *f)
{
	return (story_model){.vtbl = &fake_vtbl, .self = f};
}

void fake_story_model_say(fake_story_model *f, const fake_story_line *lines, size_t n)
{
	f->n = n < FAKE_STORY_SENTENCES ? n : FAKE_STORY_SENTENCES;
	memcpy(f->lines, lines, f->n * sizeof(*lines));
	f->fail = 0;
}

void fake_story_model_dispose(fake_story_model *f)
{
	free(f->last_system);
	free(f->last_user);
	f->last_system = f->last_user = NULL;
}
