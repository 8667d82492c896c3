/* Repositories of the members core: the points ledger, subscriptions, idempotency keys. */
#include "adapters/postgres/pg_repos.h"

#include <string.h>

#define STMT(name, sql_text) static const char name[] = sql_text

/* --- ledger ------------------------------------------------------------------------ */

STMT(SQL_LEDGER_INSERT, "INSERT INTO ledger(member_id, kind, amount, balance_after, book_id,"
			" order_id, created_at, episode) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
			" RETURNING id");
#define LEDGER_COLUMNS                                                                             \
	"id, member_id, kind, amount, balance_after, book_id, created_at, order_id, episode"
STMT(SQL_LEDGER_FIND, "SELECT " LEDGER_COLUMNS " FROM ledger WHERE id = $1");
STMT(SQL_LEDGER_LIST, "SELECT " LEDGER_COLUMNS " FROM ledger WHERE member_id = $1 AND id < $2"
		      " ORDER BY id DESC LIMIT $3");

static int ledger_row(void *dst, const PGresult *r, int row, app_err *err)
{
	ledger_entry *e = dst;

	e->id = pg_int(r, row, 0);
	e->member_id = pg_int(r, row, 1);
	e->kind = ledger_kind_parse(pg_text(r, row, 2));
	e->amount = pg_int(r, row, 3);
	e->balance_after = pg_int(r, row, 4);
	e->book_id = pg_int(r, row, 5);
	e->created_at = pg_int(r, row, 6);
	e->order_id = pg_int(r, row, 7);
	e->episode = pg_int(r, row, 8);
	(void)err;
	return 0;
}

static int ledger_append(void *self, uow_tx *tx, ledger_entry *e, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, e->member_id);
	pg_param_text(&p, ledger_kind_name(e->kind));
	pg_param_int(&p, e->amount);
	pg_param_int(&p, e->balance_after);
	pg_param_id(&p, e->book_id);
	pg_param_id(&p, e->order_id);
	pg_param_int(&p, e->created_at);
	pg_param_id(&p, e->episode);
	if ((rc = pg_db_row(&r, self, tx, SQL_LEDGER_INSERT, &p, "no ledger id", "ledger append",
			    err)))
		return rc;
	e->id = pg_int(r, 0, 0);
	PQclear(r);
	return 0;
}

static int ledger_find(ledger_entry *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	if ((rc = pg_db_row(&r, self, tx, SQL_LEDGER_FIND, &p, "ledger entry not found",
			    "ledger lookup", err)))
		return rc;
	ledger_row(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static int ledger_list(ledger_entry *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		       int64_t before_id, size_t limit, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, member_id);
	pg_param_int(&p, before_id > 0 ? before_id : INT64_MAX);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(out, sizeof(*out), n, limit, self, tx, SQL_LEDGER_LIST, &p, ledger_row,
			  "ledger list", err);
}

static const ledger_repo_vtbl ledger_vtbl = {
    .append = ledger_append,
    .find = ledger_find,
    .list = ledger_list,
};

ledger_repo pg_ledger_repo(pg_db *db)
{
	return (ledger_repo){.vtbl = &ledger_vtbl, .self = db};
}

/* --- subscriptions ------------------------------------------------------------------ */

STMT(SQL_SUB_FIND, "SELECT member_id, started_at, expires_at, auto_renew, expired"
		   " FROM subscriptions WHERE member_id = $1");
STMT(SQL_SUB_SAVE, "INSERT INTO subscriptions(member_id, started_at, expires_at, auto_renew,"
		   " expired) VALUES ($1, $2, $3, $4, $5) ON CONFLICT(member_id) DO UPDATE SET"
		   " started_at = excluded.started_at, expires_at = excluded.expires_at,"
		   " auto_renew = excluded.auto_renew, expired = excluded.expired");
STMT(SQL_SUB_DUE, "SELECT member_id FROM subscriptions WHERE expired = 0 AND expires_at <= $1"
		  " ORDER BY expires_at LIMIT $2");

static int sub_find(subscription *out, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, member_id);
	if ((rc = pg_db_row(&r, self, tx, SQL_SUB_FIND, &p, "no subscription",
			    "subscription lookup", err)))
		return rc;
	out->member_id = pg_int(r, 0, 0);
	out->started_at = pg_int(r, 0, 1);
	out->expires_at = pg_int(r, 0, 2);
	out->auto_renew = (int)pg_int(r, 0, 3);
	out->expired = (int)pg_int(r, 0, 4);
	PQclear(r);
	return 0;
}

