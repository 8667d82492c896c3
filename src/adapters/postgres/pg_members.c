/* Repositories of the members core: accounts and their balance, sessions. */
#include "adapters/postgres/pg_repos.h"

#include <string.h>

#define STMT(name, sql_text) static const char name[] = sql_text

/* --- members ------------------------------------------------------------------ */

STMT(SQL_MEMBER_INSERT, "INSERT INTO members(email, name, password_hash, roles, points,"
			" created_at) VALUES ($1, $2, $3, $4, 0, $5) RETURNING id");
#define MEMBER_COLUMNS                                                                             \
	"id, email, name, password_hash, roles, points, created_at, banned_until,"                 \
	" coalesce(ban_reason, ''), coalesce(deleted_at, 0)"
STMT(SQL_MEMBER_BY_ID, "SELECT " MEMBER_COLUMNS " FROM members WHERE id = $1");
/* lower() on both sides: SQLite's NOCASE, and the unique index members_email */
STMT(SQL_MEMBER_BY_EMAIL, "SELECT " MEMBER_COLUMNS " FROM members WHERE lower(email) = lower($1)");
STMT(SQL_MEMBER_SAVE, "UPDATE members SET email = $2, name = $3, password_hash = $4, roles = $5,"
		      " banned_until = $6, ban_reason = $7, deleted_at = $8 WHERE id = $1");
/* strpos() on lower(): a plain substring, no LIKE wildcards to escape */
STMT(SQL_MEMBER_SEARCH, "SELECT " MEMBER_COLUMNS " FROM members WHERE deleted_at IS NULL"
			" AND ($1::text IS NULL OR strpos(lower(email), lower($1)) > 0"
			"      OR strpos(lower(name), lower($1)) > 0)"
			" AND (roles & $2) = $2 AND ($3 = 0 OR id < $3) ORDER BY id DESC LIMIT $4");
STMT(SQL_MEMBER_ADD_ROLES, "UPDATE members SET roles = roles | $2 WHERE id = $1");
STMT(SQL_MEMBER_CREDIT, "UPDATE members SET points = points + $2 WHERE id = $1 RETURNING points");
/* the guarded debit: concurrent spends wait on the row and cannot overdraw */
STMT(SQL_MEMBER_DEBIT, "UPDATE members SET points = points - $2 WHERE id = $1 AND points >= $2"
		       " RETURNING points");
STMT(SQL_MEMBER_EXISTS, "SELECT 1 FROM members WHERE id = $1");
STMT(SQL_MEMBER_TOTALS, "SELECT count(*), coalesce(sum(points), 0) FROM members");

static int member_insert(void *self, uow_tx *tx, member *m, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, m->email);
	pg_param_text(&p, m->name);
	pg_param_text(&p, m->password_hash);
	pg_param_int(&p, m->roles);
	pg_param_int(&p, m->created_at);
	if ((rc = pg_db_row(&r, self, tx, SQL_MEMBER_INSERT, &p, "no member id", "member insert",
			    err)))
		return rc;
	m->id = pg_int(r, 0, 0);
	m->points = 0;
	PQclear(r);
	return 0;
}

static int member_columns(void *dst, const PGresult *r, int row, app_err *err)
{
	member *out = dst;

	memset(out, 0, sizeof(*out));
	out->id = pg_int(r, row, 0);
	pg_copy(out->email, sizeof(out->email), r, row, 1);
	pg_copy(out->name, sizeof(out->name), r, row, 2);
	pg_copy(out->password_hash, sizeof(out->password_hash), r, row, 3);
	out->roles = (unsigned)pg_int(r, row, 4);
	out->points = pg_int(r, row, 5);
	out->created_at = pg_int(r, row, 6);
	out->banned_until = pg_int(r, row, 7);
	pg_copy(out->ban_reason, sizeof(out->ban_reason), r, row, 8);
	out->deleted_at = pg_int(r, row, 9);
	(void)err;
	return 0;
}

/* The member a one-parameter lookup finds. */
static int member_lookup(member *out, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
			 app_err *err)
{
	PGresult *r;
	int rc = pg_db_row(&r, db, tx, sql, p, "member not found", "member lookup", err);

	if (rc)
		return rc;
	member_columns(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static int member_find_by_id(member *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	return member_lookup(out, self, tx, SQL_MEMBER_BY_ID, &p, err);
}

static int member_find_by_email(member *out, void *self, uow_tx *tx, const char *email,
				app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, email);
	return member_lookup(out, self, tx, SQL_MEMBER_BY_EMAIL, &p, err);
}

static int member_exists(pg_db *db, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	if ((rc = pg_db_row(&r, db, tx, SQL_MEMBER_EXISTS, &p, "member not found", "member lookup",
			    err)))
		return rc;
	PQclear(r);
	return 0;
}

static int member_add_roles(void *self, uow_tx *tx, int64_t id, unsigned roles, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_int(&p, roles);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_MEMBER_ADD_ROLES, &p, "role grant", err)))
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "member not found");
	return 0;
}

/* Runs a balance update; APP_EINSUFFICIENT / APP_ENOTFOUND when no row changed. */
static int balance_update(int64_t *balance, pg_db *db, uow_tx *tx, const char *sql, int64_t id,
			  int64_t amount, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	if (amount <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "amount", "amount must be positive");
	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_int(&p, amount);
	if ((rc = pg_db_query(&r, db, tx, sql, &p, "balance update", err)))
		return rc;
	if (PQntuples(r) == 1) {
		*balance = pg_int(r, 0, 0);
		PQclear(r);
		return 0;
	}
	PQclear(r);
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
	PGresult *r;
	int rc =
	    pg_db_row(&r, self, tx, SQL_MEMBER_TOTALS, NULL, "no totals", "member totals", err);

	if (rc)
		return rc;
	out->members = pg_int(r, 0, 0);
	out->points_outstanding = pg_int(r, 0, 1);
	PQclear(r);
	return 0;
}

