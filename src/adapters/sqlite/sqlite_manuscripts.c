/* Repository of the books core's manuscripts and their kept revisions. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MS_COLUMNS                                                                                 \
	"id, author_id, title, revision, status, book_id, error, created_at, updated_at, serial,"  \
	" coalesce(episode_number, 0), coalesce(publish_at, 0)"
#define MS_CONTENT_COL 12

static const char SQL_MS_INSERT[] =
    "INSERT INTO manuscripts(author_id, title, content, revision, status, book_id, error,"
    " created_at, updated_at, serial) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char SQL_MS_FIND[] = "SELECT " MS_COLUMNS " FROM manuscripts WHERE id = ?1";
static const char SQL_MS_FIND_FULL[] = "SELECT " MS_COLUMNS ", content FROM manuscripts"
				       " WHERE id = ?1";
static const char SQL_MS_LIST[] = "SELECT " MS_COLUMNS " FROM manuscripts"
				  " WHERE author_id = ?1 AND id < ?2 ORDER BY id DESC LIMIT ?3";
static const char SQL_MS_SAVE[] =
    "UPDATE manuscripts SET title = ?2, content = ?3, revision = ?4, updated_at = ?5"
    " WHERE id = ?1 AND revision = ?6 AND status = 'draft'";
static const char SQL_MS_STATUS[] =
    "UPDATE manuscripts SET status = ?2, book_id = ?3, error = ?4, updated_at = ?5,"
    " episode_number = ?7, publish_at = ?8 WHERE id = ?1 AND status = ?6";
static const char SQL_MS_LAST_EPISODE[] =
    "SELECT coalesce(max(episode_number), 0) FROM manuscripts WHERE book_id = ?1";
static const char SQL_MS_EXISTS[] = "SELECT 1 FROM manuscripts WHERE id = ?1";
static const char SQL_MS_REMOVE_REVS[] =
    "DELETE FROM manuscript_revisions WHERE manuscript_id = ?1";
static const char SQL_MS_REMOVE[] = "DELETE FROM manuscripts WHERE id = ?1";
static const char SQL_REV_INSERT[] =
    "INSERT INTO manuscript_revisions(manuscript_id, revision, title, content, chars, saved_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_REV_PRUNE[] =
    "DELETE FROM manuscript_revisions WHERE manuscript_id = ?1 AND revision <="
    " (SELECT revision FROM manuscript_revisions WHERE manuscript_id = ?1"
    "  ORDER BY revision DESC LIMIT 1 OFFSET ?2)";
static const char SQL_REV_LIST[] =
    "SELECT manuscript_id, revision, title, chars, saved_at FROM manuscript_revisions"
    " WHERE manuscript_id = ?1 AND revision < ?2 ORDER BY revision DESC LIMIT ?3";
static const char SQL_REV_FIND[] =
    "SELECT manuscript_id, revision, title, chars, saved_at, content FROM manuscript_revisions"
    " WHERE manuscript_id = ?1 AND revision = ?2";

static int exists(sqlite_db *db, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MS_EXISTS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(db, st, "manuscript not found", "manuscript lookup", err)))
		return rc;
	sqlite_stmt_done(st);
	return 0;
}

/* Copies a text column (len bytes plus a NUL) into *out; *len gets its length. */
static int column_bytes(char **out, size_t *len, sqlite3_stmt *st, int col, app_err *err)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t n = (size_t)sqlite3_column_bytes(st, col);

	*out = malloc(n + 1);
	if (!*out)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (n)
		memcpy(*out, s, n);
	(*out)[n] = '\0';
	if (len)
		*len = n;
	return 0;
}

