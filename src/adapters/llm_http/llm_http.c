#include "adapters/llm_http/llm_http.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "adapters/llm_http/llm_http_internal.h"

#define LLM_HTTP_DEFAULT_SIZE	     "1024x1536"
#define LLM_HTTP_DEFAULT_CONNECT_MS  10000L
#define LLM_HTTP_DEFAULT_TOTAL_MS    120000L
#define LLM_HTTP_DEFAULT_TEXT_BYTES  ((size_t)256 * 1024)
#define LLM_HTTP_DEFAULT_IMAGE_BYTES ((size_t)8 * 1024 * 1024)
#define LLM_HTTP_DEFAULT_CAP_MS	     30000L
#define LLM_HTTP_DEFAULT_BACKOFF_MS  500L

static int llm_http_empty(const char *s)
{
	return !s || !*s;
}

static char *llm_http_url(const llm_http *h, const char *path)
{
	size_t n = strlen(h->base_url) + strlen(path) + 1;
	char *u = malloc(n);

	if (u)
		snprintf(u, n, "%s%s", h->base_url, path);
	return u;
}

/* --- construction ------------------------------------------------------------------ */

void llm_http_config_defaults(llm_http_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->image_size = LLM_HTTP_DEFAULT_SIZE;
	cfg->connect_timeout_ms = LLM_HTTP_DEFAULT_CONNECT_MS;
	cfg->total_timeout_ms = LLM_HTTP_DEFAULT_TOTAL_MS;
	cfg->max_retries = 2;
	cfg->max_response_bytes = LLM_HTTP_DEFAULT_TEXT_BYTES;
	cfg->max_image_bytes = LLM_HTTP_DEFAULT_IMAGE_BYTES;
	cfg->retry_after_cap_ms = LLM_HTTP_DEFAULT_CAP_MS;
	cfg->backoff_ms = LLM_HTTP_DEFAULT_BACKOFF_MS;
}

static void llm_http_free(llm_http *h)
{
	if (!h)
		return;
	free(h->base_url);
	if (h->api_key) {
		volatile char *v = h->api_key;

		while (*v)
			*v++ = 0;
		free(h->api_key);
	}
	free(h->model);
	free(h->image_model);
	free(h->image_size);
	free(h);
}

