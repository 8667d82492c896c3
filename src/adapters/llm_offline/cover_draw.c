/*
 * The one drawing routine of the offline cover. The genre picks the style
 * (cover_style.c); the title's hash shifts its hues a little and seeds the
 * texture, so two books of a genre are siblings, not twins; the first motif
 * is the emblem, a second one a small companion; the type is set by
 * cover_type.c.
 *
 * The SVG holds the glyphs as outlines (<symbol>s), never as <text>: a
 * viewer needs no font.
 */
#include "adapters/llm_offline/cover_style.h"
#include "domain/aigen/vocab.h"

#include <math.h>
#include <string.h>

#define PI 3.14159265358979323846

static rgb hex(unsigned v)
{
	return (rgb){((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0, (v & 0xff) / 255.0};
}

/* c with its hue turned by deg degrees (rotation about the grey axis). */
static rgb turn(rgb c, double deg)
{
	double a = deg * PI / 180.0, k = 1.0 / sqrt(3.0), co = cos(a), si = sin(a);
	double dot = (c.r + c.g + c.b) * k * (1 - co);
	rgb o = {
	    c.r * co + k * (c.b - c.g) * si + k * dot,
	    c.g * co + k * (c.r - c.b) * si + k * dot,
	    c.b * co + k * (c.g - c.r) * si + k * dot,
	};

	o.r = o.r < 0 ? 0 : o.r > 1 ? 1 : o.r;
	o.g = o.g < 0 ? 0 : o.g > 1 ? 1 : o.g;
	o.b = o.b < 0 ? 0 : o.b > 1 ? 1 : o.b;
	return o;
}

typedef struct palette {
	rgb top, bottom, ink, sub, accent, detail, glow;
} palette;

static void palette_of(palette *p, const cover_style *st, uint32_t seed)
{
	double shift = (double)(seed % 21) - 10.0; /* -10..10 degrees */

	p->top = turn(hex(st->top), shift);
	p->bottom = turn(hex(st->bottom), shift);
	p->ink = hex(st->ink);
	p->sub = hex(st->sub);
	p->accent = turn(hex(st->accent), shift / 2);
	p->detail = turn(hex(st->detail), shift);
	p->glow = turn(hex(st->glow), shift / 2);
}

/* --- ground ---------------------------------------------------------------------------- */

/*
 * The ground: top to bottom, and for the dark styles lit from the middle
 * instead (one radial fill: a vignette without a second pass over the page).
 */
static cairo_pattern_t *ground(const palette *p, int vignette)
{
	cairo_pattern_t *g;

	if (vignette) {
		g = cairo_pattern_create_radial(COVER_W / 2, COVER_H * 0.4, COVER_W * 0.1,
						COVER_W / 2, COVER_H * 0.45, COVER_H * 0.7);
		cairo_pattern_add_color_stop_rgb(g, 0, p->top.r, p->top.g, p->top.b);
		cairo_pattern_add_color_stop_rgb(g, 0.7, p->bottom.r, p->bottom.g, p->bottom.b);
		cairo_pattern_add_color_stop_rgb(g, 1, p->bottom.r * 0.55, p->bottom.g * 0.55,
						 p->bottom.b * 0.55);
	} else {
		g = cairo_pattern_create_linear(0, 0, 0, COVER_H);
		cairo_pattern_add_color_stop_rgb(g, 0, p->top.r, p->top.g, p->top.b);
		cairo_pattern_add_color_stop_rgb(g, 1, p->bottom.r, p->bottom.g, p->bottom.b);
	}
	return g;
}

/* One pixel of the ground for GROUND_STEP of the page: a gradient is smooth at any scale. */
#define GROUND_STEP 6

/*
 * Vector surfaces get the gradient; on a raster one, computing the radial
 * gradient per pixel of the page is a third of the drawing, so it is
 * computed for a small image and scaled up (bilinear), which looks the same.
 */
static void background(cairo_t *cr, const palette *p, int vignette, int raster)
{
	cairo_pattern_t *g = ground(p, vignette);
	cairo_surface_t *small;
	cairo_t *sc;

	if (!raster || !vignette) { /* pixman fills a vertical gradient a row at a time */
		cairo_set_source(cr, g);
		cairo_paint(cr);
		cairo_pattern_destroy(g);
		return;
	}
	small = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)COVER_W / GROUND_STEP + 1,
					   (int)COVER_H / GROUND_STEP + 1);
	sc = cairo_create(small);
	cairo_scale(sc, 1.0 / GROUND_STEP, 1.0 / GROUND_STEP);
	cairo_set_source(sc, g);
	cairo_paint(sc);
	cairo_destroy(sc);
	cairo_pattern_destroy(g);
	cairo_save(cr);
	cairo_scale(cr, GROUND_STEP, GROUND_STEP);
	cairo_set_source_surface(cr, small, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
	cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD);
	cairo_paint(cr);
	cairo_restore(cr);
	cairo_surface_destroy(small);
}