static int ms_row(manuscript *m, sqlite3_stmt *st, int with_content, app_err *err)
{
	manuscript_status status = MANUSCRIPT_DRAFT;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	m->author_id = sqlite3_column_int64(st, 1);
	snprintf(m->title, sizeof(m->title), "%s", (const char *)sqlite3_column_text(st, 2));
	m->revision = sqlite3_column_int64(st, 3);
	manuscript_status_parse(&status, (const char *)sqlite3_column_text(st, 4), NULL);
	m->status = status;
	m->book_id = sqlite3_column_int64(st, 5);
	m->created_at = sqlite3_column_int64(st, 7);
	m->updated_at = sqlite3_column_int64(st, 8);
	m->serial = sqlite3_column_int(st, 9);
	m->episode_number = sqlite3_column_int64(st, 10);
	m->publish_at = sqlite3_column_int64(st, 11);
	if (sqlite3_column_type(st, 6) != SQLITE_NULL && column_bytes(&m->error, NULL, st, 6, err))
		goto nomem;
	if (with_content && column_bytes(&m->content, &m->content_len, st, MS_CONTENT_COL, err))
		goto nomem;
	return 0;
nomem:
	manuscript_dispose(m);
	return APP_ENOMEM;
}

static int ms_insert(void *self, uow_tx *tx, manuscript *m, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MS_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, m->author_id);
	sqlite3_bind_text(st, 2, m->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->content ? m->content : "", (int)m->content_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->revision);
	sqlite3_bind_text(st, 5, manuscript_status_name(m->status), -1, SQLITE_STATIC);
	if (m->book_id)
		sqlite3_bind_int64(st, 6, m->book_id);
	sqlite_bind_text_or_null(st, 7, m->error);
	sqlite3_bind_int64(st, 8, m->created_at);
	sqlite3_bind_int64(st, 9, m->updated_at);
	sqlite3_bind_int(st, 10, m->serial);
	if ((rc = sqlite_stmt_exec(db, st, "manuscript insert", err)))
		return rc;
	m->id = sqlite_db_last_id(db);
	return 0;
}

static int ms_find(manuscript *out, void *self, uow_tx *tx, int64_t id, int with_content,
		   app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc =
		 sqlite_db_stmt(&st, self, tx, with_content ? SQL_MS_FIND_FULL : SQL_MS_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = ms_row(out, st, with_content, err);
	else if (rc == SQLITE_DONE)
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "manuscript not found");
	else
		rc = sqlite_db_error(self, rc, "manuscript lookup", err);
	sqlite_stmt_done(st);
	return rc;
}

static int ms_list(manuscript *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		   int64_t before_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_MS_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, author_id);
	sqlite3_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = ms_row(&out[*n], st, 0, err)))
			break;
		(*n)++;
	}
	if (*n == limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			manuscript_dispose(&out[i]);
		*n = 0;
		return rc < 0 ? rc : sqlite_db_error(self, rc, "manuscript list", err);
	}
	return 0;
}

/* After an update that changed nothing: absent, or the guard did not hold. */
static int unchanged(sqlite_db *db, uow_tx *tx, int64_t id, const char *what, app_err *err)
{
	int rc = exists(db, tx, id, err);

	if (rc)
		return rc;
	return app_err_set(err, APP_ECONFLICT, NULL, NULL, "%s: the manuscript changed meanwhile",
			   what);
}

static int ms_save_draft(void *self, uow_tx *tx, const manuscript *m, int64_t expected_revision,
			 app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MS_SAVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_text(st, 2, m->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->content ? m->content : "", (int)m->content_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->revision);
	sqlite3_bind_int64(st, 5, m->updated_at);
	sqlite3_bind_int64(st, 6, expected_revision);
	if ((rc = sqlite_stmt_exec(db, st, "manuscript save", err)))
		return rc;
	if (sqlite_db_changes(db) == 1)
		return 0;
	return unchanged(db, tx, m->id, "manuscript save", err);
}

