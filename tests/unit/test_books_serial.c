/*
 * Serial works against fakes: the access table row by row, prices,
 * wait-until-free with the clock, schedules, episode sales, views.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakes/fake_books_world.h"
#include "domain/books/manuscripts.h"
#include "fakes/fake_manuscripts.h"

#define HOUR (3600LL * 1000)

static const char LONG_TEXT[] =
    "할머니의 책상에는 열리지 않는 서랍이 하나 있었다. 그해 겨울, 서랍이 저절로 열렸다. 안에는 "
    "아직 오지 않은 날짜가 적힌 편지 수십 통이 들어 있었다. 나는 첫 번째 편지를 읽었다.";

typedef books_world world;

static int setup(void **state)
{
	books_config cfg = books_config_default();

	*state = books_world_new(&cfg);
	return 0;
}

static int teardown(void **state)
{
	books_world_free(*state);
	return 0;
}

/* --- the access table, row by row ------------------------------------------------------------ */

typedef struct access_row {
	const char *name;
	book_access_facts f;
	int can, exists;
	book_access_reason why;
} access_row;

static void test_access_table(void **state)
{
	/* an episode priced 300, number 4 of a work with 3 free episodes, unless a row says else */
#define EP .price = 300, .number = 4, .free_episodes = 3
	static const access_row rows[] = {
	    {"anonymous", {EP}, 0, 1, BOOK_ACCESS_LOGIN_REQUIRED},
	    {"anonymous, free",
	     {.price = 300, .number = 1, .free_episodes = 3},
	     0,
	     1,
	     BOOK_ACCESS_LOGIN_REQUIRED},
	    {"author", {.signed_in = 1, .is_author_of_book = 1, EP}, 1, 1, BOOK_ACCESS_AUTHOR},
	    {"admin", {.signed_in = 1, .is_admin = 1, EP}, 1, 1, BOOK_ACCESS_ADMIN},
	    {"free by number",
	     {.signed_in = 1, .price = 300, .number = 3, .free_episodes = 3},
	     1,
	     1,
	     BOOK_ACCESS_FREE},
	    {"past the free ones", {.signed_in = 1, EP}, 0, 1, BOOK_ACCESS_PURCHASE_REQUIRED},
	    {"free by price 0",
	     {.signed_in = 1, .number = 9, .free_episodes = 3},
	     1,
	     1,
	     BOOK_ACCESS_FREE},
	    {"owned", {.signed_in = 1, .owned = BOOK_OWN_PURCHASE, EP}, 1, 1, BOOK_ACCESS_OWNED},
	    {"wait-free",
	     {.signed_in = 1, .owned = BOOK_OWN_WAIT_FREE, EP},
	     1,
	     1,
	     BOOK_ACCESS_WAIT_FREE},
	    {"subscription", {.signed_in = 1, .subscribed = 1, EP}, 1, 1, BOOK_ACCESS_SUBSCRIPTION},
	    {"owned and subscribed",
	     {.signed_in = 1, .owned = 1, .subscribed = 1, EP},
	     1,
	     1,
	     BOOK_ACCESS_OWNED},
	    {"scheduled, reader",
	     {.signed_in = 1, .unpublished = 1, .subscribed = 1, EP},
	     0,
	     0,
	     BOOK_ACCESS_PURCHASE_REQUIRED},
	    {"scheduled, free",
	     {.signed_in = 1, .unpublished = 1, .number = 1, .free_episodes = 3},
	     0,
	     0,
	     BOOK_ACCESS_PURCHASE_REQUIRED},
	    {"scheduled, admin",
	     {.signed_in = 1, .is_admin = 1, .unpublished = 1, EP},
	     0,
	     0,
	     BOOK_ACCESS_PURCHASE_REQUIRED},
	    {"scheduled, anonymous", {.unpublished = 1, EP}, 0, 0, BOOK_ACCESS_PURCHASE_REQUIRED},
	    {"scheduled, author",
	     {.signed_in = 1, .is_author_of_book = 1, .unpublished = 1, EP},
	     1,
	     1,
	     BOOK_ACCESS_AUTHOR},
	    {"hidden, free",
	     {.signed_in = 1, .hidden = 1, .price = 300, .number = 1, .free_episodes = 3},
	     0,
	     1,
	     BOOK_ACCESS_PURCHASE_REQUIRED},
	    {"hidden, subscribed",
	     {.signed_in = 1, .hidden = 1, .subscribed = 1, EP},
	     0,
	     1,
	     BOOK_ACCESS_PURCHASE_REQUIRED},
	    {"hidden, owned",
	     {.signed_in = 1, .hidden = 1, .owned = BOOK_OWN_PURCHASE, EP},
	     1,
	     1,
	     BOOK_ACCESS_OWNED},
	    {"hidden, unlocked",
	     {.signed_in = 1, .hidden = 1, .owned = BOOK_OWN_WAIT_FREE, EP},
	     1,
	     1,
	     BOOK_ACCESS_WAIT_FREE},
	    {"hidden, author",
	     {.signed_in = 1, .hidden = 1, .is_author_of_book = 1, EP},
	     1,
	     1,
	     BOOK_ACCESS_AUTHOR},
	    {"hidden, admin",
	     {.signed_in = 1, .hidden = 1, .is_admin = 1, EP},
	     1,
	     1,
	     BOOK_ACCESS_ADMIN},
	    {"no number, no free ones",
	     {.signed_in = 1, .price = 300},
	     0,
	     1,
	     BOOK_ACCESS_PURCHASE_REQUIRED},
	};
#undef EP

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		book_access a = book_access_decide(&rows[i].f);

		if (a.can_read != rows[i].can || a.exists != rows[i].exists ||
		    (rows[i].exists && a.reason != rows[i].why))
			fail_msg("row '%s': can %d exists %d reason %s", rows[i].name, a.can_read,
				 a.exists, book_access_reason_name(a.reason));
	}
	assert_string_equal(book_access_reason_name(BOOK_ACCESS_WAIT_FREE), "wait_free");
}

