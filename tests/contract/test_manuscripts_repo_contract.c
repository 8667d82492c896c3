/*
 * Contract of manuscript_repo (manuscripts and their kept revisions): the
 * same suite runs against the fake (tests/fakes/fake_manuscripts.c), the
 * SQLite adapter and the PostgreSQL adapter.
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
#include "fakes/fake_manuscripts.h"
#include "fakes/fakes.h"
#include "support/test_env.h"
#include "support/test_pg.h"

typedef struct harness {
	manuscript_repo repo;
	fake_manuscripts *fake;
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
	h->repo = fake_manuscript_repo(h->fake);
	*state = h;
	return 0;
}

/* Opens the test's unit and stores authors 1 and 2 (manuscripts refer to members). */
static int with_authors(void **state, harness *h, member_repo members, manuscript_repo repo)
{
	app_err err;

	assert_int_equal(uow_begin(&h->tx, &h->uow, NULL), 0);
	for (int i = 1; i <= 2; i++) {
		member m;

		memset(&m, 0, sizeof(m));
		snprintf(m.email, sizeof(m.email), "a%d@example.com", i);
		snprintf(m.name, sizeof(m.name), "Author %d", i);
		snprintf(m.password_hash, sizeof(m.password_hash), "x");
		m.roles = MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR;
		m.created_at = 1000;
		assert_int_equal(member_repo_insert(&members, h->tx, &m, &err), 0);
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
	test_tmpdir(dir, sizeof(dir), "manuscripts-contract");
	snprintf(path, sizeof(path), "%s/wl.db", dir);
	assert_int_equal(sqlite_db_open(&h->db, path, &err), 0);
	h->uow = sqlite_db_uow(h->db);
	return with_authors(state, h, sqlite_member_repo(h->db), sqlite_manuscript_repo(h->db));
}

static int setup_pg(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	app_err err;

	assert_non_null(h);
	test_pg_suite_db(&h->pgdb, "manuscripts_contract");
	assert_int_equal(pg_db_open(&h->pg, h->pgdb.conninfo, &err), 0);
	h->uow = pg_db_uow(h->pg);
	return with_authors(state, h, pg_member_repo(h->pg), pg_manuscript_repo(h->pg));
}

static int teardown(void **state)
{
	harness *h = *state;

	if (h->tx)
		assert_int_equal(uow_commit(h->tx, NULL), 0);
	if (h->fake) {
		fake_manuscripts_dispose(h->fake);
		free(h->fake);
	}
	sqlite_db_close(h->db);
	pg_db_close(h->pg);
	free(h);
	return 0;
}

/* Stores a draft at revision 1; returns its id. */
static int64_t put(harness *h, int64_t author_id, const char *title, const char *content)
{
	manuscript m;
	app_err err;

	memset(&m, 0, sizeof(m));
	m.author_id = author_id;
	snprintf(m.title, sizeof(m.title), "%s", title);
	m.content = (char *)content;
	m.content_len = strlen(content);
	m.revision = 1;
	m.status = MANUSCRIPT_DRAFT;
	m.created_at = m.updated_at = 100;
	assert_int_equal(manuscript_repo_insert(&h->repo, h->tx, &m, &err), 0);
	assert_true(m.id > 0);
	return m.id;
}

static void rev(harness *h, int64_t id, int64_t revision, const char *content, size_t keep,
		int expect)
{
	manuscript_revision r;
	app_err err;

	memset(&r, 0, sizeof(r));
	r.manuscript_id = id;
	r.revision = revision;
	snprintf(r.title, sizeof(r.title), "title %lld", (long long)revision);
	r.content = (char *)content;
	r.content_len = strlen(content);
	r.chars = (int64_t)revision * 10;
	r.saved_at = 1000 + revision;
	assert_int_equal(manuscript_repo_add_revision(&h->repo, h->tx, &r, keep, &err), expect);
}

static void test_insert_and_find(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 1, "첫 소설", "옛날 옛적에 once upon a time");
	manuscript m;
	app_err err;

	assert_int_equal(manuscript_repo_find(&m, &h->repo, h->tx, id, 1, &err), 0);
	assert_int_equal(m.id, id);
	assert_int_equal(m.author_id, 1);
	assert_string_equal(m.title, "첫 소설");
	assert_non_null(m.content);
	assert_int_equal(m.content_len, strlen("옛날 옛적에 once upon a time"));
	assert_memory_equal(m.content, "옛날 옛적에 once upon a time", m.content_len);
	assert_int_equal(m.revision, 1);
	assert_int_equal(m.status, MANUSCRIPT_DRAFT);
	assert_int_equal(m.book_id, 0);
	assert_null(m.error);
	assert_int_equal(m.created_at, 100);
	assert_int_equal(m.updated_at, 100);
	manuscript_dispose(&m);

	assert_int_equal(manuscript_repo_find(&m, &h->repo, h->tx, id, 0, &err), 0);
	assert_null(m.content);
	assert_string_equal(m.title, "첫 소설");
	manuscript_dispose(&m);
	assert_int_equal(manuscript_repo_find(&m, &h->repo, h->tx, id + 99, 1, &err),
			 APP_ENOTFOUND);
}

