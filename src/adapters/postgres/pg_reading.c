/* Readers' side of the books core: the library, reading progress and the change log. */
#include "adapters/postgres/pg_books_internal.h"

#include <string.h>

/*
 * The shelf: every book the member holds an episode of or has read (hidden
 * ones only while they hold some), by the latest of those moments.
 */
static const char SQL_LIBRARY[] =
    "WITH shelf AS (SELECT book_id, max(at) AS at FROM ("
    "  SELECT book_id, granted_at AS at FROM episode_entitlements WHERE member_id = $1"
    "  UNION ALL SELECT book_id, updated_at FROM reading_progress WHERE member_id = $1) a"
    "  GROUP BY book_id)"
    " SELECT " BOOK_COLS ","
    " (SELECT min(x.granted_at) FROM episode_entitlements x WHERE x.member_id = $1"
    "  AND x.book_id = b.id AND x.kind = 'purchase'),"
    " (SELECT count(*) FROM episode_entitlements x WHERE x.member_id = $1 AND x.book_id = b.id),"
    " coalesce(p.number, 0), coalesce(p.updated_at, 0),"
    " (SELECT count(*) FROM episodes e WHERE e.book_id = b.id AND e.published_at IS NOT NULL"
    "  AND e.number > coalesce(p.number, 0)),"
    " s.at"
    " FROM shelf s JOIN books b ON b.id = s.book_id"
    " LEFT JOIN reading_progress p ON p.member_id = $1 AND p.book_id = b.id"
    " WHERE (s.at < $2 OR (s.at = $2 AND b.id < $3)) AND (b.hidden = 0 OR EXISTS"
    "  (SELECT 1 FROM episode_entitlements x WHERE x.member_id = $1 AND x.book_id = b.id))"
    " ORDER BY s.at DESC, b.id DESC LIMIT $4";
static const char SQL_PROGRESS_PUT[] =
    "INSERT INTO reading_progress(member_id, book_id, number, anchor, percent, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(member_id, book_id) DO UPDATE SET"
    " number = excluded.number, anchor = excluded.anchor, percent = excluded.percent,"
    " updated_at = excluded.updated_at";
static const char SQL_PROGRESS_GET[] =
    "SELECT member_id, book_id, number, anchor, percent, updated_at FROM reading_progress"
    " WHERE member_id = $1 AND book_id = $2";
static const char SQL_PROGRESS_LIST[] =
    "SELECT " BOOK_COLS ", p.member_id, p.book_id, p.number, p.anchor, p.percent, p.updated_at"
    " FROM reading_progress p JOIN books b ON b.id = p.book_id"
    " WHERE p.member_id = $1 AND (p.updated_at < $2 OR (p.updated_at = $2 AND p.book_id < $3))"
    " AND (b.hidden = 0 OR EXISTS (SELECT 1 FROM episode_entitlements x"
    "  WHERE x.member_id = $1 AND x.book_id = b.id))"
    " ORDER BY p.updated_at DESC, p.book_id DESC LIMIT $4";
static const char SQL_CHANGE_APPEND[] =
    "INSERT INTO book_changes(book_id, at, by_member, field, old_value, new_value, generated_by)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
#define CHANGE_COLS                                                                                \
	"id, book_id, at, coalesce(by_member, 0), field, old_value, new_value,"                    \
	" coalesce(generated_by, '')"
static const char SQL_CHANGE_LIST[] = "SELECT " CHANGE_COLS " FROM book_changes"
				      " WHERE book_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
static const char SQL_CHANGE_LAST_GEN[] =
    "SELECT " CHANGE_COLS " FROM book_changes WHERE book_id = $1 AND field = $2"
    " AND generated_by IS NOT NULL AND generated_by <> '' ORDER BY id DESC LIMIT 1";

/* $1 member, $2 $3 the cursor (descending: 0 means from the top), $4 limit. */
static void page(pg_params *p, int64_t member_id, int64_t at, int64_t id, size_t limit)
{
	int top = at == 0 && id == 0;

	pg_params_init(p);
	pg_param_int(p, member_id);
	pg_param_int(p, top ? INT64_MAX : at);
	pg_param_int(p, top ? INT64_MAX : id);
	pg_param_int(p, (int64_t)limit);
}

int pg_book_library(book *out, book_shelf *shelf, size_t *n, void *self, uow_tx *tx,
		    int64_t member_id, book_shelf_cursor after, size_t limit, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc, rows;

	*n = 0;
	page(&p, member_id, after.at, after.book_id, limit);
	if ((rc = pg_db_query(&r, self, tx, SQL_LIBRARY, &p, "library", err)))
		return rc;
	rows = PQntuples(r);
	for (int i = 0; i < rows && *n < limit; i++, (*n)++) {
		book_shelf *s = &shelf[*n];

		pg_book_columns(&out[*n], r, i);
		s->purchased_at = pg_int(r, i, BOOK_NCOLS);
		s->owned_episodes = pg_int(r, i, BOOK_NCOLS + 1);
		s->last_read = pg_int(r, i, BOOK_NCOLS + 2);
		s->last_read_at = pg_int(r, i, BOOK_NCOLS + 3);
		s->new_episodes = pg_int(r, i, BOOK_NCOLS + 4);
		s->activity_at = pg_int(r, i, BOOK_NCOLS + 5);
	}
	PQclear(r);
	return 0;
}

