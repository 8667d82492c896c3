/* Repositories of the members core. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <string.h>

#define STMT(name, sql_text) static const char name[] = sql_text

/* --- members ------------------------------------------------------------------ */

STMT(SQL_MEMBER_INSERT, "INSERT INTO members(email, name, password_hash, roles, points,"
			" created_at) VALUES (?1, ?2, ?3, ?4, 0, ?5)");
#define MEMBER_COLUMNS                                                                             \
	"id, email, name, password_hash, roles, points, created_at, banned_until,"                 \
	" coalesce(ban_reason, ''), coalesce(deleted_at, 0)"
STMT(SQL_MEMBER_BY_ID, "SELECT " MEMBER_COLUMNS " FROM members WHERE id = ?1");
STMT(SQL_MEMBER_BY_EMAIL, "SELECT " MEMBER_COLUMNS " FROM members WHERE email = ?1");
STMT(SQL_MEMBER_SAVE, "UPDATE members SET email = ?2, name = ?3, password_hash = ?4, roles = ?5,"
		      " banned_until = ?6, ban_reason = ?7, deleted_at = ?8 WHERE id = ?1");
/* instr() on lower(): a plain substring, no LIKE wildcards to escape */
STMT(SQL_MEMBER_SEARCH, "SELECT " MEMBER_COLUMNS " FROM members WHERE deleted_at IS NULL"
			" AND (?1 IS NULL OR instr(lower(email), lower(?1)) > 0"
			"      OR instr(lower(name), lower(?1)) > 0)"
			" AND (roles & ?2) = ?2 AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4");
STMT(SQL_MEMBER_ADD_ROLES, "UPDATE members SET roles = roles | ?2 WHERE id = ?1");
STMT(SQL_MEMBER_CREDIT, "UPDATE members SET points = points + ?2 WHERE id = ?1 RETURNING points");
STMT(SQL_MEMBER_DEBIT, "UPDATE members SET points = points - ?2 WHERE id = ?1 AND points >= ?2"
		       " RETURNING points");
STMT(SQL_MEMBER_EXISTS, "SELECT 1 FROM members WHERE id = ?1");
STMT(SQL_MEMBER_TOTALS, "SELECT count(*), coalesce(sum(points), 0) FROM members");

static int member_insert(void *self, uow_tx *tx, member *m, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MEMBER_INSERT, err)))
		return rc;
	sqlite3_bind_text(st, 1, m->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, m->roles);
	sqlite3_bind_int64(st, 5, m->created_at);
	if ((rc = sqlite_stmt_exec(db, st, "member insert", err)))
		return rc;
	m->id = sqlite_db_last_id(db);
	m->points = 0;
	return 0;
}

static int member_columns(void *dst, sqlite3_stmt *st, app_err *err)
{
	member *out = dst;

	memset(out, 0, sizeof(*out));
	out->id = sqlite3_column_int64(st, 0);
	sqlite_text_col(out->email, sizeof(out->email), st, 1);
	sqlite_text_col(out->name, sizeof(out->name), st, 2);
	sqlite_text_col(out->password_hash, sizeof(out->password_hash), st, 3);
	out->roles = (unsigned)sqlite3_column_int64(st, 4);
	out->points = sqlite3_column_int64(st, 5);
	out->created_at = sqlite3_column_int64(st, 6);
	out->banned_until = sqlite3_column_int64(st, 7);
	sqlite_text_col(out->ban_reason, sizeof(out->ban_reason), st, 8);
	out->deleted_at = sqlite3_column_int64(st, 9);
	(void)err;
	return 0;
}

static int member_row(member *out, sqlite_db *db, sqlite3_stmt *st, app_err *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		member_columns(out, st, NULL);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "member not found");
	} else {
		rc = sqlite_db_error(db, rc, "member lookup", err);
	}
	sqlite_stmt_done(st);
	return rc;
}

static int member_find_by_id(member *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_MEMBER_BY_ID, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return member_row(out, self, st, err);
}

static int member_find_by_email(member *out, void *self, uow_tx *tx, const char *email,
				app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_MEMBER_BY_EMAIL, err)))
		return rc;
	sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
	return member_row(out, self, st, err);
}

