/* The books repository: works, covers, search, entitlements, view marks (rankings:
 * sqlite_book_readers.c). */
#include "adapters/sqlite/sqlite_books_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COLS BOOK_COLS

/*
 * The catalog: ?1 cursor id, ?2 limit, ?3 cursor views (or updated_at), ?4
 * the search, ?5 genre, ?6 tag, ?7 completed (0 any, 1 no, 2 yes), ?8 hidden ones too
 * (never a proof: its author's alone), ?9 1 leaves out generated covers. Filters that are
 * NULL match everything.
 */
#define FILTERS                                                                                    \
	" (b.hidden = 0 OR (?8 AND b.proof = 0)) AND (?5 IS NULL OR b.genre = ?5) AND"             \
	" (?6 IS NULL OR b.id IN"                                                                  \
	" (SELECT book_id FROM book_tags WHERE tag = ?6)) AND (?7 = 0 OR b.completed = ?7 - 1) "   \
	"AND (?9 = 0 OR b.gen_cover = '') AND"
#define NEW_WHERE  " b.id < ?1"
#define NEW_ORDER  " ORDER BY b.id DESC LIMIT ?2"
#define POP_WHERE  " (b.views < ?3 OR (b.views = ?3 AND b.id < ?1))"
#define POP_ORDER  " ORDER BY b.views DESC, b.id DESC LIMIT ?2"
#define BEST_WHERE " b.bestseller = 1 AND" POP_WHERE
#define UPD_WHERE  " (b.updated_at < ?3 OR (b.updated_at = ?3 AND b.id < ?1))"
#define UPD_ORDER  " ORDER BY b.updated_at DESC, b.id DESC LIMIT ?2"
/* ?4 the search: an FTS5 phrase, or the raw text for short queries */
#define FTS " b.id IN (SELECT rowid FROM books_fts WHERE books_fts MATCH ?4) AND"
#define SUBSTR                                                                                     \
	" (instr(lower(b.title), lower(?4)) OR instr(lower(b.author_name), lower(?4))"             \
	" OR instr(lower(b.summary), lower(?4))) AND"
#define SELECT_B "SELECT " COLS " FROM books b WHERE" FILTERS

static const char *const SQL_LIST[4][3] = {
    /* new */
    {SELECT_B NEW_WHERE NEW_ORDER, SELECT_B FTS NEW_WHERE NEW_ORDER,
     SELECT_B SUBSTR NEW_WHERE NEW_ORDER},
    /* popular */
    {SELECT_B POP_WHERE POP_ORDER, SELECT_B FTS POP_WHERE POP_ORDER,
     SELECT_B SUBSTR POP_WHERE POP_ORDER},
    /* bestsellers */
    {SELECT_B BEST_WHERE POP_ORDER, SELECT_B FTS BEST_WHERE POP_ORDER,
     SELECT_B SUBSTR BEST_WHERE POP_ORDER},
    /* updated */
    {SELECT_B UPD_WHERE UPD_ORDER, SELECT_B FTS UPD_WHERE UPD_ORDER,
     SELECT_B SUBSTR UPD_WHERE UPD_ORDER},
};
/* an author's works (?3); ?4 1 shows the hidden ones too */
static const char SQL_BY_AUTHOR[] = "SELECT " COLS " FROM books b WHERE b.author_id = ?3 AND"
				    " (b.hidden = 0 OR ?4 = 1) AND" NEW_WHERE NEW_ORDER;
static const char SQL_FIND[] = "SELECT " COLS " FROM books b WHERE b.id = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO books(manuscript_id, author_id, title, author_name, summary, tagline, price,"
    " price_reason, cover_mime, cover_etag, published_at, gen_summary, gen_price, gen_cover,"
    " serial, episode_count, free_episodes, episode_price, wait_free_hours, completed, genre,"
    " tags, age_rating, hidden, updated_at, price_basis, price_minutes, price_length, proof,"
    " gen_tagline)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, ?17,"
    " ?18, ?19, ?20, ?21, ?22, ?23, ?11, ?24, ?25, ?26, ?27, ?28)"
    " ON CONFLICT(manuscript_id) DO NOTHING";
static const char SQL_BY_MANUSCRIPT[] = "SELECT id FROM books WHERE manuscript_id = ?1";
static const char SQL_FIRST_EPISODE[] =
    "INSERT INTO episodes(book_id, number, manuscript_id, title, price, own_price, characters,"
    " summary, gen_summary, published_at, created_at, updated_at)"
    " VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?9)";
