/*
 * Terms: words split on whitespace and punctuation; Latin letters lowercased;
 * for Korean, one common particle (조사) is stripped from the end of a word
 * when at least two syllables remain ("서재에서" -> "서재"), which lets the
 * inflected forms of a noun count together. Words shorter than two Hangul
 * syllables or three Latin letters, and a few stop words, are ignored.
 *
 * Score of a sentence: the mean over its terms of tf / max_tf (plus a bonus for
 * words of the title), times 2n / (n + 4) for n terms (a saturating preference
 * for sentences with several content words), times a position weight (earlier
 * is better; the first sentence of the text and of each paragraph get a bonus;
 * dialogue lines a malus).
 */
#include "adapters/llm_offline/offline_internal.h"
#include "adapters/llm_offline/offline_text.h"
#include "domain/common/err.h"

#include <stdlib.h>
#include <string.h>

static int is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z');
	if (cp == 0xA0 || cp == 0xB7 || cp == 0xFFFD)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0x2190 && cp <= 0x2BFF))
		return 0;
	return 1;
}

int offline_for_each_word(const char *s, size_t start, size_t end, offline_word_fn fn, void *ctx)
{
	char w[OFFLINE_WORD_MAX];
	size_t i = start, wlen = 0, wstart = start;
	int rc;

	while (i <= end) {
		size_t at = i;
		uint32_t cp = i < end ? offline_utf8_next(s, end, &i) : 0;

		if (i > at && cp && is_word_cp(cp)) {
			if (wlen == 0)
				wstart = at;
			if (wlen + (i - at) <= sizeof(w)) {
				memcpy(w + wlen, s + at, i - at);
				wlen += i - at;
			}
			continue;
		}
		if (wlen) {
			rc = fn(ctx, w, wlen, wstart);
			if (rc < 0)
				return rc;
			wlen = 0;
		}
		if (at == end)
			break;
	}
	return 0;
}

/* Korean particles, longest first within each ending. */
static const char *const particles[] = {
    "에서는", "에게서", "으로는", "이라는", "에서도", "에서", "에게", "으로", "까지", "부터",
    "처럼",   "보다",	"이나",	  "라는",   "에는",   "과는", "와는", "은",   "는",   "이",
    "가",     "을",	"를",	  "의",	    "에",     "로",   "와",   "과",   "도",   "만",
};

static const char *const stop_ko[] = {
    "그리고", "하지만", "그러나", "그래서", "그녀", "그것", "이것", "저것", "우리",   "자신",
    "있었다", "없었다", "했다",	  "였다",   "있다", "없다", "한다", "하는", "그런",   "이런",
    "저런",   "어떤",	"모든",	  "정말",   "다시", "아직", "지금", "때문", "그렇게", "것이다",
};

static const char *const stop_en[] = {
    "the",  "and",  "for",   "that", "with",  "was",   "were", "are",  "but",  "his",
    "her",  "she",  "him",   "they", "them",  "their", "this", "from", "had",  "have",
    "has",  "not",  "you",   "your", "all",   "its",   "into", "then", "than", "there",
    "what", "when", "which", "who",  "would", "could", "been", "out",  "one",  "said",
    "just", "like", "about", "only", "over",  "again", "very", "will", "can",  "did",
};

static int in_list(const char *w, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && memcmp(list[i], w, n) == 0)
			return 1;
	return 0;
}

/*
 * Normalises a word in place (w has room for its n bytes) and returns the new
 * length, or 0 when the word is not a term.
 */
static size_t normalise(char *w, size_t n)
{
	size_t i = 0, syll = 0, latin = 0;

	while (i < n) {
		uint32_t cp = offline_utf8_next(w, n, &i);

		if (cp >= 0xAC00 && cp <= 0xD7A3)
			syll++;
		else if (cp < 0x80)
			latin++;
	}
	if (syll > 0) {
		for (size_t k = 0; k < sizeof(particles) / sizeof(particles[0]); k++) {
			size_t pl = strlen(particles[k]);

			/* every particle is Hangul: 3 bytes a syllable */
			if (pl < n && memcmp(w + n - pl, particles[k], pl) == 0 &&
			    syll - pl / 3 >= 2) {
				n -= pl;
				syll -= pl / 3;
				break;
			}
		}
		if (syll < 2 || in_list(w, n, stop_ko, sizeof(stop_ko) / sizeof(stop_ko[0])))
			return 0;
		return n;
	}
	for (size_t k = 0; k < n; k++)
		if (w[k] >= 'A' && w[k] <= 'Z')
			w[k] = (char)(w[k] - 'A' + 'a');
	if (latin == n && n < 3)
		return 0;
	if (in_list(w, n, stop_en, sizeof(stop_en) / sizeof(stop_en[0])))
		return 0;
	return n;
}

