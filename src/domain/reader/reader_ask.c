/*
 * Asking the story: the question's terms, looked for paragraph by paragraph
 * in what the reader may read and has reached. A term found only in what
 * they have not read makes the question one about later episodes: refused.
 */
#include "domain/reader/reader_rules.h"

#include <string.h>

#include "domain/common/text.h"
#include "domain/reader/reader_internal.h"

#define TERM_BYTES 64

typedef struct terms {
	char t[READER_TERMS][TERM_BYTES];
	size_t n;
} terms;

/* Korean particles and endings that follow a name or a noun, longest first. */
static const char *const PARTICLES[] = {
    "에게서", "한테서", "이라는", "이라고", "이었던", "이었지", "였던", "에게", "한테", "에서",
    "으로",   "이란",	"이랑",	  "까지",   "부터",   "처럼",	"보다", "라는", "이는", "이가",
    "이를",   "이의",	"이야",	  "은",	    "는",     "이",	"가",	"을",	"를",	"의",
    "에",     "와",	"과",	  "도",	    "로",     "랑",	"란",
};

/* Question words (a word beginning with one is dropped) and English function words. */
static const char *const QUESTION_WORDS[] = {
    "누구", "누가", "누군", "무엇", "뭐",   "무슨", "어디", "언제",   "왜",   "어떻게",
    "어떤", "어느", "얼마", "그녀", "그는", "그가", "그의", "이야기", "다시", "알려",
};
static const char *const STOP_WORDS[] = {
    "who",  "what",  "where", "when",	"why",	    "how",    "which", "whom",	 "whose", "is",
    "was",  "were",  "are",   "the",	"did",	    "does",   "do",    "and",	 "she",	  "her",
    "his",  "him",   "they",  "them",	"their",    "that",   "this",  "about",	 "with",  "for",
    "from", "again", "tell",  "remind", "happened", "happen", "who's", "what's", "has",	  "had",
};

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

static int ends_with(const char *w, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && memcmp(w + n - k, suffix, k) == 0;
}

static int starts_with(const char *w, const char *prefix)
{
	return strncmp(w, prefix, strlen(prefix)) == 0;
}

/* Strips one particle, keeping at least two characters. */
static size_t strip_particle(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(PARTICLES) / sizeof(PARTICLES[0]); i++)
		if (ends_with(w, n, PARTICLES[i]) && utf8_chars(w, n - strlen(PARTICLES[i])) >= 2)
			return n - strlen(PARTICLES[i]);
	return n;
}

static int dropped(const char *w, size_t n)
{
	int ascii = 1;

	for (size_t i = 0; i < sizeof(QUESTION_WORDS) / sizeof(QUESTION_WORDS[0]); i++)
		if (starts_with(w, QUESTION_WORDS[i]))
			return 1;
	for (size_t i = 0; i < sizeof(STOP_WORDS) / sizeof(STOP_WORDS[0]); i++)
		if (strlen(STOP_WORDS[i]) == n && memcmp(w, STOP_WORDS[i], n) == 0)
			return 1;
	for (size_t i = 0; i < n; i++)
		ascii &= (unsigned char)w[i] < 0x80;
	return ascii ? n < 3 : utf8_chars(w, n) < 2;
}

/* ASCII punctuation, and the quotes, ellipses and brackets of Korean text. */
static size_t separator(const char *s)
{
	static const char *const wide[] = {"“",	 "”",  "‘",  "’", "…", "「",
					   "」", "『", "』", "·", "。"};
	unsigned char c = (unsigned char)*s;

	if (c < 0x80)
		return (c <= ' ' || strchr("?!.,;:\"'()[]{}<>~/\\|-_*&^%$#@+=`", c)) ? 1 : 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (starts_with(s, wide[i]))
			return strlen(wide[i]);
	return 0;
}

static void add_term(terms *t, const char *w, size_t n)
{
	char word[TERM_BYTES];

	if (n == 0 || n >= TERM_BYTES || t->n == READER_TERMS)
		return;
	for (size_t i = 0; i < n; i++)
		word[i] = (w[i] >= 'A' && w[i] <= 'Z') ? (char)(w[i] - 'A' + 'a') : w[i];
	n = strip_particle(word, n);
	word[n] = '\0';
	if (dropped(word, n))
		return;
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->t[i], word) == 0)
			return;
	memcpy(t->t[t->n++], word, n + 1);
}

/* Calls fn on every word of s (between separators) until it returns non-zero; returns that. */
static int each_word(const char *s, int (*fn)(void *ctx, const char *w, size_t n), void *ctx)
{
	const char *w = NULL;
	size_t sep;
	int rc;

	for (const char *p = s;; p += sep ? sep : 1) {
		sep = *p ? separator(p) : 1;
		if (sep && w) {
			if ((rc = fn(ctx, w, (size_t)(p - w))))
				return rc;
			w = NULL;
		} else if (!sep && !w) {
			w = p;
		}
		if (!*p)
			return 0;
	}
}

static int collect_term(void *ctx, const char *w, size_t n)
{
	add_term(ctx, w, n);
	return 0;
}

