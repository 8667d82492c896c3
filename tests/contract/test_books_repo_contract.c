/* The book repository contract, on the fake, SQLite and PostgreSQL (search included). */
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

static book add(ctx *c, int64_t ms, const char *title, const char *summary)
{
	return books_store_add(c, ms, title, summary);
}

static void test_insert_find_content_cover(void **state)
{
	ctx *c = *state;
	book b = add(c, 1, "시간의 서랍", "오래된 서랍 이야기"), got, dup;
	unsigned char *data;
	char mime[32], etag[48], *text;
	size_t len;
	app_err err;

	assert_int_equal(book_repo_find(&got, &c->books, c->tx, b.id, &err), 0);
	assert_string_equal(got.title, "시간의 서랍");
	assert_string_equal(got.author_name, "윤서재");
	assert_int_equal(got.price, 1100);
	assert_string_equal(got.gen_price, "gpt");
	assert_int_equal(got.views, 0);
	assert_false(got.bestseller);
	assert_int_equal(book_repo_content(&text, &len, &c->books, c->tx, b.id, &err), 0);
	assert_string_equal(text, "본문 text");
	assert_int_equal(len, strlen("본문 text"));
	free(text);
	assert_int_equal(book_repo_cover(&data, &len, mime, etag, &c->books, c->tx, b.id,
					 BOOK_COVER_ORIGINAL, &err),
			 0);
	assert_int_equal(len, 7);
	assert_int_equal(data[0], 0x89);
	assert_string_equal(mime, "image/png");
	assert_string_equal(etag, "\"e1\"");
	free(data);
	assert_int_equal(book_repo_find(&got, &c->books, c->tx, 999, &err), APP_ENOTFOUND);
	dup = b;
	dup.id = 0;
	assert_int_equal(
	    book_repo_insert(&c->books, c->tx, &dup, "x", 1, (const unsigned char *)"x", 1, &err),
	    APP_EEXISTS);
	assert_int_equal(dup.id, b.id);
}

/* The cover in size: its bytes as a string (the caller frees), mime and etag. */
static char *cover_of(ctx *c, int64_t id, book_cover_size size, char mime[32], char etag[48],
		      int expect)
{
	unsigned char *data = NULL;
	char *s = NULL;
	size_t len = 0;
	app_err err;

	assert_int_equal(book_repo_cover(&data, &len, mime, etag, &c->books, c->tx, id, size, &err),
			 expect);
	if (expect) {
		assert_null(data);
		return NULL;
	}
	s = calloc(1, len + 1);
	assert_non_null(s);
	memcpy(s, data, len);
	free(data);
	return s;
}

/* The first book after `after` whose cover lacks its renditions (one asked at a time), or 0. */
static int64_t lacking(ctx *c, int64_t after)
{
	int64_t ids[2] = {0, 0};
	size_t n;
	app_err err;

	assert_int_equal(book_repo_lacking_renditions(ids, &n, &c->books, c->tx, after, 1, &err),
			 0);
	assert_true(n <= 1);
	return n ? ids[0] : 0;
}

