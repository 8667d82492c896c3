/*
 * The one writer of log lines: a JSON object a line on stderr, written with
 * one call so lines from several threads never interleave. Keys are the
 * caller's literals; string values are escaped (quotes, backslashes, control
 * characters; malformed UTF-8 becomes U+FFFD). A line longer than
 * LOG_LINE_MAX keeps what fits, cut between fields or at a character.
 *
 *	log_line l;
 *
 *	log_begin(&l, "error", "mail pass failed");
 *	log_str(&l, "detail", err.msg);
 *	log_end(&l);
 */
#ifndef WL_DOMAIN_LOG_H
#define WL_DOMAIN_LOG_H

#include <stddef.h>

#include "domain/common/err.h"

#define LOG_LINE_MAX 2048

typedef struct log_line {
	char buf[LOG_LINE_MAX];
	size_t len;
	int full; /* a field did not fit: the rest are left out */
} log_line;

/* {"level":level,"msg":msg */
void log_begin(log_line *l, const char *level, const char *msg);
/* ,"key":"value" (NULL: null) */
void log_str(log_line *l, const char *key, const char *value);
/* The same for value[0..n). */
void log_strn(log_line *l, const char *key, const char *value, size_t n);
void log_int(log_line *l, const char *key, long long value);
void log_double(log_line *l, const char *key, double value);
void log_bool(log_line *l, const char *key, int value);
/* Closes the object and writes the line to stderr. */
void log_end(log_line *l);
/* The text of the line so far, closed ("...}"), without writing it (for tests). */
const char *log_text(log_line *l);

/* {"level":"error","msg":msg,"detail":err->msg}: a pass or task that failed. */
void log_error(const char *msg, const app_err *err);

#endif
