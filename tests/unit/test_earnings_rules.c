/* The earnings arithmetic: shares round down, the pool splits by read units, months are UTC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "domain/earnings/earning.h"
#include "domain/members/order.h"

static void test_shares_round_down(void **state)
{
	(void)state;
	assert_int_equal(earnings_share(1000, 70), 700);
	assert_int_equal(earnings_share(999, 70), 699); /* 699.3 */
	assert_int_equal(earnings_share(1, 70), 0);
	assert_int_equal(earnings_share(9900, 70), 6930);
	assert_int_equal(earnings_share(100, 100), 100);
	assert_int_equal(earnings_share(100, 0), 0);
	assert_int_equal(earnings_share(-5, 70), 0);
	assert_int_equal(earnings_share(9000000000000000001LL, 70), 6300000000000000000LL);
}

static void test_the_pool_splits_by_units_and_keeps_the_remainder(void **state)
{
	pool_units w[3] = {{1, 10, 3}, {2, 20, 1}, {2, 21, 0}};
	int64_t out[3];

	(void)state;
	earnings_pool_split(out, w, 3, 1000);
	assert_int_equal(out[0], 750);
	assert_int_equal(out[1], 250);
	assert_int_equal(out[2], 0);
	earnings_pool_split(out, w, 3, 1001); /* 750.75, 250.25: one point stays */
	assert_int_equal(out[0] + out[1], 1000);
	w[0].units = w[1].units = 0;
	earnings_pool_split(out, w, 3, 1000);
	assert_int_equal(out[0] + out[1] + out[2], 0);
	/* a large pool over many units never overflows */
	w[0].units = 1000000000;
	w[1].units = 999999999;
	earnings_pool_split(out, w, 2, 1000000000000LL);
	assert_true(out[0] + out[1] <= 1000000000000LL);
	assert_true(out[0] + out[1] >= 1000000000000LL - 2);
}

static void test_months_are_utc_calendar_months(void **state)
{
	(void)state;
	assert_int_equal(earnings_month_of(0), 197001);
	assert_int_equal(earnings_month_of(1704067199999LL), 202312); /* 2023-12-31T23:59:59.999Z */
	assert_int_equal(earnings_month_of(1704067200000LL), 202401);
	assert_int_equal(earnings_month_of(1709164800000LL), 202402); /* 2024-02-29 */
	assert_int_equal(earnings_month_start(202401), 1704067200000LL);
	assert_int_equal(earnings_month_next(202312), 202401);
	assert_int_equal(earnings_month_next(202402), 202403);
	for (int m = 199912; m < 203012; m = earnings_month_next(m)) {
		assert_int_equal(earnings_month_of(earnings_month_start(m)), m);
		assert_int_equal(earnings_month_of(earnings_month_start(m) - 1),
				 m % 100 == 1 ? (m / 100 - 1) * 100 + 12 : m - 1);
	}
}

static points_order order_of(int64_t amount, int64_t refunded)
{
	points_order o = {.amount = amount, .refunded = refunded, .status = ORDER_PAID};

	return o;
}

static void test_refunds_never_take_more_than_the_wallet_holds(void **state)
{
	points_order o = order_of(10000, 0);
	int64_t amt;
	app_err err;

	(void)state;
	assert_int_equal(order_refund_amount(&amt, &o, REFUND_FULL, 10000, &err), 0);
	assert_int_equal(amt, 10000);
	assert_int_equal(order_refund_amount(&amt, &o, REFUND_FULL, 9999, &err), APP_EINSUFFICIENT);
	assert_int_equal(order_refund_amount(&amt, &o, REFUND_UNSPENT, 7000, &err), 0);
	assert_int_equal(amt, 7000);
	assert_int_equal(order_refund_amount(&amt, &o, REFUND_UNSPENT, 50000, &err), 0);
	assert_int_equal(amt, 10000);
	assert_int_equal(order_refund_amount(&amt, &o, REFUND_UNSPENT, 0, &err), APP_EINSUFFICIENT);
	o = order_of(10000, 7000);
	assert_int_equal(order_refund_amount(&amt, &o, REFUND_FULL, 50000, &err), 0);
	assert_int_equal(amt, 3000);
	o = order_of(10000, 10000);
	assert_int_equal(order_refund_amount(&amt, &o, REFUND_UNSPENT, 50000, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "already_refunded");
}

static void test_settlement_follows_the_providers_record(void **state)
{
	points_order o = {.amount = 5000, .status = ORDER_PENDING, .created_at = 1000};
	payment_info p = {.total_amount = 5000, .status = PAYMENT_DONE};
	const int64_t soon = 2000, late = 1000 + ORDER_ABANDON_MS + 1;

	(void)state;
	snprintf(o.order_id, sizeof(o.order_id), "wl-abc");
	snprintf(p.order_id, sizeof(p.order_id), "wl-abc");
	assert_int_equal(order_settlement_of(&o, 0, &p, soon), SETTLE_CREDIT);
	p.status = PAYMENT_IN_PROGRESS;
	assert_int_equal(order_settlement_of(&o, 0, &p, soon), SETTLE_CONFIRM);
	p.status = PAYMENT_ABORTED;
	assert_int_equal(order_settlement_of(&o, 0, &p, soon), SETTLE_FAIL);
	p.status = PAYMENT_EXPIRED;
	assert_int_equal(order_settlement_of(&o, 0, &p, soon), SETTLE_CANCEL);
	p.status = PAYMENT_READY;
	assert_int_equal(order_settlement_of(&o, 0, &p, soon), SETTLE_WAIT);
	assert_int_equal(order_settlement_of(&o, 0, &p, late), SETTLE_CANCEL);
	assert_int_equal(order_settlement_of(&o, APP_ENOTFOUND, &p, soon), SETTLE_WAIT);
	assert_int_equal(order_settlement_of(&o, APP_ENOTFOUND, &p, late), SETTLE_CANCEL);
	assert_int_equal(order_settlement_of(&o, APP_EUPSTREAM, &p, late), SETTLE_WAIT);
	/* a done payment of another order or amount never credits this one */
	p.status = PAYMENT_DONE;
	p.total_amount = 100;
	assert_int_equal(order_settlement_of(&o, 0, &p, soon), SETTLE_WAIT);
	p.total_amount = 5000;
	snprintf(p.order_id, sizeof(p.order_id), "wl-other");
	assert_int_equal(order_settlement_of(&o, 0, &p, soon), SETTLE_WAIT);
}

static void test_payment_keys(void **state)
{
	(void)state;
	assert_true(order_payment_key_valid("tgen_20240101abcDEF-_="));
	assert_false(order_payment_key_valid(""));
	assert_false(order_payment_key_valid("a/b"));
	assert_false(order_payment_key_valid("a b"));
	assert_false(order_payment_key_valid("키"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_shares_round_down),
	    cmocka_unit_test(test_the_pool_splits_by_units_and_keeps_the_remainder),
	    cmocka_unit_test(test_months_are_utc_calendar_months),
	    cmocka_unit_test(test_refunds_never_take_more_than_the_wallet_holds),
	    cmocka_unit_test(test_settlement_follows_the_providers_record),
	    cmocka_unit_test(test_payment_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