static void test_list_own_newest_first(void **state)
{
	harness *h = *state;
	int64_t a = put(h, 1, "a", "x"), b = put(h, 1, "b", "y");
	int64_t other = put(h, 2, "other", "z"), c = put(h, 1, "c", "w");
	manuscript out[10];
	size_t n;
	app_err err;

	(void)other;
	assert_int_equal(manuscript_repo_list(out, &n, &h->repo, h->tx, 1, 0, 10, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].id, c);
	assert_int_equal(out[1].id, b);
	assert_int_equal(out[2].id, a);
	for (size_t i = 0; i < n; i++) {
		assert_null(out[i].content);
		assert_int_equal(out[i].author_id, 1);
		manuscript_dispose(&out[i]);
	}
	assert_int_equal(manuscript_repo_list(out, &n, &h->repo, h->tx, 1, 0, 2, &err), 0);
	assert_int_equal(n, 2);
	manuscript_dispose(&out[0]);
	manuscript_dispose(&out[1]);
	assert_int_equal(manuscript_repo_list(out, &n, &h->repo, h->tx, 1, b, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, a);
	manuscript_dispose(&out[0]);
	assert_int_equal(manuscript_repo_list(out, &n, &h->repo, h->tx, 3, 0, 10, &err), 0);
	assert_int_equal(n, 0);
}

static void test_save_draft_guarded_by_revision(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 1, "t", "one");
	manuscript m, got;
	app_err err;

	memset(&m, 0, sizeof(m));
	m.id = id;
	snprintf(m.title, sizeof(m.title), "t2");
	m.content = "two";
	m.content_len = 3;
	m.revision = 2;
	m.updated_at = 200;
	assert_int_equal(manuscript_repo_save_draft(&h->repo, h->tx, &m, 1, &err), 0);
	assert_int_equal(manuscript_repo_find(&got, &h->repo, h->tx, id, 1, &err), 0);
	assert_int_equal(got.revision, 2);
	assert_string_equal(got.title, "t2");
	assert_string_equal(got.content, "two");
	assert_int_equal(got.updated_at, 200);
	manuscript_dispose(&got);

	/* a stale expected revision changes nothing */
	m.content = "stale";
	m.content_len = 5;
	m.revision = 2;
	assert_int_equal(manuscript_repo_save_draft(&h->repo, h->tx, &m, 1, &err), APP_ECONFLICT);
	assert_int_equal(manuscript_repo_find(&got, &h->repo, h->tx, id, 1, &err), 0);
	assert_string_equal(got.content, "two");
	manuscript_dispose(&got);

	m.id = id + 99;
	assert_int_equal(manuscript_repo_save_draft(&h->repo, h->tx, &m, 2, &err), APP_ENOTFOUND);
}

static void test_set_status_guarded_by_status(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 1, "t", "content");
	manuscript m, got;
	app_err err;

	memset(&m, 0, sizeof(m));
	m.id = id;
	m.status = MANUSCRIPT_SUBMITTED;
	m.updated_at = 300;
	assert_int_equal(manuscript_repo_set_status(&h->repo, h->tx, &m, MANUSCRIPT_DRAFT, &err),
			 0);
	/* a draft cannot be saved any more */
	m.revision = 2;
	snprintf(m.title, sizeof(m.title), "t");
	m.content = "x";
	m.content_len = 1;
	assert_int_equal(manuscript_repo_save_draft(&h->repo, h->tx, &m, 1, &err), APP_ECONFLICT);
	/* the guard: from must match */
	m.status = MANUSCRIPT_GENERATING;
	assert_int_equal(manuscript_repo_set_status(&h->repo, h->tx, &m, MANUSCRIPT_DRAFT, &err),
			 APP_ECONFLICT);
	m.status = MANUSCRIPT_FAILED;
	m.error = "the model timed out";
	m.updated_at = 400;
	assert_int_equal(
	    manuscript_repo_set_status(&h->repo, h->tx, &m, MANUSCRIPT_SUBMITTED, &err), 0);
	assert_int_equal(manuscript_repo_find(&got, &h->repo, h->tx, id, 0, &err), 0);
	assert_int_equal(got.status, MANUSCRIPT_FAILED);
	assert_string_equal(got.error, "the model timed out");
	assert_int_equal(got.updated_at, 400);
	assert_int_equal(got.revision, 1);
	manuscript_dispose(&got);

	m.status = MANUSCRIPT_PUBLISHED;
	m.error = NULL;
	m.book_id = 77;
	assert_int_equal(manuscript_repo_set_status(&h->repo, h->tx, &m, MANUSCRIPT_FAILED, &err),
			 0);
	assert_int_equal(manuscript_repo_find(&got, &h->repo, h->tx, id, 0, &err), 0);
	assert_int_equal(got.status, MANUSCRIPT_PUBLISHED);
	assert_int_equal(got.book_id, 77);
	assert_null(got.error);
	manuscript_dispose(&got);

	m.id = id + 99;
	assert_int_equal(
	    manuscript_repo_set_status(&h->repo, h->tx, &m, MANUSCRIPT_PUBLISHED, &err),
	    APP_ENOTFOUND);
}