static void test_cover_renditions_replaced(void **state)
{
	ctx *c = *state;
	book b = add(c, 1, "표지", "표지가 바뀌는 책"), got;
	book_cover_files files = {
	    .data = (const unsigned char *)"JPEGDATA",
	    .len = 8,
	    .mime = "image/jpeg",
	    .etag = "\"e2\"",
	    .full = (const unsigned char *)"FULL",
	    .full_len = 4,
	    .thumb = (const unsigned char *)"THUMB",
	    .thumb_len = 5,
	};
	char mime[32], etag[48], *s;
	app_err err;

	/* stored before renditions: none of them, and the book is named as lacking them */
	cover_of(c, b.id, BOOK_COVER_FULL, mime, etag, APP_ENOTFOUND);
	cover_of(c, b.id, BOOK_COVER_THUMB, mime, etag, APP_ENOTFOUND);
	assert_int_equal(lacking(c, 0), b.id);
	assert_int_equal(lacking(c, b.id), 0);
	assert_int_equal(book_repo_set_cover(&c->books, c->tx, b.id, &files, &err), 0);
	assert_int_equal(lacking(c, 0), 0);
	s = cover_of(c, b.id, BOOK_COVER_ORIGINAL, mime, etag, 0);
	assert_string_equal(s, "JPEGDATA");
	assert_string_equal(mime, "image/jpeg");
	assert_string_equal(etag, "\"e2\"");
	free(s);
	s = cover_of(c, b.id, BOOK_COVER_FULL, mime, etag, 0);
	assert_string_equal(s, "FULL");
	assert_string_equal(mime, "image/png");
	assert_string_equal(etag, "\"e2\"");
	free(s);
	s = cover_of(c, b.id, BOOK_COVER_THUMB, mime, etag, 0);
	assert_string_equal(s, "THUMB");
	free(s);
	assert_int_equal(book_repo_find(&got, &c->books, c->tx, b.id, &err), 0);
	assert_string_equal(got.cover_mime, "image/jpeg");
	assert_string_equal(got.cover_etag, "\"e2\"");
	/* a cover without renditions takes the old ones away */
	files.full = files.thumb = NULL;
	files.full_len = files.thumb_len = 0;
	assert_int_equal(book_repo_set_cover(&c->books, c->tx, b.id, &files, &err), 0);
	cover_of(c, b.id, BOOK_COVER_FULL, mime, etag, APP_ENOTFOUND);
	assert_int_equal(lacking(c, 0), b.id);
	assert_int_equal(book_repo_set_cover(&c->books, c->tx, 999, &files, &err), APP_ENOTFOUND);
	cover_of(c, 999, BOOK_COVER_ORIGINAL, mime, etag, APP_ENOTFOUND);
}

static size_t list(ctx *c, book *out, book_sort sort, const char *q, book_cursor after,
		   size_t limit)
{
	book_query query = {.sort = sort, .q = q, .after = after, .limit = limit};
	size_t n;
	app_err err;

	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &query, &err), 0);
	return n;
}

static void test_search_korean_substrings(void **state)
{
	ctx *c = *state;
	book out[8];
	book_cursor top = {0, 0};

	add(c, 1, "시간의 서랍", "잊힌 편지들이 잠든 곳");
	add(c, 2, "달 아래의 기억들", "밤마다 찾아오는 기억");
	add(c, 3, "Night Train", "A journey across the sea");
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "서랍", top, 8), 1); /* 2 chars */
	assert_string_equal(out[0].title, "시간의 서랍");
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "간의 서", top, 8), 1);  /* trigram */
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "기억", top, 8), 1);     /* title+summary */
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "달", top, 8), 1);	      /* 1 char */
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "윤서재", top, 8), 3);   /* pen name */
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "편지들이", top, 8), 1); /* summary */
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "없는말", top, 8), 0);
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "\"; DROP", top, 8), 0);
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "Train", top, 8), 1);
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "ni", top, 8), 1); /* short, any case */
}

