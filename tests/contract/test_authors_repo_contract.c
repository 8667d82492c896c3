/*
 * Contract of author_application_repo: the same suite runs against the fake
 * (tests/fakes/fake_authors.c), the SQLite adapter and the PostgreSQL adapter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "adapters/postgres/pg_repos.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "fakes/fake_authors.h"
#include "fakes/fakes.h"
#include "support/test_env.h"
#include "support/test_pg.h"

typedef struct harness {
	author_application_repo repo;
	fake_authors *fake;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	uow uow;
	fake_uow fake_uow;
	uow_tx *tx; /* each test runs in one unit, committed at teardown */
} harness;

static int setup_fake(void **state)
{
	harness *h = calloc(1, sizeof(*h));

	h->uow = fake_uow_port(&h->fake_uow);
	assert_int_equal(uow_begin(&h->tx, &h->uow, NULL), 0);
	assert_non_null(h);
	h->fake = calloc(1, sizeof(*h->fake));
	assert_non_null(h->fake);
	h->repo = fake_author_application_repo(h->fake);
	*state = h;
	return 0;
}

/* Opens the test's unit and stores members 1..3 (applications refer to members). */
static int with_members(void **state, harness *h, member_repo members, author_application_repo repo)
{
	app_err err;

	assert_int_equal(uow_begin(&h->tx, &h->uow, NULL), 0);
	for (int i = 1; i <= 3; i++) {
		member m;

		memset(&m, 0, sizeof(m));
		snprintf(m.email, sizeof(m.email), "m%d@example.com", i);
		snprintf(m.name, sizeof(m.name), "Member %d", i);
		snprintf(m.password_hash, sizeof(m.password_hash), "x");
		m.roles = MEMBER_ROLE_READER;
		m.created_at = 1000;
		assert_int_equal(member_repo_insert(&members, h->tx, &m, &err), 0);
		assert_int_equal(m.id, i);
	}
	h->repo = repo;
	*state = h;
	return 0;
}

static int setup_sqlite(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	char dir[512], path[600];
	app_err err;

	assert_non_null(h);
	test_tmpdir(dir, sizeof(dir), "authors-contract");
	snprintf(path, sizeof(path), "%s/wl.db", dir);
	assert_int_equal(sqlite_db_open(&h->db, path, &err), 0);
	h->uow = sqlite_db_uow(h->db);
	return with_members(state, h, sqlite_member_repo(h->db),
			    sqlite_author_application_repo(h->db));
}

static int setup_pg(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	app_err err;

	assert_non_null(h);
	test_pg_suite_db(&h->pgdb, "authors_contract");
	assert_int_equal(pg_db_open(&h->pg, h->pgdb.conninfo, &err), 0);
	h->uow = pg_db_uow(h->pg);
	return with_members(state, h, pg_member_repo(h->pg), pg_author_application_repo(h->pg));
}

static int teardown(void **state)
{
	harness *h = *state;

	if (h->tx)
		assert_int_equal(uow_commit(h->tx, NULL), 0);
	if (h->fake) {
		fake_authors_dispose(h->fake);
		free(h->fake);
	}
	sqlite_db_close(h->db);
	pg_db_close(h->pg);
	free(h);
	return 0;
}

/* Stores a pending application of member with the given pen name; returns its id. */
static int64_t put(harness *h, int64_t member_id, const char *pen, int64_t at)
{
	author_application a;
	int64_t id;
	app_err err;

	memset(&a, 0, sizeof(a));
	a.member_id = member_id;
	snprintf(a.pen_name, sizeof(a.pen_name), "%s", pen);
	a.bio = strdup("소개 bio");
	a.portfolio = strdup("https://example.com/portfolio");
	a.status = AUTHOR_APP_PENDING;
	a.created_at = at;
	assert_int_equal(author_application_repo_insert(&h->repo, h->tx, &a, &err), 0);
	assert_true(a.id > 0);
	id = a.id;
	author_application_dispose(&a);
	return id;
}

static void decide(harness *h, int64_t id, author_app_status to, const char *reason, int expect)
{
	author_application a;
	app_err err;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.status = to;
	a.reason = reason ? strdup(reason) : NULL;
	a.decided_by = 9;
	a.decided_at = 5000;
	assert_int_equal(author_application_repo_decide(&h->repo, h->tx, &a, &err), expect);
	free(a.reason);
}

static void test_insert_and_find(void **state)
{
	harness *h = *state;
	author_application a;
	int64_t id = put(h, 1, "김작가", 1234);
	app_err err;

	assert_int_equal(author_application_repo_find(&a, &h->repo, h->tx, id, &err), 0);
	assert_int_equal(a.id, id);
	assert_int_equal(a.member_id, 1);
	assert_string_equal(a.pen_name, "김작가");
	assert_string_equal(a.bio, "소개 bio");
	assert_string_equal(a.portfolio, "https://example.com/portfolio");
	assert_int_equal(a.status, AUTHOR_APP_PENDING);
	assert_null(a.reason);
	assert_int_equal(a.decided_by, 0);
	assert_int_equal(a.created_at, 1234);
	assert_int_equal(a.decided_at, 0);
	author_application_dispose(&a);
	assert_int_equal(author_application_repo_find(&a, &h->repo, h->tx, id + 100, &err),
			 APP_ENOTFOUND);
}

