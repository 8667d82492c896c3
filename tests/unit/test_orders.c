/*
 * Points orders against fakes: the members core with fake repositories and
 * unit of work, the development gateway or the Toss adapter against the fake
 * Toss, and a decorator that makes the provider fail or lose its answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/toss/toss.h"
#include "domain/members/orders.h"
#include "fakes/fakes.h"
#include "fakes/faults.h"
#include "support/fake_toss.h"

typedef struct fixture {
	fake_world *w;
	fault_gateway fg;
	fake_toss *toss; /* NULL: the development gateway */
	payment_gateway toss_gw;
	member m;
} fixture;

static member make_member(fake_world *w, const char *email)
{
	char token[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	assert_int_equal(members_signup(&m, token, &w->svc, email, "password1", "독자", NULL, &err),
			 0);
	return m;
}

static int setup_with(void **state, int toss)
{
	fixture *fx = calloc(1, sizeof(*fx));
	app_err err;

	fx->w = fake_world_new(NULL);
	fx->fg.inner = fx->w->gateway;
	if (toss) {
		fake_toss_config fc = {.client_key = "test_ck_unit", .secret_key = "test_sk_unit"};
		toss_config tc = {.secret_key = "test_sk_unit", .client_key = "test_ck_unit"};

		assert_int_equal(fake_toss_start(&fx->toss, &fc, &err), 0);
		tc.api_base = fake_toss_base_url(fx->toss);
		tc.timeout_ms = 2000;
		assert_int_equal(toss_gateway_new(&fx->toss_gw, &tc, &err), 0);
		fx->fg.inner = fx->toss_gw;
	}
	fx->w->svc.d.gateway = fault_gateway_port(&fx->fg);
	fx->m = make_member(fx->w, "reader@example.com");
	*state = fx;
	return 0;
}

static int setup_dev(void **state)
{
	return setup_with(state, 0);
}

static int setup_toss(void **state)
{
	return setup_with(state, 1);
}

static int teardown(void **state)
{
	fixture *fx = *state;

	if (fx->toss) {
		payment_gateway_destroy(&fx->toss_gw);
		fake_toss_stop(fx->toss);
	}
	fake_world_free(fx->w);
	free(fx);
	return 0;
}

static int64_t balance_of(fixture *fx, int64_t member_id)
{
	member m;
	app_err err;

	assert_int_equal(members_get(&m, &fx->w->svc, member_id, &err), 0);
	return m.points;
}

/* The sum of the member's ledger equals the balance (and is returned). */
static int64_t ledger_sum(fixture *fx, int64_t member_id)
{
	int64_t sum = 0;

	for (size_t i = 0; i < fx->w->ledger.n; i++)
		if (fx->w->ledger.rows[i].member_id == member_id)
			sum += fx->w->ledger.rows[i].amount;
	assert_int_equal(sum, balance_of(fx, member_id));
	return sum;
}

static size_t entries_of(fixture *fx, ledger_kind kind, int64_t order_id)
{
	size_t n = 0;

	for (size_t i = 0; i < fx->w->ledger.n; i++)
		n += fx->w->ledger.rows[i].kind == kind &&
		     fx->w->ledger.rows[i].order_id == order_id;
	return n;
}

static points_order order_new(fixture *fx, int64_t amount)
{
	points_order o;
	app_err err;

	assert_int_equal(orders_create(&o, &fx->w->svc, fx->m.id, amount, NULL, &err), 0);
	assert_int_equal(o.status, ORDER_PENDING);
	return o;
}

static points_order paid_order(fixture *fx, int64_t amount)
{
	points_order o = order_new(fx, amount);
	int64_t bal;
	app_err err;

	assert_int_equal(
	    orders_confirm(&o, &bal, &fx->w->svc, fx->m.id, o.id, "dev-key-1", amount, &err), 0);
	assert_int_equal(o.status, ORDER_PAID);
	return o;
}

static void test_create_checks_amounts_and_replays_its_key(void **state)
{
	fixture *fx = *state;
	points_order a, b;
	app_err err;

	assert_int_equal(orders_create(&a, &fx->w->svc, fx->m.id, 99, NULL, &err), APP_EINVALID);
	assert_string_equal(err.field, "amount");
	assert_int_equal(orders_create(&a, &fx->w->svc, fx->m.id, 1000001, NULL, &err),
			 APP_EINVALID);
	assert_int_equal(orders_create(&a, &fx->w->svc, fx->m.id, 5000, "k-1", &err), 0);
	assert_memory_equal(a.order_id, "wl-", 3);
	assert_string_equal(a.provider, "dev");
	assert_int_equal(orders_create(&b, &fx->w->svc, fx->m.id, 5000, "k-1", &err), 0);
	assert_int_equal(b.id, a.id);
	assert_int_equal(orders_create(&b, &fx->w->svc, fx->m.id, 7000, "k-1", &err), APP_EINVALID);
	assert_string_equal(err.word, "idempotency_key_reused");
	assert_int_equal(fx->w->orders.n, 1);
	/* storage that fails writes nothing */
	fx->w->orders.fail_next = APP_EUNAVAILABLE;
	assert_int_equal(orders_create(&b, &fx->w->svc, fx->m.id, 5000, "k-2", &err),
			 APP_EUNAVAILABLE);
	assert_int_equal(fx->w->orders.n, 1);
	assert_int_equal(fx->w->idem.n, 1);
}

static void test_confirm_credits_once_and_replays(void **state)
{
	fixture *fx = *state;
	points_order o = order_new(fx, 5000), again;
	int64_t bal;
	app_err err;

	assert_int_equal(orders_confirm(&o, &bal, &fx->w->svc, fx->m.id, o.id, "dev-k", 5000, &err),
			 0);
	assert_int_equal(o.status, ORDER_PAID);
	assert_int_equal(bal, 5000);
	assert_true(o.ledger_id > 0);
	assert_int_equal(fake_outbox_count(&fx->w->outbox, "points.charged"), 1);
	/* the browser sends it again: the same answer, nothing more */
	assert_int_equal(
	    orders_confirm(&again, &bal, &fx->w->svc, fx->m.id, o.id, "dev-k", 5000, &err), 0);
	assert_int_equal(again.status, ORDER_PAID);
	assert_int_equal(bal, 5000);
	assert_int_equal(fx->fg.calls, 1);
	assert_int_equal(entries_of(fx, LEDGER_CHARGE, o.id), 1);
	assert_int_equal(ledger_sum(fx, fx->m.id), 5000);
}

static void test_confirm_refuses_a_tampered_amount_without_asking_the_provider(void **state)
{
	fixture *fx = *state;
	points_order o = order_new(fx, 50000), seen;
	int64_t bal;
	app_err err;

	assert_int_equal(orders_confirm(&o, &bal, &fx->w->svc, fx->m.id, o.id, "dev-k", 100, &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "amount_mismatch");
	assert_int_equal(fx->fg.calls, 0);
	assert_int_equal(orders_get(&seen, &fx->w->svc, fx->m.id, o.id, &err), 0);
	assert_int_equal(seen.status, ORDER_PENDING);
	assert_string_equal(seen.payment_key, "");
	assert_int_equal(balance_of(fx, fx->m.id), 0);
}

static void test_another_members_order_is_not_found(void **state)
{
	fixture *fx = *state;
	points_order o = order_new(fx, 5000);
	member other = make_member(fx->w, "other@example.com");
	int64_t bal;
	app_err err;

	assert_int_equal(orders_confirm(&o, &bal, &fx->w->svc, other.id, o.id, "dev-k", 5000, &err),
			 APP_ENOTFOUND);
	assert_int_equal(orders_get(&o, &fx->w->svc, other.id, o.id, &err), APP_ENOTFOUND);
	assert_int_equal(fx->fg.calls, 0);
	assert_int_equal(balance_of(fx, other.id), 0);
}

static void test_a_lost_answer_is_settled_by_the_pass_exactly_once(void **state)
{
	fixture *fx = *state;
	points_order o = order_new(fx, 8000), seen;
	orders_pass pass;
	int64_t bal;
	app_err err;

	fx->fg.fail_at = 1; /* the provider confirms, the answer never arrives */
	fx->fg.after = 1;
	assert_int_equal(orders_confirm(&o, &bal, &fx->w->svc, fx->m.id, o.id, "dev-k", 8000, &err),
			 0);
	assert_int_equal(o.status, ORDER_PENDING);
	assert_int_equal(bal, 0);
	assert_int_equal(orders_reconcile(&pass, &fx->w->svc, 100, &err), 0);
	assert_int_equal(pass.orders_seen, 1);
	assert_int_equal(pass.orders_settled, 1);
	assert_int_equal(orders_get(&seen, &fx->w->svc, fx->m.id, o.id, &err), 0);
	assert_int_equal(seen.status, ORDER_PAID);
	assert_int_equal(orders_reconcile(&pass, &fx->w->svc, 100, &err), 0);
	assert_int_equal(pass.orders_seen, 0);
	/* the browser retries after all: the first result */
	assert_int_equal(orders_confirm(&o, &bal, &fx->w->svc, fx->m.id, o.id, "dev-k", 8000, &err),
			 0);
	assert_int_equal(bal, 8000);
	assert_int_equal(entries_of(fx, LEDGER_CHARGE, o.id), 1);
	assert_int_equal(ledger_sum(fx, fx->m.id), 8000);
}

static void test_a_confirm_in_flight_is_left_alone_by_the_pass(void **state)
{
	fixture *fx = *state;
	points_order o = order_new(fx, 8000);
	orders_pass pass;
	uow_tx *tx;
	app_err err;

	/* as confirm does before it calls out */
	assert_int_equal(uow_begin(&tx, &fx->w->svc.d.uow, &err), 0);
	assert_int_equal(order_repo_hold(&fx->w->svc.d.orders, tx, o.id, "dev-k",
					 fx->w->clock.now + ORDER_SETTLE_WAIT_MS, fx->w->clock.now,
					 &err),
			 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	assert_int_equal(orders_reconcile(&pass, &fx->w->svc, 100, &err), 0);
	assert_int_equal(pass.orders_seen, 0);
	fx->w->clock.now += ORDER_SETTLE_WAIT_MS;
	assert_int_equal(orders_reconcile(&pass, &fx->w->svc, 100, &err), 0);
	assert_int_equal(pass.orders_seen, 1);
}

static void test_an_order_nobody_paid_is_abandoned_after_an_hour(void **state)
{
	fixture *fx = *state;
	points_order o = order_new(fx, 3000), seen;
	orders_pass pass;
	app_err err;

	assert_int_equal(orders_reconcile(&pass, &fx->w->svc, 100, &err), 0);
	assert_int_equal(pass.orders_settled, 0);
	fx->w->clock.now += ORDER_ABANDON_MS + 1;
	assert_int_equal(orders_reconcile(&pass, &fx->w->svc, 100, &err), 0);
	assert_int_equal(pass.orders_settled, 1);
	assert_int_equal(orders_get(&seen, &fx->w->svc, fx->m.id, o.id, &err), 0);
	assert_int_equal(seen.status, ORDER_CANCELED);
	assert_string_equal(seen.failure_code, "ABANDONED");
	assert_int_equal(fake_outbox_count(&fx->w->outbox, "points.order_closed"), 1);
}

static void test_declined_and_rejected_cards_close_the_order(void **state)
{
	fixture *fx = *state;
	points_order o = order_new(fx, 4000), seen;
	char key[64];
	int64_t bal;
	app_err err;

	assert_int_equal(fake_toss_authorize(key, fx->toss, o.order_id, 4000, "포인트", 1), 0);
	assert_int_equal(orders_confirm(&o, &bal, &fx->w->svc, fx->m.id, o.id, key, 4000, &err),
			 APP_EDECLINED);
	assert_string_equal(err.word, "payment_declined");
	assert_int_equal(orders_get(&seen, &fx->w->svc, fx->m.id, o.id, &err), 0);
	assert_int_equal(seen.status, ORDER_FAILED);
	assert_string_equal(seen.failure_code, "REJECT_CARD_PAYMENT");
	assert_int_equal(orders_confirm(&o, &bal, &fx->w->svc, fx->m.id, o.id, key, 4000, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "order_closed");
	assert_int_equal(balance_of(fx, fx->m.id), 0);
}

static void test_the_pass_confirms_a_payment_whose_browser_went_away(void **state)
{
	fixture *fx = *state;
	points_order o = order_new(fx, 6000), seen;
	orders_pass pass;
	fake_toss_view v;
	char key[64];
	app_err err;

	assert_int_equal(fake_toss_authorize(key, fx->toss, o.order_id, 6000, "포인트", 0), 0);
	assert_int_equal(orders_reconcile(&pass, &fx->w->svc, 100, &err), 0);
	assert_int_equal(pass.orders_settled, 1);
	assert_int_equal(orders_get(&seen, &fx->w->svc, fx->m.id, o.id, &err), 0);
	assert_int_equal(seen.status, ORDER_PAID);
	assert_string_equal(seen.payment_key, key);
	assert_string_equal(seen.method, "카드");
	assert_int_equal(fake_toss_payment(&v, fx->toss, key), 0);
	assert_string_equal(v.status, "DONE");
	assert_int_equal(ledger_sum(fx, fx->m.id), 6000);
}

static void test_a_webhook_is_never_believed(void **state)
{
	fixture *fx = *state;
	points_order mine = order_new(fx, 1000), dear = order_new(fx, 500000), seen;
	char cheap[64];
	app_err err;

	/* a real, cheap payment of one order presented as the payment of another */
	assert_int_equal(fake_toss_authorize(cheap, fx->toss, mine.order_id, 1000, "포인트", 0), 0);
	assert_int_equal(orders_notified(&fx->w->svc, cheap, dear.order_id, &err), 0);
	assert_int_equal(orders_get(&seen, &fx->w->svc, fx->m.id, dear.id, &err), 0);
	assert_int_equal(seen.status, ORDER_PENDING);
	/* a made-up key and an order that is not ours */
	assert_int_equal(orders_notified(&fx->w->svc, "forged", dear.order_id, &err), 0);
	assert_int_equal(orders_notified(&fx->w->svc, cheap, "wl-not-ours", &err), 0);
	assert_int_equal(orders_notified(&fx->w->svc, NULL, NULL, &err), 0);
	assert_int_equal(orders_get(&seen, &fx->w->svc, fx->m.id, dear.id, &err), 0);
	assert_int_equal(seen.status, ORDER_PENDING);
	assert_int_equal(balance_of(fx, fx->m.id), 0);
	/* the true story of the cheap one settles the cheap one only */
	assert_int_equal(orders_notified(&fx->w->svc, cheap, mine.order_id, &err), 0);
	assert_int_equal(orders_get(&seen, &fx->w->svc, fx->m.id, mine.id, &err), 0);
	assert_int_equal(seen.status, ORDER_PAID);
	assert_int_equal(balance_of(fx, fx->m.id), 1000);
}

static void test_refunds_full_unspent_and_never_twice(void **state)
{
	fixture *fx = *state;
	points_order o = paid_order(fx, 10000), after;
	points_refund r;
	ledger_entry spent;
	app_err err;

	{
		uow_tx *tx;

		assert_int_equal(uow_begin(&tx, &fx->w->svc.d.uow, &err), 0);
		assert_int_equal(members_wallet_spend_in(&spent, &fx->w->svc, tx, fx->m.id, 3000,
							 LEDGER_PURCHASE, 7, 1, &err),
				 0);
		assert_int_equal(uow_commit(tx, &err), 0);
	}
	/* 7,000 left: a full refund would take the wallet below zero */
	assert_int_equal(
	    orders_refund(&r, &after, &fx->w->svc, 99, o.id, REFUND_FULL, "요청", &err),
	    APP_EINSUFFICIENT);
	assert_int_equal(balance_of(fx, fx->m.id), 7000);
	assert_int_equal(
	    orders_refund(&r, &after, &fx->w->svc, 99, o.id, REFUND_UNSPENT, "요청", &err), 0);
	assert_int_equal(r.status, REFUND_DONE);
	assert_int_equal(r.amount, 7000);
	assert_int_equal(after.status, ORDER_PARTIALLY_REFUNDED);
	assert_int_equal(after.refunded, 7000);
	assert_int_equal(balance_of(fx, fx->m.id), 0);
	assert_int_equal(entries_of(fx, LEDGER_REFUND, o.id), 1);
	assert_int_equal(fake_outbox_count(&fx->w->outbox, "points.refunded"), 1);
	/* nothing left in the wallet: a second refund is refused, nothing moves */
	assert_int_equal(
	    orders_refund(&r, &after, &fx->w->svc, 99, o.id, REFUND_UNSPENT, "다시", &err),
	    APP_EINSUFFICIENT);
	assert_int_equal(orders_refund(&r, &after, &fx->w->svc, 99, o.id, REFUND_FULL, " ", &err),
			 APP_EINVALID);
	assert_int_equal(ledger_sum(fx, fx->m.id), 0);
}

static void test_a_refused_refund_gives_the_points_back(void **state)
{
	fixture *fx = *state;
	points_order o = paid_order(fx, 5000);
	points_refund r;
	app_err err;

	fx->fg.fail_at = fx->fg.calls + 1;
	fx->fg.fail_rc = APP_EDECLINED;
	assert_int_equal(orders_refund(&r, NULL, &fx->w->svc, 99, o.id, REFUND_FULL, "요청", &err),
			 APP_EDECLINED);
	assert_int_equal(balance_of(fx, fx->m.id), 5000);
	assert_int_equal(entries_of(fx, LEDGER_REFUND, o.id), 1);
	assert_int_equal(entries_of(fx, LEDGER_REFUND_REVERSED, o.id), 1);
	assert_int_equal(ledger_sum(fx, fx->m.id), 5000);
	/* the order is refundable again */
	assert_int_equal(orders_refund(&r, NULL, &fx->w->svc, 99, o.id, REFUND_FULL, "요청", &err),
			 0);
	assert_int_equal(r.status, REFUND_DONE);
	assert_int_equal(balance_of(fx, fx->m.id), 0);
}

static void test_a_refund_in_doubt_is_sent_again_with_its_key(void **state)
{
	fixture *fx = *state;
	points_order o = paid_order(fx, 5000);
	points_refund r, again;
	payment_info p;
	orders_pass pass;
	app_err err;

	fx->fg.fail_at = fx->fg.calls + 1; /* the cancel happens, its answer is lost */
	fx->fg.after = 1;
	assert_int_equal(orders_refund(&r, NULL, &fx->w->svc, 99, o.id, REFUND_FULL, "요청", &err),
			 0);
	assert_int_equal(r.status, REFUND_PENDING);
	assert_int_equal(balance_of(fx, fx->m.id), 0); /* held while in doubt */
	/* a second refund waits for the first */
	assert_int_equal(
	    orders_refund(&again, NULL, &fx->w->svc, 99, o.id, REFUND_FULL, "요청", &err),
	    APP_EINSUFFICIENT);
	assert_int_equal(orders_reconcile(&pass, &fx->w->svc, 100, &err), 0);
	assert_int_equal(pass.refunds_seen, 1);
	assert_int_equal(pass.refunds_settled, 1);
	assert_int_equal(order_repo_refund_find(&again, &fx->w->svc.d.orders, NULL, r.id, &err), 0);
	assert_int_equal(again.status, REFUND_DONE);
	/* one cancel at the provider, not two */
	assert_int_equal(payment_gateway_find(&p, &fx->fg.inner, o.payment_key, &err), 0);
	assert_int_equal(p.balance_amount, 0);
	assert_int_equal(p.status, PAYMENT_CANCELED);
	assert_int_equal(ledger_sum(fx, fx->m.id), 0);
}

#define DEV(t)	cmocka_unit_test_setup_teardown(t, setup_dev, teardown)
#define TOSS(t) cmocka_unit_test_setup_teardown(t, setup_toss, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    DEV(test_create_checks_amounts_and_replays_its_key),
	    DEV(test_confirm_credits_once_and_replays),
	    DEV(test_confirm_refuses_a_tampered_amount_without_asking_the_provider),
	    DEV(test_another_members_order_is_not_found),
	    DEV(test_a_lost_answer_is_settled_by_the_pass_exactly_once),
	    DEV(test_a_confirm_in_flight_is_left_alone_by_the_pass),
	    DEV(test_an_order_nobody_paid_is_abandoned_after_an_hour),
	    TOSS(test_declined_and_rejected_cards_close_the_order),
	    TOSS(test_the_pass_confirms_a_payment_whose_browser_went_away),
	    TOSS(test_a_webhook_is_never_believed),
	    DEV(test_refunds_full_unspent_and_never_twice),
	    DEV(test_a_refused_refund_gives_the_points_back),
	    DEV(test_a_refund_in_doubt_is_sent_again_with_its_key),
	};
	app_err err;

	toss_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