static void question_terms(terms *t, const char *q)
{
	t->n = 0;
	each_word(q, collect_term, t);
}

/* 1 when hay[0..n) holds needle (lower-case), ASCII compared without case. */
static int holds(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);

	for (size_t i = 0; i + k <= n; i++) {
		size_t j = 0;

		while (j < k) {
			char c = hay[i + j];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != needle[j])
				break;
			j++;
		}
		if (j == k)
			return 1;
	}
	return 0;
}

int reader_question_check(const char *q, app_err *err)
{
	size_t len = q ? strlen(q) : 0;
	terms t;

	if (!q || !text_utf8_valid(q, len) || text_utf8_chars(q, len) > READER_QUESTION_CHARS)
		return app_err_set(err, APP_EINVALID, NULL, "question",
				   "a question is 1 to %d characters", READER_QUESTION_CHARS);
	question_terms(&t, q);
	if (t.n == 0)
		return app_err_set(err, APP_EINVALID, NULL, "question",
				   "the question names nothing to look for in the story");
	return 0;
}

/* Keeps the best READER_PASSAGES in out, best first; ties go to the earlier paragraph. */
static void offer(reader_answer *out, const reader_episode *e, int64_t para, const char *s,
		  size_t n, int score)
{
	size_t at = out->n;

	while (at > 0 && out->p[at - 1].score < score)
		at--;
	if (at == READER_PASSAGES)
		return;
	if (out->n < READER_PASSAGES)
		out->n++;
	memmove(&out->p[at + 1], &out->p[at], (out->n - 1 - at) * sizeof(out->p[0]));
	out->p[at].episode = e->number;
	out->p[at].paragraph = para;
	out->p[at].score = score;
	reader_copy_cut(out->p[at].text, READER_PASSAGE_BYTES, s, n);
}

/* Scores every paragraph of a readable episode; marks the terms it holds in seen. */
static void scan_episode(reader_answer *out, int seen[READER_TERMS], const terms *t,
			 const reader_episode *e)
{
	const char *p = e->text ? e->text : "";
	int64_t para = 0;

	while (*p) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		int score = 0;

		while (n > 0 && (*p == ' ' || *p == '\t' || *p == '\r'))
			p++, n--;
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
			n--;
		if (n > 0) {
			for (size_t i = 0; i < t->n; i++)
				if (holds(p, n, t->t[i])) {
					seen[i] = 1;
					score += 1 + (int)utf8_chars(t->t[i], strlen(t->t[i]));
				}
			if (score > 0)
				offer(out, e, para, p, n, score);
			para++;
		}
		if (!end)
			break;
		p = end + 1;
	}
}

int reader_ask(reader_answer *out, const char *question, const reader_episode *eps, size_t n,
	       app_err *err)
{
	int seen[READER_TERMS] = {0};
	terms t;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = reader_question_check(question, err)))
		return rc;
	question_terms(&t, question);
	for (size_t i = 0; i < n; i++)
		if (eps[i].readable)
			scan_episode(out, seen, &t, &eps[i]);
	for (size_t k = 0; k < t.n; k++) {
		if (seen[k])
			continue;
		for (size_t i = 0; i < n; i++)
			if (!eps[i].readable && eps[i].text &&
			    holds(eps[i].text, strlen(eps[i].text), t.t[k])) {
				memset(out, 0, sizeof(*out));
				out->refused = 1;
				return 0;
			}
	}
	return 0;
}

/* 1 when a readable episode holds word; 2 when only an unreadable one does; 0 when none. */
static int where_held(const char *word, const reader_episode *eps, size_t n)
{
	int later = 0;

	for (size_t i = 0; i < n; i++) {
		if (!eps[i].text || !holds(eps[i].text, strlen(eps[i].text), word))
			continue;
		if (eps[i].readable)
			return 1;
		later = 1;
	}
	return later ? 2 : 0;
}

typedef struct spoil_scan {
	const reader_episode *eps;
	size_t n;
} spoil_scan;

/*
 * A word spoils when it, or (Korean words carry endings: "태오였다") its
 * longest beginning of two characters or more that any episode holds, is
 * held only by unreadable episodes.
 */
static int word_spoils(void *ctx, const char *w, size_t n)
{
	const spoil_scan *sc = ctx;
	terms t = {.n = 0};
	size_t len;
	int ascii = 1;

	add_term(&t, w, n);
	if (t.n == 0)
		return 0;
	len = strlen(t.t[0]);
	for (size_t i = 0; i < len; i++)
		ascii &= (unsigned char)t.t[0][i] < 0x80;
	while (len > 0 && utf8_chars(t.t[0], len) >= 2) {
		int where;

		t.t[0][len] = '\0';
		if ((where = where_held(t.t[0], sc->eps, sc->n)))
			return where == 2;
		if (ascii)
			return 0;
		do
			len--;
		while (len > 0 && ((unsigned char)t.t[0][len] & 0xC0) == 0x80);
	}
	return 0;
}

int reader_spoils(const char *text, const reader_episode *eps, size_t n)
{
	spoil_scan sc = {eps, n};

	return each_word(text, word_spoils, &sc);
}