/* --- prices, wait-free rules, schedules ----------------------------------------------------- */

static void test_prices(void **state)
{
	app_err err;

	(void)state;
	assert_int_equal(book_price_clamp(250, 100, 500, 10), 250);
	assert_int_equal(book_price_clamp(255, 100, 500, 10), 260);
	assert_int_equal(book_price_clamp(254, 100, 500, 10), 250);
	assert_int_equal(book_price_clamp(95, 100, 500, 10), 100);
	assert_int_equal(book_price_clamp(12000, 100, 500, 10), 500);
	assert_int_equal(book_price_clamp(1250, 1000, 50000, 100), 1300);
	assert_int_equal(book_price_check(300, 100, 500, 10, "episodePrice", &err), 0);
	assert_int_equal(book_price_check(305, 100, 500, 10, "episodePrice", &err), APP_EINVALID);
	assert_string_equal(err.field, "episodePrice");
	assert_int_equal(book_price_check(90, 100, 500, 10, "price", &err), APP_EINVALID);
	assert_int_equal(book_price_check(510, 100, 500, 10, "price", &err), APP_EINVALID);
}

static void test_wait_free_and_schedule_rules(void **state)
{
	book b = {.wait_free_hours = 24, .free_episodes = 3};
	episode e = {.number = 4, .price = 300, .published_at = 1};
	app_err err;

	(void)state;
	assert_true(book_wait_free_hours_valid(0) && book_wait_free_hours_valid(12) &&
		    book_wait_free_hours_valid(72));
	assert_false(book_wait_free_hours_valid(6) || book_wait_free_hours_valid(-24));
	assert_true(book_wait_free_eligible(&b, &e, 0, 7, 3));
	assert_false(book_wait_free_eligible(&b, &e, 0, 6, 3)); /* 4 is among the latest 3 of 6 */
	assert_true(book_wait_free_eligible(&b, &e, 0, 6, 2));
	assert_false(book_wait_free_eligible(&b, &e, 1, 7, 3)); /* held */
	e.number = 3;
	assert_false(book_wait_free_eligible(&b, &e, 0, 7, 3)); /* free */
	e.number = 4;
	e.published_at = 0;
	assert_false(book_wait_free_eligible(&b, &e, 0, 7, 3)); /* not published */
	e.published_at = 1;
	b.wait_free_hours = 0;
	assert_false(book_wait_free_eligible(&b, &e, 0, 7, 3)); /* off */
	assert_int_equal(book_wait_free_next(1000, 24), 1000 + 24 * HOUR);
	assert_int_equal(book_schedule_check(2000, 1000, &err), 0);
	assert_int_equal(book_schedule_check(1000, 1000, &err), APP_EINVALID);
	assert_string_equal(err.field, "publishAt");
	assert_int_equal(book_schedule_check(1000 + BOOK_SCHEDULE_MAX_MS + 1, 1000, &err),
			 APP_EINVALID);
}

