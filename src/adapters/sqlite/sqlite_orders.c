/* Points orders and refunds (members core) on SQLite. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <string.h>

#define STMT(name, sql_text) static const char name[] = sql_text

#define ORDER_COLS                                                                                 \
	"id, member_id, provider, order_id, amount, status, payment_key, method, failure_code,"    \
	" refunded, ledger_id, settle_after, created_at, updated_at, paid_at"
#define REFUND_COLS                                                                                \
	"id, order_id, member_id, admin_id, amount, status, reason, cancel_key, failure_code,"     \
	" ledger_id, reversal_id, settle_after, created_at, updated_at"

STMT(SQL_ORDER_INSERT, "INSERT INTO points_orders(member_id, provider, order_id, amount, status,"
		       " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?5)");
STMT(SQL_ORDER_FIND, "SELECT " ORDER_COLS " FROM points_orders WHERE id = ?1");
STMT(SQL_ORDER_BY_ORDER_ID, "SELECT " ORDER_COLS " FROM points_orders WHERE order_id = ?1");
STMT(SQL_ORDER_LIST, "SELECT " ORDER_COLS " FROM points_orders WHERE id < ?1"
		     " AND (?2 = 0 OR member_id = ?2) AND (?3 IS NULL OR status = ?3)"
		     " ORDER BY id DESC LIMIT ?4");
STMT(SQL_ORDER_UNSETTLED, "SELECT id FROM points_orders WHERE status = 'pending' AND id > ?2"
			  " AND settle_after <= ?1 ORDER BY id LIMIT ?3");
STMT(SQL_ORDER_HOLD, "UPDATE points_orders SET payment_key = ?2, settle_after = ?3, updated_at = ?4"
		     " WHERE id = ?1 AND status = 'pending'"
		     " AND (payment_key IS NULL OR payment_key = ?2)");
STMT(SQL_ORDER_PAID, "UPDATE points_orders SET status = 'paid', payment_key = ?2, method = ?3,"
		     " ledger_id = ?4, paid_at = ?5, updated_at = ?5, settle_after = 0"
		     " WHERE id = ?1 AND status = 'pending'");
STMT(SQL_ORDER_CLOSE, "UPDATE points_orders SET status = ?2, failure_code = ?3, updated_at = ?4,"
		      " settle_after = 0 WHERE id = ?1 AND status = 'pending'");
STMT(SQL_ORDER_REFUNDED,
     "UPDATE points_orders SET refunded = refunded + ?2, updated_at = ?3,"
     " status = CASE WHEN refunded + ?2 = amount THEN 'refunded' ELSE 'partially_refunded' END"
     " WHERE id = ?1 AND status IN ('paid', 'partially_refunded') AND refunded + ?2 <= amount");

STMT(SQL_REFUND_INSERT, "INSERT INTO points_refunds(order_id, member_id, admin_id, amount, status,"
			" reason, ledger_id, settle_after, created_at, updated_at)"
			" VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6, ?7, ?8, ?8)");
STMT(SQL_REFUND_FIND, "SELECT " REFUND_COLS " FROM points_refunds WHERE id = ?1");
STMT(SQL_REFUND_UNSETTLED, "SELECT id FROM points_refunds WHERE status = 'pending' AND id > ?2"
			   " AND settle_after <= ?1 ORDER BY id LIMIT ?3");
STMT(SQL_REFUND_HOLD, "UPDATE points_refunds SET settle_after = ?2, updated_at = ?3"
		      " WHERE id = ?1 AND status = 'pending'");
STMT(SQL_REFUND_SETTLE, "UPDATE points_refunds SET status = ?2, cancel_key = ?3, failure_code = ?4,"
			" reversal_id = ?5, updated_at = ?6, settle_after = 0"
			" WHERE id = ?1 AND status = 'pending'");
STMT(SQL_REFUNDS_OF, "SELECT " REFUND_COLS " FROM points_refunds WHERE order_id = ?1"
		     " ORDER BY id DESC LIMIT ?2");

static void text_col(char *out, size_t cap, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(out, cap, "%s", s ? (const char *)s : "");
}

static int order_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	points_order *o = dst;

	memset(o, 0, sizeof(*o));
	o->id = sqlite3_column_int64(st, 0);
	o->member_id = sqlite3_column_int64(st, 1);
	text_col(o->provider, sizeof(o->provider), st, 2);
	text_col(o->order_id, sizeof(o->order_id), st, 3);
	o->amount = sqlite3_column_int64(st, 4);
	o->status = order_status_parse((const char *)sqlite3_column_text(st, 5));
	text_col(o->payment_key, sizeof(o->payment_key), st, 6);
	text_col(o->method, sizeof(o->method), st, 7);
	text_col(o->failure_code, sizeof(o->failure_code), st, 8);
	o->refunded = sqlite3_column_int64(st, 9);
	o->ledger_id = sqlite3_column_int64(st, 10);
	o->settle_after = sqlite3_column_int64(st, 11);
	o->created_at = sqlite3_column_int64(st, 12);
	o->updated_at = sqlite3_column_int64(st, 13);
	o->paid_at = sqlite3_column_int64(st, 14);
	(void)err;
	return 0;
}

static int refund_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	points_refund *r = dst;

	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->order_id = sqlite3_column_int64(st, 1);
	r->member_id = sqlite3_column_int64(st, 2);
	r->admin_id = sqlite3_column_int64(st, 3);
	r->amount = sqlite3_column_int64(st, 4);
	r->status = refund_status_parse((const char *)sqlite3_column_text(st, 5));
	text_col(r->reason, sizeof(r->reason), st, 6);
	text_col(r->cancel_key, sizeof(r->cancel_key), st, 7);
	text_col(r->failure_code, sizeof(r->failure_code), st, 8);
	r->ledger_id = sqlite3_column_int64(st, 9);
	r->reversal_id = sqlite3_column_int64(st, 10);
	r->settle_after = sqlite3_column_int64(st, 11);
	r->created_at = sqlite3_column_int64(st, 12);
	r->updated_at = sqlite3_column_int64(st, 13);
	(void)err;
	return 0;
}

/* Runs an update expected to change one row; APP_ECONFLICT (with msg) when none changed. */
static int update_one(sqlite_db *db, sqlite3_stmt *st, const char *what, const char *msg,
		      app_err *err)
{
	int rc = sqlite_stmt_exec(db, st, what, err);

	if (rc == 0 && sqlite_db_changes(db) == 0)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "%s", msg);
	return rc;
}

