/*
 * The emblems: one small drawing per motif, in a box of [-1, 1] on both axes
 * (the caller's centre and size), filled with the style's colours. Scenes
 * (sea, city, forest, mountain) sit in a round window; objects stand free.
 * Only paths, gradients and clips: everything stays vector in the SVG.
 */
#include "adapters/llm_offline/offline_cover.h"

#include <math.h>

#define PI 3.14159265358979323846

typedef void (*emblem_fn)(cairo_t *cr, const emblem_ink *ink, uint32_t *seed);

static void fill_a(cairo_t *cr, rgb c, double alpha)
{
	cover_set(cr, c, alpha);
	cairo_fill(cr);
}

static void stroke_a(cairo_t *cr, rgb c, double alpha, double width)
{
	cover_set(cr, c, alpha);
	cairo_set_line_width(cr, width);
	cairo_stroke(cr);
}

/* An n-pointed star around (x, y). */
static void star_path(cairo_t *cr, double x, double y, double outer, double inner, int n,
		      double rot)
{
	for (int i = 0; i < 2 * n; i++) {
		double a = rot + PI * i / n - PI / 2, r = i % 2 ? inner : outer;

		if (i == 0)
			cairo_move_to(cr, x + r * cos(a), y + r * sin(a));
		else
			cairo_line_to(cr, x + r * cos(a), y + r * sin(a));
	}
	cairo_close_path(cr);
}

/* The round window scenes are drawn in; the caller resets the clip. */
static void window(cairo_t *cr, const emblem_ink *ink)
{
	cairo_arc(cr, 0, 0, 1, 0, 2 * PI);
	cover_set(cr, ink->glow, 0.12);
	cairo_fill_preserve(cr);
	cairo_clip(cr);
}

static void window_rim(cairo_t *cr, const emblem_ink *ink)
{
	cairo_reset_clip(cr);
	cairo_arc(cr, 0, 0, 1, 0, 2 * PI);
	stroke_a(cr, ink->fill, 0.9, 0.025);
}

static void moon(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	double R = 0.62, r = 0.54, d = 0.34; /* the shadow circle, offset to the upper right */
	double x = (d * d + R * R - r * r) / (2 * d), y = sqrt(R * R - x * x);
	double a = atan2(y, x), b = atan2(y, x - d);

	(void)seed;
	cairo_save(cr);
	cairo_rotate(cr, -0.5);
	cairo_arc(cr, 0, 0, R, 0, 2 * PI);
	fill_a(cr, ink->fill, 0.12); /* earthshine */
	cairo_arc(cr, 0, 0, R, a, 2 * PI - a);
	cairo_arc_negative(cr, d, 0, r, -b, b - 2 * PI);
	cairo_close_path(cr);
	fill_a(cr, ink->fill, 1.0);
	cairo_restore(cr);
	star_path(cr, 0.62, -0.58, 0.11, 0.03, 4, 0);
	star_path(cr, 0.78, 0.12, 0.06, 0.018, 4, 0);
	star_path(cr, -0.72, 0.7, 0.07, 0.02, 4, 0.3);
	fill_a(cr, ink->fill, 0.9);
}

static void stars(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	star_path(cr, 0, 0, 0.78, 0.11, 4, 0);
	fill_a(cr, ink->fill, 1.0);
	star_path(cr, 0, 0, 0.36, 0.08, 4, PI / 4);
	fill_a(cr, ink->fill, 0.55);
	star_path(cr, -0.6, -0.5, 0.17, 0.07, 5, 0.2);
	star_path(cr, 0.62, 0.48, 0.14, 0.055, 5, -0.3);
	star_path(cr, 0.58, -0.62, 0.09, 0.025, 4, 0);
	fill_a(cr, ink->fill, 0.9);
	for (int i = 0; i < 9; i++) {
		cairo_arc(cr, cover_uniform(seed, -0.95, 0.95), cover_uniform(seed, -0.95, 0.95),
			  cover_uniform(seed, 0.012, 0.03), 0, 2 * PI);
		fill_a(cr, ink->fill, 0.8);
	}
}

