/*
 * The book repository's readers (honest rankings), on the fake, SQLite and
 * PostgreSQL: one verdict per work, member and day (the first stands), counted
 * readers per address and day, counts by verdict in which a member counted
 * on one of the days is not excluded, rankings of counted readers only, and
 * the works with excluded readers, most excluded first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "support/books_store.h"

#define A1 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define A2 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static int add(books_store *c, int64_t book_id, int64_t day, int64_t member_id, const char *client,
	       book_reader_verdict verdict)
{
	book_view v = {
	    .book_id = book_id, .day = day, .member_id = member_id, .number = 1, .at = day};
	int added;
	app_err err;

	snprintf(v.client, sizeof(v.client), "%s", client);
	assert_int_equal(book_repo_reader_add(&added, &c->books, c->tx, &v, verdict, &err), 0);
	return added;
}

static int64_t from(books_store *c, int64_t book_id, int64_t day, const char *client)
{
	int64_t n;
	app_err err;

	assert_int_equal(book_repo_readers_from(&n, &c->books, c->tx, book_id, day, client, &err),
			 0);
	return n;
}

static void test_first_verdict_stands_and_addresses_count(void **state)
{
	books_store *c = *state;
	book b = books_store_add(c, 1, "서랍", "요약");

	assert_int_equal(add(c, b.id, 10, 1, A1, BOOK_READER_COUNTED), 1);
	assert_int_equal(add(c, b.id, 10, 1, A2, BOOK_READER_CROWDED_ADDRESS), 0);
	assert_int_equal(add(c, b.id, 10, 2, A1, BOOK_READER_COUNTED), 1);
	assert_int_equal(add(c, b.id, 10, 3, A1, BOOK_READER_CROWDED_ADDRESS), 1);
	assert_int_equal(add(c, b.id, 11, 4, A1, BOOK_READER_COUNTED), 1);
	assert_int_equal(from(c, b.id, 10, A1), 2); /* counted ones only, that day */
	assert_int_equal(from(c, b.id, 10, A2), 0);
	assert_int_equal(from(c, b.id, 11, A1), 1);
	assert_int_equal(from(c, b.id + 1, 10, A1), 0);
}

static void test_counts_by_verdict(void **state)
{
	books_store *c = *state;
	book b = books_store_add(c, 1, "서랍", "요약");
	book_reader_counts n;
	app_err err;

	add(c, b.id, 10, 1, A1, BOOK_READER_COUNTED);
	add(c, b.id, 11, 1, A1, BOOK_READER_COUNTED); /* the same reader, another day */
	add(c, b.id, 10, 2, A1, BOOK_READER_NEW_ACCOUNT);
	add(c, b.id, 11, 2, A1, BOOK_READER_NEW_ACCOUNT);
	add(c, b.id, 10, 3, A1, BOOK_READER_CROWDED_ADDRESS);
	add(c, b.id, 11, 3, A2, BOOK_READER_COUNTED); /* counted the next day */
	add(c, b.id, 10, 4, A1, BOOK_READER_CROWDED_ADDRESS);
	assert_int_equal(book_repo_reader_counts(&n, &c->books, c->tx, b.id, 10, 11, &err), 0);
	assert_int_equal(n.counted, 2);
	assert_int_equal(n.new_accounts, 1);
	assert_int_equal(n.crowded_addresses, 1);
	assert_int_equal(book_repo_reader_counts(&n, &c->books, c->tx, b.id, 10, 10, &err), 0);
	assert_int_equal(n.counted, 1);
	assert_int_equal(n.new_accounts, 1);
	assert_int_equal(n.crowded_addresses, 2);
	assert_int_equal(book_repo_reader_counts(&n, &c->books, c->tx, b.id, 12, 20, &err), 0);
	assert_int_equal(n.counted + n.new_accounts + n.crowded_addresses, 0);
}

static void test_rankings_of_counted_readers(void **state)
{
	books_store *c = *state;
	book a = books_store_add(c, 1, "하나", "요약"), b = books_store_add(c, 2, "둘", "요약");
	book out[4];
	int64_t readers[4];
	size_t n;
	app_err err;

	for (int64_t m = 1; m <= 2; m++)
		add(c, a.id, 10, m, A1, BOOK_READER_COUNTED);
	for (int64_t m = 1; m <= 6; m++)
		add(c, b.id, 10, m, A1, m <= 1 ? BOOK_READER_COUNTED : BOOK_READER_CROWDED_ADDRESS);
	assert_int_equal(book_repo_rankings(out, readers, &n, &c->books, c->tx, 10, 10, 0, 4, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, a.id);
	assert_int_equal(readers[0], 2);
	assert_int_equal(out[1].id, b.id);
	assert_int_equal(readers[1], 1);
}

static void test_exclusions_most_excluded_first(void **state)
{
	books_store *c = *state;
	book a = books_store_add(c, 1, "하나", "요약"), b = books_store_add(c, 2, "둘", "요약"),
	     d = books_store_add(c, 3, "셋", "요약");
	book out[4];
	book_reader_counts counts[4];
	size_t n;
	app_err err;

	add(c, a.id, 10, 1, A1, BOOK_READER_COUNTED); /* no exclusion: not listed */
	for (int64_t m = 1; m <= 4; m++)
		add(c, b.id, 10, m, A1, m == 1 ? BOOK_READER_COUNTED : BOOK_READER_CROWDED_ADDRESS);
	add(c, b.id, 10, 5, A2, BOOK_READER_NEW_ACCOUNT);
	add(c, d.id, 10, 1, A1, BOOK_READER_NEW_ACCOUNT);
	add(c, d.id, 11, 1, A1, BOOK_READER_COUNTED); /* counted on day 11 */
	add(c, d.id, 9, 2, A1, BOOK_READER_NEW_ACCOUNT);
	assert_int_equal(book_repo_exclusions(out, counts, &n, &c->books, c->tx, 9, 11, 4, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, b.id);
	assert_int_equal(counts[0].counted, 1);
	assert_int_equal(counts[0].crowded_addresses, 3);
	assert_int_equal(counts[0].new_accounts, 1);
	assert_int_equal(out[1].id, d.id); /* member 1 counted on one of the days: not excluded */
	assert_int_equal(counts[1].counted, 1);
	assert_int_equal(counts[1].new_accounts, 1);
	assert_int_equal(book_repo_exclusions(out, counts, &n, &c->books, c->tx, 10, 10, 1, &err),
			 0);
	assert_int_equal(n, 1); /* the limit */
	assert_int_equal(out[0].id, b.id);
	assert_int_equal(book_repo_exclusions(out, counts, &n, &c->books, c->tx, 11, 11, 4, &err),
			 0);
	assert_int_equal(n, 0);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, books_store_setup_fake, books_store_teardown),          \
	    cmocka_unit_test_setup_teardown(f, books_store_setup_sqlite, books_store_teardown),    \
	    cmocka_unit_test_setup_teardown(f, books_store_setup_pg, books_store_teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_first_verdict_stands_and_addresses_count),
	    EACH(test_counts_by_verdict),
	    EACH(test_rankings_of_counted_readers),
	    EACH(test_exclusions_most_excluded_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
