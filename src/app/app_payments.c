/* Wiring of the payment provider (--payments dev|toss) for charges and points orders. */
#include <stdio.h>
#include <string.h>

#include "adapters/payment_dev/payment_dev.h"
#include "adapters/toss/toss.h"
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

void app_payments_tick(app *a)
{
	orders_pass pass;
	app_err err;

	app_err_clear(&err);
	if (orders_reconcile(&pass, &a->members, 200, &err))
		fprintf(stderr,
			"{\"level\":\"error\",\"msg\":\"payments reconciliation failed\","
			"\"detail\":\"%s\"}\n",
			err.msg);
	else if (pass.orders_seen || pass.refunds_seen)
		fprintf(stderr,
			"{\"level\":\"info\",\"msg\":\"payments reconciled\",\"orders\":%d,"
			"\"ordersSettled\":%d,\"refunds\":%d,\"refundsSettled\":%d}\n",
			pass.orders_seen, pass.orders_settled, pass.refunds_seen,
			pass.refunds_settled);
}