static void test_orders_and_cursors(void **state)
{
	ctx *c = *state;
	book b1 = add(c, 1, "one", "s"), b2 = add(c, 2, "two", "s"), b3 = add(c, 3, "three", "s");
	book out[4];
	book_cursor top = {0, 0}, after;
	int64_t total;
	int changed;
	app_err err;

	assert_int_equal(list(c, out, BOOK_SORT_NEW, NULL, top, 2), 2);
	assert_int_equal(out[0].id, b3.id);
	assert_int_equal(out[1].id, b2.id);
	after = (book_cursor){0, out[1].id};
	assert_int_equal(list(c, out, BOOK_SORT_NEW, NULL, after, 2), 1);
	assert_int_equal(out[0].id, b1.id);

	assert_int_equal(book_repo_add_views(&total, &c->books, c->tx, b1.id, 5, &err), 0);
	assert_int_equal(total, 5);
	assert_int_equal(book_repo_add_views(&total, &c->books, c->tx, b2.id, 5, &err), 0);
	assert_int_equal(book_repo_add_views(&total, &c->books, c->tx, b3.id, 1, &err), 0);
	assert_int_equal(list(c, out, BOOK_SORT_POPULAR, NULL, top, 2), 2);
	assert_int_equal(out[0].id, b2.id); /* ties: newer first */
	assert_int_equal(out[1].id, b1.id);
	after = (book_cursor){out[1].views, out[1].id};
	assert_int_equal(list(c, out, BOOK_SORT_POPULAR, NULL, after, 2), 1);
	assert_int_equal(out[0].id, b3.id);

	assert_int_equal(list(c, out, BOOK_SORT_BESTSELLERS, NULL, top, 4), 0);
	assert_int_equal(book_repo_mark_bestseller(&changed, &c->books, c->tx, b1.id, &err), 0);
	assert_true(changed);
	assert_int_equal(book_repo_mark_bestseller(&changed, &c->books, c->tx, b1.id, &err), 0);
	assert_false(changed);
	assert_int_equal(list(c, out, BOOK_SORT_BESTSELLERS, NULL, top, 4), 1);
	assert_int_equal(out[0].id, b1.id);
	assert_int_equal(book_repo_add_views(&total, &c->books, c->tx, 999, 1, &err),
			 APP_ENOTFOUND);
}

static void test_hidden_books_only_when_asked(void **state)
{
	ctx *c = *state;
	book shown = add(c, 1, "보이는 서랍", "s"), hid = add(c, 2, "숨은 서랍", "s"), out[4];
	book_query all = {.sort = BOOK_SORT_NEW, .limit = 4, .with_hidden = 1};
	book_query found = {.sort = BOOK_SORT_NEW, .q = "숨은", .limit = 4, .with_hidden = 1};
	book_cursor top = {0, 0};
	size_t n;
	app_err err;

	hid.hidden = 1;
	assert_int_equal(book_repo_update(&c->books, c->tx, &hid, BOOK_FIELD_HIDDEN, &err), 0);
	assert_int_equal(list(c, out, BOOK_SORT_NEW, NULL, top, 4), 1);
	assert_int_equal(out[0].id, shown.id);
	assert_int_equal(list(c, out, BOOK_SORT_NEW, "숨은", top, 4), 0);
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &all, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, hid.id);
	assert_true(out[0].hidden);
	assert_false(out[1].hidden);
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &found, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, hid.id);
}

/* A proof is its author's alone: in their own list, never in the admin's (hidden ones too). */
static void test_proofs_only_in_their_authors_list(void **state)
{
	ctx *c = *state;
	book shown = add(c, 1, "보이는 서랍", "s"), proof = add(c, 2, "교정 중인 서랍", "s"),
	     out[4];
	book_query all = {.sort = BOOK_SORT_NEW, .limit = 4, .with_hidden = 1};
	book_query found = {.sort = BOOK_SORT_NEW, .q = "교정", .limit = 4, .with_hidden = 1};
	book_query mine = {
	    .sort = BOOK_SORT_NEW, .author_id = proof.author_id, .limit = 4, .with_hidden = 1};
	size_t n;
	app_err err;

	proof.hidden = proof.proof = 1;
	assert_int_equal(book_repo_update(&c->books, c->tx, &proof, BOOK_FIELD_HIDDEN, &err), 0);
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &all, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, shown.id);
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &found, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &mine, &err), 0);
	assert_true(n >= 1);
	assert_int_equal(out[0].id, proof.id);
	assert_true(out[0].proof);
}

