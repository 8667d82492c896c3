/*
 * One suite, three implementations: the earnings repository behaves the same
 * on the hand-written fake, on SQLite and on PostgreSQL (a share recorded once per source,
 * income and reads counted once, months due and settled once, the author's
 * summary and lines, payouts that take only what is available).
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
#include "fakes/fake_earnings.h"
#include "fakes/fakes.h"
#include "support/test_env.h"
#include "support/test_pg.h"

typedef struct repos {
	earnings_repo earnings;
	member_repo members;
	uow uow;
	fake_world *world;
	fake_earnings *fake;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	int64_t authors[2];
} repos;

#define IN_UNIT(r, call) TEST_IN_UNIT(&(r)->uow, call)

static void add_authors(repos *r)
{
	app_err err;

	for (int i = 0; i < 2; i++) {
		member m = {.roles = MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR, .created_at = 1};

		snprintf(m.email, sizeof(m.email), "earner%d@example.com", i);
		snprintf(m.name, sizeof(m.name), "작가");
		snprintf(m.password_hash, sizeof(m.password_hash), "x");
		assert_int_equal(IN_UNIT(r, member_repo_insert(&r->members, test_tx, &m, &err)), 0);
		r->authors[i] = m.id;
	}
}

static int setup_fake(void **state)
{
	repos *r = calloc(1, sizeof(*r));

	r->world = fake_world_new(NULL);
	r->fake = calloc(1, sizeof(*r->fake));
	r->earnings = fake_earnings_repo(r->fake);
	r->members = fake_member_repo(&r->world->members);
	r->uow = fake_uow_port(&r->world->uow);
	add_authors(r);
	*state = r;
	return 0;
}

static int setup_sqlite(void **state)
{
	repos *r = calloc(1, sizeof(*r));
	char dir[512], path[600];
	app_err err;

	test_tmpdir(dir, sizeof(dir), "earnings-contract");
	snprintf(path, sizeof(path), "%s/test.db", dir);
	assert_int_equal(sqlite_db_open(&r->db, path, &err), 0);
	r->earnings = sqlite_earnings_repo(r->db);
	r->members = sqlite_member_repo(r->db);
	r->uow = sqlite_db_uow(r->db);
	add_authors(r);
	*state = r;
	return 0;
}

static int setup_pg(void **state)
{
	repos *r = calloc(1, sizeof(*r));
	app_err err;

	test_pg_suite_db(&r->pgdb, "earnings_contract");
	assert_int_equal(pg_db_open(&r->pg, r->pgdb.conninfo, &err), 0);
	r->earnings = pg_earnings_repo(r->pg);
	r->members = pg_member_repo(r->pg);
	r->uow = pg_db_uow(r->pg);
	add_authors(r);
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
	free(r->fake);
	free(r);
	return 0;
}

static int record(repos *r, int who, earning_kind kind, int month, int64_t book_id, int64_t amount,
		  int64_t units, const char *source, const char *title)
{
	earning e = {.author_id = r->authors[who],
		     .book_id = book_id,
		     .kind = kind,
		     .month = month,
		     .gross = amount * 2,
		     .amount = amount,
		     .units = units,
		     .created_at = 10};
	int added = -1;
	app_err err;

	snprintf(e.source, sizeof(e.source), "%s", source);
	assert_int_equal(
	    IN_UNIT(r, earnings_repo_record(&added, &r->earnings, test_tx, &e, title, &err)), 0);
	return added;
}

static earnings_summary summary(repos *r, int who)
{
	earnings_summary s;
	app_err err;

	assert_int_equal(earnings_repo_summary(&s, &r->earnings, NULL, r->authors[who], &err), 0);
	return s;
}

static void test_a_share_is_recorded_once_per_source(void **state)
{
	repos *r = *state;
	earning e = {.author_id = r->authors[0],
		     .kind = EARNING_SALE,
		     .month = 202601,
		     .book_id = 1,
		     .amount = 50,
		     .source = "ledger:9"};
	int added;
	app_err err;

	assert_int_equal(record(r, 0, EARNING_SALE, 202601, 1, 700, 0, "ledger:1", "책"), 1);
	assert_int_equal(record(r, 0, EARNING_SALE, 202601, 1, 700, 0, "ledger:1", "책"), 0);
	assert_int_equal(record(r, 0, EARNING_POOL, 202601, 1, 300, 3, "pool:202601:book:1", ""),
			 1);
	assert_int_equal(summary(r, 0).earned, 1000);
	assert_int_equal(summary(r, 0).available, 1000);
	assert_int_equal(summary(r, 1).earned, 0);
	/* a unit that rolls back leaves neither the row nor the balance */
	test_unit_begin(&r->uow);
	assert_int_equal(earnings_repo_record(&added, &r->earnings, test_tx, &e, "", &err), 0);
	assert_int_equal(added, 1);
	uow_rollback(test_tx);
	assert_int_equal(summary(r, 0).earned, 1000);
	assert_int_equal(record(r, 0, EARNING_SALE, 202601, 1, 50, 0, "ledger:9", ""), 1);
	assert_int_equal(summary(r, 0).available, 1050);
}

