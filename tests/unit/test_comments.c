/*
 * The community core's comments through fakes: posting and replying (one
 * level deep, on the same episode), the reply's event for the parent's
 * writer, edits and deletes of one's own, bans on every write but a delete,
 * the write limit (given back when a write fails), likes, what the work's
 * author and admins see, and a failed commit that leaves nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/community/community.h"
#include "domain/members/member.h"
#include "fakes/fake_comments.h"
#include "support/test_env.h"

#define NOW	  1767225600000LL
#define BOOK	  5
#define AUTHOR	  1
#define READER	  2
#define OTHER	  3
#define ADMIN	  4
#define BANNED	  6
#define EPISODES  2 /* published episodes of BOOK */
#define WRITE_CAP 5

typedef struct world {
	fake_comments comments;
	fake_uow uow;
	fake_outbox outbox;
	fake_clock clock;
	fake_limiter limiter;
	community_service svc;
} world;

static int dir_member(member_brief *out, void *self, int64_t id, app_err *err)
{
	(void)self;
	if (id < 1 || id > BANNED)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no member");
	memset(out, 0, sizeof(*out));
	out->id = id;
	snprintf(out->name, sizeof(out->name), "독자%lld", (long long)id);
	out->roles = id == ADMIN ? MEMBER_ROLE_ADMIN : id == AUTHOR ? MEMBER_ROLE_AUTHOR : 0;
	out->banned_until = id == BANNED ? NOW + 3600000 : 0;
	return 0;
}

static int dir_work(work_brief *out, void *self, int64_t id, app_err *err)
{
	(void)self;
	if (id != BOOK)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no work");
	memset(out, 0, sizeof(*out));
	out->id = id;
	out->author_id = AUTHOR;
	snprintf(out->title, sizeof(out->title), "시간의 서랍");
	out->visible = 1;
	return 0;
}

static int dir_episode(void *self, int64_t book_id, int64_t number, app_err *err)
{
	(void)self;
	if (book_id != BOOK || number < 1 || number > EPISODES)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no episode");
	return 0;
}

static const community_directory_vtbl dir_vtbl = {
    .member = dir_member,
    .work = dir_work,
    .episode = dir_episode,
};

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	community_deps d = {
	    .comments = fake_comment_repo(&w->comments),
	    .limiter = fake_limiter_port(&w->limiter),
	    .dir = {.vtbl = &dir_vtbl, .self = NULL},
	    .uow = fake_uow_port(&w->uow),
	    .events = fake_publisher(&w->outbox),
	    .clock = fake_clock_port(&w->clock),
	};
	community_config c = {.write_limit = WRITE_CAP};

	w->clock.now = NOW;
	community_service_init(&w->svc, &d, &c);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;

	fake_outbox_dispose(&w->outbox);
	free(w);
	return 0;
}

static int post(comment *out, world *w, int64_t who, int64_t number, int64_t parent,
		const char *text, int spoiler, app_err *err)
{
	app_err_clear(err);
	return community_comment_post(out, &w->svc, who, BOOK, number, parent, text, spoiler, err);
}

static void test_post_and_refusals(void **state)
{
	world *w = *state;
	char long_text[COMMENT_TEXT_MAX * 3 + 8];
	comment c, r;
	app_err err;

	assert_int_equal(post(&c, w, READER, 1, 0, "첫 댓글", 0, &err), 0);
	assert_true(c.id > 0);
	assert_string_equal(c.member_name, "독자2");
	assert_int_equal(c.created_at, NOW);
	assert_int_equal(post(&r, w, READER, 1, 0, "", 0, &err), APP_EINVALID);
	assert_string_equal(err.field, "text");
	memset(long_text, 0, sizeof(long_text));
	for (size_t i = 0; i < COMMENT_TEXT_MAX + 1; i++)
		memcpy(long_text + 3 * i, "가", 3);
	assert_int_equal(post(&r, w, READER, 1, 0, long_text, 0, &err), APP_EINVALID);
	assert_int_equal(post(&r, w, READER, 3, 0, "3화는 아직", 0, &err), APP_ENOTFOUND);
	assert_int_equal(post(&r, w, BANNED, 1, 0, "차단 중", 0, &err), APP_EFORBIDDEN);
	assert_string_equal(err.word, "banned");
	assert_int_equal(post(&r, w, 99, 1, 0, "없는 회원", 0, &err), APP_EUNAUTH);
	assert_int_equal(post(&r, w, OTHER, 2, c.id, "다른 화의 답글", 0, &err), APP_EINVALID);
	assert_string_equal(err.field, "parentId");
	assert_int_equal(post(&r, w, OTHER, 1, c.id, "답글", 0, &err), 0);
	assert_int_equal(post(&c, w, READER, 1, r.id, "답글의 답글", 0, &err), APP_EINVALID);
	assert_string_equal(err.field, "parentId");
	assert_int_equal(w->comments.n, 2);
}

