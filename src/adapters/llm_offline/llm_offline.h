/*
 * Offline generator: the built-in, deterministic implementation of both the
 * text generator and the image generator ports. No network, no state, the
 * same input always gives the same output; name() is "offline".
 *
 * Text: a blurb of 2-3 sentences of the manuscript that stand on their own
 * (none refers back to what it does not show; the protagonist is named when
 * the text names one; all from the opening OFFLINE_SUMMARY_OPENING percent and
 * together at most OFFLINE_SUMMARY_SHARE percent of the text), a tagline
 * composed from the protagonist, a motif and a tension word (never a sentence
 * of the text), a genre and cover motifs from a lexicon, the length-formula
 * price below with its basis (reading time and length class, rendered as the
 * reason line), and a cover prompt. Korean or English wording is picked by
 * counting Hangul.
 *
 * Image: an SVG cover (600 x 900, 2:3) with a palette and a pattern seeded by
 * an FNV-1a hash of the title, the title wrapped by display width and the pen
 * name set in type, every text XML-escaped, no script, no external reference.
 */
#ifndef WL_ADAPTER_LLM_OFFLINE_H
#define WL_ADAPTER_LLM_OFFLINE_H

#include <stddef.h>
#include <stdint.h>

#include "ports/image_generator.h"
#include "ports/text_generator.h"

#define OFFLINE_NAME "offline"

/* The published price formula: BASE + STEP for every full PER_CHARS characters. */
#define OFFLINE_PRICE_BASE	1000
#define OFFLINE_PRICE_STEP	100
#define OFFLINE_PRICE_PER_CHARS 2000

/* Longest offline summary, in characters (code points). */
#define OFFLINE_SUMMARY_MAX 400
/* The summary's share of the text at most, and the opening it is taken from, in percent. */
#define OFFLINE_SUMMARY_SHARE	15
#define OFFLINE_SUMMARY_OPENING 40

/* Reading speed for the price basis, characters a minute. */
#define OFFLINE_READ_KO_PER_MIN 500
#define OFFLINE_READ_EN_PER_MIN 1000

/* Cover size (viewBox and width/height attributes). */
#define OFFLINE_COVER_W 600
#define OFFLINE_COVER_H 900

/*
 * The ports. Both are stateless (self is NULL), cannot fail to construct, and
 * their destroy() does nothing; calling it is still correct.
 */
text_generator offline_text_generator_new(void);
image_generator offline_image_generator_new(void);

/*
 * The formula price for a text of `chars` characters:
 * OFFLINE_PRICE_BASE + OFFLINE_PRICE_STEP * (chars / OFFLINE_PRICE_PER_CHARS),
 * then aigen_price_clamp(min, max). E.g. 12,000 characters -> 1,600 P.
 */
int64_t offline_price_for_chars(size_t chars, int64_t min, int64_t max);

/*
 * The basis of that price: code "length", the reading time at the speeds
 * above (at least a minute), and the length class: under 5,000 / 40,000 /
 * 150,000 characters of Korean (7,000 / 45,000 / 230,000 of English) it is
 * "flash", "short", "novella", else "novel".
 */
void offline_price_basis(aigen_price_basis *out, size_t chars, int korean);

/*
 * Draws the SVG cover for title and pen_name (either may be NULL) into out
 * (image/svg+xml; out->data owned, NUL-terminated, len excludes the NUL).
 * APP_ENOMEM only.
 */
int offline_cover_svg(aigen_image *out, const char *title, const char *pen_name, app_err *err);

#endif
