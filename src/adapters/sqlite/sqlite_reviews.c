/* Repositories of the community core: reviews, readers, reports. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <string.h>

#define REVIEW_COLUMNS                                                                             \
	"r.id, r.book_id, r.member_id, r.rating, r.text, r.created_at, r.updated_at,"              \
	" r.hidden_at IS NOT NULL, coalesce(m.name, '')"
#define REVIEW_FROM " FROM reviews r LEFT JOIN members m ON m.id = r.member_id"

static const char SQL_READER_ADD[] =
    "INSERT INTO community_readers(member_id, book_id, first_read_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT DO NOTHING";
static const char SQL_READER_HAS[] =
    "SELECT count(*) FROM community_readers WHERE member_id = ?1 AND book_id = ?2";
static const char SQL_REVIEW_SAVE[] =
    "INSERT INTO reviews(book_id, member_id, rating, text, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(book_id, member_id) DO UPDATE SET"
    " rating = excluded.rating, text = excluded.text, updated_at = excluded.updated_at"
    " RETURNING id, created_at = updated_at";
static const char SQL_REVIEW_OWN[] =
    "SELECT " REVIEW_COLUMNS REVIEW_FROM " WHERE r.book_id = ?1 AND r.member_id = ?2";
static const char SQL_REVIEW_FIND[] = "SELECT " REVIEW_COLUMNS REVIEW_FROM " WHERE r.id = ?1";
static const char SQL_REVIEW_REMOVE[] = "DELETE FROM reviews WHERE book_id = ?1 AND member_id = ?2";
static const char SQL_REVIEW_LIST[] =
    "SELECT " REVIEW_COLUMNS REVIEW_FROM " WHERE r.book_id = ?1 AND r.hidden_at IS NULL"
    " AND (?2 = 0 OR r.id < ?2) ORDER BY r.id DESC LIMIT ?3";
static const char SQL_REVIEW_SUMMARY[] =
    "SELECT count(*), coalesce(round(avg(rating) * 100), 0) FROM reviews"
    " WHERE book_id = ?1 AND hidden_at IS NULL";
static const char SQL_REVIEW_HIDE[] =
    "UPDATE reviews SET hidden_at = CASE WHEN ?2 THEN ?3 END WHERE id = ?1";
static const char SQL_REPORT_ADD[] =
    "INSERT INTO reports(target_kind, target_id, reporter_id, book_id, reason, excerpt,"
    " created_at, episode) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING";
static const char SQL_REPORTS_OPEN[] =
    "SELECT id, target_kind, target_id, reporter_id, book_id, reason, excerpt, created_at,"
    " episode FROM reports WHERE resolved_at IS NULL AND (?1 = 0 OR id < ?1)"
    " ORDER BY id DESC LIMIT ?2";
static const char SQL_REPORTS_CLOSE[] =
    "UPDATE reports SET resolved_at = ?5, resolution = ?4 WHERE resolved_at IS NULL"
    " AND ((?3 > 0 AND id = ?3) OR (?3 = 0 AND target_kind = ?1 AND target_id = ?2))";
static const char SQL_REMOVE_READERS[] = "DELETE FROM community_readers WHERE member_id = ?1";
static const char SQL_REMOVE_REVIEWS[] = "DELETE FROM reviews WHERE member_id = ?1";
static const char SQL_REMOVE_REPORTS[] = "DELETE FROM reports WHERE reporter_id = ?1";

static int stmt(sqlite3_stmt **st, void *self, uow_tx *tx, const char *sql, app_err *err)
{
	return sqlite_db_stmt(st, self, tx, sql, err);
}

static int reader_add(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, int64_t at,
		      app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_READER_ADD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	sqlite3_bind_int64(st, 3, at);
	return sqlite_stmt_exec(self, st, "reader", err);
}

static int has_read(int *out, void *self, uow_tx *tx, int64_t member_id, int64_t book_id,
		    app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_READER_HAS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	if ((rc = sqlite_stmt_row(self, st, "no count", "reader lookup", err)))
		return rc;
	*out = sqlite3_column_int64(st, 0) > 0;
	sqlite_stmt_done(st);
	return 0;
}

static int review_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	review *r = dst;
	const unsigned char *s;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->book_id = sqlite3_column_int64(st, 1);
	r->member_id = sqlite3_column_int64(st, 2);
	r->rating = sqlite3_column_int(st, 3);
	s = sqlite3_column_text(st, 4);
	snprintf(r->text, sizeof(r->text), "%s", s ? (const char *)s : "");
	r->created_at = sqlite3_column_int64(st, 5);
	r->updated_at = sqlite3_column_int64(st, 6);
	r->hidden = sqlite3_column_int(st, 7);
	s = sqlite3_column_text(st, 8);
	snprintf(r->member_name, sizeof(r->member_name), "%s", s ? (const char *)s : "");
	(void)err;
	return 0;
}

static int review_save_impl(int *created, void *self, uow_tx *tx, review *r, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REVIEW_SAVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, r->book_id);
	sqlite3_bind_int64(st, 2, r->member_id);
	sqlite3_bind_int(st, 3, r->rating);
	sqlite3_bind_text(st, 4, r->text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->updated_at);
	if ((rc = sqlite_stmt_row(self, st, "no review", "review save", err)))
		return rc;
	r->id = sqlite3_column_int64(st, 0);
	*created = sqlite3_column_int(st, 1);
	sqlite_stmt_done(st);
	return 0;
}

static int review_one(review *out, sqlite_db *db, sqlite3_stmt *st, app_err *err)
{
	int rc = sqlite_stmt_row(db, st, "no such review", "review lookup", err);

	if (rc)
		return rc;
	review_row(out, st, NULL);
	sqlite_stmt_done(st);
	return 0;
}

static int find_own(review *out, void *self, uow_tx *tx, int64_t book_id, int64_t member_id,
		    app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REVIEW_OWN, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, member_id);
	return review_one(out, self, st, err);
}

static int find(review *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REVIEW_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return review_one(out, self, st, err);
}

static int remove_own(void *self, uow_tx *tx, int64_t book_id, int64_t member_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REVIEW_REMOVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, member_id);
	if ((rc = sqlite_stmt_exec(self, st, "review removal", err)))
		return rc;
	return sqlite_db_changes(self) ? 0
				       : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no review");
}

static int list(review *out, size_t *n, void *self, uow_tx *tx, int64_t book_id, int64_t before,
		size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = stmt(&st, self, tx, SQL_REVIEW_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)cap);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, self, st, review_row, "reviews", err);
}

static int summary(int64_t *count, int64_t *avg_x100, void *self, uow_tx *tx, int64_t book_id,
		   app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REVIEW_SUMMARY, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	if ((rc = sqlite_stmt_row(self, st, "no summary", "review summary", err)))
		return rc;
	*count = sqlite3_column_int64(st, 0);
	*avg_x100 = sqlite3_column_int64(st, 1);
	sqlite_stmt_done(st);
	return 0;
}

static int set_hidden(void *self, uow_tx *tx, int64_t id, int hidden, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REVIEW_HIDE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, hidden ? 1 : 0);
	sqlite3_bind_int64(st, 3, now);
	return sqlite_stmt_exec(self, st, "review moderation", err);
}

static int report_add(void *self, uow_tx *tx, const report *r, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REPORT_ADD, err)))
		return rc;
	sqlite3_bind_text(st, 1, report_kind_name(r->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->target_id);
	sqlite3_bind_int64(st, 3, r->reporter_id);
	sqlite3_bind_int64(st, 4, r->book_id);
	sqlite3_bind_text(st, 5, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, r->excerpt, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, r->created_at);
	sqlite3_bind_int64(st, 8, r->episode);
	return sqlite_stmt_exec(self, st, "report", err);
}

static int report_read(void *dst, sqlite3_stmt *st, app_err *err)
{
	report *r = dst;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->kind = strcmp((const char *)sqlite3_column_text(st, 1), "comment") == 0 ? REPORT_COMMENT
										   : REPORT_REVIEW;
	r->target_id = sqlite3_column_int64(st, 2);
	r->reporter_id = sqlite3_column_int64(st, 3);
	r->book_id = sqlite3_column_int64(st, 4);
	snprintf(r->reason, sizeof(r->reason), "%s", (const char *)sqlite3_column_text(st, 5));
	snprintf(r->excerpt, sizeof(r->excerpt), "%s", (const char *)sqlite3_column_text(st, 6));
	r->created_at = sqlite3_column_int64(st, 7);
	r->episode = sqlite3_column_int64(st, 8);
	(void)err;
	return 0;
}

static int reports_open(report *out, size_t *n, void *self, uow_tx *tx, int64_t before, size_t cap,
			app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = stmt(&st, self, tx, SQL_REPORTS_OPEN, err)))
		return rc;
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, self, st, report_read, "reports", err);
}

static int reports_close(int64_t *closed, void *self, uow_tx *tx, report_kind kind,
			 int64_t target_id, int64_t report_id, const char *resolution, int64_t now,
			 app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REPORTS_CLOSE, err)))
		return rc;
	sqlite3_bind_text(st, 1, report_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, target_id);
	sqlite3_bind_int64(st, 3, report_id);
	sqlite3_bind_text(st, 4, resolution, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	if ((rc = sqlite_stmt_exec(self, st, "report close", err)))
		return rc;
	*closed = sqlite_db_changes(self);
	return 0;
}

static int by_member(void *self, uow_tx *tx, const char *sql, int64_t member_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, sql, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	return sqlite_stmt_exec(self, st, "member removal", err);
}

static int remove_member(void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	int rc;

	if ((rc = by_member(self, tx, SQL_REMOVE_READERS, member_id, err)) ||
	    (rc = by_member(self, tx, SQL_REMOVE_REVIEWS, member_id, err)))
		return rc;
	return by_member(self, tx, SQL_REMOVE_REPORTS, member_id, err);
}

static const review_repo_vtbl review_vtbl = {
    .reader_add = reader_add,
    .has_read = has_read,
    .save = review_save_impl,
    .find_own = find_own,
    .find = find,
    .remove_own = remove_own,
    .list = list,
    .summary = summary,
    .set_hidden = set_hidden,
    .report_add = report_add,
    .reports_open = reports_open,
    .reports_close = reports_close,
    .remove_member = remove_member,
};

review_repo sqlite_review_repo(sqlite_db *db)
{
	return (review_repo){.vtbl = &review_vtbl, .self = db};
}