static int sub_save(void *self, uow_tx *tx, const subscription *s, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, s->member_id);
	pg_param_int(&p, s->started_at);
	pg_param_int(&p, s->expires_at);
	pg_param_int(&p, s->auto_renew ? 1 : 0);
	pg_param_int(&p, s->expired ? 1 : 0);
	return pg_db_exec(NULL, self, tx, SQL_SUB_SAVE, &p, "subscription save", err);
}

static int sub_list_due(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now, size_t limit,
			app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, now);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(ids, sizeof(*ids), n, limit, self, tx, SQL_SUB_DUE, &p, pg_row_int64,
			  "due subscriptions", err);
}

static const subscription_repo_vtbl sub_vtbl = {
    .find = sub_find,
    .save = sub_save,
    .list_due = sub_list_due,
};

subscription_repo pg_subscription_repo(pg_db *db)
{
	return (subscription_repo){.vtbl = &sub_vtbl, .self = db};
}

/* --- idempotency ---------------------------------------------------------------------- */

STMT(SQL_IDEM_FIND, "SELECT result_id, request FROM idempotency WHERE member_id = $1"
		    " AND scope = $2 AND key = $3");
STMT(SQL_IDEM_INSERT,
     "INSERT INTO idempotency(member_id, scope, key, request, result_id, created_at)"
     " VALUES ($1, $2, $3, $4, $5, $6)");
STMT(SQL_IDEM_COMPLETE, "UPDATE idempotency SET result_id = $4 WHERE member_id = $1"
			" AND scope = $2 AND key = $3 AND result_id = 0");
STMT(SQL_IDEM_REMOVE, "DELETE FROM idempotency WHERE member_id = $1 AND scope = $2 AND key = $3"
		      " AND result_id = 0");

/* The parameters of a statement on one key: (member, scope, key) as $1..$3. */
static void idem_key(pg_params *p, int64_t member_id, const char *scope, const char *key)
{
	pg_params_init(p);
	pg_param_int(p, member_id);
	pg_param_text(p, scope);
	pg_param_text(p, key);
}

static int idem_find(idem_entry *out, void *self, uow_tx *tx, int64_t member_id, const char *scope,
		     const char *key, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	idem_key(&p, member_id, scope, key);
	if ((rc = pg_db_row(&r, self, tx, SQL_IDEM_FIND, &p, "new idempotency key",
			    "idempotency lookup", err)))
		return rc;
	out->result_id = pg_int(r, 0, 0);
	pg_copy(out->request, sizeof(out->request), r, 0, 1);
	PQclear(r);
	return 0;
}

static int idem_insert(void *self, uow_tx *tx, int64_t member_id, const char *scope,
		       const char *key, const char *request, int64_t result_id, int64_t now,
		       app_err *err)
{
	pg_params p;

	idem_key(&p, member_id, scope, key);
	pg_param_text(&p, request);
	pg_param_int(&p, result_id);
	pg_param_int(&p, now);
	return pg_db_exec(NULL, self, tx, SQL_IDEM_INSERT, &p, "idempotency insert", err);
}

static int idem_complete(void *self, uow_tx *tx, int64_t member_id, const char *scope,
			 const char *key, int64_t result_id, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	idem_key(&p, member_id, scope, key);
	pg_param_int(&p, result_id);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_IDEM_COMPLETE, &p, "idempotency completion",
			     err)))
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such key in flight");
	return 0;
}

static int idem_remove(void *self, uow_tx *tx, int64_t member_id, const char *scope,
		       const char *key, app_err *err)
{
	pg_params p;

	idem_key(&p, member_id, scope, key);
	return pg_db_exec(NULL, self, tx, SQL_IDEM_REMOVE, &p, "idempotency removal", err);
}

static const idempotency_repo_vtbl idem_vtbl = {
    .find = idem_find,
    .insert = idem_insert,
    .complete = idem_complete,
    .remove = idem_remove,
};

idempotency_repo pg_idempotency_repo(pg_db *db)
{
	return (idempotency_repo){.vtbl = &idem_vtbl, .self = db};
}