static int member_exists(sqlite_db *db, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MEMBER_EXISTS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(db, st, "member not found", "member lookup", err)))
		return rc;
	sqlite_stmt_done(st);
	return 0;
}

static int member_add_roles(void *self, uow_tx *tx, int64_t id, unsigned roles, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MEMBER_ADD_ROLES, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, roles);
	if ((rc = sqlite_stmt_exec(db, st, "role grant", err)))
		return rc;
	if (sqlite_db_changes(db) == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "member not found");
	return 0;
}

/* Runs a balance update; APP_EINSUFFICIENT / APP_ENOTFOUND when no row changed. */
static int balance_update(int64_t *balance, sqlite_db *db, uow_tx *tx, const char *sql, int64_t id,
			  int64_t amount, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, sql, err)))
		return rc;
	if (amount <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "amount", "amount must be positive");
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, amount);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*balance = sqlite3_column_int64(st, 0);
		sqlite_stmt_done(st);
		return 0;
	}
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlite_db_error(db, rc, "balance update", err);
	if ((rc = member_exists(db, tx, id, err)))
		return rc;
	return app_err_set(err, APP_EINSUFFICIENT, "insufficient_points", NULL,
			   "the balance does not cover %lld points", (long long)amount);
}

static int member_credit(int64_t *balance, void *self, uow_tx *tx, int64_t id, int64_t amount,
			 app_err *err)
{
	return balance_update(balance, self, tx, SQL_MEMBER_CREDIT, id, amount, err);
}

static int member_debit(int64_t *balance, void *self, uow_tx *tx, int64_t id, int64_t amount,
			app_err *err)
{
	return balance_update(balance, self, tx, SQL_MEMBER_DEBIT, id, amount, err);
}

static int member_totals_impl(member_totals *out, void *self, uow_tx *tx, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_MEMBER_TOTALS, err)))
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->members = sqlite3_column_int64(st, 0);
		out->points_outstanding = sqlite3_column_int64(st, 1);
	}
	sqlite_stmt_done(st);
	return rc == SQLITE_ROW ? 0 : sqlite_db_error(self, rc, "member totals", err);
}

static int member_save_account(void *self, uow_tx *tx, const member *m, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MEMBER_SAVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_text(st, 2, m->email, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->password_hash, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, m->roles);
	sqlite3_bind_int64(st, 6, m->banned_until);
	sqlite_bind_text_or_null(st, 7, m->ban_reason[0] ? m->ban_reason : NULL);
	if (m->deleted_at)
		sqlite3_bind_int64(st, 8, m->deleted_at);
	if ((rc = sqlite_stmt_exec(db, st, "member save", err)))
		return rc;
	if (sqlite_db_changes(db) == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "member not found");
	return 0;
}

static int member_search(member *out, size_t *n, void *self, uow_tx *tx, const char *q,
			 unsigned roles, int64_t before_id, size_t cap, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MEMBER_SEARCH, err)))
		return rc;
	sqlite_bind_text_or_null(st, 1, q && *q ? q : NULL);
	sqlite3_bind_int64(st, 2, roles);
	sqlite3_bind_int64(st, 3, before_id);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)cap);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, db, st, member_columns, "member search",
				err);
}

static const member_repo_vtbl member_vtbl = {
    .insert = member_insert,
    .find_by_id = member_find_by_id,
    .find_by_email = member_find_by_email,
    .add_roles = member_add_roles,
    .credit = member_credit,
    .debit = member_debit,
    .totals = member_totals_impl,
    .save_account = member_save_account,
    .search = member_search,
};

member_repo sqlite_member_repo(sqlite_db *db)
{
	return (member_repo){.vtbl = &member_vtbl, .self = db};
}

/* --- sessions ------------------------------------------------------------------ */

STMT(SQL_SESSION_INSERT, "INSERT INTO sessions(digest, member_id, created_at, expires_at)"
			 " VALUES (?1, ?2, ?3, ?4)");
STMT(SQL_SESSION_FIND, "SELECT member_id, expires_at FROM sessions WHERE digest = ?1");
/* a session whose member is gone gives a row of NULLs: member id 0 */
STMT(SQL_SESSION_MEMBER, "SELECT coalesce(m.id, 0), m.email, m.name, m.password_hash, m.roles,"
			 " m.points, m.created_at, m.banned_until, coalesce(m.ban_reason, ''),"
			 " coalesce(m.deleted_at, 0), s.expires_at FROM sessions s"
			 " LEFT JOIN members m ON m.id = s.member_id WHERE s.digest = ?1");
