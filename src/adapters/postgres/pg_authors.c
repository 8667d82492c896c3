/* Repository of the authors core: author applications. */
#include "adapters/postgres/pg_repos.h"

#include <stdlib.h>
#include <string.h>

#define APP_COLUMNS                                                                                \
	"id, member_id, pen_name, bio, portfolio, status, reason, decided_by, created_at,"         \
	" decided_at"
static const char SQL_APP_INSERT[] =
    "INSERT INTO author_applications(member_id, pen_name, bio, portfolio, status, reason,"
    " decided_by, created_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    " RETURNING id";
static const char SQL_APP_FIND[] = "SELECT " APP_COLUMNS " FROM author_applications WHERE id = $1";
static const char SQL_APP_LATEST[] = "SELECT " APP_COLUMNS " FROM author_applications"
				     " WHERE member_id = $1 ORDER BY id DESC LIMIT 1";
static const char SQL_APP_DECIDE[] =
    "UPDATE author_applications SET status = $2, reason = $3, decided_by = $4,"
    " decided_at = $5 WHERE id = $1 AND status = 'pending'";
static const char SQL_APP_EXISTS[] = "SELECT 1 FROM author_applications WHERE id = $1";
static const char SQL_APP_LIST[] =
    "SELECT " APP_COLUMNS " FROM author_applications"
    " WHERE ($1::text IS NULL OR status = $1) AND id < $2 ORDER BY id DESC LIMIT $3";

static char *column_dup(const PGresult *r, int row, int col)
{
	return pg_is_null(r, row, col) ? NULL : strdup(PQgetvalue(r, row, col));
}

/* Fills a from row; APP_ENOMEM leaves a disposed. */
static int app_row(author_application *a, const PGresult *r, int row, app_err *err)
{
	memset(a, 0, sizeof(*a));
	a->id = pg_int(r, row, 0);
	a->member_id = pg_int(r, row, 1);
	pg_copy(a->pen_name, sizeof(a->pen_name), r, row, 2);
	a->bio = column_dup(r, row, 3);
	a->portfolio = column_dup(r, row, 4);
	a->status = AUTHOR_APP_PENDING;
	author_app_status_parse(&a->status, pg_text(r, row, 5), NULL);
	a->reason = column_dup(r, row, 6);
	a->decided_by = pg_int(r, row, 7);
	a->created_at = pg_int(r, row, 8);
	a->decided_at = pg_int(r, row, 9);
	if (!a->bio || !a->portfolio || (!pg_is_null(r, row, 6) && !a->reason)) {
		author_application_dispose(a);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	return 0;
}

/* The application a one-parameter lookup finds. */
static int app_one(author_application *out, pg_db *db, uow_tx *tx, const char *sql, int64_t key,
		   app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, key);
	if ((rc = pg_db_row(&r, db, tx, sql, &p, "application not found", "application lookup",
			    err)))
		return rc;
	rc = app_row(out, r, 0, err);
	PQclear(r);
	return rc;
}

static int app_insert(void *self, uow_tx *tx, author_application *a, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, a->member_id);
	pg_param_text(&p, a->pen_name);
	pg_param_text(&p, a->bio ? a->bio : "");
	pg_param_text(&p, a->portfolio ? a->portfolio : "");
	pg_param_text(&p, author_app_status_name(a->status));
	pg_param_text(&p, a->reason);
	pg_param_id(&p, a->decided_by);
	pg_param_int(&p, a->created_at);
	pg_param_id(&p, a->decided_at);
	return pg_db_int(&a->id, self, tx, SQL_APP_INSERT, &p, "application insert", err);
}

static int app_find(author_application *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	return app_one(out, self, tx, SQL_APP_FIND, id, err);
}

static int app_find_latest(author_application *out, void *self, uow_tx *tx, int64_t member_id,
			   app_err *err)
{
	return app_one(out, self, tx, SQL_APP_LATEST, member_id, err);
}

static int app_decide(void *self, uow_tx *tx, const author_application *a, app_err *err)
{
	pg_params p;
	int64_t changed, one;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, a->id);
	pg_param_text(&p, author_app_status_name(a->status));
	pg_param_text(&p, a->reason);
	pg_param_int(&p, a->decided_by);
	pg_param_int(&p, a->decided_at);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_APP_DECIDE, &p, "application decision", err)))
		return rc;
	if (changed == 1)
		return 0;
	p.n = 1;
	rc = pg_db_int(&one, self, tx, SQL_APP_EXISTS, &p, "application lookup", err);
	if (rc == APP_ENOTFOUND)
		return app_err_set(err, rc, NULL, NULL, "application not found");
	if (rc)
		return rc;
	return app_err_set(err, APP_ECONFLICT, "not_pending", NULL,
			   "the application is no longer pending");
}

static int app_list(author_application *out, size_t *n, void *self, uow_tx *tx,
		    author_app_status status, int64_t before_id, size_t limit, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc, rows;

	*n = 0;
	pg_params_init(&p);
	pg_param_text(&p, status ? author_app_status_name(status) : NULL);
	pg_param_int(&p, before_id > 0 ? before_id : INT64_MAX);
	pg_param_int(&p, (int64_t)limit);
	if ((rc = pg_db_query(&r, self, tx, SQL_APP_LIST, &p, "application list", err)))
		return rc;
	rows = PQntuples(r);
	for (int i = 0; i < rows && *n < limit && rc == 0; i++)
		if ((rc = app_row(&out[*n], r, i, err)) == 0)
			(*n)++;
	PQclear(r);
	if (rc) {
		for (size_t i = 0; i < *n; i++)
			author_application_dispose(&out[i]);
		*n = 0;
	}
	return rc;
}

static const author_application_repo_vtbl app_vtbl = {
    .insert = app_insert,
    .find = app_find,
    .find_latest = app_find_latest,
    .decide = app_decide,
    .list = app_list,
};

author_application_repo pg_author_application_repo(pg_db *db)
{
	return (author_application_repo){.vtbl = &app_vtbl, .self = db};
}
