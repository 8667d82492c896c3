/* The books repository: works, search, entitlements, view marks (rankings: pg_book_readers.c). */
#include "adapters/postgres/pg_books_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"

#define COLS BOOK_COLS

/*
 * The catalog: $1 cursor id, $2 limit, $3 cursor views (or updated_at), $4
 * the search, $5 genre, $6 tag, $7 completed (0 any, 1 no, 2 yes), $8 1:
 * hidden ones too (never a proof: its author's alone), $9 1 leaves out
 * generated covers. NULL filters match all.
 */
#define FILTERS                                                                                    \
	" (b.hidden = 0 OR ($8 = 1 AND b.proof = 0)) AND ($5::text IS NULL OR b.genre = $5) AND"   \
	" ($6::text IS NULL"                                                                       \
	" OR b.id IN (SELECT book_id FROM book_tags WHERE tag = $6)) AND ($7 = 0 OR"               \
	" b.completed = $7 - 1) AND ($9 = 0 OR b.gen_cover = '') AND"
#define NEW_WHERE  " b.id < $1"
#define NEW_ORDER  " ORDER BY b.id DESC LIMIT $2"
#define POP_WHERE  " (b.views < $3 OR (b.views = $3 AND b.id < $1))"
#define POP_ORDER  " ORDER BY b.views DESC, b.id DESC LIMIT $2"
#define BEST_WHERE " b.bestseller = 1 AND" POP_WHERE
#define UPD_WHERE  " (b.updated_at < $3 OR (b.updated_at = $3 AND b.id < $1))"
#define UPD_ORDER  " ORDER BY b.updated_at DESC, b.id DESC LIMIT $2"
/*
 * $4 the search. Three characters or more: LIKE on the lowered text, which
 * the pg_trgm index books_search answers (the query's wildcards escaped);
 * shorter ones scan with strpos (trigrams need three), as on SQLite.
 */
#define PATTERN                                                                                    \
	"'%' || replace(replace(replace(lower($4), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'"
#define TRGM                                                                                       \
	" (lower(b.title) LIKE " PATTERN " OR lower(b.author_name) LIKE " PATTERN                  \
	" OR lower(b.summary) LIKE " PATTERN ") AND"
#define SUBSTR                                                                                     \
	" (strpos(lower(b.title), lower($4)) > 0 OR strpos(lower(b.author_name), lower($4)) > 0"   \
	" OR strpos(lower(b.summary), lower($4)) > 0) AND"
/*
 * PostgreSQL wants every parameter it is given named in the statement: with
 * no search $4 is NULL, and the newest first have no use for $3 (not NULL)
 */
#define NOSEARCH   " $4::text IS NULL AND"
#define NEW_LISTED " $3::bigint IS NOT NULL AND" NEW_WHERE
#define SELECT_B   "SELECT " COLS " FROM books b WHERE" FILTERS

static const char *const SQL_LIST[4][3] = {
    /* new */
    {SELECT_B NOSEARCH NEW_LISTED NEW_ORDER, SELECT_B TRGM NEW_LISTED NEW_ORDER,
     SELECT_B SUBSTR NEW_LISTED NEW_ORDER},
    /* popular */
    {SELECT_B NOSEARCH POP_WHERE POP_ORDER, SELECT_B TRGM POP_WHERE POP_ORDER,
     SELECT_B SUBSTR POP_WHERE POP_ORDER},
    /* bestsellers */
    {SELECT_B NOSEARCH BEST_WHERE POP_ORDER, SELECT_B TRGM BEST_WHERE POP_ORDER,
     SELECT_B SUBSTR BEST_WHERE POP_ORDER},
    /* updated */
    {SELECT_B NOSEARCH UPD_WHERE UPD_ORDER, SELECT_B TRGM UPD_WHERE UPD_ORDER,
     SELECT_B SUBSTR UPD_WHERE UPD_ORDER},
};
/* an author's works ($3); $4 1 shows the hidden ones too */
static const char SQL_BY_AUTHOR[] = "SELECT " COLS " FROM books b WHERE b.author_id = $3 AND"
				    " (b.hidden = 0 OR $4 = 1) AND" NEW_WHERE NEW_ORDER;