/* A band of waves from height y down to the window's foot. */
static void wave(cairo_t *cr, double y, double amp, double phase)
{
	cairo_move_to(cr, -1.1, y);
	for (double x = -1.1; x < 1.1; x += 0.4)
		cairo_curve_to(cr, x + 0.13, y - amp * sin(phase), x + 0.27, y + amp * sin(phase),
			       x + 0.4, y);
	cairo_line_to(cr, 1.1, 1.1);
	cairo_line_to(cr, -1.1, 1.1);
	cairo_close_path(cr);
}

static void sea(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	cairo_save(cr);
	window(cr, ink);
	cairo_arc(cr, 0.05, 0.05, 0.42, 0, 2 * PI);
	fill_a(cr, ink->glow, 0.9);
	wave(cr, 0.22, 0.07, 1.2 + cover_uniform(seed, 0, 0.6));
	fill_a(cr, ink->fill, 0.55);
	wave(cr, 0.42, 0.09, 2.0);
	fill_a(cr, ink->fill, 0.8);
	wave(cr, 0.64, 0.1, 1.0);
	fill_a(cr, ink->fill, 1.0);
	/* a sail on the horizon */
	cairo_move_to(cr, -0.42, 0.2);
	cairo_line_to(cr, -0.42, -0.12);
	cairo_line_to(cr, -0.24, 0.16);
	cairo_close_path(cr);
	fill_a(cr, ink->shade, 0.9);
	cairo_restore(cr);
	window_rim(cr, ink);
}

static void envelope(cairo_t *cr, const emblem_ink *ink, double alpha)
{
	cairo_rectangle(cr, -0.8, -0.5, 1.6, 1.0);
	fill_a(cr, ink->fill, alpha);
	cairo_move_to(cr, -0.8, -0.5);
	cairo_line_to(cr, 0, 0.12);
	cairo_line_to(cr, 0.8, -0.5);
	cairo_move_to(cr, -0.8, 0.5);
	cairo_line_to(cr, -0.18, -0.02);
	cairo_move_to(cr, 0.8, 0.5);
	cairo_line_to(cr, 0.18, -0.02);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
	stroke_a(cr, ink->shade, 0.8 * alpha, 0.035);
}

static void letter(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	(void)seed;
	cairo_save(cr);
	cairo_translate(cr, 0.12, -0.2);
	cairo_rotate(cr, 0.16);
	envelope(cr, ink, 0.45);
	cairo_restore(cr);
	cairo_save(cr);
	cairo_translate(cr, -0.05, 0.12);
	cairo_rotate(cr, -0.12);
	envelope(cr, ink, 1.0);
	cairo_arc(cr, 0, 0.12, 0.13, 0, 2 * PI); /* the wax seal */
	fill_a(cr, ink->glow, 1.0);
	star_path(cr, 0, 0.12, 0.07, 0.03, 5, 0);
	fill_a(cr, ink->shade, 0.7);
	cairo_restore(cr);
}

static void drawer_front(cairo_t *cr, const emblem_ink *ink, double y0, double y1, double alpha)
{
	cairo_rectangle(cr, -0.62, y0, 1.24, y1 - y0);
	stroke_a(cr, ink->shade, alpha, 0.03);
	cairo_arc(cr, 0, (y0 + y1) / 2, 0.05, 0, 2 * PI);
	fill_a(cr, ink->glow, 1.0);
}

