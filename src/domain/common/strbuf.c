#include "domain/common/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *strbuf_reserve(strbuf *b, size_t more)
{
	size_t cap;
	char *s;

	if (b->oom)
		return NULL;
	if (b->len + more + 1 > b->cap) {
		cap = b->cap ? b->cap : 256;
		while (cap < b->len + more + 1)
			cap *= 2;
		if (!(s = realloc(b->s, cap))) {
			b->oom = 1;
			return NULL;
		}
		b->s = s;
		b->cap = cap;
	}
	return b->s + b->len;
}

void strbuf_add(strbuf *b, const char *s, size_t n)
{
	char *p = strbuf_reserve(b, n);

	if (!p)
		return;
	memcpy(p, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void strbuf_str(strbuf *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void strbuf_int(strbuf *b, int64_t v)
{
	char digits[24], *p = digits + sizeof(digits);
	/* the magnitude as unsigned: INT64_MIN has no positive int64 */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	strbuf_add(b, p, (size_t)(digits + sizeof(digits) - p));
}

void strbuf_fmt(strbuf *b, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	/* Usually it fits in the room left: one formatting pass, not two. */
	if (!(p = strbuf_reserve(b, 64)))
		return;
	va_start(ap, fmt);
	n = vsnprintf(p, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		if (!(p = strbuf_reserve(b, (size_t)n)))
			return;
		va_start(ap, fmt);
		vsnprintf(p, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

char *strbuf_take(strbuf *b)
{
	char *s = b->s;

	if (b->oom) {
		free(s);
		s = NULL;
	} else if (!s) {
		s = calloc(1, 1);
	}
	memset(b, 0, sizeof(*b));
	return s;
}

void strbuf_dispose(strbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}
