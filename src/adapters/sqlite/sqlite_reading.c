/* Readers' side of the books core: the library, reading progress and the change log. */
#include "adapters/sqlite/sqlite_books_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * The shelf: every book the member holds an episode of or has read (hidden
 * ones only while they hold some), by the latest of those moments.
 */
static const char SQL_LIBRARY[] =
    "WITH shelf AS (SELECT book_id, max(at) AS at FROM ("
    "  SELECT book_id, granted_at AS at FROM episode_entitlements WHERE member_id = ?1"
    "  UNION ALL SELECT book_id, updated_at FROM reading_progress WHERE member_id = ?1)"
    "  GROUP BY book_id)"
    " SELECT " BOOK_COLS ","
    " (SELECT min(x.granted_at) FROM episode_entitlements x WHERE x.member_id = ?1"
    "  AND x.book_id = b.id AND x.kind = 'purchase'),"
    " (SELECT count(*) FROM episode_entitlements x WHERE x.member_id = ?1 AND x.book_id = b.id),"
    " coalesce(p.number, 0), coalesce(p.updated_at, 0),"
    " (SELECT count(*) FROM episodes e WHERE e.book_id = b.id AND e.published_at IS NOT NULL"
    "  AND e.number > coalesce(p.number, 0)),"
    " s.at"
    " FROM shelf s JOIN books b ON b.id = s.book_id"
    " LEFT JOIN reading_progress p ON p.member_id = ?1 AND p.book_id = b.id"
    " WHERE (s.at < ?2 OR (s.at = ?2 AND b.id < ?3)) AND (b.hidden = 0 OR EXISTS"
    "  (SELECT 1 FROM episode_entitlements x WHERE x.member_id = ?1 AND x.book_id = b.id))"
    " ORDER BY s.at DESC, b.id DESC LIMIT ?4";
static const char SQL_PROGRESS_PUT[] =
    "INSERT INTO reading_progress(member_id, book_id, number, anchor, percent, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(member_id, book_id) DO UPDATE SET"
    " number = excluded.number, anchor = excluded.anchor, percent = excluded.percent,"
    " updated_at = excluded.updated_at";
static const char SQL_PROGRESS_GET[] =
    "SELECT member_id, book_id, number, anchor, percent, updated_at FROM reading_progress"
    " WHERE member_id = ?1 AND book_id = ?2";
static const char SQL_PROGRESS_LIST[] =
    "SELECT " BOOK_COLS ", p.member_id, p.book_id, p.number, p.anchor, p.percent, p.updated_at"
    " FROM reading_progress p JOIN books b ON b.id = p.book_id"
    " WHERE p.member_id = ?1 AND (p.updated_at < ?2 OR (p.updated_at = ?2 AND p.book_id < ?3))"
    " AND (b.hidden = 0 OR EXISTS (SELECT 1 FROM episode_entitlements x"
    "  WHERE x.member_id = ?1 AND x.book_id = b.id))"
    " ORDER BY p.updated_at DESC, p.book_id DESC LIMIT ?4";
static const char SQL_CHANGE_APPEND[] =
    "INSERT INTO book_changes(book_id, at, by_member, field, old_value, new_value, generated_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_CHANGE_LIST[] =
    "SELECT id, book_id, at, coalesce(by_member, 0), field, old_value, new_value,"
    " coalesce(generated_by, '') FROM book_changes WHERE book_id = ?1 AND id < ?2"
    " ORDER BY id DESC LIMIT ?3";
static const char SQL_CHANGE_LAST_GEN[] =
    "SELECT id, book_id, at, coalesce(by_member, 0), field, old_value, new_value,"
    " coalesce(generated_by, '') FROM book_changes WHERE book_id = ?1 AND field = ?2"
    " AND generated_by IS NOT NULL AND generated_by <> '' ORDER BY id DESC LIMIT 1";

/* Binds ?1 member, ?2 ?3 the cursor (descending: 0 means from the top), ?4 limit. */
static void bind_page(sqlite3_stmt *st, int64_t member_id, int64_t at, int64_t id, size_t limit)
{
	int top = at == 0 && id == 0;

	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, top ? INT64_MAX : at);
	sqlite3_bind_int64(st, 3, top ? INT64_MAX : id);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
}

int sqlite_book_library(book *out, book_shelf *shelf, size_t *n, void *self, uow_tx *tx,
			int64_t member_id, book_shelf_cursor after, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_LIBRARY, err)))
		return rc;
	bind_page(st, member_id, after.at, after.book_id, limit);
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		book_shelf *s = &shelf[*n];

		sqlite_book_row(&out[*n], st, NULL);
		s->purchased_at = sqlite3_column_int64(st, BOOK_NCOLS);
		s->owned_episodes = sqlite3_column_int64(st, BOOK_NCOLS + 1);
		s->last_read = sqlite3_column_int64(st, BOOK_NCOLS + 2);
		s->last_read_at = sqlite3_column_int64(st, BOOK_NCOLS + 3);
		s->new_episodes = sqlite3_column_int64(st, BOOK_NCOLS + 4);
		s->activity_at = sqlite3_column_int64(st, BOOK_NCOLS + 5);
		(*n)++;
	}
	if (*n == limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(self, rc, "library", err);
}

