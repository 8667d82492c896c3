/*
 * The comment repository's contract, on the fake, SQLite and PostgreSQL: comments and
 * replies, newest or best first with their cursors, replies oldest first,
 * hidden and deleted ones, counts, likes once per member, a deleted
 * account's comments and likes, and writes of a unit that rolls back.
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
#include "fakes/fake_comments.h"
#include "support/test_env.h"
#include "support/test_pg.h"

#define BOOK 7

typedef struct store {
	comment_repo repo;
	uow uow;
	fake_uow fake_uow;
	fake_comments *fake;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	int64_t m[3]; /* three members */
} store;

static const char *const names[] = {"첫독자", "둘째독자", "셋째독자"};

static int setup_fake(void **state)
{
	store *s = calloc(1, sizeof(*s));

	s->fake = calloc(1, sizeof(*s->fake));
	s->repo = fake_comment_repo(s->fake);
	s->uow = fake_uow_port(&s->fake_uow);
	for (int i = 0; i < 3; i++)
		s->m[i] = 10 + i;
	*state = s;
	return 0;
}

/* The three members, stored with members (a comment shows its member's name). */
static int with_members(void **state, store *s, member_repo members)
{
	app_err err;

	for (int i = 0; i < 3; i++) {
		member m;

		memset(&m, 0, sizeof(m));
		snprintf(m.email, sizeof(m.email), "c%d@example.com", i);
		snprintf(m.name, sizeof(m.name), "%s", names[i]);
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

	test_tmpdir(dir, sizeof(dir), "comments-contract");
	snprintf(path, sizeof(path), "%s/comments.db", dir);
	assert_int_equal(sqlite_db_open(&s->db, path, &err), 0);
	s->repo = sqlite_comment_repo(s->db);
	s->uow = sqlite_db_uow(s->db);
	return with_members(state, s, sqlite_member_repo(s->db));
}

static int setup_pg(void **state)
{
	store *s = calloc(1, sizeof(*s));
	app_err err;

	test_pg_suite_db(&s->pgdb, "comments_contract");
	assert_int_equal(pg_db_open(&s->pg, s->pgdb.conninfo, &err), 0);
	s->repo = pg_comment_repo(s->pg);
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

/* Stores a comment by member who (0..2) on episode number, replying to parent. */
static int64_t add(store *s, int who, int64_t number, int64_t parent, const char *text, int64_t at)
{
	comment c;
	app_err err;

	memset(&c, 0, sizeof(c));
	c.book_id = BOOK;
	c.number = number;
	c.parent_id = parent;
	c.member_id = s->m[who];
	snprintf(c.member_name, sizeof(c.member_name), "%s", names[who]);
	snprintf(c.text, sizeof(c.text), "%s", text);
	c.created_at = c.updated_at = at;
	assert_int_equal(TEST_IN_UNIT(&s->uow, comment_insert(&s->repo, test_tx, &c, &err)), 0);
	assert_true(c.id > 0);
	return c.id;
}

static int like(store *s, int64_t id, int who, int on)
{
	int64_t likes;
	int changed;
	app_err err;

	assert_int_equal(TEST_IN_UNIT(&s->uow, comment_like(&changed, &likes, &s->repo, test_tx, id,
							    s->m[who], on, 5000, &err)),
			 0);
	return changed;
}

/* The ids of a page, in order, into ids; returns how many. */
static size_t page(int64_t *ids, store *s, const comment_query *q, size_t cap)
{
	comment rows[8];
	size_t n;
	app_err err;

	assert_true(cap <= 8);
	assert_int_equal(comment_list(rows, &n, &s->repo, NULL, q, cap, &err), 0);
	for (size_t i = 0; i < n; i++)
		ids[i] = rows[i].id;
	return n;
}

static int64_t count(store *s, int64_t number)
{
	int64_t n;
	app_err err;

	assert_int_equal(comment_count(&n, &s->repo, NULL, BOOK, number, &err), 0);
	return n;
}

static void test_insert_and_find(void **state)
{
	store *s = *state;
	int64_t id = add(s, 0, 1, 0, "서랍이 열렸다", 2000);
	comment c;
	app_err err;

	assert_int_equal(comment_find(&c, &s->repo, NULL, id, 0, &err), 0);
	assert_int_equal(c.id, id);
	assert_int_equal(c.book_id, BOOK);
	assert_int_equal(c.number, 1);
	assert_int_equal(c.parent_id, 0);
	assert_int_equal(c.member_id, s->m[0]);
	assert_string_equal(c.member_name, "첫독자");
	assert_string_equal(c.text, "서랍이 열렸다");
	assert_int_equal(c.created_at, 2000);
	assert_int_equal(c.updated_at, 2000);
	assert_int_equal(c.likes + c.replies + c.hidden + c.deleted + c.liked + c.spoiler, 0);
	assert_int_equal(comment_find(&c, &s->repo, NULL, id + 100, 0, &err), APP_ENOTFOUND);
	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, comment_update(&s->repo, test_tx, id, "고쳐 씀", 1, 3000, &err)),
	    0);
	assert_int_equal(comment_find(&c, &s->repo, NULL, id, 0, &err), 0);
	assert_string_equal(c.text, "고쳐 씀");
	assert_int_equal(c.spoiler, 1);
	assert_int_equal(c.updated_at, 3000);
	assert_int_equal(c.created_at, 2000);
	assert_int_equal(TEST_IN_UNIT(&s->uow, comment_update(&s->repo, test_tx, id + 100, "없음",
							      0, 3000, &err)),
			 APP_ENOTFOUND);
}