static void test_reply_tells_the_parents_writer(void **state)
{
	world *w = *state;
	char text[COMMENT_TEXT_MAX * 3 + 1] = "";
	comment c, r;
	app_err err;
	const domain_event *ev;

	assert_int_equal(post(&c, w, READER, 1, 0, "원댓글", 0, &err), 0);
	assert_int_equal(post(&r, w, READER, 1, c.id, "내 댓글에 내 답글", 0, &err), 0);
	assert_int_equal(fake_outbox_count(&w->outbox, "comment.replied"), 0);
	for (int i = 0; i < 200; i++)
		strcat(text, "가");
	assert_int_equal(post(&r, w, OTHER, 1, c.id, text, 0, &err), 0);
	assert_int_equal(fake_outbox_count(&w->outbox, "comment.replied"), 1);
	ev = &w->outbox.events[w->outbox.n - 1];
	assert_int_equal(domain_event_int(ev, "parentMemberId", 0), READER);
	assert_int_equal(domain_event_int(ev, "memberId", 0), OTHER);
	assert_int_equal(domain_event_int(ev, "commentId", 0), r.id);
	assert_int_equal(domain_event_int(ev, "episode", 0), 1);
	assert_int_equal(strlen(domain_event_str(ev, "excerpt")), 120 * 3); /* whole characters */
	assert_int_equal(post(&r, w, OTHER, 1, c.id, "범인은 할머니", 1, &err), 0);
	ev = &w->outbox.events[w->outbox.n - 1];
	assert_string_equal(domain_event_str(ev, "excerpt"), "");
}

static void test_edit_and_delete_own(void **state)
{
	world *w = *state;
	comment c, e;
	app_err err;

	assert_int_equal(post(&c, w, READER, 1, 0, "처음 글", 0, &err), 0);
	w->clock.now += 1000;
	assert_int_equal(community_comment_edit(&e, &w->svc, OTHER, c.id, "남의 글", -1, &err),
			 APP_EFORBIDDEN);
	assert_int_equal(community_comment_edit(&e, &w->svc, READER, c.id, NULL, -1, &err),
			 APP_EINVALID);
	assert_int_equal(community_comment_edit(&e, &w->svc, READER, c.id, NULL, 1, &err), 0);
	assert_string_equal(e.text, "처음 글");
	assert_int_equal(e.spoiler, 1);
	assert_int_equal(e.updated_at, NOW + 1000);
	assert_int_equal(community_comment_edit(&e, &w->svc, READER, c.id, "고친 글", -1, &err), 0);
	assert_string_equal(e.text, "고친 글");
	assert_int_equal(e.spoiler, 1);
	assert_int_equal(community_comment_delete(&w->svc, OTHER, c.id, &err), APP_EFORBIDDEN);
	assert_int_equal(community_comment_delete(&w->svc, READER, c.id, &err), 0);
	assert_int_equal(community_comment_delete(&w->svc, READER, c.id, &err), APP_ENOTFOUND);
	assert_int_equal(community_comment_edit(&e, &w->svc, READER, c.id, "다시", -1, &err),
			 APP_ENOTFOUND);
}

static void test_banned_member_may_only_delete(void **state)
{
	world *w = *state;
	comment c = {.book_id = BOOK, .number = 1, .member_id = BANNED}, other, e;
	int64_t likes;
	int liked;
	app_err err;

	/* a comment written before the ban */
	snprintf(c.text, sizeof(c.text), "옛 댓글");
	c.created_at = c.updated_at = NOW - 1000;
	assert_int_equal(
	    TEST_IN_UNIT(&w->svc.d.uow, comment_insert(&w->svc.d.comments, test_tx, &c, &err)), 0);
	assert_int_equal(post(&other, w, READER, 1, 0, "남의 댓글", 0, &err), 0);
	assert_int_equal(community_comment_edit(&e, &w->svc, BANNED, c.id, "고쳐 쓰기", -1, &err),
			 APP_EFORBIDDEN);
	assert_string_equal(err.word, "banned");
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, BANNED, other.id, 1, &err),
			 APP_EFORBIDDEN);
	assert_int_equal(community_comment_delete(&w->svc, BANNED, c.id, &err), 0);
}

static void test_write_limit_counts_what_was_written(void **state)
{
	world *w = *state;
	comment c, e;
	app_err err;

	/* refused writes give their place back */
	for (int i = 0; i < WRITE_CAP + 2; i++)
		assert_int_equal(post(&c, w, READER, 9, 0, "없는 화", 0, &err), APP_ENOTFOUND);
	for (int i = 0; i < WRITE_CAP - 1; i++)
		assert_int_equal(post(&c, w, READER, 1, 0, "댓글", 0, &err), 0);
	assert_int_equal(community_comment_edit(&e, &w->svc, READER, c.id, "고침", -1, &err), 0);
	assert_int_equal(post(&c, w, READER, 1, 0, "하나 더", 0, &err), APP_ELIMITED);
	assert_true(err.nextra > 0);
	assert_int_equal(community_comment_edit(&e, &w->svc, READER, c.id, "또", -1, &err),
			 APP_ELIMITED);
	assert_int_equal(post(&c, w, OTHER, 1, 0, "다른 회원은 된다", 0, &err), 0);
	w->clock.now += 10 * 60 * 1000 + 1;
	assert_int_equal(post(&c, w, READER, 1, 0, "십 분 뒤", 0, &err), 0);
}

