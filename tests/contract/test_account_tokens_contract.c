/*
 * The account token store's contract, on the fake, SQLite and PostgreSQL: a
 * token is found by its digest (a digest is one token's), used once (the
 * second use is a conflict, whoever tries), removed per member and purpose
 * (or every purpose), and the writes of a unit that rolls back leave nothing.
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

#define D1 "1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "3333333333333333333333333333333333333333333333333333333333333333"

typedef struct store {
	account_token_repo repo;
	uow uow;
	fake_uow fake_uow;
	fake_account_tokens *fake;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	int64_t m[2]; /* two members */
} store;

static int setup_fake(void **state)
{
	store *s = calloc(1, sizeof(*s));

	s->fake = calloc(1, sizeof(*s->fake));
	s->repo = fake_account_token_repo(s->fake);
	s->uow = fake_uow_port(&s->fake_uow);
	s->m[0] = 10;
	s->m[1] = 11;
	*state = s;
	return 0;
}

/* The two members, stored with members (the tokens refer to them). */
static int with_members(void **state, store *s, member_repo members)
{
	app_err err;

	for (int i = 0; i < 2; i++) {
		member m;

		memset(&m, 0, sizeof(m));
		snprintf(m.email, sizeof(m.email), "t%d@example.com", i);
		snprintf(m.name, sizeof(m.name), "회원%d", i);
		snprintf(m.password_hash, sizeof(m.password_hash), "h");
		m.created_at = 1000;
		assert_int_equal(
		    TEST_IN_UNIT(&s->uow, member_repo_insert(&members, test_tx, &m, &err)), 0);
		s->m[i] = m.id;
	}
	*state = s;
	return 0;
}

static int setup_sqlite(void **state)
{
	store *s = calloc(1, sizeof(*s));
	char dir[512], path[600];
	app_err err;

	test_tmpdir(dir, sizeof(dir), "tokens-contract");
	snprintf(path, sizeof(path), "%s/tokens.db", dir);
	assert_int_equal(sqlite_db_open(&s->db, path, &err), 0);
	s->repo = sqlite_account_token_repo(s->db);
	s->uow = sqlite_db_uow(s->db);
	return with_members(state, s, sqlite_member_repo(s->db));
}

static int setup_pg(void **state)
{
	store *s = calloc(1, sizeof(*s));
	app_err err;

	test_pg_suite_db(&s->pgdb, "tokens_contract");
	assert_int_equal(pg_db_open(&s->pg, s->pgdb.conninfo, &err), 0);
	s->repo = pg_account_token_repo(s->pg);
	s->uow = pg_db_uow(s->pg);
	return with_members(state, s, pg_member_repo(s->pg));
}

static int teardown(void **state)
{
	store *s = *state;

	free(s->fake);
	sqlite_db_close(s->db);
	pg_db_close(s->pg);
	free(s);
	return 0;
}

static int put(store *s, const char *digest, int who, const char *purpose, const char *new_email)
{
	account_token t = {.member_id = s->m[who], .created_at = 100, .expires_at = 200};
	app_err err;

	snprintf(t.digest, sizeof(t.digest), "%s", digest);
	snprintf(t.purpose, sizeof(t.purpose), "%s", purpose);
	snprintf(t.new_email, sizeof(t.new_email), "%s", new_email ? new_email : "");
	return TEST_IN_UNIT(&s->uow, account_token_insert(&s->repo, test_tx, &t, &err));
}

static int find(account_token *out, store *s, const char *digest)
{
	app_err err;

	return account_token_find(out, &s->repo, NULL, digest, &err);
}

static void test_insert_and_find(void **state)
{
	store *s = *state;
	account_token t;

	assert_int_equal(put(s, D1, 0, "email_change", "new@example.com"), 0);
	assert_int_equal(put(s, D2, 1, "password_reset", NULL), 0);
	assert_int_equal(put(s, D1, 1, "password_reset", NULL), APP_EEXISTS);
	assert_int_equal(find(&t, s, D1), 0);
	assert_string_equal(t.digest, D1);
	assert_int_equal(t.member_id, s->m[0]);
	assert_string_equal(t.purpose, "email_change");
	assert_string_equal(t.new_email, "new@example.com");
	assert_int_equal(t.created_at, 100);
	assert_int_equal(t.expires_at, 200);
	assert_int_equal(t.used_at, 0);
	assert_int_equal(find(&t, s, D2), 0);
	assert_string_equal(t.new_email, "");
	assert_int_equal(find(&t, s, D3), APP_ENOTFOUND);
}

static void test_used_once(void **state)
{
	store *s = *state;
	account_token t;
	app_err err;

	assert_int_equal(put(s, D1, 0, "password_reset", NULL), 0);
	assert_int_equal(TEST_IN_UNIT(&s->uow, account_token_use(&s->repo, test_tx, D1, 150, &err)),
			 0);
	assert_int_equal(TEST_IN_UNIT(&s->uow, account_token_use(&s->repo, test_tx, D1, 160, &err)),
			 APP_ECONFLICT);
	assert_int_equal(find(&t, s, D1), 0);
	assert_int_equal(t.used_at, 150);
}

static void test_removed_per_member_and_purpose(void **state)
{
	store *s = *state;
	account_token t;
	app_err err;

	assert_int_equal(put(s, D1, 0, "password_reset", NULL), 0);
	assert_int_equal(put(s, D2, 0, "email_change", "x@example.com"), 0);
	assert_int_equal(put(s, D3, 1, "password_reset", NULL), 0);
	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, account_token_remove_member(&s->repo, test_tx, s->m[0],
							      "password_reset", &err)),
	    0);
	assert_int_equal(find(&t, s, D1), APP_ENOTFOUND);
	assert_int_equal(find(&t, s, D2), 0);
	assert_int_equal(find(&t, s, D3), 0); /* another member's stays */
	assert_int_equal(TEST_IN_UNIT(&s->uow, account_token_remove_member(&s->repo, test_tx,
									   s->m[0], NULL, &err)),
			 0);
	assert_int_equal(find(&t, s, D2), APP_ENOTFOUND);
	assert_int_equal(find(&t, s, D3), 0);
}

static void test_rolled_back_unit_leaves_nothing(void **state)
{
	store *s = *state;
	account_token t = {.member_id = s->m[0], .created_at = 1, .expires_at = 2};
	uow_tx *tx;
	app_err err;

	snprintf(t.digest, sizeof(t.digest), D1);
	snprintf(t.purpose, sizeof(t.purpose), "password_reset");
	assert_int_equal(uow_begin(&tx, &s->uow, &err), 0);
	assert_int_equal(account_token_insert(&s->repo, tx, &t, &err), 0);
	uow_rollback(tx);
	assert_int_equal(find(&t, s, D1), APP_ENOTFOUND);
	assert_int_equal(put(s, D2, 0, "password_reset", NULL), 0);
	assert_int_equal(uow_begin(&tx, &s->uow, &err), 0);
	assert_int_equal(account_token_use(&s->repo, tx, D2, 5, &err), 0);
	uow_rollback(tx);
	assert_int_equal(find(&t, s, D2), 0);
	assert_int_equal(t.used_at, 0);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_sqlite, teardown),                            \
	    cmocka_unit_test_setup_teardown(f, setup_pg, teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_insert_and_find),
	    EACH(test_used_once),
	    EACH(test_removed_per_member_and_purpose),
	    EACH(test_rolled_back_unit_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