static const char SQL_FIND[] = "SELECT " COLS " FROM books b WHERE b.id = $1";
static const char SQL_INSERT[] =
    "INSERT INTO books(manuscript_id, author_id, title, author_name, summary, tagline, price,"
    " price_reason, cover_mime, cover_etag, published_at, gen_summary, gen_price, gen_cover,"
    " serial, episode_count, free_episodes, episode_price, wait_free_hours, completed, genre,"
    " tags, age_rating, hidden, updated_at, price_basis, price_minutes, price_length, proof,"
    " gen_tagline)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16, $17,"
    " $18, $19, $20, $21, $22, $23, $11, $24, $25, $26, $27, $28)"
    " ON CONFLICT(manuscript_id) DO NOTHING RETURNING id";
static const char SQL_BY_MANUSCRIPT[] = "SELECT id FROM books WHERE manuscript_id = $1";
static const char SQL_FIRST_EPISODE[] =
    "INSERT INTO episodes(book_id, number, manuscript_id, title, price, own_price, characters,"
    " summary, gen_summary, published_at, created_at, updated_at)"
    " VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) RETURNING id";
static const char SQL_INSERT_CONTENT[] =
    "INSERT INTO episode_contents(episode_id, content) VALUES ($1, $2)";
static const char SQL_INSERT_COVER[] = "INSERT INTO book_covers(book_id, data) VALUES ($1, $2)";
static const char SQL_CONTENT[] = "SELECT c.content FROM episodes e JOIN episode_contents c"
				  " ON c.episode_id = e.id WHERE e.book_id = $1 AND e.number = 1";
static const char SQL_MARK_VIEW[] =
    "INSERT INTO episode_views(book_id, number, member_id, day, reason, client, at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
static const char SQL_ADD_VIEWS[] = "UPDATE books SET views = views + $2 WHERE id = $1"
				    " RETURNING views";
static const char SQL_BESTSELLER[] = "UPDATE books SET bestseller = 1 WHERE id = $1"
				     " AND bestseller = 0";
static const char SQL_GRANT[] =
    "INSERT INTO episode_entitlements(member_id, book_id, number, kind, price, ledger_id,"
    " batch, granted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_OWNS[] = "SELECT 1 FROM episode_entitlements WHERE member_id = $1"
			       " AND book_id = $2 LIMIT 1";
static const char SQL_ENTITLEMENT[] = "SELECT " ENTITLEMENT_COLS " FROM episode_entitlements"
				      " WHERE member_id = $1 AND book_id = $2 ORDER BY id LIMIT 1";
static const char SQL_UPDATE[] =
    "UPDATE books SET summary = $2, tagline = $3, price = $4, episode_price = $5,"
    " free_episodes = $6, wait_free_hours = $7, completed = $8, genre = $9, tags = $10,"
    " age_rating = $11, hidden = $12, price_reason = $13, gen_summary = $14, gen_price = $15,"
    " gen_cover = $16, price_basis = $17, price_minutes = $18, price_length = $19, proof = $20,"
    " published_at = $21, gen_tagline = $22 WHERE id = $1";
static const char SQL_TAGS_CLEAR[] = "DELETE FROM book_tags WHERE book_id = $1";
static const char SQL_TAG_ADD[] =
    "INSERT INTO book_tags(tag, book_id) VALUES ($2, $1) ON CONFLICT DO NOTHING";
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
    " WHERE id = $1";

