/* The books repository: catalog, text, covers, search, entitlements and view marks. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS                                                                                       \
	"b.id, b.manuscript_id, b.author_id, b.title, b.author_name, b.summary, b.tagline,"        \
	" b.price, b.price_reason, b.cover_mime, b.cover_etag, b.views, b.bestseller,"             \
	" b.published_at, b.gen_summary, b.gen_price, b.gen_cover"
#define NCOLS 17

/* Sort conditions and orders; ?1 cursor id, ?2 limit, ?3 cursor views. */
#define NEW_WHERE  " b.id < ?1"
#define NEW_ORDER  " ORDER BY b.id DESC LIMIT ?2"
#define POP_WHERE  " (b.views < ?3 OR (b.views = ?3 AND b.id < ?1))"
#define POP_ORDER  " ORDER BY b.views DESC, b.id DESC LIMIT ?2"
#define BEST_WHERE " b.bestseller = 1 AND" POP_WHERE
/* ?4 the search: an FTS5 phrase, or the raw text for short queries */
#define FTS " b.id IN (SELECT rowid FROM books_fts WHERE books_fts MATCH ?4) AND"
#define SUBSTR                                                                                     \
	" (instr(lower(b.title), lower(?4)) OR instr(lower(b.author_name), lower(?4))"             \
	" OR instr(lower(b.summary), lower(?4))) AND"

static const char *const SQL_LIST[3][3] = {
    /* new */
    {"SELECT " COLS " FROM books b WHERE" NEW_WHERE NEW_ORDER,
     "SELECT " COLS " FROM books b WHERE" FTS NEW_WHERE NEW_ORDER,
     "SELECT " COLS " FROM books b WHERE" SUBSTR NEW_WHERE NEW_ORDER},
    /* popular */
    {"SELECT " COLS " FROM books b WHERE" POP_WHERE POP_ORDER,
     "SELECT " COLS " FROM books b WHERE" FTS POP_WHERE POP_ORDER,
     "SELECT " COLS " FROM books b WHERE" SUBSTR POP_WHERE POP_ORDER},
    /* bestsellers */
    {"SELECT " COLS " FROM books b WHERE" BEST_WHERE POP_ORDER,
     "SELECT " COLS " FROM books b WHERE" FTS BEST_WHERE POP_ORDER,
     "SELECT " COLS " FROM books b WHERE" SUBSTR BEST_WHERE POP_ORDER},
};
static const char SQL_BY_AUTHOR[] =
    "SELECT " COLS " FROM books b WHERE b.author_id = ?3 AND" NEW_WHERE NEW_ORDER;
static const char SQL_FIND[] = "SELECT " COLS " FROM books b WHERE b.id = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO books(manuscript_id, author_id, title, author_name, summary, tagline, price,"
    " price_reason, cover_mime, cover_etag, published_at, gen_summary, gen_price, gen_cover)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    " ON CONFLICT(manuscript_id) DO NOTHING";
static const char SQL_BY_MANUSCRIPT[] = "SELECT id FROM books WHERE manuscript_id = ?1";
static const char SQL_INSERT_CONTENT[] =
    "INSERT INTO book_contents(book_id, content) VALUES (?1, ?2)";
static const char SQL_INSERT_COVER[] = "INSERT INTO book_covers(book_id, data) VALUES (?1, ?2)";
static const char SQL_CONTENT[] = "SELECT content FROM book_contents WHERE book_id = ?1";
static const char SQL_COVER[] = "SELECT c.data, b.cover_mime, b.cover_etag FROM book_covers c"
				" JOIN books b ON b.id = c.book_id WHERE c.book_id = ?1";
static const char SQL_MARK_VIEW[] =
    "INSERT OR IGNORE INTO book_views(book_id, member_id, day) VALUES (?1, ?2, ?3)";
static const char SQL_ADD_VIEWS[] = "UPDATE books SET views = views + ?2 WHERE id = ?1"
				    " RETURNING views";
static const char SQL_BESTSELLER[] = "UPDATE books SET bestseller = 1 WHERE id = ?1"
				     " AND bestseller = 0";
static const char SQL_GRANT[] =
    "INSERT INTO book_entitlements(member_id, book_id, price, ledger_id, purchased_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_OWNS[] = "SELECT 1 FROM book_entitlements WHERE member_id = ?1"
			       " AND book_id = ?2";
static const char SQL_ENTITLEMENT[] =
    "SELECT id, member_id, book_id, price, coalesce(ledger_id, 0), purchased_at"
    " FROM book_entitlements WHERE member_id = ?1 AND book_id = ?2";
static const char SQL_LIBRARY[] =
    "SELECT " COLS ", e.id, e.price, coalesce(e.ledger_id, 0), e.purchased_at"
    " FROM book_entitlements e JOIN books b ON b.id = e.book_id"
    " WHERE e.member_id = ?1 AND e.id < ?2 ORDER BY e.id DESC LIMIT ?3";