static void test_newest_first_with_cursor(void **state)
{
	store *s = *state;
	int64_t a = add(s, 0, 1, 0, "하나", 1), b = add(s, 1, 1, 0, "둘", 2);
	int64_t other = add(s, 1, 2, 0, "다른 화", 3), c = add(s, 2, 1, 0, "셋", 4);
	int64_t ids[8];
	comment_query q = {.book_id = BOOK, .number = 1};

	add(s, 1, 1, a, "답글", 5); /* not among the comments */
	assert_int_equal(page(ids, s, &q, 8), 3);
	assert_int_equal(ids[0], c);
	assert_int_equal(ids[1], b);
	assert_int_equal(ids[2], a);
	assert_int_equal(page(ids, s, &q, 2), 2);
	q.before_id = ids[1];
	assert_int_equal(page(ids, s, &q, 2), 1);
	assert_int_equal(ids[0], a);
	q = (comment_query){.book_id = BOOK, .number = 2};
	assert_int_equal(page(ids, s, &q, 8), 1);
	assert_int_equal(ids[0], other);
}

static void test_best_first_ties_newest(void **state)
{
	store *s = *state;
	int64_t a = add(s, 0, 1, 0, "하나", 1), b = add(s, 1, 1, 0, "둘", 2);
	int64_t c = add(s, 2, 1, 0, "셋", 3), d = add(s, 0, 1, 0, "넷", 4);
	int64_t ids[8];
	comment_query q = {.book_id = BOOK, .number = 1, .sort = COMMENT_SORT_BEST};
	comment rows[2];
	size_t n;
	app_err err;

	like(s, b, 0, 1);
	like(s, b, 2, 1);
	like(s, a, 1, 1);
	like(s, c, 0, 1);
	assert_int_equal(page(ids, s, &q, 8), 4);
	assert_int_equal(ids[0], b);
	assert_int_equal(ids[1], c); /* one like each: newest first */
	assert_int_equal(ids[2], a);
	assert_int_equal(ids[3], d);
	assert_int_equal(comment_list(rows, &n, &s->repo, NULL, &q, 2, &err), 0);
	q.before_likes = rows[1].likes;
	q.before_id = rows[1].id;
	assert_int_equal(page(ids, s, &q, 8), 2);
	assert_int_equal(ids[0], a);
	assert_int_equal(ids[1], d);
}

