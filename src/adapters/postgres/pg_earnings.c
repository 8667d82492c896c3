/* Author earnings and payouts (earnings core) on PostgreSQL. */
#include "adapters/postgres/pg_repos.h"

#include <string.h>

#define STMT(name, sql_text) static const char name[] = sql_text

STMT(SQL_EARN_INSERT, "INSERT INTO earnings(author_id, book_id, kind, month, gross, amount, units,"
		      " source, title, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
		      " ON CONFLICT(source) DO NOTHING");
STMT(SQL_BALANCE_ADD,
     "INSERT INTO author_balances(author_id, earned, available) VALUES ($1, $2, $2)"
     " ON CONFLICT(author_id) DO UPDATE SET earned = author_balances.earned + $2,"
     " available = author_balances.available + $2");
STMT(SQL_INCOME_ADD, "INSERT INTO earnings_income(source, month, amount, created_at)"
		     " VALUES ($1, $2, $3, $4) ON CONFLICT(source) DO NOTHING");
STMT(SQL_READ_ADD, "INSERT INTO earnings_reads(month, member_id, book_id, episode, author_id)"
		   " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING");
STMT(SQL_MONTHS_DUE, "SELECT month FROM (SELECT month FROM earnings_income UNION"
		     " SELECT month FROM earnings_reads) m WHERE month < $1 AND month NOT IN"
		     " (SELECT month FROM earnings_months) ORDER BY month LIMIT $2");
STMT(SQL_INCOME_OF, "SELECT coalesce(sum(amount), 0) FROM earnings_income WHERE month = $1");
STMT(SQL_UNITS_OF, "SELECT author_id, book_id, count(*) FROM earnings_reads WHERE month = $1"
		   " GROUP BY book_id, author_id ORDER BY book_id LIMIT $2");
STMT(SQL_SETTLE, "INSERT INTO earnings_months(month, income, distributed, settled_at)"
		 " VALUES ($1, $2, $3, $4)");
STMT(
    SQL_SUMMARY,
    "SELECT coalesce((SELECT earned FROM author_balances WHERE author_id = $1), 0),"
    " coalesce((SELECT available FROM author_balances WHERE author_id = $1), 0),"
    " coalesce((SELECT sum(amount) FROM payouts WHERE author_id = $1 AND status = 'requested'), 0),"
    " coalesce((SELECT sum(amount) FROM payouts WHERE author_id = $1 AND status = 'paid'), 0)");
STMT(SQL_LINES, "SELECT month, book_id, (SELECT t.title FROM earnings t WHERE t.book_id = e.book_id"
		" AND t.title <> '' ORDER BY t.id DESC LIMIT 1),"
		" sum(CASE WHEN kind = 'sale' THEN amount ELSE 0 END),"
		" sum(CASE WHEN kind = 'pool' THEN amount ELSE 0 END), sum(units)"
		" FROM earnings e WHERE author_id = $1 GROUP BY month, book_id"
		" ORDER BY month DESC, book_id LIMIT $2");
/* the guard: two requests at once never take more than the balance */
STMT(SQL_TAKE, "UPDATE author_balances SET available = available - $2"
	       " WHERE author_id = $1 AND available >= $2");
STMT(SQL_PAYOUT_INSERT, "INSERT INTO payouts(author_id, amount, status, requested_at)"
			" VALUES ($1, $2, 'requested', $3) RETURNING id");
#define PAYOUT_COLS "id, author_id, amount, status, reference, paid_by, requested_at, paid_at"
STMT(SQL_PAYOUT_FIND, "SELECT " PAYOUT_COLS " FROM payouts WHERE id = $1");
STMT(SQL_PAYOUTS, "SELECT " PAYOUT_COLS " FROM payouts WHERE id < $1 AND ($2 = 0 OR author_id = $2)"
		  " AND ($3::text IS NULL OR status = $3) ORDER BY id DESC LIMIT $4");
