/* Book covers on PostgreSQL: the stored image and its PNG renditions, as bytea; those without. */
#include "adapters/postgres/pg_books_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const SQL_COVER[] = {
    [BOOK_COVER_ORIGINAL] = "SELECT c.data, b.cover_mime, b.cover_etag FROM book_covers c"
			    " JOIN books b ON b.id = c.book_id WHERE c.book_id = $1",
    [BOOK_COVER_FULL] = "SELECT c.png_full, 'image/png', b.cover_etag FROM book_covers c"
			" JOIN books b ON b.id = c.book_id WHERE c.book_id = $1",
    [BOOK_COVER_THUMB] = "SELECT c.png_thumb, 'image/png', b.cover_etag FROM book_covers c"
			 " JOIN books b ON b.id = c.book_id WHERE c.book_id = $1",
};
static const char SQL_LACKING[] = "SELECT book_id FROM book_covers WHERE png_full IS NULL"
				  " AND book_id > $1 ORDER BY book_id LIMIT $2";
static const char SQL_SET_MIME[] =
    "UPDATE books SET cover_mime = $2, cover_etag = $3 WHERE id = $1";
static const char SQL_SET_COVER[] =
    "INSERT INTO book_covers(book_id, data, png_full, png_thumb) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT(book_id) DO UPDATE SET data = excluded.data, png_full = excluded.png_full,"
    " png_thumb = excluded.png_thumb";

/* The bytea of column 0 (text form: hex) as a malloc'd copy the caller frees. */
static int bytes_of(unsigned char **data, size_t *len, const PGresult *r, app_err *err)
{
	size_t n = 0;
	unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 0), &n);

	if (!raw || !(*data = malloc(n ? n : 1))) {
		PQfreemem(raw);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	memcpy(*data, raw, n);
	*len = n;
	PQfreemem(raw);
	return 0;
}

int pg_book_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], void *self,
		  uow_tx *tx, int64_t id, book_cover_size size, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	*data = NULL;
	if (size < BOOK_COVER_ORIGINAL || size > BOOK_COVER_THUMB)
		return app_err_set(err, APP_EINVALID, NULL, "size", "no such cover size");
	pg_params_init(&p);
	pg_param_int(&p, id);
	if ((rc = pg_db_row(&r, self, tx, SQL_COVER[size], &p, "no such book", "book cover", err)))
		return rc;
	if (pg_is_null(r, 0, 0)) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "this cover has no PNG rendition");
	} else if ((rc = bytes_of(data, len, r, err)) == 0) {
		pg_copy(mime, 32, r, 0, 1);
		pg_copy(etag, 48, r, 0, 2);
	}
	PQclear(r);
	return rc;
}

static void param_bytes_or_null(pg_params *p, const unsigned char *data, size_t len)
{
	if (data)
		pg_param_bytes(p, data, len);
	else
		pg_param_null(p);
}

int pg_book_set_cover(void *self, uow_tx *tx, int64_t book_id, const book_cover_files *c,
		      app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, book_id);
	pg_param_text(&p, c->mime);
	pg_param_text(&p, c->etag);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_SET_MIME, &p, "book cover", err)))
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	pg_params_init(&p);
	pg_param_int(&p, book_id);
	pg_param_bytes(&p, c->data, c->len);
	param_bytes_or_null(&p, c->full, c->full_len);
	param_bytes_or_null(&p, c->thumb, c->thumb_len);
	return pg_db_exec(NULL, self, tx, SQL_SET_COVER, &p, "book cover", err);
}

int pg_book_lacking_renditions(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t after,
			       size_t limit, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, after);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(ids, sizeof(*ids), n, limit, self, tx, SQL_LACKING, &p, pg_row_int64,
			  "covers without renditions", err);
}
