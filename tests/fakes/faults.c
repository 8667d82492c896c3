#include "fakes/faults.h"

#include <string.h>

/* 1 (with err set) when this call is the one to fail. */
static int hit(fault_storage *f, app_err *err)
{
	if (++f->calls != f->fail_at)
		return 0;
	f->failed = 1;
	app_err_set(err, f->fail_rc ? f->fail_rc : APP_EUNAVAILABLE, NULL, NULL,
		    "injected storage failure at call %d", f->calls);
	return 1;
}

#define FAIL(f, err)                                                                               \
	do {                                                                                       \
		if (hit((f), (err)))                                                               \
			return err ? (err)->code : APP_EUNAVAILABLE;                               \
	} while (0)

/* --- members ------------------------------------------------------------------------------ */

static int m_insert(void *self, uow_tx *tx, member *m, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return member_repo_insert(&f->members, tx, m, err);
}

static int m_find_by_id(member *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return member_repo_find_by_id(out, &f->members, tx, id, err);
}

static int m_find_by_email(member *out, void *self, uow_tx *tx, const char *email, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return member_repo_find_by_email(out, &f->members, tx, email, err);
}

static int m_add_roles(void *self, uow_tx *tx, int64_t id, unsigned roles, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return member_repo_add_roles(&f->members, tx, id, roles, err);
}

static int m_credit(int64_t *balance, void *self, uow_tx *tx, int64_t id, int64_t amount,
		    app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return member_repo_credit(balance, &f->members, tx, id, amount, err);
}

static int m_debit(int64_t *balance, void *self, uow_tx *tx, int64_t id, int64_t amount,
		   app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return member_repo_debit(balance, &f->members, tx, id, amount, err);
}

static int m_totals(member_totals *out, void *self, uow_tx *tx, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return member_repo_totals(out, &f->members, tx, err);
}

static const member_repo_vtbl m_vtbl = {
    .insert = m_insert,
    .find_by_id = m_find_by_id,
    .find_by_email = m_find_by_email,
    .add_roles = m_add_roles,
    .credit = m_credit,
    .debit = m_debit,
    .totals = m_totals,
};

/* --- ledger and idempotency ------------------------------------------------------------------ */

static int l_append(void *self, uow_tx *tx, ledger_entry *e, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return ledger_repo_append(&f->ledger, tx, e, err);
}

static int l_find(ledger_entry *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return ledger_repo_find(out, &f->ledger, tx, id, err);
}

static int l_list(ledger_entry *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		  int64_t before_id, size_t limit, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return ledger_repo_list(out, n, &f->ledger, tx, member_id, before_id, limit, err);
}

static const ledger_repo_vtbl l_vtbl = {.append = l_append, .find = l_find, .list = l_list};

static int i_find(idem_entry *out, void *self, uow_tx *tx, int64_t member_id, const char *scope,
		  const char *key, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return idempotency_repo_find(out, &f->idempotency, tx, member_id, scope, key, err);
}

static int i_insert(void *self, uow_tx *tx, int64_t member_id, const char *scope, const char *key,
		    const char *request, int64_t result_id, int64_t now, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return idempotency_repo_insert(&f->idempotency, tx, member_id, scope, key, request,
				       result_id, now, err);
}

static int i_complete(void *self, uow_tx *tx, int64_t member_id, const char *scope, const char *key,
		      int64_t result_id, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return idempotency_repo_complete(&f->idempotency, tx, member_id, scope, key, result_id,
					 err);
}

static int i_remove(void *self, uow_tx *tx, int64_t member_id, const char *scope, const char *key,
		    app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return idempotency_repo_remove(&f->idempotency, tx, member_id, scope, key, err);
}

static const idempotency_repo_vtbl i_vtbl = {
    .find = i_find,
    .insert = i_insert,
    .complete = i_complete,
    .remove = i_remove,
};

/* --- unit of work and events --------------------------------------------------------------------
 */