static int member_save_account(void *self, uow_tx *tx, const member *m, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, m->id);
	pg_param_text(&p, m->email);
	pg_param_text(&p, m->name);
	pg_param_text(&p, m->password_hash);
	pg_param_int(&p, m->roles);
	pg_param_int(&p, m->banned_until);
	pg_param_text(&p, m->ban_reason[0] ? m->ban_reason : NULL);
	if (m->deleted_at)
		pg_param_int(&p, m->deleted_at);
	else
		pg_param_null(&p);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_MEMBER_SAVE, &p, "member save", err)))
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "member not found");
	return 0;
}

static int member_search(member *out, size_t *n, void *self, uow_tx *tx, const char *q,
			 unsigned roles, int64_t before_id, size_t cap, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, q && *q ? q : NULL);
	pg_param_int(&p, roles);
	pg_param_int(&p, before_id);
	pg_param_int(&p, (int64_t)cap);
	return pg_db_rows(out, sizeof(*out), n, cap, self, tx, SQL_MEMBER_SEARCH, &p,
			  member_columns, "member search", err);
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

member_repo pg_member_repo(pg_db *db)
{
	return (member_repo){.vtbl = &member_vtbl, .self = db};
}

/* --- sessions ------------------------------------------------------------------ */

STMT(SQL_SESSION_INSERT, "INSERT INTO sessions(digest, member_id, created_at, expires_at)"
			 " VALUES ($1, $2, $3, $4)");
STMT(SQL_SESSION_FIND, "SELECT member_id, expires_at FROM sessions WHERE digest = $1");
/* a session whose member is gone gives a row of NULLs: member id 0 */
STMT(SQL_SESSION_MEMBER, "SELECT coalesce(m.id, 0), m.email, m.name, m.password_hash, m.roles,"
			 " m.points, m.created_at, m.banned_until, coalesce(m.ban_reason, ''),"
			 " coalesce(m.deleted_at, 0), s.expires_at FROM sessions s"
			 " LEFT JOIN members m ON m.id = s.member_id WHERE s.digest = $1");
STMT(SQL_SESSION_REMOVE, "DELETE FROM sessions WHERE digest = $1");
STMT(SQL_SESSION_PURGE, "DELETE FROM sessions WHERE expires_at <= $1");
STMT(SQL_SESSION_COUNT, "SELECT count(*) FROM sessions WHERE expires_at > $1");
STMT(SQL_SESSION_REMOVE_MEMBER, "DELETE FROM sessions WHERE member_id = $1"
				" AND ($2::text IS NULL OR digest <> $2)");
STMT(SQL_SESSION_PRUNE,
     "DELETE FROM sessions WHERE member_id = $1 AND digest <> $2 AND digest NOT IN"
     " (SELECT digest FROM sessions WHERE member_id = $1 AND digest <> $2"
     "  ORDER BY created_at DESC, digest DESC LIMIT $3)");

static int session_insert(void *self, uow_tx *tx, const char *digest, int64_t member_id,
			  int64_t created_at, int64_t expires_at, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, digest);
	pg_param_int(&p, member_id);
	pg_param_int(&p, created_at);
	pg_param_int(&p, expires_at);
	return pg_db_exec(NULL, self, tx, SQL_SESSION_INSERT, &p, "session insert", err);
}

static int session_find(int64_t *member_id, int64_t *expires_at, void *self, uow_tx *tx,
			const char *digest, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, digest);
	if ((rc = pg_db_row(&r, self, tx, SQL_SESSION_FIND, &p, "session not found",
			    "session lookup", err)))
		return rc;
	*member_id = pg_int(r, 0, 0);
	*expires_at = pg_int(r, 0, 1);
	PQclear(r);
	return 0;
}

static int session_find_member(member *out, int64_t *expires_at, void *self, uow_tx *tx,
			       const char *digest, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_text(&p, digest);
	if ((rc = pg_db_row(&r, self, tx, SQL_SESSION_MEMBER, &p, "session not found",
			    "session lookup", err)))
		return rc;
	member_columns(out, r, 0, NULL);
	*expires_at = pg_int(r, 0, 10);
	PQclear(r);
	return 0;
}

static int session_remove(void *self, uow_tx *tx, const char *digest, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, digest);
	return pg_db_exec(NULL, self, tx, SQL_SESSION_REMOVE, &p, "session remove", err);
}

static int session_purge(int64_t *removed, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, now);
	return pg_db_exec(removed, self, tx, SQL_SESSION_PURGE, &p, "session purge", err);
}

static int session_count(int64_t *out, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, now);
	return pg_db_int(out, self, tx, SQL_SESSION_COUNT, &p, "session count", err);
}

static int session_remove_member(void *self, uow_tx *tx, int64_t member_id, const char *keep_digest,
				 app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, member_id);
	pg_param_text(&p, keep_digest);
	return pg_db_exec(NULL, self, tx, SQL_SESSION_REMOVE_MEMBER, &p, "session revoke", err);
}

static int session_prune(void *self, uow_tx *tx, int64_t member_id, const char *keep_digest,
			 int keep, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, member_id);
	pg_param_text(&p, keep_digest);
	pg_param_int(&p, keep > 1 ? keep - 1 : 0);
	return pg_db_exec(NULL, self, tx, SQL_SESSION_PRUNE, &p, "session prune", err);
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

session_repo pg_session_repo(pg_db *db)
{
	return (session_repo){.vtbl = &session_vtbl, .self = db};
}