STMT(SQL_SESSION_REMOVE, "DELETE FROM sessions WHERE digest = ?1");
STMT(SQL_SESSION_PURGE, "DELETE FROM sessions WHERE expires_at <= ?1");
STMT(SQL_SESSION_COUNT, "SELECT count(*) FROM sessions WHERE expires_at > ?1");
STMT(SQL_SESSION_REMOVE_MEMBER, "DELETE FROM sessions WHERE member_id = ?1"
				" AND (?2 IS NULL OR digest <> ?2)");
STMT(SQL_SESSION_PRUNE,
     "DELETE FROM sessions WHERE member_id = ?1 AND digest != ?2 AND digest NOT IN"
     " (SELECT digest FROM sessions WHERE member_id = ?1 AND digest != ?2"
     "  ORDER BY created_at DESC, digest DESC LIMIT ?3)");

static int session_insert(void *self, uow_tx *tx, const char *digest, int64_t member_id,
			  int64_t created_at, int64_t expires_at, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SESSION_INSERT, err)))
		return rc;
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, member_id);
	sqlite3_bind_int64(st, 3, created_at);
	sqlite3_bind_int64(st, 4, expires_at);
	return sqlite_stmt_exec(self, st, "session insert", err);
}

static int session_find(int64_t *member_id, int64_t *expires_at, void *self, uow_tx *tx,
			const char *digest, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SESSION_FIND, err)))
		return rc;
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_row(self, st, "session not found", "session lookup", err)))
		return rc;
	*member_id = sqlite3_column_int64(st, 0);
	*expires_at = sqlite3_column_int64(st, 1);
	sqlite_stmt_done(st);
	return 0;
}

static int session_find_member(member *out, int64_t *expires_at, void *self, uow_tx *tx,
			       const char *digest, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SESSION_MEMBER, err)))
		return rc;
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_row(self, st, "session not found", "session lookup", err)))
		return rc;
	member_columns(out, st, NULL);
	*expires_at = sqlite3_column_int64(st, 10);
	sqlite_stmt_done(st);
	return 0;
}

static int session_remove(void *self, uow_tx *tx, const char *digest, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SESSION_REMOVE, err)))
		return rc;
	sqlite3_bind_text(st, 1, digest, -1, SQLITE_STATIC);
	return sqlite_stmt_exec(self, st, "session remove", err);
}

static int session_purge(int64_t *removed, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SESSION_PURGE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, now);
	if ((rc = sqlite_stmt_exec(self, st, "session purge", err)))
		return rc;
	*removed = sqlite_db_changes(self);
	return 0;
}

static int session_count(int64_t *out, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SESSION_COUNT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, now);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return rc == SQLITE_ROW ? 0 : sqlite_db_error(self, rc, "session count", err);
}

static int session_remove_member(void *self, uow_tx *tx, int64_t member_id, const char *keep_digest,
				 app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SESSION_REMOVE_MEMBER, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite_bind_text_or_null(st, 2, keep_digest);
	return sqlite_stmt_exec(self, st, "session revoke", err);
}

static int session_prune(void *self, uow_tx *tx, int64_t member_id, const char *keep_digest,
			 int keep, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SESSION_PRUNE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_text(st, 2, keep_digest, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, keep > 1 ? keep - 1 : 0);
	return sqlite_stmt_exec(self, st, "session prune", err);
}

static const session_repo_vtbl session_vtbl = {
    .insert = session_insert,
    .find = session_find,
    .find_member = session_find_member,
    .remove = session_remove,
    .purge_expired = session_purge,
    .count_active = session_count,
    .remove_member = session_remove_member,
    .prune = session_prune,
};

session_repo sqlite_session_repo(sqlite_db *db)
{
	return (session_repo){.vtbl = &session_vtbl, .self = db};
}

/* --- ledger ------------------------------------------------------------------------ */

