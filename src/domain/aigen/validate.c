#include "domain/aigen/aigen.h"
#include "domain/aigen/vocab.h"
#include "domain/common/money.h"
#include "domain/common/text.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* U+3000 IDEOGRAPHIC SPACE, which Korean and Japanese text pads with. */
static int is_ideo_space(const unsigned char *p, size_t avail)
{
	return avail >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80;
}

/*
 * Trims s in place and turns the control characters inside into spaces:
 * a blurb is shown as one paragraph, a tagline or reason as one line.
 */
static void trim_in_place(char *str)
{
	unsigned char *s = (unsigned char *)str;
	size_t len = strlen(str), start = 0;

	for (;;) {
		if (start < len && is_ascii_space(s[start]))
			start++;
		else if (is_ideo_space(s + start, len - start))
			start += 3;
		else
			break;
	}
	for (;;) {
		if (len > start && is_ascii_space(s[len - 1]))
			len--;
		else if (len >= start + 3 && is_ideo_space(s + len - 3, 3))
			len -= 3;
		else
			break;
	}
	memmove(s, s + start, len - start);
	len -= start;
	s[len] = '\0';
	for (size_t i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] == 0x7f)
			s[i] = ' ';
}

/* 0 when usable; otherwise sets err (first failure only) and returns -1. */
static int check_text(char *s, const char *field, size_t min, size_t max, int *reported,
		      app_err *err)
{
	size_t n;
	const char *why = NULL;

	if (!s) {
		why = "is missing";
	} else {
		trim_in_place(s);
		if (!text_utf8_valid(s, strlen(s))) {
			why = "is not valid UTF-8";
		} else {
			n = text_utf8_chars(s, strlen(s));
			if (n < min)
				why = n == 0 ? "is empty" : "is too short";
			else if (n > max)
				why = "is too long";
		}
	}
	if (!why)
		return 0;
	if (!*reported) {
		app_err_set(err, APP_EINVALID, NULL, field, "%s %s", field, why);
		*reported = 1;
	}
	return -1;
}

unsigned aigen_draft_validate(aigen_draft *d, app_err *err)
{
	unsigned bad = 0;
	int reported = 0;

	assert(d);
	aigen_draft_sanitize_codes(d);
	if (check_text(d->summary, "summary", AIGEN_SUMMARY_MIN, AIGEN_SUMMARY_MAX, &reported,
		       err) < 0)
		bad |= AIGEN_PART_SUMMARY;
	if (check_text(d->tagline, "tagline", 1, AIGEN_TAGLINE_MAX, &reported, err) < 0)
		bad |= AIGEN_PART_SUMMARY;
	if (!d->has_price) {
		bad |= AIGEN_PART_PRICE;
		if (!reported) {
			app_err_set(err, APP_EINVALID, NULL, "price", "price is missing");
			reported = 1;
		}
	}
	if (check_text(d->price_reason, "priceReason", 1, AIGEN_PRICE_REASON_MAX, &reported, err) <
	    0)
		bad |= AIGEN_PART_PRICE;
	if (check_text(d->cover_prompt, "coverPrompt", 1, AIGEN_COVER_PROMPT_MAX, &reported, err) <
	    0)
		bad |= AIGEN_PART_COVER;
	return bad;
}

int64_t aigen_price_clamp(int64_t price, int64_t min, int64_t max)
{
	return money_clamp(price, min, max, 100);
}

void aigen_result_dispose(aigen_result *r)
{
	if (!r)
		return;
	free(r->summary);
	free(r->tagline);
	free(r->price_reason);
	free(r->cover_prompt);
	memset(r, 0, sizeof(*r));
}

static void set_name(char dst[AIGEN_NAME_MAX], const char *name)
{
	snprintf(dst, AIGEN_NAME_MAX, "%s", name ? name : "");
}

void aigen_result_set_cover_by(aigen_result *r, const char *generator_name)
{
	set_name(r->generated_by_cover, generator_name);
}

/* The draft that is not src, when it exists. */
static const aigen_draft *other(const aigen_draft *src, const aigen_draft *gen,
				const aigen_draft *fallback)
{
	return src == gen ? fallback : gen;
}

/* The suggestions of the chosen drafts, each from the other draft when its own has none. */
static void merge_codes(aigen_result *out, const aigen_draft *summary_src,
			const aigen_draft *price_src, const aigen_draft *cover_src,
			const aigen_draft *gen, const aigen_draft *fallback)
{
	const aigen_draft *alt;

	alt = other(summary_src, gen, fallback);
	memcpy(out->genre, summary_src->genre[0] || !alt ? summary_src->genre : alt->genre,
	       sizeof(out->genre));
	alt = other(price_src, gen, fallback);
	out->price_basis =
	    price_src->price_basis.code[0] || !alt ? price_src->price_basis : alt->price_basis;
	alt = other(cover_src, gen, fallback);
	if (!cover_src->nmotifs && alt)
		cover_src = alt;
	memcpy(out->motifs, cover_src->motifs, sizeof(out->motifs));
	out->nmotifs = cover_src->nmotifs;
}

static char *take(char **p)
{
	char *s = *p;

	*p = NULL;
	return s;
}

int aigen_result_merge(aigen_result *out, aigen_draft *gen, const char *gen_name,
		       aigen_draft *fallback, const char *fallback_name, int64_t price_min,
		       int64_t price_max, app_err *err)
{
	unsigned gen_bad = AIGEN_PART_ALL, fb_bad = AIGEN_PART_ALL;
	aigen_draft *src, *summary_src, *price_src;
	const char *name;

	memset(out, 0, sizeof(*out));
	if (price_min > price_max)
		return app_err_set(err, APP_EINVALID, NULL, "price", "bad price bounds");
	/* the generator's own complaint is only a log line: the fallback may cover it */
	if (gen)
		gen_bad = aigen_draft_validate(gen, NULL);
	if (fallback)
		fb_bad = aigen_draft_validate(fallback, NULL);
	if ((gen_bad & fb_bad) != 0) {
		unsigned both = gen_bad & fb_bad;
		const char *field = both & AIGEN_PART_SUMMARY ? "summary"
				    : both & AIGEN_PART_PRICE ? "price"
							      : "coverPrompt";

		return app_err_set(err, APP_EINVALID, NULL, field,
				   "no generator produced a usable %s", field);
	}

	src = summary_src = gen_bad & AIGEN_PART_SUMMARY ? fallback : gen;
	name = gen_bad & AIGEN_PART_SUMMARY ? fallback_name : gen_name;
	out->summary = take(&src->summary);
	out->tagline = take(&src->tagline);
	set_name(out->generated_by_summary, name);

	src = price_src = gen_bad & AIGEN_PART_PRICE ? fallback : gen;
	name = gen_bad & AIGEN_PART_PRICE ? fallback_name : gen_name;
	out->price = aigen_price_clamp(src->price, price_min, price_max);
	out->price_reason = take(&src->price_reason);
	set_name(out->generated_by_price, name);

	src = gen_bad & AIGEN_PART_COVER ? fallback : gen;
	name = gen_bad & AIGEN_PART_COVER ? fallback_name : gen_name;
	out->cover_prompt = take(&src->cover_prompt);
	set_name(out->generated_by_cover_prompt, name);
	merge_codes(out, summary_src, price_src, src, gen, fallback);
	return 0;
}
