/*
 * The books core's side of a regeneration against fakes: the asked parts
 * applied as changes with generatedBy (also a suggestion equal to the value in
 * place), the price within the work's bounds, a work too short to be sold
 * keeping its 0, the generator's cover, and the AI's side read back beside
 * the author's values.
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

#define AUTHOR 7

typedef books_world world;

static const char TEXT[] = "할머니의 책상에는 열리지 않는 서랍이 하나 있었다. 그해 겨울, 서랍이 "
			   "저절로 열렸다.";

static int setup(void **state)
{
	books_config cfg = books_config_default();

	*state = books_world_new(&cfg);
	return 0;
}

static book publish(world *w, int64_t manuscript_id, int64_t price)
{
	book b;
	app_err err;

	assert_int_equal(books_world_publish(&b, w, manuscript_id, AUTHOR, price, TEXT, &err), 0);
	return b;
}

static int teardown(void **state)
{
	books_world_free(*state);
	return 0;
}

static int regenerate(book *out, world *w, const books_regen_req *r, app_err *err)
{
	uow_tx *tx;
	int rc;

	assert_int_equal(uow_begin(&tx, &w->svc.d.uow, err), 0);
	rc = books_regenerated_in(out, &w->svc, tx, r, err);
	return uow_finish(tx, rc, err);
}

/* The newest change of field, by the generator. */
static book_change last(world *w, int64_t id, const char *field)
{
	book_change c;
	app_err err;

	assert_int_equal(
	    book_change_repo_last_generated(&c, &w->svc.d.changes, NULL, id, field, &err), 0);
	return c;
}

static void test_parts_are_applied_and_recorded(void **state)
{
	world *w = *state;
	book b = publish(w, 1, 3000), after;
	books_reader as_author = {.member_id = AUTHOR};
	books_patch p = {.fields = BOOK_FIELD_PRICE, .price = 2000};
	books_regen_req r = {
	    .book_id = b.id,
	    .parts = BOOKS_PART_TAGLINE | BOOKS_PART_PRICE,
	    .summary = "쓰이지 않을 요약입니다.",
	    .tagline = "새 한 줄",
	    .price_reason = "다시 잰 길이",
	    .price = 3333, /* rounded to 3,300 within the bounds */
	    .price_basis = {.code = "length", .minutes = 3, .length_class = "flash"},
	    .text_by = "gpt-test",
	    .price_by = "offline",
	};
	books_ai ai;
	app_err err;

	assert_int_equal(books_update(&b, &w->svc, &as_author, b.id, &p, &err), 0);
	assert_int_equal(books_ai_get(&ai, &w->svc, &as_author, &b, &err), 0);
	assert_string_equal(ai.price.value, "3000"); /* the AI's, beside the author's 2,000 */
	assert_int_equal(b.price, 2000);

	assert_int_equal(regenerate(&after, w, &r, &err), 0);
	assert_string_equal(after.tagline, "새 한 줄");
	assert_string_equal(after.summary, "처음 요약입니다.");
	assert_int_equal(after.price, 3300);
	assert_string_equal(after.price_reason, "다시 잰 길이");
	assert_int_equal(after.price_basis.minutes, 3);
	/* only the parts asked for change hands: the blurb keeps its maker */
	assert_string_equal(after.gen_tagline, "gpt-test");
	assert_string_equal(after.gen_summary, b.gen_summary);
	assert_string_not_equal(after.gen_summary, "gpt-test");
	assert_string_equal(after.gen_price, "offline");
	assert_string_equal(last(w, b.id, "tagline").from, "처음 한 줄");
	assert_string_equal(last(w, b.id, "tagline").generated_by, "gpt-test");
	assert_int_equal(last(w, b.id, "tagline").by, 0);
	assert_string_equal(last(w, b.id, "price").from, "2000");
	assert_string_equal(last(w, b.id, "price").to, "3300");

	assert_int_equal(books_ai_get(&ai, &w->svc, &as_author, &after, &err), 0);
	assert_true(ai.tagline.present);
	assert_string_equal(ai.tagline.value, "새 한 줄");
	assert_string_equal(ai.price.value, "3300");
	assert_string_equal(ai.summary.value, "처음 요약입니다.");
	assert_true(ai.cover.present); /* drawn at publication */
	assert_string_equal(ai.cover.generated_by, "offline");
	assert_false(ai.per_episode);

	/* the same suggestion again is recorded too: the log keeps the AI's latest */
	r.parts = BOOKS_PART_TAGLINE;
	r.text_by = "offline";
	assert_int_equal(regenerate(&after, w, &r, &err), 0);
	assert_string_equal(last(w, b.id, "tagline").from, "새 한 줄");
	assert_string_equal(last(w, b.id, "tagline").to, "새 한 줄");
	assert_string_equal(last(w, b.id, "tagline").generated_by, "offline");
}

