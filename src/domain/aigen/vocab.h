/*
 * The codes a generator suggests beside its text (genre, cover motifs, the
 * basis of a price) and how a price basis reads in Korean and English.
 * Codes are stable ASCII words: they are stored and sent to clients, which
 * render them in the reader's language. Pure: no I/O.
 */
#ifndef WL_DOMAIN_AIGEN_VOCAB_H
#define WL_DOMAIN_AIGEN_VOCAB_H

#include <stddef.h>

#include "ports/text_generator.h"

/* A genre readers browse: its code and its labels. */
typedef struct aigen_genre_info {
	const char *code; /* "fantasy", "modern_fantasy", "wuxia", "romance", "romance_fantasy",
			     "mystery", "sf", "drama", "horror", "light_novel" */
	const char *ko; /* 판타지, 현대판타지, 무협, 로맨스, 로맨스판타지, 미스터리, SF, ... */
	const char *en; /* Fantasy, Modern fantasy, Wuxia, ... */
} aigen_genre_info;

/* The genres in browsing order; *n receives how many. */
const aigen_genre_info *aigen_genres(size_t *n);
/* The genre with that code, or NULL (code may be NULL). */
const aigen_genre_info *aigen_genre_find(const char *code);

/*
 * 1 for a cover motif code: moon, stars, sea, letter, drawer, cat, sword,
 * city, forest, rain, snow, flower, key, book, clock, mountain, planet.
 */
int aigen_motif_known(const char *code);

/* 1 when b is a known code with sensible parameters ("" is not one). */
int aigen_price_basis_valid(const aigen_price_basis *b);

/*
 * Writes the basis as a line for readers in lang ("ko", anything else is
 * English) into out (cap bytes, truncated at a character boundary):
 * "약 1시간 분량의 단편" / "A short story, about an hour's read".
 * Reading times are rounded: to 5 minutes under an hour (1 minute under 10),
 * to half an hour under three hours, to the hour beyond. Returns 0, or
 * APP_EINVALID when the basis is not valid (out is then "").
 */
int aigen_price_basis_render(char *out, size_t cap, const aigen_price_basis *b, const char *lang);

/*
 * Clears what is not a known code in the suggestions of d: an unknown genre
 * becomes "", unknown or repeated motifs are dropped (the rest keep their
 * order), an invalid price basis is zeroed. A suggestion never makes a part
 * unusable.
 */
void aigen_draft_sanitize_codes(aigen_draft *d);

#endif