static int order_insert(void *self, uow_tx *tx, points_order *o, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ORDER_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, o->member_id);
	sqlite3_bind_text(st, 2, o->provider, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->order_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, o->amount);
	sqlite3_bind_int64(st, 5, o->created_at);
	if ((rc = sqlite_stmt_exec(self, st, "order insert", err)))
		return rc;
	o->id = sqlite_db_last_id(self);
	o->status = ORDER_PENDING;
	o->updated_at = o->created_at;
	return 0;
}

static int order_one(points_order *out, sqlite_db *db, uow_tx *tx, const char *sql, int64_t id,
		     const char *key, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, sql, err)))
		return rc;
	if (key)
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(db, st, "order not found", "order lookup", err)))
		return rc;
	order_row(out, st, NULL);
	sqlite_stmt_done(st);
	return 0;
}

static int order_find(points_order *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	return order_one(out, self, tx, SQL_ORDER_FIND, id, NULL, err);
}

static int order_find_by_order_id(points_order *out, void *self, uow_tx *tx, const char *order_id,
				  app_err *err)
{
	return order_one(out, self, tx, SQL_ORDER_BY_ORDER_ID, 0, order_id, err);
}

static int order_list(points_order *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		      order_status status, int64_t before_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ORDER_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 2, member_id);
	if (status)
		sqlite3_bind_text(st, 3, order_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
	return sqlite_stmt_rows(out, sizeof(*out), n, limit, self, st, order_row, "order list",
				err);
}

/* Ids from a "SELECT id ... ?1 now, ?2 after, ?3 limit" statement. */
static int id_list(int64_t *ids, size_t *n, sqlite_db *db, uow_tx *tx, const char *sql, int64_t now,
		   int64_t after_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, db, tx, sql, err)))
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, after_id);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return sqlite_stmt_rows(ids, sizeof(*ids), n, limit, db, st, sqlite_row_int64,
				"unsettled list", err);
}

static int order_list_unsettled(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
				int64_t after_id, size_t limit, app_err *err)
{
	return id_list(ids, n, self, tx, SQL_ORDER_UNSETTLED, now, after_id, limit, err);
}

