/*
 * The OPDS token store's contract, on the fake, SQLite and PostgreSQL: one token per
 * member (a new one replaces the old), found by its digest, a digest never
 * two members', removal (and removing none), reads outside a unit, and
 * writes of a unit that rolls back leave nothing.
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
#include "fakes/fake_opds_tokens.h"
#include "support/test_env.h"
#include "support/test_pg.h"

#define D1 "1111111111111111111111111111111111111111111111111111111111111111"
#define D2 "2222222222222222222222222222222222222222222222222222222222222222"
#define D3 "3333333333333333333333333333333333333333333333333333333333333333"

typedef struct store {
	opds_token_repo repo;
	uow uow;
	fake_uow fake_uow;
	fake_opds_tokens *fake;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	int64_t m[2]; /* two members */
} store;

static int setup_fake(void **state)
{
	store *s = calloc(1, sizeof(*s));

	s->fake = calloc(1, sizeof(*s->fake));
	s->repo = fake_opds_token_repo(s->fake);
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
		snprintf(m.email, sizeof(m.email), "o%d@example.com", i);
		snprintf(m.name, sizeof(m.name), "독자%d", i);
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

	test_tmpdir(dir, sizeof(dir), "opds-contract");
	snprintf(path, sizeof(path), "%s/opds.db", dir);
	assert_int_equal(sqlite_db_open(&s->db, path, &err), 0);
	s->repo = sqlite_opds_token_repo(s->db);
	s->uow = sqlite_db_uow(s->db);
	return with_members(state, s, sqlite_member_repo(s->db));
}

static int setup_pg(void **state)
{
	store *s = calloc(1, sizeof(*s));
	app_err err;

	test_pg_suite_db(&s->pgdb, "opds_contract");
	assert_int_equal(pg_db_open(&s->pg, s->pgdb.conninfo, &err), 0);
	s->repo = pg_opds_token_repo(s->pg);
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

static int put(store *s, int who, const char *digest, int64_t at)
{
	app_err err;

	return TEST_IN_UNIT(&s->uow,
			    opds_token_put(&s->repo, test_tx, s->m[who], digest, at, &err));
}

/* The member of digest, or 0 when none has it (asserting APP_ENOTFOUND then). */
static int64_t member_of(store *s, const char *digest)
{
	int64_t id = -1;
	app_err err;
	int rc = opds_token_member(&id, &s->repo, NULL, digest, &err);

	if (rc == APP_ENOTFOUND)
		return 0;
	assert_int_equal(rc, 0);
	return id;
}

/* When who's token was made, or 0 when they have none. */
static int64_t created(store *s, int who)
{
	int64_t at = -1;
	app_err err;
	int rc = opds_token_created(&at, &s->repo, NULL, s->m[who], &err);

	if (rc == APP_ENOTFOUND)
		return 0;
	assert_int_equal(rc, 0);
	return at;
}

static int remove_token(store *s, int who)
{
	int removed = -1;
	app_err err;

	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, opds_token_remove(&removed, &s->repo, test_tx, s->m[who], &err)),
	    0);
	return removed;
}

static void test_put_and_find(void **state)
{
	store *s = *state;

	assert_int_equal(member_of(s, D1), 0);
	assert_int_equal(created(s, 0), 0);
	assert_int_equal(put(s, 0, D1, 5000), 0);
	assert_int_equal(member_of(s, D1), s->m[0]);
	assert_int_equal(created(s, 0), 5000);
	assert_int_equal(created(s, 1), 0);
	assert_int_equal(member_of(s, D2), 0);
}

static void test_a_new_token_replaces_the_old(void **state)
{
	store *s = *state;

	assert_int_equal(put(s, 0, D1, 5000), 0);
	assert_int_equal(put(s, 0, D2, 6000), 0);
	assert_int_equal(member_of(s, D1), 0);
	assert_int_equal(member_of(s, D2), s->m[0]);
	assert_int_equal(created(s, 0), 6000);
	assert_int_equal(put(s, 0, D2, 7000), 0); /* the same again: only the time moves */
	assert_int_equal(created(s, 0), 7000);
}

static void test_members_apart_and_digests_unique(void **state)
{
	store *s = *state;

	assert_int_equal(put(s, 0, D1, 5000), 0);
	assert_int_equal(put(s, 1, D2, 5100), 0);
	assert_int_equal(member_of(s, D1), s->m[0]);
	assert_int_equal(member_of(s, D2), s->m[1]);
	/* one member's digest is never another's: refused, and nothing changes */
	assert_int_equal(put(s, 1, D1, 5200), APP_EEXISTS);
	assert_int_equal(member_of(s, D1), s->m[0]);
	assert_int_equal(member_of(s, D2), s->m[1]);
	assert_int_equal(created(s, 1), 5100);
}

static void test_remove(void **state)
{
	store *s = *state;

	assert_int_equal(remove_token(s, 0), 0); /* none: fine */
	assert_int_equal(put(s, 0, D1, 5000), 0);
	assert_int_equal(put(s, 1, D2, 5000), 0);
	assert_int_equal(remove_token(s, 0), 1);
	assert_int_equal(member_of(s, D1), 0);
	assert_int_equal(created(s, 0), 0);
	assert_int_equal(member_of(s, D2), s->m[1]); /* the other's stays */
	assert_int_equal(remove_token(s, 0), 0);
	assert_int_equal(put(s, 0, D3, 8000), 0); /* and a new one can be made */
	assert_int_equal(member_of(s, D3), s->m[0]);
	assert_int_equal(put(s, 1, D1, 8000), 0); /* a removed digest is free again */
	assert_int_equal(member_of(s, D1), s->m[1]);
	assert_int_equal(member_of(s, D2), 0);
}

static void test_rolled_back_unit_leaves_nothing(void **state)
{
	store *s = *state;
	int removed;
	uow_tx *tx;
	app_err err;

	assert_int_equal(put(s, 0, D1, 5000), 0);
	assert_int_equal(uow_begin(&tx, &s->uow, &err), 0);
	assert_int_equal(opds_token_put(&s->repo, tx, s->m[0], D2, 6000, &err), 0);
	assert_int_equal(opds_token_put(&s->repo, tx, s->m[1], D3, 6000, &err), 0);
	uow_rollback(tx);
	assert_int_equal(member_of(s, D1), s->m[0]);
	assert_int_equal(member_of(s, D2), 0);
	assert_int_equal(member_of(s, D3), 0);
	assert_int_equal(created(s, 0), 5000);
	assert_int_equal(uow_begin(&tx, &s->uow, &err), 0);
	assert_int_equal(opds_token_remove(&removed, &s->repo, tx, s->m[0], &err), 0);
	assert_int_equal(removed, 1);
	uow_rollback(tx);
	assert_int_equal(member_of(s, D1), s->m[0]);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_sqlite, teardown),                            \
	    cmocka_unit_test_setup_teardown(f, setup_pg, teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_put_and_find),
	    EACH(test_a_new_token_replaces_the_old),
	    EACH(test_members_apart_and_digests_unique),
	    EACH(test_remove),
	    EACH(test_rolled_back_unit_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