static void test_bad_part_changes_nothing(void **state)
{
	world *w = *state;
	book b = publish(w, 1, 3000), now;
	books_reader as_author = {.member_id = AUTHOR};
	books_regen_req r = {
	    .book_id = b.id,
	    .parts = BOOKS_PART_SUMMARY | BOOKS_PART_TAGLINE,
	    .summary = "새 요약입니다.",
	    .tagline = "두 줄\n짜리", /* a tagline is one line */
	    .text_by = "offline",
	};
	size_t changes = w->books.nchanges;
	app_err err;

	assert_int_equal(regenerate(NULL, w, &r, &err), APP_EINVALID);
	assert_string_equal(err.field, "tagline");
	assert_int_equal(w->books.nchanges, changes);
	assert_int_equal(books_get(&now, NULL, &w->svc, &as_author, b.id, &err), 0);
	assert_string_equal(now.summary, "처음 요약입니다.");
	r.parts = BOOKS_PART_COVER; /* a cover asked for and none made */
	assert_int_equal(regenerate(NULL, w, &r, &err), APP_EINVALID);
	r.book_id = b.id + 50;
	r.parts = BOOKS_PART_SUMMARY;
	assert_int_equal(regenerate(NULL, w, &r, &err), APP_ENOTFOUND);
	assert_int_equal(w->books.nchanges, changes);
}

static void test_short_work_keeps_its_free_price(void **state)
{
	books_config cfg = books_config_default();
	books_world *w;
	books_reader as_author = {.member_id = AUTHOR};
	books_regen_req r = {.parts = BOOKS_PART_PRICE, .price = 4000, .price_by = "offline"};
	book b, after;
	books_ai ai;
	app_err err;

	cfg.min_sale_chars = 1000;
	books_world_free(*state);
	*state = w = books_world_new(&cfg);
	b = publish(w, 1, 3000);
	assert_int_equal(b.price, 0);
	r.book_id = b.id;
	r.price_reason = "다시 잰 길이";
	assert_int_equal(regenerate(&after, w, &r, &err), 0);
	assert_int_equal(after.price, 0);
	assert_string_equal(after.price_basis.code, "short_free");
	assert_int_equal(books_ai_get(&ai, &w->svc, &as_author, &after, &err), 0);
	assert_string_equal(ai.price.value, "4000");
}

static void test_generated_cover_replaces_and_is_recorded(void **state)
{
	world *w = *state;
	static const unsigned char svg[] = "<svg id=\"again\"/>";
	book b = publish(w, 1, 3000), after;
	books_reader as_author = {.member_id = AUTHOR}, other = {.member_id = AUTHOR + 1};
	books_regen_req r = {
	    .book_id = b.id,
	    .parts = BOOKS_PART_COVER,
	    .cover = svg,
	    .cover_len = sizeof(svg) - 1,
	    .cover_mime = "image/svg+xml",
	    .cover_by = "img-test",
	};
	books_ai ai;
	app_err err;

	assert_int_equal(regenerate(&after, w, &r, &err), 0);
	assert_string_not_equal(after.cover_etag, b.cover_etag);
	assert_string_equal(after.gen_cover, "img-test");
	assert_string_equal(last(w, b.id, "cover").from, b.cover_etag);
	assert_string_equal(last(w, b.id, "cover").to, after.cover_etag);
	assert_int_equal(books_ai_get(&ai, &w->svc, &as_author, &after, &err), 0);
	assert_string_equal(ai.cover.generated_by, "img-test");
	assert_int_equal(books_ai_get(&ai, &w->svc, &other, &after, &err), APP_ENOTFOUND);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.updated"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_parts_are_applied_and_recorded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_part_changes_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_short_work_keeps_its_free_price, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_generated_cover_replaces_and_is_recorded, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