int pg_text_dup(char **out, size_t *len, const PGresult *r, int row, int col, app_err *err)
{
	size_t n = (size_t)PQgetlength(r, row, col);

	if (!(*out = malloc(n + 1)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	memcpy(*out, PQgetvalue(r, row, col), n);
	(*out)[n] = '\0';
	if (len)
		*len = n;
	return 0;
}

void pg_book_columns(book *b, const PGresult *r, int row)
{
	b->id = pg_int(r, row, 0);
	b->manuscript_id = pg_int(r, row, 1);
	b->author_id = pg_int(r, row, 2);
	pg_copy(b->title, sizeof(b->title), r, row, 3);
	pg_copy(b->author_name, sizeof(b->author_name), r, row, 4);
	pg_copy(b->summary, sizeof(b->summary), r, row, 5);
	pg_copy(b->tagline, sizeof(b->tagline), r, row, 6);
	b->price = pg_int(r, row, 7);
	pg_copy(b->price_reason, sizeof(b->price_reason), r, row, 8);
	pg_copy(b->cover_mime, sizeof(b->cover_mime), r, row, 9);
	pg_copy(b->cover_etag, sizeof(b->cover_etag), r, row, 10);
	b->views = pg_int(r, row, 11);
	b->bestseller = (int)pg_int(r, row, 12);
	b->published_at = pg_int(r, row, 13);
	pg_copy(b->gen_summary, sizeof(b->gen_summary), r, row, 14);
	pg_copy(b->gen_price, sizeof(b->gen_price), r, row, 15);
	pg_copy(b->gen_cover, sizeof(b->gen_cover), r, row, 16);
	b->serial = (int)pg_int(r, row, 17);
	b->episode_count = pg_int(r, row, 18);
	b->free_episodes = pg_int(r, row, 19);
	b->episode_price = pg_int(r, row, 20);
	b->wait_free_hours = pg_int(r, row, 21);
	b->completed = (int)pg_int(r, row, 22);
	pg_copy(b->genre, sizeof(b->genre), r, row, 23);
	book_tags_parse(b, pg_text(r, row, 24));
	pg_copy(b->age_rating, sizeof(b->age_rating), r, row, 25);
	b->hidden = (int)pg_int(r, row, 26);
	b->updated_at = pg_int(r, row, 27);
	pg_copy(b->price_basis.code, sizeof(b->price_basis.code), r, row, 28);
	b->price_basis.minutes = pg_int(r, row, 29);
	pg_copy(b->price_basis.length_class, sizeof(b->price_basis.length_class), r, row, 30);
	b->proof = (int)pg_int(r, row, 31);
	pg_copy(b->gen_tagline, sizeof(b->gen_tagline), r, row, 32);
}

int pg_book_row(void *dst, const PGresult *r, int row, app_err *err)
{
	(void)err;
	pg_book_columns(dst, r, row);
	return 0;
}

/* A statement on one id ($1) without rows; *changed (may be NULL) what it changed. */
static int by_id(int64_t *changed, pg_db *db, uow_tx *tx, const char *sql, int64_t id,
		 const char *what, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	return pg_db_exec(changed, db, tx, sql, &p, what, err);
}

static int tags_store(pg_db *db, uow_tx *tx, const book *b, app_err *err)
{
	pg_params p;
	int rc;

	if ((rc = by_id(NULL, db, tx, SQL_TAGS_CLEAR, b->id, "tags", err)))
		return rc;
	for (int i = 0; i < b->ntags; i++) {
		pg_params_init(&p);
		pg_param_int(&p, b->id);
		pg_param_text(&p, b->tags[i]);
		if ((rc = pg_db_exec(NULL, db, tx, SQL_TAG_ADD, &p, "tag", err)))
			return rc;
	}
	return 0;
}

/* The manuscript's book exists: say which. */
static int existing_book(pg_db *db, uow_tx *tx, book *b, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, b->manuscript_id);
	if ((rc = pg_db_row(&r, db, tx, SQL_BY_MANUSCRIPT, &p, "the manuscript's book is gone",
			    "book lookup", err)))
		return rc;
	b->id = pg_int(r, 0, 0);
	PQclear(r);
	return app_err_set(err, APP_EEXISTS, NULL, NULL, "the manuscript has a book");
}

static void insert_params(pg_params *p, const book *b, const char *tags)
{
	pg_params_init(p);
	pg_param_int(p, b->manuscript_id);
	pg_param_int(p, b->author_id);
	pg_param_text(p, b->title);
	pg_param_text(p, b->author_name);
	pg_param_text(p, b->summary);
	pg_param_text(p, b->tagline);
	pg_param_int(p, b->price);
	pg_param_text(p, b->price_reason);
	pg_param_text(p, b->cover_mime);
	pg_param_text(p, b->cover_etag);
	pg_param_int(p, b->published_at);
	pg_param_text(p, b->gen_summary);
	pg_param_text(p, b->gen_price);
	pg_param_text(p, b->gen_cover);
	pg_param_int(p, b->serial);
	pg_param_int(p, b->free_episodes);
	pg_param_int(p, b->episode_price);
	pg_param_int(p, b->wait_free_hours);
	pg_param_int(p, b->completed);
	pg_param_text(p, b->genre);
	pg_param_text(p, tags);
	pg_param_text(p, b->age_rating);
	pg_param_int(p, b->hidden);
	pg_param_text(p, b->price_basis.code);
	pg_param_int(p, b->price_basis.minutes);
	pg_param_text(p, b->price_basis.length_class);
	pg_param_int(p, b->proof);
	pg_param_text(p, b->gen_tagline);
}

static int insert_row(pg_db *db, uow_tx *tx, book *b, app_err *err)
{
	char tags[BOOK_TAGS_MAX * BOOK_TAG_BYTES];
	pg_params p;
	PGresult *r;
	int rc;

	if (!b->age_rating[0])
		memcpy(b->age_rating, "all", 4);
	book_tags_join(tags, sizeof(tags), b);
	insert_params(&p, b, tags);
	/* idempotent in storage: a second book of a manuscript writes nothing, fails nothing */
	if ((rc = pg_db_query(&r, db, tx, SQL_INSERT, &p, "book insert", err)))
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return existing_book(db, tx, b, err);
	}
	b->id = pg_int(r, 0, 0);
	PQclear(r);
	b->episode_count = 1;
	b->updated_at = b->published_at;
	return tags_store(db, tx, b, err);
}

