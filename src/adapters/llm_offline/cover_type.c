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

/* 1 when l, wrapped at w, fits box in at most its lines with no word sticking out. */
static int fits(PangoLayout *l, double w, const text_box *box)
{
	PangoRectangle ink, logical;

	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_get_extents(l, &ink, &logical);
	return pango_layout_get_line_count(l) <= box->max_lines &&
	       logical.width <= (int)((w + 0.5) * PANGO_SCALE) &&
	       logical.height <= (int)(box->h * PANGO_SCALE);
}

/* 1 when a line of l, wrapped at w, sticks out: a word that does not fit a line. */
static int too_wide(PangoLayout *l, double w)
{
	PangoRectangle logical;

	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	pango_layout_get_extents(l, NULL, &logical);
	return logical.width > (int)((w + 0.5) * PANGO_SCALE);
}

static void set_size(PangoLayout *l, double px)
{
	PangoFontDescription *fd =
	    pango_font_description_copy(pango_layout_get_font_description(l));

	pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
}

static double line_width(PangoLayout *l, int i)
{
	PangoRectangle r;

	pango_layout_line_get_extents(pango_layout_get_line_readonly(l, i), NULL, &r);
	return (double)r.width / PANGO_SCALE;
}

/*
 * Filling lines from the top leaves the first of two the longer. Moving its
 * last word down, with a line break of our own, when that leaves the lines
 * no less even, reads better ("비가 오면 / 문을 여는 카페"): the longer line
 * below. Returns the line width to use.
 */
static double bottom_heavy(PangoLayout *l, double w, const text_box *box)
{
	const char *text = pango_layout_get_text(l);
	const PangoLayoutLine *first = pango_layout_get_line_readonly(l, 0);
	double d1 = line_width(l, 0) - line_width(l, 1), d2;
	char *moved;
	int space = -1;

	if (pango_layout_get_line_count(l) != 2 || d1 <= 0)
		return w;
	for (int i = first->start_index; i < first->start_index + first->length; i++)
		if (text[i] == ' ' && i + 1 < first->start_index + first->length &&
		    text[i + 1] != ' ')
			space = i;
	if (space < 0 || !(moved = g_strdup(text)))
		return w;
	moved[space] = '\n'; /* one byte for one: the attributes keep their places */
	pango_layout_set_text(l, moved, -1);
	if (fits(l, box->w, box) && pango_layout_get_line_count(l) == 2 &&
	    (d2 = line_width(l, 1) - line_width(l, 0)) >= 0 && d2 <= d1 + 1) {
		g_free(moved);
		return line_width(l, 1);
	}
	moved[space] = ' ';
	pango_layout_set_text(l, moved, -1);
	g_free(moved);
	pango_layout_set_width(l, (int)(w * PANGO_SCALE));
	return w;
}

/* Narrows the lines as far as their count allows: even lines, no orphan. */
static double balance(PangoLayout *l, double w, const text_box *box)
{
	int lines = pango_layout_get_line_count(l);
	double lo = w * 0.45, hi = w;

	if (lines < 2)
		return w;
	while (hi - lo > 2) {
		double mid = (lo + hi) / 2;

		if (fits(l, mid, box) && pango_layout_get_line_count(l) == lines)
			hi = mid;
		else
			lo = mid;
	}
	pango_layout_set_width(l, (int)(hi * PANGO_SCALE));
	return bottom_heavy(l, hi, box);
}

/* The widest line of l and its last line, in pixels. */
static void line_widths(PangoLayout *l, double *widest, double *last)
{
	int n = pango_layout_get_line_count(l);

	*widest = *last = 0;
	for (int i = 0; i < n; i++) {
		PangoRectangle r;

		pango_layout_line_get_extents(pango_layout_get_line_readonly(l, i), NULL, &r);
		*last = (double)r.width / PANGO_SCALE;
		if (*last > *widest)
			*widest = *last;
	}
}

/*
 * A last line under half the others' width reads as an orphan: when a size
 * not much smaller (down to 72 %) sets the title in one line fewer, use it.
 */
static void fewer_lines(PangoLayout *l, const text_box *box, double px)
{
	int lines = pango_layout_get_line_count(l);
	double widest, last, lo = px * 0.72;

	if (lines < 2 || !fits(l, box->w, box))
		return;
	line_widths(l, &widest, &last);
	if (last >= widest * 0.5)
		return;
	for (double q = px * 0.94; q >= lo; q *= 0.94) {
		set_size(l, q);
		if (fits(l, box->w, box) && pango_layout_get_line_count(l) < lines)
			return;
	}
	set_size(l, px);
	fits(l, box->w, box);
}

PangoLayout *cover_title_layout(PangoContext *ctx, const cover_style *st, const char *text,
				const text_box *box, double max_px, int korean, double *w)
{
	PangoLayout *l = cover_layout_new(ctx, st->title_family, st->title_bold, max_px, text);
	PangoAttrList *attrs = word_attrs(korean ? text : "", korean ? -max_px * 0.02 : 0);
	double px = max_px;

	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, box->left ? PANGO_ALIGN_LEFT : PANGO_ALIGN_CENTER);
	pango_layout_set_line_spacing(l, 1.12f);
	pango_layout_set_attributes(l, attrs);
	while (!fits(l, box->w, box) && px > 34) {
		px = px * 0.92 < 34 ? 34 : px * 0.92;
		set_size(l, px);
	}
	fewer_lines(l, box, px);
	if (!fits(l, box->w, box) && too_wide(l, box->w)) {
		/* a word wider than the line: break inside it */
		pango_attr_list_unref(attrs);
		attrs = word_attrs("", korean ? -px * 0.02 : 0);
		pango_layout_set_attributes(l, attrs);
	}
	if (!fits(l, box->w, box)) { /* too long for the cover: cut the last line short */
		pango_layout_set_height(l, -box->max_lines);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	}
	pango_attr_list_unref(attrs);
	pango_layout_set_width(l, (int)(box->w * PANGO_SCALE));
	*w = pango_layout_get_ellipsize(l) == PANGO_ELLIPSIZE_NONE ? balance(l, box->w, box)
								   : box->w;
	return l;
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