static int llm_http_make(llm_http **out, const llm_http_config *cfg, const char *model,
			 const char *field, app_err *err)
{
	llm_http *h;
	size_t n;

	*out = NULL;
	if (llm_http_empty(cfg->base_url) || (strncasecmp(cfg->base_url, "http://", 7) != 0 &&
					      strncasecmp(cfg->base_url, "https://", 8) != 0))
		return app_err_set(err, APP_EINVALID, NULL, "base_url",
				   "LLM base URL must start with http:// or https://");
	if (llm_http_empty(model))
		return app_err_set(err, APP_EINVALID, NULL, field, "no %s configured", field);

	h = calloc(1, sizeof(*h));
	if (!h)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	h->base_url = llm_http_strdup(cfg->base_url);
	h->api_key = llm_http_strdup(cfg->api_key ? cfg->api_key : "");
	h->model = llm_http_strdup(cfg->model ? cfg->model : "");
	h->image_model = llm_http_strdup(cfg->image_model ? cfg->image_model : "");
	h->image_size = llm_http_strdup(llm_http_empty(cfg->image_size) ? LLM_HTTP_DEFAULT_SIZE
									: cfg->image_size);
	if (!h->base_url || !h->api_key || !h->model || !h->image_model || !h->image_size) {
		llm_http_free(h);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	n = strlen(h->base_url);
	while (n > 0 && h->base_url[n - 1] == '/')
		h->base_url[--n] = '\0';

	h->connect_timeout_ms =
	    cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : LLM_HTTP_DEFAULT_CONNECT_MS;
	h->total_timeout_ms =
	    cfg->total_timeout_ms > 0 ? cfg->total_timeout_ms : LLM_HTTP_DEFAULT_TOTAL_MS;
	h->max_retries = cfg->max_retries > 0 ? cfg->max_retries : 0;
	h->max_response_bytes =
	    cfg->max_response_bytes ? cfg->max_response_bytes : LLM_HTTP_DEFAULT_TEXT_BYTES;
	h->max_image_bytes =
	    cfg->max_image_bytes ? cfg->max_image_bytes : LLM_HTTP_DEFAULT_IMAGE_BYTES;
	h->retry_after_cap_ms =
	    cfg->retry_after_cap_ms > 0 ? cfg->retry_after_cap_ms : LLM_HTTP_DEFAULT_CAP_MS;
	h->backoff_ms = cfg->backoff_ms > 0 ? cfg->backoff_ms : LLM_HTTP_DEFAULT_BACKOFF_MS;
	*out = h;
	return 0;
}

static void llm_http_destroy(void *self)
{
	llm_http_free(self);
}

/* --- text ------------------------------------------------------------------------- */

/* strict mode wants every property required and no others */
static const char llm_http_blurb_schema[] =
    "{\"type\":\"object\",\"properties\":{"
    "\"summary\":{\"type\":\"string\"},"
    "\"tagline\":{\"type\":\"string\"},"
    "\"price\":{\"type\":\"integer\"},"
    "\"priceReason\":{\"type\":\"string\"},"
    "\"coverPrompt\":{\"type\":\"string\"}},"
    "\"required\":[\"summary\",\"tagline\",\"price\",\"priceReason\",\"coverPrompt\"],"
    "\"additionalProperties\":false}";

static int llm_http_add_message(cJSON *messages, const char *role, const char *content)
{
	cJSON *m = cJSON_CreateObject();

	if (!m || !cJSON_AddItemToArray(messages, m)) {
		cJSON_Delete(m);
		return -1;
	}
	if (!cJSON_AddStringToObject(m, "role", role) ||
	    !cJSON_AddStringToObject(m, "content", content))
		return -1;
	return 0;
}

/* A chat completion asking for JSON under schema (strict), named name. */
static char *llm_http_chat_body(const llm_http *h, const char *system, const char *user,
				const char *name, const char *schema_json)
{
	cJSON *root = cJSON_CreateObject(), *messages, *rf, *js, *schema;
	char *s = NULL;

	if (!root || !cJSON_AddStringToObject(root, "model", h->model))
		goto out;
	messages = cJSON_AddArrayToObject(root, "messages");
	if (!messages)
		goto out;
	if (!llm_http_empty(system) && llm_http_add_message(messages, "system", system) != 0)
		goto out;
	if (llm_http_add_message(messages, "user", user) != 0)
		goto out;
	rf = cJSON_AddObjectToObject(root, "response_format");
	if (!rf || !cJSON_AddStringToObject(rf, "type", "json_schema"))
		goto out;
	js = cJSON_AddObjectToObject(rf, "json_schema");
	if (!js || !cJSON_AddStringToObject(js, "name", name) ||
	    !cJSON_AddBoolToObject(js, "strict", 1))
		goto out;
	schema = cJSON_Parse(schema_json);
	if (!schema)
		goto out;
	if (!cJSON_AddItemToObject(js, "schema", schema)) {
		cJSON_Delete(schema);
		goto out;
	}
	s = cJSON_PrintUnformatted(root);
out:
	cJSON_Delete(root);
	return s;
}

/* Posts the chat completion; 0 with the 2xx answer in *body (freed by the caller). */
static int llm_http_chat_call(llm_http_buf *body, const llm_http *h, const char *system,
			      const char *user, const char *name, const char *schema, app_err *err)
{
	llm_http_call call = {.what = "chat/completions", .auth = 1};
	char *url = NULL, *post = NULL;
	int rc;

	if (llm_http_empty(user))
		return app_err_set(err, APP_EINVALID, NULL, "user_prompt", "no prompt to send");
	url = llm_http_url(h, "/chat/completions");
	post = llm_http_chat_body(h, system, user, name, schema);
	if (!url || !post) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	call.url = url;
	call.post = post;
	call.limit = h->max_response_bytes;
	call.deadline = llm_http_now_ms() + h->total_timeout_ms;
	rc = llm_http_request(body, h, &call, err);
out:
	cJSON_free(post);
	free(url);
	return rc;
}

static int llm_http_text_generate(aigen_draft *out, void *self, const aigen_text_request *req,
				  app_err *err)
{
	const llm_http *h = self;
	llm_http_buf body = {0};
	int rc;

	if (!req)
		return app_err_set(err, APP_EINVALID, NULL, "user_prompt", "no prompt to send");
	rc = llm_http_chat_call(&body, h, req->system_prompt, req->user_prompt, "book_blurb",
				llm_http_blurb_schema, err);
	if (rc == 0)
		rc = llm_http_chat_parse(out, body.data, body.len, h->api_key, err);
	llm_http_buf_free(&body);
	return rc;
}

static const char *llm_http_text_name(void *self)
{
	return ((const llm_http *)self)->model;
}

static const text_generator_vtbl llm_http_text_vtbl = {
    .generate = llm_http_text_generate,
    .name = llm_http_text_name,
    .destroy = llm_http_destroy,
};

int llm_http_text_new(text_generator *out, const llm_http_config *cfg, app_err *err)
{
	llm_http *h;
	int rc = llm_http_make(&h, cfg, cfg->model, "model", err);

	if (rc != 0)
		return rc;
	out->vtbl = &llm_http_text_vtbl;
	out->self = h;
	return 0;
}

/* --- story (the reader's recap and answers) ----------------------------------------- */

static const char llm_http_story_schema[] =
    "{\"type\":\"object\",\"properties\":{\"sentences\":{\"type\":\"array\",\"items\":{"
    "\"type\":\"object\",\"properties\":{"
    "\"text\":{\"type\":\"string\"},"
    "\"episode\":{\"type\":\"integer\"}},"
    "\"required\":[\"text\",\"episode\"],\"additionalProperties\":false}}},"
    "\"required\":[\"sentences\"],\"additionalProperties\":false}";

static int llm_http_story_write(story_model_reply *out, void *self, const story_model_request *req,
				app_err *err)
{
	const llm_http *h = self;
	llm_http_buf body = {0};
	int rc = llm_http_chat_call(&body, h, req->system_prompt, req->user_prompt,
				    "cited_sentences", llm_http_story_schema, err);

	if (rc == 0)
		rc = llm_http_story_parse(out, body.data, body.len, h->api_key, err);
	llm_http_buf_free(&body);
	return rc;
}

static const story_model_vtbl llm_http_story_vtbl = {
    .write = llm_http_story_write,
    .name = llm_http_text_name,
    .destroy = llm_http_destroy,
};

int llm_http_story_new(story_model *out, const llm_http_config *cfg, app_err *err)
{
	llm_http *h;
	int rc = llm_http_make(&h, cfg, cfg->model, "model", err);

	if (rc != 0)
		return rc;
	out->vtbl = &llm_http_story_vtbl;
	out->self = h;
	return 0;
}

/* --- image ------------------------------------------------------------------------ */

static char *llm_http_image_body(const llm_http *h, const aigen_image_request *req)
{
	cJSON *root = cJSON_CreateObject();
	char *prompt = NULL, *s = NULL;

	if (!llm_http_empty(req->cover_prompt)) {
		prompt = llm_http_strdup(req->cover_prompt);
	} else {
		const char *title = llm_http_empty(req->title) ? "Untitled" : req->title;
		const char *fmt = "A portrait book cover illustration for the novel \"%s\"%s%s. "
				  "No lettering.";
		const char *by = llm_http_empty(req->pen_name) ? "" : " by ";
		const char *pen = llm_http_empty(req->pen_name) ? "" : req->pen_name;
		size_t n = strlen(fmt) + strlen(title) + strlen(by) + strlen(pen) + 1;

		prompt = malloc(n);
		if (prompt)
			snprintf(prompt, n, fmt, title, by, pen);
	}
	if (!root || !prompt || !cJSON_AddStringToObject(root, "model", h->image_model) ||
	    !cJSON_AddStringToObject(root, "prompt", prompt) ||
	    !cJSON_AddStringToObject(root, "size", h->image_size) ||
	    !cJSON_AddNumberToObject(root, "n", 1))
		goto out;
	/* the gpt-image models always answer b64_json and refuse the parameter */
	if (strncmp(h->image_model, "gpt-image", 9) != 0 &&
	    !cJSON_AddStringToObject(root, "response_format", "b64_json"))
		goto out;
	s = cJSON_PrintUnformatted(root);
out:
	free(prompt);
	cJSON_Delete(root);
	return s;
}

/* Only what a browser shows safely as a cover: PNG or JPEG by their signature (decoded later). */
static const char *llm_http_sniff(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	return NULL;
}

/* The image a URL names, fetched now (provider URLs expire) under the image URL rule. */
static int llm_http_download(llm_http_image_answer *a, const llm_http *h, int64_t deadline,
			     app_err *err)
{
	llm_http_call call = {
	    .what = "image download",
	    .url = a->url,
	    .guarded = 1,
	    .limit = h->max_image_bytes,
	    .deadline = deadline,
	};
	llm_http_buf body = {0};
	int rc = llm_http_request(&body, h, &call, err);

	if (rc != 0)
		return rc;
	if (!body.data) {
		llm_http_buf_free(&body);
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "image download: empty body");
	}
	a->data = (unsigned char *)body.data;
	a->len = body.len;
	return 0;
}