static int first_episode(pg_db *db, uow_tx *tx, const book *b, const char *content,
			 size_t content_len, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, b->id);
	pg_param_int(&p, b->manuscript_id);
	pg_param_text(&p, b->title);
	/* a serial's episodes follow the work's price; a one-episode book's price is its own */
	pg_param_int(&p, b->serial ? b->episode_price : b->price);
	pg_param_int(&p, !b->serial);
	pg_param_int(&p, (int64_t)text_utf8_chars(content, content_len));
	pg_param_text(&p, b->summary);
	pg_param_text(&p, b->gen_summary);
	pg_param_int(&p, b->published_at);
	if ((rc = pg_db_row(&r, db, tx, SQL_FIRST_EPISODE, &p, "no episode id", "first episode",
			    err)))
		return rc;
	pg_params_init(&p);
	pg_param_int(&p, pg_int(r, 0, 0));
	PQclear(r);
	pg_param_textn(&p, content, content_len);
	return pg_db_exec(NULL, db, tx, SQL_INSERT_CONTENT, &p, "episode text", err);
}

static int book_insert(void *self, uow_tx *tx, book *b, const char *content, size_t content_len,
		       const unsigned char *cover, size_t cover_len, app_err *err)
{
	pg_params p;
	int rc;

	if ((rc = insert_row(self, tx, b, err)) ||
	    (rc = first_episode(self, tx, b, content, content_len, err)))
		return rc;
	pg_params_init(&p);
	pg_param_int(&p, b->id);
	pg_param_bytes(&p, cover, cover_len);
	return pg_db_exec(NULL, self, tx, SQL_INSERT_COVER, &p, "book cover", err);
}

static int book_find(book *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	if ((rc = pg_db_row(&r, self, tx, SQL_FIND, &p, "no such book", "book lookup", err)))
		return rc;
	pg_book_columns(out, r, 0);
	PQclear(r);
	return 0;
}

