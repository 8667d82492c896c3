/*
 * Offline text generator: extractive summary, tagline, formula price and a
 * cover prompt, all derived deterministically from the manuscript.
 *
 * Sentences end at '.', '!', '?' (when not followed by a Latin letter or a
 * digit, so "3.14" and "e.g" stay whole), at U+3002 and the fullwidth '!' '?'
 * and at line breaks; closing quotes and brackets after a terminator stay with
 * the sentence. A line break also starts a paragraph.
 *
 * Terms: words split on whitespace and punctuation; Latin letters lowercased;
 * for Korean, one common particle (조사) is stripped from the end of a word
 * when at least two syllables remain ("서재에서" -> "서재"), which lets the
 * inflected forms of a noun count together. Words shorter than two Hangul
 * syllables or three Latin letters, and a few stop words, are ignored.
 *
 * Score of a sentence: the mean over its terms of tf / max_tf (plus a bonus for
 * words of the title), times 2n / (n + 4) for n terms (a saturating preference
 * for sentences with several content words), times a position weight (earlier is better; the
 * first sentence of the text and of each paragraph get a bonus; dialogue lines
 * a malus). The 2-3 best that fit OFFLINE_SUMMARY_MAX are printed in their
 * original order.
 */
#include "adapters/llm_offline/llm_offline.h"
#include "adapters/llm_offline/offline_internal.h"
#include "domain/aigen/aigen.h"
#include "domain/common/text.h"

#include <stdlib.h>
#include <string.h>

#define SENT_MIN_WIDTH	16  /* display units: 8 Hangul syllables or 16 letters */
#define SENT_MAX_CHARS	190 /* two always fit OFFLINE_SUMMARY_MAX */
#define TAGLINE_MAX	80  /* a short sentence makes a tagline */
#define TITLE_IN_TEXT	100 /* characters of the title quoted in generated text */
#define TOKEN_MAX_BYTES 96
#define TOP_TERMS	3

typedef struct sentence {
	size_t start, end; /* bytes of content, trimmed */
	size_t chars;
	int width;
	int para_first;
	int dialogue;
	int terminated;
	int nterms;
	double score;
	int picked;
} sentence;

typedef struct term {
	uint64_t hash; /* 0: empty slot */
	uint32_t count;
	uint32_t len; /* normalised length; the text at off is its original form */
	size_t off;
} term;

typedef struct term_map {
	term *slots;
	size_t cap, used;
	uint32_t max_count;
} term_map;

typedef struct doc {
	const char *text;
	size_t len;
	sentence *sent;
	size_t nsent, capsent;
	term_map terms;
	uint64_t title_terms[16];
	int ntitle_terms;
	int korean;
	size_t pick[3]; /* the summary's sentences, in the order picked */
	int npick;
} doc;

/* --- sentence splitting ---------------------------------------------------- */

static int is_terminator(uint32_t cp)
{
	return cp == '.' || cp == '!' || cp == '?' || cp == 0x3002 || cp == 0xFF01 ||
	       cp == 0xFF1F || cp == 0xFF0E;
}

static int is_closer(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == ')' || cp == ']' || cp == 0x201D || cp == 0x2019 ||
	       cp == 0x300D || cp == 0x300F || cp == 0x3009 || cp == 0x300B || cp == 0xFF09;
}

static int is_opener(uint32_t cp)
{
	return cp == '"' || cp == '\'' || cp == '-' || cp == 0x201C || cp == 0x2018 ||
	       cp == 0x300C || cp == 0x300E || cp == 0x2014 || cp == 0x2015;
}