static void test_revisions_kept_and_listed(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 1, "t", "c"), other = put(h, 1, "u", "d");
	manuscript_revision out[30], r;
	size_t n;
	app_err err;

	for (int64_t i = 1; i <= 25; i++)
		rev(h, id, i, i % 2 ? "홀수 odd" : "even", 21, 0);
	rev(h, other, 1, "other", 21, 0);
	rev(h, id, 25, "again", 21, APP_EEXISTS);

	assert_int_equal(manuscript_repo_list_revisions(out, &n, &h->repo, h->tx, id, 0, 30, &err),
			 0);
	assert_int_equal(n, 21); /* 25..5 */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(out[i].revision, 25 - (int64_t)i);
		assert_int_equal(out[i].manuscript_id, id);
		assert_int_equal(out[i].chars, out[i].revision * 10);
		assert_int_equal(out[i].saved_at, 1000 + out[i].revision);
		assert_null(out[i].content);
		manuscript_revision_dispose(&out[i]);
	}
	/* paging below a revision */
	assert_int_equal(manuscript_repo_list_revisions(out, &n, &h->repo, h->tx, id, 10, 3, &err),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].revision, 9);
	assert_int_equal(out[2].revision, 7);
	for (size_t i = 0; i < n; i++)
		manuscript_revision_dispose(&out[i]);

	assert_int_equal(manuscript_repo_find_revision(&r, &h->repo, h->tx, id, 5, &err), 0);
	assert_string_equal(r.content, "홀수 odd");
	assert_int_equal(r.content_len, strlen("홀수 odd"));
	assert_string_equal(r.title, "title 5");
	manuscript_revision_dispose(&r);
	assert_int_equal(manuscript_repo_find_revision(&r, &h->repo, h->tx, id, 4, &err),
			 APP_ENOTFOUND);
	assert_int_equal(manuscript_repo_find_revision(&r, &h->repo, h->tx, other, 1, &err), 0);
	assert_string_equal(r.content, "other");
	manuscript_revision_dispose(&r);
}

static void test_remove_takes_revisions(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 1, "t", "c"), keep = put(h, 1, "k", "k");
	manuscript_revision out[4], r;
	manuscript m;
	size_t n;
	app_err err;

	rev(h, id, 1, "c", 21, 0);
	rev(h, id, 2, "c2", 21, 0);
	rev(h, keep, 1, "k", 21, 0);
	assert_int_equal(manuscript_repo_remove(&h->repo, h->tx, id, &err), 0);
	assert_int_equal(manuscript_repo_find(&m, &h->repo, h->tx, id, 0, &err), APP_ENOTFOUND);
	assert_int_equal(manuscript_repo_list_revisions(out, &n, &h->repo, h->tx, id, 0, 4, &err),
			 0);
	assert_int_equal(n, 0);
	assert_int_equal(manuscript_repo_find_revision(&r, &h->repo, h->tx, id, 1, &err),
			 APP_ENOTFOUND);
	assert_int_equal(manuscript_repo_find_revision(&r, &h->repo, h->tx, keep, 1, &err), 0);
	manuscript_revision_dispose(&r);
	assert_int_equal(manuscript_repo_remove(&h->repo, h->tx, id, &err), APP_ENOTFOUND);
}

#define CONTRACT(setup)                                                                            \
	{                                                                                          \
		cmocka_unit_test_setup_teardown(test_insert_and_find, setup, teardown),            \
		    cmocka_unit_test_setup_teardown(test_list_own_newest_first, setup, teardown),  \
		    cmocka_unit_test_setup_teardown(test_save_draft_guarded_by_revision, setup,    \
						    teardown),                                     \
		    cmocka_unit_test_setup_teardown(test_set_status_guarded_by_status, setup,      \
						    teardown),                                     \
		    cmocka_unit_test_setup_teardown(test_revisions_kept_and_listed, setup,         \
						    teardown),                                     \
		    cmocka_unit_test_setup_teardown(test_remove_takes_revisions, setup, teardown), \
	}

int main(void)
{
	const struct CMUnitTest fake[] = CONTRACT(setup_fake);
	const struct CMUnitTest sqlite[] = CONTRACT(setup_sqlite);
	const struct CMUnitTest pg[] = CONTRACT(setup_pg);
	int failed = 0;

	failed += cmocka_run_group_tests_name("manuscript_repo: fake", fake, NULL, NULL);
	failed += cmocka_run_group_tests_name("manuscript_repo: sqlite", sqlite, NULL, NULL);
	failed += cmocka_run_group_tests_name("manuscript_repo: postgres", pg, NULL, NULL);
	return failed ? 1 : 0;
}
