/* strbuf: appends, formats past the room it has, hands over its string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/strbuf.h"

static void test_append_and_format(void **state)
{
	strbuf b = {0};
	char big[5000];
	char *s;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_str(&b, "가나");
	strbuf_fmt(&b, "%d-%s", 42, "z");
	assert_string_equal(b.s, "가나42-z");
	strbuf_fmt(&b, "[%s]", big); /* longer than the room left: formatted again */
	assert_int_equal(b.len, strlen("가나42-z") + 2 + strlen(big));
	assert_int_equal(b.s[b.len - 1], ']');
	assert_int_equal(b.s[b.len], '\0');
	strbuf_add(&b, "ab\0cd", 5); /* bytes, NUL included */
	assert_int_equal(b.len, strlen("가나42-z") + 2 + strlen(big) + 5);
	s = strbuf_take(&b);
	assert_non_null(s);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	free(s);
	s = strbuf_take(&b); /* an empty buffer gives "" */
	assert_string_equal(s, "");
	free(s);
}

/* strbuf_int writes what "%" PRId64 writes, the ends of int64 included. */
static void test_int_as_printf(void **state)
{
	const int64_t v[] = {0, 7, -7, 10, 99, 100, -1000, 1767225600000LL, INT64_MAX, INT64_MIN};
	char want[32];
	strbuf b = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		b.len = 0;
		strbuf_int(&b, v[i]);
		snprintf(want, sizeof(want), "%" PRId64, v[i]);
		assert_string_equal(b.s, want);
		assert_int_equal(b.len, strlen(want));
	}
	strbuf_str(&b, ",");
	strbuf_int(&b, 5);
	assert_string_equal(b.s, "-9223372036854775808,5");
	strbuf_dispose(&b);
}

static void test_oom_is_sticky(void **state)
{
	strbuf b = {0};

	(void)state;
	b.oom = 1;
	strbuf_str(&b, "ignored");
	strbuf_fmt(&b, "%d", 1);
	assert_null(strbuf_reserve(&b, 1));
	assert_int_equal(b.len, 0);
	assert_null(strbuf_take(&b));
	assert_false(b.oom); /* taken: reset */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_and_format),
	    cmocka_unit_test(test_int_as_printf),
	    cmocka_unit_test(test_oom_is_sticky),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
