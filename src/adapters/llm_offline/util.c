#include "adapters/llm_offline/offline_internal.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void offline_buf_cp(strbuf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	strbuf_add(b, u, n);
}

void offline_buf_clean(strbuf *b, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		uint32_t cp = offline_utf8_next(s, n, &i);

		if (cp != 0)
			offline_buf_cp(b, cp);
	}
}

int offline_cp_is_hangul(uint32_t cp)
{
	return (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0x1100 && cp <= 0x11FF) ||
	       (cp >= 0x3130 && cp <= 0x318F);
}

int offline_cp_width(uint32_t cp)
{
	if (offline_cp_is_hangul(cp) || (cp >= 0x2E80 && cp <= 0x303E) || /* CJK radicals, punct */
	    (cp >= 0x3041 && cp <= 0x33FF) ||				  /* kana, CJK compat */
	    (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
	    (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
	    (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	    (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

int offline_cp_is_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' ||
	       cp == 0xA0 || cp == 0x3000;
}

int offline_text_is_korean(const char *s, size_t len)
{
	size_t i = 0, hangul = 0, latin = 0;

	while (i < len) {
		uint32_t cp = text_utf8_next(s, len, &i);

		if (cp >= 0xAC00 && cp <= 0xD7A3)
			hangul++;
		else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			latin++;
	}
	/* a syllable block carries about as much as two or three Latin letters */
	return hangul > 0 && hangul * 3 >= latin;
}

void offline_fmt_thousands(char *dst, size_t cap, long long v)
{
	char digits[32];
	char out[48];
	int n, j = 0, neg = v < 0;
	unsigned long long u = neg ? 0ULL - (unsigned long long)v : (unsigned long long)v;

	n = snprintf(digits, sizeof(digits), "%llu", u);
	if (neg)
		out[j++] = '-';
	for (int k = 0; k < n; k++) {
		if (k > 0 && (n - k) % 3 == 0)
			out[j++] = ',';
		out[j++] = digits[k];
	}
	out[j] = '\0';
	snprintf(dst, cap, "%s", out);
}

/*
 * BLAKE2b needs no sodium_init() here: its reference implementation is there from
 * the start, and the one sodium_init() picks at the server's start gives the same digests.
 */
uint32_t offline_seed(const char *s, size_t len)
{
	unsigned char d[crypto_generichash_BYTES_MIN];

	crypto_generichash(d, sizeof(d), (const unsigned char *)s, len, NULL, 0);
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}
