/*
 * The unit of work's contract, on the fake, SQLite and PostgreSQL, directly and
 * through the bus: a unit's writes land together at COMMIT or not at all, a
 * unit reads its own writes, its events reach the outbox and the
 * subscribers only when it commits, and a handle is good for one unit.
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
#include "fakes/fakes.h"
#include "support/test_env.h"
#include "support/test_pg.h"

typedef struct harness {
	member_repo members;
	ledger_repo ledger;
	outbox_port outbox;
	uow raw;
	bus *bus;
	/* owners */
	fake_world *world;
	fake_outbox *fake_outbox;
	fake_clock clock;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	int delivered;
} harness;

static int count_deliveries(void *ctx, const domain_event *ev, app_err *err)
{
	(void)ev;
	(void)err;
	((harness *)ctx)->delivered++;
	return 0;
}

static int with_bus(harness *h)
{
	static const char *const types[] = {"test.done", NULL};
	app_err err;

	h->clock.now = 1000;
	assert_int_equal(bus_new(&h->bus, h->outbox, h->raw, fake_clock_port(&h->clock), &err), 0);
	assert_int_equal(
	    bus_subscribe(h->bus, "counter", types, BUS_SYNC, count_deliveries, h, &err), 0);
	return 0;
}

static int setup_fake(void **state)
{
	harness *h = calloc(1, sizeof(*h));

	h->world = fake_world_new(NULL);
	h->fake_outbox = calloc(1, sizeof(*h->fake_outbox));
	h->members = fake_member_repo(&h->world->members);
	h->ledger = fake_ledger_repo(&h->world->ledger);
	h->outbox = fake_outbox_port(h->fake_outbox);
	h->raw = fake_uow_port(&h->world->uow);
	*state = h;
	return with_bus(h);
}

static int setup_sqlite(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	char dir[512], path[600];
	app_err err;

	test_tmpdir(dir, sizeof(dir), "uow-contract");
	snprintf(path, sizeof(path), "%s/wl.db", dir);
	assert_int_equal(sqlite_db_open(&h->db, path, &err), 0);
	h->members = sqlite_member_repo(h->db);
	h->ledger = sqlite_ledger_repo(h->db);
	h->outbox = sqlite_outbox(h->db);
	h->raw = sqlite_db_uow(h->db);
	*state = h;
	return with_bus(h);
}

static int setup_pg(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	app_err err;

	test_pg_suite_db(&h->pgdb, "uow_contract");
	assert_int_equal(pg_db_open(&h->pg, h->pgdb.conninfo, &err), 0);
	h->members = pg_member_repo(h->pg);
	h->ledger = pg_ledger_repo(h->pg);
	h->outbox = pg_outbox(h->pg);
	h->raw = pg_db_uow(h->pg);
	*state = h;
	return with_bus(h);
}

static int teardown(void **state)
{
	harness *h = *state;

	bus_free(h->bus);
	sqlite_db_close(h->db);
	pg_db_close(h->pg);
	if (h->fake_outbox) {
		fake_outbox_dispose(h->fake_outbox);
		free(h->fake_outbox);
	}
	fake_world_free(h->world);
	free(h);
	return 0;
}

/* A member stored in a unit of its own; returns its id. */
static int64_t add_member(harness *h, const uow *u, const char *email)
{
	member m;
	uow_tx *tx;
	app_err err;

	memset(&m, 0, sizeof(m));
	snprintf(m.email, sizeof(m.email), "%s", email);
	snprintf(m.password_hash, sizeof(m.password_hash), "h");
	assert_int_equal(uow_begin(&tx, u, &err), 0);
	assert_int_equal(member_repo_insert(&h->members, tx, &m, &err), 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	return m.id;
}

/* Credit, ledger row and event: the writes of one charge, in tx. */
static void charge_in(harness *h, uow_tx *tx, event_publisher *pub, int64_t member_id,
		      int64_t amount)
{
	ledger_entry e;
	domain_event ev;
	app_err err;

	memset(&e, 0, sizeof(e));
	e.member_id = member_id;
	e.kind = LEDGER_CHARGE;
	e.amount = amount;
	assert_int_equal(
	    member_repo_credit(&e.balance_after, &h->members, tx, member_id, amount, &err), 0);
	assert_int_equal(ledger_repo_append(&h->ledger, tx, &e, &err), 0);
	if (pub) {
		domain_event_init(&ev, "test.done");
		domain_event_add_int(&ev, "memberId", member_id);
		assert_int_equal(event_publish_owned(pub, tx, &ev, &err), 0);
	}
}

static int64_t points_of(harness *h, int64_t member_id)
{
	member m;
	app_err err;

	assert_int_equal(member_repo_find_by_id(&m, &h->members, NULL, member_id, &err), 0);
	return m.points;
}

static size_t ledger_rows(harness *h, int64_t member_id)
{
	ledger_entry out[8];
	size_t n;
	app_err err;

	assert_int_equal(ledger_repo_list(out, &n, &h->ledger, NULL, member_id, 0, 8, &err), 0);
	return n;
}

static size_t events_logged(harness *h)
{
	domain_event out[16];
	size_t n;
	app_err err;

	assert_int_equal(outbox_list(out, &n, &h->outbox, NULL, 0, "test.done", 16, &err), 0);
	for (size_t i = 0; i < n; i++)
		domain_event_dispose(&out[i]);
	return n;
}

static void test_commit_lands_everything_rollback_nothing(void **state)
{
	harness *h = *state;
	int64_t id = add_member(h, &h->raw, "a@example.com");
	member inside;
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_begin(&tx, &h->raw, &err), 0);
	charge_in(h, tx, NULL, id, 300);
	charge_in(h, tx, NULL, id, 200);
	/* the unit reads its own writes */
	assert_int_equal(member_repo_find_by_id(&inside, &h->members, tx, id, &err), 0);
	assert_int_equal(inside.points, 500);
	uow_rollback(tx);
	assert_int_equal(points_of(h, id), 0);
	assert_int_equal(ledger_rows(h, id), 0);

	assert_int_equal(uow_begin(&tx, &h->raw, &err), 0);
	charge_in(h, tx, NULL, id, 700);
	assert_int_equal(uow_commit(tx, &err), 0);
	assert_int_equal(points_of(h, id), 700);
	assert_int_equal(ledger_rows(h, id), 1);
}