static int u_begin(uow_tx **tx, void *self, app_err *err)
{
	fault_storage *f = self;
	int rc;

	FAIL(f, err);
	/* the inner unit's own handle; uow_begin() then points its ends at this decorator */
	if ((rc = f->uow.vtbl->begin(tx, f->uow.self, err)))
		return rc;
	return 0;
}

static int u_commit(void *self, uow_tx *tx, app_err *err)
{
	fault_storage *f = self;

	if (hit(f, err)) {
		f->uow.vtbl->rollback(f->uow.self, tx); /* a failed COMMIT leaves nothing */
		return err ? err->code : APP_EUNAVAILABLE;
	}
	return f->uow.vtbl->commit(f->uow.self, tx, err);
}

static void u_rollback(void *self, uow_tx *tx)
{
	fault_storage *f = self;

	f->uow.vtbl->rollback(f->uow.self, tx);
}

static const uow_vtbl u_vtbl = {.begin = u_begin, .commit = u_commit, .rollback = u_rollback};

static int e_publish(void *self, uow_tx *tx, domain_event *ev, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return f->events.vtbl->publish(f->events.self, tx, ev, err);
}

static const event_publisher_vtbl e_vtbl = {.publish = e_publish};

/* --- orders --------------------------------------------------------------------------------- */

static int o_insert(void *self, uow_tx *tx, points_order *o, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_insert(&f->orders, tx, o, err);
}

static int o_find(points_order *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_find(out, &f->orders, tx, id, err);
}

static int o_find_by_order_id(points_order *out, void *self, uow_tx *tx, const char *order_id,
			      app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_find_by_order_id(out, &f->orders, tx, order_id, err);
}

static int o_list(points_order *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		  order_status status, int64_t before_id, size_t limit, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_list(out, n, &f->orders, tx, member_id, status, before_id, limit, err);
}

static int o_list_unsettled(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
			    int64_t after_id, size_t limit, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_list_unsettled(ids, n, &f->orders, tx, now, after_id, limit, err);
}

static int o_hold(void *self, uow_tx *tx, int64_t id, const char *key, int64_t settle_after,
		  int64_t now, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_hold(&f->orders, tx, id, key, settle_after, now, err);
}

static int o_mark_paid(void *self, uow_tx *tx, const points_order *o, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_mark_paid(&f->orders, tx, o, err);
}

static int o_close(void *self, uow_tx *tx, int64_t id, order_status st, const char *code,
		   int64_t now, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_close(&f->orders, tx, id, st, code, now, err);
}

static int o_add_refunded(void *self, uow_tx *tx, int64_t id, int64_t amount, int64_t now,
			  app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_add_refunded(&f->orders, tx, id, amount, now, err);
}

static int o_refund_insert(void *self, uow_tx *tx, points_refund *r, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_refund_insert(&f->orders, tx, r, err);
}

static int o_refund_find(points_refund *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_refund_find(out, &f->orders, tx, id, err);
}

static int o_refunds_unsettled(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
			       int64_t after_id, size_t limit, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_refunds_unsettled(ids, n, &f->orders, tx, now, after_id, limit, err);
}

static int o_refund_hold(void *self, uow_tx *tx, int64_t id, int64_t settle_after, int64_t now,
			 app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_refund_hold(&f->orders, tx, id, settle_after, now, err);
}

static int o_refund_settle(void *self, uow_tx *tx, const points_refund *r, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_refund_settle(&f->orders, tx, r, err);
}

static int o_refunds_of(points_refund *out, size_t *n, void *self, uow_tx *tx, int64_t order_id,
			size_t cap, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return order_repo_refunds_of(out, n, &f->orders, tx, order_id, cap, err);
}

static const order_repo_vtbl o_vtbl = {
    .insert = o_insert,
    .find = o_find,
    .find_by_order_id = o_find_by_order_id,
    .list = o_list,
    .list_unsettled = o_list_unsettled,
    .hold = o_hold,
    .mark_paid = o_mark_paid,
    .close = o_close,
    .add_refunded = o_add_refunded,
    .refund_insert = o_refund_insert,
    .refund_find = o_refund_find,
    .refunds_unsettled = o_refunds_unsettled,
    .refund_hold = o_refund_hold,
    .refund_settle = o_refund_settle,
    .refunds_of = o_refunds_of,
};