/* --- a serial work on fakes ------------------------------------------------------------------- */

static member new_member(world *w, const char *email, int64_t points)
{
	char token[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	assert_int_equal(members_signup(&m, token, &w->m->svc, email, "password1", "M", NULL, &err),
			 0);
	if (points)
		assert_int_equal(members_charge(NULL, NULL, &w->m->svc, m.id, points, NULL, &err),
				 0);
	return m;
}

static const unsigned char svg[] = "<svg/>";

/* A serial by author of n episodes at 300 P, free_episodes free, wait-free every hours. */
static book serial(world *w, int64_t author, int n, int64_t free_episodes, int64_t hours)
{
	books_publish_req req = {
	    .manuscript_id = 1,
	    .author_id = author,
	    .title = "시간의 서랍",
	    .author_name = "윤서재",
	    .content = "1화 본문",
	    .content_len = strlen("1화 본문"),
	    .summary = "서랍 이야기",
	    .tagline = "한 줄",
	    .price_reason = "회차",
	    .price = 300,
	    .cover = svg,
	    .cover_len = sizeof(svg) - 1,
	    .cover_mime = "image/svg+xml",
	    .gen_summary = "offline",
	    .gen_price = "offline",
	    .gen_cover = "offline",
	    .serial = 1,
	    .genre = "fantasy",
	};
	books_reader as_author = {.member_id = author};
	books_patch p = {.fields = BOOK_FIELD_FREE_EPISODES | BOOK_FIELD_WAIT_FREE,
			 .free_episodes = free_episodes,
			 .wait_free_hours = hours};
	book b;
	uow_tx *tx;
	app_err err;

	assert_int_equal(books_publish(&b, &w->svc, &req, &err), 0);
	for (int k = 2; k <= n; k++) {
		books_episode_req e = {.manuscript_id = k,
				       .author_id = author,
				       .book_id = b.id,
				       .number = k,
				       .title = "다음 화",
				       .content = "본문",
				       .content_len = strlen("본문"),
				       .summary = "요약",
				       .gen_summary = "offline"};

		assert_int_equal(uow_begin(&tx, &w->svc.d.uow, &err), 0);
		assert_int_equal(books_publish_episode_in(NULL, &w->svc, tx, &e, &err), 0);
		assert_int_equal(uow_commit(tx, &err), 0);
	}
	assert_int_equal(books_update(&b, &w->svc, &as_author, b.id, &p, &err), 0);
	return b;
}

static void test_serial_publish_records_the_work(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	book b = serial(w, author.id, 5, 2, 24);
	book_change ch[16];
	books_reader as_author = {.member_id = author.id};
	int64_t next;
	size_t n;
	app_err err;

	assert_true(b.serial);
	assert_int_equal(b.episode_count, 5);
	assert_int_equal(b.episode_price, 300);
	assert_int_equal(b.price, 3 * 300); /* episodes 3..5 are paid */
	assert_string_equal(b.genre, "fantasy");
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.published"), 1);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "episode.published"), 5);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.updated"), 1);
	/* the generator's suggestions and the author's edit, newest first */
	assert_int_equal(books_history(ch, &n, &next, &w->svc, &as_author, b.id, 0, 16, &err), 0);
	assert_int_equal(n, 6);
	assert_string_equal(ch[0].field, "waitFreeHours");
	assert_int_equal(ch[0].by, author.id);
	assert_string_equal(ch[0].generated_by, "");
	assert_string_equal(ch[2].field, "episodePrice");
	assert_string_equal(ch[2].to, "300");
	assert_string_equal(ch[2].generated_by, "offline");
	assert_int_equal(ch[2].by, 0);
	assert_string_equal(ch[3].field, "genre");
}

