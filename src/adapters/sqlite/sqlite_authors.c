/* Repository of the authors core: author applications. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define APP_COLUMNS                                                                                \
	"id, member_id, pen_name, bio, portfolio, status, reason, decided_by, created_at,"         \
	" decided_at"

static const char SQL_APP_INSERT[] =
    "INSERT INTO author_applications(member_id, pen_name, bio, portfolio, status, reason,"
    " decided_by, created_at, decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_APP_FIND[] = "SELECT " APP_COLUMNS " FROM author_applications WHERE id = ?1";
static const char SQL_APP_LATEST[] = "SELECT " APP_COLUMNS " FROM author_applications"
				     " WHERE member_id = ?1 ORDER BY id DESC LIMIT 1";
static const char SQL_APP_DECIDE[] =
    "UPDATE author_applications SET status = ?2, reason = ?3, decided_by = ?4,"
    " decided_at = ?5 WHERE id = ?1 AND status = 'pending'";
static const char SQL_APP_EXISTS[] = "SELECT 1 FROM author_applications WHERE id = ?1";
static const char SQL_APP_LIST[] =
    "SELECT " APP_COLUMNS " FROM author_applications"
    " WHERE (?1 IS NULL OR status = ?1) AND id < ?2 ORDER BY id DESC LIMIT ?3";

static author_app_status status_of(const unsigned char *s)
{
	author_app_status st = AUTHOR_APP_PENDING;

	author_app_status_parse(&st, (const char *)s, NULL);
	return st;
}

static char *column_dup(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? strdup((const char *)s) : NULL;
}

/* Fills a from the current row; APP_ENOMEM leaves a disposed. */
static int app_row(author_application *a, sqlite3_stmt *st, app_err *err)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(st, 0);
	a->member_id = sqlite3_column_int64(st, 1);
	snprintf(a->pen_name, sizeof(a->pen_name), "%s", (const char *)sqlite3_column_text(st, 2));
	a->bio = column_dup(st, 3);
	a->portfolio = column_dup(st, 4);
	a->status = status_of(sqlite3_column_text(st, 5));
	a->reason = column_dup(st, 6);
	a->decided_by = sqlite3_column_int64(st, 7);
	a->created_at = sqlite3_column_int64(st, 8);
	a->decided_at = sqlite3_column_int64(st, 9);
	if (!a->bio || !a->portfolio || (sqlite3_column_type(st, 6) != SQLITE_NULL && !a->reason)) {
		author_application_dispose(a);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	return 0;
}

/* Steps a one-row lookup into out. */
static int app_one(author_application *out, sqlite_db *db, sqlite3_stmt *st, app_err *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		rc = app_row(out, st, err);
	else if (rc == SQLITE_DONE)
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "application not found");
	else
		rc = sqlite_db_error(db, rc, "application lookup", err);
	sqlite_stmt_done(st);
	return rc;
}

static int app_insert(void *self, uow_tx *tx, author_application *a, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_APP_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, a->member_id);
	sqlite3_bind_text(st, 2, a->pen_name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, a->bio ? a->bio : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, a->portfolio ? a->portfolio : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, author_app_status_name(a->status), -1, SQLITE_STATIC);
	sqlite_bind_text_or_null(st, 6, a->reason);
	if (a->decided_by)
		sqlite3_bind_int64(st, 7, a->decided_by);
	if (a->decided_at)
		sqlite3_bind_int64(st, 9, a->decided_at);
	sqlite3_bind_int64(st, 8, a->created_at);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlite_db_error(db, rc, "application insert", err);
	a->id = sqlite_db_last_id(db);
	return 0;
}

static int app_find(author_application *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_APP_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return app_one(out, self, st, err);
}

static int app_find_latest(author_application *out, void *self, uow_tx *tx, int64_t member_id,
			   app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_APP_LATEST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	return app_one(out, self, st, err);
}

static int app_exists(sqlite_db *db, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_APP_EXISTS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(db, st, "application not found", "application lookup", err)))
		return rc;
	sqlite_stmt_done(st);
	return 0;
}

static int app_decide(void *self, uow_tx *tx, const author_application *a, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_APP_DECIDE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, a->id);
	sqlite3_bind_text(st, 2, author_app_status_name(a->status), -1, SQLITE_STATIC);
	sqlite_bind_text_or_null(st, 3, a->reason);
	sqlite3_bind_int64(st, 4, a->decided_by);
	sqlite3_bind_int64(st, 5, a->decided_at);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlite_db_error(db, rc, "application decision", err);
	if (sqlite_db_changes(db) == 1)
		return 0;
	if ((rc = app_exists(db, tx, a->id, err)))
		return rc;
	return app_err_set(err, APP_ECONFLICT, "not_pending", NULL,
			   "the application is no longer pending");
}

static int app_list(author_application *out, size_t *n, void *self, uow_tx *tx,
		    author_app_status status, int64_t before_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_APP_LIST, err)))
		return rc;
	if (status)
		sqlite3_bind_text(st, 1, author_app_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = app_row(&out[*n], st, err)))
			break;
		(*n)++;
	}
	if (*n == limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			author_application_dispose(&out[i]);
		*n = 0;
		return rc < 0 ? rc : sqlite_db_error(self, rc, "application list", err);
	}
	return 0;
}

static const author_application_repo_vtbl app_vtbl = {
    .insert = app_insert,
    .find = app_find,
    .find_latest = app_find_latest,
    .decide = app_decide,
    .list = app_list,
};

author_application_repo sqlite_author_application_repo(sqlite_db *db)
{
	return (author_application_repo){.vtbl = &app_vtbl, .self = db};
}
