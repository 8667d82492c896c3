/*
 * Publishing port: what the aigen core needs of the manuscripts, authors and
 * books cores, implemented with those cores. The state changes and publish
 * join the caller's open unit of work (tx, never NULL: they are the other
 * half of the job's own writes); load takes tx inside a unit, NULL outside.
 */
#ifndef WL_PORT_PUBLISHING_H
#define WL_PORT_PUBLISHING_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/image_generator.h"
#include "ports/text_generator.h"
#include "ports/uow.h"

/* Where a manuscript stands, as far as generation is concerned. */
typedef enum {
	PUBLISHING_MS_OTHER = 0, /* a draft: nothing to generate */
	PUBLISHING_MS_SUBMITTED = 1,
	PUBLISHING_MS_GENERATING = 2,
	PUBLISHING_MS_PUBLISHED = 3,
	PUBLISHING_MS_FAILED = 4,
} publishing_ms_state;

/* A manuscript to generate for; strings owned, freed by publishing_manuscript_dispose(). */
typedef struct publishing_manuscript {
	int64_t id;
	int64_t author_id;
	int64_t book_id; /* 0 until published (a later episode: its work's, from the start) */
	publishing_ms_state state;
	int serial;		/* starts a serial work */
	int64_t work_id;	/* a later episode of this work; 0 for a work's first manuscript */
	int64_t episode_number; /* the number reserved for it */
	int64_t publish_at;	/* when to publish a later episode; 0 when generated */
	char *title;
	char *pen_name; /* the author's pen name (or name when there is no profile) */
	char *content;
	size_t content_len;
} publishing_manuscript;

void publishing_manuscript_dispose(publishing_manuscript *m);

/* A generated book to register; nothing is owned. */
typedef struct publishing_book {
	int64_t manuscript_id, author_id;
	const char *title, *pen_name;
	const char *content;
	size_t content_len;
	const char *summary, *tagline, *price_reason;
	int64_t price;
	const unsigned char *cover;
	size_t cover_len;
	const char *cover_mime;
	const unsigned char *png_full, *png_thumb; /* its PNG renditions; NULL: none */
	size_t png_full_len, png_thumb_len;
	const char *gen_summary, *gen_price, *gen_cover; /* generatedBy per part */
	int serial;		       /* a serial work: price is its episodePrice */
	const char *genre;	       /* the generator's suggestion, or "" */
	aigen_price_basis price_basis; /* why the price, as a code and parameters; code "" none */
} publishing_book;

/* A later episode of a work to register; nothing is owned. */
typedef struct publishing_episode {
	int64_t manuscript_id, author_id, book_id, number;
	const char *title;
	const char *content;
	size_t content_len;
	const char *summary, *gen_summary; /* its own short summary, for recaps */
	int64_t publish_at;		   /* 0: now */
} publishing_episode;

/* A published work, as a regeneration needs it. */
typedef struct publishing_work {
	int64_t id, author_id;
	int64_t manuscript_id; /* its first episode's manuscript: the text it is generated from */
	int per_episode;       /* priced per episode (a serial): the price part is episodePrice */
	int authors_cover;     /* the cover is the author's own upload */
} publishing_work;

/* What a regeneration made, to apply to the work; nothing is owned. */
typedef struct publishing_regen {
	int64_t book_id;
	unsigned parts; /* AIGEN_REGEN_* (domain/aigen/job.h): only these are applied */
	const char *summary, *tagline, *price_reason;
	int64_t price; /* within the book bounds; a serial's episode price is clamped anew */
	aigen_price_basis price_basis;
	const char *text_by, *price_by, *cover_by; /* generatedBy per part */
	const aigen_image *cover; /* the cover part's, checked (aigen_cover_check); else NULL */
} publishing_regen;

typedef struct publishing_port_vtbl {
	/*
	 * Fills out (the caller disposes it). APP_ENOTFOUND when the manuscript is
	 * gone. Its content is the manuscript's text; once published as its work's
	 * first episode, that episode's text as it stands (an author's edits
	 * included), which a regeneration reads.
	 */
	int (*load)(publishing_manuscript *out, void *self, uow_tx *tx, int64_t manuscript_id,
		    app_err *err);
	/* Idempotent state changes; APP_ECONFLICT when the manuscript is elsewhere. */
	int (*mark_generating)(void *self, uow_tx *tx, int64_t manuscript_id, app_err *err);
	int (*mark_failed)(void *self, uow_tx *tx, int64_t manuscript_id, const char *error,
			   app_err *err);
	/*
	 * Registers the book (book.published). Idempotent: a manuscript that
	 * has a book gets that book's id back. APP_EINVALID for missing parts.
	 */
	int (*publish)(int64_t *book_id, void *self, uow_tx *tx, const publishing_book *b,
		       app_err *err);
	/*
	 * Registers a later episode (published, or scheduled at publish_at) and
	 * marks its manuscript published. Idempotent per manuscript.
	 */
	int (*publish_episode)(void *self, uow_tx *tx, const publishing_episode *e, app_err *err);
	/* A published work (hidden ones too). APP_ENOTFOUND. */
	int (*load_work)(publishing_work *out, void *self, uow_tx *tx, int64_t book_id,
			 app_err *err);
	/*
	 * Applies a regeneration's parts to the work, each recorded as a change
	 * with its generatedBy (also when the value stays), with book.updated.
	 * APP_ENOTFOUND when the work is gone.
	 */
	int (*apply_regenerated)(void *self, uow_tx *tx, const publishing_regen *r, app_err *err);
} publishing_port_vtbl;

typedef struct publishing_port {
	const publishing_port_vtbl *vtbl;
	void *self;
} publishing_port;

static inline int publishing_load(publishing_manuscript *out, const publishing_port *p, uow_tx *tx,
				  int64_t manuscript_id, app_err *err)
{
	return p->vtbl->load(out, p->self, tx, manuscript_id, err);
}
static inline int publishing_mark_generating(const publishing_port *p, uow_tx *tx,
					     int64_t manuscript_id, app_err *err)
{
	return p->vtbl->mark_generating(p->self, tx, manuscript_id, err);
}
static inline int publishing_mark_failed(const publishing_port *p, uow_tx *tx,
					 int64_t manuscript_id, const char *error, app_err *err)
{
	return p->vtbl->mark_failed(p->self, tx, manuscript_id, error, err);
}
static inline int publishing_publish(int64_t *book_id, const publishing_port *p, uow_tx *tx,
				     const publishing_book *b, app_err *err)
{
	return p->vtbl->publish(book_id, p->self, tx, b, err);
}

static inline int publishing_publish_episode(const publishing_port *p, uow_tx *tx,
					     const publishing_episode *e, app_err *err)
{
	return p->vtbl->publish_episode(p->self, tx, e, err);
}

static inline int publishing_load_work(publishing_work *out, const publishing_port *p, uow_tx *tx,
				       int64_t book_id, app_err *err)
{
	return p->vtbl->load_work(out, p->self, tx, book_id, err);
}

static inline int publishing_apply_regenerated(const publishing_port *p, uow_tx *tx,
					       const publishing_regen *r, app_err *err)
{
	return p->vtbl->apply_regenerated(p->self, tx, r, err);
}

#endif