static void test_likes_count_against_the_write_limit(void **state)
{
	world *w = *state;
	int64_t likes;
	int liked;
	comment c, refused;
	app_err err;

	assert_int_equal(post(&c, w, READER, 1, 0, "좋아요 받을 글", 0, &err), 0);
	for (int i = 0; i < WRITE_CAP; i++) /* liking and unliking in a loop */
		assert_int_equal(
		    community_comment_like(&liked, &likes, &w->svc, OTHER, c.id, i % 2 == 0, &err),
		    0);
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, OTHER, c.id, 1, &err),
			 APP_ELIMITED);
	assert_string_equal(err.word, "too_many_attempts");
	assert_int_equal(likes, 1); /* the refused like changed nothing */
	assert_int_equal(post(&refused, w, OTHER, 1, 0, "글도 막힌다", 0, &err), APP_ELIMITED);
	w->clock.now += 10 * 60 * 1000 + 1;
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, OTHER, c.id, 0, &err), 0);
	assert_int_equal(likes, 0);
}

static void test_likes(void **state)
{
	world *w = *state;
	int64_t likes;
	int liked;
	comment c;
	app_err err;

	assert_int_equal(post(&c, w, READER, 1, 0, "좋아요 받을 글", 0, &err), 0);
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, READER, c.id, 1, &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "own_comment");
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, OTHER, c.id, 1, &err), 0);
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, OTHER, c.id, 1, &err), 0);
	assert_int_equal(likes, 1);
	assert_int_equal(liked, 1);
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, AUTHOR, c.id, 1, &err), 0);
	assert_int_equal(likes, 2);
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, OTHER, c.id, 0, &err), 0);
	assert_int_equal(likes, 1);
	assert_int_equal(liked, 0);
	assert_int_equal(community_comment_like(&liked, &likes, &w->svc, OTHER, 999, 1, &err),
			 APP_ENOTFOUND);
}

/* Lists episode 1 as who sees it; returns how many, *moderates as the core said. */
static size_t listed(int *moderates, world *w, int64_t who)
{
	comment rows[8];
	comment_query q = {.book_id = BOOK, .number = 1};
	int64_t count;
	size_t n;
	app_err err;

	assert_int_equal(community_comments(rows, &n, &count, moderates, &w->svc, who, &q, 8, &err),
			 0);
	return n;
}

static void test_hidden_ones_for_the_author_and_admins(void **state)
{
	world *w = *state;
	comment_query q = {.book_id = BOOK, .number = 3};
	comment a, b, rows[2];
	int64_t count;
	size_t n;
	int mod;
	app_err err;

	assert_int_equal(post(&a, w, READER, 1, 0, "하나", 0, &err), 0);
	assert_int_equal(post(&b, w, OTHER, 1, 0, "둘", 0, &err), 0);
	assert_int_equal(TEST_IN_UNIT(&w->svc.d.uow, comment_set_hidden(&w->svc.d.comments, test_tx,
									b.id, 1, NOW, &err)),
			 0);
	assert_int_equal(listed(&mod, w, 0), 1);
	assert_int_equal(mod, 0);
	assert_int_equal(listed(&mod, w, READER), 1);
	assert_int_equal(mod, 0);
	assert_int_equal(listed(&mod, w, AUTHOR), 2);
	assert_int_equal(mod, 1);
	assert_int_equal(listed(&mod, w, ADMIN), 2);
	assert_int_equal(mod, 1);
	assert_int_equal(community_comments(rows, &n, &count, &mod, &w->svc, 0, &q, 2, &err),
			 APP_ENOTFOUND);
}

static void test_failed_commit_leaves_nothing(void **state)
{
	world *w = *state;
	comment c, r;
	app_err err;

	assert_int_equal(post(&c, w, READER, 1, 0, "원댓글", 0, &err), 0);
	w->uow.fail_commit = 1;
	assert_int_equal(post(&r, w, OTHER, 1, c.id, "사라질 답글", 0, &err), APP_EIO);
	assert_int_equal(w->comments.n, 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "comment.replied"), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_post_and_refusals),
	    T(test_reply_tells_the_parents_writer),
	    T(test_edit_and_delete_own),
	    T(test_banned_member_may_only_delete),
	    T(test_write_limit_counts_what_was_written),
	    T(test_likes_count_against_the_write_limit),
	    T(test_likes),
	    T(test_hidden_ones_for_the_author_and_admins),
	    T(test_failed_commit_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