STMT(SQL_PAYOUT_PAID, "UPDATE payouts SET status = 'paid', reference = $2, paid_by = $3,"
		      " paid_at = $4 WHERE id = $1 AND status = 'requested'");

static int earn_record(int *added, void *self, uow_tx *tx, const earning *e, const char *title,
		       app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	*added = 0;
	pg_params_init(&p);
	pg_param_int(&p, e->author_id);
	pg_param_int(&p, e->book_id);
	pg_param_text(&p, earning_kind_name(e->kind));
	pg_param_int(&p, e->month);
	pg_param_int(&p, e->gross);
	pg_param_int(&p, e->amount);
	pg_param_int(&p, e->units);
	pg_param_text(&p, e->source);
	pg_param_text(&p, title ? title : "");
	pg_param_int(&p, e->created_at);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_EARN_INSERT, &p, "earning record", err)))
		return rc;
	if (changed == 0) /* recorded before: at-least-once delivery */
		return 0;
	*added = 1;
	pg_params_init(&p);
	pg_param_int(&p, e->author_id);
	pg_param_int(&p, e->amount);
	return pg_db_exec(NULL, self, tx, SQL_BALANCE_ADD, &p, "author balance", err);
}

static int earn_income_add(void *self, uow_tx *tx, const char *source, int month, int64_t amount,
			   int64_t now, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, source);
	pg_param_int(&p, month);
	pg_param_int(&p, amount);
	pg_param_int(&p, now);
	return pg_db_exec(NULL, self, tx, SQL_INCOME_ADD, &p, "subscription income", err);
}

static int earn_read_add(void *self, uow_tx *tx, int month, int64_t member_id, int64_t book_id,
			 int number, int64_t author_id, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, month);
	pg_param_int(&p, member_id);
	pg_param_int(&p, book_id);
	pg_param_int(&p, number);
	pg_param_int(&p, author_id);
	return pg_db_exec(NULL, self, tx, SQL_READ_ADD, &p, "subscriber read", err);
}

static int month_row(void *dst, const PGresult *r, int row, app_err *err)
{
	(void)err;
	*(int *)dst = (int)pg_int(r, row, 0);
	return 0;
}

/* $1 an integer (a month, an author), $2 a limit */
static void with_limit(pg_params *p, int64_t v, size_t cap)
{
	pg_params_init(p);
	pg_param_int(p, v);
	pg_param_int(p, (int64_t)cap);
}

static int earn_months_due(int *out, size_t *n, void *self, uow_tx *tx, int before, size_t cap,
			   app_err *err)
{
	pg_params p;

	with_limit(&p, before, cap);
	return pg_db_rows(out, sizeof(*out), n, cap, self, tx, SQL_MONTHS_DUE, &p, month_row,
			  "months", err);
}

static int earn_income_of(int64_t *out, void *self, uow_tx *tx, int month, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, month);
	return pg_db_int(out, self, tx, SQL_INCOME_OF, &p, "income", err);
}

static int units_row(void *dst, const PGresult *r, int row, app_err *err)
{
	pool_units *u = dst;

	u->author_id = pg_int(r, row, 0);
	u->book_id = pg_int(r, row, 1);
	u->units = pg_int(r, row, 2);
	(void)err;
	return 0;
}

static int earn_units_of(pool_units *out, size_t *n, void *self, uow_tx *tx, int month, size_t cap,
			 app_err *err)
{
	pg_params p;

	with_limit(&p, month, cap);
	return pg_db_rows(out, sizeof(*out), n, cap, self, tx, SQL_UNITS_OF, &p, units_row, "units",
			  err);
}

static int earn_settle(void *self, uow_tx *tx, int month, int64_t income, int64_t distributed,
		       int64_t now, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, month);
	pg_param_int(&p, income);
	pg_param_int(&p, distributed);
	pg_param_int(&p, now);
	return pg_db_exec(NULL, self, tx, SQL_SETTLE, &p, "month settle", err);
}

