/* The books core against fakes: access policy, publishing, purchases, views, bestsellers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fakes/fake_books_world.h"

typedef books_world world;

static int setup(void **state)
{
	books_config cfg = {.bestseller_threshold = 3};

	*state = books_world_new(&cfg);
	return 0;
}

static int teardown(void **state)
{
	books_world_free(*state);
	return 0;
}

/* --- the access policy, every row ------------------------------------------------------- */

/* The one-text facts: signed in, author, admin, price, owned, subscribed (the rest 0). */
#define FACTS(si, au, ad, pr, ow, su)                                                              \
	{                                                                                          \
		.signed_in = (si), .is_author_of_book = (au), .is_admin = (ad), .price = (pr),     \
		.owned = (ow), .subscribed = (su)                                                  \
	}

static void test_access_policy_table(void **state)
{
	(void)state;
	/* signed_in, author, admin, price, owned, subscribed -> can_read, reason */
	struct {
		book_access_facts f;
		int can;
		book_access_reason why;
	} rows[] = {
	    {FACTS(0, 0, 0, 1000, 0, 0), 0, BOOK_ACCESS_LOGIN_REQUIRED},
	    {FACTS(0, 0, 0, 0, 0, 0), 0, BOOK_ACCESS_LOGIN_REQUIRED}, /* free needs a sign-in */
	    {FACTS(0, 1, 1, 1000, 1, 1), 0, BOOK_ACCESS_LOGIN_REQUIRED},
	    {FACTS(1, 1, 0, 1000, 0, 0), 1, BOOK_ACCESS_AUTHOR},
	    {FACTS(1, 1, 1, 0, 1, 1), 1, BOOK_ACCESS_AUTHOR},
	    {FACTS(1, 0, 1, 1000, 0, 0), 1, BOOK_ACCESS_ADMIN},
	    {FACTS(1, 0, 1, 0, 0, 0), 1, BOOK_ACCESS_ADMIN},
	    {FACTS(1, 0, 0, 0, 0, 0), 1, BOOK_ACCESS_FREE},
	    {FACTS(1, 0, 0, 0, 1, 1), 1, BOOK_ACCESS_FREE},
	    {FACTS(1, 0, 0, 1000, 1, 0), 1, BOOK_ACCESS_OWNED},
	    {FACTS(1, 0, 0, 1000, 1, 1), 1, BOOK_ACCESS_OWNED},
	    {FACTS(1, 0, 0, 1000, 0, 1), 1, BOOK_ACCESS_SUBSCRIPTION},
	    {FACTS(1, 0, 0, 1000, 0, 0), 0, BOOK_ACCESS_PURCHASE_REQUIRED},
	    {FACTS(1, 0, 0, 50000, 0, 0), 0, BOOK_ACCESS_PURCHASE_REQUIRED},
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		book_access a = book_access_decide(&rows[i].f);

		assert_int_equal(a.can_read, rows[i].can);
		assert_int_equal(a.reason, rows[i].why);
	}
	/* and every combination is decided consistently: can_read iff not a refusal */
	for (int mask = 0; mask < 64; mask++) {
		book_access_facts f = FACTS(mask & 1, !!(mask & 2), !!(mask & 4),
					    mask & 8 ? 0 : 500, !!(mask & 16), !!(mask & 32));
		book_access a = book_access_decide(&f);

		assert_int_equal(a.can_read, a.reason != BOOK_ACCESS_LOGIN_REQUIRED &&
						 a.reason != BOOK_ACCESS_PURCHASE_REQUIRED);
		if (!f.signed_in)
			assert_int_equal(a.reason, BOOK_ACCESS_LOGIN_REQUIRED);
	}
	assert_string_equal(book_access_reason_name(BOOK_ACCESS_PURCHASE_REQUIRED),
			    "purchase_required");
	assert_string_equal(book_access_reason_name(BOOK_ACCESS_SUBSCRIPTION), "subscription");
}

static void test_view_and_bestseller_rules(void **state)
{
	(void)state;
	assert_int_equal(book_view_day(0), 0);
	assert_int_equal(book_view_day(86399999), 0);
	assert_int_equal(book_view_day(86400000), 1);
	assert_true(book_view_counts(0, 0));
	assert_false(book_view_counts(1, 0));
	assert_false(book_view_counts(0, 1));
	assert_false(book_bestseller_due(29, 30, 0));
	assert_true(book_bestseller_due(30, 30, 0));
	assert_true(book_bestseller_due(45, 30, 0));
	assert_false(book_bestseller_due(45, 30, 1));
}

