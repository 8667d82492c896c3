/*
 * One suite, two gateways: the development gateway and the Toss adapter
 * (against the fake Toss on loopback) keep the same contract, the one the
 * members core relies on (ports/payment_gateway.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/payment_dev/payment_dev.h"
#include "adapters/toss/toss.h"
#include "support/fake_toss.h"

typedef struct gw {
	payment_gateway g;
	fake_toss *fake; /* NULL for the development gateway */
	int seq;
} gw;

static int setup_dev(void **state)
{
	gw *w = calloc(1, sizeof(*w));
	app_err err;

	assert_non_null(w);
	assert_int_equal(payment_dev_gateway_new(&w->g, &err), 0);
	*state = w;
	return 0;
}

static int setup_toss(void **state)
{
	gw *w = calloc(1, sizeof(*w));
	fake_toss_config fc = {.client_key = "test_ck_contract", .secret_key = "test_sk_contract"};
	toss_config tc = {0};
	app_err err;

	assert_non_null(w);
	assert_int_equal(fake_toss_start(&w->fake, &fc, &err), 0);
	tc.api_base = fake_toss_base_url(w->fake);
	tc.secret_key = fc.secret_key;
	tc.client_key = fc.client_key;
	tc.timeout_ms = 5000;
	assert_int_equal(toss_gateway_new(&w->g, &tc, &err), 0);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	gw *w = *state;

	payment_gateway_destroy(&w->g);
	fake_toss_stop(w->fake);
	free(w);
	return 0;
}

/* The member pays on the provider's page for a new order: its id and the payment key. */
static void authorised(gw *w, char order_id[32], char key[64], int64_t amount)
{
	snprintf(order_id, 32, "wl-contract-%d", ++w->seq);
	if (w->fake)
		assert_int_equal(fake_toss_authorize(key, w->fake, order_id, amount, "포인트", 0),
				 0);
	else
		snprintf(key, 64, "dev-key-%d", w->seq);
}

static void test_confirm_then_read_back(void **state)
{
	gw *w = *state;
	char order[32], key[64];
	payment_info p, q;
	payment_checkout c;
	app_err err;

	authorised(w, order, key, 12000);
	assert_int_equal(payment_gateway_confirm(&p, &w->g, key, order, 12000, order, &err), 0);
	assert_int_equal(p.status, PAYMENT_DONE);
	assert_string_equal(p.key, key);
	assert_string_equal(p.order_id, order);
	assert_int_equal(p.total_amount, 12000);
	assert_int_equal(p.balance_amount, 12000);
	assert_true(p.approved_at > 0);

	assert_int_equal(payment_gateway_find(&q, &w->g, key, &err), 0);
	assert_int_equal(q.status, PAYMENT_DONE);
	assert_int_equal(q.total_amount, 12000);
	assert_int_equal(payment_gateway_find_by_order(&q, &w->g, order, &err), 0);
	assert_string_equal(q.key, key);

	payment_gateway_checkout(&c, &w->g);
	assert_string_equal(c.provider, w->fake ? "toss" : "dev");
}

static void test_confirm_repeated_with_its_key_answers_the_first_result(void **state)
{
	gw *w = *state;
	char order[32], key[64];
	payment_info p;
	app_err err;

	authorised(w, order, key, 5000);
	assert_int_equal(payment_gateway_confirm(&p, &w->g, key, order, 5000, order, &err), 0);
	assert_int_equal(payment_gateway_confirm(&p, &w->g, key, order, 5000, order, &err), 0);
	assert_int_equal(p.status, PAYMENT_DONE);
	assert_int_equal(p.total_amount, 5000);
}

static void test_a_done_payment_does_not_confirm_another_order(void **state)
{
	gw *w = *state;
	char order[32], key[64], other[32], key2[64];
	payment_info p;
	app_err err;

	authorised(w, order, key, 3000);
	assert_int_equal(payment_gateway_confirm(&p, &w->g, key, order, 3000, order, &err), 0);
	authorised(w, other, key2, 3000);
	/* the first payment's key presented for another order: already processed */
	assert_int_equal(payment_gateway_confirm(&p, &w->g, key, other, 3000, other, &err),
			 APP_ECONFLICT);
	assert_int_equal(payment_gateway_find_by_order(&p, &w->g, other, &err),
			 w->fake ? 0 : APP_ENOTFOUND);
	if (w->fake)
		assert_int_equal(p.status, PAYMENT_IN_PROGRESS);
}

static void test_lookups_of_unknown_payments_are_not_found(void **state)
{
	gw *w = *state;
	payment_info p;
	app_err err;

	assert_int_equal(payment_gateway_find(&p, &w->g, "no-such-key", &err), APP_ENOTFOUND);
	assert_int_equal(payment_gateway_find_by_order(&p, &w->g, "wl-no-such-order", &err),
			 APP_ENOTFOUND);
	assert_int_equal(
	    payment_gateway_cancel(&p, &w->g, "no-such-key", 100, "환불", "ck-unknown", &err),
	    APP_ENOTFOUND);
}

static void test_cancels_in_part_then_the_rest(void **state)
{
	gw *w = *state;
	char order[32], key[64];
	payment_info p;
	app_err err;

	authorised(w, order, key, 10000);
	assert_int_equal(payment_gateway_confirm(&p, &w->g, key, order, 10000, order, &err), 0);
	assert_int_equal(payment_gateway_cancel(&p, &w->g, key, 4000, "일부 환불", "c1", &err), 0);
	assert_int_equal(p.status, PAYMENT_PARTIAL_CANCELED);
	assert_int_equal(p.balance_amount, 6000);
	assert_int_equal(p.cancel_amount, 4000);
	assert_true(p.cancel_key[0] != '\0');
	/* the same key again: the first result, nothing more is canceled */
	assert_int_equal(payment_gateway_cancel(&p, &w->g, key, 4000, "일부 환불", "c1", &err), 0);
	assert_int_equal(p.balance_amount, 6000);
	/* more than is left */
	assert_int_equal(payment_gateway_cancel(&p, &w->g, key, 6001, "환불", "c2", &err),
			 APP_EDECLINED);
	assert_int_equal(payment_gateway_cancel(&p, &w->g, key, 6000, "환불", "c3", &err), 0);
	assert_int_equal(p.status, PAYMENT_CANCELED);
	assert_int_equal(p.balance_amount, 0);
	assert_int_equal(payment_gateway_cancel(&p, &w->g, key, 1, "환불", "c4", &err),
			 APP_ECONFLICT);
	assert_int_equal(payment_gateway_find(&p, &w->g, key, &err), 0);
	assert_int_equal(p.status, PAYMENT_CANCELED);
	assert_int_equal(p.total_amount, 10000);
}

#define BOTH(t) cmocka_unit_test_setup_teardown(t, setup_dev, teardown)
#define TOSS(t) cmocka_unit_test_setup_teardown(t, setup_toss, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    BOTH(test_confirm_then_read_back),
	    TOSS(test_confirm_then_read_back),
	    BOTH(test_confirm_repeated_with_its_key_answers_the_first_result),
	    TOSS(test_confirm_repeated_with_its_key_answers_the_first_result),
	    BOTH(test_a_done_payment_does_not_confirm_another_order),
	    TOSS(test_a_done_payment_does_not_confirm_another_order),
	    BOTH(test_lookups_of_unknown_payments_are_not_found),
	    TOSS(test_lookups_of_unknown_payments_are_not_found),
	    BOTH(test_cancels_in_part_then_the_rest),
	    TOSS(test_cancels_in_part_then_the_rest),
	};
	app_err err;

	toss_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
