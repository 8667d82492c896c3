/* The OpenAI-compatible text generator against the in-process fake server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <pthread.h>

#include <cjson/cJSON.h>

#include "support/llm_fixture.h"

static void test_text_success_and_request_shape(void **state)
{
	fixture *fx = *state;
	aigen_draft d = {0};
	app_err err;
	char *body, *auth, *path;
	cJSON *root, *msgs, *rf, *js, *schema, *req;
	text_generator g;

	assert_int_equal(fake_openai_push_chat(fx->fake, BLURB), 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_string_equal(d.summary, "A courier walks the night library.");
	assert_string_equal(d.tagline, "Every book a door.");
	assert_int_equal(d.has_price, 1);
	assert_int_equal(d.price, 4500);
	assert_string_equal(d.price_reason, "A long novel.");
	assert_string_equal(d.cover_prompt, "a lantern in stacks");
	aigen_draft_dispose(&d);
	assert_int_equal(fake_openai_requests(fx->fake), 1);

	path = fake_openai_last_path(fx->fake);
	auth = fake_openai_last_authorization(fx->fake);
	body = fake_openai_last_body(fx->fake);
	assert_string_equal(path, "/v1/chat/completions");
	assert_string_equal(auth, "Bearer " KEY);
	root = cJSON_Parse(body);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "model")->valuestring, "gpt-test");
	msgs = cJSON_GetObjectItem(root, "messages");
	assert_int_equal(cJSON_GetArraySize(msgs), 2);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 0), "role")->valuestring,
			    "system");
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 0), "content")->valuestring,
	    llm_request()->system_prompt);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 1), "role")->valuestring,
			    "user");
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 1), "content")->valuestring,
	    llm_request()->user_prompt);
	rf = cJSON_GetObjectItem(root, "response_format");
	assert_string_equal(cJSON_GetObjectItem(rf, "type")->valuestring, "json_schema");
	js = cJSON_GetObjectItem(rf, "json_schema");
	assert_string_equal(cJSON_GetObjectItem(js, "name")->valuestring, "book_blurb");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(js, "strict")));
	schema = cJSON_GetObjectItem(js, "schema");
	assert_string_equal(cJSON_GetObjectItem(schema, "type")->valuestring, "object");
	assert_true(cJSON_IsFalse(cJSON_GetObjectItem(schema, "additionalProperties")));
	req = cJSON_GetObjectItem(schema, "required");
	assert_int_equal(cJSON_GetArraySize(req), 5);
	assert_string_equal(
	    cJSON_GetObjectItem(
		cJSON_GetObjectItem(cJSON_GetObjectItem(schema, "properties"), "price"), "type")
		->valuestring,
	    "integer");
	cJSON_Delete(root);
	free(body);
	free(auth);
	free(path);

	assert_int_equal(llm_http_text_new(&g, &fx->cfg, &err), 0);
	assert_string_equal(text_generator_name(&g), "gpt-test");
	g.vtbl->destroy(g.self);
}

static void test_text_no_key_no_authorization(void **state)
{
	fixture *fx = *state;
	app_err err;
	char *auth;

	fx->cfg.api_key = "";
	assert_int_equal(fake_openai_push_chat(fx->fake, BLURB), 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), 0);
	auth = fake_openai_last_authorization(fx->fake);
	assert_null(auth);
}

static void test_text_base_url_trailing_slash(void **state)
{
	fixture *fx = *state;
	app_err err;
	char url[128];
	char *path;

	snprintf(url, sizeof(url), "%s/", fake_openai_base_url(fx->fake));
	fx->cfg.base_url = url;
	assert_int_equal(fake_openai_push_chat(fx->fake, BLURB), 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), 0);
	path = fake_openai_last_path(fx->fake);
	assert_string_equal(path, "/v1/chat/completions");
	free(path);
}

static void test_text_429_then_success(void **state)
{
	fixture *fx = *state;
	fake_openai_response r = {
	    429, NULL, "retry-after-ms: 40\r\n", "{\"error\":{\"message\":\"Rate limit reached\"}}",
	    0,	 0};
	app_err err;
	int64_t t0;

	assert_int_equal(fake_openai_push(fx->fake, &r), 0);
	assert_int_equal(fake_openai_push_chat(fx->fake, BLURB), 0);
	t0 = llm_now_ms();
	assert_int_equal(llm_run_text(fx, NULL, &err), 0);
	assert_int_equal(fake_openai_requests(fx->fake), 2);
	/* a pause within retry_after_cap_ms is waited here, all of it */
	assert_true(llm_now_ms() - t0 >= 40);
}