static void list_params(pg_params *p, const book_query *q, int mode)
{
	pg_params_init(p);
	pg_param_int(p, q->after.id > 0 ? q->after.id : INT64_MAX);
	pg_param_int(p, (int64_t)q->limit);
	if (q->author_id) {
		pg_param_int(p, q->author_id);
		pg_param_int(p, q->with_hidden != 0);
		return;
	}
	pg_param_int(p, q->sort != BOOK_SORT_NEW && q->after.id > 0 ? q->after.views : INT64_MAX);
	pg_param_text(p, mode ? q->q : NULL);
	pg_param_text(p, q->genre && *q->genre ? q->genre : NULL);
	pg_param_text(p, q->tag && *q->tag ? q->tag : NULL);
	pg_param_int(p, q->completed);
	pg_param_int(p, q->with_hidden != 0);
	pg_param_int(p, q->no_ai_covers != 0);
}

static int book_list(book *out, size_t *n, void *self, uow_tx *tx, const book_query *q,
		     app_err *err)
{
	/* The trigram index needs three characters; shorter searches scan (still correct). */
	int mode = !q->q ? 0 : text_utf8_chars(q->q, strlen(q->q)) >= 3 ? 1 : 2;
	const char *sql = q->author_id ? SQL_BY_AUTHOR : SQL_LIST[q->sort][mode];
	pg_params p;

	list_params(&p, q, mode);
	return pg_db_rows(out, sizeof(*out), n, q->limit, self, tx, sql, &p, pg_book_row,
			  "book list", err);
}

static int book_content(char **out, size_t *len, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	if ((rc = pg_db_row(&r, self, tx, SQL_CONTENT, &p, "no such book", "book text", err)))
		return rc;
	rc = pg_text_dup(out, len, r, 0, 0, err);
	PQclear(r);
	return rc;
}

static int book_mark_view(int *counted, void *self, uow_tx *tx, const book_view *v, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, v->book_id);
	pg_param_int(&p, v->number);
	pg_param_int(&p, v->member_id);
	pg_param_int(&p, v->day);
	pg_param_text(&p, book_access_reason_name(v->reason));
	pg_param_text(&p, v->client);
	pg_param_int(&p, v->at);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_MARK_VIEW, &p, "view mark", err)))
		return rc;
	*counted = changed > 0;
	return 0;
}

static int book_add_views(int64_t *total, void *self, uow_tx *tx, int64_t book_id, int64_t n,
			  app_err *err)
{
	pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, book_id);
	pg_param_int(&p, n);
	rc = pg_db_int(total, self, tx, SQL_ADD_VIEWS, &p, "views", err);
	return rc == APP_ENOTFOUND ? app_err_set(err, rc, NULL, NULL, "no such book") : rc;
}

static int book_mark_bestseller(int *changed, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	int64_t n;
	int rc = by_id(&n, self, tx, SQL_BESTSELLER, book_id, "bestseller", err);

	if (rc == 0)
		*changed = n > 0;
	return rc;
}

static int book_grant(void *self, uow_tx *tx, const book_entitlement *e, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, e->member_id);
	pg_param_int(&p, e->book_id);
	pg_param_int(&p, e->number);
	pg_param_text(&p, e->kind == BOOK_OWN_WAIT_FREE ? "wait_free" : "purchase");
	pg_param_int(&p, e->price);
	pg_param_id(&p, e->ledger_id);
	pg_param_id(&p, e->batch);
	pg_param_int(&p, e->purchased_at);
	return pg_db_exec(NULL, self, tx, SQL_GRANT, &p, "entitlement", err);
}

/* The parameters of a (member, book) statement. */
static void member_book(pg_params *p, int64_t member_id, int64_t book_id)
{
	pg_params_init(p);
	pg_param_int(p, member_id);
	pg_param_int(p, book_id);
}

static int book_owns(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	member_book(&p, member_id, book_id);
	if ((rc = pg_db_query(&r, self, tx, SQL_OWNS, &p, "entitlement lookup", err)))
		return rc;
	rc = PQntuples(r) > 0;
	PQclear(r);
	return rc;
}

