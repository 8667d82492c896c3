/* The HTTP adapter's JSON writer prints strings exactly as cJSON does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http_internal.h"

static void same_as_cjson(const char *s, size_t len)
{
	char *copy = malloc(len + 1), *want;
	cJSON *node;
	strbuf b = {0};

	memcpy(copy, s, len);
	copy[len] = '\0';
	node = cJSON_CreateString(copy);
	want = cJSON_PrintUnformatted(node);
	http_json_str(&b, copy, len);
	assert_false(b.oom);
	assert_string_equal(b.s, want);
	assert_int_equal(b.len, strlen(want));
	strbuf_dispose(&b);
	cJSON_free(want);
	cJSON_Delete(node);
	free(copy);
}

static void test_strings_match_cjson(void **state)
{
	const char *cases[] = {
	    "",
	    "plain",
	    "\"quoted\"",
	    "back\\slash",
	    "tab\tnew\nline\rret\bbs\fff",
	    "\x01\x02\x1f end",
	    "시간의 서랍 — 한국어",
	    "</script><script>alert(1)</script>",
	    "exactly8",
	    "sixteen-bytes-ok",
	    "a\"b\\c\"d\\e\"f\\g\"h",
	    "\x7f del is not escaped",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_as_cjson(cases[i], strlen(cases[i]));
}

static void test_random_bytes_match_cjson(void **state)
{
	char s[257];

	(void)state;
	srand(7);
	for (int round = 0; round < 2000; round++) {
		size_t len = (size_t)(rand() % 256);

		for (size_t i = 0; i < len; i++) {
			int r = rand() % 10;

			/* ASCII, escapes, control bytes and UTF-8 of Hangul, in every alignment */
			s[i] = r < 5   ? (char)(' ' + rand() % 95)
			       : r < 7 ? "\"\\\n\t"[rand() % 4]
			       : r < 8 ? (char)(1 + rand() % 31)
				       : "\xea\xb0\x80"[rand() % 3];
		}
		same_as_cjson(s, len);
	}
}

static void test_buffer_grows_and_formats(void **state)
{
	strbuf b = {0};

	(void)state;
	for (int i = 0; i < 1000; i++)
		strbuf_fmt(&b, "%d,", i);
	assert_int_equal(strncmp(b.s, "0,1,2,", 6), 0);
	assert_int_equal(b.len, strlen(b.s));
	http_json_field_str(&b, "k", "v\"");
	assert_non_null(strstr(b.s, "\"k\":\"v\\\"\""));
	assert_false(b.oom);
	strbuf_dispose(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strings_match_cjson),
	    cmocka_unit_test(test_random_bytes_match_cjson),
	    cmocka_unit_test(test_buffer_grows_and_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