/* A longer pause is not slept through in a worker: the caller gets it with the error. */
static void test_text_long_retry_after_goes_to_the_caller(void **state)
{
	fixture *fx = *state;
	fake_openai_response r = {
	    429, NULL, "Retry-After: 2\r\n", "{\"error\":{\"message\":\"Rate limit reached\"}}",
	    0,	 0};
	app_err err;
	int64_t t0;

	assert_int_equal(fake_openai_set_default(fx->fake, &r), 0);
	t0 = llm_now_ms();
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_true(llm_now_ms() - t0 < 1000);
	assert_int_equal(fake_openai_requests(fx->fake), 1);
	assert_int_equal(llm_extra(&err, "retryAfterMs"), 2000);
	assert_int_equal(llm_extra(&err, "status"), 429);
}

/* Retry-After as an HTTP date, and on the last attempt a short one still reaches the caller. */
static void test_text_retry_after_http_date(void **state)
{
	fixture *fx = *state;
	char hdr[96], date[64];
	time_t at = time(NULL) + 5;
	struct tm tm;
	fake_openai_response r = {503, NULL, hdr, "{\"error\":{\"message\":\"overloaded\"}}", 0, 0};
	app_err err;
	long long ms;

	gmtime_r(&at, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
	snprintf(hdr, sizeof(hdr), "Retry-After: %s\r\n", date);
	assert_int_equal(fake_openai_set_default(fx->fake, &r), 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	ms = llm_extra(&err, "retryAfterMs");
	assert_true(ms >= 3000 && ms <= 5000);

	r.headers = "retry-after-ms: 5\r\n";
	assert_int_equal(fake_openai_set_default(fx->fake, &r), 0);
	fx->cfg.max_retries = 1;
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_int_equal(llm_extra(&err, "retryAfterMs"), 5);
	assert_int_equal(llm_extra(&err, "attempts"), 2);
}

/* Authentication failures and other permanent refusals are asked once, with their own codes. */
static void test_text_permanent_refusals_are_not_retried(void **state)
{
	fixture *fx = *state;
	static const struct {
		int status, code, requests;
	} cases[] = {{401, APP_EUNAUTH, 1},   {403, APP_EFORBIDDEN, 1}, {404, APP_EINVALID, 1},
		     {422, APP_EINVALID, 1},  {408, APP_EUPSTREAM, 3},	{409, APP_EUPSTREAM, 3},
		     {502, APP_EUPSTREAM, 3}, {429, APP_EUPSTREAM, 3}};
	int before = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fake_openai_response r = {
		    cases[i].status, NULL, NULL, "{\"error\":{\"message\":\"no\"}}", 0, 0};
		app_err err;

		assert_int_equal(fake_openai_set_default(fx->fake, &r), 0);
		assert_int_equal(llm_run_text(fx, NULL, &err), cases[i].code);
		assert_int_equal(err.code, cases[i].code);
		assert_int_equal(fake_openai_requests(fx->fake) - before, cases[i].requests);
		assert_int_equal(llm_extra(&err, "status"), cases[i].status);
		before = fake_openai_requests(fx->fake);
	}
}

static void test_text_500_until_attempts_run_out(void **state)
{
	fixture *fx = *state;
	fake_openai_response r = {500, NULL, NULL, "{\"error\":{\"message\":\"engine exploded\"}}",
				  0,   0};
	app_err err;

	assert_int_equal(fake_openai_set_default(fx->fake, &r), 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_int_equal(err.code, APP_EUPSTREAM);
	assert_int_equal(fake_openai_requests(fx->fake), 3);
	llm_assert_msg_has(&err, "HTTP 500");
	llm_assert_msg_has(&err, "3 attempts");
	llm_assert_msg_has(&err, "engine exploded");
	assert_int_equal(llm_extra(&err, "status"), 500);
	assert_int_equal(llm_extra(&err, "attempts"), 3);
}

static void test_text_400_is_not_retried(void **state)
{
	fixture *fx = *state;
	app_err err;

	assert_int_equal(
	    fake_openai_push_json(fx->fake, 400,
				  "{\"error\":{\"message\":\"Invalid schema for "
				  "response_format\",\"type\":\"invalid_request_error\"}}"),
	    0);
	assert_int_equal(fake_openai_push_chat(fx->fake, BLURB), 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EINVALID);
	assert_int_equal(fake_openai_requests(fx->fake), 1);
	llm_assert_msg_has(&err, "HTTP 400");
	llm_assert_msg_has(&err, "Invalid schema");
}

static void test_text_key_never_in_error(void **state)
{
	fixture *fx = *state;
	app_err err;

	/* some providers echo the key they were given */
	assert_int_equal(fake_openai_push_json(fx->fake, 401,
					       "{\"error\":{\"message\":\"Incorrect API key "
					       "provided: " KEY ". Check it.\"}}"),
			 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUNAUTH);
	assert_int_equal(fake_openai_requests(fx->fake), 1);
	llm_assert_msg_has(&err, "HTTP 401");
	llm_assert_msg_has(&err, "Incorrect API key provided: ***");
}

static void test_text_timeout(void **state)
{
	fixture *fx = *state;
	fake_openai_response r = {200, NULL, NULL, "{}", 0, 2000};
	app_err err;
	int64_t t0;

	fx->cfg.total_timeout_ms = 300;
	assert_int_equal(fake_openai_push(fx->fake, &r), 0);
	t0 = llm_now_ms();
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_ETIMEOUT);
	assert_int_equal(err.code, APP_ETIMEOUT);
	assert_true(llm_now_ms() - t0 < 1500);
	assert_int_equal(fake_openai_requests(fx->fake), 1);
}

static void test_text_transport_error_retried(void **state)
{
	fixture *fx = *state;
	app_err err;
	char url[64];

	/* a port nobody listens on: stop the fake and reuse its port */
	snprintf(url, sizeof(url), "%s", fake_openai_base_url(fx->fake));
	fake_openai_stop(fx->fake);
	fx->fake = NULL;
	fx->cfg.base_url = url;
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_int_equal(llm_extra(&err, "attempts"), 3);
}

static void test_text_malformed_body(void **state)
{
	fixture *fx = *state;
	app_err err;

	assert_int_equal(fake_openai_push_json(fx->fake, 200, "{\"choices\":[{\"message\":"), 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "not an OpenAI chat completion");

	assert_int_equal(fake_openai_push_json(fx->fake, 200, "{\"result\":\"fine\"}"), 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);

	assert_int_equal(fake_openai_push_json(fx->fake, 200, "<html>Bad gateway</html>"), 0);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_int_equal(fake_openai_requests(fx->fake), 3);
}

static void test_text_content_not_the_asked_json(void **state)
{
	fixture *fx = *state;
	const char *bad[] = {
	    "Sure! Here is a blurb: a courier walks the night library.",
	    "```json\n" BLURB "\n```",
	    BLURB " and more",
	    "[1, 2, 3]",
	    "\"just a string\"",
	    "",
	};
	app_err err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(fake_openai_push_chat(fx->fake, bad[i]), 0);
		assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
		llm_assert_msg_has(&err, "did not answer the asked JSON");
	}
}

