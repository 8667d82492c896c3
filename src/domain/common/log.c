#include "domain/common/log.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/common/text.h"

/* Room kept for "}\n" and the NUL. */
#define LOG_TAIL 3

static size_t room(const log_line *l)
{
	return LOG_LINE_MAX - LOG_TAIL - l->len;
}

/* Appends s[0..n) when it fits; else marks the line full and adds nothing. */
static int put(log_line *l, const char *s, size_t n)
{
	if (l->full || n > room(l)) {
		l->full = 1;
		return -1;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	return 0;
}

/* The JSON spelling of one decoded character into out; its length. */
static size_t escape(char out[8], const char *raw, size_t rawn, int32_t cp)
{
	const char *two = cp == '"'    ? "\\\""
			  : cp == '\\' ? "\\\\"
			  : cp == '\n' ? "\\n"
			  : cp == '\t' ? "\\t"
			  : cp == '\r' ? "\\r"
				       : NULL;

	if (two) {
		memcpy(out, two, 2);
		return 2;
	}
	if (cp < 0) {
		memcpy(out, "\xEF\xBF\xBD", 3); /* U+FFFD */
		return 3;
	}
	if (cp < 0x20 || cp == 0x7F) {
		memcpy(out, "\\u00", 4);
		out[4] = "0123456789abcdef"[(cp >> 4) & 0xF];
		out[5] = "0123456789abcdef"[cp & 0xF];
		return 6;
	}
	memcpy(out, raw, rawn);
	return rawn;
}

/* A quoted, escaped string, cut at a character (and still closed) when the line is full. */
static int put_string(log_line *l, const char *s, size_t n)
{
	size_t i = 0;

	if (room(l) < 2 || put(l, "\"", 1)) {
		l->full = 1;
		return -1;
	}
	while (i < n) {
		size_t at = i, k;
		int32_t cp = text_utf8_decode(s, n, &i);
		char e[8];

		k = escape(e, s + at, i - at, cp);
		if (k + 1 > room(l)) { /* the closing quote always fits */
			l->full = 1;
			break;
		}
		memcpy(l->buf + l->len, e, k);
		l->len += k;
	}
	l->buf[l->len++] = '"';
	return 0;
}

/* ,"key":text — the whole field or nothing. */
static void put_field(log_line *l, const char *key, const char *text, size_t n)
{
	size_t mark = l->len;

	if (put(l, ",", 1) || put_string(l, key, strlen(key)) || l->full || put(l, ":", 1) ||
	    put(l, text, n)) {
		l->len = mark;
		l->full = 1;
	}
}

void log_begin(log_line *l, const char *level, const char *msg)
{
	l->len = 0;
	l->full = 0;
	put(l, "{\"level\":", 9);
	put_string(l, level, strlen(level));
	put(l, ",\"msg\":", 7);
	put_string(l, msg, strlen(msg));
}

void log_strn(log_line *l, const char *key, const char *value, size_t n)
{
	size_t mark = l->len;

	if (!value) {
		put_field(l, key, "null", 4);
		return;
	}
	/* the key must fit with at least an empty string; the value may be cut */
	if (put(l, ",", 1) || put_string(l, key, strlen(key)) || l->full || put(l, ":", 1) ||
	    put_string(l, value, n)) {
		l->len = mark;
		l->full = 1;
	}
}

void log_str(log_line *l, const char *key, const char *value)
{
	log_strn(l, key, value, value ? strlen(value) : 0);
}

void log_int(log_line *l, const char *key, long long value)
{
	char num[24];

	put_field(l, key, num, (size_t)snprintf(num, sizeof(num), "%lld", value));
}

void log_double(log_line *l, const char *key, double value)
{
	char num[40];
	int n = isfinite(value) ? snprintf(num, sizeof(num), "%.3f", value) : -1;

	if (n < 0 || (size_t)n >= sizeof(num))
		put_field(l, key, "null", 4);
	else
		put_field(l, key, num, (size_t)n);
}

void log_bool(log_line *l, const char *key, int value)
{
	put_field(l, key, value ? "true" : "false", value ? 4 : 5);
}

const char *log_text(log_line *l)
{
	l->buf[l->len] = '}';
	l->buf[l->len + 1] = '\0';
	return l->buf;
}

void log_end(log_line *l)
{
	l->buf[l->len] = '}';
	l->buf[l->len + 1] = '\n';
	fwrite(l->buf, 1, l->len + 2, stderr);
}

void log_error(const char *msg, const app_err *err)
{
	log_line l;

	log_begin(&l, "error", msg);
	log_str(&l, "detail", err->msg);
	log_end(&l);
}