static void drawer(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	(void)seed;
	cairo_rectangle(cr, -0.82, -0.82, 1.64, 0.1); /* the top */
	cairo_rectangle(cr, -0.74, -0.72, 1.48, 1.5); /* the body */
	cairo_rectangle(cr, -0.7, 0.78, 0.1, 0.16);   /* the legs */
	cairo_rectangle(cr, 0.6, 0.78, 0.1, 0.16);
	fill_a(cr, ink->fill, 1.0);
	drawer_front(cr, ink, -0.62, -0.2, 0.8);
	drawer_front(cr, ink, 0.26, 0.68, 0.8);
	/* the middle drawer stands open, a letter in it */
	cairo_rectangle(cr, -0.7, -0.14, 1.4, 0.34);
	fill_a(cr, ink->shade, 0.85);
	cairo_save(cr);
	cairo_translate(cr, 0.08, -0.2);
	cairo_rotate(cr, -0.18);
	cairo_rectangle(cr, -0.3, -0.22, 0.6, 0.3);
	fill_a(cr, ink->glow, 1.0);
	cairo_restore(cr);
	cairo_rectangle(cr, -0.78, 0.02, 1.56, 0.36);
	fill_a(cr, ink->fill, 1.0);
	drawer_front(cr, ink, 0.06, 0.34, 0.9);
}

static void cat(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	(void)seed;
	/* the tail, then the body and the head */
	cairo_move_to(cr, 0.3, 0.82);
	cairo_curve_to(cr, 0.95, 0.8, 0.95, 0.2, 0.7, 0.05);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	stroke_a(cr, ink->fill, 1.0, 0.12);
	cairo_move_to(cr, -0.12, -0.2);
	cairo_curve_to(cr, -0.62, 0.05, -0.66, 0.9, -0.3, 0.9);
	cairo_line_to(cr, 0.3, 0.9);
	cairo_curve_to(cr, 0.66, 0.9, 0.62, 0.05, 0.12, -0.2);
	cairo_close_path(cr);
	cairo_arc(cr, 0, -0.38, 0.32, 0, 2 * PI);
	fill_a(cr, ink->fill, 1.0);
	cairo_move_to(cr, -0.3, -0.5);
	cairo_line_to(cr, -0.27, -0.92);
	cairo_line_to(cr, -0.04, -0.66);
	cairo_close_path(cr);
	cairo_move_to(cr, 0.3, -0.5);
	cairo_line_to(cr, 0.27, -0.92);
	cairo_line_to(cr, 0.04, -0.66);
	cairo_close_path(cr);
	fill_a(cr, ink->fill, 1.0);
	/* eyes that catch the light, and a nose */
	for (int side = -1; side <= 1; side += 2) {
		cairo_save(cr);
		cairo_translate(cr, side * 0.14, -0.42);
		cairo_scale(cr, 1.0, 0.7);
		cairo_arc(cr, 0, 0, 0.055, 0, 2 * PI);
		cairo_restore(cr);
		fill_a(cr, ink->glow, 1.0);
	}
	cairo_move_to(cr, -0.04, -0.3);
	cairo_line_to(cr, 0.04, -0.3);
	cairo_line_to(cr, 0, -0.25);
	cairo_close_path(cr);
	fill_a(cr, ink->shade, 0.8);
}

static void sword(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	(void)seed;
	cairo_save(cr);
	cairo_rotate(cr, -0.26);
	cairo_move_to(cr, 0, -1.0);
	cairo_line_to(cr, 0.08, -0.84);
	cairo_line_to(cr, 0.08, 0.36);
	cairo_line_to(cr, -0.08, 0.36);
	cairo_line_to(cr, -0.08, -0.84);
	cairo_close_path(cr);
	fill_a(cr, ink->fill, 1.0);
	cairo_move_to(cr, 0, -0.8);
	cairo_line_to(cr, 0, 0.3);
	stroke_a(cr, ink->shade, 0.6, 0.022); /* the fuller */
	cairo_move_to(cr, -0.42, 0.34);
	cairo_curve_to(cr, -0.2, 0.44, 0.2, 0.44, 0.42, 0.34);
	cairo_line_to(cr, 0.36, 0.48);
	cairo_curve_to(cr, 0.2, 0.52, -0.2, 0.52, -0.36, 0.48);
	cairo_close_path(cr);
	cairo_rectangle(cr, -0.05, 0.48, 0.1, 0.34);
	cairo_arc(cr, 0, 0.88, 0.09, 0, 2 * PI);
	fill_a(cr, ink->fill, 1.0);
	cairo_arc(cr, 0, 0.42, 0.05, 0, 2 * PI);
	fill_a(cr, ink->glow, 1.0);
	cairo_restore(cr);
}

