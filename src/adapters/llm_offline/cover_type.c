/*
 * Type on the covers: Pango shapes and breaks the title. Korean breaks
 * between words (어절), never inside one, unless a word is wider than the
 * line; the size is the largest that fits the title's box in its lines (or a
 * little smaller, when that saves an orphaned last word), then the line width
 * is narrowed as far as the line count allows, so the lines come out even,
 * and of two lines the longer goes below when that keeps them as even.
 */
#include "adapters/llm_offline/cover_style.h"

#include <string.h>

PangoLayout *cover_layout_new(PangoContext *ctx, const char *family, int bold, double px,
			      const char *text)
{
	PangoLayout *l = pango_layout_new(ctx);
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, cover_fonts_family(family));
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(l, text, -1);
	return l;
}

/* No line break inside a word (어절): Korean breaks between syllables otherwise. */
static PangoAttrList *word_attrs(const char *text, double tracking_px)
{
	PangoAttrList *list = pango_attr_list_new();
	size_t i = 0, n = strlen(text);

	if (tracking_px != 0)
		pango_attr_list_insert(
		    list, pango_attr_letter_spacing_new((int)(tracking_px * PANGO_SCALE)));
	while (i < n) {
		size_t start;
		PangoAttribute *a;

		while (i < n && text[i] == ' ')
			i++;
		start = i;
		while (i < n && text[i] != ' ')
			i++;
		if (i > start) {
			a = pango_attr_allow_breaks_new(FALSE);
			a->start_index = (guint)start;
			a->end_index = (guint)i;
			pango_attr_list_insert(list, a);
		}
	}
	return list;
}

/*
 * The title is laid out once, at REF_PX, and drawn scaled: unhinted, its
 * metrics scale exactly, and Pango loads one set of fonts instead of one for
 * every size tried (each a sort of all the fonts fontconfig knows).
 */
#define REF_PX 100.0

/* A title being fitted: its layout at REF_PX, drawn at scale k (px / REF_PX). */
typedef struct fit {
	PangoLayout *l;
	const text_box *box;
	double k;
} fit;

static void set_width(const fit *f, double w)
{
	pango_layout_set_width(f->l, (int)(w / f->k * PANGO_SCALE));
}

/* The layout's size at scale, in pixels. */
static void extents(const fit *f, double *w, double *h)
{
	PangoRectangle logical;

	pango_layout_get_extents(f->l, NULL, &logical);
	*w = (double)logical.width / PANGO_SCALE * f->k;
	*h = (double)logical.height / PANGO_SCALE * f->k;
}

/* 1 when the title, wrapped at w, fits the box in at most its lines with no word sticking out. */
static int fits(const fit *f, double w)
{
	double lw, lh;

	set_width(f, w);
	extents(f, &lw, &lh);
	return pango_layout_get_line_count(f->l) <= f->box->max_lines && lw <= w + 0.5 &&
	       lh <= f->box->h;
}

/* 1 when a line, wrapped at w, sticks out: a word that does not fit a line. */
static int too_wide(const fit *f, double w)
{
	double lw, lh;

	set_width(f, w);
	extents(f, &lw, &lh);
	return lw > w + 0.5;
}

static double line_width(const fit *f, int i)
{
	PangoRectangle r;

	pango_layout_line_get_extents(pango_layout_get_line_readonly(f->l, i), NULL, &r);
	return (double)r.width / PANGO_SCALE * f->k;
}

/*
 * Filling lines from the top leaves the first of two the longer. Moving its
 * last word down, with a line break of our own, when that leaves the lines
 * no less even, reads better ("비가 오면 / 문을 여는 카페"): the longer line
 * below. Returns the line width to use.
 */
