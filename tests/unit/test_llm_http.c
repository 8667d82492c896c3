/* The OpenAI-compatible client against the in-process fake server. */
#include <setjmp.h>
#include <signal.h>
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

#include "adapters/llm_http/llm_http.h"
#include "support/fake_openai.h"

#define KEY "sk-test-Secr3tKey-0123456789abcdef"

#define BLURB                                                                                      \
	"{\"summary\":\"A courier walks the night library.\",\"tagline\":\"Every book a door.\","  \
	"\"price\":4500,\"priceReason\":\"A long novel.\",\"coverPrompt\":\"a lantern in "         \
	"stacks\"}"

typedef struct fixture {
	fake_openai *fake;
	llm_http_config cfg;
} fixture;

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const aigen_text_request *request(void)
{
	static const char content[] = "It was night. The library walked.";
	static aigen_text_request req = {
	    .title = "Night Library",
	    .pen_name = "Min",
	    .content = content,
	    .content_len = sizeof(content) - 1,
	    .system_prompt = "You write blurbs. Answer JSON only.",
	    .user_prompt = "Title: Night Library\nExcerpt: It was night.",
	    .price_min = 1000,
	    .price_max = 10000,
	};

	return &req;
}

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));
	app_err err = {0};

	if (!fx)
		return -1;
	if (fake_openai_start(&fx->fake, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		free(fx);
		return -1;
	}
	llm_http_config_defaults(&fx->cfg);
	fx->cfg.base_url = fake_openai_base_url(fx->fake);
	fx->cfg.api_key = KEY;
	fx->cfg.model = "gpt-test";
	fx->cfg.image_model = "dall-e-3";
	fx->cfg.connect_timeout_ms = 1000;
	fx->cfg.total_timeout_ms = 5000;
	fx->cfg.max_retries = 2;
	fx->cfg.backoff_ms = 10;
	fx->cfg.retry_after_cap_ms = 50;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;

	fake_openai_stop(fx->fake);
	free(fx);
	return 0;
}

/* Runs one text generation with fx->cfg; the draft is disposed unless out is given. */
static int run_text(fixture *fx, aigen_draft *out, app_err *err)
{
	text_generator g;
	aigen_draft d = {0};
	int rc;

	assert_int_equal(llm_http_text_new(&g, &fx->cfg, err), 0);
	app_err_clear(err);
	rc = text_generator_generate(out ? out : &d, &g, request(), err);
	g.vtbl->destroy(g.self);
	aigen_draft_dispose(&d);
	/* the key is never part of an error */
	assert_null(strstr(err->msg, KEY));
	assert_null(strstr(err->msg, "Secr3t"));
	return rc;
}

static int run_image(fixture *fx, aigen_image *out, const char *cover_prompt, app_err *err)
{
	image_generator g;
	aigen_image_request req = {
	    .title = "Night Library", .pen_name = "Min", .cover_prompt = cover_prompt};
	int rc;

	assert_int_equal(llm_http_image_new(&g, &fx->cfg, err), 0);
	app_err_clear(err);
	rc = image_generator_generate(out, &g, &req, err);
	g.vtbl->destroy(g.self);
	assert_null(strstr(err->msg, KEY));
	return rc;
}

static void assert_msg_has(const app_err *err, const char *needle)
{
	if (!strstr(err->msg, needle))
		fail_msg("\"%s\" not in \"%s\"", needle, err->msg);
}

static long long extra(const app_err *err, const char *name)
{
	int i;

	for (i = 0; i < err->nextra; i++)
		if (strcmp(err->extra_name[i], name) == 0)
			return err->extra[i];
	return -1;
}

static char *image_answer(const char *field, const char *value)
{
	cJSON *root = cJSON_CreateObject(), *data, *item;
	char *s;

	assert_non_null(root);
	assert_non_null(cJSON_AddNumberToObject(root, "created", 0));
	data = cJSON_AddArrayToObject(root, "data");
	item = cJSON_CreateObject();
	assert_true(cJSON_AddItemToArray(data, item));
	assert_non_null(cJSON_AddStringToObject(item, field, value));
	s = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	assert_non_null(s);
	return s;
}

