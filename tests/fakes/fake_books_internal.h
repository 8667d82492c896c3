/* Shared by the files of the books fakes. */
#ifndef WL_TEST_FAKE_BOOKS_INTERNAL_H
#define WL_TEST_FAKE_BOOKS_INTERNAL_H

#include "fakes/fake_books.h"

extern const fake_rows fake_books_rows;

/* The canned failure of the next call (fail_next), taken. */
int fake_books_fail(fake_books *f, app_err *err);
/*
 * Keeps the first `limit` of a list ordered by `before`: puts book b with its
 * element x (of size each) among the *n kept in out and extra (one more kept
 * while *n < limit); what falls past the limit is dropped.
 */
void fake_books_rank(book *out, void *extra, size_t each, size_t *n, size_t limit, const book *b,
		     const void *x,
		     int (*before)(const book *a, const void *ax, const book *b, const void *bx));
fake_book_row *fake_books_row(fake_books *f, int64_t id);
fake_episode_row *fake_books_episode(fake_books *f, int64_t book_id, int64_t number);
/* number < 0: any episode of the book. */
book_entitlement *fake_books_ent(fake_books *f, int64_t member_id, int64_t book_id, int64_t number);
/* Stores e (id and characters set) with a copy of its text. */
int fake_books_add_episode(fake_books *f, episode *e, const char *content, size_t len,
			   app_err *err);

int fake_books_library(book *out, book_shelf *shelf, size_t *n, void *self, uow_tx *tx,
		       int64_t member_id, book_shelf_cursor after, size_t limit, app_err *err);
/* book_repo's readers_from, reader_add, reader_counts (fake_book_readers.c). */
int fake_books_readers_from(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t day,
			    const char *client, app_err *err);
int fake_books_reader_add(int *added, void *self, uow_tx *tx, const book_view *v,
			  book_reader_verdict verdict, app_err *err);
int fake_books_reader_counts(book_reader_counts *out, void *self, uow_tx *tx, int64_t book_id,
			     int64_t first_day, int64_t last_day, app_err *err);
int fake_books_exclusions(book *out, book_reader_counts *counts, size_t *n, void *self, uow_tx *tx,
			  int64_t first_day, int64_t last_day, size_t limit, app_err *err);
/* 1 when member was counted reading book on one of the days first..last. */
int fake_books_counted(const fake_books *f, int64_t book_id, int64_t member_id, int64_t first,
		       int64_t last);
int fake_books_rankings(book *out, int64_t *readers, size_t *n, void *self, uow_tx *tx,
			int64_t first_day, int64_t last_day, int no_ai_covers, size_t limit,
			app_err *err);

#endif
