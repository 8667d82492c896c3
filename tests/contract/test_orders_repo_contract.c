/*
 * One suite, three implementations: the points order repository behaves the
 * same on the fake, on SQLite and on PostgreSQL (conditional state changes, holds, one
 * pending refund per order, listing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/postgres/pg_repos.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "fakes/fakes.h"
#include "support/test_env.h"
#include "support/test_pg.h"

typedef struct repos {
	order_repo orders;
	member_repo members;
	uow uow;
	fake_world *world;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	int64_t member_id;
} repos;

static void add_member(repos *r)
{
	member m = {.roles = MEMBER_ROLE_READER, .created_at = 1};
	uow_tx *tx;
	app_err err;

	snprintf(m.email, sizeof(m.email), "orders@example.com");
	snprintf(m.name, sizeof(m.name), "독자");
	snprintf(m.password_hash, sizeof(m.password_hash), "x");
	assert_int_equal(uow_begin(&tx, &r->uow, &err), 0);
	assert_int_equal(member_repo_insert(&r->members, tx, &m, &err), 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	r->member_id = m.id;
}

static int setup_fake(void **state)
{
	repos *r = calloc(1, sizeof(*r));

	r->world = fake_world_new(NULL);
	r->orders = fake_order_repo(&r->world->orders);
	r->members = fake_member_repo(&r->world->members);
	r->uow = fake_uow_port(&r->world->uow);
	add_member(r);
	*state = r;
	return 0;
}

static int setup_sqlite(void **state)
{
	repos *r = calloc(1, sizeof(*r));
	char dir[512], path[600];
	app_err err;

	test_tmpdir(dir, sizeof(dir), "orders-contract");
	snprintf(path, sizeof(path), "%s/test.db", dir);
	assert_int_equal(sqlite_db_open(&r->db, path, &err), 0);
	r->orders = sqlite_order_repo(r->db);
	r->members = sqlite_member_repo(r->db);
	r->uow = sqlite_db_uow(r->db);
	add_member(r);
	*state = r;
	return 0;
}

static int setup_pg(void **state)
{
	repos *r = calloc(1, sizeof(*r));
	app_err err;

	test_pg_suite_db(&r->pgdb, "orders_contract");
	assert_int_equal(pg_db_open(&r->pg, r->pgdb.conninfo, &err), 0);
	r->orders = pg_order_repo(r->pg);
	r->members = pg_member_repo(r->pg);
	r->uow = pg_db_uow(r->pg);
	add_member(r);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	repos *r = *state;

	if (r->db)
		sqlite_db_close(r->db);
	pg_db_close(r->pg);
	fake_world_free(r->world);
	free(r);
	return 0;
}

#define IN_UNIT(r, call) TEST_IN_UNIT(&(r)->uow, call)

static points_order insert(repos *r, const char *order_id, int64_t amount, int64_t at)
{
	points_order o = {.member_id = r->member_id, .amount = amount, .created_at = at};
	app_err err;

	snprintf(o.provider, sizeof(o.provider), "toss");
	snprintf(o.order_id, sizeof(o.order_id), "%s", order_id);
	assert_int_equal(IN_UNIT(r, order_repo_insert(&r->orders, test_tx, &o, &err)), 0);
	assert_true(o.id > 0);
	return o;
}

static void test_insert_find_and_unique_order_ids(void **state)
{
	repos *r = *state;
	points_order o = insert(r, "wl-aaaaaa", 5000, 100), got, dup;
	app_err err;

	assert_int_equal(order_repo_find(&got, &r->orders, NULL, o.id, &err), 0);
	assert_int_equal(got.status, ORDER_PENDING);
	assert_int_equal(got.amount, 5000);
	assert_string_equal(got.provider, "toss");
	assert_string_equal(got.payment_key, "");
	assert_int_equal(got.created_at, 100);
	assert_int_equal(order_repo_find_by_order_id(&got, &r->orders, NULL, "wl-aaaaaa", &err), 0);
	assert_int_equal(got.id, o.id);
	assert_int_equal(order_repo_find(&got, &r->orders, NULL, o.id + 1, &err), APP_ENOTFOUND);
	assert_int_equal(order_repo_find_by_order_id(&got, &r->orders, NULL, "wl-nope", &err),
			 APP_ENOTFOUND);
	dup = o;
	assert_int_equal(IN_UNIT(r, order_repo_insert(&r->orders, test_tx, &dup, &err)),
			 APP_EEXISTS);
}

static void test_holds_keep_the_first_key_and_pend_the_pass(void **state)
{
	repos *r = *state;
	points_order o = insert(r, "wl-bbbbbb", 5000, 100), got;
	int64_t ids[8];
	size_t n;
	app_err err;

	assert_int_equal(order_repo_list_unsettled(ids, &n, &r->orders, NULL, 200, 0, 8, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(
	    IN_UNIT(r, order_repo_hold(&r->orders, test_tx, o.id, "pk-1", 500, 200, &err)), 0);
	assert_int_equal(order_repo_list_unsettled(ids, &n, &r->orders, NULL, 499, 0, 8, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(order_repo_list_unsettled(ids, &n, &r->orders, NULL, 500, 0, 8, &err), 0);
	assert_int_equal(n, 1);
	/* another key is refused; the same key or none releases */
	assert_int_equal(
	    IN_UNIT(r, order_repo_hold(&r->orders, test_tx, o.id, "pk-2", 0, 300, &err)),
	    APP_ECONFLICT);
	assert_int_equal(
	    IN_UNIT(r, order_repo_hold(&r->orders, test_tx, o.id, "pk-1", 0, 300, &err)), 0);
	assert_int_equal(order_repo_find(&got, &r->orders, NULL, o.id, &err), 0);
	assert_string_equal(got.payment_key, "pk-1");
	assert_int_equal(got.settle_after, 0);
}