static void push_image(fixture *fx, const char *field, const char *value)
{
	char *s = image_answer(field, value);

	assert_int_equal(fake_openai_push_json(fx->fake, 200, s), 0);
	cJSON_free(s);
}

/* --- text ------------------------------------------------------------------------- */

static void test_text_success_and_request_shape(void **state)
{
	fixture *fx = *state;
	aigen_draft d = {0};
	app_err err;
	char *body, *auth, *path;
	cJSON *root, *msgs, *rf, *js, *schema, *req;
	text_generator g;

	assert_int_equal(fake_openai_push_chat(fx->fake, BLURB), 0);
	assert_int_equal(run_text(fx, &d, &err), 0);
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
	    request()->system_prompt);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 1), "role")->valuestring,
			    "user");
	assert_string_equal(
	    cJSON_GetObjectItem(cJSON_GetArrayItem(msgs, 1), "content")->valuestring,
	    request()->user_prompt);
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
	assert_int_equal(run_text(fx, NULL, &err), 0);
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
	assert_int_equal(run_text(fx, NULL, &err), 0);
	path = fake_openai_last_path(fx->fake);
	assert_string_equal(path, "/v1/chat/completions");
	free(path);
}

static void test_text_429_then_success(void **state)
{
	fixture *fx = *state;
	fake_openai_response r = {
	    429, NULL, "Retry-After: 1\r\n", "{\"error\":{\"message\":\"Rate limit reached\"}}",
	    0,	 0};
	app_err err;
	int64_t t0;

	assert_int_equal(fake_openai_push(fx->fake, &r), 0);
	assert_int_equal(fake_openai_push_chat(fx->fake, BLURB), 0);
	t0 = now_ms();
	assert_int_equal(run_text(fx, NULL, &err), 0);
	assert_int_equal(fake_openai_requests(fx->fake), 2);
	/* Retry-After: 1 s was capped to 50 ms */
	assert_true(now_ms() - t0 < 900);
}

static void test_text_500_until_attempts_run_out(void **state)
{
	fixture *fx = *state;
	fake_openai_response r = {500, NULL, NULL, "{\"error\":{\"message\":\"engine exploded\"}}",
				  0,   0};
	app_err err;

	assert_int_equal(fake_openai_set_default(fx->fake, &r), 0);
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_int_equal(err.code, APP_EUPSTREAM);
	assert_int_equal(fake_openai_requests(fx->fake), 3);
	assert_msg_has(&err, "HTTP 500");
	assert_msg_has(&err, "3 attempts");
	assert_msg_has(&err, "engine exploded");
	assert_int_equal(extra(&err, "status"), 500);
	assert_int_equal(extra(&err, "attempts"), 3);
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
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_int_equal(fake_openai_requests(fx->fake), 1);
	assert_msg_has(&err, "HTTP 400");
	assert_msg_has(&err, "Invalid schema");
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
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_int_equal(fake_openai_requests(fx->fake), 1);
	assert_msg_has(&err, "HTTP 401");
	assert_msg_has(&err, "Incorrect API key provided: ***");
}

static void test_text_timeout(void **state)
{
	fixture *fx = *state;
	fake_openai_response r = {200, NULL, NULL, "{}", 0, 2000};
	app_err err;
	int64_t t0;

	fx->cfg.total_timeout_ms = 300;
	assert_int_equal(fake_openai_push(fx->fake, &r), 0);
	t0 = now_ms();
	assert_int_equal(run_text(fx, NULL, &err), APP_ETIMEOUT);
	assert_int_equal(err.code, APP_ETIMEOUT);
	assert_true(now_ms() - t0 < 1500);
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
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_int_equal(extra(&err, "attempts"), 3);
}

static void test_text_malformed_body(void **state)
{
	fixture *fx = *state;
	app_err err;

	assert_int_equal(fake_openai_push_json(fx->fake, 200, "{\"choices\":[{\"message\":"), 0);
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_msg_has(&err, "not an OpenAI chat completion");

	assert_int_equal(fake_openai_push_json(fx->fake, 200, "{\"result\":\"fine\"}"), 0);
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);

	assert_int_equal(fake_openai_push_json(fx->fake, 200, "<html>Bad gateway</html>"), 0);
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
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
		assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
		assert_msg_has(&err, "did not answer the asked JSON");
	}
}

