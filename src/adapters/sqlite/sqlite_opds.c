/* OPDS catalog tokens of the reader core. */
#include "adapters/sqlite/sqlite_repos.h"

static const char SQL_PUT[] =
    "INSERT INTO opds_tokens(member_id, digest, created_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT(member_id) DO UPDATE SET digest = excluded.digest,"
    " created_at = excluded.created_at";
static const char SQL_MEMBER[] = "SELECT member_id FROM opds_tokens WHERE digest = ?1";
static const char SQL_CREATED[] = "SELECT created_at FROM opds_tokens WHERE member_id = ?1";
static const char SQL_REMOVE[] = "DELETE FROM opds_tokens WHERE member_id = ?1";

static int put(void *self, uow_tx *tx, int64_t member_id, const char *digest, int64_t created_at,
	       app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PUT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_text(st, 2, digest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, created_at);
	return sqlite_stmt_exec(self, st, "opds token put", err);
}

/* One integer of the row the statement finds for key. */
static int one_int(int64_t *out, void *self, uow_tx *tx, const char *sql, const char *text_key,
		   int64_t int_key, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, sql, err)))
		return rc;
	if (text_key)
		sqlite3_bind_text(st, 1, text_key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, int_key);
	if ((rc = sqlite_stmt_row(self, st, "no such catalog token", "opds token lookup", err)))
		return rc;
	*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

static int member_of(int64_t *member_id, void *self, uow_tx *tx, const char *digest, app_err *err)
{
	return one_int(member_id, self, tx, SQL_MEMBER, digest, 0, err);
}

static int created(int64_t *at, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	return one_int(at, self, tx, SQL_CREATED, NULL, member_id, err);
}

static int remove_token(int *removed, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*removed = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REMOVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	if ((rc = sqlite_stmt_exec(self, st, "opds token removal", err)))
		return rc;
	*removed = sqlite_db_changes(self) > 0;
	return 0;
}

static const opds_token_repo_vtbl opds_vtbl = {
    .put = put,
    .member = member_of,
    .created = created,
    .remove = remove_token,
};

opds_token_repo sqlite_opds_token_repo(sqlite_db *db)
{
	return (opds_token_repo){.vtbl = &opds_vtbl, .self = db};
}
