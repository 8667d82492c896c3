/*
 * Refunds of points orders, by an admin. The points leave the wallet first
 * (guarded, so never below zero, with a ledger entry), then the provider
 * cancels that much of the payment under an idempotency key of the refund's
 * own; a refusal gives the points back (another ledger entry), an unknown
 * outcome is asked again by the reconciliation pass with the same key, so
 * every done refund matches exactly one cancel at the provider.
 */
#include "domain/members/orders.h"

#include <stdio.h>
#include <string.h>

#include "domain/common/text.h"
#include "domain/members/orders_internal.h"

static void refund_key(char out[32], int64_t refund_id)
{
	snprintf(out, 32, "wl-refund-%lld", (long long)refund_id);
}

static int reason_check(char out[ORDER_REASON_MAX + 1], const char *reason, app_err *err)
{
	size_t n;

	while (reason && (*reason == ' ' || *reason == '\t'))
		reason++;
	n = reason ? strlen(reason) : 0;
	while (n > 0 && (reason[n - 1] == ' ' || reason[n - 1] == '\t'))
		n--;
	if (n == 0 || n > ORDER_REASON_MAX || !text_utf8_valid(reason, n))
		return app_err_set(err, APP_EINVALID, NULL, "reason",
				   "reason must have 1 to %d bytes of text", ORDER_REASON_MAX);
	memcpy(out, reason, n);
	out[n] = '\0';
	return 0;
}

/* The debit and the pending refund, in the unit tx. */
static int refund_open_in(points_refund *r, members_service *svc, uow_tx *tx, const points_order *o,
			  refund_mode mode, app_err *err)
{
	ledger_entry e;
	member m;
	int rc;

	if ((rc = member_repo_find_by_id(&m, &svc->d.members, tx, o->member_id, err)) ||
	    (rc = order_refund_amount(&r->amount, o, mode, m.points, err)))
		return rc;
	memset(&e, 0, sizeof(e));
	e.member_id = o->member_id;
	e.kind = LEDGER_REFUND;
	e.amount = -r->amount;
	e.order_id = o->id;
	e.created_at = orders_now(svc);
	if ((rc = member_repo_debit(&e.balance_after, &svc->d.members, tx, o->member_id, r->amount,
				    err)) ||
	    (rc = ledger_repo_append(&svc->d.ledger, tx, &e, err)))
		return rc;
	r->order_id = o->id;
	r->member_id = o->member_id;
	r->status = REFUND_PENDING;
	r->ledger_id = e.id;
	r->created_at = r->updated_at = e.created_at;
	r->settle_after = e.created_at + ORDER_SETTLE_WAIT_MS;
	rc = order_repo_refund_insert(&svc->d.orders, tx, r, err);
	if (rc == APP_EEXISTS)
		rc = app_err_set(err, APP_ECONFLICT, "refund_pending", NULL,
				 "a refund of this order is still being processed");
	return rc;
}

static int refund_open(points_refund *r, points_order *o, members_service *svc, int64_t id,
		       refund_mode mode, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = order_repo_find(o, &svc->d.orders, tx, id, err))) {
		if (rc == APP_ENOTFOUND)
			app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such order");
		goto fail;
	}
	if (!order_is_paid(o)) {
		rc = app_err_set(err, APP_ECONFLICT, "not_refundable", NULL,
				 "only a paid order can be refunded (this one is %s)",
				 order_status_name(o->status));
		goto fail;
	}
	if ((rc = refund_open_in(r, svc, tx, o, mode, err)))
		goto fail;
fail:
	return uow_finish(tx, rc, err); /* rc is 0 on the way here */
}

static int refunded_event(members_service *svc, uow_tx *tx, const points_refund *r, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "points.refunded");
	domain_event_add_int(&ev, "memberId", r->member_id);
	domain_event_add_int(&ev, "orderId", r->order_id);
	domain_event_add_int(&ev, "refundId", r->id);
	domain_event_add_int(&ev, "amount", r->amount);
	domain_event_add_int(&ev, "adminId", r->admin_id);
	domain_event_add_str(&ev, "cancelRef", r->cancel_key);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* The points come back: the provider refused this refund. */
static int reverse_in(points_refund *r, members_service *svc, uow_tx *tx, app_err *err)
{
	ledger_entry e;
	int rc;

	memset(&e, 0, sizeof(e));
	e.member_id = r->member_id;
	e.kind = LEDGER_REFUND_REVERSED;
	e.amount = r->amount;
	e.order_id = r->order_id;
	e.created_at = orders_now(svc);
	if ((rc = member_repo_credit(&e.balance_after, &svc->d.members, tx, r->member_id, r->amount,
				     err)) ||
	    (rc = ledger_repo_append(&svc->d.ledger, tx, &e, err)))
		return rc;
	r->reversal_id = e.id;
	return 0;
}

