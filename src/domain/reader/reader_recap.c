/* The recap ("지난 이야기"): when it is due, the extractive one, the check on every recap. */
#include "domain/reader/reader_rules.h"

#include <stdio.h>
#include <string.h>

#include "domain/common/text.h"
#include "domain/reader/reader_internal.h"

int reader_recap_due(int64_t last_read_at, int64_t last_number, int64_t latest, int64_t now)
{
	return now - last_read_at >= READER_AWAY_MS || latest - last_number >= READER_BEHIND;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The length of the first sentence of s: through '.', '!', '?' or '。' and its closing quotes. */
static size_t first_sentence(const char *s)
{
	size_t i = 0, end;

	for (; s[i]; i++) {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?')
			end = i + 1;
		else if (strncmp(s + i, "\xe3\x80\x82", 3) == 0) /* U+3002 */
			end = i + 3;
		else
			continue;
		while (s[end] == '"' || s[end] == '\'' || strncmp(s + end, "\xe2\x80\x9d", 3) == 0)
			end += s[end] == '"' || s[end] == '\'' ? 1 : 3;
		if (!s[end] || is_space(s[end]))
			return end;
	}
	return i;
}

void reader_copy_cut(char *out, size_t cap, const char *s, size_t n)
{
	if (n < cap) {
		memcpy(out, s, n);
		out[n] = '\0';
		return;
	}
	n = cap - 4; /* room for "…" and the NUL */
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(out, s, n);
	memcpy(out + n, "\xe2\x80\xa6", 4);
}

void reader_recap_offline(reader_recap *out, const reader_summary *src, size_t n)
{
	const reader_summary *with[256];
	const size_t cap = sizeof(with) / sizeof(with[0]);
	size_t m = 0, pick;

	memset(out, 0, sizeof(*out));
	/* past 256 episodes, the latest 256: a recap leads up to now */
	for (size_t i = n > cap ? n - cap : 0; i < n; i++) {
		const char *s = src[i].summary ? src[i].summary : "";

		while (is_space(*s))
			s++;
		if (*s)
			with[m++] = &src[i];
	}
	for (size_t k = 0; k < READER_RECAP_SENTENCES && k < m; k++) {
		const char *s;

		/* spread evenly, the first and the latest always in */
		pick = m <= READER_RECAP_SENTENCES ? k : k * (m - 1) / (READER_RECAP_SENTENCES - 1);
		s = with[pick]->summary;
		while (is_space(*s))
			s++;
		out->s[out->n].episode = with[pick]->number;
		reader_copy_cut(out->s[out->n].text, READER_SENTENCE_BYTES, s, first_sentence(s));
		out->n++;
	}
}

static int cited_read(int64_t number, const int64_t *read, size_t nread)
{
	size_t lo = 0, hi = nread;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (read[mid] == number)
			return 1;
		if (read[mid] < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

int reader_recap_check(const reader_recap *r, const int64_t *read, size_t nread, app_err *err)
{
	if (r->n == 0 || r->n > READER_RECAP_SENTENCES)
		return app_err_set(err, APP_EINVALID, NULL, NULL, "a recap has 1 to %d sentences",
				   READER_RECAP_SENTENCES);
	for (size_t i = 0; i < r->n; i++) {
		const char *t = r->s[i].text;

		if (!t[0] || !text_utf8_valid(t, strlen(t)))
			return app_err_set(err, APP_EINVALID, NULL, NULL, "sentence %zu is empty",
					   i + 1);
		if (r->s[i].episode <= 0)
			return app_err_set(err, APP_EINVALID, NULL, NULL,
					   "sentence %zu cites no episode", i + 1);
		if (!cited_read(r->s[i].episode, read, nread))
			return app_err_set(err, APP_EINVALID, NULL, NULL,
					   "sentence %zu cites episode %lld, not read", i + 1,
					   (long long)r->s[i].episode);
	}
	return 0;
}

int reader_cites_within(const int64_t *cites, size_t ncites, const int64_t *read, size_t nread)
{
	for (size_t i = 0; i < ncites; i++)
		if (!cited_read(cites[i], read, nread))
			return 0;
	return 1;
}