static int is_ascii_alnum(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

static int add_sentence(doc *d, size_t start, size_t end, int para_first)
{
	const char *t = d->text;
	sentence *s;
	size_t i, last_start, p;
	uint32_t cp = 0, first = 0, core = 0;

	/* trim */
	while (start < end) {
		p = start;
		cp = offline_utf8_next(t, end, &p);
		if (!offline_cp_is_space(cp))
			break;
		start = p;
	}
	while (end > start) {
		last_start = end - 1;
		while (last_start > start && ((unsigned char)t[last_start] & 0xC0) == 0x80)
			last_start--;
		p = last_start;
		cp = offline_utf8_next(t, end, &p);
		if (!offline_cp_is_space(cp))
			break;
		end = last_start;
	}
	if (start >= end)
		return 0;
	if (d->nsent == d->capsent) {
		size_t cap = d->capsent ? d->capsent * 2 : 64;
		sentence *n = realloc(d->sent, cap * sizeof(*n));

		if (!n)
			return APP_ENOMEM;
		d->sent = n;
		d->capsent = cap;
	}
	s = &d->sent[d->nsent++];
	memset(s, 0, sizeof(*s));
	s->start = start;
	s->end = end;
	s->para_first = para_first;
	i = start;
	while (i < end) {
		cp = offline_utf8_next(t, end, &i);
		if (s->chars == 0)
			first = cp;
		s->chars++;
		s->width += offline_cp_width(cp);
		if (!is_closer(cp))
			core = cp;
	}
	/* the last code point before any closing quotes ends the sentence */
	s->terminated = is_terminator(core);
	s->dialogue = is_opener(first);
	return 0;
}

static int split_sentences(doc *d)
{
	const char *t = d->text;
	size_t i = 0, start = 0, n = d->len;
	int para_first = 1, rc;

	while (i < n) {
		size_t at = i;
		uint32_t cp = offline_utf8_next(t, n, &i);

		if (cp == '\n' || cp == '\r') {
			size_t before = d->nsent;

			rc = add_sentence(d, start, at, para_first);
			if (rc < 0)
				return rc;
			if (d->nsent > before)
				para_first = 0;
			start = i;
			/* the next sentence opens a paragraph */
			para_first = 1;
			continue;
		}
		if (!is_terminator(cp))
			continue;
		/* swallow runs like "?!" or "...", then closing quotes */
		for (;;) {
			size_t p = i;
			uint32_t nx;

			if (p >= n)
				break;
			nx = offline_utf8_next(t, n, &p);
			if (!is_terminator(nx) && !is_closer(nx))
				break;
			i = p;
		}
		if (cp < 0x80 && i < n) {
			size_t p = i;

			if (is_ascii_alnum(offline_utf8_next(t, n, &p)))
				continue; /* 3.14, e.g, example.com */
		}
		{
			size_t before = d->nsent;

			rc = add_sentence(d, start, i, para_first);
			if (rc < 0)
				return rc;
			if (d->nsent > before)
				para_first = 0;
		}
		start = i;
	}
	return add_sentence(d, start, n, para_first);
}

/* --- terms ----------------------------------------------------------------- */

static int is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return is_ascii_alnum(cp);
	if (cp == 0xA0 || cp == 0xB7 || cp == 0xFFFD)
		return 0;
	if ((cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0x2190 && cp <= 0x2BFF))
		return 0;
	return 1;
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

static int map_add(term_map *m, uint64_t h, size_t off, size_t len)
{
	term *t;

	if ((m->used + 1) * 2 > m->cap && map_grow(m) < 0)
		return APP_ENOMEM;
	t = map_find(m, h);
	if (!t->hash) {
		t->hash = h;
		t->off = off;
		t->len = (uint32_t)len;
		m->used++;
	}
	t->count++;
	if (t->count > m->max_count)
		m->max_count = t->count;
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

typedef int (*term_fn)(void *ctx, uint64_t h, size_t off, size_t len);

/* Calls fn for every term of s[start..end). */
static int for_each_term(const char *s, size_t start, size_t end, term_fn fn, void *ctx)
{
	char w[TOKEN_MAX_BYTES];
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
			size_t n = normalise(w, wlen);

			if (n) {
				rc = fn(ctx, hash64(w, n), wstart, n);
				if (rc < 0)
					return rc;
			}
			wlen = 0;
		}
		if (at == end)
			break;
	}
	return 0;
}

static int count_term(void *ctx, uint64_t h, size_t off, size_t len)
{
	return map_add(ctx, h, off, len);
}

typedef struct score_ctx {
	const doc *d;
	double sum;
	int n;
} score_ctx;

static int score_term(void *ctx, uint64_t h, size_t off, size_t len)
{
	score_ctx *c = ctx;
	const doc *d = c->d;

	(void)off;
	(void)len;
	c->sum += (double)map_count(&d->terms, h) / (double)d->terms.max_count;
	for (int k = 0; k < d->ntitle_terms; k++)
		if (d->title_terms[k] == h)
			c->sum += 0.5;
	c->n++;
	return 0;
}

