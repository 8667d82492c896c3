#include "adapters/scheduler/passes.h"

#include <stdio.h>

#include "domain/books/books.h"
#include "domain/earnings/earnings.h"
#include "domain/members/members.h"
#include "domain/members/orders.h"

/* Orders and refunds looked at by one reconciliation pass. */
#define ORDERS_PASS_LIMIT 200

static void pass_failed(const char *what, const app_err *err)
{
	fprintf(stderr, "{\"level\":\"error\",\"msg\":\"%s failed\",\"detail\":\"%s\"}\n", what,
		err->msg);
}

void scheduler_pass_subscriptions(void *ctx)
{
	int renewed = 0, expired = 0;
	app_err err;

	app_err_clear(&err);
	if (members_renew_due(&renewed, &expired, ctx, &err))
		pass_failed("subscription pass", &err);
	else if (renewed || expired)
		fprintf(stderr,
			"{\"level\":\"info\",\"msg\":\"subscriptions\",\"renewed\":%d,\"expired\":%"
			"d}\n",
			renewed, expired);
}

void scheduler_pass_sessions(void *ctx)
{
	int64_t purged = 0;
	app_err err;

	app_err_clear(&err);
	if (members_purge_sessions(&purged, ctx, &err))
		pass_failed("session purge", &err);
}

void scheduler_pass_orders(void *ctx)
{
	orders_pass pass;
	app_err err;

	app_err_clear(&err);
	if (orders_reconcile(&pass, ctx, ORDERS_PASS_LIMIT, &err))
		pass_failed("payments reconciliation", &err);
	else if (pass.orders_seen || pass.refunds_seen)
		fprintf(stderr,
			"{\"level\":\"info\",\"msg\":\"payments reconciled\",\"orders\":%d,"
			"\"ordersSettled\":%d,\"refunds\":%d,\"refundsSettled\":%d}\n",
			pass.orders_seen, pass.orders_settled, pass.refunds_seen,
			pass.refunds_settled);
}

void scheduler_pass_earnings(void *ctx)
{
	int months = 0;
	app_err err;

	app_err_clear(&err);
	if (earnings_settle_due(&months, ctx, &err))
		pass_failed("earnings pass", &err);
	else if (months)
		fprintf(stderr,
			"{\"level\":\"info\",\"msg\":\"earnings months settled\",\"months\":%d}\n",
			months);
}

void scheduler_pass_episodes(void *ctx)
{
	size_t n = 0;
	app_err err;

	app_err_clear(&err);
	if (books_publish_due(&n, ctx, &err))
		pass_failed("scheduled publishing", &err);
	else if (n)
		fprintf(stderr,
			"{\"level\":\"info\",\"msg\":\"episodes published\",\"count\":%zu}\n", n);
}
