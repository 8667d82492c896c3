/*
 * The episode, reading and change repositories and the work side of the
 * book repository (refresh, update, filters, library, rankings), on the
 * fakes, on SQLite and on PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/books_store.h"

typedef books_store ctx;

static book serial_of(ctx *c, int64_t ms)
{
	book b = books_store_add(c, ms, "연재", "이야기");
	app_err err;

	b.free_episodes = 1;
	b.episode_price = 300;
	assert_int_equal(book_repo_update(&c->books, c->tx, &b, BOOK_FIELD_FREE_EPISODES, &err), 0);
	return b;
}

static void test_episodes_insert_find_list_content(void **state)
{
	ctx *c = *state;
	book b = serial_of(c, 1);
	episode e2 = books_store_episode(c, b.id, 2, 300, 2000, 0), e3, got, list[8], dup;
	char *text;
	size_t len, n;
	app_err err;

	e3 = books_store_episode(c, b.id, 3, 300, 0, 9000); /* scheduled */
	assert_int_equal(episode_repo_find(&got, &c->episodes, c->tx, b.id, 2, &err), 0);
	assert_int_equal(got.id, e2.id);
	assert_string_equal(got.title, "2화");
	assert_string_equal(got.summary, "2화 요약");
	assert_int_equal(got.characters, 8);
	assert_int_equal(got.published_at, 2000);
	assert_int_equal(got.scheduled_at, 0);
	assert_int_equal(episode_repo_find(&got, &c->episodes, c->tx, b.id, 3, &err), 0);
	assert_int_equal(got.published_at, 0);
	assert_int_equal(got.scheduled_at, 9000);
	assert_int_equal(episode_repo_find(&got, &c->episodes, c->tx, b.id, 9, &err),
			 APP_ENOTFOUND);
	/* the first episode came with the book */
	assert_int_equal(episode_repo_find(&got, &c->episodes, c->tx, b.id, 1, &err), 0);
	assert_string_equal(got.title, "연재");
	assert_int_equal(got.manuscript_id, 1);
	assert_int_equal(episode_repo_content(&text, &len, &c->episodes, c->tx, b.id, 2, &err), 0);
	assert_string_equal(text, "2화 본문입니다");
	assert_int_equal(len, strlen("2화 본문입니다"));
	free(text);
	/* lists: published ones in order, the unpublished too when asked, after a number */
	assert_int_equal(episode_repo_list(list, &n, &c->episodes, c->tx, b.id, 0, 8, 0, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(list[0].number, 1);
	assert_int_equal(list[1].number, 2);
	assert_string_equal(list[1].summary, "");
	assert_int_equal(episode_repo_list(list, &n, &c->episodes, c->tx, b.id, 1, 8, 1, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(list[1].id, e3.id);
	assert_int_equal(episode_repo_list(list, &n, &c->episodes, c->tx, b.id, 0, 1, 1, &err), 0);
	assert_int_equal(n, 1);
	/* one episode per manuscript, one per number */
	dup = e2;
	dup.number = 7;
	assert_int_equal(episode_repo_insert(&c->episodes, c->tx, &dup, "x", 1, &err), APP_EEXISTS);
	assert_int_equal(dup.id, e2.id);
	assert_int_equal(dup.number, 2);
	dup = e2;
	dup.manuscript_id = 77777;
	assert_int_equal(episode_repo_insert(&c->episodes, c->tx, &dup, "x", 1, &err), APP_EEXISTS);
	assert_int_equal(dup.id, 0);
}

static void test_numbers_schedules_and_publishing(void **state)
{
	ctx *c = *state;
	book b = serial_of(c, 1), got;
	episode due[4];
	int64_t last;
	size_t n;
	int changed;
	app_err err;

	books_store_episode(c, b.id, 2, 300, 2000, 0);
	books_store_episode(c, b.id, 3, 300, 0, 5000);
	books_store_episode(c, b.id, 4, 300, 0, 4000);
	assert_int_equal(episode_repo_last_number(&last, &c->episodes, c->tx, b.id, 1, &err), 0);
	assert_int_equal(last, 2);
	assert_int_equal(episode_repo_last_number(&last, &c->episodes, c->tx, b.id, 0, &err), 0);
	assert_int_equal(last, 4);
	assert_int_equal(episode_repo_last_number(&last, &c->episodes, c->tx, 999, 0, &err), 0);
	assert_int_equal(last, 0);
	assert_int_equal(episode_repo_due(due, &n, &c->episodes, c->tx, 3999, 4, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(episode_repo_due(due, &n, &c->episodes, c->tx, 6000, 4, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(due[0].number, 4); /* the earliest first */
	assert_int_equal(episode_repo_due(due, &n, &c->episodes, c->tx, 6000, 1, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(episode_repo_publish(&changed, &c->episodes, c->tx, due[0].id, 6000, &err),
			 0);
	assert_true(changed);
	assert_int_equal(episode_repo_publish(&changed, &c->episodes, c->tx, due[0].id, 6001, &err),
			 0);
	assert_false(changed);
	assert_int_equal(episode_repo_due(due, &n, &c->episodes, c->tx, 6000, 4, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(due[0].number, 3);
	/* refresh: price of the published paid ones, their count, the latest publication */
	assert_int_equal(book_repo_refresh(&got, &c->books, c->tx, b.id, &err), 0);
	assert_int_equal(got.episode_count, 3);
	assert_int_equal(got.price, 600); /* 2 and 4; 1 is free */
	assert_int_equal(got.updated_at, 6000);
	assert_true(got.serial);
	assert_int_equal(book_repo_refresh(&got, &c->books, c->tx, 999, &err), APP_ENOTFOUND);
}

static void test_edit_prices_and_views(void **state)
{
	ctx *c = *state;
	book b = serial_of(c, 1);
	episode e = books_store_episode(c, b.id, 2, 300, 2000, 0), got;
	char *text;
	size_t len;
	app_err err;

	books_store_episode(c, b.id, 3, 300, 2000, 0);
	snprintf(e.title, sizeof(e.title), "고친 제목");
	e.price = 200;
	e.own_price = 1;
	e.updated_at = 3000;
	assert_int_equal(
	    episode_repo_edit(&c->episodes, c->tx, &e, "고친 본문", strlen("고친 본문"), &err), 0);
	assert_int_equal(episode_repo_find(&got, &c->episodes, c->tx, b.id, 2, &err), 0);
	assert_string_equal(got.title, "고친 제목");
	assert_int_equal(got.characters, 5);
	assert_int_equal(got.number, 2);
	assert_int_equal(episode_repo_content(&text, &len, &c->episodes, c->tx, b.id, 2, &err), 0);
	assert_string_equal(text, "고친 본문");
	free(text);
	/* the work's price moves the episodes without one of their own */
	assert_int_equal(episode_repo_follow_price(&c->episodes, c->tx, b.id, 400, &err), 0);
	assert_int_equal(episode_repo_find(&got, &c->episodes, c->tx, b.id, 2, &err), 0);
	assert_int_equal(got.price, 200);
	assert_int_equal(episode_repo_find(&got, &c->episodes, c->tx, b.id, 3, &err), 0);
	assert_int_equal(got.price, 400);
	assert_int_equal(episode_repo_add_views(&c->episodes, c->tx, b.id, 3, 5, &err), 0);
	assert_int_equal(episode_repo_find(&got, &c->episodes, c->tx, b.id, 3, &err), 0);
	assert_int_equal(got.views, 5);
	assert_int_equal(episode_repo_add_views(&c->episodes, c->tx, b.id, 9, 1, &err),
			 APP_ENOTFOUND);
	e.id = 99999;
	assert_int_equal(episode_repo_edit(&c->episodes, c->tx, &e, NULL, 0, &err), APP_ENOTFOUND);
}

static void grant(ctx *c, int64_t member_id, int64_t book_id, int64_t number, int kind,
		  int64_t batch, int64_t at)
{
	book_entitlement e = {.member_id = member_id,
			      .book_id = book_id,
			      .number = number,
			      .kind = kind,
			      .price = 300,
			      .ledger_id = batch,
			      .batch = batch,
			      .purchased_at = at};
	app_err err;

	assert_int_equal(book_repo_grant(&c->books, c->tx, &e, &err), 0);
}

static void test_holds_batches_and_timers(void **state)
{
	ctx *c = *state;
	book b = serial_of(c, 1);
	book_entitlement ents[4];
	episode_hold holds[4];
	int64_t next;
	size_t n;
	int taken;
	app_err err;

	for (int k = 2; k <= 5; k++)
		books_store_episode(c, b.id, k, 300, 2000, 0);
	grant(c, c->reader, b.id, 4, BOOK_OWN_PURCHASE, 11, 100);
	grant(c, c->reader, b.id, 5, BOOK_OWN_PURCHASE, 11, 100);
	grant(c, c->reader, b.id, 2, BOOK_OWN_WAIT_FREE, 0, 90);
	assert_int_equal(episode_repo_hold(&c->episodes, c->tx, c->reader, b.id, 4, &err),
			 BOOK_OWN_PURCHASE);
	assert_int_equal(episode_repo_hold(&c->episodes, c->tx, c->reader, b.id, 2, &err),
			 BOOK_OWN_WAIT_FREE);
	assert_int_equal(episode_repo_hold(&c->episodes, c->tx, c->reader, b.id, 3, &err),
			 BOOK_OWN_NONE);
	assert_int_equal(episode_repo_hold(&c->episodes, c->tx, c->other, b.id, 4, &err),
			 BOOK_OWN_NONE);
	/* the episode and its hold in one lookup: the same row find gives, the same hold */
	{
		const int64_t who[] = {c->reader, c->reader, c->reader, c->other, 0};
		const int64_t num[] = {4, 2, 3, 4, 4};
		const int want[] = {BOOK_OWN_PURCHASE, BOOK_OWN_WAIT_FREE, BOOK_OWN_NONE,
				    BOOK_OWN_NONE, BOOK_OWN_NONE};
		episode *got = malloc(2 * sizeof(*got));
		int hold = -1;

		assert_non_null(got);
		for (int i = 0; i < 5; i++) {
			assert_int_equal(episode_repo_find_held(&got[0], &hold, &c->episodes, c->tx,
								b.id, num[i], who[i], &err),
					 0);
			assert_int_equal(hold, want[i]);
			assert_int_equal(
			    episode_repo_find(&got[1], &c->episodes, c->tx, b.id, num[i], &err), 0);
			assert_int_equal(got[0].id, got[1].id);
			assert_int_equal(got[0].number, num[i]);
			assert_string_equal(got[0].title, got[1].title);
			assert_string_equal(got[0].summary, got[1].summary);
			assert_int_equal(got[0].price, got[1].price);
			assert_int_equal(got[0].characters, got[1].characters);
			assert_int_equal(got[0].published_at, got[1].published_at);
			assert_int_equal(got[0].updated_at, got[1].updated_at);
		}
		assert_int_equal(episode_repo_find_held(&got[0], &hold, &c->episodes, c->tx, b.id,
							9, c->reader, &err),
				 APP_ENOTFOUND);
		free(got);
	}
	assert_int_equal(
	    episode_repo_holds(holds, &n, &c->episodes, c->tx, c->reader, b.id, 0, 4, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(holds[0].number, 2);
	assert_int_equal(holds[0].kind, BOOK_OWN_WAIT_FREE);
	assert_int_equal(holds[2].number, 5);
	assert_int_equal(
	    episode_repo_holds(holds, &n, &c->episodes, c->tx, c->reader, b.id, 2, 1, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(holds[0].number, 4);
	assert_int_equal(
	    episode_repo_batch(ents, &n, &c->episodes, c->tx, c->reader, b.id, 11, 0, 4, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ents[0].number, 4);
	assert_int_equal(ents[1].number, 5);
	assert_int_equal(ents[1].batch, 11);
	assert_int_equal(
	    episode_repo_batch(ents, &n, &c->episodes, c->tx, c->reader, b.id, 11, 4, 4, &err), 0);
	assert_int_equal(n, 1);
	/* a timer is taken when never started or due, and otherwise left as it is */
	assert_int_equal(episode_repo_timer_next(&next, &c->episodes, c->tx, c->reader, b.id, &err),
			 0);
	assert_int_equal(next, 0);
	assert_int_equal(
	    episode_repo_timer_take(&taken, &c->episodes, c->tx, c->reader, b.id, 100, 200, &err),
	    0);
	assert_true(taken);
	assert_int_equal(
	    episode_repo_timer_take(&taken, &c->episodes, c->tx, c->reader, b.id, 199, 300, &err),
	    0);
	assert_false(taken);
	assert_int_equal(episode_repo_timer_next(&next, &c->episodes, c->tx, c->reader, b.id, &err),
			 0);
	assert_int_equal(next, 200);
	assert_int_equal(
	    episode_repo_timer_take(&taken, &c->episodes, c->tx, c->reader, b.id, 200, 400, &err),
	    0);
	assert_true(taken);
	assert_int_equal(
	    episode_repo_timer_take(&taken, &c->episodes, c->tx, c->other, b.id, 200, 400, &err),
	    0);
	assert_true(taken); /* per member */
}

static void test_update_filters_and_hidden(void **state)
{
	ctx *c = *state;
	book a = books_store_add(c, 1, "무협 연재", "검"),
	     b = books_store_add(c, 2, "로맨스", "꽃");
	book out[4], got;
	book_query q = {.sort = BOOK_SORT_NEW, .limit = 4};
	size_t n;
	app_err err;

	snprintf(a.genre, sizeof(a.genre), "wuxia");
	a.ntags = 2;
	snprintf(a.tags[0], sizeof(a.tags[0]), "회귀");
	snprintf(a.tags[1], sizeof(a.tags[1]), "복수");
	a.completed = 1;
	snprintf(a.summary, sizeof(a.summary), "검과 복수의 이야기");
	assert_int_equal(
	    book_repo_update(&c->books, c->tx, &a, BOOK_FIELD_TAGS | BOOK_FIELD_GENRE, &err), 0);
	assert_int_equal(book_repo_find(&got, &c->books, c->tx, a.id, &err), 0);
	assert_int_equal(got.ntags, 2);
	assert_string_equal(got.tags[1], "복수");
	assert_string_equal(got.genre, "wuxia");
	assert_true(got.completed);
	assert_string_equal(got.age_rating, "all");
	q.genre = "wuxia";
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, a.id);
	q = (book_query){.sort = BOOK_SORT_NEW, .limit = 4, .tag = "회귀"};
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	q = (book_query){.sort = BOOK_SORT_NEW, .limit = 4, .completed = BOOK_ONGOING};
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, b.id);
	q = (book_query){.sort = BOOK_SORT_NEW, .limit = 4, .q = "복수의"};
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1); /* the search follows the edited blurb */
	/* hidden: off every list but its author's own */
	b.hidden = 1;
	assert_int_equal(book_repo_update(&c->books, c->tx, &b, BOOK_FIELD_HIDDEN, &err), 0);
	q = (book_query){.sort = BOOK_SORT_POPULAR, .limit = 4};
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	q = (book_query){.sort = BOOK_SORT_NEW, .limit = 4, .author_id = c->author};
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	q.with_hidden = 1;
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 2);
	b.id = 999;
	assert_int_equal(book_repo_update(&c->books, c->tx, &b, 0, &err), APP_ENOTFOUND);
}

static void test_sort_by_update(void **state)
{
	ctx *c = *state;
	book a = serial_of(c, 1), b = serial_of(c, 2), out[4];
	book_query q = {.sort = BOOK_SORT_UPDATED, .limit = 1};
	size_t n;
	app_err err;

	books_store_episode(c, a.id, 2, 300, 50000, 0);
	assert_int_equal(book_repo_refresh(NULL, &c->books, c->tx, a.id, &err), 0);
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(out[0].id, a.id);
	q.after = (book_cursor){out[0].updated_at, out[0].id};
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, b.id);
}

static void test_library_progress_and_rankings(void **state)
{
	ctx *c = *state;
	book a = serial_of(c, 1), b = serial_of(c, 2), h = serial_of(c, 3), out[4];
	reading_progress p = {c->reader, b.id, 2, 7, 40, 500}, got, ps[4];
	book_shelf s[4];
	int64_t readers[4];
	size_t n;
	app_err err;

	for (int k = 2; k <= 4; k++)
		books_store_episode(c, b.id, k, 300, 2000, 0);
	grant(c, c->reader, a.id, 1, BOOK_OWN_PURCHASE, 5, 300);
	assert_int_equal(reading_repo_put(&c->reading, c->tx, &p, &err), 0);
	p.anchor = 9;
	p.updated_at = 600;
	assert_int_equal(reading_repo_put(&c->reading, c->tx, &p, &err), 0);
	assert_int_equal(reading_repo_get(&got, &c->reading, c->tx, c->reader, b.id, &err), 0);
	assert_int_equal(got.anchor, 9);
	assert_int_equal(reading_repo_get(&got, &c->reading, c->tx, c->other, b.id, &err),
			 APP_ENOTFOUND);
	/* a hidden work read but not held leaves the lists */
	p.book_id = h.id;
	p.updated_at = 700;
	assert_int_equal(reading_repo_put(&c->reading, c->tx, &p, &err), 0);
	h.hidden = 1;
	assert_int_equal(book_repo_update(&c->books, c->tx, &h, BOOK_FIELD_HIDDEN, &err), 0);
	assert_int_equal(reading_repo_list(ps, out, &n, &c->reading, c->tx, c->reader,
					   (reading_cursor){0, 0}, 4, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(ps[0].book_id, b.id);
	assert_int_equal(out[0].id, b.id);
	assert_int_equal(book_repo_library(out, s, &n, &c->books, c->tx, c->reader,
					   (book_shelf_cursor){0, 0}, 4, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, b.id); /* read at 600, after a's purchase at 300 */
	assert_int_equal(s[0].last_read, 2);
	assert_int_equal(s[0].last_read_at, 600);
	assert_int_equal(s[0].new_episodes, 2);
	assert_int_equal(s[0].owned_episodes, 0);
	assert_int_equal(s[0].purchased_at, 0);
	assert_int_equal(out[1].id, a.id);
	assert_int_equal(s[1].owned_episodes, 1);
	assert_int_equal(s[1].purchased_at, 300);
	assert_int_equal(s[1].new_episodes, 1);
	assert_int_equal(book_repo_library(out, s, &n, &c->books, c->tx, c->reader,
					   (book_shelf_cursor){s[0].activity_at, out[0].id}, 4,
					   &err),
			 0);
	assert_int_equal(n, 1);
	/* rankings: distinct members the reader rule counted in the period */
	for (int64_t m = 1; m <= 4; m++) {
		book_view v = {.member_id = m, .book_id = b.id, .day = 10, .number = 1, .at = 1};
		book_reader_verdict verdict =
		    m == 4 ? BOOK_READER_NEW_ACCOUNT : BOOK_READER_COUNTED;
		int added;

		assert_int_equal(book_repo_reader_add(&added, &c->books, c->tx, &v, verdict, &err),
				 0);
		v.number = 2; /* a second episode: the same reader */
		assert_int_equal(book_repo_reader_add(&added, &c->books, c->tx, &v, verdict, &err),
				 0);
		assert_int_equal(added, 0);
		v.book_id = a.id;
		v.day = 8;
		if (m == 1)
			assert_int_equal(book_repo_reader_add(&added, &c->books, c->tx, &v,
							      BOOK_READER_COUNTED, &err),
					 0);
	}
	assert_int_equal(book_repo_rankings(out, readers, &n, &c->books, c->tx, 8, 10, 0, 4, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, b.id);
	assert_int_equal(readers[0], 3);
	assert_int_equal(readers[1], 1);
	assert_int_equal(book_repo_rankings(out, readers, &n, &c->books, c->tx, 9, 10, 0, 4, &err),
			 0);
	assert_int_equal(n, 1);
	/* a generated cover is left out on request, and the next one moves up */
	snprintf(b.gen_cover, sizeof(b.gen_cover), "offline");
	assert_int_equal(book_repo_update(&c->books, c->tx, &b, 0, &err), 0);
	a.gen_cover[0] = '\0'; /* the author's own */
	assert_int_equal(book_repo_update(&c->books, c->tx, &a, 0, &err), 0);
	assert_int_equal(book_repo_rankings(out, readers, &n, &c->books, c->tx, 8, 10, 1, 4, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, a.id);
	assert_int_equal(book_repo_rankings(out, readers, &n, &c->books, c->tx, 8, 10, 0, 4, &err),
			 0);
	assert_int_equal(n, 2);
}

static void test_changes(void **state)
{
	ctx *c = *state;
	book b = books_store_add(c, 1, "책", "요약");
	book_change ch = {.book_id = b.id, .at = 5, .by = c->author}, out[4];
	size_t n;
	app_err err;

	snprintf(ch.field, sizeof(ch.field), "price");
	snprintf(ch.from, sizeof(ch.from), "1100");
	snprintf(ch.to, sizeof(ch.to), "1500");
	assert_int_equal(book_change_repo_append(&c->changes, c->tx, &ch, &err), 0);
	assert_true(ch.id > 0);
	ch.by = 0;
	snprintf(ch.field, sizeof(ch.field), "summary");
	snprintf(ch.generated_by, sizeof(ch.generated_by), "gpt-4o-mini");
	assert_int_equal(book_change_repo_append(&c->changes, c->tx, &ch, &err), 0);
	assert_int_equal(book_change_repo_list(out, &n, &c->changes, c->tx, b.id, 0, 4, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(out[0].field, "summary");
	assert_string_equal(out[0].generated_by, "gpt-4o-mini");
	assert_int_equal(out[0].by, 0);
	assert_string_equal(out[1].from, "1100");
	assert_int_equal(out[1].by, c->author);
	assert_string_equal(out[1].generated_by, "");
	assert_int_equal(
	    book_change_repo_list(out, &n, &c->changes, c->tx, b.id, out[0].id, 4, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(book_change_repo_list(out, &n, &c->changes, c->tx, 999, 0, 4, &err), 0);
	assert_int_equal(n, 0);
	/* the generator's latest suggestion of a field; a person's change is none */
	snprintf(ch.to, sizeof(ch.to), "두 번째 제안");
	assert_int_equal(book_change_repo_append(&c->changes, c->tx, &ch, &err), 0);
	ch.by = c->author;
	ch.generated_by[0] = '\0';
	snprintf(ch.to, sizeof(ch.to), "작가의 요약");
	assert_int_equal(book_change_repo_append(&c->changes, c->tx, &ch, &err), 0);
	assert_int_equal(
	    book_change_repo_last_generated(out, &c->changes, c->tx, b.id, "summary", &err), 0);
	assert_string_equal(out[0].to, "두 번째 제안");
	assert_string_equal(out[0].generated_by, "gpt-4o-mini");
	assert_int_equal(
	    book_change_repo_last_generated(out, &c->changes, c->tx, b.id, "price", &err),
	    APP_ENOTFOUND);
	assert_int_equal(
	    book_change_repo_last_generated(out, &c->changes, c->tx, 999, "summary", &err),
	    APP_ENOTFOUND);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, books_store_setup_fake, books_store_teardown),          \
	    cmocka_unit_test_setup_teardown(f, books_store_setup_sqlite, books_store_teardown),    \
	    cmocka_unit_test_setup_teardown(f, books_store_setup_pg, books_store_teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_episodes_insert_find_list_content),
	    EACH(test_numbers_schedules_and_publishing),
	    EACH(test_edit_prices_and_views),
	    EACH(test_holds_batches_and_timers),
	    EACH(test_update_filters_and_hidden),
	    EACH(test_sort_by_update),
	    EACH(test_library_progress_and_rankings),
	    EACH(test_changes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
