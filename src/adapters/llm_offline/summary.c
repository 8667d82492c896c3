/*
 * The blurb: two or three sentences of the text that stand on their own.
 * A sentence may be used when it ends like a sentence, is no dialogue and
 * holds no quotation, has a few content words, and ends within the first
 * OFFLINE_SUMMARY_OPENING percent of the text (no spoilers). One that refers
 * back (see sentences.c) only right after the sentence it follows in the
 * text, which then gives it its antecedent ("…탑이 서 있었다. 리아는 그 탑에서
 * 태어난 …"); so the blurb never opens with one. Together they stay within
 * OFFLINE_SUMMARY_SHARE percent of the text and OFFLINE_SUMMARY_MAX
 * characters. When the text names a protagonist, the best sentence that names
 * them is taken first (with the one before it when it needs it); then the best
 * by score; if only one fits, the best-scoring pair that fits. They are
 * printed in the order of the text. With nothing usable, one sentence about
 * the book says what it is.
 */
#include "adapters/llm_offline/llm_offline.h"
#include "adapters/llm_offline/offline_internal.h"
#include "adapters/llm_offline/offline_text.h"
#include "domain/aigen/vocab.h"

#include <string.h>

#define SENT_MIN_WIDTH 16  /* display units: 8 Hangul syllables or 16 letters */
#define SENT_MAX_CHARS 190 /* two always fit OFFLINE_SUMMARY_MAX */
#define TITLE_IN_TEXT  100 /* characters of the title quoted in generated text */
#define PAIR_POOL      40  /* best candidates tried in pairs */

void offline_buf_capped(strbuf *b, const char *s, size_t n, size_t max)
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

static size_t budget_of(const doc *d)
{
	size_t share = d->chars * OFFLINE_SUMMARY_SHARE / 100;

	return share < OFFLINE_SUMMARY_MAX ? share : OFFLINE_SUMMARY_MAX;
}

/* Everything but the back reference. */
static int fit(const doc *d, const sentence *s, size_t budget)
{
	return s->terminated && !s->dialogue && !s->quoted && s->width >= SENT_MIN_WIDTH &&
	       s->chars <= SENT_MAX_CHARS && s->chars <= budget && s->nterms >= 2 &&
	       s->end_char * 100 <= d->chars * OFFLINE_SUMMARY_OPENING;
}

/* Usable on its own. */
static int usable(const doc *d, const sentence *s, size_t budget)
{
	return fit(d, s, budget) && !s->backref;
}

/* Usable now: on its own, or referring back to the picked sentence before it. */
static int usable_now(const doc *d, size_t k, size_t budget)
{
	const sentence *s = &d->sent[k];

	return fit(d, s, budget) && (!s->backref || (k > 0 && d->sent[k - 1].picked));
}

static int names_protagonist(const doc *d, const sentence *s)
{
	return d->name_len && memmem(d->text + s->start, s->end - s->start, d->name, d->name_len);
}

/* 1 when s reads exactly like a picked sentence (refrains repeat). */
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

/* The best usable sentence not shown yet within room characters (ties: earlier), or -1. */
static long best(const doc *d, size_t budget, size_t room, int need_name)
{
	long k_best = -1;

	for (size_t k = 0; k < d->nsent; k++) {
		const sentence *s = &d->sent[k];

		if (s->picked || !usable_now(d, k, budget) || s->chars > room ||
		    shown_already(d, s) || (need_name && !names_protagonist(d, s)))
			continue;
		if (k_best < 0 || s->score > d->sent[k_best].score)
			k_best = (long)k;
	}
	return k_best;
}

static void pick(doc *d, size_t k, size_t *used)
{
	d->sent[k].picked = 1;
	d->pick[d->npick++] = k;
	*used += d->sent[k].chars + (*used ? 1 : 0);
}

static void unpick_all(doc *d)
{
	for (int i = 0; i < d->npick; i++)
		d->sent[d->pick[i]].picked = 0;
	d->npick = 0;
}

/* The best two that fit together (one naming the protagonist when need_name); 1 if found. */
static int best_pair(doc *d, size_t budget, int need_name)
{
	size_t pool[PAIR_POOL], npool = 0, used = 0;
	long a = -1, b = -1;
	double top = -1.0;

	for (size_t k = 0; k < d->nsent && npool < PAIR_POOL; k++)
		if (usable(d, &d->sent[k], budget))
			pool[npool++] = k;
	for (size_t i = 0; i < npool; i++)
		for (size_t j = i + 1; j < npool; j++) {
			const sentence *x = &d->sent[pool[i]], *y = &d->sent[pool[j]];

			if (x->chars + y->chars + 1 > budget ||
			    (need_name && !names_protagonist(d, x) && !names_protagonist(d, y)) ||
			    (x->end - x->start == y->end - y->start &&
			     !memcmp(d->text + x->start, d->text + y->start, x->end - x->start)))
				continue;
			if (x->score + y->score > top) {
				top = x->score + y->score;
				a = (long)pool[i];
				b = (long)pool[j];
			}
		}
	if (a < 0)
		return 0;
	unpick_all(d);
	pick(d, (size_t)a, &used);
	pick(d, (size_t)b, &used);
	return 1;
}