static void test_episode_lists_show_access_per_caller(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 0);
	book b = serial(w, author.id, 5, 2, 24), got;
	books_episode_view v[8];
	books_reader anon = {0}, as_reader = {.member_id = reader.id};
	int64_t prev, next;
	size_t n;
	int more;
	app_err err;

	assert_int_equal(books_episodes(v, &n, &more, &got, &w->svc, &as_reader, b.id, 0, 3, &err),
			 0);
	assert_int_equal(n, 3);
	assert_true(more);
	assert_int_equal(v[0].access.reason, BOOK_ACCESS_FREE);
	assert_int_equal(v[1].access.reason, BOOK_ACCESS_FREE);
	assert_int_equal(v[2].access.reason, BOOK_ACCESS_PURCHASE_REQUIRED);
	assert_false(v[2].free);
	assert_int_equal(v[2].wait_free_at, 0); /* 3 is among the latest 3 of 5 */
	assert_int_equal(books_episodes(v, &n, &more, &got, &w->svc, &anon, b.id, 3, 8, &err), 0);
	assert_int_equal(n, 2);
	assert_false(more);
	assert_int_equal(v[0].access.reason, BOOK_ACCESS_LOGIN_REQUIRED);
	assert_int_equal(books_episode(v, &prev, &next, &got, &w->svc, &as_reader, b.id, 1, &err),
			 0);
	assert_int_equal(prev, 0);
	assert_int_equal(next, 2);
	assert_int_equal(books_episode(v, &prev, &next, &got, &w->svc, &as_reader, b.id, 5, &err),
			 0);
	assert_int_equal(prev, 4);
	assert_int_equal(next, 0);
	assert_int_equal(books_episode(v, &prev, &next, &got, &w->svc, &as_reader, b.id, 6, &err),
			 APP_ENOTFOUND);
}

static ledger_entry latest_entry(world *w, int64_t member_id)
{
	ledger_entry e[4];
	int64_t next;
	size_t n;
	app_err err;

	assert_int_equal(members_ledger(e, &n, &next, &w->m->svc, member_id, 0, 4, &err), 0);
	assert_true(n > 0);
	return e[0];
}