static void test_text_content_with_surrounding_whitespace(void **state)
{
	fixture *fx = *state;
	aigen_draft d = {0};
	app_err err;

	assert_int_equal(fake_openai_push_chat(fx->fake, "\n  " BLURB "\n"), 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_int_equal(d.price, 4500);
	aigen_draft_dispose(&d);
}

static void test_text_refusal(void **state)
{
	fixture *fx = *state;
	app_err err;

	assert_int_equal(
	    fake_openai_push_json(fx->fake, 200,
				  "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
				  "\"content\":null,\"refusal\":\"I cannot help with that.\"},"
				  "\"finish_reason\":\"stop\"}]}"),
	    0);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "refused");
	llm_assert_msg_has(&err, "I cannot help");
}

/* U+0000 would end a C string early: the answer is refused, never silently cut. */
static void test_text_nul_is_refused(void **state)
{
	fixture *fx = *state;
	aigen_draft d = {0};
	app_err err;

	/* the model's own JSON escapes it */
	assert_int_equal(fake_openai_push_chat(fx->fake,
					       "{\"summary\":\"A courier walks\\u0000 the night "
					       "library.\",\"tagline\":\"t\",\"price\":4500,"
					       "\"priceReason\":\"r\",\"coverPrompt\":\"c\"}"),
			 0);
	assert_int_equal(llm_run_text(fx, &d, &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "U+0000");
	assert_null(d.summary);

	/* or the completion carries it in the content string, after a complete object */
	assert_int_equal(
	    fake_openai_push_json(fx->fake, 200,
				  "{\"choices\":[{\"index\":0,\"message\":{\"role\":"
				  "\"assistant\",\"content\":\"{\\\"summary\\\":\\\"s\\\"}\\u0000"
				  "{\\\"price\\\":1}\"},\"finish_reason\":\"stop\"}]}"),
	    0);
	assert_int_equal(llm_run_text(fx, &d, &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "U+0000");
	assert_null(d.summary);

	/* an escaped backslash before u0000 is text, not U+0000 */
	assert_int_equal(fake_openai_push_chat(fx->fake, "{\"summary\":\"C:\\\\u0000\"}"), 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_string_equal(d.summary, "C:\\u0000");
	aigen_draft_dispose(&d);
}

static void test_text_missing_fields_and_wrong_types(void **state)
{
	fixture *fx = *state;
	aigen_draft d = {0};
	app_err err;

	assert_int_equal(fake_openai_push_chat(fx->fake,
					       "{\"summary\":42,\"tagline\":\"Only this.\","
					       "\"price\":\"4500\",\"coverPrompt\":null}"),
			 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_null(d.summary);
	assert_string_equal(d.tagline, "Only this.");
	assert_int_equal(d.has_price, 0);
	assert_null(d.price_reason);
	assert_null(d.cover_prompt);
	aigen_draft_dispose(&d);

	assert_int_equal(fake_openai_push_chat(fx->fake, "{\"price\":4500.5}"), 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_int_equal(d.has_price, 0);
	aigen_draft_dispose(&d);

	assert_int_equal(fake_openai_push_chat(fx->fake, "{\"price\":1e300}"), 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_int_equal(d.has_price, 0);
	aigen_draft_dispose(&d);

	assert_int_equal(fake_openai_push_chat(fx->fake, "{}"), 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_null(d.summary);
	assert_int_equal(d.has_price, 0);
	aigen_draft_dispose(&d);
}

static void test_text_price_out_of_bounds_passes(void **state)
{
	fixture *fx = *state;
	aigen_draft d = {0};
	app_err err;

	assert_int_equal(fake_openai_push_chat(fx->fake, "{\"summary\":\"s\",\"tagline\":\"t\","
							 "\"price\":987654321000,\"priceReason\":"
							 "\"r\",\"coverPrompt\":\"c\"}"),
			 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_int_equal(d.has_price, 1);
	assert_true(d.price == INT64_C(987654321000));
	aigen_draft_dispose(&d);

	assert_int_equal(fake_openai_push_chat(fx->fake, "{\"price\":-5}"), 0);
	assert_int_equal(llm_run_text(fx, &d, &err), 0);
	assert_int_equal(d.has_price, 1);
	assert_true(d.price == -5);
	aigen_draft_dispose(&d);
}

static void test_text_oversized_answer(void **state)
{
	fixture *fx = *state;
	size_t n = 100 * 1024;
	char *content = malloc(n + 32);
	app_err err;

	assert_non_null(content);
	strcpy(content, "{\"summary\":\"");
	memset(content + 12, 'x', n);
	strcpy(content + 12 + n, "\"}");
	fx->cfg.max_response_bytes = 16 * 1024;
	assert_int_equal(fake_openai_push_chat(fx->fake, content), 0);
	free(content);
	assert_int_equal(llm_run_text(fx, NULL, &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "too large");
	assert_int_equal(fake_openai_requests(fx->fake), 1);
}

typedef struct worker {
	text_generator *g;
	int ok;
} worker;

static void *worker_run(void *arg)
{
	worker *w = arg;
	int i;

	for (i = 0; i < 3; i++) {
		aigen_draft d = {0};
		app_err err = {0};

		if (text_generator_generate(&d, w->g, llm_request(), &err) == 0 && d.has_price &&
		    d.price == 4500)
			w->ok++;
		aigen_draft_dispose(&d);
	}
	return NULL;
}

static void test_text_concurrent_calls(void **state)
{
	fixture *fx = *state;
	fake_openai_response r = {0};
	char *chat = fake_openai_chat_json(BLURB);
	text_generator g;
	worker w[4];
	pthread_t t[4];
	app_err err;
	int i;

	assert_non_null(chat);
	r.body = chat;
	assert_int_equal(fake_openai_set_default(fx->fake, &r), 0);
	free(chat);
	assert_int_equal(llm_http_text_new(&g, &fx->cfg, &err), 0);
	for (i = 0; i < 4; i++) {
		w[i].g = &g;
		w[i].ok = 0;
		assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 4; i++)
		assert_int_equal(w[i].ok, 3);
	g.vtbl->destroy(g.self);
	assert_int_equal(fake_openai_requests(fx->fake), 12);
}

static void test_text_config_errors(void **state)
{
	fixture *fx = *state;
	text_generator g;
	image_generator ig;
	app_err err;

	fx->cfg.base_url = "ftp://example.org/v1";
	assert_int_equal(llm_http_text_new(&g, &fx->cfg, &err), APP_EINVALID);
	assert_string_equal(err.field, "base_url");
	fx->cfg.base_url = fake_openai_base_url(fx->fake);
	fx->cfg.model = "";
	assert_int_equal(llm_http_text_new(&g, &fx->cfg, &err), APP_EINVALID);
	assert_string_equal(err.field, "model");
	fx->cfg.image_model = NULL;
	assert_int_equal(llm_http_image_new(&ig, &fx->cfg, &err), APP_EINVALID);
	assert_string_equal(err.field, "image_model");
}

/* --- image ------------------------------------------------------------------------ */

static void test_parse_ollama_shape(void **state)
{
	static const char body[] =
	    "{\"id\":\"chatcmpl-417\",\"object\":\"chat.completion\",\"created\":1717000000,"
	    "\"model\":\"llama3.1:8b\",\"system_fingerprint\":\"fp_ollama\",\"choices\":[{"
	    "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"summary\\\":"
	    "\\\"밤의 도서관을 걷는 배달부의 이야기.\\\",\\\"tagline\\\":\\\"모든 책은 문이다\\\","
	    "\\\"price\\\":3000,\\\"priceReason\\\":\\\"중편\\\",\\\"coverPrompt\\\":"
	    "\\\"lantern\\\"}\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
	    "90,\"completion_tokens\":60,\"total_tokens\":150}}";
	aigen_draft d = {0};
	app_err err;

	(void)state;
	assert_int_equal(llm_http_chat_parse(&d, body, sizeof(body) - 1, "", &err), 0);
	assert_string_equal(d.tagline, "모든 책은 문이다");
	assert_int_equal(d.price, 3000);
	aigen_draft_dispose(&d);
	/* not NUL-terminated at len, and data after the object */
	assert_int_equal(llm_http_chat_parse(&d, body, sizeof(body) - 2, "", &err), APP_EUPSTREAM);
	assert_int_equal(llm_http_chat_parse(&d, "{\"choices\":[]} x", 17, "", &err),
			 APP_EUPSTREAM);
	assert_int_equal(llm_http_chat_parse(&d, NULL, 0, "", &err), APP_EUPSTREAM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_text_success_and_request_shape, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_no_key_no_authorization, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_base_url_trailing_slash, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_429_then_success, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_long_retry_after_goes_to_the_caller,
					    llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_retry_after_http_date, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_permanent_refusals_are_not_retried, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_500_until_attempts_run_out, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_400_is_not_retried, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_key_never_in_error, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_timeout, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_transport_error_retried, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_malformed_body, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_content_not_the_asked_json, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_content_with_surrounding_whitespace,
					    llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_refusal, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_nul_is_refused, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_missing_fields_and_wrong_types, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_price_out_of_bounds_passes, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_oversized_answer, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_concurrent_calls, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_text_config_errors, llm_setup, llm_teardown),
	    cmocka_unit_test(test_parse_ollama_shape),
	};

	return llm_fixture_run(tests, sizeof(tests) / sizeof(tests[0]));
}
