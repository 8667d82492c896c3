#include "adapters/llm_http/llm_http.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#define LLM_HTTP_DEFAULT_SIZE	     "1024x1536"
#define LLM_HTTP_DEFAULT_CONNECT_MS  10000L
#define LLM_HTTP_DEFAULT_TOTAL_MS    120000L
#define LLM_HTTP_DEFAULT_TEXT_BYTES  ((size_t)256 * 1024)
#define LLM_HTTP_DEFAULT_IMAGE_BYTES ((size_t)8 * 1024 * 1024)
#define LLM_HTTP_DEFAULT_CAP_MS	     30000L
#define LLM_HTTP_DEFAULT_BACKOFF_MS  500L
#define LLM_HTTP_SNIPPET	     120

typedef struct llm_http {
	char *base_url; /* without a trailing '/' */
	char *api_key;	/* "" when none */
	char *model;
	char *image_model;
	char *image_size;
	long connect_timeout_ms;
	long total_timeout_ms;
	int max_retries;
	size_t max_response_bytes;
	size_t max_image_bytes;
	long retry_after_cap_ms;
	long backoff_ms;
} llm_http;

/* A response body growing up to a limit; always NUL-terminated once non-empty. */
typedef struct llm_http_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;
	int too_large;
	int nomem;
} llm_http_buf;

/* What one attempt brought back. */
typedef struct llm_http_reply {
	long status;
	long retry_after_ms; /* -1: the server said nothing */
	llm_http_buf body;
} llm_http_reply;

/* --- small helpers ----------------------------------------------------------- */

static int64_t llm_http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Set by llm_http_cancel(): transfers abort and retry waits end (shutdown). */
static atomic_int llm_http_cancelled;

void llm_http_cancel(void)
{
	atomic_store(&llm_http_cancelled, 1);
}

static int llm_http_on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
				curl_off_t ulnow)
{
	(void)p;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&llm_http_cancelled) ? 1 : 0;
}

/* Sleeps ms in short steps, waking early when cancelled. */
static void llm_http_sleep_ms(long ms)
{
	while (ms > 0 && !atomic_load(&llm_http_cancelled)) {
		long step = ms < 50 ? ms : 50;
		struct timespec ts = {0, step * 1000000L};

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		ms -= step;
	}
}

static char *llm_http_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static int llm_http_empty(const char *s)
{
	return !s || !*s;
}

static void llm_http_buf_free(llm_http_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/*
 * Copies a provider's message into out: control characters become spaces, the
 * API key (if the provider echoes it) becomes "***", and the text is cut to
 * fit without splitting a UTF-8 sequence.
 */
static void llm_http_snippet(char *out, size_t cap, const llm_http *h, const char *msg)
{
	size_t klen = strlen(h->api_key);
	size_t o = 0;
	const char *p = msg;

	assert(cap > 4);
	while (*p && o + 1 < cap) {
		if (klen && strncmp(p, h->api_key, klen) == 0) {
			if (o + 4 > cap)
				break;
			memcpy(out + o, "***", 3);
			o += 3;
			p += klen;
			continue;
		}
		out[o++] = (unsigned char)*p < 0x20 || *p == 0x7f ? ' ' : *p;
		p++;
	}
	/* drop a partial UTF-8 sequence at the cut */
	if (*p) {
		size_t i = o;

		while (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0x80)
			i--;
		if (i > 0 && ((unsigned char)out[i - 1] & 0xC0) == 0xC0)
			o = i - 1;
	}
	out[o] = '\0';
}

/* The provider's own words: error.message, a string error, or the start of the body. */
static void llm_http_error_snippet(char *out, size_t cap, const llm_http *h, const llm_http_buf *b)
{
	cJSON *root = NULL;
	const cJSON *e, *m;
	char raw[LLM_HTTP_SNIPPET * 4];

	out[0] = '\0';
	if (!b->data || b->len == 0)
		return;
	root = cJSON_ParseWithLength(b->data, b->len);
	e = cJSON_GetObjectItemCaseSensitive(root, "error");
	m = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "message") : e;
	if (cJSON_IsString(m) && m->valuestring) {
		llm_http_snippet(out, cap, h, m->valuestring);
	} else {
		snprintf(raw, sizeof(raw), "%.*s",
			 (int)(b->len < sizeof(raw) ? b->len : sizeof(raw) - 1), b->data);
		llm_http_snippet(out, cap, h, raw);
	}
	cJSON_Delete(root);
}

