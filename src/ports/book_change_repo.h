/*
 * Book change log (books core): every change of a book's field, who made it
 * and, for the AI's own suggestions, which generator. Append-only.
 */
#ifndef WL_PORT_BOOK_CHANGE_REPO_H
#define WL_PORT_BOOK_CHANGE_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/book.h"
#include "domain/common/err.h"
#include "ports/uow.h"

#define BOOK_CHANGE_FIELD_BYTES 48
#define BOOK_CHANGE_VALUE_BYTES BOOK_SUMMARY_BYTES

/* A change; from/to are the values as text ("" for none), generated_by "" unless the AI's. */
typedef struct book_change {
	int64_t id;
	int64_t book_id;
	int64_t at;
	int64_t by; /* the member; 0 for the system (the AI, the scheduler) */
	char field[BOOK_CHANGE_FIELD_BYTES];
	char from[BOOK_CHANGE_VALUE_BYTES];
	char to[BOOK_CHANGE_VALUE_BYTES];
	char generated_by[BOOK_GEN_BYTES];
} book_change;

typedef struct book_change_repo_vtbl {
	/* Appends c (id set on return). */
	int (*append)(void *self, uow_tx *tx, book_change *c, app_err *err);
	/* The book's changes with ids below before_id (0: the newest), newest first. */
	int (*list)(book_change *out, size_t *n, void *self, uow_tx *tx, int64_t book_id,
		    int64_t before_id, size_t limit, app_err *err);
	/*
	 * The book's latest change of field that a generator made (generated_by
	 * set): its last suggestion for that field. APP_ENOTFOUND when none.
	 */
	int (*last_generated)(book_change *out, void *self, uow_tx *tx, int64_t book_id,
			      const char *field, app_err *err);
} book_change_repo_vtbl;

typedef struct book_change_repo {
	const book_change_repo_vtbl *vtbl;
	void *self;
} book_change_repo;

static inline int book_change_repo_append(const book_change_repo *r, uow_tx *tx, book_change *c,
					  app_err *err)
{
	return r->vtbl->append(r->self, tx, c, err);
}
static inline int book_change_repo_list(book_change *out, size_t *n, const book_change_repo *r,
					uow_tx *tx, int64_t book_id, int64_t before_id,
					size_t limit, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, book_id, before_id, limit, err);
}

static inline int book_change_repo_last_generated(book_change *out, const book_change_repo *r,
						  uow_tx *tx, int64_t book_id, const char *field,
						  app_err *err)
{
	return r->vtbl->last_generated(out, r->self, tx, book_id, field, err);
}

#endif
