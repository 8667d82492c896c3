/* Book covers on SQLite: the stored image, its PNG renditions, the covers still without them. */
#include "adapters/sqlite/sqlite_books_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const SQL_COVER[] = {
    [BOOK_COVER_ORIGINAL] = "SELECT c.data, b.cover_mime, b.cover_etag FROM book_covers c"
			    " JOIN books b ON b.id = c.book_id WHERE c.book_id = ?1",
    [BOOK_COVER_FULL] = "SELECT c.png_full, 'image/png', b.cover_etag FROM book_covers c"
			" JOIN books b ON b.id = c.book_id WHERE c.book_id = ?1",
    [BOOK_COVER_THUMB] = "SELECT c.png_thumb, 'image/png', b.cover_etag FROM book_covers c"
			 " JOIN books b ON b.id = c.book_id WHERE c.book_id = ?1",
};
static const char SQL_LACKING[] = "SELECT book_id FROM book_covers WHERE png_full IS NULL"
				  " AND book_id > ?1 ORDER BY book_id LIMIT ?2";
static const char SQL_SET_MIME[] =
    "UPDATE books SET cover_mime = ?2, cover_etag = ?3 WHERE id = ?1";
static const char SQL_SET_COVER[] =
    "INSERT INTO book_covers(book_id, data, png_full, png_thumb) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT(book_id) DO UPDATE SET data = excluded.data, png_full = excluded.png_full,"
    " png_thumb = excluded.png_thumb";

int sqlite_book_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], void *self,
		      uow_tx *tx, int64_t id, book_cover_size size, app_err *err)
{
	sqlite3_stmt *st;
	size_t n;
	int rc;

	*data = NULL;
	if (size < BOOK_COVER_ORIGINAL || size > BOOK_COVER_THUMB)
		return app_err_set(err, APP_EINVALID, NULL, "size", "no such cover size");
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_COVER[size], err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(self, st, "no such book", "book cover", err)))
		return rc;
	n = (size_t)sqlite3_column_bytes(st, 0);
	if (sqlite3_column_type(st, 0) == SQLITE_NULL)
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "this cover has no PNG rendition");
	else if ((*data = malloc(n ? n : 1))) {
		memcpy(*data, sqlite3_column_blob(st, 0), n);
		*len = n;
		sqlite_text_col(mime, 32, st, 1);
		sqlite_text_col(etag, 48, st, 2);
	} else {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	sqlite_stmt_done(st);
	return rc;
}

static void bind_blob_or_null(sqlite3_stmt *st, int idx, const unsigned char *data, size_t len)
{
	if (data)
		sqlite3_bind_blob(st, idx, data, (int)len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, idx);
}

int sqlite_book_set_cover(void *self, uow_tx *tx, int64_t book_id, const book_cover_files *c,
			  app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SET_MIME, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_text(st, 2, c->mime, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, c->etag, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_exec(self, st, "book cover", err)))
		return rc;
	if (sqlite_db_changes(self) == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SET_COVER, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_blob(st, 2, c->data, (int)c->len, SQLITE_STATIC);
	bind_blob_or_null(st, 3, c->full, c->full_len);
	bind_blob_or_null(st, 4, c->thumb, c->thumb_len);
	return sqlite_stmt_exec(self, st, "book cover", err);
}

int sqlite_book_lacking_renditions(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t after,
				   size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_LACKING, err)))
		return rc;
	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return sqlite_stmt_rows(ids, sizeof(*ids), n, limit, self, st, sqlite_row_int64,
				"covers without renditions", err);
}