static void city(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	cairo_save(cr);
	window(cr, ink);
	cairo_arc(cr, -0.45, -0.5, 0.16, 0, 2 * PI);
	fill_a(cr, ink->glow, 0.9);
	for (double x = -1.0; x < 1.0;) {
		double w = cover_uniform(seed, 0.12, 0.26), top = cover_uniform(seed, -0.55, 0.35);

		cairo_rectangle(cr, x, top, w - 0.02, 1.1 - top);
		fill_a(cr, ink->fill, 1.0);
		for (double wy = top + 0.06; wy < 0.95; wy += 0.1)
			for (double wx = x + 0.03; wx < x + w - 0.06; wx += 0.06)
				if (cover_rand(seed) % 3 == 0) {
					cairo_rectangle(cr, wx, wy, 0.03, 0.045);
					fill_a(cr, ink->glow, 0.85);
				}
		x += w;
	}
	cairo_restore(cr);
	window_rim(cr, ink);
}

static void pine(cairo_t *cr, double x, double foot, double h)
{
	for (int k = 0; k < 3; k++) {
		double top = foot - h + k * h * 0.22, w = h * (0.22 + 0.08 * k);

		cairo_move_to(cr, x, top);
		cairo_line_to(cr, x + w, top + h * 0.42);
		cairo_line_to(cr, x - w, top + h * 0.42);
		cairo_close_path(cr);
	}
	cairo_rectangle(cr, x - h * 0.03, foot - h * 0.12, h * 0.06, h * 0.14);
}

static void forest(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	cairo_save(cr);
	window(cr, ink);
	cairo_arc(cr, 0.35, -0.45, 0.2, 0, 2 * PI);
	fill_a(cr, ink->glow, 0.8);
	for (int i = 0; i < 6; i++)
		pine(cr, -0.9 + i * 0.36 + cover_uniform(seed, -0.05, 0.05), 0.45,
		     cover_uniform(seed, 0.6, 0.85));
	fill_a(cr, ink->fill, 0.5);
	for (int i = 0; i < 5; i++)
		pine(cr, -0.75 + i * 0.38 + cover_uniform(seed, -0.06, 0.06), 1.0,
		     cover_uniform(seed, 0.9, 1.35));
	cairo_rectangle(cr, -1, 0.92, 2, 0.2);
	fill_a(cr, ink->fill, 1.0);
	cairo_restore(cr);
	window_rim(cr, ink);
}

static void rain(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	for (int i = 0; i < 26; i++) {
		double x = cover_uniform(seed, -1, 1), y = cover_uniform(seed, -1, 0.9);

		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x - 0.05, y + 0.16);
	}
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	stroke_a(cr, ink->glow, 0.7, 0.018);
	/* the canopy with its scalloped rim, then the handle */
	cairo_move_to(cr, -0.8, 0.0);
	cairo_curve_to(cr, -0.75, -0.62, 0.75, -0.62, 0.8, 0.0);
	for (int k = 0; k < 4; k++) {
		double x1 = 0.8 - k * 0.4, x0 = x1 - 0.4;

		cairo_curve_to(cr, x1 - 0.08, -0.1, x0 + 0.08, -0.1, x0, 0.0);
	}
	cairo_close_path(cr);
	fill_a(cr, ink->fill, 1.0);
	cairo_move_to(cr, 0, -0.5);
	cairo_line_to(cr, 0, -0.62);
	cairo_move_to(cr, 0, -0.02);
	cairo_line_to(cr, 0, 0.62);
	cairo_arc_negative(cr, -0.13, 0.62, 0.13, 0, PI);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	stroke_a(cr, ink->fill, 1.0, 0.06);
}