/* --- use cases ---------------------------------------------------------------------------------
 */

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

static book publish(world *w, int64_t manuscript_id, int64_t author_id, int64_t price,
		    const char *title)
{
	static const unsigned char svg[] = "<svg/>";
	books_publish_req req = {
	    .manuscript_id = manuscript_id,
	    .author_id = author_id,
	    .title = title,
	    .author_name = "펜네임",
	    .content = "본문입니다.",
	    .content_len = strlen("본문입니다."),
	    .summary = "요약입니다.",
	    .tagline = "한 줄",
	    .price_reason = "길이 기준",
	    .price = price,
	    .cover = svg,
	    .cover_len = sizeof(svg) - 1,
	    .cover_mime = "image/svg+xml",
	    .gen_summary = "offline",
	    .gen_price = "offline",
	    .gen_cover = "offline",
	};
	book b;
	app_err err;

	assert_int_equal(books_publish(&b, &w->svc, &req, &err), 0);
	return b;
}

static void test_publish_is_idempotent_per_manuscript(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	book a = publish(w, 11, author.id, 1200, "시간의 서랍");
	book again = publish(w, 11, author.id, 9999, "other");
	char digest[CRYPTO_DIGEST_HEX], etag[48];

	assert_int_equal(a.id, again.id);
	assert_string_equal(again.title, "시간의 서랍");
	assert_int_equal(again.price, 1200);
	assert_int_equal(w->books.n, 1);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.published"), 1);
	/* the ETag is the content digest of the cover's bytes (128 bits of it), quoted */
	crypto_content_digest(digest, &w->svc.d.crypto, "<svg/>", 6);
	snprintf(etag, sizeof(etag), "\"%.32s\"", digest);
	assert_string_equal(a.cover_etag, etag);
}

static void test_publish_rejects_missing_parts(void **state)
{
	world *w = *state;
	books_publish_req req = {.manuscript_id = 1, .author_id = 1, .title = "t"};
	app_err err;

	assert_int_equal(books_publish(NULL, &w->svc, &req, &err), APP_EINVALID);
	assert_int_equal(w->books.n, 0);
}

static void test_get_answers_access_per_caller(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 0);
	book b = publish(w, 1, author.id, 1000, "책"), got;
	books_reader anon = {0}, as_author = {.member_id = author.id},
		     as_reader = {.member_id = reader.id};
	books_reader as_admin = {.member_id = reader.id, .is_admin = 1};
	book_access a;
	app_err err;

	assert_int_equal(books_get(&got, &a, &w->svc, &anon, b.id, &err), 0);
	assert_int_equal(a.reason, BOOK_ACCESS_LOGIN_REQUIRED);
	assert_int_equal(books_get(&got, &a, &w->svc, &as_author, b.id, &err), 0);
	assert_int_equal(a.reason, BOOK_ACCESS_AUTHOR);
	assert_int_equal(books_get(&got, &a, &w->svc, &as_admin, b.id, &err), 0);
	assert_int_equal(a.reason, BOOK_ACCESS_ADMIN);
	assert_int_equal(books_get(&got, &a, &w->svc, &as_reader, b.id, &err), 0);
	assert_int_equal(a.reason, BOOK_ACCESS_PURCHASE_REQUIRED);
	w->wallet.subscribed = 1;
	assert_int_equal(books_get(&got, &a, &w->svc, &as_reader, b.id, &err), 0);
	assert_int_equal(a.reason, BOOK_ACCESS_SUBSCRIPTION);
	assert_int_equal(books_get(&got, &a, &w->svc, &as_reader, 999, &err), APP_ENOTFOUND);
}