static void test_buy_one_episode(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 1000);
	book b = serial(w, author.id, 5, 2, 0);
	books_purchase_result res, again;
	books_reader as_reader = {.member_id = reader.id};
	books_episode_view v;
	ledger_entry e;
	book got;
	app_err err;

	assert_int_equal(books_purchase_episode(&res, &w->svc, reader.id, b.id, 4, "e4", &err), 0);
	assert_int_equal(res.number, 4);
	assert_int_equal(res.price, 300);
	assert_int_equal(res.balance_after, 700);
	assert_int_equal(books_purchase_episode(&again, &w->svc, reader.id, b.id, 4, "e4", &err),
			 0);
	assert_memory_equal(&res, &again, sizeof(res));
	/* the one rule: the key of episode 4 is not the key of another episode or the work */
	assert_int_equal(books_purchase_episode(&again, &w->svc, reader.id, b.id, 5, "e4", &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "idempotency_key_reused");
	assert_int_equal(books_purchase(&again, &w->svc, reader.id, b.id, "e4", &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "idempotency_key_reused");
	assert_int_equal(books_purchase_episode(&again, &w->svc, reader.id, b.id, 4, NULL, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "already_owned");
	assert_int_equal(books_purchase_episode(&again, &w->svc, reader.id, b.id, 1, NULL, &err),
			 APP_ECONFLICT); /* free */
	assert_int_equal(books_purchase_episode(&again, &w->svc, reader.id, b.id, 9, NULL, &err),
			 APP_ENOTFOUND);
	assert_int_equal(books_purchase_episode(&again, &w->svc, author.id, b.id, 4, NULL, &err),
			 APP_ECONFLICT);
	e = latest_entry(w, reader.id);
	assert_int_equal(e.kind, LEDGER_PURCHASE);
	assert_int_equal(e.amount, -300);
	assert_int_equal(e.book_id, b.id);
	assert_int_equal(e.episode, 4);
	assert_int_equal(w->wallet.spends, 1);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "episode.purchased"), 1);
	assert_int_equal(books_episode(&v, NULL, NULL, &got, &w->svc, &as_reader, b.id, 4, &err),
			 0);
	assert_int_equal(v.access.reason, BOOK_ACCESS_OWNED);
	/* 402 names the price and the balance */
	assert_int_equal(books_purchase_episode(&res, &w->svc, reader.id, b.id, 5, NULL, &err), 0);
	assert_int_equal(books_purchase_episode(&res, &w->svc, reader.id, b.id, 3, NULL, &err), 0);
	assert_int_equal(res.balance_after, 100);
}

