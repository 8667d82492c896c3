/*
 * Reviews (one per member per work), the readers a work has had (who may
 * review it), and reports of comments and reviews.
 */
#ifndef WL_PORT_REVIEW_REPO_H
#define WL_PORT_REVIEW_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/community/review.h"
#include "ports/uow.h"

typedef struct review_repo_vtbl {
	/* Records that member_id read book_id (idempotent). */
	int (*reader_add)(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, int64_t at,
			  app_err *err);
	/* 1 when member_id read book_id, 0 when not. */
	int (*has_read)(int *out, void *self, uow_tx *tx, int64_t member_id, int64_t book_id,
			app_err *err);
	/* Inserts or replaces the member's review of the book; sets r->id, *created. */
	int (*save)(int *created, void *self, uow_tx *tx, review *r, app_err *err);
	/* APP_ENOTFOUND when the member has none. */
	int (*find_own)(review *out, void *self, uow_tx *tx, int64_t book_id, int64_t member_id,
			app_err *err);
	int (*find)(review *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* APP_ENOTFOUND when the member has none. */
	int (*remove_own)(void *self, uow_tx *tx, int64_t book_id, int64_t member_id, app_err *err);
	/* Visible reviews, newest first, id < before (0: from the newest). */
	int (*list)(review *out, size_t *n, void *self, uow_tx *tx, int64_t book_id, int64_t before,
		    size_t cap, app_err *err);
	/* The visible reviews' count and their average rating times 100 (0 when none). */
	int (*summary)(int64_t *count, int64_t *avg_x100, void *self, uow_tx *tx, int64_t book_id,
		       app_err *err);
	int (*set_hidden)(void *self, uow_tx *tx, int64_t id, int hidden, int64_t now,
			  app_err *err);
	/* Reports: one per reporter per target (a second is kept as the first). */
	int (*report_add)(void *self, uow_tx *tx, const report *r, app_err *err);
	/* Open reports, newest first, id < before. */
	int (*reports_open)(report *out, size_t *n, void *self, uow_tx *tx, int64_t before,
			    size_t cap, app_err *err);
	/* Closes every open report of a target (hidden, restored) or one report (dismissed). */
	int (*reports_close)(int64_t *closed, void *self, uow_tx *tx, report_kind kind,
			     int64_t target_id, int64_t report_id, const char *resolution,
			     int64_t now, app_err *err);
	/* Removes the member's reviews, readings and reports. */
	int (*remove_member)(void *self, uow_tx *tx, int64_t member_id, app_err *err);
} review_repo_vtbl;

typedef struct review_repo {
	const review_repo_vtbl *vtbl;
	void *self;
} review_repo;

static inline int review_reader_add(const review_repo *r, uow_tx *tx, int64_t member_id,
				    int64_t book_id, int64_t at, app_err *err)
{
	return r->vtbl->reader_add(r->self, tx, member_id, book_id, at, err);
}
static inline int review_has_read(int *out, const review_repo *r, uow_tx *tx, int64_t member_id,
				  int64_t book_id, app_err *err)
{
	return r->vtbl->has_read(out, r->self, tx, member_id, book_id, err);
}
static inline int review_save(int *created, const review_repo *r, uow_tx *tx, review *rv,
			      app_err *err)
{
	return r->vtbl->save(created, r->self, tx, rv, err);
}
static inline int review_find_own(review *out, const review_repo *r, uow_tx *tx, int64_t book_id,
				  int64_t member_id, app_err *err)
{
	return r->vtbl->find_own(out, r->self, tx, book_id, member_id, err);
}
static inline int review_find(review *out, const review_repo *r, uow_tx *tx, int64_t id,
			      app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, err);
}
static inline int review_remove_own(const review_repo *r, uow_tx *tx, int64_t book_id,
				    int64_t member_id, app_err *err)
{
	return r->vtbl->remove_own(r->self, tx, book_id, member_id, err);
}
static inline int review_list(review *out, size_t *n, const review_repo *r, uow_tx *tx,
			      int64_t book_id, int64_t before, size_t cap, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, book_id, before, cap, err);
}
static inline int review_summary(int64_t *count, int64_t *avg_x100, const review_repo *r,
				 uow_tx *tx, int64_t book_id, app_err *err)
{
	return r->vtbl->summary(count, avg_x100, r->self, tx, book_id, err);
}
static inline int review_set_hidden(const review_repo *r, uow_tx *tx, int64_t id, int hidden,
				    int64_t now, app_err *err)
{
	return r->vtbl->set_hidden(r->self, tx, id, hidden, now, err);
}
static inline int review_report_add(const review_repo *r, uow_tx *tx, const report *rp,
				    app_err *err)
{
	return r->vtbl->report_add(r->self, tx, rp, err);
}
static inline int review_reports_open(report *out, size_t *n, const review_repo *r, uow_tx *tx,
				      int64_t before, size_t cap, app_err *err)
{
	return r->vtbl->reports_open(out, n, r->self, tx, before, cap, err);
}
static inline int review_reports_close(int64_t *closed, const review_repo *r, uow_tx *tx,
				       report_kind kind, int64_t target_id, int64_t report_id,
				       const char *resolution, int64_t now, app_err *err)
{
	return r->vtbl->reports_close(closed, r->self, tx, kind, target_id, report_id, resolution,
				      now, err);
}
static inline int review_remove_member(const review_repo *r, uow_tx *tx, int64_t member_id,
				       app_err *err)
{
	return r->vtbl->remove_member(r->self, tx, member_id, err);
}

#endif