static int earn_summary(earnings_summary *out, void *self, uow_tx *tx, int64_t author_id,
			app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, author_id);
	if ((rc = pg_db_row(&r, self, tx, SQL_SUMMARY, &p, "no summary", "earnings summary", err)))
		return rc;
	out->earned = pg_int(r, 0, 0);
	out->available = pg_int(r, 0, 1);
	out->requested = pg_int(r, 0, 2);
	out->paid_out = pg_int(r, 0, 3);
	PQclear(r);
	return 0;
}

static int earnings_line_read(void *dst, const PGresult *r, int row, app_err *err)
{
	earnings_line *l = dst;

	l->month = (int)pg_int(r, row, 0);
	l->book_id = pg_int(r, row, 1);
	pg_copy(l->title, sizeof(l->title), r, row, 2);
	l->sales = pg_int(r, row, 3);
	l->pool = pg_int(r, row, 4);
	l->units = pg_int(r, row, 5);
	(void)err;
	return 0;
}

static int earn_lines(earnings_line *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		      size_t cap, app_err *err)
{
	pg_params p;

	with_limit(&p, author_id, cap);
	return pg_db_rows(out, sizeof(*out), n, cap, self, tx, SQL_LINES, &p, earnings_line_read,
			  "lines", err);
}

static int payout_row(void *dst, const PGresult *r, int row, app_err *err)
{
	payout *p = dst;

	memset(p, 0, sizeof(*p));
	p->id = pg_int(r, row, 0);
	p->author_id = pg_int(r, row, 1);
	p->amount = pg_int(r, row, 2);
	p->status = strcmp(pg_text(r, row, 3), "paid") == 0 ? PAYOUT_PAID : PAYOUT_REQUESTED;
	pg_copy(p->reference, sizeof(p->reference), r, row, 4);
	p->paid_by = pg_int(r, row, 5);
	p->requested_at = pg_int(r, row, 6);
	p->paid_at = pg_int(r, row, 7);
	(void)err;
	return 0;
}

static int earn_payout_insert(void *self, uow_tx *tx, payout *po, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, po->author_id);
	pg_param_int(&p, po->amount);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_TAKE, &p, "payout take", err)))
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_EINSUFFICIENT, NULL, NULL, "not that much available");
	pg_param_int(&p, po->requested_at);
	return pg_db_int(&po->id, self, tx, SQL_PAYOUT_INSERT, &p, "payout insert", err);
}

static int earn_payout_find(payout *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	if ((rc = pg_db_row(&r, self, tx, SQL_PAYOUT_FIND, &p, "payout not found", "payout lookup",
			    err)))
		return rc;
	payout_row(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static int earn_payouts(payout *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
			payout_status status, int64_t before_id, size_t limit, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, before_id > 0 ? before_id : INT64_MAX);
	pg_param_int(&p, author_id);
	pg_param_text(&p, status ? payout_status_name(status) : NULL);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(out, sizeof(*out), n, limit, self, tx, SQL_PAYOUTS, &p, payout_row,
			  "payouts", err);
}

static int earn_payout_paid(void *self, uow_tx *tx, int64_t id, const char *reference,
			    int64_t admin_id, int64_t now, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_text(&p, reference);
	pg_param_int(&p, admin_id);
	pg_param_int(&p, now);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_PAYOUT_PAID, &p, "payout paid", err)))
		return rc;
	return changed ? 0 : app_err_set(err, APP_ECONFLICT, NULL, NULL, "not requested");
}

static const earnings_repo_vtbl earnings_vtbl = {
    .record = earn_record,
    .income_add = earn_income_add,
    .read_add = earn_read_add,
    .months_due = earn_months_due,
    .income_of = earn_income_of,
    .units_of = earn_units_of,
    .settle = earn_settle,
    .summary = earn_summary,
    .lines = earn_lines,
    .payout_insert = earn_payout_insert,
    .payout_find = earn_payout_find,
    .payouts = earn_payouts,
    .payout_paid = earn_payout_paid,
};

earnings_repo pg_earnings_repo(pg_db *db)
{
	return (earnings_repo){.vtbl = &earnings_vtbl, .self = db};
}