static double bottom_heavy(const fit *f, double w)
{
	const char *text = pango_layout_get_text(f->l);
	const PangoLayoutLine *first = pango_layout_get_line_readonly(f->l, 0);
	double d1 = line_width(f, 0) - line_width(f, 1), d2;
	char *moved;
	int space = -1;

	if (pango_layout_get_line_count(f->l) != 2 || d1 <= 0)
		return w;
	for (int i = first->start_index; i < first->start_index + first->length; i++)
		if (text[i] == ' ' && i + 1 < first->start_index + first->length &&
		    text[i + 1] != ' ')
			space = i;
	if (space < 0 || !(moved = g_strdup(text)))
		return w;
	moved[space] = '\n'; /* one byte for one: the attributes keep their places */
	pango_layout_set_text(f->l, moved, -1);
	if (fits(f, f->box->w) && pango_layout_get_line_count(f->l) == 2 &&
	    (d2 = line_width(f, 1) - line_width(f, 0)) >= 0 && d2 <= d1 + 1) {
		g_free(moved);
		return line_width(f, 1);
	}
	moved[space] = ' ';
	pango_layout_set_text(f->l, moved, -1);
	g_free(moved);
	set_width(f, w);
	return w;
}

/* Narrows the lines as far as their count allows: even lines, no orphan. */
static double balance(const fit *f, double w)
{
	int lines = pango_layout_get_line_count(f->l);
	double lo = w * 0.45, hi = w;

	if (lines < 2)
		return w;
	while (hi - lo > 2) {
		double mid = (lo + hi) / 2;

		if (fits(f, mid) && pango_layout_get_line_count(f->l) == lines)
			hi = mid;
		else
			lo = mid;
	}
	set_width(f, hi);
	return bottom_heavy(f, hi);
}

/*
 * A last line under half the others' width reads as an orphan: when a size
 * not much smaller (down to 72 %) sets the title in one line fewer, use it.
 */
static void fewer_lines(fit *f)
{
	int lines = pango_layout_get_line_count(f->l), n = lines;
	double widest = 0, last = 0, k0 = f->k;

	if (lines < 2 || !fits(f, f->box->w))
		return;
	for (int i = 0; i < n; i++) {
		last = line_width(f, i);
		widest = last > widest ? last : widest;
	}
	if (last >= widest * 0.5)
		return;
	for (f->k = k0 * 0.94; f->k >= k0 * 0.72; f->k *= 0.94)
		if (fits(f, f->box->w) && pango_layout_get_line_count(f->l) < lines)
			return;
	f->k = k0;
	fits(f, f->box->w);
}

PangoLayout *cover_title_layout(PangoContext *ctx, const cover_style *st, const char *text,
				const text_box *box, double max_px, int korean, double *w,
				double *scale)
{
	fit f = {cover_layout_new(ctx, st->title_family, st->title_bold, REF_PX, text), box,
		 max_px / REF_PX};
	double tracking = korean ? -REF_PX * 0.02 : 0, min_k = 34 / REF_PX;
	PangoAttrList *attrs = word_attrs(korean ? text : "", tracking);

	pango_layout_set_wrap(f.l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(f.l, box->left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
	pango_layout_set_line_spacing(f.l, 1.12f);
	pango_layout_set_attributes(f.l, attrs);
	while (!fits(&f, box->w) && f.k > min_k)
		f.k = f.k * 0.92 < min_k ? min_k : f.k * 0.92;
	fewer_lines(&f);
	if (!fits(&f, box->w) && too_wide(&f, box->w)) {
		/* a word wider than the line: break inside it */
		pango_attr_list_unref(attrs);
		attrs = word_attrs("", tracking);
		pango_layout_set_attributes(f.l, attrs);
	}
	if (!fits(&f, box->w)) { /* too long for the cover: cut the last line short */
		pango_layout_set_height(f.l, -box->max_lines);
		pango_layout_set_ellipsize(f.l, PANGO_ELLIPSIZE_END);
	}
	pango_attr_list_unref(attrs);
	set_width(&f, box->w);
	*w = pango_layout_get_ellipsize(f.l) == PANGO_ELLIPSIZE_NONE ? balance(&f, box->w) : box->w;
	*scale = f.k;
	return f.l;
}

void cover_small_line(cairo_t *cr, PangoContext *ctx, const char *family, int bold, double px,
		      double tracking, const char *text, double x, double y, double w, int left,
		      rgb c, double alpha)
{
	PangoLayout *l = cover_layout_new(ctx, family, bold, px, text);
	PangoAttrList *attrs = pango_attr_list_new();

	pango_attr_list_insert(attrs, pango_attr_letter_spacing_new((int)(tracking * PANGO_SCALE)));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_alignment(l, left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
	cairo_move_to(cr, x, y);
	cover_set(cr, c, alpha);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}