void fault_storage_wrap(members_deps *d, fault_storage *f)
{
	f->members = d->members;
	f->ledger = d->ledger;
	f->idempotency = d->idempotency;
	f->orders = d->orders;
	f->uow = d->uow;
	f->events = d->events;
	d->members = (member_repo){.vtbl = &m_vtbl, .self = f};
	d->ledger = (ledger_repo){.vtbl = &l_vtbl, .self = f};
	d->idempotency = (idempotency_repo){.vtbl = &i_vtbl, .self = f};
	d->orders = (order_repo){.vtbl = &o_vtbl, .self = f};
	d->uow = (uow){.vtbl = &u_vtbl, .self = f};
	d->events = (event_publisher){.vtbl = &e_vtbl, .self = f};
}

/* --- earnings ------------------------------------------------------------------------------- */

static int er_record(int *added, void *self, uow_tx *tx, const earning *e, const char *title,
		     app_err *err)
{
	fault_storage *f = self;

	*added = 0;
	FAIL(f, err);
	return earnings_repo_record(added, &f->earnings, tx, e, title, err);
}

static int er_income_add(void *self, uow_tx *tx, const char *source, int month, int64_t amount,
			 int64_t now, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return earnings_repo_income_add(&f->earnings, tx, source, month, amount, now, err);
}

static int er_read_add(void *self, uow_tx *tx, int month, int64_t member_id, int64_t book_id,
		       int number, int64_t author_id, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return earnings_repo_read_add(&f->earnings, tx, month, member_id, book_id, number,
				      author_id, err);
}

static int er_months_due(int *out, size_t *n, void *self, uow_tx *tx, int before, size_t cap,
			 app_err *err)
{
	fault_storage *f = self;

	*n = 0;
	FAIL(f, err);
	return earnings_repo_months_due(out, n, &f->earnings, tx, before, cap, err);
}

static int er_income_of(int64_t *out, void *self, uow_tx *tx, int month, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return earnings_repo_income_of(out, &f->earnings, tx, month, err);
}

static int er_units_of(pool_units *out, size_t *n, void *self, uow_tx *tx, int month, size_t cap,
		       app_err *err)
{
	fault_storage *f = self;

	*n = 0;
	FAIL(f, err);
	return earnings_repo_units_of(out, n, &f->earnings, tx, month, cap, err);
}

static int er_settle(void *self, uow_tx *tx, int month, int64_t income, int64_t distributed,
		     int64_t now, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return earnings_repo_settle(&f->earnings, tx, month, income, distributed, now, err);
}

static int er_summary(earnings_summary *out, void *self, uow_tx *tx, int64_t author_id,
		      app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return earnings_repo_summary(out, &f->earnings, tx, author_id, err);
}

static int er_lines(earnings_line *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		    size_t cap, app_err *err)
{
	fault_storage *f = self;

	*n = 0;
	FAIL(f, err);
	return earnings_repo_lines(out, n, &f->earnings, tx, author_id, cap, err);
}

static int er_payout_insert(void *self, uow_tx *tx, payout *p, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return earnings_repo_payout_insert(&f->earnings, tx, p, err);
}

static int er_payout_find(payout *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return earnings_repo_payout_find(out, &f->earnings, tx, id, err);
}

static int er_payouts(payout *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		      payout_status status, int64_t before_id, size_t limit, app_err *err)
{
	fault_storage *f = self;

	*n = 0;
	FAIL(f, err);
	return earnings_repo_payouts(out, n, &f->earnings, tx, author_id, status, before_id, limit,
				     err);
}

static int er_payout_paid(void *self, uow_tx *tx, int64_t id, const char *reference,
			  int64_t admin_id, int64_t now, app_err *err)
{
	fault_storage *f = self;

	FAIL(f, err);
	return earnings_repo_payout_paid(&f->earnings, tx, id, reference, admin_id, now, err);
}