static void test_text_content_with_surrounding_whitespace(void **state)
{
	fixture *fx = *state;
	aigen_draft d = {0};
	app_err err;

	assert_int_equal(fake_openai_push_chat(fx->fake, "\n  " BLURB "\n"), 0);
	assert_int_equal(run_text(fx, &d, &err), 0);
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
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_msg_has(&err, "refused");
	assert_msg_has(&err, "I cannot help");
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
	assert_int_equal(run_text(fx, &d, &err), 0);
	assert_null(d.summary);
	assert_string_equal(d.tagline, "Only this.");
	assert_int_equal(d.has_price, 0);
	assert_null(d.price_reason);
	assert_null(d.cover_prompt);
	aigen_draft_dispose(&d);

	assert_int_equal(fake_openai_push_chat(fx->fake, "{\"price\":4500.5}"), 0);
	assert_int_equal(run_text(fx, &d, &err), 0);
	assert_int_equal(d.has_price, 0);
	aigen_draft_dispose(&d);

	assert_int_equal(fake_openai_push_chat(fx->fake, "{\"price\":1e300}"), 0);
	assert_int_equal(run_text(fx, &d, &err), 0);
	assert_int_equal(d.has_price, 0);
	aigen_draft_dispose(&d);

	assert_int_equal(fake_openai_push_chat(fx->fake, "{}"), 0);
	assert_int_equal(run_text(fx, &d, &err), 0);
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
	assert_int_equal(run_text(fx, &d, &err), 0);
	assert_int_equal(d.has_price, 1);
	assert_true(d.price == INT64_C(987654321000));
	aigen_draft_dispose(&d);

	assert_int_equal(fake_openai_push_chat(fx->fake, "{\"price\":-5}"), 0);
	assert_int_equal(run_text(fx, &d, &err), 0);
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
	assert_int_equal(run_text(fx, NULL, &err), APP_EUPSTREAM);
	assert_msg_has(&err, "too large");
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

		if (text_generator_generate(&d, w->g, request(), &err) == 0 && d.has_price &&
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

static void test_image_b64(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	size_t len;
	const unsigned char *png = fake_openai_png(&len);
	char *body, *path, *auth;
	cJSON *root;
	image_generator g;

	push_image(fx, "b64_json", fake_openai_png_b64());
	assert_int_equal(run_image(fx, &img, "a lantern in stacks", &err), 0);
	assert_string_equal(img.mime, "image/png");
	assert_int_equal(img.len, len);
	assert_memory_equal(img.data, png, len);
	aigen_image_dispose(&img);

	path = fake_openai_last_path(fx->fake);
	auth = fake_openai_last_authorization(fx->fake);
	body = fake_openai_last_body(fx->fake);
	assert_string_equal(path, "/v1/images/generations");
	assert_string_equal(auth, "Bearer " KEY);
	root = cJSON_Parse(body);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "model")->valuestring, "dall-e-3");
	assert_string_equal(cJSON_GetObjectItem(root, "prompt")->valuestring,
			    "a lantern in stacks");
	assert_string_equal(cJSON_GetObjectItem(root, "size")->valuestring, "1024x1536");
	assert_int_equal(cJSON_GetObjectItem(root, "n")->valueint, 1);
	assert_string_equal(cJSON_GetObjectItem(root, "response_format")->valuestring, "b64_json");
	cJSON_Delete(root);
	free(body);
	free(path);
	free(auth);

	assert_int_equal(llm_http_image_new(&g, &fx->cfg, &err), 0);
	assert_string_equal(image_generator_name(&g), "dall-e-3");
	g.vtbl->destroy(g.self);
}

static void test_image_gpt_image_model_without_response_format(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	char *body;
	cJSON *root;

	fx->cfg.image_model = "gpt-image-1";
	push_image(fx, "b64_json", fake_openai_png_b64());
	assert_int_equal(run_image(fx, &img, NULL, &err), 0);
	aigen_image_dispose(&img);
	body = fake_openai_last_body(fx->fake);
	root = cJSON_Parse(body);
	assert_non_null(root);
	assert_null(cJSON_GetObjectItem(root, "response_format"));
	/* no cover prompt: one is made from the title */
	assert_non_null(strstr(cJSON_GetObjectItem(root, "prompt")->valuestring, "Night Library"));
	cJSON_Delete(root);
	free(body);
}

