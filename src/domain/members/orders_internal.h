/* Shared by the orders files of the members core (orders.c, orders_settle.c, refunds.c). */
#ifndef WL_DOMAIN_ORDERS_INTERNAL_H
#define WL_DOMAIN_ORDERS_INTERNAL_H

#include "domain/members/orders.h"

int64_t orders_now(members_service *svc);

/* The member's balance now. */
int orders_balance(int64_t *balance, members_service *svc, int64_t member_id, app_err *err);

/*
 * Credits the confirmed payment p to order id once: pending -> paid with the
 * credit, its ledger entry and points.charged in one unit. An order someone
 * else settled first answers as it stands (APP_ECONFLICT "order_closed" when
 * it was closed unpaid). out is the order afterwards.
 */
int orders_credit_once(points_order *out, int64_t *balance, members_service *svc, int64_t id,
		       const payment_info *p, app_err *err);

/*
 * pending -> status (failed or canceled) with code and points.order_closed.
 * out holds the order (in) and is the order afterwards; settled meanwhile
 * is not an error.
 */
int orders_close_once(points_order *out, members_service *svc, int64_t id, order_status status,
		      const char *code, app_err *err);

/*
 * What a confirm of o with payment key `key` came back with (rc, p): credit,
 * fail (APP_EDECLINED), or leave it to the reconciliation pass (0, still
 * pending). *balance is the wallet afterwards.
 */
int orders_after_confirm(points_order *o, int64_t *balance, members_service *svc, const char *key,
			 int rc, const payment_info *p, app_err *err);

/* The reconciliation of refunds (refunds.c). */
int orders_reconcile_refunds(orders_pass *out, members_service *svc, size_t limit, app_err *err);

#endif
