/*
 * Points orders (the members core): points bought through a payment
 * provider's checkout, confirmed server to server, credited once, refunded
 * by an admin. The provider is never called inside a unit of work: each use
 * case records what it is about to do, calls out, then commits the outcome;
 * an outcome the provider left unknown is settled later by orders_reconcile().
 */
#ifndef WL_DOMAIN_ORDERS_H
#define WL_DOMAIN_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/members/members.h"
#include "domain/members/order.h"

/*
 * Opens a pending order for amount (ORDER_AMOUNT_MIN..MAX) points. With an
 * idempotency key the same member's repeat returns the first order;
 * APP_EINVALID "idempotency_key_reused" when that one was for another
 * amount.
 */
int orders_create(points_order *out, members_service *svc, int64_t member_id, int64_t amount,
		  const char *idem_key, app_err *err);

/* What the browser needs to open the provider's checkout. */
void orders_checkout(payment_checkout *out, members_service *svc);

/* One order; member_id 0 reads anyone's (admin). APP_ENOTFOUND for others' orders. */
int orders_get(points_order *out, members_service *svc, int64_t member_id, int64_t id,
	       app_err *err);

/* Newest first (member_id 0: everyone's; status 0: any); *next_before 0 on the last page. */
int orders_list(points_order *out, size_t *n, int64_t *next_before, members_service *svc,
		int64_t member_id, order_status status, int64_t before, size_t limit, app_err *err);

/*
 * Confirms the member's order with the payment key the provider gave the
 * browser. amount must be the order's (APP_EINVALID "amount_mismatch":
 * nothing is sent to the provider). 0 with out paid and *balance the wallet
 * after (a repeat of a paid order answers the same), or 0 with out still
 * pending when the provider's answer did not come (the order is settled
 * later). APP_EDECLINED "payment_declined" (the order is failed),
 * APP_ECONFLICT "order_closed", "payment_key_mismatch", APP_ENOTFOUND.
 */
int orders_confirm(points_order *out, int64_t *balance, members_service *svc, int64_t member_id,
		   int64_t id, const char *payment_key, int64_t amount, app_err *err);

/*
 * The provider says a payment changed (a webhook). Nothing in the message
 * is believed: the payment is read back from the provider and the order of
 * ours it names is settled from that. Unknown orders are ignored.
 */
int orders_notified(members_service *svc, const char *payment_key, const char *order_id,
		    app_err *err);

typedef struct orders_pass {
	int orders_seen, orders_settled;
	int refunds_seen, refunds_settled;
} orders_pass;

/*
 * The scheduler's pass: asks the provider about every pending order whose
 * confirm is not in flight (crediting, confirming an authorised payment the
 * browser never came back for, failing or abandoning), and sends again every
 * refund whose outcome is unknown. At most limit of each per pass.
 */
int orders_reconcile(orders_pass *out, members_service *svc, size_t limit, app_err *err);

/*
 * An admin refunds a paid order: REFUND_FULL (what is left of it) or
 * REFUND_UNSPENT (as much of that as the wallet holds). The points leave the
 * wallet first (a ledger entry; never below zero), then the provider cancels
 * that much of the payment. 0 with out done, or pending when the provider's
 * answer did not come; APP_EDECLINED when it refused (the points come back,
 * with a ledger entry). APP_ECONFLICT "not_refundable", "already_refunded",
 * "refund_pending"; APP_EINSUFFICIENT; APP_EINVALID "reason". order (may be
 * NULL) is the order afterwards.
 */
int orders_refund(points_refund *out, points_order *order, members_service *svc, int64_t admin_id,
		  int64_t id, refund_mode mode, const char *reason, app_err *err);

#endif
