/* The books core's readers' side: reading progress and the library. */
#include "domain/books/books.h"

#include <stdlib.h>
#include <string.h>

#include "domain/books/books_internal.h"

#define PROGRESS_ANCHOR_MAX 10000000 /* paragraphs: far beyond any episode */

int books_progress_put(reading_progress *out, books_service *svc, const books_reader *who,
		       int64_t book_id, int64_t number, int64_t anchor, int64_t percent,
		       app_err *err)
{
	books_episode_view *v = malloc(sizeof(*v));
	book *b = malloc(sizeof(*b));
	reading_progress p = {0};
	uow_tx *tx;
	int rc;

	if (!v || !b) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if (anchor < 0 || anchor > PROGRESS_ANCHOR_MAX) {
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "anchor",
				 "anchor is a paragraph index from 0");
		goto out;
	}
	if (percent < 0 || percent > 100) {
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "percent",
				 "percent must be 0 to 100");
		goto out;
	}
	if (number < 1) {
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "episode",
				 "episode is a number from 1");
		goto out;
	}
	/* only an episode the reader may read: progress is no way to learn one exists */
	if ((rc = books_episode(v, NULL, NULL, b, svc, who, book_id, number, err)))
		goto out;
	if (!v->access.can_read) {
		rc = v->access.reason == BOOK_ACCESS_LOGIN_REQUIRED
			 ? app_err_set(err, APP_EUNAUTH, "unauthenticated", NULL, "sign in first")
			 : app_err_set(err, APP_EFORBIDDEN, "purchase_required", NULL,
				       "this episode is not open to you");
		goto out;
	}
	p = (reading_progress){who->member_id, book_id, number, anchor, percent, books_now(svc)};
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		goto out;
	if ((rc = reading_repo_put(&svc->d.reading, tx, &p, err))) {
		uow_rollback(tx);
		goto out;
	}
	rc = uow_commit(tx, err);
out:
	if (rc == 0 && out)
		*out = p;
	free(v);
	free(b);
	return rc;
}

int books_progress_get(reading_progress *out, books_service *svc, int64_t member_id,
		       int64_t book_id, app_err *err)
{
	int rc = reading_repo_get(out, &svc->d.reading, NULL, member_id, book_id, err);

	return rc == APP_ENOTFOUND ? app_err_set(err, APP_ENOTFOUND, NULL, NULL, "not read yet")
				   : rc;
}

int books_progress_list(reading_progress *out, book *books, size_t *n, reading_cursor *next,
			books_service *svc, int64_t member_id, reading_cursor after, size_t limit,
			app_err *err)
{
	int rc =
	    reading_repo_list(out, books, n, &svc->d.reading, NULL, member_id, after, limit, err);

	memset(next, 0, sizeof(*next));
	if (rc == 0 && *n == limit && limit > 0)
		*next = (reading_cursor){out[*n - 1].updated_at, out[*n - 1].book_id};
	return rc;
}

int books_library(book *out, book_shelf *shelf, size_t *n, book_shelf_cursor *next,
		  books_service *svc, int64_t member_id, book_shelf_cursor after, size_t limit,
		  app_err *err)
{
	int rc =
	    book_repo_library(out, shelf, n, &svc->d.books, NULL, member_id, after, limit, err);

	memset(next, 0, sizeof(*next));
	if (rc == 0 && *n == limit && limit > 0)
		*next = (book_shelf_cursor){shelf[*n - 1].activity_at, out[*n - 1].id};
	return rc;
}