static const char SQL_INSERT_CONTENT[] =
    "INSERT INTO episode_contents(episode_id, content) VALUES (?1, ?2)";
static const char SQL_INSERT_COVER[] = "INSERT INTO book_covers(book_id, data) VALUES (?1, ?2)";
static const char SQL_CONTENT[] = "SELECT c.content FROM episodes e JOIN episode_contents c"
				  " ON c.episode_id = e.id WHERE e.book_id = ?1 AND e.number = 1";
static const char SQL_MARK_VIEW[] =
    "INSERT INTO episode_views(book_id, number, member_id, day, reason, client, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING";
static const char SQL_ADD_VIEWS[] = "UPDATE books SET views = views + ?2 WHERE id = ?1"
				    " RETURNING views";
static const char SQL_BESTSELLER[] = "UPDATE books SET bestseller = 1 WHERE id = ?1"
				     " AND bestseller = 0";
static const char SQL_GRANT[] =
    "INSERT INTO episode_entitlements(member_id, book_id, number, kind, price, ledger_id,"
    " batch, granted_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_OWNS[] = "SELECT 1 FROM episode_entitlements WHERE member_id = ?1"
			       " AND book_id = ?2 LIMIT 1";
static const char SQL_ENTITLEMENT[] =
    "SELECT id, member_id, book_id, price, coalesce(ledger_id, 0), granted_at, number,"
    " kind = 'wait_free', coalesce(batch, 0) FROM episode_entitlements"
    " WHERE member_id = ?1 AND book_id = ?2 ORDER BY id LIMIT 1";
static const char SQL_UPDATE[] =
    "UPDATE books SET summary = ?2, tagline = ?3, price = ?4, episode_price = ?5,"
    " free_episodes = ?6, wait_free_hours = ?7, completed = ?8, genre = ?9, tags = ?10,"
    " age_rating = ?11, hidden = ?12, price_reason = ?13, gen_summary = ?14, gen_price = ?15,"
    " gen_cover = ?16, price_basis = ?17, price_minutes = ?18, price_length = ?19, proof = ?20,"
    " published_at = ?21, gen_tagline = ?22 WHERE id = ?1";
static const char SQL_TAGS_CLEAR[] = "DELETE FROM book_tags WHERE book_id = ?1";
static const char SQL_TAG_ADD[] =
    "INSERT INTO book_tags(tag, book_id) VALUES (?2, ?1) ON CONFLICT DO NOTHING";
/* what the published episodes decide; serial once there is a second episode of any kind */
static const char SQL_REFRESH[] =
    "UPDATE books SET"
    " price = (SELECT coalesce(sum(e.price), 0) FROM episodes e WHERE e.book_id = books.id"
    "  AND e.published_at IS NOT NULL AND e.number > books.free_episodes),"
    " episode_count = (SELECT count(*) FROM episodes e WHERE e.book_id = books.id"
    "  AND e.published_at IS NOT NULL),"
    " updated_at = coalesce((SELECT max(e.published_at) FROM episodes e"
    "  WHERE e.book_id = books.id), updated_at),"
    " serial = CASE WHEN serial = 1 OR (SELECT count(*) FROM episodes e"
    "  WHERE e.book_id = books.id) > 1 THEN 1 ELSE 0 END"
    " WHERE id = ?1";