/*
 * The best sentence naming the protagonist that refers back, with the one
 * before it usable on its own and both within the budget; -1 when none.
 */
static long best_named_chain(const doc *d, size_t budget)
{
	long k_best = -1;

	for (size_t k = 1; k < d->nsent; k++) {
		const sentence *s = &d->sent[k], *p = &d->sent[k - 1];

		if (!s->backref || !fit(d, s, budget) || !names_protagonist(d, s) ||
		    !usable(d, p, budget) || p->chars + 1 + s->chars > budget)
			continue;
		if (k_best < 0 ||
		    s->score + p->score > d->sent[k_best].score + d->sent[k_best - 1].score)
			k_best = (long)k;
	}
	return k_best;
}

static void choose(doc *d)
{
	size_t budget = budget_of(d), used = 0;
	long k = d->name_len ? best(d, budget, budget, 1) : -1;
	long chain = d->name_len && k < 0 ? best_named_chain(d, budget) : -1;
	int need_name = k >= 0 || chain >= 0;

	if (k >= 0)
		pick(d, (size_t)k, &used);
	if (chain >= 0) {
		pick(d, (size_t)chain - 1, &used);
		pick(d, (size_t)chain, &used);
	}
	while (d->npick < 3) {
		size_t room = used + 1 < budget ? budget - used - (used ? 1 : 0) : 0;

		k = best(d, budget, room, 0);
		if (k < 0)
			break;
		pick(d, (size_t)k, &used);
	}
	if (d->npick < 2)
		best_pair(d, budget, need_name);
}

/* "『제목』, 산책자 작가가 걷다가서재에 펴낸 판타지 단편입니다." and its English form. */
static void about_the_book(strbuf *b, const doc *d, const char *title, const char *pen,
			   const char *length_class)
{
	size_t ngenres;
	const aigen_genre_info *g = &aigen_genres(&ngenres)[d->genre];
	int flash = !strcmp(length_class, "flash"),
	    plain = !g || !strcmp(g->code, "drama") || !strcmp(g->code, "light_novel");

	if (d->korean) {
		strbuf_str(b, "\xE3\x80\x8E"); /* 『 */
		offline_buf_capped(b, title, strlen(title), TITLE_IN_TEXT);
		strbuf_str(b, "\xE3\x80\x8F, "); /* 』 */
		offline_buf_capped(b, pen, strlen(pen), 50);
		strbuf_str(b, " 작가가 걷다가서재에 펴낸 ");
		if (flash)
			strbuf_fmt(b, "짧은 %s%s이야기입니다.", plain ? "" : g->ko,
				   plain ? "" : " ");
		else
			strbuf_fmt(b, "%s%s%s입니다.", plain ? "" : g->ko, plain ? "" : " ",
				   !strcmp(length_class, "short")     ? "단편"
				   : !strcmp(length_class, "novella") ? "중편"
								      : "장편");
		return;
	}
	strbuf_str(b, "\u201C");
	offline_buf_capped(b, title, strlen(title), TITLE_IN_TEXT);
	strbuf_str(b, "\u201D is a ");
	if (!plain) {
		for (const char *p = g->en; *p; p++)
			strbuf_add(b, &(char){(char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p)}, 1);
		strbuf_add(b, " ", 1);
	}
	strbuf_fmt(b, "%s by ",
		   flash			      ? "short piece"
		   : !strcmp(length_class, "short")   ? "short story"
		   : !strcmp(length_class, "novella") ? "novella"
						      : "novel");
	offline_buf_capped(b, pen, strlen(pen), 50);
	strbuf_str(b, ", published on Walking Library.");
}

void offline_build_summary(strbuf *b, doc *d, const char *title, const char *pen,
			   const char *length_class)
{
	size_t total = 0;
	int first = 1;

	choose(d);
	for (size_t k = 0; k < d->nsent; k++) {
		if (!d->sent[k].picked)
			continue;
		if (!first)
			strbuf_add(b, " ", 1);
		offline_buf_clean(b, d->text + d->sent[k].start, d->sent[k].end - d->sent[k].start);
		total += d->sent[k].chars;
		first = 0;
	}
	if (total >= 10)
		return;
	if (!first)
		strbuf_add(b, " ", 1);
	about_the_book(b, d, title, pen, length_class);
}
