/* OPDS catalog tokens of the reader core. */
#include "adapters/postgres/pg_repos.h"

static const char SQL_PUT[] =
    "INSERT INTO opds_tokens(member_id, digest, created_at) VALUES ($1, $2, $3)"
    " ON CONFLICT(member_id) DO UPDATE SET digest = excluded.digest,"
    " created_at = excluded.created_at";
static const char SQL_MEMBER[] = "SELECT member_id FROM opds_tokens WHERE digest = $1";
static const char SQL_CREATED[] = "SELECT created_at FROM opds_tokens WHERE member_id = $1";
static const char SQL_REMOVE[] = "DELETE FROM opds_tokens WHERE member_id = $1";

static int put(void *self, uow_tx *tx, int64_t member_id, const char *digest, int64_t created_at,
	       app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, member_id);
	pg_param_text(&p, digest);
	pg_param_int(&p, created_at);
	return pg_db_exec(NULL, self, tx, SQL_PUT, &p, "opds token put", err);
}

/* The integer a lookup by p finds; APP_ENOTFOUND says there is no such token. */
static int one_int(int64_t *out, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
		   app_err *err)
{
	int rc = pg_db_int(out, db, tx, sql, p, "opds token lookup", err);

	return rc == APP_ENOTFOUND ? app_err_set(err, rc, NULL, NULL, "no such catalog token") : rc;
}

static int member_of(int64_t *member_id, void *self, uow_tx *tx, const char *digest, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, digest);
	return one_int(member_id, self, tx, SQL_MEMBER, &p, err);
}

static int created(int64_t *at, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, member_id);
	return one_int(at, self, tx, SQL_CREATED, &p, err);
}

static int remove_token(int *removed, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	*removed = 0;
	pg_params_init(&p);
	pg_param_int(&p, member_id);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_REMOVE, &p, "opds token removal", err)))
		return rc;
	*removed = changed > 0;
	return 0;
}

static const opds_token_repo_vtbl opds_vtbl = {
    .put = put,
    .member = member_of,
    .created = created,
    .remove = remove_token,
};

opds_token_repo pg_opds_token_repo(pg_db *db)
{
	return (opds_token_repo){.vtbl = &opds_vtbl, .self = db};
}