static void sparkle(cairo_t *cr, double x, double y, double r)
{
	cairo_move_to(cr, x, y - r);
	cairo_curve_to(cr, x, y, x, y, x + r, y);
	cairo_curve_to(cr, x, y, x, y, x, y + r);
	cairo_curve_to(cr, x, y, x, y, x - r, y);
	cairo_curve_to(cr, x, y, x, y, x, y - r);
	cairo_close_path(cr);
}

static void dots(cairo_t *cr, uint32_t *s, int n, double rmin, double rmax, double ymax)
{
	for (int i = 0; i < n; i++) {
		cairo_new_sub_path(cr);
		cairo_arc(cr, cover_uniform(s, 0, COVER_W), cover_uniform(s, 0, ymax),
			  cover_uniform(s, rmin, rmax), 0, 2 * PI);
	}
}

static void texture_lines(cairo_t *cr, const palette *p, enum cover_texture t, uint32_t *s)
{
	if (t == TEX_GRID) {
		for (double x = 18; x < COVER_W; x += 36) {
			cairo_move_to(cr, x, 0);
			cairo_line_to(cr, x, COVER_H);
		}
		for (double y = 18; y < COVER_H; y += 36) {
			cairo_move_to(cr, 0, y);
			cairo_line_to(cr, COVER_W, y);
		}
		cover_set(cr, p->accent, 0.07);
		cairo_set_line_width(cr, 1);
		cairo_stroke(cr);
		for (int i = 0; i < 3; i++) { /* light through a gate */
			double x = cover_uniform(s, 80, 520);

			cairo_move_to(cr, x - 160, COVER_H);
			cairo_line_to(cr, x + 160, 0);
		}
		cover_set(cr, p->accent, 0.12);
		cairo_set_line_width(cr, 3);
		cairo_stroke(cr);
	} else if (t == TEX_SCRATCH) {
		for (int i = 0; i < 26; i++) {
			double x = cover_uniform(s, 0, COVER_W), y = cover_uniform(s, 0, COVER_H);
			double l = cover_uniform(s, 40, 180);

			cairo_move_to(cr, x, y);
			cairo_line_to(cr, x + cover_uniform(s, -20, 20), y + l);
		}
		cover_set(cr, p->ink, 0.07);
		cairo_set_line_width(cr, 1.2);
		cairo_stroke(cr);
	} else if (t == TEX_LATTICE) {
		for (double d = -COVER_H; d < COVER_W + COVER_H; d += 60) {
			cairo_move_to(cr, d, 0);
			cairo_line_to(cr, d - COVER_H, COVER_H);
			cairo_move_to(cr, d - COVER_H, 0);
			cairo_line_to(cr, d, COVER_H);
		}
		cover_set(cr, p->accent, 0.07);
		cairo_set_line_width(cr, 1);
		cairo_stroke(cr);
	}
}