static void test_buy_every_remaining_episode(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member poor = new_member(w, "poor@example.com", 500);
	member reader = new_member(w, "reader@example.com", 5000);
	book b = serial(w, author.id, 6, 2, 0);
	books_purchase_result res, again;
	int64_t numbers[8];
	size_t n;
	app_err err;

	/* 402 names the whole price, before any debit */
	assert_int_equal(books_purchase(&res, &w->svc, poor.id, b.id, NULL, &err),
			 APP_EINSUFFICIENT);
	assert_int_equal(err.extra[0], 4 * 300);
	assert_int_equal(err.extra[1], 500);
	assert_int_equal(w->wallet.spends, 0);
	assert_int_equal(books_purchase_episode(&res, &w->svc, reader.id, b.id, 4, NULL, &err), 0);
	assert_int_equal(books_purchase(&res, &w->svc, reader.id, b.id, "all", &err), 0);
	assert_int_equal(res.count, 3);
	assert_int_equal(res.price, 900);
	assert_int_equal(res.balance_after, 5000 - 1200);
	assert_int_equal(books_purchased(numbers, &n, &w->svc, reader.id, b.id, res.batch, 8, &err),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(numbers[0], 3);
	assert_int_equal(numbers[1], 5);
	assert_int_equal(numbers[2], 6);
	assert_int_equal(books_purchase(&again, &w->svc, reader.id, b.id, "all", &err), 0);
	assert_memory_equal(&res, &again, sizeof(res));
	assert_int_equal(books_purchase(&again, &w->svc, reader.id, b.id, NULL, &err),
			 APP_ECONFLICT);
	assert_int_equal(w->wallet.spends, 4); /* one ledger row per episode */
	assert_int_equal(fake_outbox_count(&w->m->outbox, "episode.purchased"), 4);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.purchased"), 1);
	assert_int_equal(latest_entry(w, reader.id).episode, 6);
}

static void test_wait_free_timing(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 0);
	book b = serial(w, author.id, 8, 2, 24), got;
	books_reader as_reader = {.member_id = reader.id};
	books_wait_free_result res, again;
	books_episode_view v;
	int64_t t0 = w->m->clock.now;
	app_err err;

	assert_int_equal(books_episode(&v, NULL, NULL, &got, &w->svc, &as_reader, b.id, 3, &err),
			 0);
	assert_int_equal(v.wait_free_at, t0); /* never started: now */
	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 3, "w3", &err), 0);
	assert_int_equal(res.next_at, t0 + 24 * HOUR);
	assert_int_equal(books_wait_free(&again, &w->svc, reader.id, b.id, 3, "w3", &err), 0);
	assert_memory_equal(&res, &again, sizeof(res));
	assert_int_equal(books_episode(&v, NULL, NULL, &got, &w->svc, &as_reader, b.id, 3, &err),
			 0);
	assert_int_equal(v.access.reason, BOOK_ACCESS_WAIT_FREE);
	/* the timer runs: not ready, and the list says when */
	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 4, NULL, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "not_ready");
	assert_string_equal(err.extra_name[0], "availableAt");
	assert_int_equal(err.extra[0], t0 + 24 * HOUR);
	assert_int_equal(books_episode(&v, NULL, NULL, &got, &w->svc, &as_reader, b.id, 4, &err),
			 0);
	assert_int_equal(v.wait_free_at, t0 + 24 * HOUR);
	w->m->clock.now = t0 + 24 * HOUR - 1;
	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 4, NULL, &err),
			 APP_ECONFLICT);
	w->m->clock.now = t0 + 24 * HOUR;
	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 4, NULL, &err), 0);
	/* never the latest 3 (6, 7, 8), never a free one or one held, and no points moved */
	w->m->clock.now += 48 * HOUR;
	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 6, NULL, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "not_eligible");
	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 1, NULL, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "not_eligible");
	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 3, NULL, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "not_eligible");
	assert_int_equal(w->wallet.spends, 0);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "episode.unlocked_wait_free"), 2);
	/* unlocked for good: still open a week later */
	w->m->clock.now += 7 * 24 * HOUR;
	assert_int_equal(books_episode(&v, NULL, NULL, &got, &w->svc, &as_reader, b.id, 3, &err),
			 0);
	assert_int_equal(v.access.reason, BOOK_ACCESS_WAIT_FREE);
}

static void test_wait_free_off(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 0);
	book b = serial(w, author.id, 8, 2, 0);
	books_wait_free_result res;
	app_err err;

	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 3, NULL, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "not_eligible");
	assert_int_equal(books_wait_free(&res, &w->svc, reader.id, b.id, 99, NULL, &err),
			 APP_ENOTFOUND);
}

static episode schedule(world *w, const book *b, int64_t number, int64_t at)
{
	books_episode_req e = {.manuscript_id = 100 + number,
			       .author_id = b->author_id,
			       .book_id = b->id,
			       .number = number,
			       .title = "예약 화",
			       .content = "예약 본문",
			       .content_len = strlen("예약 본문"),
			       .summary = "요약",
			       .gen_summary = "offline",
			       .publish_at = at};
	episode out;
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_begin(&tx, &w->svc.d.uow, &err), 0);
	assert_int_equal(books_publish_episode_in(&out, &w->svc, tx, &e, &err), 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	return out;
}