int pg_entitlement_row(void *dst, const PGresult *r, int row, app_err *err)
{
	book_entitlement *out = dst;

	out->id = pg_int(r, row, 0);
	out->member_id = pg_int(r, row, 1);
	out->book_id = pg_int(r, row, 2);
	out->price = pg_int(r, row, 3);
	out->ledger_id = pg_int(r, row, 4);
	out->purchased_at = pg_int(r, row, 5);
	out->number = pg_int(r, row, 6);
	out->kind = pg_int(r, row, 7) ? BOOK_OWN_WAIT_FREE : BOOK_OWN_PURCHASE;
	out->batch = pg_int(r, row, 8);
	(void)err;
	return 0;
}

static int book_entitlement_get(book_entitlement *out, void *self, uow_tx *tx, int64_t member_id,
				int64_t book_id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	member_book(&p, member_id, book_id);
	if ((rc = pg_db_row(&r, self, tx, SQL_ENTITLEMENT, &p, "not owned", "entitlement lookup",
			    err)))
		return rc;
	pg_entitlement_row(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static void update_params(pg_params *p, const book *b, const char *tags)
{
	pg_params_init(p);
	pg_param_int(p, b->id);
	pg_param_text(p, b->summary);
	pg_param_text(p, b->tagline);
	pg_param_int(p, b->price);
	pg_param_int(p, b->episode_price);
	pg_param_int(p, b->free_episodes);
	pg_param_int(p, b->wait_free_hours);
	pg_param_int(p, b->completed);
	pg_param_text(p, b->genre);
	pg_param_text(p, tags);
	pg_param_text(p, b->age_rating);
	pg_param_int(p, b->hidden);
	pg_param_text(p, b->price_reason);
	pg_param_text(p, b->gen_summary);
	pg_param_text(p, b->gen_price);
	pg_param_text(p, b->gen_cover);
	pg_param_text(p, b->price_basis.code);
	pg_param_int(p, b->price_basis.minutes);
	pg_param_text(p, b->price_basis.length_class);
	pg_param_int(p, b->proof);
	pg_param_int(p, b->published_at);
	pg_param_text(p, b->gen_tagline);
}

static int book_update(void *self, uow_tx *tx, const book *b, unsigned fields, app_err *err)
{
	char tags[BOOK_TAGS_MAX * BOOK_TAG_BYTES];
	pg_params p;
	int64_t changed;
	int rc;

	book_tags_join(tags, sizeof(tags), b);
	update_params(&p, b, tags);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_UPDATE, &p, "book update", err)))
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	return fields & BOOK_FIELD_TAGS ? tags_store(self, tx, b, err) : 0;
}

static int book_refresh(book *out, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	int64_t changed;
	int rc = by_id(&changed, self, tx, SQL_REFRESH, book_id, "book refresh", err);

	if (rc)
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	return out ? book_find(out, self, tx, book_id, err) : 0;
}

static const book_repo_vtbl books_vtbl = {
    .insert = book_insert,
    .find = book_find,
    .list = book_list,
    .content = book_content,
    .cover = pg_book_cover,
    .set_cover = pg_book_set_cover,
    .lacking_renditions = pg_book_lacking_renditions,
    .mark_view = book_mark_view,
    .add_views = book_add_views,
    .mark_bestseller = book_mark_bestseller,
    .grant = book_grant,
    .owns = book_owns,
    .entitlement = book_entitlement_get,
    .library = pg_book_library,
    .update = book_update,
    .refresh = book_refresh,
    .rankings = pg_book_rankings,
    .readers_from = pg_book_readers_from,
    .reader_add = pg_book_reader_add,
    .reader_counts = pg_book_reader_counts,
    .exclusions = pg_book_exclusions,
};

book_repo pg_book_repo(pg_db *db)
{
	return (book_repo){.vtbl = &books_vtbl, .self = db};
}
