/* Helpers shared by the offline generator's files; not part of its interface. */
#ifndef WL_ADAPTER_LLM_OFFLINE_INTERNAL_H
#define WL_ADAPTER_LLM_OFFLINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* A growing NUL-terminated string; after a failed allocation it only records oom. */
typedef struct offline_buf {
	char *s;
	size_t len, cap;
	int oom;
} offline_buf;

void offline_buf_add(offline_buf *b, const char *s, size_t n);
void offline_buf_str(offline_buf *b, const char *s);
void offline_buf_fmt(offline_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Appends one code point as UTF-8. */
void offline_buf_cp(offline_buf *b, uint32_t cp);
/* Appends s[0..n) with invalid UTF-8 and NULs replaced (U+FFFD / dropped). */
void offline_buf_clean(offline_buf *b, const char *s, size_t n);
/* Appends s[0..n) XML-escaped (& < > " '), control characters as spaces. */
void offline_buf_xml(offline_buf *b, const char *s, size_t n);
/* Returns the string (caller frees) or NULL after oom; resets b. */
char *offline_buf_take(offline_buf *b);
void offline_buf_dispose(offline_buf *b);

/*
 * Decodes the code point at s[*i] (i < len) and advances *i past it. A byte
 * that does not start a well-formed sequence decodes as U+FFFD and advances 1.
 */
uint32_t offline_utf8_next(const char *s, size_t len, size_t *i);

/* Display width: 2 for Hangul, CJK and fullwidth forms, else 1. */
int offline_cp_width(uint32_t cp);
int offline_cp_is_hangul(uint32_t cp);
/* ASCII whitespace, U+00A0 or U+3000. */
int offline_cp_is_space(uint32_t cp);
/* 1 when the text reads as Korean: Hangul syllables outweigh Latin letters. */
int offline_text_is_korean(const char *s, size_t len);
/* 12345 -> "12,345". */
void offline_fmt_thousands(char *dst, size_t cap, long long v);
/* 32-bit FNV-1a. */
uint32_t offline_fnv1a(const char *s, size_t len);

#endif
