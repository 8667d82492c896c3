/* Books repository: published books, their text and cover, entitlements and view marks. */
#ifndef WL_PORT_BOOK_REPO_H
#define WL_PORT_BOOK_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/book.h"
#include "domain/common/err.h"
#include "ports/uow.h"

typedef enum { BOOK_SORT_NEW, BOOK_SORT_POPULAR, BOOK_SORT_BESTSELLERS } book_sort;

/* Position after the last item of a page; {0, 0} starts from the top. */
typedef struct book_cursor {
	int64_t views; /* for popular and bestsellers */
	int64_t id;
} book_cursor;

typedef struct book_query {
	book_sort sort;
	const char *q;	   /* substring of title, pen name or summary; NULL: all */
	int64_t author_id; /* 0: any */
	book_cursor after;
	size_t limit;
} book_query;

typedef struct book_entitlement {
	int64_t id; /* grows with time: the library's cursor */
	int64_t member_id, book_id, price, ledger_id, purchased_at;
} book_entitlement;

/* A counted view: member read book on day (book_view_day). */
typedef struct book_view {
	int64_t member_id, book_id, day;
} book_view;

typedef struct book_repo_vtbl {
	/*
	 * Stores b (id set on return), its text and cover. APP_EEXISTS when the
	 * manuscript already has a book (b->id is then the existing one).
	 */
	int (*insert)(void *self, uow_tx *tx, book *b, const char *content, size_t content_len,
		      const unsigned char *cover, size_t cover_len, app_err *err);
	int (*find)(book *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* Books matching query into out (capacity query->limit); *n found. */
	int (*list)(book *out, size_t *n, void *self, uow_tx *tx, const book_query *query,
		    app_err *err);
	/* The text; *out is malloc'd (NUL-terminated), the caller frees. */
	int (*content)(char **out, size_t *len, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* The cover bytes; *data is malloc'd, the caller frees. */
	int (*cover)(unsigned char **data, size_t *len, char mime[32], char etag[48], void *self,
		     uow_tx *tx, int64_t id, app_err *err);
	/* Records a view mark; *counted is 1 when it is new (not seen that day). */
	int (*mark_view)(int *counted, void *self, uow_tx *tx, const book_view *v, app_err *err);
	/* Adds n views; writes the new total. */
	int (*add_views)(int64_t *total, void *self, uow_tx *tx, int64_t book_id, int64_t n,
			 app_err *err);
	/* Sets the bestseller flag; *changed is 1 when it was not set before. */
	int (*mark_bestseller)(int *changed, void *self, uow_tx *tx, int64_t book_id, app_err *err);
	/* APP_EEXISTS when the member already owns the book. */
	int (*grant)(void *self, uow_tx *tx, const book_entitlement *e, app_err *err);
	/* 1 when owned, 0 when not, negative on failure. */
	int (*owns)(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, app_err *err);
	int (*entitlement)(book_entitlement *out, void *self, uow_tx *tx, int64_t member_id,
			   int64_t book_id, app_err *err);
	/* The member's books, newest purchase first, entitlement ids below before_id (0: all). */
	int (*library)(book *out, book_entitlement *ents, size_t *n, void *self, uow_tx *tx,
		       int64_t member_id, int64_t before_id, size_t limit, app_err *err);
} book_repo_vtbl;

typedef struct book_repo {
	const book_repo_vtbl *vtbl;
	void *self;
} book_repo;

static inline int book_repo_insert(const book_repo *r, uow_tx *tx, book *b, const char *content,
				   size_t content_len, const unsigned char *cover, size_t cover_len,
				   app_err *err)
{
	return r->vtbl->insert(r->self, tx, b, content, content_len, cover, cover_len, err);
}
static inline int book_repo_find(book *out, const book_repo *r, uow_tx *tx, int64_t id,
				 app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, err);
}
static inline int book_repo_list(book *out, size_t *n, const book_repo *r, uow_tx *tx,
				 const book_query *q, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, q, err);
}
static inline int book_repo_content(char **out, size_t *len, const book_repo *r, uow_tx *tx,
				    int64_t id, app_err *err)
{
	return r->vtbl->content(out, len, r->self, tx, id, err);
}
static inline int book_repo_cover(unsigned char **data, size_t *len, char mime[32], char etag[48],
				  const book_repo *r, uow_tx *tx, int64_t id, app_err *err)
{
	return r->vtbl->cover(data, len, mime, etag, r->self, tx, id, err);
}
static inline int book_repo_mark_view(int *counted, const book_repo *r, uow_tx *tx,
				      const book_view *v, app_err *err)
{
	return r->vtbl->mark_view(counted, r->self, tx, v, err);
}
static inline int book_repo_add_views(int64_t *total, const book_repo *r, uow_tx *tx,
				      int64_t book_id, int64_t n, app_err *err)
{
	return r->vtbl->add_views(total, r->self, tx, book_id, n, err);
}
static inline int book_repo_mark_bestseller(int *changed, const book_repo *r, uow_tx *tx,
					    int64_t book_id, app_err *err)
{
	return r->vtbl->mark_bestseller(changed, r->self, tx, book_id, err);
}
static inline int book_repo_grant(const book_repo *r, uow_tx *tx, const book_entitlement *e,
				  app_err *err)
{
	return r->vtbl->grant(r->self, tx, e, err);
}
static inline int book_repo_owns(const book_repo *r, uow_tx *tx, int64_t member_id, int64_t book_id,
				 app_err *err)
{
	return r->vtbl->owns(r->self, tx, member_id, book_id, err);
}
static inline int book_repo_entitlement(book_entitlement *out, const book_repo *r, uow_tx *tx,
					int64_t member_id, int64_t book_id, app_err *err)
{
	return r->vtbl->entitlement(out, r->self, tx, member_id, book_id, err);
}
static inline int book_repo_library(book *out, book_entitlement *ents, size_t *n,
				    const book_repo *r, uow_tx *tx, int64_t member_id,
				    int64_t before_id, size_t limit, app_err *err)
{
	return r->vtbl->library(out, ents, n, r->self, tx, member_id, before_id, limit, err);
}

#endif
