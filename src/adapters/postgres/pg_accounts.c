/* One-time account tokens of the members core. */
#include "adapters/postgres/pg_repos.h"

#include <string.h>

static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO account_tokens(digest, member_id, purpose, new_email, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_TOKEN_FIND[] =
    "SELECT digest, member_id, purpose, coalesce(new_email, ''), created_at, expires_at,"
    " coalesce(used_at, 0) FROM account_tokens WHERE digest = $1";
/* used once: of two uses at once, the second waits on the row and then changes nothing */
static const char SQL_TOKEN_USE[] =
    "UPDATE account_tokens SET used_at = $2 WHERE digest = $1 AND used_at IS NULL";
static const char SQL_TOKEN_REMOVE_MEMBER[] =
    "DELETE FROM account_tokens WHERE member_id = $1 AND ($2::text IS NULL OR purpose = $2)";

static int token_insert(void *self, uow_tx *tx, const account_token *t, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, t->digest);
	pg_param_int(&p, t->member_id);
	pg_param_text(&p, t->purpose);
	pg_param_text(&p, t->new_email[0] ? t->new_email : NULL);
	pg_param_int(&p, t->created_at);
	pg_param_int(&p, t->expires_at);
	return pg_db_exec(NULL, self, tx, SQL_TOKEN_INSERT, &p, "token insert", err);
}

static int token_find(account_token *out, void *self, uow_tx *tx, const char *digest, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, digest);
	if ((rc =
		 pg_db_row(&r, self, tx, SQL_TOKEN_FIND, &p, "no such token", "token lookup", err)))
		return rc;
	memset(out, 0, sizeof(*out));
	pg_copy(out->digest, sizeof(out->digest), r, 0, 0);
	out->member_id = pg_int(r, 0, 1);
	pg_copy(out->purpose, sizeof(out->purpose), r, 0, 2);
	pg_copy(out->new_email, sizeof(out->new_email), r, 0, 3);
	out->created_at = pg_int(r, 0, 4);
	out->expires_at = pg_int(r, 0, 5);
	out->used_at = pg_int(r, 0, 6);
	PQclear(r);
	return 0;
}

static int token_use(void *self, uow_tx *tx, const char *digest, int64_t now, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, digest);
	pg_param_int(&p, now);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_TOKEN_USE, &p, "token use", err)))
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "the token was used already");
	return 0;
}

static int token_remove_member(void *self, uow_tx *tx, int64_t member_id, const char *purpose,
			       app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, member_id);
	pg_param_text(&p, purpose);
	return pg_db_exec(NULL, self, tx, SQL_TOKEN_REMOVE_MEMBER, &p, "token removal", err);
}

static const account_token_repo_vtbl token_vtbl = {
    .insert = token_insert,
    .find = token_find,
    .use = token_use,
    .remove_member = token_remove_member,
};

account_token_repo pg_account_token_repo(pg_db *db)
{
	return (account_token_repo){.vtbl = &token_vtbl, .self = db};
}
