/*
 * A growing NUL-terminated string. After a failed allocation it records
 * `oom` and ignores further writes, so builders check once at the end.
 * Zero-initialised ({0}) is an empty buffer.
 */
#ifndef WL_DOMAIN_STRBUF_H
#define WL_DOMAIN_STRBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct strbuf {
	char *s;
	size_t len, cap;
	int oom;
} strbuf;

/* Room for more bytes and a NUL at s + len (the caller then adds to len); NULL after oom. */
char *strbuf_reserve(strbuf *b, size_t more);
void strbuf_add(strbuf *b, const char *s, size_t n);
void strbuf_str(strbuf *b, const char *s);
/* The decimal digits of v (a '-' first when negative), as "%" PRId64 writes them, without printf.
 */
void strbuf_int(strbuf *b, int64_t v);
void strbuf_fmt(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Returns the string (the caller frees; "" when empty) or NULL after oom; resets b. */
char *strbuf_take(strbuf *b);
void strbuf_dispose(strbuf *b);

#endif
