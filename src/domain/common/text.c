#include "domain/common/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int32_t text_utf8_decode(const char *str, size_t len, size_t *i)
{
	const unsigned char *s = (const unsigned char *)str + *i;
	size_t avail = len - *i, n;
	uint32_t cp;

	if (s[0] < 0x80) {
		*i += 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		goto bad;
	}
	if (n > avail)
		goto bad;
	for (size_t k = 1; k < n; k++) {
		if ((s[k] & 0xC0) != 0x80)
			goto bad;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		goto bad;
	*i += n;
	return (int32_t)cp;
bad:
	*i += 1;
	return -1;
}

uint32_t text_utf8_next(const char *s, size_t len, size_t *i)
{
	int32_t cp = text_utf8_decode(s, len, i);

	return cp < 0 ? 0xFFFD : (uint32_t)cp;
}

int text_utf8_valid(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len)
		if (text_utf8_decode(s, len, &i) <= 0)
			return 0;
	return 1;
}

size_t text_utf8_chars(const char *str, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		if (((unsigned char)str[i] & 0xC0) != 0x80)
			n++;
	return n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *text_trim_dup(const char *s)
{
	size_t len;
	char *out;

	while (*s && is_space(*s))
		s++;
	len = strlen(s);
	while (len > 0 && is_space(s[len - 1]))
		len--;
	out = malloc(len + 1);
	if (!out)
		return NULL;
	memcpy(out, s, len);
	out[len] = '\0';
	return out;
}

int text_email_plausible(const char *s)
{
	const char *at = strchr(s, '@');
	size_t len = strlen(s);

	if (!at || at == s || strchr(at + 1, '@') || len > 254)
		return 0;
	for (const char *p = s; *p; p++)
		if (is_space(*p) || (unsigned char)*p < 0x20)
			return 0;
	at++;
	return strchr(at, '.') && at[0] != '.' && s[len - 1] != '.';
}

int text_take(char *dst, size_t cap, const char *s, size_t max, int required, int one_line,
	      const char *field, app_err *err)
{
	char *t = text_trim_dup(s ? s : "");
	size_t len, chars;
	int rc = 0;

	if (!t)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	len = strlen(t);
	chars = text_utf8_valid(t, len) ? text_utf8_chars(t, len) : SIZE_MAX;
	if (chars == SIZE_MAX || chars > max || (required && chars == 0) || len >= cap)
		rc = app_err_set(err, APP_EINVALID, "validation_failed", field,
				 "%s must have %d to %zu characters", field, required, max);
	for (size_t i = 0; rc == 0 && one_line && i < len; i++)
		if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f)
			rc = app_err_set(err, APP_EINVALID, "validation_failed", field,
					 "%s must be one line", field);
	if (rc == 0)
		memcpy(dst, t, len + 1);
	free(t);
	return rc;
}
