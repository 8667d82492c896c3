/*
 * The OpenAI-compatible response parsers on arbitrary bytes: whatever a
 * provider (or whoever answers in its place) sends. The first byte picks the
 * parser ('i': images/generations, anything else: chat/completions); the
 * rest is the body, in a buffer of exactly its size so that any read past
 * the end is caught. Whatever comes in, parsing must not crash, leak or read
 * out of bounds; a refusal leaves nothing behind, and what is accepted keeps
 * the parser's promises (an integer price only when present, one image
 * within the byte limit or an http(s) URL).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adapters/llm_http/llm_http.h"

#define FUZZ_IMAGE_MAX 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_chat(const char *body, size_t len)
{
	aigen_draft d;
	app_err err;
	int rc;

	memset(&d, 0, sizeof(d));
	rc = llm_http_chat_parse(&d, body, len, "sk-fuzz-key", &err);
	if (rc != 0) {
		if (d.summary || d.tagline || d.price_reason || d.cover_prompt || d.has_price)
			abort();
		if (err.code != rc || strstr(err.msg, "sk-fuzz-key"))
			abort();
		return;
	}
	if (!d.has_price && d.price != 0)
		abort();
	aigen_draft_dispose(&d);
}

static void fuzz_images(const char *body, size_t len)
{
	llm_http_image_answer a;
	app_err err;
	int rc = llm_http_images_parse(&a, body, len, FUZZ_IMAGE_MAX, &err);

	if (rc != 0) {
		if (a.data || a.url || a.len || err.code != rc)
			abort();
		return;
	}
	if (!!a.data == !!a.url || a.len > FUZZ_IMAGE_MAX)
		abort();
	if (a.url && strncasecmp(a.url, "http://", 7) != 0 &&
	    strncasecmp(a.url, "https://", 8) != 0)
		abort();
	llm_http_image_answer_dispose(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *body;

	if (size < 1)
		return 0;
	body = malloc(size - 1 ? size - 1 : 1);
	if (!body)
		return 0;
	memcpy(body, data + 1, size - 1);
	if (data[0] == 'i')
		fuzz_images(body, size - 1);
	else
		fuzz_chat(body, size - 1);
	free(body);
	return 0;
}