void sqlite_text_col(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	size_t n = s ? strnlen(s, cap - 1) : 0;

	if (s && s[n]) /* cut: not inside a character */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	if (n)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

int sqlite_text_dup(char **out, size_t *len, sqlite3_stmt *st, int col, app_err *err)
{
	size_t n = (size_t)sqlite3_column_bytes(st, col);
	const unsigned char *s = sqlite3_column_text(st, col);

	if (!(*out = malloc(n + 1)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (n)
		memcpy(*out, s, n);
	(*out)[n] = '\0';
	if (len)
		*len = n;
	return 0;
}

int64_t sqlite_utf8_chars(const char *s, size_t len)
{
	int64_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xC0) != 0x80;
	return n;
}

/* Fills every field of b (no need to zero it first: these are 8 KB each). */
int sqlite_book_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	book *b = dst;

	b->id = sqlite3_column_int64(st, 0);
	b->manuscript_id = sqlite3_column_int64(st, 1);
	b->author_id = sqlite3_column_int64(st, 2);
	sqlite_text_col(b->title, sizeof(b->title), st, 3);
	sqlite_text_col(b->author_name, sizeof(b->author_name), st, 4);
	sqlite_text_col(b->summary, sizeof(b->summary), st, 5);
	sqlite_text_col(b->tagline, sizeof(b->tagline), st, 6);
	b->price = sqlite3_column_int64(st, 7);
	sqlite_text_col(b->price_reason, sizeof(b->price_reason), st, 8);
	sqlite_text_col(b->cover_mime, sizeof(b->cover_mime), st, 9);
	sqlite_text_col(b->cover_etag, sizeof(b->cover_etag), st, 10);
	b->views = sqlite3_column_int64(st, 11);
	b->bestseller = sqlite3_column_int(st, 12);
	b->published_at = sqlite3_column_int64(st, 13);
	sqlite_text_col(b->gen_summary, sizeof(b->gen_summary), st, 14);
	sqlite_text_col(b->gen_price, sizeof(b->gen_price), st, 15);
	sqlite_text_col(b->gen_cover, sizeof(b->gen_cover), st, 16);
	b->serial = sqlite3_column_int(st, 17);
	b->episode_count = sqlite3_column_int64(st, 18);
	b->free_episodes = sqlite3_column_int64(st, 19);
	b->episode_price = sqlite3_column_int64(st, 20);
	b->wait_free_hours = sqlite3_column_int64(st, 21);
	b->completed = sqlite3_column_int(st, 22);
	sqlite_text_col(b->genre, sizeof(b->genre), st, 23);
	book_tags_parse(b, (const char *)sqlite3_column_text(st, 24));
	sqlite_text_col(b->age_rating, sizeof(b->age_rating), st, 25);
	b->hidden = sqlite3_column_int(st, 26);
	b->updated_at = sqlite3_column_int64(st, 27);
	sqlite_text_col(b->price_basis.code, sizeof(b->price_basis.code), st, 28);
	b->price_basis.minutes = sqlite3_column_int64(st, 29);
	sqlite_text_col(b->price_basis.length_class, sizeof(b->price_basis.length_class), st, 30);
	b->proof = sqlite3_column_int(st, 31);
	sqlite_text_col(b->gen_tagline, sizeof(b->gen_tagline), st, 32);
	(void)err;
	return 0;
}

static int tags_store(sqlite_db *db, uow_tx *tx, const book *b, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_TAGS_CLEAR, err)))
		return rc;
	sqlite3_bind_int64(st, 1, b->id);
	if ((rc = sqlite_stmt_exec(db, st, "tags", err)))
		return rc;
	for (int i = 0; i < b->ntags; i++) {
		if ((rc = sqlite_db_stmt(&st, db, tx, SQL_TAG_ADD, err)))
			return rc;
		sqlite3_bind_int64(st, 1, b->id);
		sqlite3_bind_text(st, 2, b->tags[i], -1, SQLITE_STATIC);
		if ((rc = sqlite_stmt_exec(db, st, "tag", err)))
			return rc;
	}
	return 0;
}

/* The manuscript's book exists: say which. */
static int existing_book(sqlite_db *db, uow_tx *tx, book *b, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_BY_MANUSCRIPT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, b->manuscript_id);
	if ((rc = sqlite_stmt_row(db, st, "the manuscript's book is gone", "book lookup", err)))
		return rc;
	b->id = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return app_err_set(err, APP_EEXISTS, NULL, NULL, "the manuscript has a book");
}

static int insert_row(sqlite_db *db, uow_tx *tx, book *b, app_err *err)
{
	char tags[BOOK_TAGS_MAX * BOOK_TAG_BYTES];
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_INSERT, err)))
		return rc;
	if (!b->age_rating[0])
		memcpy(b->age_rating, "all", 4);
	book_tags_join(tags, sizeof(tags), b);
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
	sqlite3_bind_int(st, 15, b->serial);
	sqlite3_bind_int64(st, 16, b->free_episodes);
	sqlite3_bind_int64(st, 17, b->episode_price);
	sqlite3_bind_int64(st, 18, b->wait_free_hours);
	sqlite3_bind_int(st, 19, b->completed);
	sqlite3_bind_text(st, 20, b->genre, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 21, tags, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 22, b->age_rating, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 23, b->hidden);
	sqlite3_bind_text(st, 24, b->price_basis.code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 25, b->price_basis.minutes);
	sqlite3_bind_text(st, 26, b->price_basis.length_class, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 27, b->proof);
	sqlite3_bind_text(st, 28, b->gen_tagline, -1, SQLITE_STATIC);
	/* idempotent in storage: a second book of a manuscript writes nothing, fails nothing */
	if ((rc = sqlite_stmt_exec(db, st, "book insert", err)))
		return rc;
	if (sqlite_db_changes(db) == 0)
		return existing_book(db, tx, b, err);
	b->id = sqlite_db_last_id(db);
	b->episode_count = 1;
	b->updated_at = b->published_at;
	return tags_store(db, tx, b, err);
}