static int ms_set_status(void *self, uow_tx *tx, const manuscript *m, manuscript_status from,
			 app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MS_STATUS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_text(st, 2, manuscript_status_name(m->status), -1, SQLITE_STATIC);
	if (m->book_id)
		sqlite3_bind_int64(st, 3, m->book_id);
	sqlite_bind_text_or_null(st, 4, m->error);
	sqlite3_bind_int64(st, 5, m->updated_at);
	sqlite3_bind_text(st, 6, manuscript_status_name(from), -1, SQLITE_STATIC);
	if (m->episode_number)
		sqlite3_bind_int64(st, 7, m->episode_number);
	if (m->publish_at)
		sqlite3_bind_int64(st, 8, m->publish_at);
	if ((rc = sqlite_stmt_exec(db, st, "manuscript status", err)))
		return rc;
	if (sqlite_db_changes(db) == 1)
		return 0;
	return unchanged(db, tx, m->id, "manuscript status", err);
}

static int ms_remove(void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = exists(db, tx, id, err)))
		return rc;
	/* Explicit rather than trusting ON DELETE CASCADE alone: foreign_keys is per connection. */
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MS_REMOVE_REVS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_exec(db, st, "revision removal", err)))
		return rc;
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MS_REMOVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return sqlite_stmt_exec(db, st, "manuscript removal", err);
}

static int ms_add_revision(void *self, uow_tx *tx, const manuscript_revision *r, size_t keep,
			   app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_REV_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, r->manuscript_id);
	sqlite3_bind_int64(st, 2, r->revision);
	sqlite3_bind_text(st, 3, r->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->content ? r->content : "", (int)r->content_len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, r->chars);
	sqlite3_bind_int64(st, 6, r->saved_at);
	if ((rc = sqlite_stmt_exec(db, st, "revision insert", err)))
		return rc;
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_REV_PRUNE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, r->manuscript_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)keep);
	return sqlite_stmt_exec(db, st, "revision prune", err);
}

static int rev_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	manuscript_revision *r = dst;

	memset(r, 0, sizeof(*r));
	r->manuscript_id = sqlite3_column_int64(st, 0);
	r->revision = sqlite3_column_int64(st, 1);
	snprintf(r->title, sizeof(r->title), "%s", (const char *)sqlite3_column_text(st, 2));
	r->chars = sqlite3_column_int64(st, 3);
	r->saved_at = sqlite3_column_int64(st, 4);
	(void)err;
	return 0;
}

static int ms_list_revisions(manuscript_revision *out, size_t *n, void *self, uow_tx *tx,
			     int64_t manuscript_id, int64_t before_revision, size_t limit,
			     app_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REV_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, manuscript_id);
	sqlite3_bind_int64(st, 2, before_revision > 0 ? before_revision : INT64_MAX);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return sqlite_stmt_rows(out, sizeof(*out), n, limit, self, st, rev_row, "revision list",
				err);
}

static int ms_find_revision(manuscript_revision *out, void *self, uow_tx *tx, int64_t manuscript_id,
			    int64_t revision, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REV_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, manuscript_id);
	sqlite3_bind_int64(st, 2, revision);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rev_row(out, st, NULL);
		rc = column_bytes(&out->content, &out->content_len, st, 5, err);
	} else if (rc == SQLITE_DONE) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "revision not found");
	} else {
		rc = sqlite_db_error(self, rc, "revision lookup", err);
	}
	sqlite_stmt_done(st);
	return rc;
}

static int ms_last_episode(int64_t *out, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_MS_LAST_EPISODE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	if ((rc = sqlite_stmt_row(self, st, "none", "episode numbers", err)))
		return rc;
	*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

static const manuscript_repo_vtbl ms_vtbl = {
    .insert = ms_insert,
    .find = ms_find,
    .list = ms_list,
    .save_draft = ms_save_draft,
    .set_status = ms_set_status,
    .last_episode = ms_last_episode,
    .remove = ms_remove,
    .add_revision = ms_add_revision,
    .list_revisions = ms_list_revisions,
    .find_revision = ms_find_revision,
};

manuscript_repo sqlite_manuscript_repo(sqlite_db *db)
{
	return (manuscript_repo){.vtbl = &ms_vtbl, .self = db};
}
