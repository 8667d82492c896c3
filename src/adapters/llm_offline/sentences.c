/*
 * Sentences: they end at '.', '!', '?' (when not followed by a Latin letter or
 * a digit, so "3.14" and "e.g" stay whole), at U+3002 and the fullwidth '!'
 * '?' and at line breaks; closing quotes and brackets after a terminator stay
 * with the sentence. A line break also starts a paragraph.
 *
 * A sentence "refers back" when it cannot open a blurb: it begins with a
 * connective or a time phrase that points at what came before (그러나, 그래서,
 * 다음 날, 대답 대신, But, So, The next day, Instead …) or its subject is a
 * pronoun with nothing before it to stand for (그녀는 …, 그는 …, She …, Then he …).
 */
#include "adapters/llm_offline/offline_internal.h"
#include "adapters/llm_offline/offline_text.h"
#include "domain/common/err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static int is_quote(uint32_t cp)
{
	return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x300C || cp == 0x300D ||
	       cp == 0x300E || cp == 0x300F;
}

static int is_ascii_alnum(uint32_t cp)
{
	return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* Moves start past leading and end before trailing white space. */
static void trim(const char *t, size_t *start, size_t *end)
{
	size_t p, last;

	while (*start < *end) {
		p = *start;
		if (!offline_cp_is_space(offline_utf8_next(t, *end, &p)))
			break;
		*start = p;
	}
	while (*end > *start) {
		last = *end - 1;
		while (last > *start && ((unsigned char)t[last] & 0xC0) == 0x80)
			last--;
		p = last;
		if (!offline_cp_is_space(offline_utf8_next(t, *end, &p)))
			break;
		*end = last;
	}
}

static int add_sentence(doc *d, size_t start, size_t end, int para_first)
{
	const char *t = d->text;
	sentence *s;
	size_t i;
	uint32_t cp = 0, first = 0, core = 0;

	trim(t, &start, &end);
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
		s->quoted |= is_quote(cp);
		if (!is_closer(cp))
			core = cp;
	}
	/* the last code point before any closing quotes ends the sentence */
	s->terminated = is_terminator(core);
	s->dialogue = is_opener(first);
	return 0;
}

/* After a terminator at i: swallows runs like "?!" or "..." and closing quotes. */
static size_t swallow_closers(const char *t, size_t n, size_t i)
{
	for (;;) {
		size_t p = i;
		uint32_t nx;

		if (p >= n)
			return i;
		nx = offline_utf8_next(t, n, &p);
		if (!is_terminator(nx) && !is_closer(nx))
			return i;
		i = p;
	}
}

static int split(doc *d)
{
	const char *t = d->text;
	size_t i = 0, start = 0, n = d->len, before;
	int para_first = 1, rc;

	while (i < n) {
		size_t at = i, p;
		uint32_t cp = offline_utf8_next(t, n, &i);
		int newline = cp == '\n' || cp == '\r';

		if (!newline && !is_terminator(cp))
			continue;
		if (newline) {
			i = at + 1;
		} else {
			i = swallow_closers(t, n, i);
			p = i;
			if (cp < 0x80 && i < n && is_ascii_alnum(offline_utf8_next(t, n, &p)))
				continue; /* 3.14, e.g, example.com */
		}
		before = d->nsent;
		rc = add_sentence(d, start, newline ? at : i, para_first);
		if (rc < 0)
			return rc;
		if (d->nsent > before)
			para_first = 0;
		if (newline)
			para_first = 1; /* the next sentence opens a paragraph */
		start = i;
	}
	return add_sentence(d, start, n, para_first);
}

int offline_split_sentences(doc *d)
{
	size_t pos = 0, chars = 0;
	int rc = split(d);

	if (rc < 0)
		return rc;
	for (size_t k = 0; k < d->nsent; k++) {
		while (pos < d->sent[k].end) {
			offline_utf8_next(d->text, d->len, &pos);
			chars++;
		}
		d->sent[k].end_char = chars;
	}
	while (pos < d->len) {
		offline_utf8_next(d->text, d->len, &pos);
		chars++;
	}
	d->chars = chars;
	return 0;
}

/* --- referring back -------------------------------------------------------------------- */

