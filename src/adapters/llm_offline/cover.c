/*
 * The offline image generator: the cover drawn by cover_draw() to SVG (glyphs
 * as paths: a viewer needs no font) and to PNG at 600 x 900 and 300 x 450,
 * the same drawing at two scales. The genre and motifs come from the text
 * generator; a request without them (a model wrote the text) gets them from
 * the lexicon over the title and the cover prompt. Same request, same bytes.
 */
#include "adapters/llm_offline/llm_offline.h"
#include "adapters/llm_offline/offline_cover.h"
#include "adapters/llm_offline/offline_internal.h"
#include "adapters/llm_offline/offline_text.h"
#include "domain/aigen/vocab.h"

#include <cairo-svg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends s as one line of clean UTF-8: controls and runs of spaces become one space. */
static void clean_line(strbuf *b, const char *s, size_t max_chars)
{
	size_t len = s ? strlen(s) : 0, i = 0, chars = 0;
	int space = 1; /* drops leading spaces */

	while (i < len && chars < max_chars) {
		uint32_t cp = offline_utf8_next(s, len, &i);

		if (cp < 0x20 || cp == 0x7F || offline_cp_is_space(cp) || (cp >= 0x80 && cp < 0xA0))
			cp = ' ';
		if (cp == ' ' && space)
			continue;
		space = cp == ' ';
		offline_buf_cp(b, cp);
		chars++;
	}
	while (b->len > 0 && b->s[b->len - 1] == ' ')
		b->s[--b->len] = '\0';
	if (!b->s)
		strbuf_str(b, "");
}

static int motif_index(const char *code)
{
	for (int m = 0; m < OFFLINE_N_MOTIFS; m++)
		if (!strcmp(offline_motif_code(m), code))
			return m;
	return -1;
}

/* Appends s with the words every cover prompt has ("책 표지", "book cover") blanked out. */
static void prompt_words(strbuf *b, const char *s)
{
	static const char *const stock[] = {"책 표지", "Book cover", "book cover", "Book Cover"};

	strbuf_str(b, s);
	for (size_t i = 0; b->s && i < sizeof(stock) / sizeof(stock[0]); i++)
		for (char *p = strstr(b->s, stock[i]); p; p = strstr(p, stock[i]))
			memset(p, ' ', strlen(stock[i]));
}

/* Genre and motifs from the request, or from the lexicon over the title and prompt. */
static int read_hints(cover_spec *sp, const aigen_image_request *req)
{
	size_t ngenres;
	const aigen_genre_info *genres = aigen_genres(&ngenres), *g = aigen_genre_find(req->genre);
	lex_counts c = {0};
	strbuf prompt = {0};
	int rc;

	for (int i = 0; req->motifs && i < req->nmotifs && i < AIGEN_MOTIFS_MAX && sp->nmotifs < 3;
	     i++) {
		int m = motif_index(req->motifs[i]);

		if (m >= 0)
			sp->motif[sp->nmotifs++] = m;
	}
	if (g && sp->nmotifs) {
		sp->genre = (int)(g - genres);
		return 0;
	}
	prompt_words(&prompt, req->cover_prompt ? req->cover_prompt : "");
	if (prompt.oom)
		return APP_ENOMEM;
	rc = offline_lexicon_count(&c, sp->title, strlen(sp->title));
	if (rc == 0)
		rc = offline_lexicon_count(&c, prompt.s, prompt.len);
	strbuf_dispose(&prompt);
	if (rc)
		return rc;
	sp->genre = g ? (int)(g - genres) : offline_lexicon_genre(&c);
	if (!sp->nmotifs)
		sp->nmotifs = offline_lexicon_motifs(sp->motif, &c);
	return 0;
}

static cairo_status_t to_strbuf(void *closure, const unsigned char *data, unsigned int n)
{
	strbuf *b = closure;

	strbuf_add(b, (const char *)data, n);
	return b->oom ? CAIRO_STATUS_NO_MEMORY : CAIRO_STATUS_SUCCESS;
}