/* --- curl --------------------------------------------------------------------- */

static size_t llm_http_on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	llm_http_buf *b = userdata;
	size_t n = size * nmemb;
	size_t need;

	if (n > b->limit || b->len > b->limit - n) {
		b->too_large = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < need)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p) {
			b->nomem = 1;
			return 0;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/* Parses a non-negative decimal integer (leading blanks allowed); -1 if none. */
static long llm_http_parse_ms(const char *v, long scale)
{
	long n = 0;

	while (*v == ' ' || *v == '\t')
		v++;
	if (!isdigit((unsigned char)*v))
		return -1;
	for (; isdigit((unsigned char)*v); v++) {
		if (n > 100000000L)
			return 100000000L * scale;
		n = n * 10 + (*v - '0');
	}
	return n * scale;
}

static size_t llm_http_on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	llm_http_reply *r = userdata;
	size_t n = size * nmemb;
	char line[128];
	size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
	long ms;

	memcpy(line, ptr, k);
	line[k] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		r->retry_after_ms = -1; /* a new response (after 100 Continue, a redirect) */
	} else if (strncasecmp(line, "retry-after-ms:", 15) == 0) {
		ms = llm_http_parse_ms(line + 15, 1);
		if (ms >= 0)
			r->retry_after_ms = ms;
	} else if (strncasecmp(line, "retry-after:", 12) == 0) {
		/* delta-seconds only; an HTTP-date falls back to our own backoff */
		ms = llm_http_parse_ms(line + 12, 1000);
		if (ms >= 0 && r->retry_after_ms < 0)
			r->retry_after_ms = ms;
	}
	return n;
}

/*
 * One HTTP exchange. post NULL means GET. Returns the curl code; the reply
 * holds status, body and Retry-After. APP_ENOMEM is returned (as -1) when
 * the handle or the header list cannot be made.
 */
static int llm_http_once(llm_http_reply *r, const llm_http *h, const char *url, const char *post,
			 int auth, size_t limit, long timeout_ms, char *errbuf)
{
	CURL *c = NULL;
	struct curl_slist *hdr = NULL, *t;
	char *bearer = NULL;
	int rc = -1;
	long connect_ms = h->connect_timeout_ms < timeout_ms ? h->connect_timeout_ms : timeout_ms;

	r->status = 0;
	r->retry_after_ms = -1;
	llm_http_buf_free(&r->body);
	r->body.limit = limit;
	errbuf[0] = '\0';

	c = curl_easy_init();
	if (!c)
		goto out;
	t = curl_slist_append(hdr,
			      post ? "Accept: application/json" : "Accept: image/png, image/jpeg");
	if (!t)
		goto out;
	hdr = t;
	if (post) {
		t = curl_slist_append(hdr, "Content-Type: application/json");
		if (!t)
			goto out;
		hdr = t;
		/* no 100-continue round trip for prompts over 1 KiB */
		t = curl_slist_append(hdr, "Expect:");
		if (!t)
			goto out;
		hdr = t;
	}
	if (auth && *h->api_key) {
		size_t n = strlen(h->api_key) + sizeof("Authorization: Bearer ");

		bearer = malloc(n);
		if (!bearer)
			goto out;
		snprintf(bearer, n, "Authorization: Bearer %s", h->api_key);
		t = curl_slist_append(hdr, bearer);
		if (!t)
			goto out;
		hdr = t;
	}

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms > 0 ? connect_ms : 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "walking-library/" WL_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, llm_http_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, llm_http_on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)limit);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, llm_http_on_progress);
	if (post) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, post);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(post));
	} else {
		/* image hosts redirect to storage; the key is never sent there (auth is 0) */
		curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(c, CURLOPT_MAXREDIRS, 3L);
		curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	}

	rc = (int)curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
out:
	if (bearer) {
		/* the key should not linger in freed memory */
		volatile char *v = bearer;

		while (*v)
			*v++ = 0;
		free(bearer);
	}
	curl_slist_free_all(hdr);
	if (c)
		curl_easy_cleanup(c);
	return rc;
}

static int llm_http_retryable_status(long status)
{
	return status == 429 || status >= 500;
}

/*
 * One logical request with retries on 429, 5xx and transport errors, all
 * within the deadline. 0 when a 2xx answer is in r->body (caller frees it);
 * otherwise the error is set and r->body is empty.
 */