static void flake(cairo_t *cr, double x, double y, double r)
{
	for (int i = 0; i < 6; i++) {
		double a = PI / 3 * i, c = cos(a), s = sin(a);

		cairo_move_to(cr, x, y);
		cairo_line_to(cr, x + r * c, y + r * s);
		for (int k = 1; k <= 2; k++) {
			double bx = x + r * 0.35 * k * c, by = y + r * 0.35 * k * s, l = r * 0.25;

			cairo_move_to(cr, bx, by);
			cairo_line_to(cr, bx + l * cos(a + 0.7), by + l * sin(a + 0.7));
			cairo_move_to(cr, bx, by);
			cairo_line_to(cr, bx + l * cos(a - 0.7), by + l * sin(a - 0.7));
		}
	}
}

static void snow(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	flake(cr, 0, 0, 0.62);
	stroke_a(cr, ink->fill, 1.0, 0.055);
	flake(cr, -0.68, -0.62, 0.2);
	flake(cr, 0.7, 0.55, 0.24);
	stroke_a(cr, ink->fill, 0.8, 0.03);
	for (int i = 0; i < 14; i++) {
		cairo_arc(cr, cover_uniform(seed, -0.95, 0.95), cover_uniform(seed, -0.95, 0.95),
			  cover_uniform(seed, 0.015, 0.04), 0, 2 * PI);
		fill_a(cr, ink->fill, 0.7);
	}
}

static void flower(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	(void)seed;
	cairo_move_to(cr, 0, 0.2);
	cairo_curve_to(cr, 0.05, 0.5, -0.08, 0.75, 0.02, 1.0);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	stroke_a(cr, ink->fill, 0.9, 0.05);
	cairo_move_to(cr, 0.02, 0.66);
	cairo_curve_to(cr, 0.25, 0.45, 0.5, 0.5, 0.55, 0.58);
	cairo_curve_to(cr, 0.4, 0.75, 0.2, 0.75, 0.02, 0.66);
	fill_a(cr, ink->fill, 0.75);
	cairo_save(cr);
	cairo_translate(cr, 0, -0.22);
	for (int i = 0; i < 6; i++) {
		cairo_save(cr);
		cairo_rotate(cr, PI / 3 * i + 0.2);
		cairo_translate(cr, 0, -0.3);
		cairo_scale(cr, 0.58, 1.0);
		cairo_arc(cr, 0, 0, 0.3, 0, 2 * PI);
		cairo_restore(cr);
		fill_a(cr, ink->fill, 0.9);
	}
	cairo_arc(cr, 0, 0, 0.17, 0, 2 * PI);
	fill_a(cr, ink->glow, 1.0);
	cairo_restore(cr);
}

static void key(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	(void)seed;
	cairo_save(cr);
	cairo_rotate(cr, 0.55);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
	cairo_arc(cr, 0, -0.55, 0.34, 0, 2 * PI);
	cairo_new_sub_path(cr);
	cairo_arc(cr, 0, -0.55, 0.16, 0, 2 * PI);
	fill_a(cr, ink->fill, 1.0);
	cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
	cairo_rectangle(cr, -0.055, -0.22, 0.11, 1.1);
	cairo_rectangle(cr, 0.05, 0.62, 0.3, 0.1);
	cairo_rectangle(cr, 0.05, 0.78, 0.22, 0.1);
	cairo_rectangle(cr, -0.1, -0.2, 0.2, 0.06);
	fill_a(cr, ink->fill, 1.0);
	cairo_arc(cr, 0, -0.55, 0.16, 0, 2 * PI);
	stroke_a(cr, ink->glow, 0.8, 0.025);
	cairo_restore(cr);
}

static void page(cairo_t *cr, double side)
{
	cairo_move_to(cr, 0, -0.42);
	cairo_curve_to(cr, side * 0.3, -0.55, side * 0.65, -0.55, side * 0.92, -0.44);
	cairo_line_to(cr, side * 0.92, 0.5);
	cairo_curve_to(cr, side * 0.65, 0.4, side * 0.3, 0.4, 0, 0.52);
	cairo_close_path(cr);
}

