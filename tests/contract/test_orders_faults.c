/*
 * Fault sweeps over points orders on SQLite: every storage call and every
 * provider call of order, confirm, refund and the reconciliation pass is
 * failed in turn (the provider's also after it took effect: the answer is
 * lost), and after each failure and one reconciliation the money adds up:
 *
 *   - every wallet equals the sum of its ledger (and none is below zero);
 *   - every payment the provider confirmed is credited exactly once, and
 *     nothing else is;
 *   - every refund matches a cancel at the provider: what the provider gave
 *     back is what the orders record as refunded, and what left the wallets.
 *
 * Then 200 orders with failures injected at random steps keep the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "adapters/payment_dev/payment_dev.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "domain/members/orders.h"
#include "fakes/fakes.h"
#include "fakes/faults.h"
#include "support/test_env.h"

typedef struct world {
	sqlite_db *db;
	sqlite3 *check; /* a connection of the test's own, for the invariants */
	outbox_port outbox;
	fake_clock clock;
	fake_crypto crypto;
	fake_limiter limiter;
	fake_payments payments;
	payment_gateway dev;
	fault_gateway fg;
	fault_storage fs;
	members_service svc;
	int64_t members[3];
	int64_t admin;
} world;

/* Events into the outbox, in the caller's unit (no bus: nothing subscribes here). */
static int publish(void *self, uow_tx *tx, domain_event *ev, app_err *err)
{
	world *w = self;

	return outbox_append(&w->outbox, tx, ev, w->clock.now, err);
}

static const event_publisher_vtbl publish_vtbl = {.publish = publish};

static void add_members(world *w)
{
	char token[CRYPTO_TOKEN_MAX], email[64];
	member m;
	app_err err;

	for (int i = 0; i < 3; i++) {
		snprintf(email, sizeof(email), "m%d@example.com", i);
		assert_int_equal(
		    members_signup(&m, token, &w->svc, email, "password1", "독자", NULL, &err), 0);
		w->members[i] = m.id;
	}
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	char dir[512], path[600];
	members_deps d;
	app_err err;

	test_tmpdir(dir, sizeof(dir), "orders-faults");
	snprintf(path, sizeof(path), "%s/test.db", dir);
	assert_int_equal(sqlite_db_open(&w->db, path, &err), 0);
	assert_int_equal(sqlite3_open(path, &w->check), SQLITE_OK);
	w->outbox = sqlite_outbox(w->db);
	w->clock.now = 1767225600000LL;
	assert_int_equal(payment_dev_gateway_new(&w->dev, &err), 0);
	w->fg.inner = w->dev;
	d = (members_deps){
	    .members = sqlite_member_repo(w->db),
	    .sessions = sqlite_session_repo(w->db),
	    .ledger = sqlite_ledger_repo(w->db),
	    .subscriptions = sqlite_subscription_repo(w->db),
	    .idempotency = sqlite_idempotency_repo(w->db),
	    .uow = sqlite_db_uow(w->db),
	    .events = {.vtbl = &publish_vtbl, .self = w},
	    .clock = fake_clock_port(&w->clock),
	    .crypto = fake_crypto_port(&w->crypto),
	    .payments = fake_payment_port(&w->payments),
	    .limiter = fake_limiter_port(&w->limiter),
	    .orders = sqlite_order_repo(w->db),
	    .gateway = fault_gateway_port(&w->fg),
	};
	fault_storage_wrap(&d, &w->fs);
	members_service_init(&w->svc, &d, NULL);
	add_members(w);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;

	sqlite3_close(w->check);
	sqlite_db_close(w->db);
	payment_gateway_destroy(&w->dev);
	free(w);
	return 0;
}

static void no_faults(world *w)
{
	w->fs.fail_at = w->fg.fail_at = 0;
	w->fs.failed = w->fg.failed = 0;
	w->fg.after = 0;
	w->fg.fail_rc = 0;
}

static int64_t scalar(world *w, const char *sql, int64_t bind)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(w->check, sql, -1, &st, NULL), SQLITE_OK);
	if (bind)
		sqlite3_bind_int64(st, 1, bind);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The provider's record of an order's payment: what it took and what it gave back. */
static void provider_record(world *w, const char *order_id, int *paid, int64_t *given_back)
{
	payment_info p;
	app_err err;

	*paid = 0;
	*given_back = 0;
	if (payment_gateway_find_by_order(&p, &w->dev, order_id, &err) == 0) {
		*paid = 1;
		*given_back = p.total_amount - p.balance_amount;
	}
}