static int llm_http_request(llm_http_reply *r, const llm_http *h, const char *what, const char *url,
			    const char *post, int auth, size_t limit, int64_t deadline,
			    app_err *err)
{
	char errbuf[CURL_ERROR_SIZE];
	char snippet[LLM_HTTP_SNIPPET];
	int attempt, cc, rc = 0;
	long backoff = h->backoff_ms;

	memset(r, 0, sizeof(*r));
	for (attempt = 1;; attempt++) {
		int64_t left = deadline - llm_http_now_ms();
		long wait;

		if (left <= 0) {
			rc = app_err_set(err, APP_ETIMEOUT, NULL, NULL, "%s: no answer in time",
					 what);
			break;
		}
		if (atomic_load(&llm_http_cancelled)) {
			rc = app_err_set(err, APP_ETIMEOUT, NULL, NULL, "%s: cancelled", what);
			break;
		}
		cc = llm_http_once(r, h, url, post, auth, limit, (long)left, errbuf);
		if (cc < 0 || r->body.nomem) {
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "%s: out of memory", what);
			break;
		}
		if (r->body.too_large || cc == CURLE_FILESIZE_EXCEEDED) {
			rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
					 "%s: response too large (over %zu bytes)", what, limit);
			break;
		}
		if (cc == CURLE_OK && r->status >= 200 && r->status < 300)
			return 0;

		if (cc == CURLE_OK) {
			llm_http_error_snippet(snippet, sizeof(snippet), h, &r->body);
			rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
					 "%s: HTTP %ld after %d attempt%s%s%s", what, r->status,
					 attempt, attempt == 1 ? "" : "s", *snippet ? ": " : "",
					 snippet);
			app_err_extra(err, "status", r->status);
			app_err_extra(err, "attempts", attempt);
			if (!llm_http_retryable_status(r->status))
				break;
			wait = r->retry_after_ms >= 0 ? r->retry_after_ms : backoff;
		} else {
			/* curl's text names the host at most, never the key */
			rc = app_err_set(
			    err, cc == CURLE_OPERATION_TIMEDOUT ? APP_ETIMEOUT : APP_EUPSTREAM,
			    NULL, NULL, "%s: %s after %d attempt%s", what,
			    *errbuf ? errbuf : curl_easy_strerror((CURLcode)cc), attempt,
			    attempt == 1 ? "" : "s");
			app_err_extra(err, "attempts", attempt);
			wait = backoff;
		}
		if (wait > h->retry_after_cap_ms)
			wait = h->retry_after_cap_ms;
		if (attempt > h->max_retries || llm_http_now_ms() + wait >= deadline)
			break;
		llm_http_sleep_ms(wait);
		if (backoff < h->retry_after_cap_ms / 2)
			backoff *= 2;
	}
	llm_http_buf_free(&r->body);
	return rc;
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

int llm_http_global_init(app_err *err)
{
	CURLcode cc = curl_global_init(CURL_GLOBAL_DEFAULT);

	atomic_store(&llm_http_cancelled, 0);

	if (cc != CURLE_OK)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "curl_global_init: %s",
				   curl_easy_strerror(cc));
	return 0;
}

void llm_http_global_cleanup(void)
{
	curl_global_cleanup();
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

static char *llm_http_chat_body(const llm_http *h, const aigen_text_request *req)
{
	cJSON *root = cJSON_CreateObject(), *messages, *rf, *js, *schema;
	char *s = NULL;

	if (!root || !cJSON_AddStringToObject(root, "model", h->model))
		goto out;
	messages = cJSON_AddArrayToObject(root, "messages");
	if (!messages)
		goto out;
	if (!llm_http_empty(req->system_prompt) &&
	    llm_http_add_message(messages, "system", req->system_prompt) != 0)
		goto out;
	if (llm_http_add_message(messages, "user", req->user_prompt) != 0)
		goto out;
	rf = cJSON_AddObjectToObject(root, "response_format");
	if (!rf || !cJSON_AddStringToObject(rf, "type", "json_schema"))
		goto out;
	js = cJSON_AddObjectToObject(rf, "json_schema");
	if (!js || !cJSON_AddStringToObject(js, "name", "book_blurb") ||
	    !cJSON_AddBoolToObject(js, "strict", 1))
		goto out;
	schema = cJSON_Parse(llm_http_blurb_schema);
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

/* A string field duplicated, or left NULL when absent or of another type. */
static int llm_http_take_string(char **out, const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(v) || !v->valuestring)
		return 0;
	*out = llm_http_strdup(v->valuestring);
	return *out ? 0 : -1;
}

/* Maps the model's JSON object into out; types are checked, values are the core's business. */
static int llm_http_map_draft(aigen_draft *out, const cJSON *o)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "price");

	if (llm_http_take_string(&out->summary, o, "summary") ||
	    llm_http_take_string(&out->tagline, o, "tagline") ||
	    llm_http_take_string(&out->price_reason, o, "priceReason") ||
	    llm_http_take_string(&out->cover_prompt, o, "coverPrompt"))
		return -1;
	/* an integer only: 4500.5, "4500", 1e300 are not prices */
	if (cJSON_IsNumber(p) && isfinite(p->valuedouble) && p->valuedouble >= -9.0e18 &&
	    p->valuedouble <= 9.0e18 && (double)(int64_t)p->valuedouble == p->valuedouble) {
		out->price = (int64_t)p->valuedouble;
		out->has_price = 1;
	}
	return 0;
}