static void test_paid_and_closed_happen_once(void **state)
{
	repos *r = *state;
	points_order a = insert(r, "wl-cccccc", 5000, 100), b = insert(r, "wl-dddddd", 7000, 100),
		     got;
	int64_t ids[8];
	size_t n;
	app_err err;

	snprintf(a.payment_key, sizeof(a.payment_key), "pk-a");
	snprintf(a.method, sizeof(a.method), "카드");
	a.ledger_id = 42;
	a.paid_at = 900;
	assert_int_equal(IN_UNIT(r, order_repo_mark_paid(&r->orders, test_tx, &a, &err)), 0);
	assert_int_equal(IN_UNIT(r, order_repo_mark_paid(&r->orders, test_tx, &a, &err)),
			 APP_ECONFLICT);
	assert_int_equal(
	    IN_UNIT(r, order_repo_close(&r->orders, test_tx, a.id, ORDER_FAILED, "X", 950, &err)),
	    APP_ECONFLICT);
	assert_int_equal(order_repo_find(&got, &r->orders, NULL, a.id, &err), 0);
	assert_int_equal(got.status, ORDER_PAID);
	assert_string_equal(got.method, "카드");
	assert_int_equal(got.ledger_id, 42);
	assert_int_equal(got.paid_at, 900);
	assert_int_equal(IN_UNIT(r, order_repo_close(&r->orders, test_tx, b.id, ORDER_CANCELED,
						     "ABANDONED", 950, &err)),
			 0);
	assert_int_equal(IN_UNIT(r, order_repo_mark_paid(&r->orders, test_tx, &b, &err)),
			 APP_ECONFLICT);
	assert_int_equal(order_repo_find(&got, &r->orders, NULL, b.id, &err), 0);
	assert_int_equal(got.status, ORDER_CANCELED);
	assert_string_equal(got.failure_code, "ABANDONED");
	assert_int_equal(order_repo_list_unsettled(ids, &n, &r->orders, NULL, 10000, 0, 8, &err),
			 0);
	assert_int_equal(n, 0);
}