static int first_episode(sqlite_db *db, uow_tx *tx, const book *b, const char *content,
			 size_t content_len, app_err *err)
{
	sqlite3_stmt *st;
	int64_t episode_id;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_FIRST_EPISODE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_int64(st, 2, b->manuscript_id);
	sqlite3_bind_text(st, 3, b->title, -1, SQLITE_STATIC);
	/* a serial's episodes follow the work's price; a one-episode book's price is its own */
	sqlite3_bind_int64(st, 4, b->serial ? b->episode_price : b->price);
	sqlite3_bind_int(st, 5, !b->serial);
	sqlite3_bind_int64(st, 6, sqlite_utf8_chars(content, content_len));
	sqlite3_bind_text(st, 7, b->summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, b->gen_summary, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, b->published_at);
	if ((rc = sqlite_stmt_exec(db, st, "first episode", err)))
		return rc;
	episode_id = sqlite_db_last_id(db);
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_INSERT_CONTENT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, episode_id);
	sqlite3_bind_text(st, 2, content, (int)content_len, SQLITE_STATIC);
	return sqlite_stmt_exec(db, st, "episode text", err);
}

static int book_insert(void *self, uow_tx *tx, book *b, const char *content, size_t content_len,
		       const unsigned char *cover, size_t cover_len, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = insert_row(db, tx, b, err)))
		return rc;
	if ((rc = first_episode(db, tx, b, content, content_len, err)))
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
	sqlite_book_row(out, st, NULL);
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

/* Binds the catalog's parameters; *phrase (the caller frees) holds an FTS phrase. */
static int list_bind(sqlite3_stmt *st, const book_query *q, int mode, char **phrase)
{
	*phrase = NULL;
	sqlite3_bind_int64(st, 1, q->after.id > 0 ? q->after.id : INT64_MAX);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)q->limit);
	if (q->author_id) {
		sqlite3_bind_int64(st, 3, q->author_id);
		sqlite3_bind_int(st, 4, q->with_hidden != 0);
		return 0;
	}
	if (q->sort != BOOK_SORT_NEW)
		sqlite3_bind_int64(st, 3, q->after.id > 0 ? q->after.views : INT64_MAX);
	if (mode == 1) {
		if (!(*phrase = fts_phrase(q->q)))
			return -1;
		sqlite3_bind_text(st, 4, *phrase, -1, SQLITE_STATIC);
	} else if (mode == 2) {
		sqlite3_bind_text(st, 4, q->q, -1, SQLITE_STATIC);
	}
	sqlite_bind_text_or_null(st, 5, q->genre && *q->genre ? q->genre : NULL);
	sqlite_bind_text_or_null(st, 6, q->tag && *q->tag ? q->tag : NULL);
	sqlite3_bind_int(st, 7, q->completed);
	sqlite3_bind_int(st, 8, q->with_hidden != 0);
	sqlite3_bind_int(st, 9, q->no_ai_covers != 0);
	return 0;
}

static int book_list(book *out, size_t *n, void *self, uow_tx *tx, const book_query *q,
		     app_err *err)
{
	sqlite_db *db = self;
	/* The trigram index needs three characters; shorter searches scan (still correct). */
	int mode = !q->q ? 0 : sqlite_utf8_chars(q->q, strlen(q->q)) >= 3 ? 1 : 2;
	const char *sql = q->author_id ? SQL_BY_AUTHOR : SQL_LIST[q->sort][mode];
	sqlite3_stmt *st;
	char *phrase;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, db, tx, sql, err)))
		return rc;
	if (list_bind(st, q, mode, &phrase)) {
		sqlite_stmt_done(st);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	rc = sqlite_stmt_rows(out, sizeof(*out), n, q->limit, db, st, sqlite_book_row, "book list",
			      err);
	free(phrase);
	return rc;
}

