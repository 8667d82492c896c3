/* Author earnings and payouts (earnings core) on SQLite. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <string.h>

#define STMT(name, sql_text) static const char name[] = sql_text

STMT(SQL_EARN_INSERT, "INSERT INTO earnings(author_id, book_id, kind, month, gross, amount, units,"
		      " source, title, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		      " ON CONFLICT(source) DO NOTHING");
STMT(SQL_BALANCE_ADD,
     "INSERT INTO author_balances(author_id, earned, available) VALUES (?1, ?2, ?2)"
     " ON CONFLICT(author_id) DO UPDATE SET earned = earned + ?2,"
     " available = available + ?2");
STMT(SQL_INCOME_ADD, "INSERT INTO earnings_income(source, month, amount, created_at)"
		     " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(source) DO NOTHING");
STMT(SQL_READ_ADD, "INSERT INTO earnings_reads(month, member_id, book_id, episode, author_id)"
		   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING");
STMT(SQL_MONTHS_DUE, "SELECT month FROM (SELECT month FROM earnings_income UNION"
		     " SELECT month FROM earnings_reads) WHERE month < ?1 AND month NOT IN"
		     " (SELECT month FROM earnings_months) ORDER BY month LIMIT ?2");
STMT(SQL_INCOME_OF, "SELECT coalesce(sum(amount), 0) FROM earnings_income WHERE month = ?1");
STMT(SQL_UNITS_OF, "SELECT author_id, book_id, count(*) FROM earnings_reads WHERE month = ?1"
		   " GROUP BY book_id, author_id ORDER BY book_id LIMIT ?2");
STMT(SQL_SETTLE, "INSERT INTO earnings_months(month, income, distributed, settled_at)"
		 " VALUES (?1, ?2, ?3, ?4)");
STMT(
    SQL_SUMMARY,
    "SELECT coalesce((SELECT earned FROM author_balances WHERE author_id = ?1), 0),"
    " coalesce((SELECT available FROM author_balances WHERE author_id = ?1), 0),"
    " coalesce((SELECT sum(amount) FROM payouts WHERE author_id = ?1 AND status = 'requested'), 0),"
    " coalesce((SELECT sum(amount) FROM payouts WHERE author_id = ?1 AND status = 'paid'), 0)");
STMT(SQL_LINES, "SELECT month, book_id, (SELECT t.title FROM earnings t WHERE t.book_id = e.book_id"
		" AND t.title <> '' ORDER BY t.id DESC LIMIT 1),"
		" sum(CASE WHEN kind = 'sale' THEN amount ELSE 0 END),"
		" sum(CASE WHEN kind = 'pool' THEN amount ELSE 0 END), sum(units)"
		" FROM earnings e WHERE author_id = ?1 GROUP BY month, book_id"
		" ORDER BY month DESC, book_id LIMIT ?2");
STMT(SQL_TAKE, "UPDATE author_balances SET available = available - ?2"
	       " WHERE author_id = ?1 AND available >= ?2");
STMT(SQL_PAYOUT_INSERT, "INSERT INTO payouts(author_id, amount, status, requested_at)"
			" VALUES (?1, ?2, 'requested', ?3)");
#define PAYOUT_COLS "id, author_id, amount, status, reference, paid_by, requested_at, paid_at"
STMT(SQL_PAYOUT_FIND, "SELECT " PAYOUT_COLS " FROM payouts WHERE id = ?1");
STMT(SQL_PAYOUTS, "SELECT " PAYOUT_COLS " FROM payouts WHERE id < ?1 AND (?2 = 0 OR author_id = ?2)"
		  " AND (?3 IS NULL OR status = ?3) ORDER BY id DESC LIMIT ?4");
STMT(SQL_PAYOUT_PAID, "UPDATE payouts SET status = 'paid', reference = ?2, paid_by = ?3,"
		      " paid_at = ?4 WHERE id = ?1 AND status = 'requested'");

static int earn_record(int *added, void *self, uow_tx *tx, const earning *e, const char *title,
		       app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*added = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_EARN_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, e->author_id);
	sqlite3_bind_int64(st, 2, e->book_id);
	sqlite3_bind_text(st, 3, earning_kind_name(e->kind), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, e->month);
	sqlite3_bind_int64(st, 5, e->gross);
	sqlite3_bind_int64(st, 6, e->amount);
	sqlite3_bind_int64(st, 7, e->units);
	sqlite3_bind_text(st, 8, e->source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, title ? title : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, e->created_at);
	if ((rc = sqlite_stmt_exec(self, st, "earning record", err)))
		return rc;
	if (sqlite_db_changes(self) == 0) /* recorded before: at-least-once delivery */
		return 0;
	*added = 1;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_BALANCE_ADD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, e->author_id);
	sqlite3_bind_int64(st, 2, e->amount);
	return sqlite_stmt_exec(self, st, "author balance", err);
}

static int earn_income_add(void *self, uow_tx *tx, const char *source, int month, int64_t amount,
			   int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_INCOME_ADD, err)))
		return rc;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, month);
	sqlite3_bind_int64(st, 3, amount);
	sqlite3_bind_int64(st, 4, now);
	return sqlite_stmt_exec(self, st, "subscription income", err);
}

static int earn_read_add(void *self, uow_tx *tx, int month, int64_t member_id, int64_t book_id,
			 int number, int64_t author_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_READ_ADD, err)))
		return rc;
	sqlite3_bind_int(st, 1, month);
	sqlite3_bind_int64(st, 2, member_id);
	sqlite3_bind_int64(st, 3, book_id);
	sqlite3_bind_int(st, 4, number);
	sqlite3_bind_int64(st, 5, author_id);
	return sqlite_stmt_exec(self, st, "subscriber read", err);
}

