/*
 * A JSON writer on strbuf for the hot answers (book lists and texts), where
 * building a cJSON tree costs more than the request itself: hundreds of
 * small allocations per catalog page.
 */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The two-character escape of c, or NULL when c needs \u00XX. */
static const char *short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		return NULL;
	}
}

static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* The index of the first byte at or after i that needs escaping, or len; 8 bytes a step. */
static size_t next_escape(const char *s, size_t i, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;

	for (; i + 8 <= len; i += 8) {
		uint64_t w, q, b;

		memcpy(&w, s + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		/* any byte < 0x20, any byte equal to " or \ (exact, no false positives) */
		if ((((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs)
			break;
	}
	for (; i < len && !needs_escape((unsigned char)s[i]); i++)
		;
	return i;
}

/*
 * s quoted as cJSON prints it (", \ and control characters escaped, UTF-8 as
 * is), scanned 8 bytes at a time and copied in runs: a book's 20 KB text
 * through cJSON's byte-at-a-time printer was 3/4 of a content request.
 */
void http_json_str(strbuf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t run = 0;

	strbuf_add(b, "\"", 1);
	for (size_t i = next_escape(s, 0, len); i < len; i = next_escape(s, i + 1, len)) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = short_escape(c);
		char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};

		strbuf_add(b, s + run, i - run);
		run = i + 1;
		if (esc)
			strbuf_add(b, esc, 2);
		else
			strbuf_add(b, u, 6);
	}
	strbuf_add(b, s + run, len - run);
	strbuf_add(b, "\"", 1);
}

void http_json_field_str(strbuf *b, const char *name, const char *s)
{
	strbuf_add(b, "\"", 1);
	strbuf_str(b, name);
	strbuf_add(b, "\":", 2);
	http_json_str(b, s, strlen(s));
}
