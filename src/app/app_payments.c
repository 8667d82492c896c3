/* Wiring of the payment provider (--payments dev|toss) for charges and points orders. */
#include <stdio.h>
#include <string.h>

#include "adapters/payment_dev/payment_dev.h"
#include "adapters/toss/toss.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "app/app.h"
#include "domain/members/orders.h"

int app_payments_open(app *a, app_err *err)
{
	toss_config tc;
	int rc;

	if (strcmp(a->cfg.payments, "toss") != 0) {
		a->payments = payment_dev_provider();
		return payment_dev_gateway_new(&a->gateway, err);
	}
	if ((rc = toss_global_init(err)))
		return rc;
	a->toss_inited = 1;
	memset(&tc, 0, sizeof(tc));
	tc.api_base = a->cfg.toss_api_base;
	tc.secret_key = a->cfg.toss_secret_key;
	tc.client_key = a->cfg.toss_client_key;
	tc.sdk_url = a->cfg.toss_sdk_url;
	a->payments = toss_charge_port();
	return toss_gateway_new(&a->gateway, &tc, err);
}

void app_payments_close(app *a)
{
	if (a->gateway.vtbl)
		payment_gateway_destroy(&a->gateway);
	if (a->toss_inited)
		toss_global_cleanup();
	a->toss_inited = 0;
}

/* --- earnings ------------------------------------------------------------------------------- */

/* A work's author and title, and whether reader_id reads it through the subscription now. */
static int earnings_work(int64_t *author_id, char title[EARNINGS_TITLE_MAX], int *by_subscription,
			 void *self, int64_t book_id, int64_t reader_id, app_err *err)
{
	app *a = self;
	books_reader who = {.member_id = reader_id};
	book_access access;
	book b;
	int rc = books_get(&b, &access, &a->books, &who, book_id, err);

	if (rc)
		return rc;
	*author_id = b.author_id;
	snprintf(title, EARNINGS_TITLE_MAX, "%s", b.title);
	*by_subscription = reader_id > 0 && access.reason == BOOK_ACCESS_SUBSCRIPTION;
	return 0;
}

static const earnings_sources_vtbl earnings_sources_of_app = {.work = earnings_work};

static int on_spent(void *ctx, const domain_event *ev, app_err *err)
{
	return earnings_on_spent(ctx, ev, err);
}

static int on_viewed(void *ctx, const domain_event *ev, app_err *err)
{
	return earnings_on_viewed(ctx, ev, err);
}

int app_earnings_open(app *a, app_err *err)
{
	static const char *const spent[] = {"points.spent", NULL};
	static const char *const viewed[] = {"episode.viewed", NULL};
	earnings_deps d = {
	    .repo = sqlite_earnings_repo(a->db),
	    .sources = {&earnings_sources_of_app, a},
	    .uow = bus_uow(a->bus),
	    .events = bus_publisher(a->bus),
	    .clock = a->clock,
	};
	int rc;

	earnings_service_init(&a->earnings, &d, a->cfg.author_share_percent);
	if ((rc = bus_subscribe(a->bus, "earnings.sales", spent, BUS_ASYNC, on_spent, &a->earnings,
				err)))
		return rc;
	return bus_subscribe(a->bus, "earnings.reads", viewed, BUS_ASYNC, on_viewed, &a->earnings,
			     err);
}