static int llm_http_parse_chat(aigen_draft *out, const llm_http *h, const llm_http_buf *b,
			       app_err *err)
{
	cJSON *root, *answer = NULL;
	const cJSON *choices, *choice, *msg, *refusal, *content, *finish;
	char snippet[LLM_HTTP_SNIPPET];
	int rc = 0;

	root = cJSON_ParseWithLengthOpts(b->data ? b->data : "", b->len + 1, NULL, 1);
	choices = cJSON_GetObjectItemCaseSensitive(root, "choices");
	choice = cJSON_GetArrayItem(choices, 0);
	msg = cJSON_GetObjectItemCaseSensitive(choice, "message");
	if (!cJSON_IsObject(root) || !cJSON_IsArray(choices) || !cJSON_IsObject(msg)) {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "chat/completions: the answer is not an OpenAI chat completion");
		goto out;
	}
	refusal = cJSON_GetObjectItemCaseSensitive(msg, "refusal");
	if (cJSON_IsString(refusal) && refusal->valuestring && *refusal->valuestring) {
		llm_http_snippet(snippet, sizeof(snippet), h, refusal->valuestring);
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "chat/completions: model refused: %s", snippet);
		goto out;
	}
	content = cJSON_GetObjectItemCaseSensitive(msg, "content");
	finish = cJSON_GetObjectItemCaseSensitive(choice, "finish_reason");
	if (!cJSON_IsString(content) || !content->valuestring) {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "chat/completions: the answer has no message content");
		goto out;
	}
	/* strictly one JSON value and nothing after it: no fences, no prose */
	answer = cJSON_ParseWithOpts(content->valuestring, NULL, 1);
	if (!cJSON_IsObject(answer)) {
		const char *why = cJSON_IsString(finish) && finish->valuestring &&
					  strcmp(finish->valuestring, "length") == 0
				      ? " (cut off at the token limit)"
				      : "";

		rc = app_err_set(
		    err, APP_EUPSTREAM, NULL, NULL,
		    "chat/completions: the model did not answer the asked JSON object%s", why);
		goto out;
	}
	if (llm_http_map_draft(out, answer) != 0) {
		aigen_draft_dispose(out);
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
out:
	cJSON_Delete(answer);
	cJSON_Delete(root);
	return rc;
}