STMT(SQL_LEDGER_INSERT, "INSERT INTO ledger(member_id, kind, amount, balance_after, book_id,"
			" order_id, created_at, episode) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
STMT(SQL_LEDGER_FIND, "SELECT id, member_id, kind, amount, balance_after, book_id, created_at,"
		      " order_id, episode FROM ledger WHERE id = ?1");
STMT(SQL_LEDGER_LIST, "SELECT id, member_id, kind, amount, balance_after, book_id, created_at,"
		      " order_id, episode FROM ledger WHERE member_id = ?1 AND id < ?2"
		      " ORDER BY id DESC LIMIT ?3");

static int ledger_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	ledger_entry *e = dst;

	e->id = sqlite3_column_int64(st, 0);
	e->member_id = sqlite3_column_int64(st, 1);
	e->kind = ledger_kind_parse((const char *)sqlite3_column_text(st, 2));
	e->amount = sqlite3_column_int64(st, 3);
	e->balance_after = sqlite3_column_int64(st, 4);
	e->book_id = sqlite3_column_int64(st, 5);
	e->created_at = sqlite3_column_int64(st, 6);
	e->order_id = sqlite3_column_int64(st, 7);
	e->episode = sqlite3_column_int64(st, 8);
	(void)err;
	return 0;
}

static int ledger_append(void *self, uow_tx *tx, ledger_entry *e, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_LEDGER_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, e->member_id);
	sqlite3_bind_text(st, 2, ledger_kind_name(e->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, e->amount);
	sqlite3_bind_int64(st, 4, e->balance_after);
	if (e->book_id)
		sqlite3_bind_int64(st, 5, e->book_id);
	else
		sqlite3_bind_null(st, 5);
	if (e->order_id)
		sqlite3_bind_int64(st, 6, e->order_id);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_int64(st, 7, e->created_at);
	if (e->episode)
		sqlite3_bind_int64(st, 8, e->episode);
	if ((rc = sqlite_stmt_exec(self, st, "ledger append", err)))
		return rc;
	e->id = sqlite_db_last_id(self);
	return 0;
}

static int ledger_find(ledger_entry *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_LEDGER_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(self, st, "ledger entry not found", "ledger lookup", err)))
		return rc;
	ledger_row(out, st, NULL);
	sqlite_stmt_done(st);
	return 0;
}

static int ledger_list(ledger_entry *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		       int64_t before_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_LEDGER_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return sqlite_stmt_rows(out, sizeof(*out), n, limit, self, st, ledger_row, "ledger list",
				err);
}

static const ledger_repo_vtbl ledger_vtbl = {
    .append = ledger_append,
    .find = ledger_find,
    .list = ledger_list,
};

ledger_repo sqlite_ledger_repo(sqlite_db *db)
{
	return (ledger_repo){.vtbl = &ledger_vtbl, .self = db};
}

/* --- subscriptions ------------------------------------------------------------------ */

STMT(SQL_SUB_FIND, "SELECT member_id, started_at, expires_at, auto_renew, expired"
		   " FROM subscriptions WHERE member_id = ?1");
STMT(SQL_SUB_SAVE, "INSERT INTO subscriptions(member_id, started_at, expires_at, auto_renew,"
		   " expired) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(member_id) DO UPDATE SET"
		   " started_at = excluded.started_at, expires_at = excluded.expires_at,"
		   " auto_renew = excluded.auto_renew, expired = excluded.expired");
STMT(SQL_SUB_DUE, "SELECT member_id FROM subscriptions WHERE expired = 0 AND expires_at <= ?1"
		  " ORDER BY expires_at LIMIT ?2");

static int sub_find(subscription *out, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SUB_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	if ((rc = sqlite_stmt_row(self, st, "no subscription", "subscription lookup", err)))
		return rc;
	out->member_id = sqlite3_column_int64(st, 0);
	out->started_at = sqlite3_column_int64(st, 1);
	out->expires_at = sqlite3_column_int64(st, 2);
	out->auto_renew = sqlite3_column_int(st, 3);
	out->expired = sqlite3_column_int(st, 4);
	sqlite_stmt_done(st);
	return 0;
}

static int sub_save(void *self, uow_tx *tx, const subscription *s, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SUB_SAVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, s->member_id);
	sqlite3_bind_int64(st, 2, s->started_at);
	sqlite3_bind_int64(st, 3, s->expires_at);
	sqlite3_bind_int(st, 4, s->auto_renew ? 1 : 0);
	sqlite3_bind_int(st, 5, s->expired ? 1 : 0);
	return sqlite_stmt_exec(self, st, "subscription save", err);
}