static void test_replies_oldest_first_and_counted(void **state)
{
	store *s = *state;
	int64_t top = add(s, 0, 1, 0, "원댓글", 1);
	int64_t r1 = add(s, 1, 1, top, "답글 하나", 2), r2 = add(s, 2, 1, top, "답글 둘", 3);
	int64_t r3 = add(s, 1, 1, top, "답글 셋", 4);
	int64_t ids[8];
	comment_query q = {.book_id = BOOK, .number = 1, .parent_id = top};
	comment c;
	app_err err;

	assert_int_equal(page(ids, s, &q, 8), 3);
	assert_int_equal(ids[0], r1);
	assert_int_equal(ids[1], r2);
	assert_int_equal(ids[2], r3);
	q.after_id = r1;
	assert_int_equal(page(ids, s, &q, 1), 1);
	assert_int_equal(ids[0], r2);
	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, comment_set_hidden(&s->repo, test_tx, r2, 1, 9, &err)), 0);
	assert_int_equal(comment_find(&c, &s->repo, NULL, top, 0, &err), 0);
	assert_int_equal(c.replies, 2);
	assert_int_equal(count(s, 1), 3);
}

static void test_hidden_ones(void **state)
{
	store *s = *state;
	int64_t a = add(s, 0, 1, 0, "하나", 1), b = add(s, 1, 1, 0, "둘", 2);
	int64_t ids[8];
	comment_query q = {.book_id = BOOK, .number = 1};
	comment c;
	app_err err;

	add(s, 2, 1, b, "숨긴 댓글의 답글", 3);
	assert_int_equal(count(s, 1), 3);
	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, comment_set_hidden(&s->repo, test_tx, b, 1, 9, &err)), 0);
	assert_int_equal(page(ids, s, &q, 8), 1);
	assert_int_equal(ids[0], a);
	assert_int_equal(count(s, 1), 1); /* its replies go with it */
	q.with_hidden = 1;
	assert_int_equal(page(ids, s, &q, 8), 2);
	assert_int_equal(comment_find(&c, &s->repo, NULL, b, 0, &err), 0);
	assert_int_equal(c.hidden, 1);
	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, comment_set_hidden(&s->repo, test_tx, b, 0, 9, &err)), 0);
	assert_int_equal(count(s, 1), 3);
	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, comment_set_hidden(&s->repo, test_tx, b + 100, 1, 9, &err)),
	    APP_ENOTFOUND);
}

static void test_deleted_ones(void **state)
{
	store *s = *state;
	int64_t a = add(s, 0, 1, 0, "답글 없는 댓글", 1), b = add(s, 1, 1, 0, "답글 있는 댓글", 2);
	int64_t r = add(s, 2, 1, b, "답글", 3);
	int64_t ids[8];
	comment_query q = {.book_id = BOOK, .number = 1};
	comment c;
	app_err err;

	like(s, b, 0, 1);
	assert_int_equal(TEST_IN_UNIT(&s->uow, comment_remove(&s->repo, test_tx, a, 8, &err)), 0);
	assert_int_equal(TEST_IN_UNIT(&s->uow, comment_remove(&s->repo, test_tx, b, 8, &err)), 0);
	assert_int_equal(TEST_IN_UNIT(&s->uow, comment_remove(&s->repo, test_tx, b, 8, &err)),
			 APP_ENOTFOUND);
	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, comment_update(&s->repo, test_tx, b, "되살리기", 0, 9, &err)),
	    APP_ENOTFOUND);
	assert_int_equal(comment_find(&c, &s->repo, NULL, b, s->m[0], &err), 0);
	assert_int_equal(c.deleted, 1);
	assert_string_equal(c.text, "");
	assert_int_equal(c.likes, 0);
	assert_int_equal(c.liked, 0);		  /* its likes went with it */
	assert_int_equal(page(ids, s, &q, 8), 1); /* kept while it has replies */
	assert_int_equal(ids[0], b);
	assert_int_equal(count(s, 1), 1);
	assert_int_equal(TEST_IN_UNIT(&s->uow, comment_remove(&s->repo, test_tx, r, 8, &err)), 0);
	assert_int_equal(page(ids, s, &q, 8), 0);
	assert_int_equal(count(s, 1), 0);
}