static PangoContext *new_context(PangoFontMap *fm, int korean)
{
	PangoContext *ctx = pango_font_map_create_context(fm);
	cairo_font_options_t *fo = cairo_font_options_create();

	/* unhinted outlines: the same metrics at every scale, in every rendition */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(ctx, FALSE);
	pango_context_set_language(ctx, pango_language_from_string(korean ? "ko" : "en"));
	return ctx;
}

static cairo_status_t draw_on(cairo_surface_t *s, PangoContext *ctx, const cover_spec *sp,
			      double scale)
{
	cairo_t *cr = cairo_create(s);
	cairo_status_t st;

	cairo_scale(cr, scale, scale);
	cover_draw(cr, ctx, sp, cairo_surface_get_type(s) == CAIRO_SURFACE_TYPE_IMAGE);
	st = cairo_status(cr);
	cairo_destroy(cr);
	return st;
}

/*
 * Cairo names the SVG's groups after a process-wide surface counter
 * ("surface35"): renumbered from 1 in order of appearance, the same cover is
 * the same bytes whenever it is drawn.
 */
static void renumber_surfaces(strbuf *svg)
{
	static const char key[] = "surface";
	unsigned long seen[16];
	size_t nseen = 0;
	strbuf out = {0};
	const char *p = svg->s, *hit;

	if (!p)
		return;
	while ((hit = strstr(p, key))) {
		const char *d = hit + sizeof(key) - 1, *e = d;
		unsigned long id;
		size_t k;

		strbuf_add(&out, p, (size_t)(d - p));
		while (*e >= '0' && *e <= '9')
			e++;
		p = e;
		if (e == d)
			continue;
		id = strtoul(d, NULL, 10);
		for (k = 0; k < nseen && seen[k] != id; k++)
			;
		if (k == nseen && nseen < sizeof(seen) / sizeof(seen[0]))
			seen[nseen++] = id;
		strbuf_fmt(&out, "%zu", k + 1);
	}
	strbuf_str(&out, p);
	if (out.oom) {
		strbuf_dispose(&out);
		svg->oom = 1;
		return;
	}
	strbuf_dispose(svg);
	*svg = out;
}

