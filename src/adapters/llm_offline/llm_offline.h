/*
 * Offline generator: the built-in, deterministic implementation of both the
 * text generator and the image generator ports. No network, nothing kept
 * between calls but the fonts; the same input always gives the same output;
 * name() is "offline".
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
 * Image: the cover drawn with Cairo and Pango (cover_draw.c): a layout,
 * palette and type by genre, an emblem from the story's motifs, the title and
 * pen name set with Korean line breaking, rendered to SVG with the glyphs as
 * paths (no <text>: a viewer needs no font) and to PNG at 600 x 900 and
 * 300 x 450. The fonts are the Korean ones fontconfig finds (Debian's
 * fonts-nanum); Pango is used under one process-wide lock, so any number of
 * worker threads may draw.
 */
#ifndef WL_ADAPTER_LLM_OFFLINE_H
#define WL_ADAPTER_LLM_OFFLINE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/strbuf.h"
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
 * Draws the cover for req into out: the SVG in data (image/svg+xml, owned,
 * NUL-terminated, len excludes the NUL) and both PNG renditions. The genre
 * and motifs of req are used when known, else read from the title and the
 * cover prompt. APP_ENOMEM; APP_EUNAVAILABLE when no font for Korean is
 * installed; APP_EIO when cairo or libpng fail. On failure out is zeroed.
 */
int offline_cover(aigen_image *out, const aigen_image_request *req, app_err *err);

/*
 * Appends to out the lines the cover of req sets its title in, '\n' between
 * them, "…" after a title cut short; returns how many lines (> 0), or the
 * errors of offline_cover(). For tests and diagnostics.
 */
int offline_cover_title_lines(strbuf *out, const aigen_image_request *req, app_err *err);

/*
 * Checks at start-up that covers can be drawn: fontconfig finds a font for
 * Korean (Nanum preferred). APP_EUNAVAILABLE with a message naming the
 * package to install.
 */
int offline_cover_check(app_err *err);

#endif