static int book_content(char **out, size_t *len, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_CONTENT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(self, st, "no such book", "book text", err)))
		return rc;
	rc = sqlite_text_dup(out, len, st, 0, err);
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
	sqlite3_bind_int64(st, 2, v->number);
	sqlite3_bind_int64(st, 3, v->member_id);
	sqlite3_bind_int64(st, 4, v->day);
	sqlite3_bind_text(st, 5, book_access_reason_name(v->reason), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, v->client, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, v->at);
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
	if ((rc = sqlite_stmt_row(self, st, "no such book", "views", err)))
		return rc;
	*total = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
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
	sqlite3_bind_int64(st, 3, e->number);
	sqlite3_bind_text(st, 4, e->kind == BOOK_OWN_WAIT_FREE ? "wait_free" : "purchase", -1,
			  SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, e->price);
	if (e->ledger_id)
		sqlite3_bind_int64(st, 6, e->ledger_id);
	if (e->batch)
		sqlite3_bind_int64(st, 7, e->batch);
	sqlite3_bind_int64(st, 8, e->purchased_at);
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
	rc = sqlite_stmt_row(self, st, "not owned", "entitlement lookup", err);
	if (rc == 0)
		sqlite_stmt_done(st);
	return rc == 0 ? 1 : rc == APP_ENOTFOUND ? 0 : rc;
}

int sqlite_entitlement_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	book_entitlement *out = dst;

	out->id = sqlite3_column_int64(st, 0);
	out->member_id = sqlite3_column_int64(st, 1);
	out->book_id = sqlite3_column_int64(st, 2);
	out->price = sqlite3_column_int64(st, 3);
	out->ledger_id = sqlite3_column_int64(st, 4);
	out->purchased_at = sqlite3_column_int64(st, 5);
	out->number = sqlite3_column_int64(st, 6);
	out->kind = sqlite3_column_int(st, 7) ? BOOK_OWN_WAIT_FREE : BOOK_OWN_PURCHASE;
	out->batch = sqlite3_column_int64(st, 8);
	(void)err;
	return 0;
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
	sqlite_entitlement_row(out, st, NULL);
	sqlite_stmt_done(st);
	return 0;
}

static int book_update(void *self, uow_tx *tx, const book *b, unsigned fields, app_err *err)
{
	char tags[BOOK_TAGS_MAX * BOOK_TAG_BYTES];
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_UPDATE, err)))
		return rc;
	book_tags_join(tags, sizeof(tags), b);
	sqlite3_bind_int64(st, 1, b->id);
	sqlite3_bind_text(st, 2, b->summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, b->tagline, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, b->price);
	sqlite3_bind_int64(st, 5, b->episode_price);
	sqlite3_bind_int64(st, 6, b->free_episodes);
	sqlite3_bind_int64(st, 7, b->wait_free_hours);
	sqlite3_bind_int(st, 8, b->completed);
	sqlite3_bind_text(st, 9, b->genre, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, tags, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 11, b->age_rating, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 12, b->hidden);
	sqlite3_bind_text(st, 13, b->price_reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, b->gen_summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, b->gen_price, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 16, b->gen_cover, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 17, b->price_basis.code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 18, b->price_basis.minutes);
	sqlite3_bind_text(st, 19, b->price_basis.length_class, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 20, b->proof);
	sqlite3_bind_int64(st, 21, b->published_at);
	sqlite3_bind_text(st, 22, b->gen_tagline, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_exec(self, st, "book update", err)))
		return rc;
	if (sqlite_db_changes(self) == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	return fields & BOOK_FIELD_TAGS ? tags_store(self, tx, b, err) : 0;
}

static int book_refresh(book *out, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REFRESH, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	if ((rc = sqlite_stmt_exec(self, st, "book refresh", err)))
		return rc;
	if (sqlite_db_changes(self) == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	return out ? book_find(out, self, tx, book_id, err) : 0;
}

static const book_repo_vtbl books_vtbl = {
    .insert = book_insert,
    .find = book_find,
    .list = book_list,
    .content = book_content,
    .cover = sqlite_book_cover,
    .set_cover = sqlite_book_set_cover,
    .lacking_renditions = sqlite_book_lacking_renditions,
    .mark_view = book_mark_view,
    .add_views = book_add_views,
    .mark_bestseller = book_mark_bestseller,
    .grant = book_grant,
    .owns = book_owns,
    .entitlement = book_entitlement_get,
    .library = sqlite_book_library,
    .update = book_update,
    .refresh = book_refresh,
    .rankings = sqlite_book_rankings,
    .readers_from = sqlite_book_readers_from,
    .reader_add = sqlite_book_reader_add,
    .reader_counts = sqlite_book_reader_counts,
    .exclusions = sqlite_book_exclusions,
};

book_repo sqlite_book_repo(sqlite_db *db)
{
	return (book_repo){.vtbl = &books_vtbl, .self = db};
}
