/*
 * Settling orders from the provider's own record: after a webhook (whose
 * body is never believed) and in the reconciliation pass (orders whose
 * confirm never came back, or whose browser never came back at all).
 */
#include "domain/members/orders.h"

#include <stdio.h>
#include <string.h>

#include "domain/members/orders_internal.h"

/* The provider's record of o's payment: by its key when we have one, else by our order id. */
static int lookup(payment_info *p, members_service *svc, const points_order *o, const char *key)
{
	app_err why;
	int rc = APP_ENOTFOUND;

	app_err_clear(&why);
	if (key && *key)
		rc = payment_gateway_find(p, &svc->d.gateway, key, &why);
	/* a key of another order is no record of this one; the order id still is */
	if (rc == APP_ENOTFOUND || (rc == 0 && strcmp(p->order_id, o->order_id) != 0))
		rc = payment_gateway_find_by_order(p, &svc->d.gateway, o->order_id, &why);
	return rc;
}

/* Confirms a payment the member authorised but nobody confirmed (the browser went away). */
static int confirm_for(points_order *o, members_service *svc, const payment_info *found,
		       app_err *err)
{
	payment_info p;
	int64_t balance;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = order_repo_hold(&svc->d.orders, tx, o->id, found->key,
			     orders_now(svc) + ORDER_SETTLE_WAIT_MS, orders_now(svc), err);
	if (rc) {
		uow_rollback(tx);
		return rc == APP_ECONFLICT ? 0
					   : rc; /* settled meanwhile, or paid with another key */
	}
	if ((rc = uow_commit(tx, err)))
		return rc;
	rc = payment_gateway_confirm(&p, &svc->d.gateway, found->key, o->order_id, o->amount,
				     o->order_id, err);
	rc = orders_after_confirm(o, &balance, svc, found->key, rc, &p, err);
	return rc == APP_EDECLINED ? 0 : rc; /* a declined confirm closed the order: settled */
}

/* Acts on the provider's record of pending order o. *settled is 1 when it left pending. */
static int settle(int *settled, points_order *o, members_service *svc, int rc,
		  const payment_info *p, app_err *err)
{
	int64_t balance;

	*settled = 0;
	switch (order_settlement_of(o, rc, p, orders_now(svc))) {
	case SETTLE_CREDIT:
		rc = orders_credit_once(o, &balance, svc, o->id, p, err);
		break;
	case SETTLE_CONFIRM:
		rc = confirm_for(o, svc, p, err);
		break;
	case SETTLE_FAIL:
		rc = orders_close_once(o, svc, o->id, ORDER_FAILED,
				       *p->failure_code ? p->failure_code : "CANCELED", err);
		break;
	case SETTLE_CANCEL:
		rc = orders_close_once(
		    o, svc, o->id, ORDER_CANCELED,
		    rc == 0 && p->status == PAYMENT_EXPIRED ? "EXPIRED" : "ABANDONED", err);
		break;
	case SETTLE_WAIT:
		return 0;
	}
	if (rc == APP_ECONFLICT) /* closed by someone else first */
		rc = 0;
	*settled = rc == 0 && o->status != ORDER_PENDING;
	return rc;
}

int orders_notified(members_service *svc, const char *payment_key, const char *order_id,
		    app_err *err)
{
	points_order o;
	payment_info p;
	int rc, settled;

	if (!order_id || !*order_id || strlen(order_id) >= PAYMENT_ORDER_ID_MAX)
		return 0;
	rc = order_repo_find_by_order_id(&o, &svc->d.orders, NULL, order_id, err);
	if (rc == APP_ENOTFOUND || (rc == 0 && o.status != ORDER_PENDING))
		return 0; /* not ours, or settled already */
	if (rc)
		return rc;
	if (payment_key && !order_payment_key_valid(payment_key))
		payment_key = NULL;
	/* the message says what happened; the provider, asked directly, says whether it did */
	rc = lookup(&p, svc, &o, payment_key);
	return settle(&settled, &o, svc, rc, &p, err);
}

/* One pending order of the pass; a failure of one does not stop the pass. */
static void reconcile_one(orders_pass *out, members_service *svc, int64_t id, int64_t now)
{
	points_order o;
	payment_info p;
	app_err err;
	int rc, settled = 0;

	app_err_clear(&err);
	if (order_repo_find(&o, &svc->d.orders, NULL, id, &err) || o.status != ORDER_PENDING ||
	    o.settle_after > now)
		return;
	out->orders_seen++;
	rc = lookup(&p, svc, &o, o.payment_key);
	if (settle(&settled, &o, svc, rc, &p, &err) == 0 && settled)
		out->orders_settled++;
}

int orders_reconcile(orders_pass *out, members_service *svc, size_t limit, app_err *err)
{
	int64_t ids[32], after = 0, now = orders_now(svc);
	size_t n, done = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	do {
		rc = order_repo_list_unsettled(ids, &n, &svc->d.orders, NULL, now, after,
					       sizeof(ids) / sizeof(ids[0]), err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n && done < limit; i++, done++)
			reconcile_one(out, svc, ids[i], now);
		if (n)
			after = ids[n - 1];
	} while (n == sizeof(ids) / sizeof(ids[0]) && done < limit);
	return orders_reconcile_refunds(out, svc, limit, err);
}
