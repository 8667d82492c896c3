/*
 * The story model of the OpenAI-compatible adapter against the in-process
 * fake server: the request it sends (the strict cited_sentences schema, the
 * core's prompts as they are) and how it reads what comes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <cjson/cJSON.h>

#include "support/llm_fixture.h"

static const story_model_request REQ = {
    .system_prompt = "Cite an episode for every sentence.",
    .user_prompt = "Episode 1: 해진이 우체국에서 편지를 받는다.\n",
};

static int run(fixture *fx, story_model_reply *out, app_err *err)
{
	story_model m;
	int rc;

	assert_int_equal(llm_http_story_new(&m, &fx->cfg, err), 0);
	assert_string_equal(story_model_name(&m), "gpt-test");
	app_err_clear(err);
	rc = story_model_write(out, &m, &REQ, err);
	m.vtbl->destroy(m.self);
	assert_null(strstr(err->msg, KEY));
	return rc;
}

static void test_story_request_and_reply(void **state)
{
	fixture *fx = *state;
	story_model_reply r = {0};
	app_err err;
	cJSON *root, *msgs, *js, *props;
	char *body;

	assert_int_equal(
	    fake_openai_push_chat(fx->fake,
				  "{\"sentences\":[{\"text\":\"해진이 편지를 받았다.\","
				  "\"episode\":1},{\"text\":\"밤이 깊었다.\",\"episode\":2}]}"),
	    0);
	assert_int_equal(run(fx, &r, &err), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.s[0].text, "해진이 편지를 받았다.");
	assert_int_equal(r.s[0].episode, 1);
	assert_int_equal(r.s[1].episode, 2);
	story_model_reply_dispose(&r);

	body = fake_openai_last_body(fx->fake);
	root = cJSON_Parse(body);
	msgs = cJSON_GetObjectItem(root, "messages");
	assert_int_equal(cJSON_GetArraySize(msgs), 2);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 0), "content")->valuestring,
	    REQ.system_prompt);
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 1), "content")->valuestring,
	    REQ.user_prompt);
	js = cJSON_GetObjectItem(cJSON_GetObjectItem(root, "response_format"), "json_schema");
	assert_string_equal(cJSON_GetObjectItem(js, "name")->valuestring, "cited_sentences");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(js, "strict")));
	props = cJSON_GetObjectItem(cJSON_GetObjectItem(js, "schema"), "properties");
	assert_non_null(cJSON_GetObjectItem(props, "sentences"));
	cJSON_Delete(root);
	free(body);
}

static void test_story_fields_of_other_types_cite_nothing(void **state)
{
	fixture *fx = *state;
	story_model_reply r = {0};
	app_err err;

	assert_int_equal(
	    fake_openai_push_chat(fx->fake, "{\"sentences\":[{\"text\":5,\"episode\":1},"
					    "{\"text\":\"a\",\"episode\":2.5},{\"text\":\"b\"},"
					    "{\"text\":\"c\",\"episode\":\"3\"},{\"text\":\"d\","
					    "\"episode\":-4},{\"text\":\"e\",\"episode\":1e300}]}"),
	    0);
	assert_int_equal(run(fx, &r, &err), 0);
	assert_int_equal(r.n, 6);
	assert_null(r.s[0].text);
	assert_int_equal(r.s[0].episode, 1);
	for (size_t i = 1; i < 6; i++)
		assert_int_equal(r.s[i].episode, 0);
	story_model_reply_dispose(&r);
}

static void test_story_answers_that_are_not_sentences(void **state)
{
	fixture *fx = *state;
	static const char *const bad[] = {
	    "{\"sentences\":{\"text\":\"a\"}}",
	    "{\"answer\":\"no sentences\"}",
	    "{\"sentences\":[\"a bare string\"]}",
	    "Here is the recap.",
	};
	char many[2048] = "{\"sentences\":[";
	story_model_reply r = {0};
	app_err err;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(fake_openai_push_chat(fx->fake, bad[i]), 0);
		assert_int_equal(run(fx, &r, &err), APP_EUPSTREAM);
		assert_int_equal(r.n, 0);
		assert_null(r.s);
	}
	for (int i = 0; i <= LLM_HTTP_STORY_MAX; i++)
		strcat(many,
		       i ? ",{\"text\":\"a\",\"episode\":1}" : "{\"text\":\"a\",\"episode\":1}");
	strcat(many, "]}");
	assert_int_equal(fake_openai_push_chat(fx->fake, many), 0);
	assert_int_equal(run(fx, &r, &err), APP_EUPSTREAM);
	assert_null(r.s);
	assert_int_equal(fake_openai_push_json(fx->fake, 500, "{\"error\":{\"message\":\"down\"}}"),
			 0);
	assert_int_equal(fake_openai_push_json(fx->fake, 500, "{\"error\":{\"message\":\"down\"}}"),
			 0);
	assert_int_equal(fake_openai_push_json(fx->fake, 500, "{\"error\":{\"message\":\"down\"}}"),
			 0);
	assert_int_equal(run(fx, &r, &err), APP_EUPSTREAM);
}

static void test_story_slow_answer_times_out(void **state)
{
	fixture *fx = *state;
	story_model_reply r = {0};
	fake_openai_response slow = {.body = "{}", .delay_ms = 4000};
	app_err err;

	fx->cfg.total_timeout_ms = 300;
	fx->cfg.max_retries = 0;
	assert_int_equal(fake_openai_push(fx->fake, &slow), 0);
	assert_int_equal(run(fx, &r, &err), APP_ETIMEOUT);
	assert_int_equal(r.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_story_request_and_reply, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_story_fields_of_other_types_cite_nothing,
					    llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_story_answers_that_are_not_sentences, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_story_slow_answer_times_out, llm_setup,
					    llm_teardown),
	};

	return llm_fixture_run(tests, sizeof(tests) / sizeof(tests[0]));
}