static int order_hold(void *self, uow_tx *tx, int64_t id, const char *payment_key,
		      int64_t settle_after, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ORDER_HOLD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (payment_key && *payment_key)
		sqlite3_bind_text(st, 2, payment_key, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	sqlite3_bind_int64(st, 3, settle_after);
	sqlite3_bind_int64(st, 4, now);
	return update_one(self, st, "order hold", "the order is not pending or has another payment",
			  err);
}

static int order_mark_paid(void *self, uow_tx *tx, const points_order *o, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ORDER_PAID, err)))
		return rc;
	sqlite3_bind_int64(st, 1, o->id);
	sqlite3_bind_text(st, 2, o->payment_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, o->method, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, o->ledger_id);
	sqlite3_bind_int64(st, 5, o->paid_at);
	return update_one(self, st, "order paid", "the order is no longer pending", err);
}

static int order_close(void *self, uow_tx *tx, int64_t id, order_status status, const char *code,
		       int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ORDER_CLOSE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, order_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, code, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, now);
	return update_one(self, st, "order close", "the order is no longer pending", err);
}

static int order_add_refunded(void *self, uow_tx *tx, int64_t id, int64_t amount, int64_t now,
			      app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ORDER_REFUNDED, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, amount);
	sqlite3_bind_int64(st, 3, now);
	return update_one(self, st, "order refunded", "the refund exceeds what the order has left",
			  err);
}

static int refund_insert(void *self, uow_tx *tx, points_refund *r, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REFUND_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, r->order_id);
	sqlite3_bind_int64(st, 2, r->member_id);
	sqlite3_bind_int64(st, 3, r->admin_id);
	sqlite3_bind_int64(st, 4, r->amount);
	sqlite3_bind_text(st, 5, r->reason, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, r->ledger_id);
	sqlite3_bind_int64(st, 7, r->settle_after);
	sqlite3_bind_int64(st, 8, r->created_at);
	if ((rc = sqlite_stmt_exec(self, st, "refund insert", err)))
		return rc;
	r->id = sqlite_db_last_id(self);
	r->status = REFUND_PENDING;
	return 0;
}

static int refund_find(points_refund *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REFUND_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(self, st, "refund not found", "refund lookup", err)))
		return rc;
	refund_row(out, st, NULL);
	sqlite_stmt_done(st);
	return 0;
}

static int refunds_unsettled(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
			     int64_t after_id, size_t limit, app_err *err)
{
	return id_list(ids, n, self, tx, SQL_REFUND_UNSETTLED, now, after_id, limit, err);
}

static int refund_hold(void *self, uow_tx *tx, int64_t id, int64_t settle_after, int64_t now,
		       app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REFUND_HOLD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, settle_after);
	sqlite3_bind_int64(st, 3, now);
	return update_one(self, st, "refund hold", "the refund is no longer pending", err);
}

static int refund_settle(void *self, uow_tx *tx, const points_refund *r, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REFUND_SETTLE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, refund_status_name(r->status), -1, SQLITE_STATIC);
	sqlite_bind_text_or_null(st, 3, *r->cancel_key ? r->cancel_key : NULL);
	sqlite_bind_text_or_null(st, 4, *r->failure_code ? r->failure_code : NULL);
	if (r->reversal_id)
		sqlite3_bind_int64(st, 5, r->reversal_id);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int64(st, 6, r->updated_at);
	return update_one(self, st, "refund settle", "the refund is no longer pending", err);
}

static int refunds_of(points_refund *out, size_t *n, void *self, uow_tx *tx, int64_t order_id,
		      size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_REFUNDS_OF, err)))
		return rc;
	sqlite3_bind_int64(st, 1, order_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, self, st, refund_row, "refund list",
				err);
}

static const order_repo_vtbl order_vtbl = {
    .insert = order_insert,
    .find = order_find,
    .find_by_order_id = order_find_by_order_id,
    .list = order_list,
    .list_unsettled = order_list_unsettled,
    .hold = order_hold,
    .mark_paid = order_mark_paid,
    .close = order_close,
    .add_refunded = order_add_refunded,
    .refund_insert = refund_insert,
    .refund_find = refund_find,
    .refunds_unsettled = refunds_unsettled,
    .refund_hold = refund_hold,
    .refund_settle = refund_settle,
    .refunds_of = refunds_of,
};

order_repo sqlite_order_repo(sqlite_db *db)
{
	return (order_repo){.vtbl = &order_vtbl, .self = db};
}
