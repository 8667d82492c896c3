#include "domain/members/order.h"

#include <string.h>

const char *order_status_name(order_status s)
{
	switch (s) {
	case ORDER_PENDING:
		return "pending";
	case ORDER_PAID:
		return "paid";
	case ORDER_FAILED:
		return "failed";
	case ORDER_CANCELED:
		return "canceled";
	case ORDER_PARTIALLY_REFUNDED:
		return "partially_refunded";
	case ORDER_REFUNDED:
		return "refunded";
	}
	return "unknown";
}

const char *refund_status_name(refund_status s)
{
	switch (s) {
	case REFUND_PENDING:
		return "pending";
	case REFUND_DONE:
		return "done";
	case REFUND_FAILED:
		return "failed";
	}
	return "unknown";
}

int order_is_paid(const points_order *o)
{
	return o->status == ORDER_PAID || o->status == ORDER_PARTIALLY_REFUNDED ||
	       o->status == ORDER_REFUNDED;
}

int order_payment_key_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= PAYMENT_KEY_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-' || *s == '='))
			return 0;
	return 1;
}

int order_refund_amount(int64_t *amount, const points_order *o, refund_mode mode, int64_t balance,
			app_err *err)
{
	int64_t left = o->amount - o->refunded;

	*amount = 0;
	if (left <= 0)
		return app_err_set(err, APP_ECONFLICT, "already_refunded", NULL,
				   "this order has been refunded already");
	if (mode == REFUND_FULL && balance < left) {
		app_err_set(err, APP_EINSUFFICIENT, "insufficient_points", NULL,
			    "a full refund takes %lld points and the wallet holds %lld; refund the "
			    "unspent part instead",
			    (long long)left, (long long)balance);
		app_err_extra(err, "price", left);
		app_err_extra(err, "balance", balance);
		return APP_EINSUFFICIENT;
	}
	*amount = left < balance ? left : balance;
	if (*amount <= 0) {
		app_err_set(err, APP_EINSUFFICIENT, "insufficient_points", NULL,
			    "every point of this order has been spent: nothing is left to refund");
		app_err_extra(err, "price", left);
		app_err_extra(err, "balance", balance);
		return APP_EINSUFFICIENT;
	}
	return 0;
}

static order_settlement unpaid(const points_order *o, int64_t now)
{
	return now - o->created_at > ORDER_ABANDON_MS ? SETTLE_CANCEL : SETTLE_WAIT;
}

order_settlement order_settlement_of(const points_order *o, int lookup_rc, const payment_info *p,
				     int64_t now)
{
	if (lookup_rc == APP_ENOTFOUND)
		return unpaid(o, now);
	if (lookup_rc != 0)
		return SETTLE_WAIT;
	/* someone else's payment, or one for another amount, is no payment of this order */
	if (strcmp(p->order_id, o->order_id) != 0 || p->total_amount != o->amount)
		return unpaid(o, now);
	switch (p->status) {
	case PAYMENT_DONE:
		return SETTLE_CREDIT;
	case PAYMENT_IN_PROGRESS:
		return SETTLE_CONFIRM;
	case PAYMENT_ABORTED:
	case PAYMENT_CANCELED:
	case PAYMENT_PARTIAL_CANCELED:
		return SETTLE_FAIL;
	case PAYMENT_EXPIRED:
		return SETTLE_CANCEL;
	case PAYMENT_READY:
	case PAYMENT_WAITING_FOR_DEPOSIT:
		return unpaid(o, now);
	case PAYMENT_UNKNOWN:
		break;
	}
	return SETTLE_WAIT;
}

static const order_status order_statuses[] = {
    ORDER_PENDING, ORDER_PAID, ORDER_FAILED, ORDER_CANCELED, ORDER_PARTIALLY_REFUNDED,
    ORDER_REFUNDED};

order_status order_status_parse(const char *s)
{
	for (size_t i = 0; s && i < sizeof(order_statuses) / sizeof(order_statuses[0]); i++)
		if (strcmp(s, order_status_name(order_statuses[i])) == 0)
			return order_statuses[i];
	return ORDER_FAILED;
}

refund_status refund_status_parse(const char *s)
{
	if (s && strcmp(s, "done") == 0)
		return REFUND_DONE;
	if (s && strcmp(s, "failed") == 0)
		return REFUND_FAILED;
	return REFUND_PENDING;
}
