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

#include <cjson/cJSON.h>

#include "support/llm_fixture.h"

int64_t llm_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const aigen_text_request *llm_request(void)
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

int llm_setup(void **state)
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

int llm_teardown(void **state)
{
	fixture *fx = *state;

	fake_openai_stop(fx->fake);
	free(fx);
	return 0;
}

/* Runs one text generation with fx->cfg; the draft is disposed unless out is given. */
int llm_run_text(fixture *fx, aigen_draft *out, app_err *err)
{
	text_generator g;
	aigen_draft d = {0};
	int rc;

	assert_int_equal(llm_http_text_new(&g, &fx->cfg, err), 0);
	app_err_clear(err);
	rc = text_generator_generate(out ? out : &d, &g, llm_request(), err);
	g.vtbl->destroy(g.self);
	aigen_draft_dispose(&d);
	/* the key is never part of an error */
	assert_null(strstr(err->msg, KEY));
	assert_null(strstr(err->msg, "Secr3t"));
	return rc;
}

int llm_run_image(fixture *fx, aigen_image *out, const char *cover_prompt, app_err *err)
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

void llm_assert_msg_has(const app_err *err, const char *needle)
{
	if (!strstr(err->msg, needle))
		fail_msg("\"%s\" not in \"%s\"", needle, err->msg);
}

long long llm_extra(const app_err *err, const char *name)
{
	return app_err_extra_get(err, name, -1);
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

void llm_push_image(fixture *fx, const char *field, const char *value)
{
	char *s = image_answer(field, value);

	assert_int_equal(fake_openai_push_json(fx->fake, 200, s), 0);
	cJSON_free(s);
}

/* --- text ------------------------------------------------------------------------- */

int llm_fixture_run(const struct CMUnitTest *tests, size_t n)
{
	app_err err = {0};
	int rc;

	/* an aborted transfer must not kill the fake server's writer */
	signal(SIGPIPE, SIG_IGN);
	/* the fake is local: a proxy from the environment must not get in between */
	setenv("no_proxy", "127.0.0.1,127.0.0.2,localhost", 1);
	setenv("NO_PROXY", "127.0.0.1,127.0.0.2,localhost", 1);
	if (llm_http_global_init(&err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	rc = _cmocka_run_group_tests("llm_http", tests, n, NULL, NULL);
	llm_http_global_cleanup();
	return rc;
}