/* --- reading progress ------------------------------------------------------------------ */

static void progress_row(reading_progress *p, const PGresult *r, int row, int col)
{
	p->member_id = pg_int(r, row, col);
	p->book_id = pg_int(r, row, col + 1);
	p->number = pg_int(r, row, col + 2);
	p->anchor = pg_int(r, row, col + 3);
	p->percent = pg_int(r, row, col + 4);
	p->updated_at = pg_int(r, row, col + 5);
}

static int progress_put(void *self, uow_tx *tx, const reading_progress *rp, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, rp->member_id);
	pg_param_int(&p, rp->book_id);
	pg_param_int(&p, rp->number);
	pg_param_int(&p, rp->anchor);
	pg_param_int(&p, rp->percent);
	pg_param_int(&p, rp->updated_at);
	return pg_db_exec(NULL, self, tx, SQL_PROGRESS_PUT, &p, "progress", err);
}

static int progress_get(reading_progress *out, void *self, uow_tx *tx, int64_t member_id,
			int64_t book_id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, member_id);
	pg_param_int(&p, book_id);
	if ((rc = pg_db_row(&r, self, tx, SQL_PROGRESS_GET, &p, "not read", "progress", err)))
		return rc;
	progress_row(out, r, 0, 0);
	PQclear(r);
	return 0;
}

static int progress_list(reading_progress *out, book *books, size_t *n, void *self, uow_tx *tx,
			 int64_t member_id, reading_cursor after, size_t limit, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc, rows;

	*n = 0;
	page(&p, member_id, after.at, after.book_id, limit);
	if ((rc = pg_db_query(&r, self, tx, SQL_PROGRESS_LIST, &p, "progress list", err)))
		return rc;
	rows = PQntuples(r);
	for (int i = 0; i < rows && *n < limit; i++, (*n)++) {
		pg_book_columns(&books[*n], r, i);
		progress_row(&out[*n], r, i, BOOK_NCOLS);
	}
	PQclear(r);
	return 0;
}

static const reading_repo_vtbl reading_vtbl = {
    .put = progress_put,
    .get = progress_get,
    .list = progress_list,
};

reading_repo pg_reading_repo(pg_db *db)
{
	return (reading_repo){.vtbl = &reading_vtbl, .self = db};
}

/* --- the change log ------------------------------------------------------------------- */

static int change_append(void *self, uow_tx *tx, book_change *c, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, c->book_id);
	pg_param_int(&p, c->at);
	pg_param_id(&p, c->by);
	pg_param_text(&p, c->field);
	pg_param_text(&p, c->from);
	pg_param_text(&p, c->to);
	pg_param_text(&p, c->generated_by[0] ? c->generated_by : NULL);
	if ((rc = pg_db_row(&r, self, tx, SQL_CHANGE_APPEND, &p, "no change id", "change", err)))
		return rc;
	c->id = pg_int(r, 0, 0);
	PQclear(r);
	return 0;
}

static int change_row(void *dst, const PGresult *r, int row, app_err *err)
{
	book_change *c = dst;

	c->id = pg_int(r, row, 0);
	c->book_id = pg_int(r, row, 1);
	c->at = pg_int(r, row, 2);
	c->by = pg_int(r, row, 3);
	pg_copy(c->field, sizeof(c->field), r, row, 4);
	pg_copy(c->from, sizeof(c->from), r, row, 5);
	pg_copy(c->to, sizeof(c->to), r, row, 6);
	pg_copy(c->generated_by, sizeof(c->generated_by), r, row, 7);
	(void)err;
	return 0;
}

static int change_list(book_change *out, size_t *n, void *self, uow_tx *tx, int64_t book_id,
		       int64_t before_id, size_t limit, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, book_id);
	pg_param_int(&p, before_id > 0 ? before_id : INT64_MAX);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(out, sizeof(*out), n, limit, self, tx, SQL_CHANGE_LIST, &p, change_row,
			  "history", err);
}

static int change_last_generated(book_change *out, void *self, uow_tx *tx, int64_t book_id,
				 const char *field, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, book_id);
	pg_param_text(&p, field);
	if ((rc =
		 pg_db_row(&r, self, tx, SQL_CHANGE_LAST_GEN, &p, "no suggestion", "history", err)))
		return rc;
	change_row(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static const book_change_repo_vtbl changes_vtbl = {
    .append = change_append,
    .list = change_list,
    .last_generated = change_last_generated,
};

book_change_repo pg_book_change_repo(pg_db *db)
{
	return (book_change_repo){.vtbl = &changes_vtbl, .self = db};
}