static void texture(cairo_t *cr, const palette *p, enum cover_texture t, uint32_t seed)
{
	uint32_t s = seed ^ 0x5bd1e995u;

	switch (t) {
	case TEX_STARS:
		dots(cr, &s, 110, 0.5, 1.8, COVER_H * 0.75);
		cover_set(cr, p->glow, 0.75);
		cairo_fill(cr);
		for (int i = 0; i < 7; i++)
			sparkle(cr, cover_uniform(&s, 30, 570), cover_uniform(&s, 30, 520),
				cover_uniform(&s, 5, 11));
		cover_set(cr, p->glow, 0.9);
		cairo_fill(cr);
		break;
	case TEX_PAPER:
		dots(cr, &s, 220, 0.4, 1.3, COVER_H);
		cover_set(cr, p->ink, 0.07);
		cairo_fill(cr);
		break;
	case TEX_BOKEH:
		dots(cr, &s, 11, 24, 90, COVER_H);
		cover_set(cr, p->glow, 0.16);
		cairo_fill(cr);
		break;
	case TEX_HALFTONE:
		for (int gy = 0; gy < 14; gy++)
			for (int gx = 0; gx < 14; gx++) {
				double x = COVER_W - 18 - gx * 22, y = 28 + gy * 22;
				double r = 7.5 - 0.45 * (gx + gy);

				if (r > 0.6) {
					cairo_new_sub_path(cr);
					cairo_arc(cr, x, y, r, 0, 2 * PI);
				}
			}
		cover_set(cr, p->accent, 0.12);
		cairo_fill(cr);
		break;
	case TEX_SPARKLE:
		dots(cr, &s, 16, 4, 14, COVER_H);
		cover_set(cr, p->glow, 0.25);
		cairo_fill(cr);
		for (int i = 0; i < 12; i++)
			sparkle(cr, cover_uniform(&s, 20, 580), cover_uniform(&s, 20, 880),
				cover_uniform(&s, 6, 16));
		cover_set(cr, p->glow, 0.85);
		cairo_fill(cr);
		break;
	default:
		texture_lines(cr, p, t, &s);
		break;
	}
}

/* Ink-wash hills across the foot of the cover, fainter the farther. */
static void hills(cairo_t *cr, const palette *p, uint32_t seed)
{
	uint32_t s = seed ^ 0x27d4eb2du;

	for (int k = 0; k < 3; k++) {
		double base = 690 + k * 62, x = -40, y = base;

		cairo_move_to(cr, x, COVER_H);
		cairo_line_to(cr, x, y);
		while (x < COVER_W + 40) {
			double nx = x + cover_uniform(&s, 90, 170),
			       ny = base - cover_uniform(&s, 20, 150);

			cairo_curve_to(cr, x + (nx - x) * 0.4, y, x + (nx - x) * 0.6, ny, nx, ny);
			x = nx;
			y = ny;
		}
		cairo_line_to(cr, COVER_W + 40, COVER_H);
		cairo_close_path(cr);
		cover_set(cr, p->accent, 0.07 + 0.07 * k);
		cairo_fill(cr);
	}
}

static void frame(cairo_t *cr, const palette *p, enum cover_frame f)
{
	if (f == FRAME_NONE)
		return;
	cairo_set_line_width(cr, f == FRAME_SINGLE ? 1.2 : 1.6);
	cairo_rectangle(cr, 24, 24, COVER_W - 48, COVER_H - 48);
	if (f == FRAME_DOUBLE)
		cairo_rectangle(cr, 32, 32, COVER_W - 64, COVER_H - 64);
	cover_set(cr, f == FRAME_SINGLE ? p->sub : p->accent, f == FRAME_SINGLE ? 0.45 : 0.7);
	cairo_stroke(cr);
	if (f != FRAME_CORNERS)
		return;
	for (int i = 0; i < 4; i++) {
		double x = i % 2 ? COVER_W - 24 : 24, y = i / 2 ? COVER_H - 24 : 24;

		cairo_move_to(cr, x, y - 9);
		cairo_line_to(cr, x + 9, y);
		cairo_line_to(cr, x, y + 9);
		cairo_line_to(cr, x - 9, y);
		cairo_close_path(cr);
	}
	cover_set(cr, p->accent, 0.9);
	cairo_fill(cr);
}

typedef struct placed {
	double top, bottom;
} placed;

/*
 * Glyphs are shown as glyphs (the SVG defines each outline once as a
 * <symbol>, a raster uses cairo's glyph cache), scaled by k at (x, y); an
 * outline needs the path.
 */
static void draw_text(cairo_t *cr, PangoLayout *l, double x, double y, double k, const palette *p,
		      enum cover_type_effect e)
{
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, k, k);
	if (e == TYPE_SHADOW) {
		cairo_move_to(cr, 0, 3 / k);
		cairo_set_source_rgba(cr, 0, 0, 0, 0.45);
		pango_cairo_show_layout(cr, l);
	}
	cairo_move_to(cr, 0, 0);
	if (e == TYPE_OUTLINE) {
		pango_cairo_layout_path(cr, l);
		cairo_set_line_width(cr, 8 / k);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cover_set(cr, p->detail, 1.0);
		cairo_stroke_preserve(cr);
		cover_set(cr, p->ink, 1.0);
		cairo_fill(cr);
	} else {
		cover_set(cr, p->ink, 1.0);
		pango_cairo_show_layout(cr, l);
	}
	cairo_restore(cr);
}

