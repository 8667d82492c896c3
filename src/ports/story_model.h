/*
 * Story model port: a language model that writes the reader's recap or the
 * answer to their question as sentences, each citing the episode it rests
 * on. The reader core builds the prompts from what the reader may read and
 * has reached, and judges every reply (citations, spoilers) before a reader
 * sees it; an adapter only transports and maps field types.
 */
#ifndef WL_PORT_STORY_MODEL_H
#define WL_PORT_STORY_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"

typedef struct story_model_request {
	const char *system_prompt; /* built by the core */
	const char *user_prompt;   /* built by the core: only text the reader may read */
} story_model_request;

typedef struct story_model_sentence {
	char *text;	 /* owned; NULL when the model gave none */
	int64_t episode; /* the episode cited; 0 when the model cited none */
} story_model_sentence;

/* What a model wrote, in its order; freed by story_model_reply_dispose(). */
typedef struct story_model_reply {
	story_model_sentence *s;
	size_t n;
} story_model_reply;

void story_model_reply_dispose(story_model_reply *r);

typedef struct story_model_vtbl {
	/*
	 * Fills out (zeroed by the caller). APP_EUPSTREAM when the service
	 * fails or answers something that is not the asked JSON, APP_ETIMEOUT
	 * when it does not answer in time, APP_EUNAUTH / APP_EFORBIDDEN /
	 * APP_EINVALID when it refuses the credentials or the request.
	 */
	int (*write)(story_model_reply *out, void *self, const story_model_request *req,
		     app_err *err);
	/* The model name; shown as generatedBy. */
	const char *(*name)(void *self);
	void (*destroy)(void *self);
} story_model_vtbl;

/* vtbl NULL: no model configured (the reader core answers offline). */
typedef struct story_model {
	const story_model_vtbl *vtbl;
	void *self;
} story_model;

static inline int story_model_write(story_model_reply *out, const story_model *m,
				    const story_model_request *req, app_err *err)
{
	return m->vtbl->write(out, m->self, req, err);
}
static inline const char *story_model_name(const story_model *m)
{
	return m->vtbl->name(m->self);
}

#endif