static void test_a_refused_write_leaves_the_unit_to_its_caller(void **state)
{
	harness *h = *state;
	int64_t id = add_member(h, &h->raw, "b@example.com");
	int64_t balance;
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_begin(&tx, &h->raw, &err), 0);
	charge_in(h, tx, NULL, id, 100);
	/* a debit the balance does not cover is refused; the unit is still usable */
	assert_int_equal(member_repo_debit(&balance, &h->members, tx, id, 500, &err),
			 APP_EINSUFFICIENT);
	charge_in(h, tx, NULL, id, 50);
	assert_int_equal(uow_commit(tx, &err), 0);
	assert_int_equal(points_of(h, id), 150);
	assert_int_equal(ledger_rows(h, id), 2);
}

static void test_events_wait_for_the_commit(void **state)
{
	harness *h = *state;
	uow u = bus_uow(h->bus);
	event_publisher pub = bus_publisher(h->bus);
	int64_t id = add_member(h, &u, "c@example.com");
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	charge_in(h, tx, &pub, id, 100);
	assert_int_equal(h->delivered, 0); /* nothing before the commit */
	uow_rollback(tx);
	assert_int_equal(h->delivered, 0);
	assert_int_equal(events_logged(h), 0);
	assert_int_equal(points_of(h, id), 0);

	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	charge_in(h, tx, &pub, id, 100);
	charge_in(h, tx, &pub, id, 100);
	assert_int_equal(h->delivered, 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	assert_int_equal(h->delivered, 2);
	assert_int_equal(events_logged(h), 2);
	assert_int_equal(points_of(h, id), 200);
}

/* Units one after another on one thread: each handle is its own unit. */
static void test_units_follow_one_another(void **state)
{
	harness *h = *state;
	int64_t id = add_member(h, &h->raw, "d@example.com");
	app_err err;

	for (int i = 0; i < 20; i++) {
		uow_tx *tx;

		assert_int_equal(uow_begin(&tx, &h->raw, &err), 0);
		charge_in(h, tx, NULL, id, 10);
		if (i % 2)
			assert_int_equal(uow_commit(tx, &err), 0);
		else
			uow_rollback(tx);
	}
	assert_int_equal(points_of(h, id), 100);
	assert_int_equal(ledger_rows(h, id), 8); /* the listing's page: 8 of the 10 */
	uow_rollback(NULL);			 /* nothing to end: harmless, for cleanup paths */
}

/* The fake's commit can fail (as a real COMMIT can on a full disk): nothing lands. */
static void test_failed_commit_lands_nothing(void **state)
{
	harness *h = *state;
	int64_t id = add_member(h, &h->raw, "e@example.com");
	uow_tx *tx;
	app_err err;

	h->world->uow.fail_commit = 1;
	assert_int_equal(uow_begin(&tx, &h->raw, &err), 0);
	charge_in(h, tx, NULL, id, 100);
	assert_int_not_equal(uow_commit(tx, &err), 0);
	assert_int_equal(points_of(h, id), 0);
	assert_int_equal(ledger_rows(h, id), 0);
	assert_int_equal(h->world->uow.depth, 0);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_sqlite, teardown),                            \
	    cmocka_unit_test_setup_teardown(f, setup_pg, teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_commit_lands_everything_rollback_nothing),
	    EACH(test_a_refused_write_leaves_the_unit_to_its_caller),
	    EACH(test_events_wait_for_the_commit),
	    EACH(test_units_follow_one_another),
	    cmocka_unit_test_setup_teardown(test_failed_commit_lands_nothing, setup_fake, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