static int sub_list_due(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now, size_t limit,
			app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SUB_DUE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return sqlite_stmt_rows(ids, sizeof(*ids), n, limit, self, st, sqlite_row_int64,
				"due subscriptions", err);
}

static const subscription_repo_vtbl sub_vtbl = {
    .find = sub_find,
    .save = sub_save,
    .list_due = sub_list_due,
};

subscription_repo sqlite_subscription_repo(sqlite_db *db)
{
	return (subscription_repo){.vtbl = &sub_vtbl, .self = db};
}

/* --- idempotency ---------------------------------------------------------------------- */

STMT(SQL_IDEM_FIND, "SELECT result_id, request FROM idempotency WHERE member_id = ?1"
		    " AND scope = ?2 AND key = ?3");
STMT(SQL_IDEM_INSERT,
     "INSERT INTO idempotency(member_id, scope, key, request, result_id, created_at)"
     " VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
STMT(SQL_IDEM_COMPLETE, "UPDATE idempotency SET result_id = ?4 WHERE member_id = ?1"
			" AND scope = ?2 AND key = ?3 AND result_id = 0");
STMT(SQL_IDEM_REMOVE, "DELETE FROM idempotency WHERE member_id = ?1 AND scope = ?2 AND key = ?3"
		      " AND result_id = 0");

/* A statement on one key: (member, scope, key) bound as ?1..?3. */
static int idem_stmt(sqlite3_stmt **st, sqlite_db *db, uow_tx *tx, const char *sql,
		     int64_t member_id, const char *scope, const char *key, app_err *err)
{
	int rc = sqlite_db_stmt(st, db, tx, sql, err);

	if (rc)
		return rc;
	sqlite3_bind_int64(*st, 1, member_id);
	sqlite3_bind_text(*st, 2, scope, -1, SQLITE_STATIC);
	sqlite3_bind_text(*st, 3, key, -1, SQLITE_STATIC);
	return 0;
}

static int idem_find(idem_entry *out, void *self, uow_tx *tx, int64_t member_id, const char *scope,
		     const char *key, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = idem_stmt(&st, self, tx, SQL_IDEM_FIND, member_id, scope, key, err)) ||
	    (rc = sqlite_stmt_row(self, st, "new idempotency key", "idempotency lookup", err)))
		return rc;
	out->result_id = sqlite3_column_int64(st, 0);
	snprintf(out->request, sizeof(out->request), "%s",
		 (const char *)sqlite3_column_text(st, 1));
	sqlite_stmt_done(st);
	return 0;
}

static int idem_insert(void *self, uow_tx *tx, int64_t member_id, const char *scope,
		       const char *key, const char *request, int64_t result_id, int64_t now,
		       app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = idem_stmt(&st, self, tx, SQL_IDEM_INSERT, member_id, scope, key, err)))
		return rc;
	sqlite3_bind_text(st, 4, request, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, result_id);
	sqlite3_bind_int64(st, 6, now);
	return sqlite_stmt_exec(self, st, "idempotency insert", err);
}

static int idem_complete(void *self, uow_tx *tx, int64_t member_id, const char *scope,
			 const char *key, int64_t result_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = idem_stmt(&st, self, tx, SQL_IDEM_COMPLETE, member_id, scope, key, err)))
		return rc;
	sqlite3_bind_int64(st, 4, result_id);
	if ((rc = sqlite_stmt_exec(self, st, "idempotency completion", err)))
		return rc;
	if (sqlite_db_changes(self) == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such key in flight");
	return 0;
}

static int idem_remove(void *self, uow_tx *tx, int64_t member_id, const char *scope,
		       const char *key, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = idem_stmt(&st, self, tx, SQL_IDEM_REMOVE, member_id, scope, key, err)))
		return rc;
	return sqlite_stmt_exec(self, st, "idempotency removal", err);
}

static const idempotency_repo_vtbl idem_vtbl = {
    .find = idem_find,
    .insert = idem_insert,
    .complete = idem_complete,
    .remove = idem_remove,
};

idempotency_repo sqlite_idempotency_repo(sqlite_db *db)
{
	return (idempotency_repo){.vtbl = &idem_vtbl, .self = db};
}