static void test_one_live_application_per_member(void **state)
{
	harness *h = *state;
	author_application a;
	int64_t first = put(h, 1, "A", 1), second;
	app_err err;

	memset(&a, 0, sizeof(a));
	a.member_id = 1;
	snprintf(a.pen_name, sizeof(a.pen_name), "B");
	a.bio = "";
	a.portfolio = "";
	a.status = AUTHOR_APP_PENDING;
	a.created_at = 2;
	assert_int_equal(author_application_repo_insert(&h->repo, h->tx, &a, &err), APP_EEXISTS);
	/* another member is not affected */
	put(h, 2, "C", 3);
	/* rejected: may apply again */
	decide(h, first, AUTHOR_APP_REJECTED, "not yet", 0);
	second = put(h, 1, "B", 4);
	assert_true(second > first);
	/* approved: may not */
	decide(h, second, AUTHOR_APP_APPROVED, NULL, 0);
	assert_int_equal(author_application_repo_insert(&h->repo, h->tx, &a, &err), APP_EEXISTS);
}

static void test_find_latest(void **state)
{
	harness *h = *state;
	author_application a;
	int64_t first, second;
	app_err err;

	assert_int_equal(author_application_repo_find_latest(&a, &h->repo, h->tx, 1, &err),
			 APP_ENOTFOUND);
	first = put(h, 1, "First", 1);
	put(h, 2, "Other", 2);
	decide(h, first, AUTHOR_APP_REJECTED, "no", 0);
	second = put(h, 1, "Second", 3);
	assert_int_equal(author_application_repo_find_latest(&a, &h->repo, h->tx, 1, &err), 0);
	assert_int_equal(a.id, second);
	assert_string_equal(a.pen_name, "Second");
	author_application_dispose(&a);
}

static void test_decide_only_pending(void **state)
{
	harness *h = *state;
	author_application a;
	int64_t id = put(h, 1, "A", 1), other = put(h, 2, "B", 2);
	app_err err;

	decide(h, id, AUTHOR_APP_REJECTED, "더 써 오세요", 0);
	assert_int_equal(author_application_repo_find(&a, &h->repo, h->tx, id, &err), 0);
	assert_int_equal(a.status, AUTHOR_APP_REJECTED);
	assert_string_equal(a.reason, "더 써 오세요");
	assert_int_equal(a.decided_by, 9);
	assert_int_equal(a.decided_at, 5000);
	author_application_dispose(&a);
	/* decided: not again, neither way */
	decide(h, id, AUTHOR_APP_APPROVED, NULL, APP_ECONFLICT);
	decide(h, id, AUTHOR_APP_REJECTED, "again", APP_ECONFLICT);
	decide(h, id + other + 100, AUTHOR_APP_APPROVED, NULL, APP_ENOTFOUND);
	decide(h, other, AUTHOR_APP_APPROVED, NULL, 0);
	assert_int_equal(author_application_repo_find(&a, &h->repo, h->tx, other, &err), 0);
	assert_int_equal(a.status, AUTHOR_APP_APPROVED);
	assert_null(a.reason);
	author_application_dispose(&a);
}

static void test_list_filters_and_pages(void **state)
{
	harness *h = *state;
	author_application out[10];
	int64_t a = put(h, 1, "A", 1), b = put(h, 2, "B", 2), c = put(h, 3, "C", 3);
	size_t n;
	app_err err;

	decide(h, b, AUTHOR_APP_APPROVED, NULL, 0);
	assert_int_equal(author_application_repo_list(out, &n, &h->repo, h->tx, 0, 0, 10, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].id, c); /* newest first */
	assert_int_equal(out[1].id, b);
	assert_int_equal(out[2].id, a);
	for (size_t i = 0; i < n; i++)
		author_application_dispose(&out[i]);

	assert_int_equal(
	    author_application_repo_list(out, &n, &h->repo, h->tx, AUTHOR_APP_PENDING, 0, 10, &err),
	    0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, c);
	assert_int_equal(out[1].id, a);
	for (size_t i = 0; i < n; i++)
		author_application_dispose(&out[i]);

	assert_int_equal(author_application_repo_list(out, &n, &h->repo, h->tx, AUTHOR_APP_APPROVED,
						      0, 10, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, b);
	assert_int_equal(out[0].status, AUTHOR_APP_APPROVED);
	author_application_dispose(&out[0]);

	assert_int_equal(author_application_repo_list(out, &n, &h->repo, h->tx, AUTHOR_APP_REJECTED,
						      0, 10, &err),
			 0);
	assert_int_equal(n, 0);

	/* pages: limit 2, then below the last id */
	assert_int_equal(author_application_repo_list(out, &n, &h->repo, h->tx, 0, 0, 2, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[1].id, b);
	author_application_dispose(&out[0]);
	author_application_dispose(&out[1]);
	assert_int_equal(author_application_repo_list(out, &n, &h->repo, h->tx, 0, b, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, a);
	author_application_dispose(&out[0]);
}

#define CONTRACT(setup)                                                                            \
	{                                                                                          \
		cmocka_unit_test_setup_teardown(test_insert_and_find, setup, teardown),            \
		    cmocka_unit_test_setup_teardown(test_one_live_application_per_member, setup,   \
						    teardown),                                     \
		    cmocka_unit_test_setup_teardown(test_find_latest, setup, teardown),            \
		    cmocka_unit_test_setup_teardown(test_decide_only_pending, setup, teardown),    \
		    cmocka_unit_test_setup_teardown(test_list_filters_and_pages, setup, teardown), \
	}

int main(void)
{
	const struct CMUnitTest fake[] = CONTRACT(setup_fake);
	const struct CMUnitTest sqlite[] = CONTRACT(setup_sqlite);
	const struct CMUnitTest pg[] = CONTRACT(setup_pg);
	int failed = 0;

	failed += cmocka_run_group_tests_name("author_application_repo: fake", fake, NULL, NULL);
	failed +=
	    cmocka_run_group_tests_name("author_application_repo: sqlite", sqlite, NULL, NULL);
	failed += cmocka_run_group_tests_name("author_application_repo: postgres", pg, NULL, NULL);
	return failed ? 1 : 0;
}
