/*
 * Points orders: open, confirm, settle from the provider's record. Every
 * path that credits goes through credit_once(), whose conditional
 * pending -> paid update in the same unit as the credit makes the points
 * arrive exactly once, whoever gets there first.
 */
#include "domain/members/orders.h"

#include <stdio.h>
#include <string.h>

#include "domain/common/idempotency.h"
#include "domain/members/orders_internal.h"

int64_t orders_now(members_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

void orders_checkout(payment_checkout *out, members_service *svc)
{
	payment_gateway_checkout(out, &svc->d.gateway);
}

static int order_of_member(points_order *out, members_service *svc, uow_tx *tx, int64_t member_id,
			   int64_t id, app_err *err)
{
	int rc = order_repo_find(out, &svc->d.orders, tx, id, err);

	if (rc == 0 && member_id && out->member_id != member_id)
		rc = APP_ENOTFOUND;
	if (rc == APP_ENOTFOUND)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such order");
	return rc;
}

int orders_get(points_order *out, members_service *svc, int64_t member_id, int64_t id, app_err *err)
{
	return order_of_member(out, svc, NULL, member_id, id, err);
}

int orders_list(points_order *out, size_t *n, int64_t *next_before, members_service *svc,
		int64_t member_id, order_status status, int64_t before, size_t limit, app_err *err)
{
	int rc =
	    order_repo_list(out, n, &svc->d.orders, NULL, member_id, status, before, limit, err);

	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

/* "wl-" and 24 random URL-safe characters: a Toss orderId (6..64 of [A-Za-z0-9_=-]). */
static int order_id_new(char out[PAYMENT_ORDER_ID_MAX], members_service *svc, app_err *err)
{
	char token[CRYPTO_TOKEN_MAX];
	int rc = crypto_token_new(token, &svc->d.crypto, err);

	if (rc == 0)
		snprintf(out, PAYMENT_ORDER_ID_MAX, "wl-%.24s", token);
	return rc;
}

int orders_create(points_order *out, members_service *svc, int64_t member_id, int64_t amount,
		  const char *idem_key, app_err *err)
{
	char request[IDEM_REQUEST_MAX];
	payment_checkout c;
	idem_state state;
	points_order o;
	int64_t first;
	uow_tx *tx;
	int rc;

	if (amount < ORDER_AMOUNT_MIN || amount > ORDER_AMOUNT_MAX)
		return app_err_set(err, APP_EINVALID, NULL, "amount",
				   "amount must be between %d and %d points", ORDER_AMOUNT_MIN,
				   ORDER_AMOUNT_MAX);
	if ((rc = idem_key_check(idem_key, err)))
		return rc;
	snprintf(request, sizeof(request), "amount=%lld", (long long)amount);
	memset(&o, 0, sizeof(o));
	payment_gateway_checkout(&c, &svc->d.gateway);
	snprintf(o.provider, sizeof(o.provider), "%s", c.provider);
	if ((rc = order_id_new(o.order_id, svc, err)))
		return rc;
	o.member_id = member_id;
	o.amount = amount;
	o.status = ORDER_PENDING;
	o.created_at = o.updated_at = orders_now(svc);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = idem_check(&state, &first, &svc->d.idempotency, tx, member_id, "order", idem_key,
			     request, err)))
		return uow_finish(tx, rc, err);
	if (state == IDEM_DONE) { /* the order the first request made */
		rc = order_repo_find(out, &svc->d.orders, tx, first, err);
		uow_rollback(tx);
		return rc;
	}
	if ((rc = order_repo_insert(&svc->d.orders, tx, &o, err)) == 0)
		rc = idem_record(&svc->d.idempotency, tx, member_id, "order", idem_key, request,
				 o.id, o.created_at, err);
	if ((rc = uow_finish(tx, rc, err)))
		return rc;
	*out = o;
	return 0;
}

int orders_balance(int64_t *balance, members_service *svc, int64_t member_id, app_err *err)
{
	member m;
	int rc = member_repo_find_by_id(&m, &svc->d.members, NULL, member_id, err);

	if (rc == 0)
		*balance = m.points;
	return rc;
}