static int earn_months_due(int *out, size_t *n, void *self, uow_tx *tx, int before, size_t cap,
			   app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_MONTHS_DUE, err)))
		return rc;
	sqlite3_bind_int(st, 1, before);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, self, st, sqlite_row_int, "months", err);
}

static int earn_income_of(int64_t *out, void *self, uow_tx *tx, int month, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_INCOME_OF, err)))
		return rc;
	sqlite3_bind_int(st, 1, month);
	if ((rc = sqlite_stmt_row(self, st, "no income", "income", err)))
		return rc;
	*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

static int earn_units_of(pool_units *out, size_t *n, void *self, uow_tx *tx, int month, size_t cap,
			 app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_UNITS_OF, err)))
		return rc;
	sqlite3_bind_int(st, 1, month);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
		out[*n].author_id = sqlite3_column_int64(st, 0);
		out[*n].book_id = sqlite3_column_int64(st, 1);
		out[(*n)++].units = sqlite3_column_int64(st, 2);
	}
	sqlite_stmt_done(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : sqlite_db_error(self, rc, "units", err);
}

static int earn_settle(void *self, uow_tx *tx, int month, int64_t income, int64_t distributed,
		       int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SETTLE, err)))
		return rc;
	sqlite3_bind_int(st, 1, month);
	sqlite3_bind_int64(st, 2, income);
	sqlite3_bind_int64(st, 3, distributed);
	sqlite3_bind_int64(st, 4, now);
	return sqlite_stmt_exec(self, st, "month settle", err);
}

static int earn_summary(earnings_summary *out, void *self, uow_tx *tx, int64_t author_id,
			app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SUMMARY, err)))
		return rc;
	sqlite3_bind_int64(st, 1, author_id);
	if ((rc = sqlite_stmt_row(self, st, "no summary", "earnings summary", err)))
		return rc;
	out->earned = sqlite3_column_int64(st, 0);
	out->available = sqlite3_column_int64(st, 1);
	out->requested = sqlite3_column_int64(st, 2);
	out->paid_out = sqlite3_column_int64(st, 3);
	sqlite_stmt_done(st);
	return 0;
}

static int earnings_line_read(void *dst, sqlite3_stmt *st, app_err *err)
{
	earnings_line *l = dst;
	const unsigned char *t = sqlite3_column_text(st, 2);

	l->month = sqlite3_column_int(st, 0);
	l->book_id = sqlite3_column_int64(st, 1);
	snprintf(l->title, sizeof(l->title), "%s", t ? (const char *)t : "");
	l->sales = sqlite3_column_int64(st, 3);
	l->pool = sqlite3_column_int64(st, 4);
	l->units = sqlite3_column_int64(st, 5);
	(void)err;
	return 0;
}

static int earn_lines(earnings_line *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		      size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_LINES, err)))
		return rc;
	sqlite3_bind_int64(st, 1, author_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, self, st, earnings_line_read, "lines",
				err);
}

static int payout_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	payout *p = dst;
	const unsigned char *ref = sqlite3_column_text(st, 4);

	memset(p, 0, sizeof(*p));
	p->id = sqlite3_column_int64(st, 0);
	p->author_id = sqlite3_column_int64(st, 1);
	p->amount = sqlite3_column_int64(st, 2);
	p->status = strcmp((const char *)sqlite3_column_text(st, 3), "paid") == 0
			? PAYOUT_PAID
			: PAYOUT_REQUESTED;
	snprintf(p->reference, sizeof(p->reference), "%s", ref ? (const char *)ref : "");
	p->paid_by = sqlite3_column_int64(st, 5);
	p->requested_at = sqlite3_column_int64(st, 6);
	p->paid_at = sqlite3_column_int64(st, 7);
	(void)err;
	return 0;
}

static int earn_payout_insert(void *self, uow_tx *tx, payout *p, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	/* the guard: two requests at once never take more than the balance */
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_TAKE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, p->author_id);
	sqlite3_bind_int64(st, 2, p->amount);
	if ((rc = sqlite_stmt_exec(self, st, "payout take", err)))
		return rc;
	if (sqlite_db_changes(self) == 0)
		return app_err_set(err, APP_EINSUFFICIENT, NULL, NULL, "not that much available");
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PAYOUT_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, p->author_id);
	sqlite3_bind_int64(st, 2, p->amount);
	sqlite3_bind_int64(st, 3, p->requested_at);
	if ((rc = sqlite_stmt_exec(self, st, "payout insert", err)))
		return rc;
	p->id = sqlite_db_last_id(self);
	return 0;
}

static int earn_payout_find(payout *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PAYOUT_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(self, st, "payout not found", "payout lookup", err)))
		return rc;
	payout_row(out, st, NULL);
	sqlite_stmt_done(st);
	return 0;
}

static int earn_payouts(payout *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
			payout_status status, int64_t before_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PAYOUTS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 2, author_id);
	if (status)
		sqlite3_bind_text(st, 3, payout_status_name(status), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
	return sqlite_stmt_rows(out, sizeof(*out), n, limit, self, st, payout_row, "payouts", err);
}

static int earn_payout_paid(void *self, uow_tx *tx, int64_t id, const char *reference,
			    int64_t admin_id, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PAYOUT_PAID, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, reference, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, admin_id);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = sqlite_stmt_exec(self, st, "payout paid", err)))
		return rc;
	return sqlite_db_changes(self)
		   ? 0
		   : app_err_set(err, APP_ECONFLICT, NULL, NULL, "not requested");
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

earnings_repo sqlite_earnings_repo(sqlite_db *db)
{
	return (earnings_repo){.vtbl = &earnings_vtbl, .self = db};
}