static void test_likes_once_per_member(void **state)
{
	store *s = *state;
	int64_t a = add(s, 0, 1, 0, "하나", 1), likes;
	int changed;
	comment c;
	app_err err;

	assert_int_equal(like(s, a, 1, 1), 1);
	assert_int_equal(like(s, a, 1, 1), 0);
	assert_int_equal(like(s, a, 2, 1), 1);
	assert_int_equal(comment_find(&c, &s->repo, NULL, a, s->m[1], &err), 0);
	assert_int_equal(c.likes, 2);
	assert_int_equal(c.liked, 1);
	assert_int_equal(comment_find(&c, &s->repo, NULL, a, s->m[0], &err), 0);
	assert_int_equal(c.liked, 0);
	assert_int_equal(like(s, a, 1, 0), 1);
	assert_int_equal(like(s, a, 1, 0), 0);
	assert_int_equal(comment_find(&c, &s->repo, NULL, a, s->m[1], &err), 0);
	assert_int_equal(c.likes, 1);
	assert_int_equal(c.liked, 0);
	assert_int_equal(TEST_IN_UNIT(&s->uow, comment_like(&changed, &likes, &s->repo, test_tx,
							    a + 100, s->m[1], 1, 1, &err)),
			 APP_ENOTFOUND);
}

static void test_member_removed(void **state)
{
	store *s = *state;
	int64_t a = add(s, 0, 1, 0, "남는 댓글", 1), b = add(s, 1, 1, 0, "지워질 댓글", 2);
	comment c;
	app_err err;

	like(s, a, 1, 1);
	like(s, a, 2, 1);
	like(s, b, 0, 1);
	assert_int_equal(
	    TEST_IN_UNIT(&s->uow, comment_remove_member(&s->repo, test_tx, s->m[1], 9, &err)), 0);
	assert_int_equal(comment_find(&c, &s->repo, NULL, a, s->m[1], &err), 0);
	assert_int_equal(c.likes, 1);
	assert_int_equal(c.liked, 0);
	assert_int_equal(comment_find(&c, &s->repo, NULL, b, s->m[0], &err), 0);
	assert_int_equal(c.deleted, 1);
	assert_string_equal(c.text, "");
	assert_int_equal(c.likes + c.liked, 0);
	assert_int_equal(count(s, 1), 1);
}

static void test_rolled_back_unit_leaves_nothing(void **state)
{
	store *s = *state;
	int64_t a = add(s, 0, 1, 0, "하나", 1), likes;
	int changed;
	uow_tx *tx;
	comment c;
	app_err err;

	assert_int_equal(uow_begin(&tx, &s->uow, &err), 0);
	assert_int_equal(comment_like(&changed, &likes, &s->repo, tx, a, s->m[1], 1, 2, &err), 0);
	assert_int_equal(comment_update(&s->repo, tx, a, "바뀐 글", 1, 3, &err), 0);
	assert_int_equal(comment_remove(&s->repo, tx, a, 4, &err), 0);
	uow_rollback(tx);
	assert_int_equal(comment_find(&c, &s->repo, NULL, a, s->m[1], &err), 0);
	assert_string_equal(c.text, "하나");
	assert_int_equal(c.likes + c.liked + c.deleted + c.spoiler, 0);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_sqlite, teardown),                            \
	    cmocka_unit_test_setup_teardown(f, setup_pg, teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_insert_and_find),
	    EACH(test_newest_first_with_cursor),
	    EACH(test_best_first_ties_newest),
	    EACH(test_replies_oldest_first_and_counted),
	    EACH(test_hidden_ones),
	    EACH(test_deleted_ones),
	    EACH(test_likes_once_per_member),
	    EACH(test_member_removed),
	    EACH(test_rolled_back_unit_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