static void text_col(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	size_t n = s ? strnlen(s, cap - 1) : 0; /* what snprintf "%s" kept, without printf */

	if (n)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Fills every field of b (no need to zero it first: these are 7 KB each). */
static void book_row(book *b, sqlite3_stmt *st)
{
	b->id = sqlite3_column_int64(st, 0);
	b->manuscript_id = sqlite3_column_int64(st, 1);
	b->author_id = sqlite3_column_int64(st, 2);
	text_col(b->title, sizeof(b->title), st, 3);
	text_col(b->author_name, sizeof(b->author_name), st, 4);
	text_col(b->summary, sizeof(b->summary), st, 5);
	text_col(b->tagline, sizeof(b->tagline), st, 6);
	b->price = sqlite3_column_int64(st, 7);
	text_col(b->price_reason, sizeof(b->price_reason), st, 8);
	text_col(b->cover_mime, sizeof(b->cover_mime), st, 9);
	text_col(b->cover_etag, sizeof(b->cover_etag), st, 10);
	b->views = sqlite3_column_int64(st, 11);
	b->bestseller = sqlite3_column_int(st, 12);
	b->published_at = sqlite3_column_int64(st, 13);
	text_col(b->gen_summary, sizeof(b->gen_summary), st, 14);
	text_col(b->gen_price, sizeof(b->gen_price), st, 15);
	text_col(b->gen_cover, sizeof(b->gen_cover), st, 16);
}

static int book_insert(void *self, uow_tx *tx, book *b, const char *content, size_t content_len,
		       const unsigned char *cover, size_t cover_len, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, b->manuscript_id);
	sqlite3_bind_int64(st, 2, b->author_id);
	sqlite3_bind_text(st, 3, b->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b->author_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, b->summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, b->tagline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, b->price);
	sqlite3_bind_text(st, 8, b->price_reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, b->cover_mime, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, b->cover_etag, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, b->published_at);
	sqlite3_bind_text(st, 12, b->gen_summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, b->gen_price, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, b->gen_cover, -1, SQLITE_STATIC);
	/* idempotent in storage: a second book of a manuscript writes nothing, fails nothing */
	if ((rc = sqlite_stmt_exec(db, st, "book insert", err)))
		return rc;
	if (sqlite_db_changes(db) == 0) { /* the manuscript's book exists: say which */
		if ((rc = sqlite_db_stmt(&st, db, tx, SQL_BY_MANUSCRIPT, err)))
			return rc;
		sqlite3_bind_int64(st, 1, b->manuscript_id);
		if ((rc = sqlite_stmt_row(db, st, "the manuscript's book is gone", "book lookup",
					  err)))
			return rc;
		b->id = sqlite3_column_int64(st, 0);
		sqlite_stmt_done(st);
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "the manuscript has a book");
	}
	b->id = sqlite_db_last_id(db);
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_INSERT_CONTENT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_text(st, 2, content, (int)content_len, SQLITE_STATIC);
	if ((rc = sqlite_stmt_exec(db, st, "book text", err)))
		return rc;
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_INSERT_COVER, err)))
		return rc;
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_blob(st, 2, cover, (int)cover_len, SQLITE_STATIC);
	return sqlite_stmt_exec(db, st, "book cover", err);
}

static int book_find(book *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(self, st, "no such book", "book lookup", err)))
		return rc;
	book_row(out, st);
	sqlite_stmt_done(st);
	return 0;
}

/* An FTS5 phrase matching q literally. */
static char *fts_phrase(const char *q)
{
	size_t len = strlen(q), k = 0;
	char *p = malloc(len * 2 + 3);

	if (!p)
		return NULL;
	p[k++] = '"';
	for (const char *c = q; *c; c++) {
		if (*c == '"')
			p[k++] = '"';
		p[k++] = *c;
	}
	p[k++] = '"';
	p[k] = '\0';
	return p;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static int book_list(book *out, size_t *n, void *self, uow_tx *tx, const book_query *q,
		     app_err *err)
{
	sqlite_db *db = self;
	/* The trigram index needs three characters; shorter searches scan (still correct). */
	int mode = !q->q ? 0 : utf8_chars(q->q) >= 3 ? 1 : 2;
	const char *sql = q->author_id ? SQL_BY_AUTHOR : SQL_LIST[q->sort][mode];
	sqlite3_stmt *st;
	char *phrase = NULL;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, db, tx, sql, err)))
		return rc;
	sqlite3_bind_int64(st, 1, q->after.id > 0 ? q->after.id : INT64_MAX);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)q->limit);
	if (q->author_id)
		sqlite3_bind_int64(st, 3, q->author_id);
	else if (q->sort != BOOK_SORT_NEW)
		sqlite3_bind_int64(st, 3, q->after.id > 0 ? q->after.views : INT64_MAX);
	if (mode == 1) {
		if (!(phrase = fts_phrase(q->q))) {
			sqlite_stmt_done(st);
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		}
		sqlite3_bind_text(st, 4, phrase, -1, SQLITE_STATIC);
	} else if (mode == 2 && !q->author_id) {
		sqlite3_bind_text(st, 4, q->q, -1, SQLITE_STATIC);
	}
	while (*n < q->limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		book_row(&out[(*n)++], st);
	if (*n == q->limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	free(phrase);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(db, rc, "book list", err);
}

static int book_content(char **out, size_t *len, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_CONTENT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);

		*out = malloc(n + 1);
		if (*out) {
			memcpy(*out, sqlite3_column_text(st, 0), n);
			(*out)[n] = '\0';
			*len = n;
			rc = 0;
		} else {
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	} else {
		rc = sqlite_db_error(self, rc, "book text", err);
	}
	sqlite_stmt_done(st);
	return rc;
}

