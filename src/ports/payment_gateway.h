/*
 * Payment gateway: a provider's checkout-then-confirm flow for points
 * orders (Toss Payments' shape). The member pays on the provider's own
 * page; the browser brings the provider's payment key back; the server then
 * confirms the payment server to server, reads it back when in doubt, and
 * cancels it, wholly or in part, for a refund.
 *
 * Every call leaves the process and may take seconds: never make one inside
 * a unit of work. Every call may be repeated: confirm and cancel carry an
 * idempotency key, so the provider answers a repeat with the first result.
 *
 * Outcomes of each call:
 *   0              out is filled from the provider's answer
 *   APP_ENOTFOUND  the provider knows no such payment (or its session expired)
 *   APP_ECONFLICT  already processed (confirm) or already canceled (cancel):
 *                  read the payment to learn its state
 *   APP_EDECLINED  refused for good; out->failure_code says why
 *   APP_EUPSTREAM, APP_ETIMEOUT
 *                  the outcome is unknown: ask again later with the same key
 * On failure out->failure_code/failure_message hold the provider's words
 * when it gave any. Error messages never contain a secret key.
 */
#ifndef WL_PORT_PAYMENT_GATEWAY_H
#define WL_PORT_PAYMENT_GATEWAY_H

#include <stdint.h>

#include "domain/common/err.h"

#define PAYMENT_KEY_MAX	       201 /* Toss: up to 200 characters */
#define PAYMENT_ORDER_ID_MAX   65  /* 6..64 of [A-Za-z0-9_=-] */
#define PAYMENT_CODE_MAX       64
#define PAYMENT_MESSAGE_MAX    200
#define PAYMENT_METHOD_MAX     48
#define PAYMENT_TX_KEY_MAX     65
#define PAYMENT_PROVIDER_MAX   16
#define PAYMENT_CLIENT_KEY_MAX 128
#define PAYMENT_URL_MAX	       512

typedef enum {
	PAYMENT_UNKNOWN = 0,
	PAYMENT_READY,		     /* created, the member has not authenticated yet */
	PAYMENT_IN_PROGRESS,	     /* authenticated, waiting for our confirm */
	PAYMENT_WAITING_FOR_DEPOSIT, /* virtual account issued, not paid */
	PAYMENT_DONE,		     /* confirmed: the money is taken */
	PAYMENT_CANCELED,	     /* wholly canceled (refunded) */
	PAYMENT_PARTIAL_CANCELED,    /* partly canceled */
	PAYMENT_ABORTED,	     /* the confirm failed */
	PAYMENT_EXPIRED,	     /* not confirmed in time */
} payment_status;

typedef struct payment_info {
	char key[PAYMENT_KEY_MAX];
	char order_id[PAYMENT_ORDER_ID_MAX];
	payment_status status;
	int64_t total_amount;
	int64_t balance_amount; /* what is left after cancels */
	char method[PAYMENT_METHOD_MAX];
	int64_t approved_at;		     /* ms since the epoch; 0 when not approved */
	char cancel_key[PAYMENT_TX_KEY_MAX]; /* the latest cancel's transaction key, or "" */
	int64_t cancel_amount;		     /* that cancel's amount */
	char failure_code[PAYMENT_CODE_MAX];
	char failure_message[PAYMENT_MESSAGE_MAX];
} payment_info;

/* What the browser needs to open the provider's checkout (nothing secret). */
typedef struct payment_checkout {
	char provider[PAYMENT_PROVIDER_MAX];	 /* "toss", "dev" */
	char client_key[PAYMENT_CLIENT_KEY_MAX]; /* "" when the provider needs none */
	char script_url[PAYMENT_URL_MAX];	 /* the provider's browser SDK, or "" */
} payment_checkout;

typedef struct payment_gateway_vtbl {
	void (*checkout)(payment_checkout *out, void *self);
	/* Confirms the payment the member authorised for order_id at amount. */
	int (*confirm)(payment_info *out, void *self, const char *payment_key, const char *order_id,
		       int64_t amount, const char *idem_key, app_err *err);
	int (*find)(payment_info *out, void *self, const char *payment_key, app_err *err);
	int (*find_by_order)(payment_info *out, void *self, const char *order_id, app_err *err);
	/* Cancels amount (> 0) of a confirmed payment. */
	int (*cancel)(payment_info *out, void *self, const char *payment_key, int64_t amount,
		      const char *reason, const char *idem_key, app_err *err);
	void (*destroy)(void *self);
} payment_gateway_vtbl;

typedef struct payment_gateway {
	const payment_gateway_vtbl *vtbl;
	void *self;
} payment_gateway;

static inline void payment_gateway_checkout(payment_checkout *out, const payment_gateway *g)
{
	g->vtbl->checkout(out, g->self);
}
static inline int payment_gateway_confirm(payment_info *out, const payment_gateway *g,
					  const char *payment_key, const char *order_id,
					  int64_t amount, const char *idem_key, app_err *err)
{
	return g->vtbl->confirm(out, g->self, payment_key, order_id, amount, idem_key, err);
}
static inline int payment_gateway_find(payment_info *out, const payment_gateway *g,
				       const char *payment_key, app_err *err)
{
	return g->vtbl->find(out, g->self, payment_key, err);
}
static inline int payment_gateway_find_by_order(payment_info *out, const payment_gateway *g,
						const char *order_id, app_err *err)
{
	return g->vtbl->find_by_order(out, g->self, order_id, err);
}
static inline int payment_gateway_cancel(payment_info *out, const payment_gateway *g,
					 const char *payment_key, int64_t amount,
					 const char *reason, const char *idem_key, app_err *err)
{
	return g->vtbl->cancel(out, g->self, payment_key, amount, reason, idem_key, err);
}
static inline void payment_gateway_destroy(payment_gateway *g)
{
	if (g->vtbl && g->vtbl->destroy)
		g->vtbl->destroy(g->self);
	g->vtbl = NULL;
	g->self = NULL;
}

#endif