/* Commits a definitive outcome of refund r: done (the cancel happened) or failed. */
static int refund_close(points_refund *r, members_service *svc, refund_status status,
			const payment_info *p, app_err *err)
{
	points_refund now;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = order_repo_refund_find(&now, &svc->d.orders, tx, r->id, err)))
		goto fail;
	if (now.status != REFUND_PENDING) { /* settled by someone else first */
		uow_rollback(tx);
		*r = now;
		return 0;
	}
	r->status = status;
	r->updated_at = orders_now(svc);
	snprintf(r->cancel_key, sizeof(r->cancel_key), "%s", p->cancel_key);
	snprintf(r->failure_code, sizeof(r->failure_code), "%s", p->failure_code);
	if (status == REFUND_DONE)
		rc = order_repo_add_refunded(&svc->d.orders, tx, r->order_id, r->amount,
					     r->updated_at, err);
	else
		rc = reverse_in(r, svc, tx, err);
	if (rc || (rc = order_repo_refund_settle(&svc->d.orders, tx, r, err)) ||
	    (status == REFUND_DONE && (rc = refunded_event(svc, tx, r, err))))
		goto fail;
fail:
	return uow_finish(tx, rc, err); /* rc is 0 on the way here */
}

/* Lets the reconciliation pass send a refund again whose answer never came. */
static int refund_release(members_service *svc, const points_refund *r, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = order_repo_refund_hold(&svc->d.orders, tx, r->id, 0, orders_now(svc), err))) {
		uow_rollback(tx);
		return rc == APP_ECONFLICT ? 0 : rc;
	}
	return uow_commit(tx, err);
}

/* Sends the cancel of pending refund r (again) and commits what the provider said. */
static int refund_send(points_refund *r, members_service *svc, const points_order *o, app_err *err)
{
	char key[32];
	payment_info p;
	app_err why;
	int rc;

	refund_key(key, r->id);
	app_err_clear(&why);
	rc = payment_gateway_cancel(&p, &svc->d.gateway, o->payment_key, r->amount, r->reason, key,
				    &why);
	if (rc == APP_ECONFLICT) {
		/* wholly canceled already (at the provider's own desk): the money went back */
		rc = payment_gateway_find(&p, &svc->d.gateway, o->payment_key, &why);
		if (rc == 0 && p.status != PAYMENT_CANCELED)
			rc = APP_EUPSTREAM;
	}
	if (rc == 0)
		return refund_close(r, svc, REFUND_DONE, &p, err);
	if (rc == APP_EDECLINED || rc == APP_ENOTFOUND) {
		if ((rc = refund_close(r, svc, REFUND_FAILED, &p, err)))
			return rc;
		return app_err_set(err, APP_EDECLINED, "payment_declined", NULL,
				   "the payment provider refused the refund: %s",
				   *p.failure_message ? p.failure_message : p.failure_code);
	}
	if (rc == APP_EUPSTREAM || rc == APP_ETIMEOUT)
		return refund_release(svc, r, err);
	*err = why;
	return rc;
}

int orders_refund(points_refund *out, points_order *order, members_service *svc, int64_t admin_id,
		  int64_t id, refund_mode mode, const char *reason, app_err *err)
{
	points_order o;
	int rc;

	memset(out, 0, sizeof(*out));
	if (mode != REFUND_FULL && mode != REFUND_UNSPENT)
		return app_err_set(err, APP_EINVALID, NULL, "mode", "mode must be full or unspent");
	if ((rc = reason_check(out->reason, reason, err)))
		return rc;
	out->admin_id = admin_id;
	if ((rc = refund_open(out, &o, svc, id, mode, err)))
		return rc;
	/* no unit is open: the provider may take its time */
	rc = refund_send(out, svc, &o, err);
	if (order && (rc == 0 || rc == APP_EDECLINED))
		order_repo_find(order, &svc->d.orders, NULL, id, NULL);
	return rc;
}

/* One pending refund of the pass; a failure of one does not stop the pass. */
static void reconcile_refund(orders_pass *out, members_service *svc, int64_t id, int64_t now)
{
	points_refund r;
	points_order o;
	app_err one;
	int rc;

	app_err_clear(&one);
	if (order_repo_refund_find(&r, &svc->d.orders, NULL, id, &one) ||
	    r.status != REFUND_PENDING || r.settle_after > now ||
	    order_repo_find(&o, &svc->d.orders, NULL, r.order_id, &one))
		return;
	out->refunds_seen++;
	rc = refund_send(&r, svc, &o, &one);
	if ((rc == 0 && r.status != REFUND_PENDING) || rc == APP_EDECLINED)
		out->refunds_settled++;
}

int orders_reconcile_refunds(orders_pass *out, members_service *svc, size_t limit, app_err *err)
{
	int64_t ids[32], after = 0, now = orders_now(svc);
	size_t n, done = 0;
	int rc;

	do {
		rc = order_repo_refunds_unsettled(ids, &n, &svc->d.orders, NULL, now, after,
						  sizeof(ids) / sizeof(ids[0]), err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && done < limit; i++, done++)
			reconcile_refund(out, svc, ids[i], now);
		if (n)
			after = ids[n - 1];
	} while (n == sizeof(ids) / sizeof(ids[0]) && done < limit);
	return 0;
}
