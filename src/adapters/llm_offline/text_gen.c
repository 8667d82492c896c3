/*
 * Offline text generator: the blurb (summary.c), the tagline (tagline.c), the
 * genre and motifs (lexicon.c), the formula price with its basis, and a cover
 * prompt, all derived deterministically from the manuscript.
 */
#include "adapters/llm_offline/llm_offline.h"
#include "adapters/llm_offline/offline_internal.h"
#include "adapters/llm_offline/offline_text.h"
#include "domain/aigen/aigen.h"
#include "domain/aigen/vocab.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_IN_TEXT 100
#define TOP_TERMS     3

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

void offline_price_basis(aigen_price_basis *out, size_t chars, int korean)
{
	size_t per_min = korean ? OFFLINE_READ_KO_PER_MIN : OFFLINE_READ_EN_PER_MIN;
	size_t minutes = (chars + per_min / 2) / per_min;
	const size_t *limits =
	    korean ? (const size_t[]){5000, 40000, 150000} : (const size_t[]){7000, 45000, 230000};
	const char *cls = chars < limits[0]   ? "flash"
			  : chars < limits[1] ? "short"
			  : chars < limits[2] ? "novella"
					      : "novel";

	memset(out, 0, sizeof(*out));
	snprintf(out->code, sizeof(out->code), "length");
	out->minutes = minutes < 1 ? 1 : minutes > 7 * 24 * 60 ? 7 * 24 * 60 : (int)minutes;
	snprintf(out->length_class, sizeof(out->length_class), "%s", cls);
}

static void build_cover_prompt(strbuf *b, const doc *d, const char *title)
{
	const term *top[TOP_TERMS] = {0};
	size_t ntop = offline_top_terms(top, TOP_TERMS, d), ngenres;
	const aigen_genre_info *g = &aigen_genres(&ngenres)[d->genre];
	int listed = 0;

	if (d->korean) {
		strbuf_str(b, "\xE3\x80\x8E");
		offline_buf_capped(b, title, strlen(title), TITLE_IN_TEXT);
		strbuf_fmt(b, "\xE3\x80\x8F 책 표지 일러스트, %s", g->ko);
		if (d->nmotifs || ntop)
			strbuf_str(b, ", 주요 소재: ");
	} else {
		strbuf_str(b, "Book cover illustration for \u201C");
		offline_buf_capped(b, title, strlen(title), TITLE_IN_TEXT);
		strbuf_str(b, "\u201D, ");
		for (const char *p = g->en; *p; p++)
			strbuf_add(b, &(char){(char)(*p >= 'A' && *p <= 'Z' ? *p | 0x20 : *p)}, 1);
		if (d->nmotifs || ntop)
			strbuf_str(b, ", motifs: ");
	}
	for (int k = 0; k < d->nmotifs; k++, listed++)
		strbuf_fmt(b, "%s%s", listed ? ", " : "",
			   offline_motif_word(d->motifs[k], d->korean));
	for (size_t k = 0; k < ntop; k++, listed++) {
		char w[OFFLINE_WORD_MAX];
		size_t n = top[k]->len < sizeof(w) ? top[k]->len : sizeof(w);

		memcpy(w, d->text + top[k]->off, n);
		for (size_t j = 0; j < n; j++)
			if (w[j] >= 'A' && w[j] <= 'Z')
				w[j] = (char)(w[j] - 'A' + 'a');
		if (listed)
			strbuf_str(b, ", ");
		offline_buf_clean(b, w, n);
	}
	if (d->korean)
		strbuf_str(b, ". 세로형 구도, 서정적인 분위기, 그림 속 글자 없음.");
	else
		strbuf_str(b, ". Portrait composition, evocative mood, no lettering.");
}

static void set_codes(aigen_draft *out, const doc *d)
{
	size_t n;

	snprintf(out->genre, sizeof(out->genre), "%s", aigen_genres(&n)[d->genre].code);
	for (int k = 0; k < d->nmotifs && k < AIGEN_MOTIFS_MAX; k++)
		snprintf(out->motifs[k], sizeof(out->motifs[k]), "%s",
			 offline_motif_code(d->motifs[k]));
	out->nmotifs = d->nmotifs < AIGEN_MOTIFS_MAX ? d->nmotifs : AIGEN_MOTIFS_MAX;
}

/* Reads the manuscript: sentences, terms, lexicon, protagonist. APP_ENOMEM only. */
static int read_doc(doc *d, const aigen_text_request *req, const char *title)
{
	int rc;

	d->text = req->content ? req->content : "";
	d->len = req->content ? req->content_len : 0;
	d->korean = offline_text_is_korean(d->text, d->len) ||
		    (d->len == 0 && offline_text_is_korean(title, strlen(title)));
	if ((rc = offline_split_sentences(d)) || (rc = offline_score_sentences(d, title)) ||
	    (rc = offline_read_lexicon(d)) || (rc = offline_find_protagonist(d)))
		return rc;
	offline_mark_backrefs(d);
	return 0;
}

static int offline_generate(aigen_draft *out, void *self, const aigen_text_request *req,
			    app_err *err)
{
	doc d = {0};
	strbuf sum = {0}, tag = {0}, cover = {0};
	const char *title = req->title ? req->title : "";
	const char *pen = req->pen_name && *req->pen_name ? req->pen_name : "?";
	char reason[AIGEN_PRICE_REASON_MAX];
	int rc = 0;

	(void)self;
	memset(out, 0, sizeof(*out));
	if (req->price_min > req->price_max || req->price_min < 0) {
		rc = app_err_set(err, APP_EINVALID, NULL, "price", "bad price bounds");
		goto out;
	}
	if (read_doc(&d, req, title) < 0) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	out->price = offline_price_for_chars(d.chars, req->price_min, req->price_max);
	out->has_price = 1;
	offline_price_basis(&out->price_basis, d.chars, d.korean);
	aigen_price_basis_render(reason, sizeof(reason), &out->price_basis, d.korean ? "ko" : "en");
	set_codes(out, &d);
	offline_build_summary(&sum, &d, title, pen, out->price_basis.length_class);
	offline_build_tagline(&tag, &d, req->variant < 0 ? 0 : req->variant);
	build_cover_prompt(&cover, &d, title);
	out->summary = strbuf_take(&sum);
	out->tagline = strbuf_take(&tag);
	out->price_reason = strdup(reason);
	out->cover_prompt = strbuf_take(&cover);
	if (!out->summary || !out->tagline || !out->price_reason || !out->cover_prompt) {
		aigen_draft_dispose(out);
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
out:
	strbuf_dispose(&sum);
	strbuf_dispose(&tag);
	strbuf_dispose(&cover);
	offline_doc_dispose(&d);
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
	text_generator g = {.vtbl = &offline_text_vtbl, .self = NULL};

	return g;
}