static void test_purchase_debits_once_and_grants(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 5000), after;
	book b = publish(w, 1, author.id, 1200, "책");
	books_purchase_result res, again;
	books_reader as_reader = {.member_id = reader.id};
	book_access a;
	book got;
	app_err err;

	assert_int_equal(books_purchase(&res, &w->svc, reader.id, b.id, "k1", &err), 0);
	assert_int_equal(res.book_id, b.id);
	assert_int_equal(res.price, 1200);
	assert_int_equal(res.balance_after, 3800);
	/* the same key replays the first result */
	assert_int_equal(books_purchase(&again, &w->svc, reader.id, b.id, "k1", &err), 0);
	assert_memory_equal(&res, &again, sizeof(res));
	/* without the key it is a second purchase: already owned */
	assert_int_equal(books_purchase(&again, &w->svc, reader.id, b.id, NULL, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "already_owned");
	assert_int_equal(members_get(&after, &w->m->svc, reader.id, &err), 0);
	assert_int_equal(after.points, 3800);
	assert_int_equal(w->wallet.spends, 1);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.purchased"), 1);
	assert_int_equal(books_get(&got, &a, &w->svc, &as_reader, b.id, &err), 0);
	assert_int_equal(a.reason, BOOK_ACCESS_OWNED);
}

static void test_purchase_refusals(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member poor = new_member(w, "poor@example.com", 500);
	book b = publish(w, 1, author.id, 1200, "책");
	books_purchase_result res;
	app_err err;

	assert_int_equal(books_purchase(&res, &w->svc, poor.id, b.id, NULL, &err),
			 APP_EINSUFFICIENT);
	assert_string_equal(err.word, "insufficient_points");
	assert_int_equal(err.extra[0], 1200);
	assert_int_equal(err.extra[1], 500);
	assert_int_equal(w->books.nents, 0);
	assert_int_equal(books_purchase(&res, &w->svc, poor.id, 404, NULL, &err), APP_ENOTFOUND);
	assert_int_equal(books_purchase(&res, &w->svc, author.id, b.id, NULL, &err), APP_ECONFLICT);
	assert_int_equal(books_purchase(&res, &w->svc, poor.id, b.id, "", &err), APP_EINVALID);
	assert_int_equal(w->m->uow.depth, 0);
}

static void test_read_checks_access_and_records_views(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 0);
	book b = publish(w, 1, author.id, 1000, "책"), got;
	books_reader anon = {0}, as_author = {.member_id = author.id},
		     as_reader = {.member_id = reader.id};
	books_reader as_admin = {.member_id = reader.id, .is_admin = 1};
	char *text = NULL;
	size_t len;
	app_err err;

	assert_int_equal(books_read(&text, &len, &got, &w->svc, &anon, b.id, &err), APP_EUNAUTH);
	assert_int_equal(books_read(&text, &len, &got, &w->svc, &as_reader, b.id, &err),
			 APP_EFORBIDDEN);
	assert_string_equal(err.word, "purchase_required");
	assert_int_equal(err.nextra, 3);
	assert_string_equal(err.extra_name[2], "subscriptionPrice");
	assert_int_equal(err.extra[2], 9900);
	assert_int_equal(w->views.n, 0);

	assert_int_equal(books_read(&text, &len, &got, &w->svc, &as_author, b.id, &err), 0);
	assert_string_equal(text, "본문입니다.");
	free(text);
	assert_int_equal(books_read(&text, &len, &got, &w->svc, &as_admin, b.id, &err), 0);
	free(text);
	assert_int_equal(w->views.n, 0); /* author's and admin's reads do not count */
	w->wallet.subscribed = 1;
	assert_int_equal(books_read(&text, &len, &got, &w->svc, &as_reader, b.id, &err), 0);
	free(text);
	assert_int_equal(w->views.n, 1);
	assert_int_equal(w->views.items[0].member_id, reader.id);
	assert_int_equal(w->views.items[0].day, book_view_day(w->m->clock.now));
}

/*
 * Storage that fails while the access policy asks about a subscription is a
 * failure to answer (5xx), never "buy it first": not 403 purchase_required.
 */
static void test_failed_subscription_lookup_is_not_a_business_answer(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	member reader = new_member(w, "reader@example.com", 0);
	book b = publish(w, 1, author.id, 1000, "책"), got;
	books_reader as_reader = {.member_id = reader.id};
	book_access a;
	char *text = NULL;
	size_t len;
	app_err err;

	w->wallet.fail_next = APP_EUNAVAILABLE;
	assert_int_equal(books_get(&got, &a, &w->svc, &as_reader, b.id, &err), APP_EUNAVAILABLE);
	w->wallet.fail_next = APP_EIO;
	assert_int_equal(books_read(&text, &len, &got, &w->svc, &as_reader, b.id, &err), APP_EIO);
	assert_null(text);
	assert_int_not_equal(err.code, APP_EFORBIDDEN);
	/* the balance named in purchase_required is read, not assumed to be 0 */
	w->m->members.fail_next = APP_EUNAVAILABLE;
	assert_int_equal(books_read(&text, &len, &got, &w->svc, &as_reader, b.id, &err),
			 APP_EUNAVAILABLE);
	assert_int_equal(books_read(&text, &len, &got, &w->svc, &as_reader, b.id, &err),
			 APP_EFORBIDDEN);
	assert_int_equal(w->views.n, 0);
}

