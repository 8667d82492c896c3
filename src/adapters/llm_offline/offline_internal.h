/* Helpers shared by the offline generator's files; not part of its interface. */
#ifndef WL_ADAPTER_LLM_OFFLINE_INTERNAL_H
#define WL_ADAPTER_LLM_OFFLINE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/strbuf.h"
#include "domain/common/text.h"

/* The code point at s[*i], U+FFFD for a malformed byte (the one decoder, text.h). */
static inline uint32_t offline_utf8_next(const char *s, size_t len, size_t *i)
{
	return text_utf8_next(s, len, i);
}

/* Appends one code point as UTF-8. */
void offline_buf_cp(strbuf *b, uint32_t cp);
/* Appends s[0..n) with invalid UTF-8 and NULs replaced (U+FFFD / dropped). */
void offline_buf_clean(strbuf *b, const char *s, size_t n);

/* Display width: 2 for Hangul, CJK and fullwidth forms, else 1. */
int offline_cp_width(uint32_t cp);
int offline_cp_is_hangul(uint32_t cp);
/* ASCII whitespace, U+00A0 or U+3000. */
int offline_cp_is_space(uint32_t cp);
/* 1 when the text reads as Korean: Hangul syllables outweigh Latin letters. */
int offline_text_is_korean(const char *s, size_t len);
/* 12345 -> "12,345". */
void offline_fmt_thousands(char *dst, size_t cap, long long v);
/* A 32-bit seed of len bytes of s: the first four bytes of their BLAKE2b digest (libsodium). */
uint32_t offline_seed(const char *s, size_t len);

#endif