static int llm_http_text_generate(aigen_draft *out, void *self, const aigen_text_request *req,
				  app_err *err)
{
	const llm_http *h = self;
	llm_http_reply r = {0};
	char *url = NULL, *body = NULL;
	int rc;

	if (!req || llm_http_empty(req->user_prompt))
		return app_err_set(err, APP_EINVALID, NULL, "user_prompt", "no prompt to send");
	url = llm_http_url(h, "/chat/completions");
	body = llm_http_chat_body(h, req);
	if (!url || !body) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	rc = llm_http_request(&r, h, "chat/completions", url, body, 1, h->max_response_bytes,
			      llm_http_now_ms() + h->total_timeout_ms, err);
	if (rc != 0)
		goto out;
	rc = llm_http_parse_chat(out, h, &r.body, err);
out:
	llm_http_buf_free(&r.body);
	cJSON_free(body);
	free(url);
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

/* --- image ------------------------------------------------------------------------ */

/*
 * Standard base64 (RFC 4648 section 4), padding optional, whitespace skipped,
 * anything else refused. -1 on bad input, -2 when the result would pass limit,
 * -3 when out of memory.
 */
static int llm_http_b64_decode(unsigned char **out, size_t *out_len, const char *s, size_t n,
			       size_t limit)
{
	unsigned char *d;
	size_t o = 0, i, chars = 0, pad = 0;
	uint32_t acc = 0;
	int bits = 0;

	*out = NULL;
	*out_len = 0;
	if (n / 4 > limit / 3 + 1)
		return -2;
	d = malloc(n / 4 * 3 + 3);
	if (!d)
		return -3;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		int v;

		if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t')
			continue;
		if (ch == '=') {
			pad++;
			chars++;
			continue;
		}
		if (pad)
			goto bad; /* data after padding */
		if (ch >= 'A' && ch <= 'Z')
			v = ch - 'A';
		else if (ch >= 'a' && ch <= 'z')
			v = ch - 'a' + 26;
		else if (ch >= '0' && ch <= '9')
			v = ch - '0' + 52;
		else if (ch == '+')
			v = 62;
		else if (ch == '/')
			v = 63;
		else
			goto bad;
		chars++;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			d[o++] = (unsigned char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	if (pad > 2 || (pad && chars % 4 != 0) || (chars - pad) % 4 == 1)
		goto bad;
	if (o > limit) {
		free(d);
		return -2;
	}
	*out = d;
	*out_len = o;
	return 0;
bad:
	free(d);
	return -1;
}

/* Only what a browser shows safely as a cover: PNG or JPEG, told by their magic bytes. */
static const char *llm_http_sniff(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "image/jpeg";
	return NULL;
}

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

static int llm_http_image_finish(aigen_image *out, unsigned char *data, size_t len, app_err *err)
{
	const char *mime = llm_http_sniff(data, len);

	if (!mime) {
		free(data);
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				   "images/generations: the image is neither PNG nor JPEG");
	}
	out->data = data;
	out->len = len;
	snprintf(out->mime, sizeof(out->mime), "%s", mime);
	return 0;
}

static int llm_http_image_generate(aigen_image *out, void *self, const aigen_image_request *req,
				   app_err *err)
{
	const llm_http *h = self;
	llm_http_reply r = {0};
	cJSON *root = NULL;
	const cJSON *item, *b64, *link;
	char *url = NULL, *body = NULL;
	unsigned char *data = NULL;
	size_t len = 0;
	/* base64 grows 4/3; leave room for the JSON around it (revised_prompt, usage) */
	size_t limit = h->max_image_bytes / 3 * 4 + 64 * 1024;
	int64_t deadline = llm_http_now_ms() + h->total_timeout_ms;
	int rc;

	url = llm_http_url(h, "/images/generations");
	body = llm_http_image_body(h, req);
	if (!url || !body) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	rc = llm_http_request(&r, h, "images/generations", url, body, 1, limit, deadline, err);
	if (rc != 0)
		goto out;
	root = cJSON_ParseWithLengthOpts(r.body.data ? r.body.data : "", r.body.len + 1, NULL, 1);
	item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "data"), 0);
	b64 = cJSON_GetObjectItemCaseSensitive(item, "b64_json");
	link = cJSON_GetObjectItemCaseSensitive(item, "url");
	if (cJSON_IsString(b64) && b64->valuestring) {
		int d = llm_http_b64_decode(&data, &len, b64->valuestring, strlen(b64->valuestring),
					    h->max_image_bytes);

		if (d == -3)
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		else if (d == -2)
			rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
					 "images/generations: image too large (over %zu bytes)",
					 h->max_image_bytes);
		else if (d != 0)
			rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
					 "images/generations: b64_json is not valid base64");
		if (rc != 0)
			goto out;
	} else if (cJSON_IsString(link) && link->valuestring) {
		llm_http_reply dl = {0};

		if (strncasecmp(link->valuestring, "http://", 7) != 0 &&
		    strncasecmp(link->valuestring, "https://", 8) != 0) {
			rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
					 "images/generations: the image URL is not http(s)");
			goto out;
		}
		/* provider URLs expire: fetch now, without the key */
		rc = llm_http_request(&dl, h, "image download", link->valuestring, NULL, 0,
				      h->max_image_bytes, deadline, err);
		if (rc != 0)
			goto out;
		data = (unsigned char *)dl.body.data;
		len = dl.body.len;
		if (!data) {
			rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
					 "image download: empty body");
			goto out;
		}
	} else {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "images/generations: the answer has no data[0].b64_json or url");
		goto out;
	}
	rc = llm_http_image_finish(out, data, len, err);
out:
	cJSON_Delete(root);
	llm_http_buf_free(&r.body);
	cJSON_free(body);
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
