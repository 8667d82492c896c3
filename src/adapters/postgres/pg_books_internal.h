/* Shared by the books core's PostgreSQL repositories: the book columns and row readers. */
#ifndef WL_PG_BOOKS_INTERNAL_H
#define WL_PG_BOOKS_INTERNAL_H

#include "adapters/postgres/pg_repos.h"

#define BOOK_COLS                                                                                  \
	"b.id, b.manuscript_id, b.author_id, b.title, b.author_name, b.summary, b.tagline,"        \
	" b.price, b.price_reason, b.cover_mime, b.cover_etag, b.views, b.bestseller,"             \
	" b.published_at, b.gen_summary, b.gen_price, b.gen_cover, b.serial, b.episode_count,"     \
	" b.free_episodes, b.episode_price, b.wait_free_hours, b.completed, b.genre, b.tags,"      \
	" b.age_rating, b.hidden, b.updated_at, b.price_basis, b.price_minutes, b.price_length,"   \
	" b.proof, b.gen_tagline"
#define BOOK_NCOLS 33

/* An entitlement's columns, as pg_entitlement_row reads them. */
#define ENTITLEMENT_COLS                                                                           \
	"id, member_id, book_id, price, coalesce(ledger_id, 0), granted_at, number,"               \
	" (kind = 'wait_free')::int, coalesce(batch, 0)"

/* Fills every field of b from the BOOK_COLS at the start of row. */
void pg_book_columns(book *b, const PGresult *r, int row);
/* The same as a pg_row_reader. */
int pg_book_row(void *dst, const PGresult *r, int row, app_err *err);
/* An entitlement from ENTITLEMENT_COLS. */
int pg_entitlement_row(void *dst, const PGresult *r, int row, app_err *err);

/* A malloc'd copy (NUL-terminated) of a text column; *len its length (may be NULL). */
int pg_text_dup(char **out, size_t *len, const PGresult *r, int row, int col, app_err *err);

/* The library (pg_reading.c): book_repo's library. */
int pg_book_library(book *out, book_shelf *shelf, size_t *n, void *self, uow_tx *tx,
		    int64_t member_id, book_shelf_cursor after, size_t limit, app_err *err);

/* Covers (pg_covers.c): book_repo's cover and set_cover. */
int pg_book_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], void *self,
		  uow_tx *tx, int64_t id, book_cover_size size, app_err *err);
int pg_book_set_cover(void *self, uow_tx *tx, int64_t book_id, const book_cover_files *c,
		      app_err *err);
int pg_book_lacking_renditions(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t after,
			       size_t limit, app_err *err);

/* Readers and rankings (pg_book_readers.c). */
int pg_book_rankings(book *out, int64_t *readers, size_t *n, void *self, uow_tx *tx,
		     int64_t first_day, int64_t last_day, int no_ai_covers, size_t limit,
		     app_err *err);
int pg_book_readers_from(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t day,
			 const char *client, app_err *err);
int pg_book_reader_add(int *added, void *self, uow_tx *tx, const book_view *v,
		       book_reader_verdict verdict, app_err *err);
int pg_book_reader_counts(book_reader_counts *out, void *self, uow_tx *tx, int64_t book_id,
			  int64_t first_day, int64_t last_day, app_err *err);
int pg_book_exclusions(book *out, book_reader_counts *counts, size_t *n, void *self, uow_tx *tx,
		       int64_t first_day, int64_t last_day, size_t limit, app_err *err);

#endif