static uint64_t hash64(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

static term *map_find(term_map *m, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	while (m->slots[i].hash && m->slots[i].hash != h)
		i = (i + 1) & (m->cap - 1);
	return &m->slots[i];
}

static int map_grow(term_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 1024;
	term *old = m->slots;
	size_t oldcap = m->cap;

	m->slots = calloc(cap, sizeof(term));
	if (!m->slots) {
		m->slots = old;
		return APP_ENOMEM;
	}
	m->cap = cap;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i].hash)
			*map_find(m, old[i].hash) = old[i];
	free(old);
	return 0;
}

static uint32_t map_count(const term_map *m, uint64_t h)
{
	size_t i;

	if (!m->cap)
		return 0;
	i = (size_t)h & (m->cap - 1);
	while (m->slots[i].hash && m->slots[i].hash != h)
		i = (i + 1) & (m->cap - 1);
	return m->slots[i].hash ? m->slots[i].count : 0;
}

static int count_term(void *ctx, char *w, size_t n, size_t off)
{
	term_map *m = ctx;
	term *t;
	uint64_t h;

	n = normalise(w, n);
	if (!n)
		return 0;
	h = hash64(w, n);
	if ((m->used + 1) * 2 > m->cap && map_grow(m) < 0)
		return APP_ENOMEM;
	t = map_find(m, h);
	if (!t->hash) {
		t->hash = h;
		t->off = off;
		t->len = (uint32_t)n;
		m->used++;
	}
	t->count++;
	if (t->count > m->max_count)
		m->max_count = t->count;
	return 0;
}

typedef struct score_ctx {
	const doc *d;
	double sum;
	int n;
} score_ctx;

static int score_term(void *ctx, char *w, size_t n, size_t off)
{
	score_ctx *c = ctx;
	const doc *d = c->d;
	uint64_t h;

	(void)off;
	n = normalise(w, n);
	if (!n)
		return 0;
	h = hash64(w, n);
	c->sum += (double)map_count(&d->terms, h) / (double)d->terms.max_count;
	for (int k = 0; k < d->ntitle_terms; k++)
		if (d->title_terms[k] == h)
			c->sum += 0.5;
	c->n++;
	return 0;
}

static int title_term(void *ctx, char *w, size_t n, size_t off)
{
	doc *d = ctx;

	(void)off;
	n = normalise(w, n);
	if (n && d->ntitle_terms < (int)(sizeof(d->title_terms) / sizeof(d->title_terms[0])))
		d->title_terms[d->ntitle_terms++] = hash64(w, n);
	return 0;
}

int offline_score_sentences(doc *d, const char *title)
{
	int rc;

	for (size_t k = 0; k < d->nsent; k++) {
		rc = offline_for_each_word(d->text, d->sent[k].start, d->sent[k].end, count_term,
					   &d->terms);
		if (rc < 0)
			return rc;
	}
	if (title)
		offline_for_each_word(title, 0, strlen(title), title_term, d);
	for (size_t k = 0; k < d->nsent; k++) {
		sentence *s = &d->sent[k];
		score_ctx c = {d, 0.0, 0};
		double w;

		offline_for_each_word(d->text, s->start, s->end, score_term, &c);
		s->nterms = c.n;
		if (c.n == 0) {
			s->score = 0.0;
			continue;
		}
		/* mean weight, times a factor that saturates: several content words beat one */
		s->score = c.sum / c.n * (2.0 * c.n / (c.n + 4.0));
		w = 1.0 + 0.6 * (1.0 - (double)k / (double)d->nsent);
		if (k == 0)
			w *= 1.25;
		else if (s->para_first)
			w *= 1.15;
		if (s->dialogue)
			w *= 0.6;
		s->score *= w;
	}
	return 0;
}

static int term_rank_before(const term *a, const term *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	return a->off < b->off;
}

size_t offline_top_terms(const term **top, size_t max, const doc *d)
{
	size_t ntop = 0;

	for (size_t i = 0; i < d->terms.cap; i++) {
		const term *t = &d->terms.slots[i];
		size_t k;

		if (!t->hash || t->count < 2)
			continue;
		/* insertion into the small sorted top list */
		for (k = ntop; k > 0 && term_rank_before(t, top[k - 1]); k--)
			if (k < max)
				top[k] = top[k - 1];
		if (k < max) {
			top[k] = t;
			if (ntop < max)
				ntop++;
		}
	}
	return ntop;
}