static int charged_event(members_service *svc, uow_tx *tx, const points_order *o,
			 const ledger_entry *e, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "points.charged");
	domain_event_add_int(&ev, "memberId", o->member_id);
	domain_event_add_int(&ev, "amount", o->amount);
	domain_event_add_int(&ev, "balanceAfter", e->balance_after);
	domain_event_add_int(&ev, "ledgerId", e->id);
	domain_event_add_int(&ev, "orderId", o->id);
	domain_event_add_str(&ev, "provider", o->provider);
	domain_event_add_str(&ev, "paymentRef", o->payment_key);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* The credit of a confirmed payment p, in the same unit as pending -> paid. */
static int credit_in(points_order *o, int64_t *balance, members_service *svc, uow_tx *tx,
		     const payment_info *p, app_err *err)
{
	ledger_entry e;
	int rc;

	memset(&e, 0, sizeof(e));
	e.member_id = o->member_id;
	e.kind = LEDGER_CHARGE;
	e.amount = o->amount;
	e.order_id = o->id;
	e.created_at = orders_now(svc);
	if ((rc = member_repo_credit(&e.balance_after, &svc->d.members, tx, o->member_id, o->amount,
				     err)) ||
	    (rc = ledger_repo_append(&svc->d.ledger, tx, &e, err)))
		return rc;
	snprintf(o->payment_key, sizeof(o->payment_key), "%s", p->key);
	snprintf(o->method, sizeof(o->method), "%s", p->method);
	o->ledger_id = e.id;
	o->paid_at = o->updated_at = e.created_at;
	if ((rc = order_repo_mark_paid(&svc->d.orders, tx, o, err)) ||
	    (rc = charged_event(svc, tx, o, &e, err)))
		return rc;
	o->status = ORDER_PAID;
	*balance = e.balance_after;
	return 0;
}

int orders_credit_once(points_order *out, int64_t *balance, members_service *svc, int64_t id,
		       const payment_info *p, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = order_repo_find(out, &svc->d.orders, tx, id, err)))
		goto fail;
	if (out->status != ORDER_PENDING) {
		/* settled by someone else first: the first result stands */
		uow_rollback(tx);
		if (!order_is_paid(out))
			return app_err_set(err, APP_ECONFLICT, "order_closed", NULL,
					   "this order was closed (%s)",
					   order_status_name(out->status));
		return orders_balance(balance, svc, out->member_id, err);
	}
	if ((rc = credit_in(out, balance, svc, tx, p, err)))
		goto fail;
fail:
	return uow_finish(tx, rc, err); /* rc is 0 on the way here */
}

int orders_close_once(points_order *out, members_service *svc, int64_t id, order_status status,
		      const char *code, app_err *err)
{
	domain_event ev;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = order_repo_close(&svc->d.orders, tx, id, status, code, orders_now(svc), err);
	if (rc == 0) {
		domain_event_init(&ev, "points.order_closed");
		domain_event_add_int(&ev, "orderId", id);
		domain_event_add_int(&ev, "memberId", out->member_id);
		domain_event_add_str(&ev, "status", order_status_name(status));
		domain_event_add_str(&ev, "code", code);
		rc = event_publish_owned(&svc->d.events, tx, &ev, err);
	}
	if (rc == APP_ECONFLICT) { /* settled meanwhile */
		uow_rollback(tx);
		return order_repo_find(out, &svc->d.orders, NULL, id, err);
	}
	if (rc) {
		uow_rollback(tx);
		return rc;
	}
	if ((rc = uow_commit(tx, err)))
		return rc;
	out->status = status;
	snprintf(out->failure_code, sizeof(out->failure_code), "%s", code);
	return 0;
}

/* Lets the reconciliation pass take an order whose confirm came back without an answer. */
static int release(members_service *svc, const points_order *o, const char *key, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = order_repo_hold(&svc->d.orders, tx, o->id, key, 0, orders_now(svc), err))) {
		uow_rollback(tx);
		return rc == APP_ECONFLICT ? 0 : rc;
	}
	return uow_commit(tx, err);
}