/* Korean words that open by pointing back, matched whole. */
static const char *const ko_words[] = {
    "그러나",	"그래서", "그리고",   "하지만",	  "그런데", "그러자",	"그러면",   "그러니",
    "그래도",	"그럼",	  "게다가",   "또한",	  "또",	    "또다시",	"한편",	    "결국",
    "마침내",	"드디어", "이윽고",   "곧이어",	  "그제야", "그제서야", "대신",	    "역시",
    "반면",	"따라서", "그러므로", "즉",	  "다시",   "이번에도", "오히려",   "덕분에",
    "이튿날",	"그후",	  "그뒤",     "이후",	  "이제",   "그날",	"그날도",   "그날은",
    "그날부터", "그때",	  "그때도",   "그때부터", "그새",   "그동안",	"그리고는", "그리하여",
    "이어",	"곧",	  "순간",     "잠시",	  "물론",   "아니",	"아니요",   "아냐",
    "아무튼",	"어쨌든", "그러고는", "그러다",	  "그러던",
};

/* Korean words that begin a back reference in any inflected form (그녀는, 그것을 …). */
static const char *const ko_prefixes[] = {
    "그녀", "그들", "그것", "그곳", "그쪽", "그분", "그애", "그건", "그걸", "그게",
    "그렇", "그런", "그래", "그러", "이것", "이곳", "저것", "그놈", "그자", "이들",
};

/* 그 + a particle: the third-person pronoun ("그는", "그의" …). */
static const char *const ko_he[] = {
    "그는", "그가", "그를", "그의", "그에게", "그도", "그와", "그에겐", "그조차", "그한테",
};

/* Two-word openers: the first word, then the second ("" = any). */
static const char *const ko_pairs[][2] = {
    {"다음", "날"}, {"다음", ""},   {"그", ""},	      {"이", ""},	{"잠시", "후"},
    {"얼마", "후"}, {"며칠", "후"}, {"대답", "대신"}, {"바로", "그때"}, {"바로", "그"},
};

static const char *const en_words[] = {
    "but",	   "so",       "then",	"and",	     "yet",	 "or",	       "nor",
    "however",	   "instead",  "still", "meanwhile", "later",	 "afterwards", "afterward",
    "eventually",  "finally",  "thus",	"therefore", "hence",	 "besides",    "moreover",
    "furthermore", "also",     "again", "now",	     "anyway",	 "otherwise",  "nevertheless",
    "nonetheless", "he",       "she",	"they",	     "it",	 "him",	       "her",
    "his",	   "hers",     "their", "them",	     "its",	 "this",       "that",
    "these",	   "those",    "such",	"both",	     "neither",	 "either",     "there",
    "next",	   "suddenly", "soon",	"once",	     "together", "even",       "none",
};

static const char *const en_pronouns[] = {"he", "she", "they", "it", "him", "her", "them"};

static const char *const en_pairs[][2] = {
    {"the", "next"},   {"the", "following"}, {"at", "last"}, {"at", "that"},	{"in", "the"},
    {"after", "that"}, {"by", "then"},	     {"even", "so"}, {"until", "then"}, {"the", "same"},
};

/* Words that lead into a clause whose pronoun subject still has no antecedent. */
static const char *const en_leads[] = {
    "when",    "as",	 "after",   "before", "while",	"because", "if",    "although",
    "though",  "until",	 "since",   "every",  "each",	"one",	   "at",    "on",
    "in",      "by",	 "with",    "from",   "for",	"without", "under", "over",
    "through", "during", "outside", "inside", "across", "behind",  "all",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int eq(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && memcmp(w, s, n) == 0;
}

static int in(const char *w, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (eq(w, n, list[i]))
			return 1;
	return 0;
}

static int has_prefix(const char *w, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		size_t l = strlen(list[i]);

		if (l <= n && memcmp(w, list[i], l) == 0)
			return 1;
	}
	return 0;
}

typedef struct opening {
	char w[4][OFFLINE_WORD_MAX];
	size_t n[4];
	int count;
} opening;

static int collect(void *ctx, char *w, size_t n, size_t off)
{
	opening *o = ctx;

	(void)off;
	if (o->count == 4)
		return -1; /* enough: stop early */
	for (size_t k = 0; k < n; k++)
		o->w[o->count][k] = (char)(w[k] >= 'A' && w[k] <= 'Z' ? w[k] - 'A' + 'a' : w[k]);
	o->n[o->count++] = n;
	return 0;
}

static int ko_pronoun(const char *w, size_t n)
{
	return in(w, n, ko_he, N(ko_he)) ||
	       has_prefix(w, n, (const char *const[]){"그녀", "그들"}, 2);
}

static int ko_backref(const opening *o, const char *name, size_t name_len)
{
	const char *w = o->w[0];
	size_t n = o->n[0];

	if (in(w, n, ko_words, N(ko_words)) || has_prefix(w, n, ko_prefixes, N(ko_prefixes)) ||
	    in(w, n, ko_he, N(ko_he)))
		return 1;
	for (size_t i = 0; i < N(ko_pairs); i++)
		if (o->count >= 2 && eq(w, n, ko_pairs[i][0]) &&
		    (!ko_pairs[i][1][0] || eq(o->w[1], o->n[1], ko_pairs[i][1])))
			return 1;
	/* a pronoun subject early in the sentence, before anyone is named */
	for (int k = 0; k < o->count && k < 3; k++) {
		if (name_len && o->n[k] >= name_len && !memcmp(o->w[k], name, name_len))
			return 0;
		if (ko_pronoun(o->w[k], o->n[k]))
			return 1;
	}
	return 0;
}