static void test_image_url_is_downloaded(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	char url[128];
	size_t len;
	const unsigned char *png = fake_openai_png(&len);
	char *path, *auth;

	fake_openai_url(url, sizeof(url), fx->fake, "/img/cover.png");
	push_image(fx, "url", url);
	assert_int_equal(run_image(fx, &img, "c", &err), 0);
	assert_string_equal(img.mime, "image/png");
	assert_int_equal(img.len, len);
	assert_memory_equal(img.data, png, len);
	aigen_image_dispose(&img);
	assert_int_equal(fake_openai_requests(fx->fake), 2);
	path = fake_openai_last_path(fx->fake);
	auth = fake_openai_last_authorization(fx->fake);
	assert_string_equal(path, "/img/cover.png");
	/* the key stays with the API: the image host never sees it */
	assert_null(auth);
	free(path);
}

static void test_image_jpeg_and_rejected_formats(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;

	/* FF D8 FF E0 'J' 'F' */
	push_image(fx, "b64_json", "/9j/4EpG");
	assert_int_equal(run_image(fx, &img, "c", &err), 0);
	assert_string_equal(img.mime, "image/jpeg");
	assert_int_equal(img.len, 6);
	aigen_image_dispose(&img);

	push_image(fx, "b64_json", "R0lGODlhAQABAAAAACw="); /* GIF89a... */
	assert_int_equal(run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	assert_msg_has(&err, "neither PNG nor JPEG");
	assert_null(img.data);

	push_image(fx, "b64_json", "UklGRgAAAABXRUJQVlA4"); /* RIFF....WEBPVP8 */
	assert_int_equal(run_image(fx, &img, "c", &err), APP_EUPSTREAM);

	push_image(fx, "b64_json", "iVBORw0K!!!!");
	assert_int_equal(run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	assert_msg_has(&err, "not valid base64");

	push_image(fx, "b64_json", "iVBORw0KGgo=A");
	assert_int_equal(run_image(fx, &img, "c", &err), APP_EUPSTREAM);

	assert_int_equal(fake_openai_push_json(fx->fake, 200, "{\"data\":[]}"), 0);
	assert_int_equal(run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	assert_msg_has(&err, "no data[0]");
}

static void test_image_too_large(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	char url[128];

	/* the 69-byte PNG is over a 32-byte limit, as base64 and as a download */
	fx->cfg.max_image_bytes = 32;
	push_image(fx, "b64_json", fake_openai_png_b64());
	assert_int_equal(run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	assert_msg_has(&err, "too large");

	fake_openai_url(url, sizeof(url), fx->fake, "/img/cover.png");
	push_image(fx, "url", url);
	assert_int_equal(run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	assert_msg_has(&err, "too large");
	assert_null(img.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_text_success_and_request_shape, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_no_key_no_authorization, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_base_url_trailing_slash, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_429_then_success, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_500_until_attempts_run_out, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_400_is_not_retried, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_key_never_in_error, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_timeout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_transport_error_retried, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_malformed_body, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_content_not_the_asked_json, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_content_with_surrounding_whitespace, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_text_refusal, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_missing_fields_and_wrong_types, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_text_price_out_of_bounds_passes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_oversized_answer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_concurrent_calls, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_text_config_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_image_b64, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_image_gpt_image_model_without_response_format,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_image_url_is_downloaded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_image_jpeg_and_rejected_formats, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_image_too_large, setup, teardown),
	};
	app_err err = {0};
	int rc;

	/* an aborted transfer must not kill the fake server's writer */
	signal(SIGPIPE, SIG_IGN);
	/* the fake is local: a proxy from the environment must not get in between */
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	setenv("NO_PROXY", "127.0.0.1,localhost", 1);
	if (llm_http_global_init(&err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	llm_http_global_cleanup();
	return rc;
}
