/*
 * Query strings and cursors: the parameter reader, limit, numeric cursors
 * and list cursors ("A.B") on arbitrary bytes. A value read is UTF-8 without
 * U+0000 and fits its buffer; a limit is 1..100; a cursor is non-negative;
 * a list cursor printed back parses to itself.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http_internal.h"
#include "domain/common/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A list cursor "A.B": A >= 0, B > 0, and printed back it parses to itself. */
static void check_pair(const char *text)
{
	int64_t a, b, a2, b2;
	char printed[64];

	if (http_parse_pair(&a, &b, text) != 0)
		return;
	if (a < 0 || b <= 0)
		abort();
	snprintf(printed, sizeof(printed), "%" PRId64 ".%" PRId64, a, b);
	if (http_parse_pair(&a2, &b2, printed) != 0 || a2 != a || b2 != b)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"q", "limit", "cursor", "sort", "status", "type"};
	char *qs = malloc(size + 1), buf[64];
	int64_t cursor;
	size_t limit;
	app_err err;

	if (!qs)
		return 0;
	memcpy(qs, data, size);
	qs[size] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		app_err_clear(&err);
		int rc = http_query_value(buf, sizeof(buf), qs, names[i], &err);

		if (rc == 0 && (strlen(buf) >= sizeof(buf) || !text_utf8_valid(buf, strlen(buf))))
			abort();
		if (rc < 0 && (err.code != APP_EINVALID || strcmp(err.field, names[i]) != 0))
			abort();
		if (rc == 0)
			check_pair(buf);
	}
	app_err_clear(&err);
	if (http_parse_limit(&limit, qs, &err) == 0 && (limit < 1 || limit > 100))
		abort();
	app_err_clear(&err);
	if (http_parse_cursor(&cursor, qs, "cursor", &err) == 0 && cursor < 0)
		abort();
	check_pair(qs);
	free(qs);
	return 0;
}
