/* Points orders and refunds (members core) on PostgreSQL. */
#include "adapters/postgres/pg_repos.h"

#include <string.h>

#define STMT(name, sql_text) static const char name[] = sql_text

#define ORDER_COLS                                                                                 \
	"id, member_id, provider, order_id, amount, status, payment_key, method, failure_code,"    \
	" refunded, ledger_id, settle_after, created_at, updated_at, paid_at"
#define REFUND_COLS                                                                                \
	"id, order_id, member_id, admin_id, amount, status, reason, cancel_key, failure_code,"     \
	" ledger_id, reversal_id, settle_after, created_at, updated_at"

STMT(SQL_ORDER_INSERT, "INSERT INTO points_orders(member_id, provider, order_id, amount, status,"
		       " created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', $5, $5)"
		       " RETURNING id");
STMT(SQL_ORDER_FIND, "SELECT " ORDER_COLS " FROM points_orders WHERE id = $1");
STMT(SQL_ORDER_BY_ORDER_ID, "SELECT " ORDER_COLS " FROM points_orders WHERE order_id = $1");
STMT(SQL_ORDER_LIST, "SELECT " ORDER_COLS " FROM points_orders WHERE id < $1"
		     " AND ($2 = 0 OR member_id = $2) AND ($3::text IS NULL OR status = $3)"
		     " ORDER BY id DESC LIMIT $4");
STMT(SQL_ORDER_UNSETTLED, "SELECT id FROM points_orders WHERE status = 'pending' AND id > $2"
			  " AND settle_after <= $1 ORDER BY id LIMIT $3");
STMT(SQL_ORDER_HOLD, "UPDATE points_orders SET payment_key = $2, settle_after = $3, updated_at = $4"
		     " WHERE id = $1 AND status = 'pending'"
		     " AND (payment_key IS NULL OR payment_key = $2)");
STMT(SQL_ORDER_PAID, "UPDATE points_orders SET status = 'paid', payment_key = $2, method = $3,"
		     " ledger_id = $4, paid_at = $5, updated_at = $5, settle_after = 0"
		     " WHERE id = $1 AND status = 'pending'");
STMT(SQL_ORDER_CLOSE, "UPDATE points_orders SET status = $2, failure_code = $3, updated_at = $4,"
		      " settle_after = 0 WHERE id = $1 AND status = 'pending'");
STMT(SQL_ORDER_REFUNDED,
     "UPDATE points_orders SET refunded = refunded + $2, updated_at = $3,"
     " status = CASE WHEN refunded + $2 = amount THEN 'refunded' ELSE 'partially_refunded' END"
     " WHERE id = $1 AND status IN ('paid', 'partially_refunded') AND refunded + $2 <= amount");
STMT(SQL_REFUND_INSERT, "INSERT INTO points_refunds(order_id, member_id, admin_id, amount, status,"
			" reason, ledger_id, settle_after, created_at, updated_at)"
			" VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $8) RETURNING id");
STMT(SQL_REFUND_FIND, "SELECT " REFUND_COLS " FROM points_refunds WHERE id = $1");
STMT(SQL_REFUND_UNSETTLED, "SELECT id FROM points_refunds WHERE status = 'pending' AND id > $2"
			   " AND settle_after <= $1 ORDER BY id LIMIT $3");
STMT(SQL_REFUND_HOLD, "UPDATE points_refunds SET settle_after = $2, updated_at = $3"
		      " WHERE id = $1 AND status = 'pending'");
STMT(SQL_REFUND_SETTLE, "UPDATE points_refunds SET status = $2, cancel_key = $3, failure_code = $4,"
			" reversal_id = $5, updated_at = $6, settle_after = 0"
			" WHERE id = $1 AND status = 'pending'");
STMT(SQL_REFUNDS_OF, "SELECT " REFUND_COLS " FROM points_refunds WHERE order_id = $1"
		     " ORDER BY id DESC LIMIT $2");