static void book(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	(void)seed;
	for (int i = 0; i < 7; i++) { /* light rising from the pages */
		double a = -PI / 2 + (i - 3) * 0.28;

		cairo_move_to(cr, 0, -0.45);
		cairo_line_to(cr, 0.95 * cos(a), -0.45 + 0.6 * sin(a));
	}
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	stroke_a(cr, ink->glow, 0.55, 0.02);
	page(cr, -1);
	page(cr, 1);
	fill_a(cr, ink->fill, 1.0);
	for (int side = -1; side <= 1; side += 2)
		for (int k = 0; k < 6; k++) {
			double y = -0.3 + k * 0.13;

			cairo_move_to(cr, side * 0.14, y);
			cairo_line_to(cr, side * 0.78, y + 0.02);
		}
	stroke_a(cr, ink->shade, 0.55, 0.025);
	cairo_move_to(cr, 0, -0.42);
	cairo_line_to(cr, 0, 0.52);
	stroke_a(cr, ink->shade, 0.8, 0.03);
}

static void clock_(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	(void)seed;
	cairo_arc(cr, 0, 0, 0.82, 0, 2 * PI);
	fill_a(cr, ink->fill, 1.0);
	cairo_arc(cr, 0, 0, 0.7, 0, 2 * PI);
	stroke_a(cr, ink->shade, 0.6, 0.02);
	for (int i = 0; i < 12; i++) {
		double a = PI / 6 * i, l = i % 3 ? 0.58 : 0.5;

		cairo_move_to(cr, 0.66 * cos(a), 0.66 * sin(a));
		cairo_line_to(cr, l * cos(a), l * sin(a));
	}
	stroke_a(cr, ink->shade, 0.9, 0.04);
	/* two minutes to midnight */
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
	cairo_move_to(cr, 0, 0);
	cairo_line_to(cr, 0.36 * cos(-PI / 2 - 0.03), 0.36 * sin(-PI / 2 - 0.03));
	stroke_a(cr, ink->shade, 1.0, 0.07);
	cairo_move_to(cr, 0, 0);
	cairo_line_to(cr, 0.56 * cos(-PI / 2 - 0.21), 0.56 * sin(-PI / 2 - 0.21));
	stroke_a(cr, ink->shade, 1.0, 0.04);
	cairo_arc(cr, 0, 0, 0.06, 0, 2 * PI);
	fill_a(cr, ink->glow, 1.0);
	cairo_arc(cr, 0, -0.95, 0.1, 0, 2 * PI); /* the ring it hangs from */
	stroke_a(cr, ink->fill, 1.0, 0.04);
}

static void ridge(cairo_t *cr, double base, double height, uint32_t *seed)
{
	double x = -1.1, y = base;

	cairo_move_to(cr, x, 1.1);
	cairo_line_to(cr, x, y);
	while (x < 1.1) {
		x += cover_uniform(seed, 0.18, 0.38);
		y = base - cover_uniform(seed, 0, height);
		cairo_line_to(cr, x, y);
	}
	cairo_line_to(cr, 1.1, 1.1);
	cairo_close_path(cr);
}

static void mountain(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	cairo_save(cr);
	window(cr, ink);
	cairo_arc(cr, -0.35, -0.35, 0.24, 0, 2 * PI);
	fill_a(cr, ink->glow, 0.85);
	ridge(cr, 0.05, 0.55, seed);
	fill_a(cr, ink->fill, 0.4);
	ridge(cr, 0.4, 0.6, seed);
	fill_a(cr, ink->fill, 0.7);
	ridge(cr, 0.75, 0.45, seed);
	fill_a(cr, ink->fill, 1.0);
	cairo_restore(cr);
	window_rim(cr, ink);
}

static void ring(cairo_t *cr, double from, double to)
{
	cairo_save(cr);
	cairo_rotate(cr, -0.35);
	cairo_scale(cr, 1.0, 0.28);
	cairo_arc(cr, 0, 0, 0.9, from, to);
	cairo_restore(cr);
}

