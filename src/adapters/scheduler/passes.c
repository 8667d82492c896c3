#include "adapters/scheduler/passes.h"

#include "domain/books/books.h"
#include "domain/common/log.h"
#include "domain/earnings/earnings.h"
#include "domain/members/members.h"
#include "domain/members/orders.h"

/* Orders and refunds looked at by one reconciliation pass. */
#define ORDERS_PASS_LIMIT 200

void scheduler_pass_subscriptions(void *ctx)
{
	int renewed = 0, expired = 0;
	log_line l;
	app_err err;

	app_err_clear(&err);
	if (members_renew_due(&renewed, &expired, ctx, &err)) {
		log_error("subscription pass failed", &err);
	} else if (renewed || expired) {
		log_begin(&l, "info", "subscriptions");
		log_int(&l, "renewed", renewed);
		log_int(&l, "expired", expired);
		log_end(&l);
	}
}

void scheduler_pass_sessions(void *ctx)
{
	int64_t purged = 0;
	app_err err;

	app_err_clear(&err);
	if (members_purge_sessions(&purged, ctx, &err))
		log_error("session purge failed", &err);
}

void scheduler_pass_orders(void *ctx)
{
	orders_pass pass;
	log_line l;
	app_err err;

	app_err_clear(&err);
	if (orders_reconcile(&pass, ctx, ORDERS_PASS_LIMIT, &err)) {
		log_error("payments reconciliation failed", &err);
	} else if (pass.orders_seen || pass.refunds_seen) {
		log_begin(&l, "info", "payments reconciled");
		log_int(&l, "orders", pass.orders_seen);
		log_int(&l, "ordersSettled", pass.orders_settled);
		log_int(&l, "refunds", pass.refunds_seen);
		log_int(&l, "refundsSettled", pass.refunds_settled);
		log_end(&l);
	}
}

void scheduler_pass_earnings(void *ctx)
{
	int months = 0;
	log_line l;
	app_err err;

	app_err_clear(&err);
	if (earnings_settle_due(&months, ctx, &err)) {
		log_error("earnings pass failed", &err);
	} else if (months) {
		log_begin(&l, "info", "earnings months settled");
		log_int(&l, "months", months);
		log_end(&l);
	}
}

void scheduler_pass_episodes(void *ctx)
{
	size_t n = 0;
	log_line l;
	app_err err;

	app_err_clear(&err);
	if (books_publish_due(&n, ctx, &err)) {
		log_error("scheduled publishing failed", &err);
	} else if (n) {
		log_begin(&l, "info", "episodes published");
		log_int(&l, "count", (long long)n);
		log_end(&l);
	}
}

void scheduler_pass_covers(void *ctx)
{
	size_t n = 0;
	log_line l;
	app_err err;

	app_err_clear(&err);
	if (books_cover_renditions(&n, ctx, &err)) {
		log_error("cover renditions failed", &err);
	} else if (n) {
		log_begin(&l, "info", "cover renditions made");
		log_int(&l, "count", (long long)n);
		log_end(&l);
	}
}