static int llm_http_image_generate(aigen_image *out, void *self, const aigen_image_request *req,
				   app_err *err)
{
	const llm_http *h = self;
	llm_http_image_answer a = {0};
	llm_http_buf body = {0};
	/* base64 grows 4/3; leave room for the JSON around it (revised_prompt, usage) */
	llm_http_call call = {
	    .what = "images/generations",
	    .auth = 1,
	    .limit = h->max_image_bytes / 3 * 4 + 64 * 1024,
	    .deadline = llm_http_now_ms() + h->total_timeout_ms,
	};
	char *url = llm_http_url(h, "/images/generations");
	char *post = llm_http_image_body(h, req);
	const char *mime;
	int rc;

	if (!url || !post) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	call.url = url;
	call.post = post;
	if ((rc = llm_http_request(&body, h, &call, err)) ||
	    (rc = llm_http_images_parse(&a, body.data, body.len, h->max_image_bytes, err)))
		goto out;
	if (!a.data && (rc = llm_http_download(&a, h, call.deadline, err)))
		goto out;
	if (!(mime = llm_http_sniff(a.data, a.len))) {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "images/generations: the image is neither PNG nor JPEG");
		goto out;
	}
	out->data = a.data;
	out->len = a.len;
	a.data = NULL;
	snprintf(out->mime, sizeof(out->mime), "%s", mime);
out:
	llm_http_image_answer_dispose(&a);
	llm_http_buf_free(&body);
	cJSON_free(post);
	free(url);
	return rc;
}

static const char *llm_http_image_name(void *self)
{
	return ((const llm_http *)self)->image_model;
}

static const image_generator_vtbl llm_http_image_vtbl = {
    .generate = llm_http_image_generate,
    .name = llm_http_image_name,
    .destroy = llm_http_destroy,
};

int llm_http_image_new(image_generator *out, const llm_http_config *cfg, app_err *err)
{
	llm_http *h;
	int rc = llm_http_make(&h, cfg, cfg->image_model, "image_model", err);

	if (rc != 0)
		return rc;
	out->vtbl = &llm_http_image_vtbl;
	out->self = h;
	return 0;
}
