/* One-time account tokens of the members core. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <string.h>

static const char SQL_TOKEN_INSERT[] =
    "INSERT INTO account_tokens(digest, member_id, purpose, new_email, created_at, expires_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_TOKEN_FIND[] =
    "SELECT digest, member_id, purpose, coalesce(new_email, ''), created_at, expires_at,"
    " coalesce(used_at, 0) FROM account_tokens WHERE digest = ?1";
static const char SQL_TOKEN_USE[] =
    "UPDATE account_tokens SET used_at = ?2 WHERE digest = ?1 AND used_at IS NULL";
static const char SQL_TOKEN_REMOVE_MEMBER[] =
    "DELETE FROM account_tokens WHERE member_id = ?1 AND (?2 IS NULL OR purpose = ?2)";

static int token_insert(void *self, uow_tx *tx, const account_token *t, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_TOKEN_INSERT, err)))
		return rc;
	sqlite3_bind_text(st, 1, t->digest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t->member_id);
	sqlite3_bind_text(st, 3, t->purpose, -1, SQLITE_STATIC);
	sqlite_bind_text_or_null(st, 4, t->new_email[0] ? t->new_email : NULL);
	sqlite3_bind_int64(st, 5, t->created_at);
	sqlite3_bind_int64(st, 6, t->expires_at);
	return sqlite_stmt_exec(self, st, "token insert", err);
}

static int token_find(account_token *out, void *self, uow_tx *tx, const char *digest, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_TOKEN_FIND, err)))
		return rc;
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_row(self, st, "no such token", "token lookup", err)))
		return rc;
	memset(out, 0, sizeof(*out));
	snprintf(out->digest, sizeof(out->digest), "%s", (const char *)sqlite3_column_text(st, 0));
	out->member_id = sqlite3_column_int64(st, 1);
	snprintf(out->purpose, sizeof(out->purpose), "%s",
		 (const char *)sqlite3_column_text(st, 2));
	snprintf(out->new_email, sizeof(out->new_email), "%s",
		 (const char *)sqlite3_column_text(st, 3));
	out->created_at = sqlite3_column_int64(st, 4);
	out->expires_at = sqlite3_column_int64(st, 5);
	out->used_at = sqlite3_column_int64(st, 6);
	sqlite_stmt_done(st);
	return 0;
}

static int token_use(void *self, uow_tx *tx, const char *digest, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_TOKEN_USE, err)))
		return rc;
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = sqlite_stmt_exec(self, st, "token use", err)))
		return rc;
	if (sqlite_db_changes(self) == 0)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "the token was used already");
	return 0;
}

static int token_remove_member(void *self, uow_tx *tx, int64_t member_id, const char *purpose,
			       app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_TOKEN_REMOVE_MEMBER, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite_bind_text_or_null(st, 2, purpose);
	return sqlite_stmt_exec(self, st, "token removal", err);
}

static const account_token_repo_vtbl token_vtbl = {
    .insert = token_insert,
    .find = token_find,
    .use = token_use,
    .remove_member = token_remove_member,
};

account_token_repo sqlite_account_token_repo(sqlite_db *db)
{
	return (account_token_repo){.vtbl = &token_vtbl, .self = db};
}
