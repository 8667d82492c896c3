/* The HTTP adapter's strict readers: JSON bodies, the depth guard, query strings, headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http_internal.h"

/* rc of http_json_parse and, for 422, the field it names. */
static void expect_body(const char *text, int rc, const char *field)
{
	cJSON *o = NULL;
	app_err err;

	app_err_clear(&err);
	assert_int_equal(http_json_parse(&o, text, strlen(text), &err), rc);
	if (rc == 0) {
		assert_true(cJSON_IsObject(o));
		cJSON_Delete(o);
		return;
	}
	assert_null(o);
	assert_string_equal(err.word, rc == APP_EINVALID ? "validation_failed" : "invalid_json");
	if (field)
		assert_string_equal(err.field, field);
}

static char *nested(int levels)
{
	char *s = malloc((size_t)levels * 2 + 16);
	size_t n = 0;

	n += (size_t)sprintf(s, "{\"a\":");
	for (int i = 1; i < levels; i++)
		s[n++] = '[';
	for (int i = 1; i < levels; i++)
		s[n++] = ']';
	s[n++] = '}';
	s[n] = '\0';
	return s;
}

static void test_one_object_nothing_else(void **state)
{
	(void)state;
	expect_body("{}", 0, NULL);
	expect_body(" {\"a\":[1,-2.5e+3,true,false,null,\"\\u00e9\\ud83d\\ude00\"]} \r\n", 0, NULL);
	const char *bad[] = {"",
			     " ",
			     "[]",
			     "1",
			     "\"s\"",
			     "null",
			     "{",
			     "{}}",
			     "{} {}",
			     "{}x",
			     "{\"a\":1,}",
			     "{\"a\" 1}",
			     "{a:1}",
			     "{'a':1}",
			     "{\"a\":01}",
			     "{\"a\":1.}",
			     "{\"a\":.5}",
			     "{\"a\":-}",
			     "{\"a\":+1}",
			     "{\"a\":tru}",
			     "{\"a\":\"\\x\"}",
			     "{\"a\":\"\t\"}",
			     "{\"a\":\"\\ud800\"}",
			     "{\"a\":\"\\udc00\"}",
			     "{\"a\":[1 2]}"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_body(bad[i], APP_EMALFORMED, NULL);
}

static void test_depth(void **state)
{
	char *ok = nested(32), *deep = nested(33), *huge = nested(100000);
	http_json_depth d = {0};

	(void)state;
	expect_body(ok, 0, NULL);
	expect_body(deep, APP_EMALFORMED, NULL);
	expect_body(huge, APP_EMALFORMED, NULL);
	/* the guard while the body arrives: brackets inside strings do not count */
	assert_int_equal(http_json_depth_feed(&d, ok, strlen(ok)), 0);
	assert_int_equal(d.depth, 0);
	memset(&d, 0, sizeof(d));
	assert_int_equal(http_json_depth_feed(&d, "{\"[[[[\\\"[[[[\":", 14), 0);
	assert_int_equal(d.depth, 1);
	memset(&d, 0, sizeof(d));
	assert_int_equal(http_json_depth_feed(&d, huge, 40), -1);
	free(ok);
	free(deep);
	free(huge);
}

static void test_duplicates_and_bad_strings(void **state)
{
	(void)state;
	expect_body("{\"a\":1,\"a\":2}", APP_EMALFORMED, NULL);
	expect_body("{\"a\":1,\"\\u0061\":2}", APP_EMALFORMED, NULL);
	expect_body(
	    "{\"x\":{\"k\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"k\":9}}",
	    APP_EMALFORMED, NULL);
	expect_body("{\"a\":{\"k\":1},\"b\":{\"k\":1}}", 0, NULL);
	expect_body("{\"password\":\"pass\\u0000word\"}", APP_EINVALID, "password");
	expect_body("{\"a\":1,\"list\":[{\"x\":\"\\u0000\"}]}", APP_EINVALID, "list");
	expect_body("{\"name\":\"\xff\"}", APP_EINVALID, "name");
	expect_body("{\"name\":\"\xed\xa0\x80\"}", APP_EINVALID, "name"); /* a surrogate in UTF-8 */
	/* syntax comes first: a bad string in a body that is not JSON is a 400 */
	expect_body("{\"name\":\"\\u0000\"", APP_EMALFORMED, NULL);
}

static void test_field_mapping(void **state)
{
	static const http_field fields[] = {{"s", HTTP_FIELD_STR, 1},
					    {"i", HTTP_FIELD_INT, 0},
					    {"b", HTTP_FIELD_BOOL, 0},
					    {NULL, 0, 0}};
	http_value v[HTTP_FIELDS_MAX];
	cJSON *o;
	app_err err;

	(void)state;
	app_err_clear(&err);
	assert_int_equal(http_json_parse(&o, "{\"s\":\"x\",\"i\":42,\"b\":null}", 25, &err), 0);
	assert_int_equal(http_body_map(v, fields, o, &err), 0);
	assert_string_equal(v[0].s, "x");
	assert_int_equal(v[1].i, 42);
	assert_false(v[2].present);
	cJSON_Delete(o);
	assert_int_equal(http_json_parse(&o, "{\"s\":\"x\",\"i\":1.5}", 17, &err), 0);
	assert_int_equal(http_body_map(v, fields, o, &err), APP_EMALFORMED);
	assert_string_equal(err.field, "i");
	cJSON_Delete(o);
	assert_int_equal(http_json_parse(&o, "{\"i\":1}", 7, &err), 0);
	assert_int_equal(http_body_map(v, fields, o, &err), APP_EINVALID);
	assert_string_equal(err.field, "s");
	cJSON_Delete(o);
}

static void test_query(void **state)
{
	char buf[16];
	size_t limit;
	int64_t cursor;
	int64_t pa, pb;
	app_err err;

	(void)state;
	app_err_clear(&err);
	assert_int_equal(http_query_value(buf, sizeof(buf), "a=1&q=%EC%84%9C+x", "q", &err), 0);
	assert_string_equal(buf, "\xec\x84\x9c x");
	assert_int_equal(http_query_value(buf, sizeof(buf), "a=1", "q", &err), 1);
	assert_string_equal(buf, "");
	assert_int_equal(http_query_value(buf, sizeof(buf), NULL, "q", &err), 1);
	assert_int_equal(http_query_value(buf, sizeof(buf), "q=a%00b", "q", &err), APP_EINVALID);
	assert_int_equal(http_query_value(buf, sizeof(buf), "q=%ff", "q", &err), APP_EINVALID);
	assert_int_equal(http_query_value(buf, sizeof(buf), "q=1&q=2", "q", &err), APP_EINVALID);
	assert_int_equal(http_query_value(buf, 4, "q=12345", "q", &err), APP_EINVALID);
	assert_string_equal(err.field, "q");
	assert_int_equal(http_parse_limit(&limit, "", &err), 0);
	assert_int_equal(limit, 20);
	assert_int_equal(http_parse_limit(&limit, "limit=100", &err), 0);
	assert_int_equal(limit, 100);
	const char *bad_limits[] = {"limit=0",
				    "limit=101",
				    "limit=+5",
				    "limit=%205",
				    "limit=5x",
				    "limit=",
				    "limit=99999999999999999999"};
	for (size_t i = 0; i < sizeof(bad_limits) / sizeof(bad_limits[0]); i++)
		assert_int_equal(http_parse_limit(&limit, bad_limits[i], &err), APP_EINVALID);
	assert_int_equal(http_parse_cursor(&cursor, "cursor=9223372036854775807", "cursor", &err),
			 0);
	assert_int_equal(http_parse_cursor(&cursor, "cursor=9223372036854775808", "cursor", &err),
			 APP_EINVALID);
	assert_int_equal(http_parse_pair(&pa, &pb, "12.34"), 0);
	assert_int_equal(pa, 12);
	assert_int_equal(pb, 34);
	assert_int_equal(http_parse_pair(&pa, &pb, "0.5"), 0);
	assert_int_equal(http_parse_pair(&pa, &pb, "12"), -1);
	assert_int_equal(http_parse_pair(&pa, &pb, "1.0"), -1);
	assert_int_equal(http_parse_pair(&pa, &pb, "-3.1"), -1);
	assert_int_equal(http_parse_pair(&pa, &pb, "1.2x"), -1);
}

static void test_headers(void **state)
{
	char token[CRYPTO_TOKEN_MAX];

	(void)state;
	assert_false(http_cross_site(NULL, NULL, "h:1"));
	assert_false(http_cross_site("http://h:1", "same-origin", "h:1"));
	assert_false(http_cross_site("https://Library.Example", NULL, "library.example:443"));
	assert_false(http_cross_site("http://h", NULL, "h:80"));
	assert_true(http_cross_site("http://h:1", "cross-site", "h:1"));
	assert_true(http_cross_site("null", NULL, "h:1"));
	assert_true(http_cross_site("http://h:2", NULL, "h:1"));
	assert_true(http_cross_site("http://h:1.evil", NULL, "h:1"));
	assert_true(http_cross_site("http://h:1", NULL, NULL));
	assert_true(http_cross_site("https://h:80", NULL, "h"));
	assert_int_equal(http_bearer_token(token, sizeof(token), "Bearer  abc"), 0);
	assert_string_equal(token, "abc");
	assert_int_equal(http_bearer_token(token, sizeof(token), "bearer abc def"), -1);
	assert_int_equal(http_bearer_token(token, sizeof(token), "Basic abc"), -1);
	assert_int_equal(http_bearer_token(token, 4, "Bearer abcd"), -1);
	assert_true(http_content_type_json("application/json"));
	assert_true(http_content_type_json(" Application/JSON ; charset=utf-8"));
	assert_false(http_content_type_json("application/jsonp"));
	assert_false(http_content_type_json("text/plain"));
	assert_false(http_content_type_json(NULL));
	assert_true(http_request_id_valid("abc-1.2_3"));
	assert_false(http_request_id_valid(""));
	assert_false(http_request_id_valid("a b"));
}

static const char *client_of(const char *peer, const char *const *xff, size_t n,
			     const char *trusted)
{
	static char out[64];
	http_cidr set[HTTP_TRUSTED_MAX];
	http_addr p, c;
	size_t nset;
	app_err err;

	app_err_clear(&err);
	assert_int_equal(http_cidrs_parse(set, HTTP_TRUSTED_MAX, &nset, trusted, &err), 0);
	assert_int_equal(http_addr_parse(&p, peer, strlen(peer)), 0);
	http_client_addr(&c, &p, xff, n, set, nset);
	http_addr_format(out, sizeof(out), &c);
	return out;
}

static void test_client_address(void **state)
{
	const char *forged[] = {"127.0.0.3, 127.0.0.2"};
	const char *two[] = {"198.51.100.9", "10.0.0.5, 10.0.0.7"};
	const char *v6[] = {"[2001:db8::5]:443, ::1"};
	const char *junk[] = {"1.2.3.4, not-an-address, 10.0.0.9"};
	http_cidr set[HTTP_TRUSTED_MAX];
	http_addr a, key;
	size_t n;
	app_err err;

	(void)state;
	/* no trusted proxy: the header is ignored */
	assert_string_equal(client_of("127.0.0.2", forged, 1, ""), "127.0.0.2");
	/* through the trusted proxy: what it appended, not what the client wrote to its left */
	assert_string_equal(client_of("127.0.0.1", forged, 1, "127.0.0.1/32"), "127.0.0.2");
	/* a chain of trusted proxies, two header lines */
	assert_string_equal(client_of("10.0.0.1", two, 2, "10.0.0.0/8"), "198.51.100.9");
	assert_string_equal(client_of("::1", v6, 1, "::1"), "2001:db8::5");
	assert_string_equal(client_of("10.0.0.1", junk, 1, "10.0.0.0/8"), "10.0.0.9");
	assert_string_equal(client_of("127.0.0.1", NULL, 0, "127.0.0.0/8"), "127.0.0.1");
	app_err_clear(&err);
	assert_int_equal(http_cidrs_parse(set, HTTP_TRUSTED_MAX, &n, " 10.0.0.0/8 , ::1/128", &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(set[0].bits, 104);
	const char *bad[] = {"10.0.0.0/33", "10.0.0/8", "x", "::1/129", "1.2.3.4/", "1.2.3.4/-1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(http_cidrs_parse(set, HTTP_TRUSTED_MAX, &n, bad[i], &err),
				 APP_EINVALID);
	assert_int_equal(http_addr_parse(&a, "2001:db8:1:2:3:4:5:6", 20), 0);
	http_addr_client_key(&key, &a);
	assert_int_equal(key.b[15], 0);
	assert_int_equal(key.b[7], 2);
	assert_int_equal(http_addr_parse(&a, "127.9.9.9", 9), 0);
	assert_true(http_addr_is_loopback(&a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_one_object_nothing_else),
	    cmocka_unit_test(test_depth),
	    cmocka_unit_test(test_duplicates_and_bad_strings),
	    cmocka_unit_test(test_field_mapping),
	    cmocka_unit_test(test_query),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_client_address),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