static placed draw_title(cairo_t *cr, PangoContext *ctx, const cover_spec *sp,
			 const cover_style *st, const palette *p, const text_box *box,
			 double max_px)
{
	double w, k, x, y, h;
	PangoRectangle logical;
	PangoLayout *l = cover_title_layout(ctx, st, sp->title, box, max_px, sp->korean, &w, &k);

	pango_layout_get_extents(l, NULL, &logical);
	h = (double)logical.height / PANGO_SCALE * k;
	x = box->left ? box->x : box->x + (box->w - w) / 2;
	y = box->y + (box->h - h) * box->anchor;
	draw_text(cr, l, x, y, k, p, st->effect);
	g_object_unref(l);
	return (placed){y, y + h};
}

/* The genre in small capitals at the top ("판타지", "FANTASY"); a drama needs no label. */
static void label(cairo_t *cr, PangoContext *ctx, const cover_spec *sp, const cover_style *st,
		  const palette *p, double y, int left)
{
	size_t n;
	const aigen_genre_info *g = &aigen_genres(&n)[sp->genre];
	char en[64];
	size_t k = 0;

	if (!strcmp(g->code, "drama"))
		return;
	for (const char *c = g->en; *c && k + 1 < sizeof(en); c++)
		en[k++] = (char)(*c >= 'a' && *c <= 'z' ? *c - 'a' + 'A' : *c);
	en[k] = '\0';
	cover_small_line(cr, ctx, st->small_family, 1, 17, sp->korean ? 5 : 4,
			 sp->korean ? g->ko : en, left ? 56 : 60, y, 480, left, p->sub, 0.9);
}

/* A red seal stamped with the pen name's first letter. */
static void seal(cairo_t *cr, PangoContext *ctx, const cover_spec *sp, double x, double y)
{
	const char *src = sp->pen[0] ? sp->pen : sp->title;
	char first[8] = "";
	size_t n = 1;
	PangoLayout *l;
	PangoRectangle logical;

	while (src[n] && ((unsigned char)src[n] & 0xC0) == 0x80 && n < sizeof(first) - 1)
		n++;
	memcpy(first, src, n);
	first[n] = '\0';
	cairo_save(cr);
	cairo_translate(cr, x, y);
	cairo_rotate(cr, -0.06);
	cairo_rectangle(cr, -30, -30, 60, 60);
	cairo_set_source_rgba(cr, 0.70, 0.13, 0.10, 0.92);
	cairo_fill(cr);
	cairo_rectangle(cr, -25, -25, 50, 50);
	cairo_set_source_rgba(cr, 1, 0.95, 0.9, 0.9);
	cairo_set_line_width(cr, 1.5);
	cairo_stroke(cr);
	l = cover_layout_new(ctx, "NanumMyeongjo", 1, 32, first);
	pango_layout_get_extents(l, NULL, &logical);
	cairo_move_to(cr, -(double)logical.width / PANGO_SCALE / 2,
		      -(double)logical.height / PANGO_SCALE / 2);
	cairo_set_source_rgba(cr, 1, 0.96, 0.92, 1);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	cairo_restore(cr);
}

/* --- composition ----------------------------------------------------------------------- */

static void emblems(cairo_t *cr, const cover_spec *sp, const cover_style *st, const palette *p,
		    double cx, double cy, double size, double sx, double sy, int raster)
{
	emblem_ink ink = {p->accent, p->detail, p->glow, st->glow_alpha, raster};
	int main = sp->nmotifs > 0 ? sp->motif[0] : st->default_motif;
	double jx = cover_uniform(&(uint32_t){sp->seed | 1}, -12, 12);

	cover_emblem(cr, main, cx + jx, cy, size, &ink, sp->seed);
	if (sp->nmotifs > 1 && sp->motif[1] != main) {
		ink.glow_alpha = 0;
		cover_emblem(cr, sp->motif[1], sx, sy, 84, &ink, sp->seed >> 3);
	}
}

