/*
 * The offline text generator's working state: the manuscript split into
 * sentences, its terms, and what the lexicon and the name finder saw in it.
 * Internal to the adapter.
 */
#ifndef WL_ADAPTER_LLM_OFFLINE_TEXT_H
#define WL_ADAPTER_LLM_OFFLINE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/strbuf.h"

#define OFFLINE_WORD_MAX  96 /* bytes of a word that are looked at */
#define OFFLINE_NAME_MAX  64 /* bytes of a protagonist's name, NUL included */
#define OFFLINE_N_GENRES  10 /* in the order of aigen_genres() */
#define OFFLINE_N_MOTIFS  17 /* in the order of offline_motif_code() */
#define OFFLINE_N_TENSION 12 /* in the order of offline_tension_word() */

typedef struct sentence {
	size_t start, end; /* bytes of content, trimmed */
	size_t chars;
	size_t end_char; /* characters of the text up to the end of this sentence */
	int width;
	int para_first;
	int dialogue; /* opens with a quote or a dash */
	int quoted;   /* holds a quotation mark anywhere */
	int terminated;
	int backref; /* opens by referring back to something before it */
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

/* What the lexicon found: weighted hits per genre, motif and tension word. */
typedef struct lex_counts {
	double genre[OFFLINE_N_GENRES];
	double modern; /* present-day setting words (for modern fantasy) */
	unsigned motif[OFFLINE_N_MOTIFS];
	unsigned tension[OFFLINE_N_TENSION];
} lex_counts;

struct lex_table;

typedef struct doc {
	const char *text;
	size_t len;
	size_t chars;
	sentence *sent;
	size_t nsent, capsent;
	term_map terms;
	uint64_t title_terms[16];
	int ntitle_terms;
	int korean;
	char name[OFFLINE_NAME_MAX]; /* the protagonist, "" when the text names none */
	size_t name_len;
	lex_counts lex;
	struct lex_table
	    *lexicon; /* built by offline_read_lexicon(), freed by offline_doc_dispose() */
	int genre;    /* index into aigen_genres() */
	int motifs[3], nmotifs; /* indexes, most frequent first */
	int tension;		/* index, -1 when the text has no tension word */
	size_t pick[3];		/* the summary's sentences, in the order picked */
	int npick;
} doc;

typedef int (*offline_word_fn)(void *ctx, char *w, size_t n, size_t off);

/* --- sentences.c --------------------------------------------------------------------- */

/* Splits d->text into d->sent and sets end_char and d->chars. APP_ENOMEM. */
int offline_split_sentences(doc *d);
/* Marks the sentences that open by referring back (needs d->name). */
void offline_mark_backrefs(doc *d);

/* --- terms.c ------------------------------------------------------------------------- */

/*
 * Calls fn for every word of s[start..end): its bytes (at most OFFLINE_WORD_MAX,
 * copied: fn may change them), their length and the offset of the word in s.
 * Stops at and returns fn's first negative result.
 */
int offline_for_each_word(const char *s, size_t start, size_t end, offline_word_fn fn, void *ctx);
/* Counts the terms and scores every sentence (the title's words weigh more). APP_ENOMEM. */
int offline_score_sentences(doc *d, const char *title);
/* Up to max of the most frequent terms (count >= 2), most frequent first. */
size_t offline_top_terms(const term **out, size_t max, const doc *d);

/* --- lexicon.c ----------------------------------------------------------------------- */

/* Counts the lexicon's words in d->text into d->lex, then sets genre, motifs and tension. */
int offline_read_lexicon(doc *d);
/* 1 when w[0..n) is one of the lexicon's words (exactly): 원고, 편지, 헌터 are no names. */
int offline_lexicon_knows(const doc *d, const char *w, size_t n);
/* Frees what reading d allocated. */
void offline_doc_dispose(doc *d);
/* Counts the lexicon's words of s (a cover prompt, a title) into c. APP_ENOMEM. */
int offline_lexicon_count(lex_counts *c, const char *s, size_t len);
/* The genre index c suggests (drama when nothing stands out). */
int offline_lexicon_genre(const lex_counts *c);
/* Up to 3 motif indexes of c, most hits first; returns how many. */
int offline_lexicon_motifs(int out[3], const lex_counts *c);
const char *offline_motif_code(int motif);
/* The motif as a Korean or English word, e.g. "달" / "the moon". */
const char *offline_motif_word(int motif, int korean);
/* The tension word's index in the code list, or -1. */
const char *offline_tension_word(int tension, int korean);

/* --- names.c ------------------------------------------------------------------------- */

/* Sets d->name to the most frequent person name of the text, or "". APP_ENOMEM. */
int offline_find_protagonist(doc *d);
/* 1 when the Hangul syllable cp has a final consonant (받침). */
int offline_has_batchim(uint32_t cp);
/* Appends the particle that fits after word: with_final after a 받침, else without. */
void offline_buf_particle(strbuf *b, const char *word, const char *with_final,
			  const char *without_final);

/* --- summary.c, tagline.c ------------------------------------------------------------ */

/* The blurb: 2-3 sentences (see text_gen.c), or a sentence about the book. */
void offline_build_summary(strbuf *b, doc *d, const char *title, const char *pen,
			   const char *length_class);
/* The hook: composed from the protagonist, a motif and a tension word. */
void offline_build_tagline(strbuf *b, const doc *d, int64_t variant);
/* Appends s[0..n) cut to at most max characters, with an ellipsis when cut. */
void offline_buf_capped(strbuf *b, const char *s, size_t n, size_t max);

#endif
