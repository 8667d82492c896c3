/*
 * Query strings, read strictly: a parameter given twice, too long for its
 * use, holding U+0000 (%00) or bytes that are not UTF-8 is refused (422)
 * rather than silently cut, truncated or taken first. Numbers are plain
 * decimal digits. Pure functions: the query fuzz target drives them.
 */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <string.h>

#include "domain/common/text.h"

int http_query_value(char *buf, size_t cap, const char *qs, const char *name, app_err *err)
{
	char second[2];
	size_t qlen;
	int n;

	if (cap)
		buf[0] = '\0';
	if (!qs)
		return 1;
	qlen = strlen(qs);
	n = mg_get_var2(qs, qlen, name, buf, cap, 0);
	if (n == -1)
		return 1;
	if (n < 0)
		return app_err_set(err, APP_EINVALID, "validation_failed", name, "%s is too long",
				   name);
	if (mg_get_var2(qs, qlen, name, second, sizeof(second), 1) != -1)
		return app_err_set(err, APP_EINVALID, "validation_failed", name,
				   "%s is given more than once", name);
	if ((size_t)n != strlen(buf) || !text_utf8_valid(buf, (size_t)n))
		return app_err_set(err, APP_EINVALID, "validation_failed", name,
				   "%s must be UTF-8 text without U+0000", name);
	return 0;
}

int http_parse_id(int64_t *out, const char *s)
{
	int64_t v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

int http_parse_limit(size_t *limit, const char *qs, app_err *err)
{
	char buf[32];
	int64_t v;
	int rc;

	*limit = 20;
	if ((rc = http_query_value(buf, sizeof(buf), qs, "limit", err)))
		return rc > 0 ? 0 : rc;
	if (http_parse_id(&v, buf) || v < 1 || v > 100)
		return app_err_set(err, APP_EINVALID, "validation_failed", "limit",
				   "limit must be 1 to 100");
	*limit = (size_t)v;
	return 0;
}

int http_parse_cursor(int64_t *cursor, const char *qs, const char *name, app_err *err)
{
	char buf[32];
	int rc;

	*cursor = 0;
	if ((rc = http_query_value(buf, sizeof(buf), qs, name, err)))
		return rc > 0 ? 0 : rc;
	if (!buf[0])
		return 0;
	if (http_parse_id(cursor, buf))
		return app_err_set(err, APP_EINVALID, "validation_failed", name,
				   "the cursor is not valid");
	return 0;
}