/* A reader who hides generated covers sees only works whose cover the author made. */
static void test_generated_covers_left_out_when_asked(void **state)
{
	ctx *c = *state;
	book drawn = add(c, 1, "그려진 서랍", "s"), own = add(c, 2, "작가의 서랍", "s"), out[4];
	book_query q = {.sort = BOOK_SORT_NEW, .limit = 4, .no_ai_covers = 1};
	size_t n;
	app_err err;

	own.gen_cover[0] = '\0';
	assert_int_equal(book_repo_update(&c->books, c->tx, &own, 0, &err), 0);
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, own.id);
	assert_string_equal(out[0].gen_cover, "");
	q.q = "서랍";
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, own.id);
	q.sort = BOOK_SORT_POPULAR;
	q.q = "서";
	assert_int_equal(book_repo_list(out, &n, &c->books, c->tx, &q, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, own.id);
	assert_int_equal(list(c, out, BOOK_SORT_NEW, NULL, (book_cursor){0, 0}, 4), 2);
	assert_int_equal(out[1].id, drawn.id);
}

static void test_views_marks_and_entitlements(void **state)
{
	ctx *c = *state;
	book b = add(c, 1, "one", "s"), b2 = add(c, 2, "two", "s"), out[4];
	book_view v = {.member_id = c->reader, .book_id = b.id, .day = 20000};
	book_entitlement e = {.member_id = c->reader,
			      .book_id = b.id,
			      .price = 1100,
			      .purchased_at = 5},
			 got;
	book_shelf ents[4];
	size_t n;
	int counted;
	app_err err;

	assert_int_equal(book_repo_mark_view(&counted, &c->books, c->tx, &v, &err), 0);
	assert_true(counted);
	assert_int_equal(book_repo_mark_view(&counted, &c->books, c->tx, &v, &err), 0);
	assert_false(counted);
	v.day++;
	assert_int_equal(book_repo_mark_view(&counted, &c->books, c->tx, &v, &err), 0);
	assert_true(counted);

	assert_int_equal(book_repo_owns(&c->books, c->tx, c->reader, b.id, &err), 0);
	assert_int_equal(book_repo_grant(&c->books, c->tx, &e, &err), 0);
	assert_int_equal(book_repo_grant(&c->books, c->tx, &e, &err), APP_EEXISTS);
	assert_int_equal(book_repo_owns(&c->books, c->tx, c->reader, b.id, &err), 1);
	assert_int_equal(book_repo_entitlement(&got, &c->books, c->tx, c->reader, b.id, &err), 0);
	assert_int_equal(got.price, 1100);
	assert_int_equal(book_repo_entitlement(&got, &c->books, c->tx, c->reader, b2.id, &err),
			 APP_ENOTFOUND);
	e.book_id = b2.id;
	e.purchased_at = 6;
	assert_int_equal(book_repo_grant(&c->books, c->tx, &e, &err), 0);
	assert_int_equal(book_repo_library(out, ents, &n, &c->books, c->tx, c->reader,
					   (book_shelf_cursor){0, 0}, 1, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, b2.id);
	assert_int_equal(ents[0].purchased_at, 6);
	assert_int_equal(book_repo_library(out, ents, &n, &c->books, c->tx, c->reader,
					   (book_shelf_cursor){ents[0].activity_at, out[0].id}, 4,
					   &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, b.id);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, books_store_setup_fake, books_store_teardown),          \
	    cmocka_unit_test_setup_teardown(f, books_store_setup_sqlite, books_store_teardown),    \
	    cmocka_unit_test_setup_teardown(f, books_store_setup_pg, books_store_teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_insert_find_content_cover),
	    EACH(test_cover_renditions_replaced),
	    EACH(test_search_korean_substrings),
	    EACH(test_orders_and_cursors),
	    EACH(test_views_marks_and_entitlements),
	    EACH(test_hidden_books_only_when_asked),
	    EACH(test_proofs_only_in_their_authors_list),
	    EACH(test_generated_covers_left_out_when_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