/* --- reading progress ------------------------------------------------------------------ */

static void progress_row(reading_progress *p, sqlite3_stmt *st, int col)
{
	p->member_id = sqlite3_column_int64(st, col);
	p->book_id = sqlite3_column_int64(st, col + 1);
	p->number = sqlite3_column_int64(st, col + 2);
	p->anchor = sqlite3_column_int64(st, col + 3);
	p->percent = sqlite3_column_int64(st, col + 4);
	p->updated_at = sqlite3_column_int64(st, col + 5);
}

static int progress_put(void *self, uow_tx *tx, const reading_progress *p, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PROGRESS_PUT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, p->member_id);
	sqlite3_bind_int64(st, 2, p->book_id);
	sqlite3_bind_int64(st, 3, p->number);
	sqlite3_bind_int64(st, 4, p->anchor);
	sqlite3_bind_int64(st, 5, p->percent);
	sqlite3_bind_int64(st, 6, p->updated_at);
	return sqlite_stmt_exec(self, st, "progress", err);
}

static int progress_get(reading_progress *out, void *self, uow_tx *tx, int64_t member_id,
			int64_t book_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PROGRESS_GET, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	if ((rc = sqlite_stmt_row(self, st, "not read", "progress", err)))
		return rc;
	progress_row(out, st, 0);
	sqlite_stmt_done(st);
	return 0;
}

static int progress_list(reading_progress *out, book *books, size_t *n, void *self, uow_tx *tx,
			 int64_t member_id, reading_cursor after, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PROGRESS_LIST, err)))
		return rc;
	bind_page(st, member_id, after.at, after.book_id, limit);
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite_book_row(&books[*n], st, NULL);
		progress_row(&out[(*n)++], st, BOOK_NCOLS);
	}
	if (*n == limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(self, rc, "progress list", err);
}

static const reading_repo_vtbl reading_vtbl = {
    .put = progress_put,
    .get = progress_get,
    .list = progress_list,
};

reading_repo sqlite_reading_repo(sqlite_db *db)
{
	return (reading_repo){.vtbl = &reading_vtbl, .self = db};
}

/* --- the change log ------------------------------------------------------------------- */

static int change_append(void *self, uow_tx *tx, book_change *c, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_CHANGE_APPEND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, c->book_id);
	sqlite3_bind_int64(st, 2, c->at);
	if (c->by)
		sqlite3_bind_int64(st, 3, c->by);
	sqlite3_bind_text(st, 4, c->field, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c->from, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, c->to, -1, SQLITE_STATIC);
	sqlite_bind_text_or_null(st, 7, c->generated_by[0] ? c->generated_by : NULL);
	if ((rc = sqlite_stmt_exec(db, st, "change", err)))
		return rc;
	c->id = sqlite_db_last_id(db);
	return 0;
}

static void change_row(book_change *c, sqlite3_stmt *st)
{
	c->id = sqlite3_column_int64(st, 0);
	c->book_id = sqlite3_column_int64(st, 1);
	c->at = sqlite3_column_int64(st, 2);
	c->by = sqlite3_column_int64(st, 3);
	sqlite_text_col(c->field, sizeof(c->field), st, 4);
	sqlite_text_col(c->from, sizeof(c->from), st, 5);
	sqlite_text_col(c->to, sizeof(c->to), st, 6);
	sqlite_text_col(c->generated_by, sizeof(c->generated_by), st, 7);
}

static int change_list(book_change *out, size_t *n, void *self, uow_tx *tx, int64_t book_id,
		       int64_t before_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_CHANGE_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW)
		change_row(&out[(*n)++], st);
	if (*n == limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(self, rc, "history", err);
}

static int change_last_generated(book_change *out, void *self, uow_tx *tx, int64_t book_id,
				 const char *field, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_CHANGE_LAST_GEN, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_row(self, st, "no suggestion", "history", err)))
		return rc;
	change_row(out, st);
	sqlite_stmt_done(st);
	return 0;
}

static const book_change_repo_vtbl changes_vtbl = {
    .append = change_append,
    .list = change_list,
    .last_generated = change_last_generated,
};

book_change_repo sqlite_book_change_repo(sqlite_db *db)
{
	return (book_change_repo){.vtbl = &changes_vtbl, .self = db};
}
