/* Repository of the books core's manuscripts and their kept revisions. */
#include "adapters/postgres/pg_books_internal.h"

#include <stdlib.h>
#include <string.h>

#define MS_COLUMNS                                                                                 \
	"id, author_id, title, revision, status, book_id, error, created_at, updated_at, serial,"  \
	" coalesce(episode_number, 0), coalesce(publish_at, 0)"
#define MS_CONTENT_COL 12

static const char SQL_MS_INSERT[] =
    "INSERT INTO manuscripts(author_id, title, content, revision, status, book_id, error,"
    " created_at, updated_at, serial) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    " RETURNING id";
static const char SQL_MS_FIND[] = "SELECT " MS_COLUMNS " FROM manuscripts WHERE id = $1";
static const char SQL_MS_FIND_FULL[] = "SELECT " MS_COLUMNS ", content FROM manuscripts"
				       " WHERE id = $1";
static const char SQL_MS_LIST[] = "SELECT " MS_COLUMNS " FROM manuscripts"
				  " WHERE author_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
static const char SQL_MS_SAVE[] =
    "UPDATE manuscripts SET title = $2, content = $3, revision = $4, updated_at = $5"
    " WHERE id = $1 AND revision = $6 AND status = 'draft'";
static const char SQL_MS_STATUS[] =
    "UPDATE manuscripts SET status = $2, book_id = $3, error = $4, updated_at = $5,"
    " episode_number = $7, publish_at = $8 WHERE id = $1 AND status = $6";
static const char SQL_MS_LAST_EPISODE[] =
    "SELECT coalesce(max(episode_number), 0) FROM manuscripts WHERE book_id = $1";
static const char SQL_MS_EXISTS[] = "SELECT 1 FROM manuscripts WHERE id = $1";
static const char SQL_MS_REMOVE_REVS[] =
    "DELETE FROM manuscript_revisions WHERE manuscript_id = $1";
static const char SQL_MS_REMOVE[] = "DELETE FROM manuscripts WHERE id = $1";
static const char SQL_REV_INSERT[] =
    "INSERT INTO manuscript_revisions(manuscript_id, revision, title, content, chars, saved_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_REV_PRUNE[] =
    "DELETE FROM manuscript_revisions WHERE manuscript_id = $1 AND revision <="
    " (SELECT revision FROM manuscript_revisions WHERE manuscript_id = $1"
    "  ORDER BY revision DESC LIMIT 1 OFFSET $2)";
static const char SQL_REV_LIST[] =
    "SELECT manuscript_id, revision, title, chars, saved_at FROM manuscript_revisions"
    " WHERE manuscript_id = $1 AND revision < $2 ORDER BY revision DESC LIMIT $3";
static const char SQL_REV_FIND[] =
    "SELECT manuscript_id, revision, title, chars, saved_at, content FROM manuscript_revisions"
    " WHERE manuscript_id = $1 AND revision = $2";

/* A statement on one id ($1): APP_ENOTFOUND ("manuscript not found") when it finds no row. */
static int by_id(PGresult **r, pg_db *db, uow_tx *tx, const char *sql, int64_t id, const char *what,
		 app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	return pg_db_row(r, db, tx, sql, &p, "manuscript not found", what, err);
}

static int exists(pg_db *db, uow_tx *tx, int64_t id, app_err *err)
{
	PGresult *r;
	int rc = by_id(&r, db, tx, SQL_MS_EXISTS, id, "manuscript lookup", err);

	PQclear(r);
	return rc;
}

static int ms_row(manuscript *m, const PGresult *r, int row, int with_content, app_err *err)
{
	manuscript_status status = MANUSCRIPT_DRAFT;

	memset(m, 0, sizeof(*m));
	m->id = pg_int(r, row, 0);
	m->author_id = pg_int(r, row, 1);
	pg_copy(m->title, sizeof(m->title), r, row, 2);
	m->revision = pg_int(r, row, 3);
	manuscript_status_parse(&status, pg_text(r, row, 4), NULL);
	m->status = status;
	m->book_id = pg_int(r, row, 5);
	m->created_at = pg_int(r, row, 7);
	m->updated_at = pg_int(r, row, 8);
	m->serial = (int)pg_int(r, row, 9);
	m->episode_number = pg_int(r, row, 10);
	m->publish_at = pg_int(r, row, 11);
	if ((!pg_is_null(r, row, 6) && pg_text_dup(&m->error, NULL, r, row, 6, err)) ||
	    (with_content &&
	     pg_text_dup(&m->content, &m->content_len, r, row, MS_CONTENT_COL, err))) {
		manuscript_dispose(m);
		return APP_ENOMEM;
	}
	return 0;
}

static int ms_insert(void *self, uow_tx *tx, manuscript *m, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, m->author_id);
	pg_param_text(&p, m->title);
	pg_param_textn(&p, m->content ? m->content : "", m->content ? m->content_len : 0);
	pg_param_int(&p, m->revision);
	pg_param_text(&p, manuscript_status_name(m->status));
	pg_param_id(&p, m->book_id);
	pg_param_text(&p, m->error);
	pg_param_int(&p, m->created_at);
	pg_param_int(&p, m->updated_at);
	pg_param_int(&p, m->serial);
	return pg_db_int(&m->id, self, tx, SQL_MS_INSERT, &p, "manuscript insert", err);
}

static int ms_find(manuscript *out, void *self, uow_tx *tx, int64_t id, int with_content,
		   app_err *err)
{
	PGresult *r;
	int rc = by_id(&r, self, tx, with_content ? SQL_MS_FIND_FULL : SQL_MS_FIND, id,
		       "manuscript lookup", err);

	if (rc)
		return rc;
	rc = ms_row(out, r, 0, with_content, err);
	PQclear(r);
	return rc;
}