/*
 * Honest rankings through the core: of six aged readers from one address
 * three count, a fresh account does not, and the work's author and admins
 * see how many were left out (others may not).
 */
static void test_flush_counts_honest_readers(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	book b = publish(w, 1, author.id, 1000, "책"), top[2];
	int64_t now = w->m->clock.now, day = book_view_day(now), readers[2];
	book_view v[8];
	books_reader as_author = {.member_id = author.id},
		     as_admin = {.member_id = 99, .is_admin = 1};
	books_reader as_other = {.member_id = 3};
	book_reader_counts c;
	size_t counted, n;
	app_err err;

	for (int i = 0; i < 8; i++)
		v[i] = (book_view){.member_id = 10 + i,
				   .book_id = b.id,
				   .day = day,
				   .at = now,
				   .member_since = now - 2 * BOOK_READER_MIN_AGE_MS};
	for (int i = 0; i < 6; i++)
		snprintf(v[i].client, sizeof(v[i].client), "%s",
			 "aaaabbbbccccddddaaaabbbbccccdddd");
	snprintf(v[6].client, sizeof(v[6].client), "%s", "eeeeffff00001111eeeeffff00001111");
	v[7].member_since = now - 60 * 1000; /* a minute old */
	assert_int_equal(books_flush_views(&counted, &w->svc, v, 8, &err), 0);
	assert_int_equal(counted, 8); /* views stay views */
	assert_int_equal(books_rankings(top, readers, &n, &w->svc, BOOK_PERIOD_DAY, 0, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(readers[0], 4); /* three from the crowded address, one from the other */
	assert_int_equal(books_reader_counts(&c, &w->svc, &as_author, b.id, BOOK_PERIOD_DAY, &err),
			 0);
	assert_int_equal(c.counted, 4);
	assert_int_equal(c.crowded_addresses, 3);
	assert_int_equal(c.new_accounts, 1);
	assert_int_equal(books_reader_counts(&c, &w->svc, &as_admin, b.id, BOOK_PERIOD_WEEK, &err),
			 0);
	assert_int_equal(c.counted, 4);
	assert_int_equal(books_reader_counts(&c, &w->svc, &as_other, b.id, BOOK_PERIOD_DAY, &err),
			 APP_EFORBIDDEN);
	assert_int_equal(books_reader_counts(&c, &w->svc, &as_admin, 999, BOOK_PERIOD_DAY, &err),
			 APP_ENOTFOUND);
	/* every work's exclusions: for admins alone */
	assert_int_equal(
	    books_reader_exclusions(top, &c, &n, &w->svc, &as_admin, BOOK_PERIOD_DAY, 1, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(top[0].id, b.id);
	assert_int_equal(c.new_accounts + c.crowded_addresses, 4);
	assert_int_equal(
	    books_reader_exclusions(top, &c, &n, &w->svc, &as_author, BOOK_PERIOD_DAY, 1, &err),
	    APP_EFORBIDDEN);
}

/* A view by member m on day d from an account old enough for the reader rule. */
static book_view old_reader_view(world *w, int64_t book_id, int64_t m, int64_t d)
{
	int64_t now = w->m->clock.now;

	return (book_view){.member_id = m,
			   .book_id = book_id,
			   .day = d,
			   .at = now,
			   .member_since = now - 2 * BOOK_READER_MIN_AGE_MS};
}

static void test_flush_dedupes_per_day_and_selects_bestseller_once(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	book b = publish(w, 1, author.id, 1000, "책"), got;
	int64_t day = book_view_day(w->m->clock.now);
	book_view v[] = {old_reader_view(w, b.id, 1, day), old_reader_view(w, b.id, 1, day),
			 old_reader_view(w, b.id, 2, day), old_reader_view(w, b.id, 1, day + 1)};
	book_view more[] = {old_reader_view(w, b.id, 3, day), old_reader_view(w, b.id, 4, day)};
	size_t counted;
	app_err err;

	assert_int_equal(books_flush_views(&counted, &w->svc, v, 4, &err), 0);
	assert_int_equal(counted, 3);
	assert_int_equal(books_get(&got, NULL, &w->svc, NULL, b.id, &err), 0);
	assert_int_equal(got.views, 3);
	/* threshold 3 in this world: three views, but two readers */
	assert_false(got.bestseller);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.viewed"), 3);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.bestseller_selected"), 0);
	assert_int_equal(books_flush_views(&counted, &w->svc, more, 2, &err), 0);
	assert_int_equal(counted, 2);
	assert_int_equal(books_get(&got, NULL, &w->svc, NULL, b.id, &err), 0);
	assert_true(got.bestseller); /* four readers */
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.bestseller_selected"), 1);
	assert_int_equal(books_flush_views(&counted, &w->svc, more, 2, &err), 0);
	assert_int_equal(books_flush_views(&counted, &w->svc, v, 4, &err), 0);
	assert_int_equal(counted, 0);
	assert_int_equal(books_get(&got, NULL, &w->svc, NULL, b.id, &err), 0);
	assert_int_equal(got.views, 5);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.bestseller_selected"), 1);
}

/* Views the reader rule excludes (new accounts, a crowded address) never make a bestseller. */
static void test_excluded_readers_make_no_bestseller(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	book b = publish(w, 1, author.id, 1000, "책"), got;
	int64_t day = book_view_day(w->m->clock.now);
	book_view v[8];
	size_t counted;
	app_err err;

	for (int i = 0; i < 8; i++) {
		v[i] = old_reader_view(w, b.id, 10 + i, day);
		if (i < 6) /* six readers from one address: three count */
			snprintf(v[i].client, sizeof(v[i].client), "%s", "aaaa");
		else /* accounts a minute old */
			v[i].member_since = v[i].at - 60 * 1000;
	}
	w->svc.cfg.bestseller_threshold = 4;
	assert_int_equal(books_flush_views(&counted, &w->svc, v, 8, &err), 0);
	assert_int_equal(counted, 8);
	assert_int_equal(books_get(&got, NULL, &w->svc, NULL, b.id, &err), 0);
	assert_int_equal(got.views, 8);
	assert_false(got.bestseller); /* eight views, three honest readers */
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.bestseller_selected"), 0);
}

static void test_list_pages_and_validates_query(void **state)
{
	world *w = *state;
	member author = new_member(w, "author@example.com", 0);
	book out[2];
	book_query q = {.sort = BOOK_SORT_NEW, .limit = 2};
	book_cursor next;
	char long_q[400];
	size_t n;
	app_err err;

	for (int i = 1; i <= 3; i++)
		publish(w, i, author.id, 1000, i == 2 ? "시간의 서랍" : "달 아래");
	assert_int_equal(books_list(out, &n, &next, &w->svc, &q, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, 3);
	assert_int_equal(next.id, 2);
	q.after = next;
	assert_int_equal(books_list(out, &n, &next, &w->svc, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(next.id, 0);
	q = (book_query){.sort = BOOK_SORT_NEW, .limit = 2, .q = "서랍"};
	assert_int_equal(books_list(out, &n, &next, &w->svc, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, 2);
	memset(long_q, 'a', sizeof(long_q) - 1);
	long_q[sizeof(long_q) - 1] = '\0';
	q.q = long_q;
	assert_int_equal(books_list(out, &n, &next, &w->svc, &q, &err), APP_EINVALID);
	assert_string_equal(err.field, "q");
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_access_policy_table),
	    cmocka_unit_test(test_view_and_bestseller_rules),
	    T(test_publish_is_idempotent_per_manuscript),
	    T(test_publish_rejects_missing_parts),
	    T(test_get_answers_access_per_caller),
	    T(test_purchase_debits_once_and_grants),
	    T(test_purchase_refusals),
	    T(test_read_checks_access_and_records_views),
	    T(test_failed_subscription_lookup_is_not_a_business_answer),
	    T(test_flush_dedupes_per_day_and_selects_bestseller_once),
	    T(test_excluded_readers_make_no_bestseller),
	    T(test_flush_counts_honest_readers),
	    T(test_list_pages_and_validates_query),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