static void check_order(world *w, sqlite3_stmt *st)
{
	int64_t id = sqlite3_column_int64(st, 0), refunded = sqlite3_column_int64(st, 3);
	const char *order_id = (const char *)sqlite3_column_text(st, 1);
	const char *status = (const char *)sqlite3_column_text(st, 2);
	int ours_paid = strcmp(status, "paid") == 0 || strcmp(status, "refunded") == 0 ||
			strcmp(status, "partially_refunded") == 0;
	int64_t given_back, charges, refunds;
	int paid;

	provider_record(w, order_id, &paid, &given_back);
	charges =
	    scalar(w, "SELECT count(*) FROM ledger WHERE kind = 'charge' AND order_id = ?1", id);
	refunds = scalar(w,
			 "SELECT coalesce(-sum(amount), 0) FROM ledger WHERE order_id = ?1"
			 " AND kind IN ('refund', 'refund_reversed')",
			 id);
	/* a payment the provider took is credited once; nothing else is */
	assert_int_equal(ours_paid, paid);
	assert_int_equal(charges, ours_paid ? 1 : 0);
	/* what the provider gave back is what the order says and what left the wallet */
	assert_int_equal(given_back, refunded);
	assert_int_equal(refunds, refunded);
	assert_int_equal(
	    scalar(w,
		   "SELECT coalesce(sum(amount), 0) FROM points_refunds WHERE order_id = ?1"
		   " AND status = 'done'",
		   id),
	    refunded);
}

/* After a reconciliation without faults, the money adds up (see the top of this file). */
static void settle_and_check(world *w)
{
	orders_pass pass;
	sqlite3_stmt *st;
	app_err err;

	no_faults(w);
	w->clock.now += ORDER_SETTLE_WAIT_MS + 1;
	assert_int_equal(orders_reconcile(&pass, &w->svc, 10000, &err), 0);
	assert_int_equal(
	    scalar(w,
		   "SELECT count(*) FROM members m WHERE points <> (SELECT coalesce(sum("
		   "amount), 0) FROM ledger l WHERE l.member_id = m.id) OR points < 0",
		   0),
	    0);
	assert_int_equal(
	    scalar(w, "SELECT count(*) FROM points_refunds WHERE status = 'pending'", 0), 0);
	assert_int_equal(
	    sqlite3_prepare_v2(w->check, "SELECT id, order_id, status, refunded FROM points_orders",
			       -1, &st, NULL),
	    SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		check_order(w, st);
	sqlite3_finalize(st);
}

/* --- the use cases, each run with whatever faults are set ---------------------------------- */

static int64_t new_order(world *w, int who, int64_t amount)
{
	points_order o;
	app_err err;

	if (orders_create(&o, &w->svc, w->members[who], amount, NULL, &err))
		return 0;
	return o.id;
}

static void confirm(world *w, int who, int64_t id, int64_t amount)
{
	char key[48];
	points_order o;
	int64_t bal;
	app_err err;

	snprintf(key, sizeof(key), "dev-key-%lld", (long long)id);
	orders_confirm(&o, &bal, &w->svc, w->members[who], id, key, amount, &err);
}

static void spend(world *w, int who, int64_t amount)
{
	ledger_entry e;
	uow_tx *tx;
	app_err err;

	if (uow_begin(&tx, &w->svc.d.uow, &err))
		return;
	if (members_wallet_spend_in(&e, &w->svc, tx, w->members[who], amount, LEDGER_PURCHASE, 1, 1,
				    &err)) {
		uow_rollback(tx);
		return;
	}
	uow_commit(tx, &err);
}

static void refund(world *w, int64_t id, refund_mode mode)
{
	points_refund r;
	app_err err;

	orders_refund(&r, NULL, &w->svc, 1, id, mode, "요청", &err);
}

static void reconcile(world *w)
{
	orders_pass pass;
	app_err err;

	w->clock.now += ORDER_SETTLE_WAIT_MS + 1;
	orders_reconcile(&pass, &w->svc, 1000, &err);
}

/* A scenario: set-up without faults, then step under the fault that is set. */
typedef struct scenario {
	const char *name;
	int64_t (*prepare)(world *w);
	void (*step)(world *w, int64_t id);
} scenario;

static int64_t prep_none(world *w)
{
	(void)w;
	return 0;
}

static void step_create(world *w, int64_t id)
{
	(void)id;
	new_order(w, 0, 5000);
}

static int64_t prep_order(world *w)
{
	return new_order(w, 0, 7000);
}

static void step_confirm(world *w, int64_t id)
{
	confirm(w, 0, id, 7000);
}

static int64_t prep_paid_and_spent(world *w)
{
	int64_t id = new_order(w, 1, 9000);

	confirm(w, 1, id, 9000);
	spend(w, 1, 2500);
	return id;
}

static void step_refund_unspent(world *w, int64_t id)
{
	refund(w, id, REFUND_UNSPENT);
}

static int64_t prep_in_doubt(world *w)
{
	int64_t id = new_order(w, 2, 3000);

	w->fg.fail_at = w->fg.calls + 1; /* the confirm's answer is lost */
	w->fg.after = 1;
	confirm(w, 2, id, 3000);
	no_faults(w);
	return id;
}

static void step_reconcile(world *w, int64_t id)
{
	(void)id;
	reconcile(w);
}

static const scenario scenarios[] = {
    {"order", prep_none, step_create},
    {"confirm", prep_order, step_confirm},
    {"refund", prep_paid_and_spent, step_refund_unspent},
    {"reconcile", prep_in_doubt, step_reconcile},
};

static void test_every_storage_call_fails_in_turn(void **state)
{
	world *w = *state;

	for (size_t s = 0; s < sizeof(scenarios) / sizeof(scenarios[0]); s++)
		for (int n = 1; n < 200; n++) {
			int64_t id;

			no_faults(w);
			id = scenarios[s].prepare(w);
			w->fs.fail_at = w->fs.calls + n;
			scenarios[s].step(w, id);
			if (!w->fs.failed) { /* the step makes fewer calls than n: swept */
				/* each use case takes several units and calls, all of them failed
				 */
				assert_true(n > 3);
				break;
			}
			settle_and_check(w);
		}
	settle_and_check(w);
}

static void test_every_provider_call_fails_before_and_after_it_took_effect(void **state)
{
	world *w = *state;
	static const int codes[] = {APP_ETIMEOUT, APP_EUPSTREAM, APP_EDECLINED};

	for (size_t s = 0; s < sizeof(scenarios) / sizeof(scenarios[0]); s++)
		for (int after = 0; after < 2; after++)
			for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++)
				for (int n = 1; n < 20; n++) {
					int64_t id;

					no_faults(w);
					id = scenarios[s].prepare(w);
					w->fg.fail_at = w->fg.calls + n;
					w->fg.after = after && codes[c] != APP_EDECLINED;
					w->fg.fail_rc = codes[c];
					scenarios[s].step(w, id);
					if (!w->fg.failed) {
						assert_true(n > 1 ||
							    s == 0); /* order calls nobody */
						break;
					}
					settle_and_check(w);
				}
	settle_and_check(w);
}

