/*
 * Points orders: points bought through a payment provider's checkout, and
 * their refunds. The rules here are pure; orders.c runs them against the
 * repositories and the gateway.
 *
 *   pending --confirm/webhook/reconcile--> paid --refund--> partially_refunded | refunded
 *      \--declined, aborted, expired, abandoned--> failed | canceled
 *
 * The provider's order id (order->order_id, "wl-" and random characters) is
 * the idempotency key of the confirm: the points are credited once per order,
 * whoever settles it first.
 */
#ifndef WL_DOMAIN_ORDER_H
#define WL_DOMAIN_ORDER_H

#include <stdint.h>

#include "ports/payment_gateway.h"

#define ORDER_AMOUNT_MIN     100
#define ORDER_AMOUNT_MAX     1000000
#define ORDER_REASON_MAX     200		/* bytes of a refund reason */
#define ORDER_ABANDON_MS     (60LL * 60 * 1000) /* no payment an hour after the order: abandoned */
#define ORDER_SETTLE_WAIT_MS 15000		/* a confirm in flight is left alone this long */

typedef enum {
	ORDER_PENDING = 1,
	ORDER_PAID,
	ORDER_FAILED,	/* declined, aborted or expired at the provider */
	ORDER_CANCELED, /* the member gave up (or never paid) */
	ORDER_PARTIALLY_REFUNDED,
	ORDER_REFUNDED,
} order_status;

typedef struct points_order {
	int64_t id;
	int64_t member_id;
	char provider[PAYMENT_PROVIDER_MAX];
	char order_id[PAYMENT_ORDER_ID_MAX]; /* the provider's orderId */
	int64_t amount;
	order_status status;
	char payment_key[PAYMENT_KEY_MAX]; /* "" until the member came back or we found it */
	char method[PAYMENT_METHOD_MAX];
	char failure_code[PAYMENT_CODE_MAX];
	int64_t refunded;     /* points refunded so far */
	int64_t ledger_id;    /* the charge entry; 0 until paid */
	int64_t settle_after; /* a confirm is in flight until then (ms) */
	int64_t created_at, updated_at, paid_at;
} points_order;

typedef enum { REFUND_PENDING = 1, REFUND_DONE, REFUND_FAILED } refund_status;

typedef enum { REFUND_FULL = 1, REFUND_UNSPENT } refund_mode;

typedef struct points_refund {
	int64_t id;
	int64_t order_id; /* points_order.id */
	int64_t member_id;
	int64_t admin_id;
	int64_t amount;
	refund_status status;
	char reason[ORDER_REASON_MAX + 1];
	char cancel_key[PAYMENT_TX_KEY_MAX]; /* the provider's cancel transaction */
	char failure_code[PAYMENT_CODE_MAX];
	int64_t ledger_id;   /* the debit */
	int64_t reversal_id; /* the credit back when the provider refused; 0 otherwise */
	int64_t settle_after;
	int64_t created_at, updated_at;
} points_refund;

const char *order_status_name(order_status s);
const char *refund_status_name(refund_status s);
/* The status a stored name stands for (the _name functions' inverses); unknown: failed, pending. */
order_status order_status_parse(const char *s);
refund_status refund_status_parse(const char *s);
int order_is_paid(const points_order *o); /* paid, partially or wholly refunded */

/* 1 when s can be a payment key: 1..200 of [A-Za-z0-9_=-]. */
int order_payment_key_valid(const char *s);

/*
 * The amount a refund takes: the whole refundable part (REFUND_FULL), or as
 * much of it as the wallet still holds (REFUND_UNSPENT). Never more than
 * balance: a refund never makes a wallet negative. 0 with *amount set, or
 * APP_ECONFLICT "already_refunded", APP_EINSUFFICIENT (the wallet cannot
 * cover a full refund, or holds nothing to refund).
 */
int order_refund_amount(int64_t *amount, const points_order *o, refund_mode mode, int64_t balance,
			app_err *err);

/* What the provider's record of an order's payment means for the order. */
typedef enum {
	SETTLE_WAIT = 0, /* nothing to do now */
	SETTLE_CREDIT,	 /* confirmed for this order and amount: credit once */
	SETTLE_CONFIRM,	 /* authorised but not confirmed (the browser went away): confirm it */
	SETTLE_FAIL,	 /* will never be paid: close as failed */
	SETTLE_CANCEL,	 /* never paid and given up: close as canceled */
} order_settlement;

/*
 * Decides from a lookup's outcome (rc and p) what to do with a pending
 * order at now. A payment for another order or amount never credits this
 * one (it is treated as no payment at all).
 */
order_settlement order_settlement_of(const points_order *o, int lookup_rc, const payment_info *p,
				     int64_t now);

#endif