static cairo_status_t scale_down(cairo_surface_t *to, cairo_surface_t *from)
{
	cairo_t *cr = cairo_create(to);
	cairo_status_t st;

	cairo_scale(
	    cr, (double)cairo_image_surface_get_width(to) / cairo_image_surface_get_width(from),
	    (double)cairo_image_surface_get_height(to) / cairo_image_surface_get_height(from));
	cairo_set_source_surface(cr, from, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
	cairo_set_operator(cr, CAIRO_OPERATOR_SOURCE); /* nothing of the last cover stays */
	cairo_paint(cr);
	st = cairo_status(cr);
	cairo_destroy(cr);
	return st;
}

/*
 * Draws the SVG and the full-size image under the font lock; the thumbnail is
 * the full image scaled down (a 2:1 bilinear sample is a box filter), which
 * needs no fonts. The images are the workspace's (the ground covers the
 * whole page, so nothing of the last cover shows through).
 */
static int draw_all(strbuf *svg, cairo_surface_t *png[2], const cover_spec *sp, cover_work *wk,
		    app_err *err)
{
	PangoFontMap *fm;
	PangoContext *ctx;
	cairo_surface_t *s;
	cairo_status_t st;
	int rc;

	if ((rc = cover_fonts_lock(&fm, err)))
		return rc;
	ctx = new_context(fm, sp->korean);
	s = cairo_svg_surface_create_for_stream(to_strbuf, svg, COVER_W, COVER_H);
	cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
	st = draw_on(s, ctx, sp, 1.0);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	png[0] = cover_work_image(wk, 0);
	if (st == CAIRO_STATUS_SUCCESS)
		st = draw_on(png[0], ctx, sp, AIGEN_COVER_FULL_W / COVER_W);
	g_object_unref(ctx);
	cover_fonts_unlock();
	png[1] = cover_work_image(wk, 1);
	if (st == CAIRO_STATUS_SUCCESS)
		st = scale_down(png[1], png[0]);
	renumber_surfaces(svg);
	if (st == CAIRO_STATUS_NO_MEMORY || svg->oom)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (st != CAIRO_STATUS_SUCCESS)
		return app_err_set(err, APP_EIO, NULL, NULL, "covers: cairo: %s",
				   cairo_status_to_string(st));
	return 0;
}

static int encode(aigen_png *out, cairo_surface_t *s, cover_work *wk, app_err *err)
{
	out->width = cairo_image_surface_get_width(s);
	out->height = cairo_image_surface_get_height(s);
	return cover_png_encode(&out->data, &out->len, s, wk, err);
}

/* The spec of req; title and pen hold its strings (the caller disposes them). */
static int spec_of(cover_spec *sp, strbuf *title, strbuf *pen, const aigen_image_request *req,
		   app_err *err)
{
	memset(sp, 0, sizeof(*sp));
	clean_line(title, req->title, COVER_TITLE_MAX);
	clean_line(pen, req->pen_name, COVER_PEN_MAX);
	if (title->oom || pen->oom)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	sp->title = title->s;
	sp->pen = pen->s;
	sp->korean = offline_text_is_korean(title->s, title->len) ||
		     (!title->len && offline_text_is_korean(pen->s, pen->len));
	sp->seed = offline_seed(title->s, title->len);
	if (read_hints(sp, req) < 0)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	return 0;
}

int offline_cover(aigen_image *out, const aigen_image_request *req, app_err *err)
{
	strbuf title = {0}, pen = {0}, svg = {0};
	cairo_surface_t *png[2] = {NULL, NULL};
	cover_work *wk = cover_work_get(err);
	cover_spec sp;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!wk)
		return APP_ENOMEM;
	if ((rc = spec_of(&sp, &title, &pen, req, err)) ||
	    (rc = draw_all(&svg, png, &sp, wk, err)) ||
	    (rc = encode(&out->png_full, png[0], wk, err)) ||
	    (rc = encode(&out->png_thumb, png[1], wk, err)))
		goto out;
	out->len = svg.len;
	out->data = (unsigned char *)strbuf_take(&svg);
	snprintf(out->mime, sizeof(out->mime), "image/svg+xml");
out:
	if (rc)
		aigen_image_dispose(out);
	strbuf_dispose(&title);
	strbuf_dispose(&pen);
	strbuf_dispose(&svg);
	return rc;
}

int offline_cover_title_lines(strbuf *out, const aigen_image_request *req, app_err *err)
{
	strbuf title = {0}, pen = {0};
	PangoFontMap *fm;
	PangoContext *ctx;
	cover_spec sp;
	int rc;

	if ((rc = spec_of(&sp, &title, &pen, req, err)) || (rc = cover_fonts_lock(&fm, err)))
		goto out;
	ctx = new_context(fm, sp.korean);
	rc = cover_title_lines(out, ctx, &sp);
	g_object_unref(ctx);
	cover_fonts_unlock();
	if (out->oom)
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
out:
	strbuf_dispose(&title);
	strbuf_dispose(&pen);
	return rc;
}

int offline_cover_check(app_err *err)
{
	PangoFontMap *fm;
	int rc = cover_fonts_lock(&fm, err);

	/* the fonts themselves load with the first cover: a server that draws none never pays */
	if (rc == 0)
		cover_fonts_unlock();
	return rc;
}

static int offline_image_generate(aigen_image *out, void *self, const aigen_image_request *req,
				  app_err *err)
{
	(void)self;
	return offline_cover(out, req, err);
}

static const char *offline_image_name(void *self)
{
	(void)self;
	return OFFLINE_NAME;
}

static void offline_image_destroy(void *self)
{
	(void)self;
}

static const image_generator_vtbl offline_image_vtbl = {
    .generate = offline_image_generate,
    .name = offline_image_name,
    .destroy = offline_image_destroy,
};

image_generator offline_image_generator_new(void)
{
	image_generator g = {.vtbl = &offline_image_vtbl, .self = NULL};

	return g;
}
