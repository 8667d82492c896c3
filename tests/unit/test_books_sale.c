/*
 * The minimum sale length against fakes: a one-episode book on sale cannot be
 * edited shorter than cfg.min_sale_chars (422 too_short_to_sell with the
 * minimum, nothing changed, its buyer still reads it), nor can a free short
 * one be priced through its episode; a free short book is edited freely.
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

#define AUTHOR	 7
#define MIN_SALE 300

/* A text of n characters (Korean syllables, three bytes each); the caller frees it. */
static char *text_of(size_t n)
{
	static const char syllable[] = "가";
	char *s = malloc(n * 3 + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * 3, syllable, 3);
	s[n * 3] = '\0';
	return s;
}

static books_world *world_new(void)
{
	books_config cfg = books_config_default();

	cfg.min_sale_chars = MIN_SALE;
	return books_world_new(&cfg);
}

static book publish(books_world *w, int64_t manuscript_id, size_t chars)
{
	char *text = text_of(chars);
	book b;
	app_err err;

	assert_int_equal(books_world_publish(&b, w, manuscript_id, AUTHOR, 3000, text, &err), 0);
	free(text);
	return b;
}

/* Edits episode 1 of book_id as its author: the new text of chars characters. */
static int edit_text(books_world *w, int64_t book_id, size_t chars, app_err *err)
{
	books_reader as_author = {.member_id = AUTHOR};
	char *text = text_of(chars);
	books_episode_patch p = {.content = text, .content_len = strlen(text)};
	int rc;

	app_err_clear(err);
	rc = books_episode_update(NULL, &w->svc, &as_author, book_id, 1, &p, err);
	free(text);
	return rc;
}

static void test_a_sold_book_is_not_shortened_below_the_minimum(void **state)
{
	books_world *w = world_new();
	books_reader as_author = {.member_id = AUTHOR};
	book b = publish(w, 1, 400), now;
	books_purchase_result paid;
	char token[CRYPTO_TOKEN_MAX], *content;
	size_t changes, events, len;
	member reader;
	app_err err;

	(void)state;
	assert_int_equal(b.price, 3000);
	assert_int_equal(members_signup(&reader, token, &w->m->svc, "r@example.com", "password1",
					"R", NULL, &err),
			 0);
	assert_int_equal(members_charge(NULL, NULL, &w->m->svc, reader.id, 5000, NULL, &err), 0);
	assert_int_equal(books_purchase(&paid, &w->svc, reader.id, b.id, NULL, &err), 0);
	changes = w->books.nchanges;
	events = fake_outbox_count(&w->m->outbox, "book.updated");

	assert_int_equal(edit_text(w, b.id, 200, &err), APP_EINVALID);
	assert_string_equal(err.word, "too_short_to_sell");
	assert_string_equal(err.field, "content");
	assert_int_equal(app_err_extra_get(&err, "minimum", 0), MIN_SALE);
	assert_int_equal(app_err_extra_get(&err, "characters", 0), 200);
	assert_int_equal(w->books.nchanges, changes);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.updated"), events);

	/* nothing changed: the price, the text, the buyer's access */
	books_reader as_reader = {.member_id = reader.id};
	assert_int_equal(books_read(&content, &len, &now, &w->svc, &as_reader, b.id, &err), 0);
	assert_int_equal(len, 400 * 3);
	free(content);
	assert_int_equal(now.price, 3000);

	assert_int_equal(edit_text(w, b.id, MIN_SALE, &err), 0); /* the minimum itself sells */
	assert_int_equal(books_get(&now, NULL, &w->svc, &as_author, b.id, &err), 0);
	assert_int_equal(now.price, 3000);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.updated"), events + 1);
	books_world_free(w);
}

static void test_a_free_short_book_is_edited_but_not_priced(void **state)
{
	books_world *w = world_new();
	books_reader as_author = {.member_id = AUTHOR};
	book b = publish(w, 1, 200), now;
	books_episode_patch priced = {.has_price = 1, .price = 1000};
	books_patch book_price = {.fields = BOOK_FIELD_PRICE, .price = 1000};
	app_err err;

	(void)state;
	assert_int_equal(b.price, 0);
	assert_int_equal(edit_text(w, b.id, 150, &err), 0); /* free: any length from 100 */
	assert_int_equal(books_episode_update(NULL, &w->svc, &as_author, b.id, 1, &priced, &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "too_short_to_sell");
	assert_string_equal(err.field, "price");
	assert_int_equal(app_err_extra_get(&err, "characters", 0), 150);
	app_err_clear(&err);
	assert_int_equal(books_update(&now, &w->svc, &as_author, b.id, &book_price, &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "too_short_to_sell");
	assert_string_equal(err.field, "price");
	assert_int_equal(app_err_extra_get(&err, "minimum", 0), MIN_SALE);
	assert_int_equal(books_get(&now, NULL, &w->svc, &as_author, b.id, &err), 0);
	assert_int_equal(now.price, 0);

	/* long enough, it can be sold */
	assert_int_equal(edit_text(w, b.id, MIN_SALE + 1, &err), 0);
	assert_int_equal(books_episode_update(NULL, &w->svc, &as_author, b.id, 1, &priced, &err),
			 0);
	assert_int_equal(books_get(&now, NULL, &w->svc, &as_author, b.id, &err), 0);
	assert_int_equal(now.price, 1000);
	books_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_sold_book_is_not_shortened_below_the_minimum),
	    cmocka_unit_test(test_a_free_short_book_is_edited_but_not_priced),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
