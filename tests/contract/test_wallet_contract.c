/*
 * The wallet port's contract, on the fake (tests/fakes/fake_books.c) and on
 * the app's port over the members core on SQLite and on PostgreSQL: spending joins the
 * caller's unit (and goes with its rollback), a short balance is refused
 * with the price and the balance, reads answer or fail, never guess.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/bus/bus.h"
#include "adapters/postgres/pg_repos.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/system/system.h"
#include "app/wallet.h"
#include "fakes/fake_books.h"
#include "support/test_env.h"
#include "support/test_pg.h"

typedef struct harness {
	wallet_port wallet;
	members_service *members;
	/* owners */
	fake_world *world;
	fake_wallet fake;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	bus *bus;
	fake_crypto crypto;
	fake_payments payments;
	fake_limiter limiter;
	members_service storage_members;
	int64_t member_id;
} harness;

static void add_member(harness *h)
{
	char token[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	assert_int_equal(
	    members_signup(&m, token, h->members, "w@example.com", "password1", "W", NULL, &err),
	    0);
	assert_int_equal(members_charge(NULL, NULL, h->members, m.id, 10000, NULL, &err), 0);
	h->member_id = m.id;
}

static int setup_fake(void **state)
{
	harness *h = calloc(1, sizeof(*h));

	h->world = fake_world_new(NULL);
	h->members = &h->world->svc;
	h->fake.members = h->members;
	h->wallet = fake_wallet_port(&h->fake);
	add_member(h);
	*state = h;
	return 0;
}

/* The app's wallet over the members core on the storage whose repositories d holds. */
static int with_storage(void **state, harness *h, members_deps d, outbox_port outbox, uow u)
{
	app_err err;

	assert_int_equal(bus_new(&h->bus, outbox, u, system_clock(), &err), 0);
	d.uow = bus_uow(h->bus);
	d.events = bus_publisher(h->bus);
	d.clock = system_clock();
	d.crypto = fake_crypto_port(&h->crypto);
	d.payments = fake_payment_port(&h->payments);
	d.limiter = fake_limiter_port(&h->limiter);
	members_service_init(&h->storage_members, &d, NULL);
	h->members = &h->storage_members;
	h->wallet = app_wallet(h->members);
	add_member(h);
	*state = h;
	return 0;
}

static int setup_sqlite(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	char dir[512], path[600];
	app_err err;

	test_tmpdir(dir, sizeof(dir), "wallet-contract");
	snprintf(path, sizeof(path), "%s/wl.db", dir);
	assert_int_equal(sqlite_db_open(&h->db, path, &err), 0);
	return with_storage(state, h,
			    (members_deps){
				.members = sqlite_member_repo(h->db),
				.sessions = sqlite_session_repo(h->db),
				.ledger = sqlite_ledger_repo(h->db),
				.subscriptions = sqlite_subscription_repo(h->db),
				.idempotency = sqlite_idempotency_repo(h->db),
			    },
			    sqlite_outbox(h->db), sqlite_db_uow(h->db));
}

static int setup_pg(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	app_err err;

	test_pg_suite_db(&h->pgdb, "wallet_contract");
	assert_int_equal(pg_db_open(&h->pg, h->pgdb.conninfo, &err), 0);
	return with_storage(state, h,
			    (members_deps){
				.members = pg_member_repo(h->pg),
				.sessions = pg_session_repo(h->pg),
				.ledger = pg_ledger_repo(h->pg),
				.subscriptions = pg_subscription_repo(h->pg),
				.idempotency = pg_idempotency_repo(h->pg),
			    },
			    pg_outbox(h->pg), pg_db_uow(h->pg));
}

static int teardown(void **state)
{
	harness *h = *state;

	bus_free(h->bus);
	sqlite_db_close(h->db);
	pg_db_close(h->pg);
	fake_world_free(h->world);
	free(h);
	return 0;
}

static int64_t balance_of(harness *h)
{
	int64_t b = -1;
	app_err err;

	assert_int_equal(wallet_balance(&b, &h->wallet, NULL, h->member_id, &err), 0);
	return b;
}

static void test_spend_joins_the_callers_unit(void **state)
{
	harness *h = *state;
	int64_t ledger_id, after, in_unit, replay;
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_begin(&tx, &h->members->d.uow, &err), 0);
	assert_int_equal(
	    wallet_spend(&ledger_id, &after, &h->wallet, tx, h->member_id, 3000, 7, 0, &err), 0);
	assert_int_equal(after, 7000);
	assert_int_equal(wallet_balance(&in_unit, &h->wallet, tx, h->member_id, &err), 0);
	assert_int_equal(in_unit, 7000);
	uow_rollback(tx); /* the caller's unit decides */
	assert_int_equal(balance_of(h), 10000);

	assert_int_equal(uow_begin(&tx, &h->members->d.uow, &err), 0);
	assert_int_equal(
	    wallet_spend(&ledger_id, &after, &h->wallet, tx, h->member_id, 2500, 7, 0, &err), 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	assert_int_equal(balance_of(h), 7500);
	assert_true(ledger_id > 0);
	assert_int_equal(wallet_entry_balance(&replay, &h->wallet, NULL, ledger_id, &err), 0);
	assert_int_equal(replay, 7500);
}

static void test_short_balance_is_refused_with_price_and_balance(void **state)
{
	harness *h = *state;
	int64_t ledger_id, after, none;
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_begin(&tx, &h->members->d.uow, &err), 0);
	assert_int_equal(
	    wallet_spend(&ledger_id, &after, &h->wallet, tx, h->member_id, 10001, 7, 0, &err),
	    APP_EINSUFFICIENT);
	uow_rollback(tx);
	assert_string_equal(err.word, "insufficient_points");
	assert_int_equal(err.nextra, 2);
	assert_string_equal(err.extra_name[0], "price");
	assert_int_equal(err.extra[0], 10001);
	assert_string_equal(err.extra_name[1], "balance");
	assert_int_equal(err.extra[1], 10000);
	assert_int_equal(balance_of(h), 10000);
	assert_int_equal(wallet_entry_balance(&none, &h->wallet, NULL, 424242, &err),
			 APP_ENOTFOUND);
	assert_int_equal(wallet_balance(&none, &h->wallet, NULL, 424242, &err), APP_ENOTFOUND);
}

static void test_subscribed_follows_the_subscription(void **state)
{
	harness *h = *state;
	subscription s;
	int active = -1;
	app_err err;

	assert_int_equal(wallet_subscribed(&active, &h->wallet, NULL, h->member_id, &err), 0);
	assert_int_equal(active, 0);
	assert_int_equal(members_subscribe(&s, h->members, h->member_id, 0, NULL, &err), 0);
	assert_int_equal(wallet_subscribed(&active, &h->wallet, NULL, h->member_id, &err), 0);
	assert_int_equal(active, 1);
	assert_int_equal(balance_of(h), 10000 - wallet_subscription_price(&h->wallet));
	assert_int_equal(wallet_subscription_price(&h->wallet), 9900);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_sqlite, teardown),                            \
	    cmocka_unit_test_setup_teardown(f, setup_pg, teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_spend_joins_the_callers_unit),
	    EACH(test_short_balance_is_refused_with_price_and_balance),
	    EACH(test_subscribed_follows_the_subscription),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