int orders_after_confirm(points_order *o, int64_t *balance, members_service *svc, const char *key,
			 int rc, const payment_info *p, app_err *err)
{
	payment_info q;
	app_err why;

	if (rc == 0 && p->status == PAYMENT_DONE && !strcmp(p->order_id, o->order_id) &&
	    p->total_amount == o->amount)
		return orders_credit_once(o, balance, svc, o->id, p, err);
	if (rc == APP_ECONFLICT) {
		/* already processed: the provider's record decides */
		app_err_clear(&why);
		rc = payment_gateway_find(&q, &svc->d.gateway, key, &why);
		if (rc == 0 && order_settlement_of(o, 0, &q, orders_now(svc)) == SETTLE_CREDIT)
			return orders_credit_once(o, balance, svc, o->id, &q, err);
		if (rc == 0 || rc == APP_ENOTFOUND)
			rc = APP_EDECLINED;
		p = &q;
	}
	if (rc == APP_EDECLINED || rc == APP_ENOTFOUND) {
		const char *code = *p->failure_code ? p->failure_code : "DECLINED";
		char msg[sizeof(p->failure_message)];

		snprintf(msg, sizeof(msg), "%s", p->failure_message);
		if ((rc = orders_close_once(o, svc, o->id, ORDER_FAILED, code, err)))
			return rc;
		return app_err_set(err, APP_EDECLINED, "payment_declined", NULL, "%s",
				   *msg ? msg : "the payment provider declined the payment");
	}
	if (rc == 0 || rc == APP_EUPSTREAM || rc == APP_ETIMEOUT) {
		/* the outcome is unknown: the reconciliation pass asks again */
		if ((rc = release(svc, o, key, err)))
			return rc;
		return orders_balance(balance, svc, o->member_id, err);
	}
	return rc;
}

/* The checks before a confirm goes out, and the hold on the order while it is out. */
static int confirm_begin(points_order *o, members_service *svc, int64_t member_id, int64_t id,
			 const char *key, int64_t amount, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = order_of_member(o, svc, tx, member_id, id, err)))
		goto fail;
	if (order_is_paid(o)) {
		uow_rollback(tx);
		return 1;
	}
	if (o->status != ORDER_PENDING) {
		rc = app_err_set(err, APP_ECONFLICT, "order_closed", NULL,
				 "this order was closed (%s)", order_status_name(o->status));
		goto fail;
	}
	if (amount != o->amount) {
		rc = app_err_set(err, APP_EINVALID, "amount_mismatch", "amount",
				 "the amount paid (%lld) is not the order's (%lld)",
				 (long long)amount, (long long)o->amount);
		goto fail;
	}
	rc = order_repo_hold(&svc->d.orders, tx, id, key, orders_now(svc) + ORDER_SETTLE_WAIT_MS,
			     orders_now(svc), err);
	if (rc == APP_ECONFLICT)
		rc = app_err_set(err, APP_ECONFLICT, "payment_key_mismatch", "paymentKey",
				 "this order is being paid with another payment");
	if (rc)
		goto fail;
fail:
	return uow_finish(tx, rc, err); /* rc is 0 on the way here */
}

int orders_confirm(points_order *out, int64_t *balance, members_service *svc, int64_t member_id,
		   int64_t id, const char *payment_key, int64_t amount, app_err *err)
{
	payment_info p;
	int rc;

	if (!payment_key || !order_payment_key_valid(payment_key))
		return app_err_set(
		    err, APP_EINVALID, NULL, "paymentKey",
		    "paymentKey must be 1 to %d of A-Z, a-z, 0-9, _, - and =", PAYMENT_KEY_MAX - 1);
	rc = confirm_begin(out, svc, member_id, id, payment_key, amount, err);
	if (rc == 1)
		return orders_balance(balance, svc, member_id, err);
	if (rc)
		return rc;
	/* no unit is open: the provider may take its time */
	rc = payment_gateway_confirm(&p, &svc->d.gateway, payment_key, out->order_id, out->amount,
				     out->order_id, err);
	return orders_after_confirm(out, balance, svc, payment_key, rc, &p, err);
}
