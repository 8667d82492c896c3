/* Reading progress repository (books core): where each member stopped in each work. */
#ifndef WL_PORT_READING_REPO_H
#define WL_PORT_READING_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/book.h"
#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct reading_progress {
	int64_t member_id, book_id;
	int64_t number;	 /* the episode */
	int64_t anchor;	 /* paragraph index, >= 0 */
	int64_t percent; /* 0..100 */
	int64_t updated_at;
} reading_progress;

/* A position in a progress list: updated_at, then book id (both descending). */
typedef struct reading_cursor {
	int64_t at, book_id;
} reading_cursor;

typedef struct reading_repo_vtbl {
	/* Stores p as the member's progress in the book, replacing an older one. */
	int (*put)(void *self, uow_tx *tx, const reading_progress *p, app_err *err);
	/* APP_ENOTFOUND when the member has not read the book. */
	int (*get)(reading_progress *out, void *self, uow_tx *tx, int64_t member_id,
		   int64_t book_id, app_err *err);
	/*
	 * The member's progress, latest first, after cursor ({0, 0}: the top),
	 * with each book (hidden ones only while the member holds some of them);
	 * at most limit into out and books; *n found.
	 */
	int (*list)(reading_progress *out, book *books, size_t *n, void *self, uow_tx *tx,
		    int64_t member_id, reading_cursor after, size_t limit, app_err *err);
} reading_repo_vtbl;

typedef struct reading_repo {
	const reading_repo_vtbl *vtbl;
	void *self;
} reading_repo;

static inline int reading_repo_put(const reading_repo *r, uow_tx *tx, const reading_progress *p,
				   app_err *err)
{
	return r->vtbl->put(r->self, tx, p, err);
}
static inline int reading_repo_get(reading_progress *out, const reading_repo *r, uow_tx *tx,
				   int64_t member_id, int64_t book_id, app_err *err)
{
	return r->vtbl->get(out, r->self, tx, member_id, book_id, err);
}
static inline int reading_repo_list(reading_progress *out, book *books, size_t *n,
				    const reading_repo *r, uow_tx *tx, int64_t member_id,
				    reading_cursor after, size_t limit, app_err *err)
{
	return r->vtbl->list(out, books, n, r->self, tx, member_id, after, limit, err);
}

#endif