/* 200 orders, a random storage or provider failure at a random step of each. */
static void test_two_hundred_orders_with_random_failures(void **state)
{
	world *w = *state;
	int64_t ids[200];
	unsigned seed = 20261201;

	for (int i = 0; i < 200; i++) {
		int who = i % 3, step = rand_r(&seed) % 5;
		int64_t amount = 100 * (1 + rand_r(&seed) % 200);

		no_faults(w);
		if (rand_r(&seed) % 2)
			w->fs.fail_at = w->fs.calls + 1 + rand_r(&seed) % 12;
		else {
			w->fg.fail_at = w->fg.calls + 1 + rand_r(&seed) % 3;
			w->fg.after = rand_r(&seed) % 2;
			w->fg.fail_rc = w->fg.after ? APP_ETIMEOUT : APP_EUPSTREAM;
		}
		ids[i] = new_order(w, who, amount);
		if (!ids[i])
			continue;
		confirm(w, who, ids[i], amount);
		if (step >= 2)
			spend(w, who, amount / 3);
		if (step >= 3)
			refund(w, ids[i], step == 3 ? REFUND_UNSPENT : REFUND_FULL);
		if (step == 4)
			reconcile(w);
	}
	settle_and_check(w);
	/* and a second refund of everything left, with failures again */
	for (int i = 0; i < 200; i++) {
		no_faults(w);
		w->fs.fail_at = w->fs.calls + 1 + rand_r(&seed) % 14;
		if (ids[i])
			refund(w, ids[i], REFUND_UNSPENT);
	}
	settle_and_check(w);
	assert_true(scalar(w, "SELECT count(*) FROM points_orders WHERE status <> 'pending'", 0) >
		    100);
	assert_true(scalar(w, "SELECT count(*) FROM points_refunds WHERE status = 'done'", 0) > 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_every_storage_call_fails_in_turn, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_every_provider_call_fails_before_and_after_it_took_effect, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_two_hundred_orders_with_random_failures, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