static void planet(cairo_t *cr, const emblem_ink *ink, uint32_t *seed)
{
	cairo_pattern_t *p = cairo_pattern_create_radial(-0.2, -0.2, 0.05, 0, 0, 0.55);

	(void)seed;
	ring(cr, PI, 2 * PI); /* the far side of the ring, behind the planet */
	stroke_a(cr, ink->fill, 0.7, 0.06);
	cairo_pattern_add_color_stop_rgb(p, 0, ink->glow.r, ink->glow.g, ink->glow.b);
	cairo_pattern_add_color_stop_rgb(p, 1, ink->fill.r, ink->fill.g, ink->fill.b);
	cairo_arc(cr, 0, 0, 0.55, 0, 2 * PI);
	cairo_set_source(cr, p);
	cairo_fill(cr);
	cairo_pattern_destroy(p);
	ring(cr, 0, PI);
	stroke_a(cr, ink->fill, 1.0, 0.06);
	cairo_arc(cr, 0.72, -0.62, 0.1, 0, 2 * PI);
	fill_a(cr, ink->fill, 0.9);
}

/* In the order of the motif codes (lexicon.c, aigen_motif_known()). */
static const emblem_fn emblems[] = {
    moon, stars, sea,	 letter, drawer, cat,	 sword,	   city,   forest,
    rain, snow,	 flower, key,	 book,	 clock_, mountain, planet,
};

#define GLOW_R	  1.45 /* the glow's radius, in emblem units */
#define GLOW_SIZE 40   /* pixels across the glow is computed at on an image */

/*
 * The soft light behind the emblem. A radial gradient per pixel is the
 * costliest thing on the page; on an image it is computed GLOW_SIZE pixels
 * across and scaled up (bilinear), the same light for a tenth of the work.
 */
static void glow(cairo_t *cr, const emblem_ink *ink)
{
	cairo_pattern_t *g = cairo_pattern_create_radial(0, 0, 0, 0, 0, GLOW_R);
	cairo_surface_t *small;
	cairo_t *sc;

	cairo_pattern_add_color_stop_rgba(g, 0, ink->glow.r, ink->glow.g, ink->glow.b,
					  ink->glow_alpha);
	cairo_pattern_add_color_stop_rgba(g, 1, ink->glow.r, ink->glow.g, ink->glow.b, 0);
	if (!ink->raster) {
		cairo_set_source(cr, g);
		cairo_arc(cr, 0, 0, GLOW_R, 0, 2 * PI);
		cairo_fill(cr);
		cairo_pattern_destroy(g);
		return;
	}
	small = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, GLOW_SIZE, GLOW_SIZE);
	sc = cairo_create(small);
	cairo_translate(sc, GLOW_SIZE / 2.0, GLOW_SIZE / 2.0);
	cairo_scale(sc, GLOW_SIZE / (2 * GLOW_R), GLOW_SIZE / (2 * GLOW_R));
	cairo_set_source(sc, g);
	cairo_paint(sc);
	cairo_destroy(sc);
	cairo_pattern_destroy(g);
	cairo_save(cr);
	cairo_translate(cr, -GLOW_R, -GLOW_R);
	cairo_scale(cr, 2 * GLOW_R / GLOW_SIZE, 2 * GLOW_R / GLOW_SIZE);
	cairo_set_source_surface(cr, small, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_BILINEAR);
	cairo_rectangle(cr, 0, 0, GLOW_SIZE, GLOW_SIZE);
	cairo_fill(cr);
	cairo_restore(cr);
	cairo_surface_destroy(small);
}

void cover_emblem(cairo_t *cr, int motif, double cx, double cy, double size, const emblem_ink *ink,
		  uint32_t seed)
{
	if (motif < 0 || motif >= (int)(sizeof(emblems) / sizeof(emblems[0])))
		return;
	cairo_save(cr);
	cairo_translate(cr, cx, cy);
	cairo_scale(cr, size / 2, size / 2);
	if (ink->glow_alpha > 0)
		glow(cr, ink);
	emblems[motif](cr, ink, &seed);
	cairo_restore(cr);
}
