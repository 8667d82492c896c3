/*
 * The outside inputs of serial works on arbitrary bytes: a PATCH body of a
 * work, a publishAt time, a library cursor and a tag. Whatever comes in,
 * nothing crashes or leaks, and what is accepted is consistent: a patch
 * names only fields the body has, a time prints back to the same second,
 * a cursor is two non-negative numbers, a tag is trimmed UTF-8 of 1 to 20
 * characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http_internal.h"
#include "domain/common/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_patch(const char *text, size_t len)
{
	cJSON *body = cJSON_ParseWithLength(text, len);
	const char **tags = NULL;
	books_patch p;
	app_err err;

	if (!body || !cJSON_IsObject(body)) {
		cJSON_Delete(body);
		return;
	}
	if (http_book_patch_of(&p, &tags, body, &err) == 0) {
		if ((p.fields & BOOK_FIELD_TAGS) && (!tags || p.ntags > BOOK_TAGS_MAX))
			abort();
		if ((p.fields & BOOK_FIELD_PRICE) &&
		    !cJSON_GetObjectItemCaseSensitive(body, "price"))
			abort();
		if ((p.fields & BOOK_FIELD_SUMMARY) && !p.summary)
			abort();
	}
	free(tags);
	cJSON_Delete(body);
}

static void check_time(const char *s)
{
	char back[32];
	int64_t ms, again;

	if (http_parse_time(&ms, s) != 0)
		return;
	if (ms < 0)
		abort();
	http_time(back, ms);
	if (http_parse_time(&again, back) != 0 || again != ms - ms % 1000)
		abort();
}

static void check_tag(const char *s)
{
	char tag[BOOK_TAG_BYTES];
	size_t len;

	if (book_tag_normalize(tag, s, NULL) != 0)
		return;
	len = strlen(tag);
	if (!len || !text_utf8_valid(tag, len) || text_utf8_chars(tag, len) > BOOK_TAG_CHARS ||
	    tag[0] == ' ' || tag[len - 1] == ' ' || strchr(tag, ','))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	int64_t a, b;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_patch(s, size);
	check_time(s);
	check_tag(s);
	if (http_parse_pair(&a, &b, s) == 0 && (a < 0 || b <= 0))
		abort();
	free(s);
	return 0;
}
