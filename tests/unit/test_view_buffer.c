/* The view buffer: duplicates within an interval collapse, different episodes do not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "adapters/views/view_buffer.h"

static void test_one_view_per_member_episode_and_day(void **state)
{
	view_buffer *b = view_buffer_new();
	view_recorder r = view_buffer_recorder(b);
	book_view *out;
	size_t n;

	(void)state;
	for (int64_t round = 0; round < 3; round++)
		for (int64_t number = 1; number <= 4; number++) {
			book_view v = {.member_id = 7,
				       .book_id = 2,
				       .day = 20000,
				       .number = number,
				       .reason = BOOK_ACCESS_FREE};

			assert_int_equal(view_recorder_record(&r, &v, NULL), 0);
		}
	book_view other_day = {.member_id = 7, .book_id = 2, .day = 20001, .number = 1};
	book_view other_member = {.member_id = 8, .book_id = 2, .day = 20000, .number = 1};
	assert_int_equal(view_recorder_record(&r, &other_day, NULL), 0);
	assert_int_equal(view_recorder_record(&r, &other_member, NULL), 0);
	view_buffer_drain(b, &out, &n);
	assert_int_equal(n, 6);
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(out[i].number, (int64_t)i + 1);
	free(out);
	/* drained: the next interval starts empty and grows past its first table */
	for (int64_t m = 1; m <= 1000; m++) {
		book_view v = {.member_id = m, .book_id = 1, .day = 1, .number = 1};

		assert_int_equal(view_recorder_record(&r, &v, NULL), 0);
	}
	view_buffer_drain(b, &out, &n);
	assert_int_equal(n, 1000);
	free(out);
	view_buffer_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_view_per_member_episode_and_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
