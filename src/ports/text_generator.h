/*
 * Text generator port: writes the blurb, price and cover prompt of a book.
 * The aigen core builds the prompts and validates whatever comes back; an
 * adapter only transports (and, for JSON answers, parses field types).
 */
#ifndef WL_PORT_TEXT_GENERATOR_H
#define WL_PORT_TEXT_GENERATOR_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"

typedef struct aigen_text_request {
	const char *title;
	const char *pen_name;
	const char *content; /* the whole manuscript (offline generator reads it all) */
	size_t content_len;
	const char *system_prompt; /* built by the core */
	const char *user_prompt;   /* built by the core; holds a bounded excerpt */
	int64_t price_min, price_max;
	/*
	 * 0 for a work's first generation; a regeneration's number (1, 2, …):
	 * a deterministic generator gives another tagline for another variant.
	 */
	int64_t variant;
} aigen_text_request;

/*
 * Codes a generator may suggest beside its text: ASCII words, stable (stored
 * and sent to clients, which render them in the reader's language). The
 * vocabularies are in domain/aigen/aigen.h (aigen_genre_known() and friends).
 */
#define AIGEN_CODE_MAX	 24 /* a code and its NUL */
#define AIGEN_MOTIFS_MAX 3

/* Why a price was set, as a code and its parameters. */
typedef struct aigen_price_basis {
	char code[AIGEN_CODE_MAX];	   /* "" (none) or "length" */
	int minutes;			   /* "length": estimated reading time, >= 1 */
	char length_class[AIGEN_CODE_MAX]; /* "length": "flash", "short", "novella", "novel" */
} aigen_price_basis;

/* What a generator proposes; every string owned, freed by aigen_draft_dispose(). */
typedef struct aigen_draft {
	char *summary;
	char *tagline;
	int64_t price;
	int has_price;
	char *price_reason; /* one readable line in the text's language */
	char *cover_prompt;
	/* optional suggestions; "" / 0 when the generator has none */
	char genre[AIGEN_CODE_MAX];
	aigen_price_basis price_basis;
	char motifs[AIGEN_MOTIFS_MAX][AIGEN_CODE_MAX]; /* for the cover, most telling first */
	int nmotifs;
} aigen_draft;

void aigen_draft_dispose(aigen_draft *d);

typedef struct text_generator_vtbl {
	/*
	 * Fills out (zeroed by the caller). APP_EUPSTREAM when the service fails
	 * or answers something that is not the asked JSON, APP_ETIMEOUT when it
	 * does not answer in time (both worth another attempt; err may carry the
	 * extra "retryAfterMs", the pause the service asked for). APP_EUNAUTH or
	 * APP_EFORBIDDEN when it refuses the credentials, APP_EINVALID when it
	 * refuses the request itself: asking again would not help.
	 */
	int (*generate)(aigen_draft *out, void *self, const aigen_text_request *req, app_err *err);
	/* "offline" or the model name; recorded as generatedBy. */
	const char *(*name)(void *self);
	void (*destroy)(void *self);
} text_generator_vtbl;

typedef struct text_generator {
	const text_generator_vtbl *vtbl;
	void *self;
} text_generator;

static inline int text_generator_generate(aigen_draft *out, const text_generator *g,
					  const aigen_text_request *req, app_err *err)
{
	return g->vtbl->generate(out, g->self, req, err);
}
static inline const char *text_generator_name(const text_generator *g)
{
	return g->vtbl->name(g->self);
}

#endif