static int ms_list(manuscript *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		   int64_t before_id, size_t limit, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc, rows;

	*n = 0;
	pg_params_init(&p);
	pg_param_int(&p, author_id);
	pg_param_int(&p, before_id > 0 ? before_id : INT64_MAX);
	pg_param_int(&p, (int64_t)limit);
	if ((rc = pg_db_query(&r, self, tx, SQL_MS_LIST, &p, "manuscript list", err)))
		return rc;
	rows = PQntuples(r);
	for (int i = 0; i < rows && *n < limit && rc == 0; i++)
		if ((rc = ms_row(&out[*n], r, i, 0, err)) == 0)
			(*n)++;
	PQclear(r);
	if (rc) {
		for (size_t i = 0; i < *n; i++)
			manuscript_dispose(&out[i]);
		*n = 0;
	}
	return rc;
}

/* An update that should change one row; if none: absent, or the guard did not hold. */
static int update_one(pg_db *db, uow_tx *tx, const char *sql, const pg_params *p, int64_t id,
		      const char *what, app_err *err)
{
	int64_t changed;
	int rc = pg_db_exec(&changed, db, tx, sql, p, what, err);

	if (rc || changed == 1)
		return rc;
	if ((rc = exists(db, tx, id, err)))
		return rc;
	return app_err_set(err, APP_ECONFLICT, NULL, NULL, "%s: the manuscript changed meanwhile",
			   what);
}

static int ms_save_draft(void *self, uow_tx *tx, const manuscript *m, int64_t expected_revision,
			 app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, m->id);
	pg_param_text(&p, m->title);
	pg_param_textn(&p, m->content ? m->content : "", m->content ? m->content_len : 0);
	pg_param_int(&p, m->revision);
	pg_param_int(&p, m->updated_at);
	pg_param_int(&p, expected_revision);
	return update_one(self, tx, SQL_MS_SAVE, &p, m->id, "manuscript save", err);
}

static int ms_set_status(void *self, uow_tx *tx, const manuscript *m, manuscript_status from,
			 app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, m->id);
	pg_param_text(&p, manuscript_status_name(m->status));
	pg_param_id(&p, m->book_id);
	pg_param_text(&p, m->error);
	pg_param_int(&p, m->updated_at);
	pg_param_text(&p, manuscript_status_name(from));
	pg_param_id(&p, m->episode_number);
	pg_param_id(&p, m->publish_at);
	return update_one(self, tx, SQL_MS_STATUS, &p, m->id, "manuscript status", err);
}

static int ms_remove(void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;
	int rc;

	if ((rc = exists(self, tx, id, err)))
		return rc;
	pg_params_init(&p);
	pg_param_int(&p, id);
	if ((rc = pg_db_exec(NULL, self, tx, SQL_MS_REMOVE_REVS, &p, "revision removal", err)))
		return rc;
	return pg_db_exec(NULL, self, tx, SQL_MS_REMOVE, &p, "manuscript removal", err);
}

static int ms_add_revision(void *self, uow_tx *tx, const manuscript_revision *rev, size_t keep,
			   app_err *err)
{
	pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, rev->manuscript_id);
	pg_param_int(&p, rev->revision);
	pg_param_text(&p, rev->title);
	pg_param_textn(&p, rev->content ? rev->content : "", rev->content ? rev->content_len : 0);
	pg_param_int(&p, rev->chars);
	pg_param_int(&p, rev->saved_at);
	if ((rc = pg_db_exec(NULL, self, tx, SQL_REV_INSERT, &p, "revision insert", err)))
		return rc;
	pg_params_init(&p);
	pg_param_int(&p, rev->manuscript_id);
	pg_param_int(&p, (int64_t)keep);
	return pg_db_exec(NULL, self, tx, SQL_REV_PRUNE, &p, "revision prune", err);
}

static int rev_row(void *dst, const PGresult *r, int row, app_err *err)
{
	manuscript_revision *rev = dst;

	memset(rev, 0, sizeof(*rev));
	rev->manuscript_id = pg_int(r, row, 0);
	rev->revision = pg_int(r, row, 1);
	pg_copy(rev->title, sizeof(rev->title), r, row, 2);
	rev->chars = pg_int(r, row, 3);
	rev->saved_at = pg_int(r, row, 4);
	(void)err;
	return 0;
}

static int ms_list_revisions(manuscript_revision *out, size_t *n, void *self, uow_tx *tx,
			     int64_t manuscript_id, int64_t before_revision, size_t limit,
			     app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, manuscript_id);
	pg_param_int(&p, before_revision > 0 ? before_revision : INT64_MAX);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(out, sizeof(*out), n, limit, self, tx, SQL_REV_LIST, &p, rev_row,
			  "revision list", err);
}

static int ms_find_revision(manuscript_revision *out, void *self, uow_tx *tx, int64_t manuscript_id,
			    int64_t revision, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, manuscript_id);
	pg_param_int(&p, revision);
	if ((rc = pg_db_row(&r, self, tx, SQL_REV_FIND, &p, "revision not found", "revision lookup",
			    err)))
		return rc;
	rev_row(out, r, 0, NULL);
	rc = pg_text_dup(&out->content, &out->content_len, r, 0, 5, err);
	PQclear(r);
	return rc;
}

static int ms_last_episode(int64_t *out, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, book_id);
	return pg_db_int(out, self, tx, SQL_MS_LAST_EPISODE, &p, "episode numbers", err);
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

manuscript_repo pg_manuscript_repo(pg_db *db)
{
	return (manuscript_repo){.vtbl = &ms_vtbl, .self = db};
}