static int book_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], void *self,
		      uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_COVER, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(st, 0);

		*data = malloc(n ? n : 1);
		if (*data) {
			memcpy(*data, sqlite3_column_blob(st, 0), n);
			*len = n;
			text_col(mime, 32, st, 1);
			text_col(etag, 48, st, 2);
			rc = 0;
		} else {
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	} else {
		rc = sqlite_db_error(self, rc, "book cover", err);
	}
	sqlite_stmt_done(st);
	return rc;
}

static int book_mark_view(int *counted, void *self, uow_tx *tx, const book_view *v, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_MARK_VIEW, err)))
		return rc;
	sqlite3_bind_int64(st, 1, v->book_id);
	sqlite3_bind_int64(st, 2, v->member_id);
	sqlite3_bind_int64(st, 3, v->day);
	if ((rc = sqlite_stmt_exec(self, st, "view mark", err)))
		return rc;
	*counted = sqlite_db_changes(self) > 0;
	return 0;
}

static int book_add_views(int64_t *total, void *self, uow_tx *tx, int64_t book_id, int64_t n,
			  app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ADD_VIEWS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, n);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	return sqlite_db_error(self, rc, "views", err);
}

static int book_mark_bestseller(int *changed, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_BESTSELLER, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	if ((rc = sqlite_stmt_exec(self, st, "bestseller", err)))
		return rc;
	*changed = sqlite_db_changes(self) > 0;
	return 0;
}

static int book_grant(void *self, uow_tx *tx, const book_entitlement *e, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_GRANT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, e->member_id);
	sqlite3_bind_int64(st, 2, e->book_id);
	sqlite3_bind_int64(st, 3, e->price);
	if (e->ledger_id)
		sqlite3_bind_int64(st, 4, e->ledger_id);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int64(st, 5, e->purchased_at);
	return sqlite_stmt_exec(self, st, "entitlement", err);
}

static int book_owns(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_OWNS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return sqlite_db_error(self, rc, "entitlement lookup", err);
}

static int book_entitlement_get(book_entitlement *out, void *self, uow_tx *tx, int64_t member_id,
				int64_t book_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ENTITLEMENT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	if ((rc = sqlite_stmt_row(self, st, "not owned", "entitlement lookup", err)))
		return rc;
	out->id = sqlite3_column_int64(st, 0);
	out->member_id = sqlite3_column_int64(st, 1);
	out->book_id = sqlite3_column_int64(st, 2);
	out->price = sqlite3_column_int64(st, 3);
	out->ledger_id = sqlite3_column_int64(st, 4);
	out->purchased_at = sqlite3_column_int64(st, 5);
	sqlite_stmt_done(st);
	return 0;
}

static int book_library(book *out, book_entitlement *ents, size_t *n, void *self, uow_tx *tx,
			int64_t member_id, int64_t before_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_LIBRARY, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		book_row(&out[*n], st);
		ents[*n].id = sqlite3_column_int64(st, NCOLS);
		ents[*n].member_id = member_id;
		ents[*n].book_id = out[*n].id;
		ents[*n].price = sqlite3_column_int64(st, NCOLS + 1);
		ents[*n].ledger_id = sqlite3_column_int64(st, NCOLS + 2);
		ents[*n].purchased_at = sqlite3_column_int64(st, NCOLS + 3);
		(*n)++;
	}
	if (*n == limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(self, rc, "library", err);
}

static const book_repo_vtbl books_vtbl = {
    .insert = book_insert,
    .find = book_find,
    .list = book_list,
    .content = book_content,
    .cover = book_cover,
    .mark_view = book_mark_view,
    .add_views = book_add_views,
    .mark_bestseller = book_mark_bestseller,
    .grant = book_grant,
    .owns = book_owns,
    .entitlement = book_entitlement_get,
    .library = book_library,
};

book_repo sqlite_book_repo(sqlite_db *db)
{
	return (book_repo){&books_vtbl, db};
}