static void imprint(cairo_t *cr, PangoContext *ctx, const cover_spec *sp, const cover_style *st,
		    const palette *p, double y, int left)
{
	cover_small_line(cr, ctx, st->small_family, 0, 12, 3,
			 sp->korean ? "걷다가서재" : "WALKING LIBRARY", left ? 56 : 60, y, 480,
			 left, p->sub, 0.6);
}

/* Where each layout sets the title, and its largest size. */
static void title_box(const cover_style *st, text_box *box, double *max_px)
{
	if (st->layout == LAYOUT_CENTER) {
		*box = (text_box){60, 540, 480, 220, 0.5, 0, 3};
		*max_px = 80;
	} else if (st->layout == LAYOUT_TOP) {
		*box = (text_box){60, 92, 480, 250, 0, 0, 3};
		*max_px = 84;
	} else {
		*box = (text_box){56, 606, 488, 186, 0, 1, 3};
		*max_px = 88;
	}
}

int cover_title_lines(strbuf *out, PangoContext *ctx, const cover_spec *sp)
{
	const cover_style *st = cover_style_of(sp->genre);
	text_box box;
	double max_px, w, k;
	PangoLayout *l;
	const char *text;
	int n;

	title_box(st, &box, &max_px);
	l = cover_title_layout(ctx, st, sp->title, &box, max_px, sp->korean, &w, &k);
	text = pango_layout_get_text(l);
	n = pango_layout_get_line_count(l);
	for (int i = 0; i < n; i++) {
		PangoLayoutLine *line = pango_layout_get_line_readonly(l, i);

		if (i)
			strbuf_add(out, "\n", 1);
		/* the runs in visual order (the titles are left to right); an ellipsis hides text
		 */
		for (GSList *r = line->runs; r; r = r->next) {
			const PangoItem *item = ((PangoGlyphItem *)r->data)->item;

			if (item->analysis.flags & PANGO_ANALYSIS_FLAG_IS_ELLIPSIS)
				strbuf_str(out, "\xE2\x80\xA6");
			else
				strbuf_add(out, text + item->offset, (size_t)item->length);
		}
	}
	g_object_unref(l);
	return n;
}

void cover_draw(cairo_t *cr, PangoContext *ctx, const cover_spec *sp, int raster)
{
	const cover_style *st = cover_style_of(sp->genre);
	palette p;
	placed t;
	text_box box;
	double max_px;
	int left = st->layout == LAYOUT_LOW;

	palette_of(&p, st, sp->seed);
	background(cr, &p, st->vignette, raster);
	texture(cr, &p, st->texture, sp->seed);
	if (st->hills)
		hills(cr, &p, sp->seed);
	frame(cr, &p, st->frame);
	label(cr, ctx, sp, st, &p, left ? 50 : 56, left);
	title_box(st, &box, &max_px);
	if (st->layout == LAYOUT_CENTER) {
		emblems(cr, sp, st, &p, 300, 318, 292, 478, 170, raster);
		t = draw_title(cr, ctx, sp, st, &p, &box, max_px);
		cairo_move_to(cr, 260, t.bottom + 22);
		cairo_line_to(cr, 340, t.bottom + 22);
		cover_set(cr, p.accent, 0.8);
		cairo_set_line_width(cr, 1.5);
		cairo_stroke(cr);
	} else if (st->layout == LAYOUT_TOP) {
		t = draw_title(cr, ctx, sp, st, &p, &box, max_px);
		emblems(cr, sp, st, &p, 300, 566, 340, 112, 742, raster);
	} else {
		emblems(cr, sp, st, &p, 300, 292, 372, 506, 112, raster);
		t = draw_title(cr, ctx, sp, st, &p, &box, max_px);
		cairo_rectangle(cr, 56, t.top - 22, 56, 5);
		cover_set(cr, p.accent, 1.0);
		cairo_fill(cr);
	}
	if (sp->pen[0])
		cover_small_line(cr, ctx, st->small_family, 0, 25, 1.5, sp->pen, left ? 56 : 60,
				 left ? 812 : 814, 480, left, p.sub, 1.0);
	imprint(cr, ctx, sp, st, &p, 858, left);
	if (st->seal)
		seal(cr, ctx, sp, 500, 800);
}