static void income(repos *r, const char *source, int month, int64_t amount)
{
	app_err err;

	assert_int_equal(IN_UNIT(r, earnings_repo_income_add(&r->earnings, test_tx, source, month,
							     amount, 5, &err)),
			 0);
}

static void read_unit(repos *r, int month, int64_t reader, int64_t book_id, int number, int who)
{
	app_err err;

	assert_int_equal(IN_UNIT(r, earnings_repo_read_add(&r->earnings, test_tx, month, reader,
							   book_id, number, r->authors[who], &err)),
			 0);
}

static void months(repos *r, int before, size_t cap, size_t want, const int *expect)
{
	int got[8];
	size_t n = 99;
	app_err err;

	assert_int_equal(earnings_repo_months_due(got, &n, &r->earnings, NULL, before, cap, &err),
			 0);
	assert_int_equal(n, want);
	for (size_t i = 0; i < want; i++)
		assert_int_equal(got[i], expect[i]);
}

static void test_income_and_reads_count_once_and_months_settle_once(void **state)
{
	repos *r = *state;
	pool_units u[4];
	int64_t sum = -1;
	size_t n;
	app_err err;

	income(r, "ledger:1", 202601, 9900);
	income(r, "ledger:1", 202601, 9900); /* delivered again */
	income(r, "ledger:2", 202601, 100);
	income(r, "ledger:3", 202602, 500);
	read_unit(r, 202601, 100, 1, 1, 0);
	read_unit(r, 202601, 100, 1, 1, 0); /* the same read again */
	read_unit(r, 202601, 101, 1, 1, 0);
	read_unit(r, 202601, 100, 1, 2, 0); /* another episode */
	read_unit(r, 202601, 100, 2, 1, 1);
	read_unit(r, 202512, 100, 2, 1, 1);
	assert_int_equal(earnings_repo_income_of(&sum, &r->earnings, NULL, 202601, &err), 0);
	assert_int_equal(sum, 10000);
	assert_int_equal(earnings_repo_income_of(&sum, &r->earnings, NULL, 202603, &err), 0);
	assert_int_equal(sum, 0);
	months(r, 202603, 8, 3, (int[]){202512, 202601, 202602});
	months(r, 202603, 2, 2, (int[]){202512, 202601});
	months(r, 202601, 8, 1, (int[]){202512});
	assert_int_equal(earnings_repo_units_of(u, &n, &r->earnings, NULL, 202601, 4, &err), 0);
	assert_int_equal(n, 2);
	assert_true(u[0].book_id == 1 && u[0].author_id == r->authors[0] && u[0].units == 3);
	assert_true(u[1].book_id == 2 && u[1].author_id == r->authors[1] && u[1].units == 1);
	assert_int_equal(earnings_repo_units_of(u, &n, &r->earnings, NULL, 202601, 1, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(u[0].book_id, 1);
	assert_int_equal(earnings_repo_units_of(u, &n, &r->earnings, NULL, 202604, 4, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(
	    IN_UNIT(r, earnings_repo_settle(&r->earnings, test_tx, 202601, 10000, 6930, 9, &err)),
	    0);
	assert_int_equal(
	    IN_UNIT(r, earnings_repo_settle(&r->earnings, test_tx, 202601, 10000, 6930, 9, &err)),
	    APP_EEXISTS);
	months(r, 202603, 8, 2, (int[]){202512, 202602});
}

static void line_is(const earnings_line *l, int month, int64_t book_id, const char *title,
		    int64_t sales, int64_t pool, int64_t units)
{
	assert_int_equal(l->month, month);
	assert_int_equal(l->book_id, book_id);
	assert_string_equal(l->title, title);
	assert_int_equal(l->sales, sales);
	assert_int_equal(l->pool, pool);
	assert_int_equal(l->units, units);
}

static void test_lines_group_by_month_and_work_newest_first(void **state)
{
	repos *r = *state;
	earnings_line l[4];
	size_t n;
	app_err err;

	record(r, 0, EARNING_SALE, 202601, 1, 700, 0, "ledger:1", "첫 제목");
	record(r, 0, EARNING_SALE, 202601, 1, 70, 0, "ledger:2", "");
	record(r, 0, EARNING_POOL, 202601, 1, 300, 3, "pool:202601:book:1", "새 제목");
	record(r, 0, EARNING_SALE, 202602, 2, 100, 0, "ledger:3", "둘째");
	record(r, 0, EARNING_SALE, 202601, 3, 10, 0, "ledger:4", "셋째");
	record(r, 1, EARNING_SALE, 202601, 4, 5, 0, "ledger:5", "남의 작품");
	assert_int_equal(earnings_repo_lines(l, &n, &r->earnings, NULL, r->authors[0], 4, &err), 0);
	assert_int_equal(n, 3);
	line_is(&l[0], 202602, 2, "둘째", 100, 0, 0);
	line_is(&l[1], 202601, 1, "새 제목", 770, 300, 3);
	line_is(&l[2], 202601, 3, "셋째", 10, 0, 0);
	assert_int_equal(earnings_repo_lines(l, &n, &r->earnings, NULL, r->authors[0], 2, &err), 0);
	assert_int_equal(n, 2);
	line_is(&l[1], 202601, 1, "새 제목", 770, 300, 3);
	assert_int_equal(earnings_repo_lines(l, &n, &r->earnings, NULL, r->authors[1], 4, &err), 0);
	assert_int_equal(n, 1);
	line_is(&l[0], 202601, 4, "남의 작품", 5, 0, 0);
}

static int take(repos *r, int who, int64_t amount, int64_t *id)
{
	payout p = {.author_id = r->authors[who], .amount = amount, .requested_at = 20};
	app_err err;
	int rc = IN_UNIT(r, earnings_repo_payout_insert(&r->earnings, test_tx, &p, &err));

	if (id)
		*id = rc ? 0 : p.id;
	return rc;
}

static void list_is(repos *r, int64_t author, payout_status st, int64_t before, size_t limit,
		    size_t want, const int64_t *ids)
{
	payout rows[8];
	size_t n = 99;
	app_err err;

	assert_int_equal(
	    earnings_repo_payouts(rows, &n, &r->earnings, NULL, author, st, before, limit, &err),
	    0);
	assert_int_equal(n, want);
	for (size_t i = 0; i < want; i++)
		assert_int_equal(rows[i].id, ids[i]);
}

static void test_payouts_take_only_what_is_available(void **state)
{
	repos *r = *state;
	int64_t a = r->authors[0], first, second;
	earnings_summary s;
	payout p;
	app_err err;

	record(r, 0, EARNING_SALE, 202601, 1, 7000, 0, "ledger:1", "책");
	assert_int_equal(take(r, 0, 4000, &first), 0);
	assert_true(first > 0);
	assert_int_equal(take(r, 0, 3001, NULL), APP_EINSUFFICIENT);
	assert_int_equal(take(r, 1, 1000, NULL), APP_EINSUFFICIENT); /* nothing earned */
	assert_int_equal(summary(r, 0).available, 3000);
	test_unit_begin(&r->uow);
	p = (payout){.author_id = a, .amount = 1000, .requested_at = 20};
	assert_int_equal(earnings_repo_payout_insert(&r->earnings, test_tx, &p, &err), 0);
	uow_rollback(test_tx);
	assert_int_equal(summary(r, 0).available, 3000);
	assert_int_equal(take(r, 0, 2000, &second), 0);
	assert_true(second > first);
	list_is(r, a, 0, 0, 8, 2, (int64_t[]){second, first});
	list_is(r, a, 0, second, 8, 1, (int64_t[]){first});
	list_is(r, a, 0, 0, 1, 1, (int64_t[]){second});
	list_is(r, a, PAYOUT_PAID, 0, 8, 0, NULL);
	list_is(r, r->authors[1], 0, 0, 8, 0, NULL);
	assert_int_equal(IN_UNIT(r, earnings_repo_payout_paid(&r->earnings, test_tx, first, "KB 1",
							      9, 50, &err)),
			 0);
	assert_int_equal(IN_UNIT(r, earnings_repo_payout_paid(&r->earnings, test_tx, first, "KB 2",
							      9, 60, &err)),
			 APP_ECONFLICT);
	assert_int_equal(IN_UNIT(r, earnings_repo_payout_paid(&r->earnings, test_tx, second + 10,
							      "KB 3", 9, 60, &err)),
			 APP_ECONFLICT);
	assert_int_equal(earnings_repo_payout_find(&p, &r->earnings, NULL, first, &err), 0);
	assert_true(p.status == PAYOUT_PAID && p.amount == 4000 && p.author_id == a);
	assert_string_equal(p.reference, "KB 1");
	assert_true(p.paid_by == 9 && p.paid_at == 50 && p.requested_at == 20);
	assert_int_equal(earnings_repo_payout_find(&p, &r->earnings, NULL, second, &err), 0);
	assert_true(p.status == PAYOUT_REQUESTED && p.paid_at == 0);
	assert_string_equal(p.reference, "");
	assert_int_equal(earnings_repo_payout_find(&p, &r->earnings, NULL, second + 10, &err),
			 APP_ENOTFOUND);
	list_is(r, 0, PAYOUT_PAID, 0, 8, 1, (int64_t[]){first});
	list_is(r, 0, PAYOUT_REQUESTED, 0, 8, 1, (int64_t[]){second});
	s = summary(r, 0);
	assert_true(s.earned == 7000 && s.available == 1000);
	assert_true(s.requested == 2000 && s.paid_out == 4000);
}

#define EACH(t)                                                                                    \
	cmocka_unit_test_setup_teardown(t, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(t, setup_sqlite, teardown),                            \
	    cmocka_unit_test_setup_teardown(t, setup_pg, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    EACH(test_a_share_is_recorded_once_per_source),
	    EACH(test_income_and_reads_count_once_and_months_settle_once),
	    EACH(test_lines_group_by_month_and_work_newest_first),
	    EACH(test_payouts_take_only_what_is_available),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
