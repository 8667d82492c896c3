/* The reader rule of honest rankings (pure): the account's age, three readers an address a day. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "domain/books/ranking_readers.h"

#define HOUR (3600LL * 1000)
#define T0   1767225600000LL
#define ADDR "0123456789abcdef0123456789abcdef"

static void test_account_age(void **state)
{
	(void)state;
	assert_int_equal(book_reader_judge(T0 - HOUR, T0, HOUR, ADDR, 0), BOOK_READER_COUNTED);
	assert_int_equal(book_reader_judge(T0 - HOUR + 1, T0, HOUR, ADDR, 0),
			 BOOK_READER_NEW_ACCOUNT);
	assert_int_equal(book_reader_judge(T0, T0, HOUR, ADDR, 0), BOOK_READER_NEW_ACCOUNT);
	assert_int_equal(book_reader_judge(0, T0, HOUR, ADDR, 0), BOOK_READER_NEW_ACCOUNT);
	/* no minimum age: a fresh account and an unknown one count */
	assert_int_equal(book_reader_judge(T0, T0, 0, ADDR, 0), BOOK_READER_COUNTED);
	assert_int_equal(book_reader_judge(0, T0, 0, ADDR, 0), BOOK_READER_COUNTED);
	/* a new account is new before its address is crowded */
	assert_int_equal(book_reader_judge(T0, T0, HOUR, ADDR, 3), BOOK_READER_NEW_ACCOUNT);
}

static void test_three_readers_an_address(void **state)
{
	(void)state;
	for (int64_t from = 0; from < BOOK_READERS_PER_ADDRESS; from++)
		assert_int_equal(book_reader_judge(T0 - 2 * HOUR, T0, HOUR, ADDR, from),
				 BOOK_READER_COUNTED);
	assert_int_equal(book_reader_judge(T0 - 2 * HOUR, T0, HOUR, ADDR, 3),
			 BOOK_READER_CROWDED_ADDRESS);
	assert_int_equal(book_reader_judge(T0 - 2 * HOUR, T0, HOUR, ADDR, 27),
			 BOOK_READER_CROWDED_ADDRESS);
	/* an unknown address: the rule has nothing to go by */
	assert_int_equal(book_reader_judge(T0 - 2 * HOUR, T0, HOUR, "", 9), BOOK_READER_COUNTED);
	assert_int_equal(book_reader_judge(T0 - 2 * HOUR, T0, HOUR, NULL, 9), BOOK_READER_COUNTED);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(book_reader_verdict_name(BOOK_READER_COUNTED), "counted");
	assert_string_equal(book_reader_verdict_name(BOOK_READER_NEW_ACCOUNT), "new_account");
	assert_string_equal(book_reader_verdict_name(BOOK_READER_CROWDED_ADDRESS),
			    "crowded_address");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_account_age),
	    cmocka_unit_test(test_three_readers_an_address),
	    cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