static int title_term(void *ctx, uint64_t h, size_t off, size_t len)
{
	doc *d = ctx;

	(void)off;
	(void)len;
	if (d->ntitle_terms < (int)(sizeof(d->title_terms) / sizeof(d->title_terms[0])))
		d->title_terms[d->ntitle_terms++] = h;
	return 0;
}

static int candidate(const sentence *s, int relaxed)
{
	if (relaxed)
		return s->chars >= 4 && s->chars <= OFFLINE_SUMMARY_MAX;
	return s->terminated && s->width >= SENT_MIN_WIDTH && s->chars <= SENT_MAX_CHARS &&
	       s->nterms >= 2;
}

static int score_sentences(doc *d, const char *title)
{
	int rc;

	for (size_t k = 0; k < d->nsent; k++) {
		rc =
		    for_each_term(d->text, d->sent[k].start, d->sent[k].end, count_term, &d->terms);
		if (rc < 0)
			return rc;
	}
	if (title)
		for_each_term(title, 0, strlen(title), title_term, d);
	for (size_t k = 0; k < d->nsent; k++) {
		sentence *s = &d->sent[k];
		score_ctx c = {d, 0.0, 0};
		double w;

		for_each_term(d->text, s->start, s->end, score_term, &c);
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

/* 1 when s is picked, or reads exactly like a picked sentence (refrains repeat). */
static int shown_already(const doc *d, const sentence *s)
{
	size_t n = s->end - s->start;

	for (int k = 0; k < d->npick; k++) {
		const sentence *p = &d->sent[d->pick[k]];

		if (p->end - p->start == n &&
		    memcmp(d->text + p->start, d->text + s->start, n) == 0)
			return 1;
	}
	return 0;
}

/* Index of the best candidate not shown yet (ties: earlier), or -1. */
static long best_candidate(const doc *d, int relaxed, size_t max_chars)
{
	long best = -1;

	for (size_t k = 0; k < d->nsent; k++) {
		const sentence *s = &d->sent[k];

		if (!candidate(s, relaxed) || s->chars > max_chars || shown_already(d, s))
			continue;
		if (best < 0 || s->score > d->sent[best].score)
			best = (long)k;
	}
	return best;
}

/* Appends s[0..n) cut to at most max characters, with an ellipsis when cut. */
static void add_capped(strbuf *b, const char *s, size_t n, size_t max)
{
	size_t i = 0, chars = 0, cut = 0;

	while (i < n && chars < max) {
		offline_utf8_next(s, n, &i);
		chars++;
		if (chars <= max - 1)
			cut = i;
	}
	if (i >= n) {
		offline_buf_clean(b, s, n);
		return;
	}
	offline_buf_clean(b, s, cut);
	strbuf_str(b, "\xE2\x80\xA6"); /* U+2026 */
}

static void build_summary(strbuf *b, doc *d, const char *title, const char *pen)
{
	size_t total = 0, npicked = 0;
	int relaxed;

	for (relaxed = 0; relaxed <= 1 && npicked < 2; relaxed++) {
		while (npicked < 3) {
			size_t used = total ? total + 1 : 0; /* a space before the next */
			long k;

			if (used >= OFFLINE_SUMMARY_MAX)
				break;
			k = best_candidate(d, relaxed, OFFLINE_SUMMARY_MAX - used);
			if (k < 0)
				break;
			d->sent[k].picked = 1;
			d->pick[d->npick++] = (size_t)k;
			total += d->sent[k].chars + (total ? 1 : 0);
			npicked++;
		}
	}
	if (npicked > 0) {
		int first = 1;

		for (size_t k = 0; k < d->nsent; k++) {
			if (!d->sent[k].picked)
				continue;
			if (!first)
				strbuf_add(b, " ", 1);
			offline_buf_clean(b, d->text + d->sent[k].start,
					  d->sent[k].end - d->sent[k].start);
			first = 0;
		}
		if (total >= 10)
			return;
		strbuf_add(b, " ", 1);
	}
	/* nothing (or too little) to extract: say what the book is */
	if (d->korean) {
		strbuf_str(b, "\xE3\x80\x8E"); /* 『 */
		add_capped(b, title, strlen(title), TITLE_IN_TEXT);
		strbuf_str(b, "\xE3\x80\x8F\xEC\x9D\x80 "); /* 』은 */
		add_capped(b, pen, strlen(pen), 50);
		strbuf_str(b, " 작가가 걷다가서재에 펴낸 이야기입니다.");
	} else {
		strbuf_str(b, "\u201C");
		add_capped(b, title, strlen(title), TITLE_IN_TEXT);
		strbuf_str(b, "\u201D is a story by ");
		add_capped(b, pen, strlen(pen), 50);
		strbuf_str(b, ", published on Walking Library.");
	}
}

static void build_tagline(strbuf *b, doc *d, const char *title, const char *pen)
{
	long best = -1;

	/* a short, well-scored sentence the summary does not already show */
	for (int pass = 0; pass < 2 && best < 0; pass++) {
		for (size_t k = 0; k < d->nsent; k++) {
			const sentence *s = &d->sent[k];

			if (!s->terminated || s->nterms < 1 || s->width < 12 ||
			    s->chars > TAGLINE_MAX || (pass == 0 && shown_already(d, s)))
				continue;
			if (best < 0 || s->score > d->sent[best].score)
				best = (long)k;
		}
	}
	if (best >= 0) {
		offline_buf_clean(b, d->text + d->sent[best].start,
				  d->sent[best].end - d->sent[best].start);
		return;
	}
	add_capped(b, title, strlen(title), 60);
	if (d->korean) {
		strbuf_str(b, " \xE2\x80\x94 "); /* — */
		add_capped(b, pen, strlen(pen), 30);
		strbuf_str(b, "의 이야기");
	} else {
		strbuf_str(b, " \xE2\x80\x94 a story by ");
		add_capped(b, pen, strlen(pen), 30);
	}
}

int64_t offline_price_for_chars(size_t chars, int64_t min, int64_t max)
{
	size_t steps = chars / OFFLINE_PRICE_PER_CHARS;
	int64_t price;

	/* a price beyond any bound is clamped anyway: stop before overflow */
	if (steps > (size_t)(INT64_MAX / 2 / OFFLINE_PRICE_STEP))
		steps = (size_t)(INT64_MAX / 2 / OFFLINE_PRICE_STEP);
	price = OFFLINE_PRICE_BASE + (int64_t)steps * OFFLINE_PRICE_STEP;
	return aigen_price_clamp(price, min, max);
}

static void build_price(strbuf *b, int64_t *price, const doc *d, int64_t min, int64_t max)
{
	size_t chars = text_utf8_chars(d->text, d->len);
	size_t shown = chars >= 1000 ? (chars + 50) / 100 * 100 : chars;
	int64_t formula =
	    OFFLINE_PRICE_BASE + (int64_t)(chars / OFFLINE_PRICE_PER_CHARS) * OFFLINE_PRICE_STEP;
	char n[32], p[32], lo[32], hi[32], base[32], step[32], per[32];

	*price = offline_price_for_chars(chars, min, max);
	offline_fmt_thousands(n, sizeof(n), (long long)shown);
	offline_fmt_thousands(p, sizeof(p), (long long)*price);
	offline_fmt_thousands(lo, sizeof(lo), (long long)min);
	offline_fmt_thousands(hi, sizeof(hi), (long long)max);
	offline_fmt_thousands(base, sizeof(base), OFFLINE_PRICE_BASE);
	offline_fmt_thousands(step, sizeof(step), OFFLINE_PRICE_STEP);
	offline_fmt_thousands(per, sizeof(per), OFFLINE_PRICE_PER_CHARS);
	if (d->korean) {
		strbuf_fmt(b, "본문 약 %s자 분량 기준 가격 %s P (%s P + %s자당 %s P)", n, p, base,
			   per, step);
		if (formula != *price)
			strbuf_fmt(b, ", 가격 범위 %s~%s P 적용", lo, hi);
	} else {
		strbuf_fmt(b,
			   "Priced by length: about %s characters, %s P (%s P + %s P per %s "
			   "characters)",
			   n, p, base, step, per);
		if (formula != *price)
			strbuf_fmt(b, ", kept within %s-%s P", lo, hi);
	}
}

static int term_rank_before(const term *a, const term *b)
{
	if (a->count != b->count)
		return a->count > b->count;
	return a->off < b->off;
}

static void build_cover_prompt(strbuf *b, const doc *d, const char *title)
{
	const term *top[TOP_TERMS] = {0};
	int ntop = 0;

	for (size_t i = 0; i < d->terms.cap; i++) {
		const term *t = &d->terms.slots[i];
		int k;

		if (!t->hash || t->count < 2)
			continue;
		/* insertion into the small sorted top list */
		for (k = ntop; k > 0 && term_rank_before(t, top[k - 1]); k--)
			if (k < TOP_TERMS)
				top[k] = top[k - 1];
		if (k < TOP_TERMS) {
			top[k] = t;
			if (ntop < TOP_TERMS)
				ntop++;
		}
	}
	if (d->korean) {
		strbuf_str(b, "\xE3\x80\x8E");
		add_capped(b, title, strlen(title), TITLE_IN_TEXT);
		strbuf_str(b, "\xE3\x80\x8F 책 표지 일러스트");
		if (ntop > 0)
			strbuf_str(b, ", 주요 소재: ");
	} else {
		strbuf_str(b, "Book cover illustration for \u201C");
		add_capped(b, title, strlen(title), TITLE_IN_TEXT);
		strbuf_str(b, "\u201D");
		if (ntop > 0)
			strbuf_str(b, ", motifs: ");
	}
	for (int k = 0; k < ntop; k++) {
		char w[TOKEN_MAX_BYTES];
		size_t n = top[k]->len < sizeof(w) ? top[k]->len : sizeof(w);

		memcpy(w, d->text + top[k]->off, n);
		for (size_t j = 0; j < n; j++)
			if (w[j] >= 'A' && w[j] <= 'Z')
				w[j] = (char)(w[j] - 'A' + 'a');
		if (k > 0)
			strbuf_str(b, ", ");
		offline_buf_clean(b, w, n);
	}
	if (d->korean)
		strbuf_str(b, ". 세로형 구도, 서정적인 분위기, 그림 속 글자 없음.");
	else
		strbuf_str(b, ". Portrait composition, evocative mood, no lettering.");
}

static int offline_generate(aigen_draft *out, void *self, const aigen_text_request *req,
			    app_err *err)
{
	doc d = {0};
	strbuf sum = {0}, tag = {0}, reason = {0}, cover = {0};
	const char *title = req->title ? req->title : "";
	const char *pen = req->pen_name && *req->pen_name ? req->pen_name : "?";
	int64_t min = req->price_min, max = req->price_max;
	int rc = 0;

	(void)self;
	memset(out, 0, sizeof(*out));
	if (min > max || min < 0) {
		rc = app_err_set(err, APP_EINVALID, NULL, "price", "bad price bounds");
		goto out;
	}
	d.text = req->content ? req->content : "";
	d.len = req->content ? req->content_len : 0;
	d.korean = offline_text_is_korean(d.text, d.len) ||
		   (d.len == 0 && offline_text_is_korean(title, strlen(title)));
	rc = split_sentences(&d);
	if (rc == 0)
		rc = score_sentences(&d, title);
	if (rc < 0) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	build_summary(&sum, &d, title, pen);
	build_tagline(&tag, &d, title, pen);
	build_price(&reason, &out->price, &d, min, max);
	build_cover_prompt(&cover, &d, title);
	out->has_price = 1;
	out->summary = strbuf_take(&sum);
	out->tagline = strbuf_take(&tag);
	out->price_reason = strbuf_take(&reason);
	out->cover_prompt = strbuf_take(&cover);
	if (!out->summary || !out->tagline || !out->price_reason || !out->cover_prompt) {
		aigen_draft_dispose(out);
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
out:
	strbuf_dispose(&sum);
	strbuf_dispose(&tag);
	strbuf_dispose(&reason);
	strbuf_dispose(&cover);
	free(d.sent);
	free(d.terms.slots);
	return rc;
}

static const char *offline_name(void *self)
{
	(void)self;
	return OFFLINE_NAME;
}

static void offline_destroy(void *self)
{
	(void)self;
}

static const text_generator_vtbl offline_text_vtbl = {
    .generate = offline_generate,
    .name = offline_name,
    .destroy = offline_destroy,
};

text_generator offline_text_generator_new(void)
{
	text_generator g = {&offline_text_vtbl, NULL};

	return g;
}