static int order_row(void *dst, const PGresult *r, int row, app_err *err)
{
	points_order *o = dst;

	memset(o, 0, sizeof(*o));
	o->id = pg_int(r, row, 0);
	o->member_id = pg_int(r, row, 1);
	pg_copy(o->provider, sizeof(o->provider), r, row, 2);
	pg_copy(o->order_id, sizeof(o->order_id), r, row, 3);
	o->amount = pg_int(r, row, 4);
	o->status = order_status_parse(pg_text(r, row, 5));
	pg_copy(o->payment_key, sizeof(o->payment_key), r, row, 6);
	pg_copy(o->method, sizeof(o->method), r, row, 7);
	pg_copy(o->failure_code, sizeof(o->failure_code), r, row, 8);
	o->refunded = pg_int(r, row, 9);
	o->ledger_id = pg_int(r, row, 10);
	o->settle_after = pg_int(r, row, 11);
	o->created_at = pg_int(r, row, 12);
	o->updated_at = pg_int(r, row, 13);
	o->paid_at = pg_int(r, row, 14);
	(void)err;
	return 0;
}

static int refund_row(void *dst, const PGresult *r, int row, app_err *err)
{
	points_refund *f = dst;

	memset(f, 0, sizeof(*f));
	f->id = pg_int(r, row, 0);
	f->order_id = pg_int(r, row, 1);
	f->member_id = pg_int(r, row, 2);
	f->admin_id = pg_int(r, row, 3);
	f->amount = pg_int(r, row, 4);
	f->status = refund_status_parse(pg_text(r, row, 5));
	pg_copy(f->reason, sizeof(f->reason), r, row, 6);
	pg_copy(f->cancel_key, sizeof(f->cancel_key), r, row, 7);
	pg_copy(f->failure_code, sizeof(f->failure_code), r, row, 8);
	f->ledger_id = pg_int(r, row, 9);
	f->reversal_id = pg_int(r, row, 10);
	f->settle_after = pg_int(r, row, 11);
	f->created_at = pg_int(r, row, 12);
	f->updated_at = pg_int(r, row, 13);
	(void)err;
	return 0;
}

/* Runs an update expected to change one row; APP_ECONFLICT (with msg) when none changed. */
static int update_one(pg_db *db, uow_tx *tx, const char *sql, const pg_params *p, const char *what,
		      const char *msg, app_err *err)
{
	int64_t changed;
	int rc = pg_db_exec(&changed, db, tx, sql, p, what, err);

	if (rc == 0 && changed == 0)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "%s", msg);
	return rc;
}

static int order_insert(void *self, uow_tx *tx, points_order *o, app_err *err)
{
	pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, o->member_id);
	pg_param_text(&p, o->provider);
	pg_param_text(&p, o->order_id);
	pg_param_int(&p, o->amount);
	pg_param_int(&p, o->created_at);
	if ((rc = pg_db_int(&o->id, self, tx, SQL_ORDER_INSERT, &p, "order insert", err)))
		return rc;
	o->status = ORDER_PENDING;
	o->updated_at = o->created_at;
	return 0;
}

/* The one row of a (reader) lookup by p. */
static int one_row(void *out, pg_row_reader read, pg_db *db, uow_tx *tx, const char *sql,
		   const pg_params *p, const char *notfound, app_err *err)
{
	PGresult *r;
	int rc = pg_db_row(&r, db, tx, sql, p, notfound, "lookup", err);

	if (rc)
		return rc;
	read(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static int order_find(points_order *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	return one_row(out, order_row, self, tx, SQL_ORDER_FIND, &p, "order not found", err);
}

static int order_find_by_order_id(points_order *out, void *self, uow_tx *tx, const char *order_id,
				  app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, order_id);
	return one_row(out, order_row, self, tx, SQL_ORDER_BY_ORDER_ID, &p, "order not found", err);
}

static int order_list(points_order *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		      order_status status, int64_t before_id, size_t limit, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, before_id > 0 ? before_id : INT64_MAX);
	pg_param_int(&p, member_id);
	pg_param_text(&p, status ? order_status_name(status) : NULL);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(out, sizeof(*out), n, limit, self, tx, SQL_ORDER_LIST, &p, order_row,
			  "order list", err);
}