static int en_backref(const opening *o, const char *name, size_t name_len)
{
	const char *w = o->w[0];
	size_t n = o->n[0];

	if (in(w, n, en_words, N(en_words)))
		return 1;
	for (size_t i = 0; i < N(en_pairs); i++)
		if (o->count >= 2 && eq(w, n, en_pairs[i][0]) &&
		    eq(o->w[1], o->n[1], en_pairs[i][1]))
			return 1;
	/* "When she …", "At the door he …": a pronoun subject before anyone is named */
	if (!in(w, n, en_leads, N(en_leads)))
		return 0;
	for (int k = 1; k < o->count; k++) {
		if (name_len && o->n[k] == name_len && !strncasecmp(o->w[k], name, name_len))
			return 0;
		if (in(o->w[k], o->n[k], en_pronouns, N(en_pronouns)))
			return 1;
	}
	return 0;
}

/* Words that point back wherever they stand (그 책, 그녀의, 그곳에서, 그런 밤). */
static const char *const ko_inner_words[] = {"그", "그런", "그렇게", "그러한", "그리고"};
static const char *const ko_inner_prefixes[] = {"그녀", "그들", "그곳", "그때", "그날",
						"그것", "그분", "그쪽", "그제"};

/* Endings that explain the sentence before: "…다는 것이었다." */
static const char *const ko_endings[] = {"다는 것이었다", "라는 것이었다", "다는 것이다",
					 "라는 것이다",	  "때문이었다",	   "때문이다"};
/* Speech verbs: "늘 말했다." announces the next sentence unless it reports ("…라고 말했다"). */
static const char *const ko_speech[] = {"말했다", "물었다", "대답했다", "속삭였다", "중얼거렸다"};

typedef struct inner {
	char prev[OFFLINE_WORD_MAX];
	size_t prev_n;
	int found;
} inner;

static int inner_word(void *ctx, char *w, size_t n, size_t off)
{
	inner *c = ctx;

	(void)off;
	if (in(w, n, ko_inner_words, N(ko_inner_words)) || in(w, n, ko_he, N(ko_he)) ||
	    has_prefix(w, n, ko_inner_prefixes, N(ko_inner_prefixes)) ||
	    (eq(c->prev, c->prev_n, "대답") && eq(w, n, "대신")) ||
	    (eq(c->prev, c->prev_n, "다음") && eq(w, n, "날"))) {
		c->found = 1;
		return -1;
	}
	memcpy(c->prev, w, n);
	c->prev_n = n;
	return 0;
}

static int ends_with(const char *t, size_t start, size_t end, const char *suffix)
{
	size_t l = strlen(suffix);

	return end - start >= l && !memcmp(t + end - l, suffix, l);
}

/* The sentence (without its final punctuation) explains the one before or announces the next. */
static int ko_ending_refers(const char *t, size_t start, size_t end)
{
	while (end > start && (t[end - 1] == '.' || t[end - 1] == '!' || t[end - 1] == '?'))
		end--;
	for (size_t i = 0; i < N(ko_endings); i++)
		if (ends_with(t, start, end, ko_endings[i]))
			return 1;
	for (size_t i = 0; i < N(ko_speech); i++) {
		size_t l = strlen(ko_speech[i]);

		if (ends_with(t, start, end, ko_speech[i]) &&
		    !(end - start >= l + 4 && t[end - l - 1] == ' ' &&
		      !memcmp(t + end - l - 4, "고", 3)))
			return 1;
	}
	return 0;
}

static int ko_inner_ref(const doc *d, const sentence *s)
{
	inner c = {0};

	offline_for_each_word(d->text, s->start, s->end, inner_word, &c);
	return c.found || ko_ending_refers(d->text, s->start, s->end);
}

void offline_mark_backrefs(doc *d)
{
	for (size_t k = 0; k < d->nsent; k++) {
		sentence *s = &d->sent[k];
		opening o = {0};

		offline_for_each_word(d->text, s->start, s->end, collect, &o);
		if (o.count == 0)
			continue;
		s->backref = d->korean ? ko_backref(&o, d->name, d->name_len) || ko_inner_ref(d, s)
				       : en_backref(&o, d->name, d->name_len);
	}
}
