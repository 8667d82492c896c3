/* Text rules shared by the cores: UTF-8 validity, character counts, trimming. */
#ifndef WL_DOMAIN_TEXT_H
#define WL_DOMAIN_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"

/*
 * The one UTF-8 decoder: the code point at s[*i] (*i < len), advancing *i
 * past it; -1 for a byte that does not start a well-formed sequence
 * (overlong, surrogate, beyond U+10FFFF, cut short), advancing 1.
 */
int32_t text_utf8_decode(const char *s, size_t len, size_t *i);
/* text_utf8_decode() with U+FFFD for what is not well-formed. */
uint32_t text_utf8_next(const char *s, size_t len, size_t *i);
/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or NULs). */
int text_utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8. */
size_t text_utf8_chars(const char *s, size_t len);
/* Returns a newly allocated copy without leading/trailing ASCII whitespace, or NULL. */
char *text_trim_dup(const char *s);
/*
 * Trimmed text of 1..max characters of UTF-8 (0..max when not required), on
 * one line when one_line (no control characters), into dst (cap bytes);
 * APP_EINVALID validation_failed naming field otherwise.
 */
int text_take(char *dst, size_t cap, const char *s, size_t max, int required, int one_line,
	      const char *field, app_err *err);
/* A plausible e-mail address: one '@', non-empty local part, a dot in the domain, no spaces. */
int text_email_plausible(const char *s);

#endif
