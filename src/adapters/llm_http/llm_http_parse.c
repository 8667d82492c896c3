/* What an OpenAI-compatible provider answers, read strictly: chat completions and images. */
#include "adapters/llm_http/llm_http_internal.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <sodium.h>

char *llm_http_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

void llm_http_snippet(char *out, size_t cap, const char *api_key, const char *msg)
{
	size_t klen = strlen(api_key);
	size_t o = 0;
	const char *p = msg;

	assert(cap > 4);
	while (*p && o + 1 < cap) {
		if (klen && strncmp(p, api_key, klen) == 0) {
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

void llm_http_error_snippet(char *out, size_t cap, const char *api_key, const char *body,
			    size_t len)
{
	cJSON *root = NULL;
	const cJSON *e, *m;
	char raw[LLM_HTTP_SNIPPET * 4];

	out[0] = '\0';
	if (!body || len == 0)
		return;
	root = cJSON_ParseWithLength(body, len);
	e = cJSON_GetObjectItemCaseSensitive(root, "error");
	m = cJSON_IsObject(e) ? cJSON_GetObjectItemCaseSensitive(e, "message") : e;
	if (cJSON_IsString(m) && m->valuestring) {
		llm_http_snippet(out, cap, api_key, m->valuestring);
	} else {
		snprintf(raw, sizeof(raw), "%.*s", (int)(len < sizeof(raw) ? len : sizeof(raw) - 1),
			 body);
		llm_http_snippet(out, cap, api_key, raw);
	}
	cJSON_Delete(root);
}

int llm_http_json_has_nul(const char *s, size_t n)
{
	size_t i;

	if (memchr(s, '\0', n))
		return 1;
	/*
	 * A backslash starts an escape wherever it is valid JSON (only inside
	 * strings), so pairing them from the left finds every real \u0000.
	 */
	for (i = 0; i + 1 < n; i++) {
		if (s[i] != '\\')
			continue;
		if (s[i + 1] == 'u' && i + 6 <= n && memcmp(s + i + 2, "0000", 4) == 0)
			return 1;
		i++; /* the escaped character */
	}
	return 0;
}

/* Exactly one JSON value in s[0..n), blanks around it allowed; NULL otherwise. */
static cJSON *parse_whole(const char *s, size_t n)
{
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(s, n, &end, 0);

	while (root && end < s + n && (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
		end++;
	if (root && end != s + n) {
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* A string field duplicated, or left NULL when absent or of another type. */
static int take_string(char **out, const cJSON *obj, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!cJSON_IsString(v) || !v->valuestring)
		return 0;
	*out = llm_http_strdup(v->valuestring);
	return *out ? 0 : -1;
}

/* Maps the model's JSON object into out; types are checked, values are the core's business. */
static int map_draft(aigen_draft *out, const cJSON *o)
{
	const cJSON *p = cJSON_GetObjectItemCaseSensitive(o, "price");

	if (take_string(&out->summary, o, "summary") || take_string(&out->tagline, o, "tagline") ||
	    take_string(&out->price_reason, o, "priceReason") ||
	    take_string(&out->cover_prompt, o, "coverPrompt"))
		return -1;
	/* an integer only: 4500.5, "4500", 1e300 are not prices */
	if (cJSON_IsNumber(p) && isfinite(p->valuedouble) && p->valuedouble >= -9.0e18 &&
	    p->valuedouble <= 9.0e18 && (double)(int64_t)p->valuedouble == p->valuedouble) {
		out->price = (int64_t)p->valuedouble;
		out->has_price = 1;
	}
	return 0;
}

/* The message of choices[0], or NULL when the body is not a chat completion. */
static const cJSON *chat_message(const cJSON *root, const cJSON **choice)
{
	const cJSON *choices = cJSON_GetObjectItemCaseSensitive(root, "choices");
	const cJSON *msg;

	*choice = cJSON_GetArrayItem(choices, 0);
	msg = cJSON_GetObjectItemCaseSensitive(*choice, "message");
	return cJSON_IsObject(root) && cJSON_IsArray(choices) && cJSON_IsObject(msg) ? msg : NULL;
}

/* The message content of a chat completion, parsed as exactly one JSON object, into *answer. */
static int chat_content(cJSON **answer, const char *body, size_t len, const char *api_key,
			app_err *err)
{
	cJSON *root = NULL;
	const cJSON *choice, *msg, *refusal, *content, *finish;
	char snippet[LLM_HTTP_SNIPPET];
	int rc = 0;

	*answer = NULL;
	/* cJSON cuts strings at U+0000: a field would end early without a word */
	if (!body || llm_http_json_has_nul(body, len)) {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "chat/completions: the answer holds U+0000");
		goto out;
	}
	root = parse_whole(body, len);
	msg = chat_message(root, &choice);
	if (!msg) {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "chat/completions: the answer is not an OpenAI chat completion");
		goto out;
	}
	refusal = cJSON_GetObjectItemCaseSensitive(msg, "refusal");
	if (cJSON_IsString(refusal) && refusal->valuestring && *refusal->valuestring) {
		llm_http_snippet(snippet, sizeof(snippet), api_key, refusal->valuestring);
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
	if (llm_http_json_has_nul(content->valuestring, strlen(content->valuestring))) {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "chat/completions: the model's answer holds U+0000");
		goto out;
	}
	/* strictly one JSON value and nothing after it: no fences, no prose */
	*answer = cJSON_ParseWithOpts(content->valuestring, NULL, 1);
	if (!cJSON_IsObject(*answer)) {
		const char *why = cJSON_IsString(finish) && finish->valuestring &&
					  strcmp(finish->valuestring, "length") == 0
				      ? " (cut off at the token limit)"
				      : "";

		cJSON_Delete(*answer);
		*answer = NULL;
		rc = app_err_set(
		    err, APP_EUPSTREAM, NULL, NULL,
		    "chat/completions: the model did not answer the asked JSON object%s", why);
	}
out:
	cJSON_Delete(root);
	return rc;
}

int llm_http_chat_parse(aigen_draft *out, const char *body, size_t len, const char *api_key,
			app_err *err)
{
	cJSON *answer;
	int rc = chat_content(&answer, body, len, api_key, err);

	if (rc == 0 && map_draft(out, answer) != 0) {
		aigen_draft_dispose(out);
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	cJSON_Delete(answer);
	return rc;
}

/* An integer episode number of 1..2^53, or 0 (cites none) for anything else. */
static int64_t episode_number(const cJSON *v)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < 1 ||
	    v->valuedouble > 9007199254740992.0 ||
	    (double)(int64_t)v->valuedouble != v->valuedouble)
		return 0;
	return (int64_t)v->valuedouble;
}

static int map_sentences(story_model_reply *out, const cJSON *list, app_err *err)
{
	int n = cJSON_GetArraySize(list);
	const cJSON *item;

	if (n > LLM_HTTP_STORY_MAX)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				   "chat/completions: more than %d sentences", LLM_HTTP_STORY_MAX);
	if (n > 0 && !(out->s = calloc((size_t)n, sizeof(*out->s))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	cJSON_ArrayForEach(item, list)
	{
		story_model_sentence *s = &out->s[out->n++];

		if (!cJSON_IsObject(item))
			return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
					   "chat/completions: a sentence is not an object");
		if (take_string(&s->text, item, "text"))
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		s->episode = episode_number(cJSON_GetObjectItemCaseSensitive(item, "episode"));
	}
	return 0;
}

int llm_http_story_parse(story_model_reply *out, const char *body, size_t len, const char *api_key,
			 app_err *err)
{
	cJSON *answer;
	const cJSON *list;
	int rc = chat_content(&answer, body, len, api_key, err);

	if (rc)
		return rc;
	list = cJSON_GetObjectItemCaseSensitive(answer, "sentences");
	if (!cJSON_IsArray(list))
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "chat/completions: the answer has no sentences array");
	else
		rc = map_sentences(out, list, err);
	if (rc)
		story_model_reply_dispose(out);
	cJSON_Delete(answer);
	return rc;
}

void llm_http_image_answer_dispose(llm_http_image_answer *a)
{
	if (!a)
		return;
	free(a->data);
	free(a->url);
	memset(a, 0, sizeof(*a));
}

/* Standard base64 (RFC 4648 section 4) with libsodium, padded or not, whitespace skipped. */
static int decode_b64(llm_http_image_answer *out, const char *s, size_t max_bytes, app_err *err)
{
	static const int variants[] = {sodium_base64_VARIANT_ORIGINAL,
				       sodium_base64_VARIANT_ORIGINAL_NO_PADDING};
	size_t n = strlen(s), len = 0, v;
	const char *end = NULL;
	/* every 4 characters make at most 3 bytes; one more tells "too large" apart */
	size_t cap = n / 4 * 3 + 3 < max_bytes + 1 ? n / 4 * 3 + 3 : max_bytes + 1;
	unsigned char *d = malloc(cap);
	int too_large = 0;

	if (!d)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	for (v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
		errno = 0;
		/* with an end pointer sodium keeps ERANGE; what is left unread fails here */
		if (sodium_base642bin(d, cap, s, n, " \t\r\n", &len, &end, variants[v]) == 0 &&
		    end == s + n)
			break;
		if ((too_large = errno == ERANGE))
			break;
	}
	if (v < sizeof(variants) / sizeof(variants[0]) && !too_large && len <= max_bytes) {
		out->data = d;
		out->len = len;
		return 0;
	}
	free(d);
	if (too_large || len > max_bytes)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				   "images/generations: image too large (over %zu bytes)",
				   max_bytes);
	return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
			   "images/generations: b64_json is not valid base64");
}

int llm_http_images_parse(llm_http_image_answer *out, const char *body, size_t len,
			  size_t max_bytes, app_err *err)
{
	cJSON *root = NULL;
	const cJSON *item, *b64, *link;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!body || llm_http_json_has_nul(body, len)) {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "images/generations: the answer holds U+0000");
		goto out;
	}
	root = parse_whole(body, len);
	item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "data"), 0);
	b64 = cJSON_GetObjectItemCaseSensitive(item, "b64_json");
	link = cJSON_GetObjectItemCaseSensitive(item, "url");
	if (cJSON_IsString(b64) && b64->valuestring) {
		rc = decode_b64(out, b64->valuestring, max_bytes, err);
	} else if (cJSON_IsString(link) && link->valuestring) {
		if (strncasecmp(link->valuestring, "http://", 7) != 0 &&
		    strncasecmp(link->valuestring, "https://", 8) != 0)
			rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
					 "images/generations: the image URL is not http(s)");
		else if (!(out->url = llm_http_strdup(link->valuestring)))
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	} else {
		rc = app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				 "images/generations: the answer has no data[0].b64_json or url");
	}
out:
	if (rc)
		llm_http_image_answer_dispose(out);
	cJSON_Delete(root);
	return rc;
}