static const earnings_repo_vtbl er_vtbl = {
    .record = er_record,
    .income_add = er_income_add,
    .read_add = er_read_add,
    .months_due = er_months_due,
    .income_of = er_income_of,
    .units_of = er_units_of,
    .settle = er_settle,
    .summary = er_summary,
    .lines = er_lines,
    .payout_insert = er_payout_insert,
    .payout_find = er_payout_find,
    .payouts = er_payouts,
    .payout_paid = er_payout_paid,
};

void fault_storage_wrap_earnings(earnings_deps *d, fault_storage *f)
{
	f->earnings = d->repo;
	f->uow = d->uow;
	f->events = d->events;
	d->repo = (earnings_repo){.vtbl = &er_vtbl, .self = f};
	d->uow = (uow){.vtbl = &u_vtbl, .self = f};
	d->events = (event_publisher){.vtbl = &e_vtbl, .self = f};
}

/* --- the gateway ------------------------------------------------------------------------------ */

/* Before the call: 1 when it fails without reaching the provider. */
static int g_before(fault_gateway *f, payment_info *out, app_err *err)
{
	if (++f->calls != f->fail_at || f->after)
		return 0;
	f->failed = 1;
	memset(out, 0, sizeof(*out));
	app_err_set(err, f->fail_rc ? f->fail_rc : APP_ETIMEOUT, NULL, NULL,
		    "injected provider failure at call %d", f->calls);
	return 1;
}

/* After the call: the answer is lost when this was the failing one. */
static int g_after(fault_gateway *f, int rc, payment_info *out, app_err *err)
{
	if (f->calls != f->fail_at || !f->after)
		return rc;
	f->failed = 1;
	memset(out, 0, sizeof(*out));
	return app_err_set(err, f->fail_rc ? f->fail_rc : APP_ETIMEOUT, NULL, NULL,
			   "injected lost answer at call %d", f->calls);
}

static void g_checkout(payment_checkout *out, void *self)
{
	fault_gateway *f = self;

	payment_gateway_checkout(out, &f->inner);
}

static int g_confirm(payment_info *out, void *self, const char *key, const char *order_id,
		     int64_t amount, const char *idem_key, app_err *err)
{
	fault_gateway *f = self;

	if (g_before(f, out, err))
		return err ? err->code : APP_ETIMEOUT;
	return g_after(
	    f, payment_gateway_confirm(out, &f->inner, key, order_id, amount, idem_key, err), out,
	    err);
}

static int g_find(payment_info *out, void *self, const char *key, app_err *err)
{
	fault_gateway *f = self;

	if (g_before(f, out, err))
		return err ? err->code : APP_ETIMEOUT;
	return g_after(f, payment_gateway_find(out, &f->inner, key, err), out, err);
}

static int g_find_by_order(payment_info *out, void *self, const char *order_id, app_err *err)
{
	fault_gateway *f = self;

	if (g_before(f, out, err))
		return err ? err->code : APP_ETIMEOUT;
	return g_after(f, payment_gateway_find_by_order(out, &f->inner, order_id, err), out, err);
}

static int g_cancel(payment_info *out, void *self, const char *key, int64_t amount,
		    const char *reason, const char *idem_key, app_err *err)
{
	fault_gateway *f = self;

	if (g_before(f, out, err))
		return err ? err->code : APP_ETIMEOUT;
	return g_after(f,
		       payment_gateway_cancel(out, &f->inner, key, amount, reason, idem_key, err),
		       out, err);
}

static const payment_gateway_vtbl g_vtbl = {
    .checkout = g_checkout,
    .confirm = g_confirm,
    .find = g_find,
    .find_by_order = g_find_by_order,
    .cancel = g_cancel,
};

payment_gateway fault_gateway_port(fault_gateway *f)
{
	return (payment_gateway){.vtbl = &g_vtbl, .self = f};
}