static void test_scheduled_episode_exists_for_its_author_alone(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 0);
	book b = serial(w, author.id, 3, 3, 0), got;
	int64_t at = w->m->clock.now + 2 * HOUR;
	episode e = schedule(w, &b, 4, at);
	books_reader as_reader = {.member_id = reader.id},
		     as_admin = {.member_id = reader.id, .is_admin = 1};
	books_reader as_author = {.member_id = author.id};
	books_episode_view v[8];
	int64_t prev, next;
	size_t n;
	int more;
	app_err err;

	assert_int_equal(e.published_at, 0);
	assert_int_equal(e.scheduled_at, at);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "episode.published"), 3);
	assert_int_equal(books_get(&got, NULL, &w->svc, &as_reader, b.id, &err), 0);
	assert_int_equal(got.episode_count, 3);
	assert_int_equal(got.price, 0);
	assert_int_equal(books_episode(v, NULL, NULL, &got, &w->svc, &as_reader, b.id, 4, &err),
			 APP_ENOTFOUND);
	assert_int_equal(books_episode(v, NULL, NULL, &got, &w->svc, &as_admin, b.id, 4, &err),
			 APP_ENOTFOUND);
	assert_int_equal(books_episodes(v, &n, &more, &got, &w->svc, &as_reader, b.id, 0, 8, &err),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(books_episode(v, &prev, &next, &got, &w->svc, &as_reader, b.id, 3, &err),
			 0);
	assert_int_equal(next, 0);
	/* its author sees it coming */
	assert_int_equal(books_episodes(v, &n, &more, &got, &w->svc, &as_author, b.id, 0, 8, &err),
			 0);
	assert_int_equal(n, 4);
	assert_int_equal(v[3].e.scheduled_at, at);
	/* the scheduler: nothing before its time, then published once */
	assert_int_equal(books_publish_due(&n, &w->svc, &err), 0);
	assert_int_equal(n, 0);
	w->m->clock.now = at;
	assert_int_equal(books_publish_due(&n, &w->svc, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(books_publish_due(&n, &w->svc, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "episode.published"), 4);
	assert_int_equal(books_episode(v, NULL, NULL, &got, &w->svc, &as_reader, b.id, 4, &err), 0);
	assert_int_equal(v[0].e.published_at, at);
	assert_int_equal(got.episode_count, 4);
	assert_int_equal(got.updated_at, at);
	assert_int_equal(got.price, 300);
}

static void test_views_carry_the_reason_and_a_keyed_client(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 0);
	book b = serial(w, author.id, 5, 2, 0), got;
	books_reader as_reader = {.member_id = reader.id, .client = "203.0.113.7"},
		     as_author = {.member_id = author.id};
	books_episode_view v;
	char *text;
	size_t len, counted;
	episode e;
	app_err err;

	assert_int_equal(
	    books_read_episode(&text, &len, &v, &got, &w->svc, &as_reader, b.id, 2, &err), 0);
	free(text);
	assert_int_equal(
	    books_read_episode(&text, &len, &v, &got, &w->svc, &as_reader, b.id, 3, &err),
	    APP_EFORBIDDEN);
	assert_string_equal(err.word, "purchase_required");
	assert_int_equal(err.extra[0], 300);
	w->wallet.subscribed = 1;
	assert_int_equal(
	    books_read_episode(&text, &len, &v, &got, &w->svc, &as_reader, b.id, 3, &err), 0);
	free(text);
	assert_int_equal(
	    books_read_episode(&text, &len, &v, &got, &w->svc, &as_author, b.id, 3, &err), 0);
	free(text);
	assert_int_equal(w->views.n, 2);
	assert_int_equal(w->views.items[0].number, 2);
	assert_int_equal(w->views.items[0].reason, BOOK_ACCESS_FREE);
	assert_int_equal(w->views.items[1].reason, BOOK_ACCESS_SUBSCRIPTION);
	assert_int_equal(strlen(w->views.items[0].client), 32);
	assert_null(strstr(w->views.items[0].client, "203.0.113"));
	assert_string_equal(w->views.items[0].client, w->views.items[1].client);
	assert_int_equal(books_flush_views(&counted, &w->svc, w->views.items, 2, &err), 0);
	assert_int_equal(counted, 2);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "episode.viewed"), 2);
	assert_int_equal(episode_repo_find(&e, &w->svc.d.episodes, NULL, b.id, 3, &err), 0);
	assert_int_equal(e.views, 1);
	assert_int_equal(books_get(&got, NULL, &w->svc, NULL, b.id, &err), 0);
	assert_int_equal(got.views, 2);
}