/* Ids from a "SELECT id ... $1 now, $2 after, $3 limit" statement. */
static int id_list(int64_t *ids, size_t *n, pg_db *db, uow_tx *tx, const char *sql, int64_t now,
		   int64_t after_id, size_t limit, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, now);
	pg_param_int(&p, after_id);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(ids, sizeof(*ids), n, limit, db, tx, sql, &p, pg_row_int64,
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
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_text(&p, payment_key && *payment_key ? payment_key : NULL);
	pg_param_int(&p, settle_after);
	pg_param_int(&p, now);
	return update_one(self, tx, SQL_ORDER_HOLD, &p, "order hold",
			  "the order is not pending or has another payment", err);
}

static int order_mark_paid(void *self, uow_tx *tx, const points_order *o, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, o->id);
	pg_param_text(&p, o->payment_key);
	pg_param_text(&p, o->method);
	pg_param_int(&p, o->ledger_id);
	pg_param_int(&p, o->paid_at);
	return update_one(self, tx, SQL_ORDER_PAID, &p, "order paid",
			  "the order is no longer pending", err);
}

static int order_close(void *self, uow_tx *tx, int64_t id, order_status status, const char *code,
		       int64_t now, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_text(&p, order_status_name(status));
	pg_param_text(&p, code);
	pg_param_int(&p, now);
	return update_one(self, tx, SQL_ORDER_CLOSE, &p, "order close",
			  "the order is no longer pending", err);
}

static int order_add_refunded(void *self, uow_tx *tx, int64_t id, int64_t amount, int64_t now,
			      app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_int(&p, amount);
	pg_param_int(&p, now);
	return update_one(self, tx, SQL_ORDER_REFUNDED, &p, "order refunded",
			  "the refund exceeds what the order has left", err);
}

static int refund_insert(void *self, uow_tx *tx, points_refund *f, app_err *err)
{
	pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, f->order_id);
	pg_param_int(&p, f->member_id);
	pg_param_int(&p, f->admin_id);
	pg_param_int(&p, f->amount);
	pg_param_text(&p, f->reason);
	pg_param_int(&p, f->ledger_id);
	pg_param_int(&p, f->settle_after);
	pg_param_int(&p, f->created_at);
	if ((rc = pg_db_int(&f->id, self, tx, SQL_REFUND_INSERT, &p, "refund insert", err)))
		return rc;
	f->status = REFUND_PENDING;
	return 0;
}

static int refund_find(points_refund *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	return one_row(out, refund_row, self, tx, SQL_REFUND_FIND, &p, "refund not found", err);
}

static int refunds_unsettled(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
			     int64_t after_id, size_t limit, app_err *err)
{
	return id_list(ids, n, self, tx, SQL_REFUND_UNSETTLED, now, after_id, limit, err);
}

static int refund_hold(void *self, uow_tx *tx, int64_t id, int64_t settle_after, int64_t now,
		       app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_int(&p, settle_after);
	pg_param_int(&p, now);
	return update_one(self, tx, SQL_REFUND_HOLD, &p, "refund hold",
			  "the refund is no longer pending", err);
}

static int refund_settle(void *self, uow_tx *tx, const points_refund *f, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, f->id);
	pg_param_text(&p, refund_status_name(f->status));
	pg_param_text(&p, *f->cancel_key ? f->cancel_key : NULL);
	pg_param_text(&p, *f->failure_code ? f->failure_code : NULL);
	pg_param_id(&p, f->reversal_id);
	pg_param_int(&p, f->updated_at);
	return update_one(self, tx, SQL_REFUND_SETTLE, &p, "refund settle",
			  "the refund is no longer pending", err);
}

static int refunds_of(points_refund *out, size_t *n, void *self, uow_tx *tx, int64_t order_id,
		      size_t cap, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, order_id);
	pg_param_int(&p, (int64_t)cap);
	return pg_db_rows(out, sizeof(*out), n, cap, self, tx, SQL_REFUNDS_OF, &p, refund_row,
			  "refund list", err);
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

order_repo pg_order_repo(pg_db *db)
{
	return (order_repo){.vtbl = &order_vtbl, .self = db};
}
