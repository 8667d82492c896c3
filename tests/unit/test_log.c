/* log: every line is one valid JSON object, whatever its values hold and however long. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <string.h>

#include "domain/common/log.h"
#include "domain/common/text.h"

/* The line parsed; the test fails when it is not one JSON object. */
static cJSON *parsed(log_line *l)
{
	const char *text = log_text(l);
	cJSON *o = cJSON_Parse(text);

	assert_non_null(o);
	assert_true(cJSON_IsObject(o));
	assert_true(strlen(text) + 1 < LOG_LINE_MAX);
	assert_true(text_utf8_valid(text, strlen(text)));
	return o;
}

static const char *str(cJSON *o, const char *key)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	assert_true(cJSON_IsString(v));
	return v->valuestring;
}

static void test_values_are_escaped(void **state)
{
	log_line l;
	cJSON *o;

	(void)state;
	log_begin(&l, "error", "mail \"pass\" failed");
	log_str(&l, "detail", "a\\b\nc\t\x01 \x7f 한글");
	log_strn(&l, "bytes", "ok\xff\xc0\x80x", 7);
	log_str(&l, "none", NULL);
	log_int(&l, "n", -42);
	log_bool(&l, "yes", 1);
	log_double(&l, "ms", 1.5);
	log_double(&l, "nan", NAN);
	o = parsed(&l);
	assert_string_equal(str(o, "level"), "error");
	assert_string_equal(str(o, "msg"), "mail \"pass\" failed");
	assert_string_equal(str(o, "detail"), "a\\b\nc\t\x01 \x7f 한글");
	assert_string_equal(str(o, "bytes"), "ok\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx");
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "none")));
	assert_int_equal(cJSON_GetObjectItemCaseSensitive(o, "n")->valuedouble, -42);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "yes")));
	assert_true(cJSON_GetObjectItemCaseSensitive(o, "ms")->valuedouble == 1.5);
	assert_true(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "nan")));
	cJSON_Delete(o);
}

static void test_a_long_value_is_cut_at_a_character(void **state)
{
	char big[3 * 1500 + 1];
	log_line l;
	cJSON *o;

	(void)state;
	for (size_t i = 0; i < 1500; i++)
		memcpy(big + 3 * i, "글", 3);
	big[sizeof(big) - 1] = '\0';
	log_begin(&l, "warn", "long");
	log_str(&l, "detail", big);
	log_int(&l, "after", 7); /* no room left: left out, the line still closes */
	o = parsed(&l);
	assert_true(strlen(str(o, "detail")) > LOG_LINE_MAX / 2);
	assert_int_equal(strlen(str(o, "detail")) % 3, 0);
	assert_null(cJSON_GetObjectItemCaseSensitive(o, "after"));
	cJSON_Delete(o);
}

static void test_escapes_near_the_end_never_split(void **state)
{
	char quotes[LOG_LINE_MAX];
	log_line l;
	cJSON *o;

	(void)state;
	/* every cut point falls on a two-byte escape or a six-byte one in turn */
	for (size_t pad = 0; pad < 8; pad++) {
		memset(quotes, 'x', pad);
		for (size_t i = pad; i < sizeof(quotes) - 1; i++)
			quotes[i] = i % 2 ? '"' : '\x02';
		quotes[sizeof(quotes) - 1] = '\0';
		log_begin(&l, "info", "q");
		log_str(&l, "a", quotes);
		log_str(&l, "b", quotes);
		o = parsed(&l);
		cJSON_Delete(o);
	}
}

static void test_log_error_names_the_detail(void **state)
{
	app_err err;

	(void)state;
	app_err_clear(&err);
	app_err_set(&err, APP_EIO, NULL, NULL, "disk \"full\"");
	log_error("view flush failed", &err); /* to stderr; must not crash */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_values_are_escaped),
	    cmocka_unit_test(test_a_long_value_is_cut_at_a_character),
	    cmocka_unit_test(test_escapes_near_the_end_never_split),
	    cmocka_unit_test(test_log_error_names_the_detail),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