/* Episode manuscripts: for one's own work only, numbered at submission, scheduled in bounds. */
static void test_episode_manuscripts_are_numbered_and_scheduled(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member other = new_member(w, "other@example.com", 0);
	book b = serial(w, author.id, 3, 1, 0);
	fake_manuscripts *fm = calloc(1, sizeof(*fm));
	manuscripts_deps d = {.manuscripts = fake_manuscript_repo(fm),
			      .uow = w->svc.d.uow,
			      .events = w->svc.d.events,
			      .clock = w->svc.d.clock,
			      .books = w->svc.d.books,
			      .episodes = w->svc.d.episodes};
	manuscripts_service ms;
	manuscripts_new req = {.author_id = author.id,
			       .is_author = 1,
			       .title = "4화",
			       .content = LONG_TEXT,
			       .content_len = strlen(LONG_TEXT),
			       .book_id = b.id};
	manuscript m4, m5;
	int64_t now = w->m->clock.now, id4, id5;
	app_err err;

	manuscripts_service_init(&ms, &d);
	assert_int_equal(manuscripts_start(&m4, &ms, &req, &err), 0);
	assert_int_equal(m4.book_id, b.id);
	assert_int_equal(m4.episode_number, 0);
	assert_int_equal(manuscripts_start(&m5, &ms, &req, &err), 0);
	req.author_id = other.id;
	assert_int_equal(manuscripts_start(NULL, &ms, &req, &err), APP_EINVALID);
	assert_string_equal(err.field, "bookId");
	req = (manuscripts_new){
	    .author_id = author.id, .is_author = 1, .title = "x", .book_id = b.id, .serial = 1};
	assert_int_equal(manuscripts_start(NULL, &ms, &req, &err), APP_EINVALID);
	req.book_id = 999;
	req.serial = 0;
	assert_int_equal(manuscripts_start(NULL, &ms, &req, &err), APP_EINVALID);
	/* numbers follow the work's episodes and what is already submitted, in order */
	assert_int_equal(manuscripts_submit_at(NULL, &ms, author.id, m5.id, now - 1, &err),
			 APP_EINVALID);
	assert_string_equal(err.field, "publishAt");
	assert_int_equal(manuscripts_submit_at(NULL, &ms, author.id, m5.id,
					       now + BOOK_SCHEDULE_MAX_MS + 1, &err),
			 APP_EINVALID);
	id5 = m5.id;
	id4 = m4.id;
	manuscript_dispose(&m5);
	assert_int_equal(manuscripts_submit_at(&m5, &ms, author.id, id5, now + HOUR, &err), 0);
	assert_int_equal(m5.episode_number, 4);
	assert_int_equal(m5.publish_at, now + HOUR);
	manuscript_dispose(&m4);
	assert_int_equal(manuscripts_submit_at(&m4, &ms, author.id, id4, 0, &err), 0);
	assert_int_equal(m4.episode_number, 5);
	assert_int_equal(m4.publish_at, 0);
	manuscript_dispose(&m4);
	manuscript_dispose(&m5);
	fake_manuscripts_dispose(fm);
	free(fm);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_access_table),
	    cmocka_unit_test(test_prices),
	    cmocka_unit_test(test_wait_free_and_schedule_rules),
	    T(test_serial_publish_records_the_work),
	    T(test_episode_lists_show_access_per_caller),
	    T(test_buy_one_episode),
	    T(test_buy_every_remaining_episode),
	    T(test_wait_free_timing),
	    T(test_wait_free_off),
	    T(test_scheduled_episode_exists_for_its_author_alone),
	    T(test_views_carry_the_reason_and_a_keyed_client),
	    T(test_episode_manuscripts_are_numbered_and_scheduled),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