static void test_refunds_add_up_and_one_is_pending_at_a_time(void **state)
{
	repos *r = *state;
	points_order o = insert(r, "wl-eeeeee", 10000, 100), got;
	points_refund f = {.member_id = r->member_id,
			   .admin_id = 9,
			   .amount = 4000,
			   .ledger_id = 5,
			   .created_at = 1000,
			   .settle_after = 2000},
		      g, seen;
	int64_t ids[8];
	size_t n;
	app_err err;

	o.ledger_id = 1;
	o.paid_at = 500;
	assert_int_equal(IN_UNIT(r, order_repo_mark_paid(&r->orders, test_tx, &o, &err)), 0);
	f.order_id = o.id;
	snprintf(f.reason, sizeof(f.reason), "요청");
	g = f;
	assert_int_equal(IN_UNIT(r, order_repo_refund_insert(&r->orders, test_tx, &f, &err)), 0);
	assert_int_equal(IN_UNIT(r, order_repo_refund_insert(&r->orders, test_tx, &g, &err)),
			 APP_EEXISTS);
	assert_int_equal(order_repo_refunds_unsettled(ids, &n, &r->orders, NULL, 1999, 0, 8, &err),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    IN_UNIT(r, order_repo_refund_hold(&r->orders, test_tx, f.id, 0, 1500, &err)), 0);
	assert_int_equal(order_repo_refunds_unsettled(ids, &n, &r->orders, NULL, 1999, 0, 8, &err),
			 0);
	assert_int_equal(n, 1);
	f.status = REFUND_DONE;
	snprintf(f.cancel_key, sizeof(f.cancel_key), "tx-1");
	f.updated_at = 1600;
	assert_int_equal(IN_UNIT(r, order_repo_refund_settle(&r->orders, test_tx, &f, &err)), 0);
	assert_int_equal(IN_UNIT(r, order_repo_refund_settle(&r->orders, test_tx, &f, &err)),
			 APP_ECONFLICT);
	assert_int_equal(
	    IN_UNIT(r, order_repo_add_refunded(&r->orders, test_tx, o.id, 4000, 1600, &err)), 0);
	assert_int_equal(order_repo_find(&got, &r->orders, NULL, o.id, &err), 0);
	assert_int_equal(got.status, ORDER_PARTIALLY_REFUNDED);
	assert_int_equal(got.refunded, 4000);
	/* the next one may go now; the refunds never exceed the order */
	assert_int_equal(IN_UNIT(r, order_repo_refund_insert(&r->orders, test_tx, &g, &err)), 0);
	assert_int_equal(
	    IN_UNIT(r, order_repo_add_refunded(&r->orders, test_tx, o.id, 6001, 1700, &err)),
	    APP_ECONFLICT);
	assert_int_equal(
	    IN_UNIT(r, order_repo_add_refunded(&r->orders, test_tx, o.id, 6000, 1700, &err)), 0);
	assert_int_equal(order_repo_find(&got, &r->orders, NULL, o.id, &err), 0);
	assert_int_equal(got.status, ORDER_REFUNDED);
	assert_int_equal(order_repo_refund_find(&seen, &r->orders, NULL, f.id, &err), 0);
	assert_int_equal(seen.status, REFUND_DONE);
	assert_string_equal(seen.cancel_key, "tx-1");
	assert_string_equal(seen.reason, "요청");
	{
		points_refund all[4];

		assert_int_equal(order_repo_refunds_of(all, &n, &r->orders, NULL, o.id, 4, &err),
				 0);
		assert_int_equal(n, 2);
		assert_int_equal(all[0].id, g.id);
	}
}

static void test_lists_newest_first_by_member_and_status(void **state)
{
	repos *r = *state;
	points_order a = insert(r, "wl-ffffff", 1000, 1), b = insert(r, "wl-gggggg", 2000, 2),
		     c = insert(r, "wl-hhhhhh", 3000, 3), out[4];
	size_t n;
	app_err err;

	b.ledger_id = 1;
	assert_int_equal(IN_UNIT(r, order_repo_mark_paid(&r->orders, test_tx, &b, &err)), 0);
	assert_int_equal(order_repo_list(out, &n, &r->orders, NULL, r->member_id, 0, 0, 4, &err),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].id, c.id);
	assert_int_equal(out[2].id, a.id);
	assert_int_equal(order_repo_list(out, &n, &r->orders, NULL, r->member_id, 0, c.id, 1, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, b.id);
	assert_int_equal(order_repo_list(out, &n, &r->orders, NULL, 0, ORDER_PAID, 0, 4, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, b.id);
	assert_int_equal(
	    order_repo_list(out, &n, &r->orders, NULL, r->member_id + 1, 0, 0, 4, &err), 0);
	assert_int_equal(n, 0);
}

static void test_a_rolled_back_unit_leaves_no_order(void **state)
{
	repos *r = *state;
	points_order o = {.member_id = r->member_id, .amount = 100, .created_at = 1}, got;
	uow_tx *tx;
	app_err err;

	snprintf(o.provider, sizeof(o.provider), "dev");
	snprintf(o.order_id, sizeof(o.order_id), "wl-rolled");
	assert_int_equal(uow_begin(&tx, &r->uow, &err), 0);
	assert_int_equal(order_repo_insert(&r->orders, tx, &o, &err), 0);
	uow_rollback(tx);
	assert_int_equal(order_repo_find_by_order_id(&got, &r->orders, NULL, "wl-rolled", &err),
			 APP_ENOTFOUND);
}

#define EACH(t)                                                                                    \
	cmocka_unit_test_setup_teardown(t, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(t, setup_sqlite, teardown),                            \
	    cmocka_unit_test_setup_teardown(t, setup_pg, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    EACH(test_insert_find_and_unique_order_ids),
	    EACH(test_holds_keep_the_first_key_and_pend_the_pass),
	    EACH(test_paid_and_closed_happen_once),
	    EACH(test_refunds_add_up_and_one_is_pending_at_a_time),
	    EACH(test_lists_newest_first_by_member_and_status),
	    EACH(test_a_rolled_back_unit_leaves_no_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
