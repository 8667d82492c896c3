/*
 * A proof (--publish-mode review): a generated work that waits, hidden and its
 * author's alone, until its author accepts it; then it goes on sale and
 * book.published fires, once.
 */
#include "domain/books/books.h"

#include <stdlib.h>

#include "domain/books/books_internal.h"

/* In tx: the proof goes on sale now. APP_ECONFLICT "not_proof" when it is not one (any more). */
static int accept_in(book *b, books_service *svc, uow_tx *tx, const books_reader *who,
		     int64_t book_id, app_err *err)
{
	int rc;

	if ((rc = book_repo_find(b, &svc->d.books, tx, book_id, err)))
		return rc;
	if (b->author_id != who->member_id)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	/* the unit holds the writer: of accepts at once, the first finds the proof, the rest not */
	if (!b->proof)
		return app_err_set(err, APP_ECONFLICT, "not_proof", NULL,
				   "this work is not a proof: it is on sale already");
	b->proof = 0;
	b->hidden = 0;
	b->published_at = books_now(svc);
	if ((rc = book_repo_update(&svc->d.books, tx, b, 0, err)) ||
	    (rc = books_change(svc, tx, b->id, who->member_id, "proof", "true", "false", NULL,
			       err)) ||
	    (rc = book_repo_refresh(b, &svc->d.books, tx, b->id, err)))
		return rc;
	return books_published_events(svc, tx, b, err);
}

int books_accept(book *out, books_service *svc, const books_reader *who, int64_t book_id,
		 app_err *err)
{
	book *b = malloc(sizeof(*b));
	uow_tx *tx;
	int rc;

	if (!who || who->member_id <= 0) {
		free(b);
		return app_err_set(err, APP_EUNAUTH, "unauthenticated", NULL, "sign in first");
	}
	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)) == 0) {
		rc = uow_finish(tx, accept_in(b, svc, tx, who, book_id, err), err);
		if (rc == 0 && out)
			*out = *b;
	}
	free(b);
	return rc;
}
