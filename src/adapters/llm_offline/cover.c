/*
 * Offline cover: an SVG drawn from the title alone, so the same book always
 * gets the same cover. The FNV-1a hash of the title picks the hue, the colour
 * scheme (dark or light), the pattern and its spacing.
 */
#include "adapters/llm_offline/llm_offline.h"
#include "adapters/llm_offline/offline_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define W OFFLINE_COVER_W
#define H OFFLINE_COVER_H

#define TITLE_MAX_CPS 400 /* titles are at most 200 characters; more is cut */
#define TEXT_WIDTH    480 /* px available to a line of type */
#define MAX_LINES     6

static const char font_stack[] =
    "'Noto Sans CJK KR','Noto Sans KR','Apple SD Gothic Neo','Malgun Gothic',sans-serif";

/* --- colour ---------------------------------------------------------------- */

typedef struct palette {
	char bg1[8], bg2[8], accent[8], panel[8], text[8], sub[8];
	int panel_opacity; /* percent: no float formatting, no locale */
} palette;

/* h in degrees, s and l in percent. */
static void hsl_hex(char out[8], int h, int s, int l)
{
	double hh = (double)(((h % 360) + 360) % 360) / 60.0;
	double ss = s / 100.0, ll = l / 100.0;
	double c = (1.0 - (2.0 * ll - 1.0 < 0 ? -(2.0 * ll - 1.0) : 2.0 * ll - 1.0)) * ss;
	double hm = hh - 2.0 * (double)(int)(hh / 2.0); /* hh mod 2 */
	double x = c * (1.0 - (hm - 1.0 < 0 ? -(hm - 1.0) : hm - 1.0));
	double r = 0, g = 0, b = 0, m = ll - c / 2.0;
	int sector = (int)hh;

	switch (sector) {
	case 0:
		r = c, g = x;
		break;
	case 1:
		r = x, g = c;
		break;
	case 2:
		g = c, b = x;
		break;
	case 3:
		g = x, b = c;
		break;
	case 4:
		r = x, b = c;
		break;
	default:
		r = c, b = x;
		break;
	}
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)((r + m) * 255.0 + 0.5) & 0xff,
		 (unsigned)((g + m) * 255.0 + 0.5) & 0xff,
		 (unsigned)((b + m) * 255.0 + 0.5) & 0xff);
}

static void palette_from_hash(palette *p, uint32_t h)
{
	int hue = (int)(h % 360);
	int scheme = (int)((h >> 9) % 4);
	int sat = 35 + (int)((h >> 11) % 30);

	switch (scheme) {
	case 0: /* deep, with a complementary accent */
		hsl_hex(p->bg1, hue, sat, 24);
		hsl_hex(p->bg2, hue + 25, sat, 14);
		hsl_hex(p->accent, hue + 180, sat + 20, 60);
		hsl_hex(p->panel, hue, sat, 10);
		hsl_hex(p->text, hue, 20, 96);
		hsl_hex(p->sub, hue + 180, 40, 80);
		p->panel_opacity = 55;
		break;
	case 1: /* pale paper, dark ink */
		hsl_hex(p->bg1, hue, sat, 90);
		hsl_hex(p->bg2, hue + 20, sat, 78);
		hsl_hex(p->accent, hue + 150, sat + 15, 45);
		hsl_hex(p->panel, hue, 30, 97);
		hsl_hex(p->text, hue, 45, 14);
		hsl_hex(p->sub, hue + 150, 40, 28);
		p->panel_opacity = 78;
		break;
	case 2: /* saturated mid tone */
		hsl_hex(p->bg1, hue, sat + 10, 42);
		hsl_hex(p->bg2, hue - 30, sat + 10, 28);
		hsl_hex(p->accent, hue + 40, sat + 30, 75);
		hsl_hex(p->panel, hue, sat, 12);
		hsl_hex(p->text, hue + 40, 30, 97);
		hsl_hex(p->sub, hue + 40, 70, 82);
		p->panel_opacity = 60;
		break;
	default: /* night sky */
		hsl_hex(p->bg1, hue, sat - 15, 16);
		hsl_hex(p->bg2, hue + 40, sat, 6);
		hsl_hex(p->accent, hue + 60, sat + 30, 70);
		hsl_hex(p->panel, hue, sat, 4);
		hsl_hex(p->text, hue + 60, 60, 92);
		hsl_hex(p->sub, hue + 60, 60, 74);
		p->panel_opacity = 50;
		break;
	}
}

/* --- pattern --------------------------------------------------------------- */

static void draw_pattern(strbuf *b, const palette *p, uint32_t h)
{
	int kind = (int)((h >> 13) % 4);
	int step = 36 + (int)((h >> 16) % 5) * 8; /* 36..68 px */
	int i;

	strbuf_fmt(b, "<g fill=\"none\" stroke=\"%s\" stroke-opacity=\"0.35\" stroke-width=\"%d\">",
		   p->accent, 2 + (int)((h >> 20) % 4));
	switch (kind) {
	case 0: /* diagonal stripes */
		for (i = -H; i < W; i += step)
			strbuf_fmt(b, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\"/>", i, i + H,
				   H);
		break;
	case 1: { /* concentric circles around a point seeded by the hash */
		int cx = 100 + (int)((h >> 22) % 400), cy = 120 + (int)((h >> 5) % 660);

		for (i = step; i < 1100; i += step)
			strbuf_fmt(b, "<circle cx=\"%d\" cy=\"%d\" r=\"%d\"/>", cx, cy, i);
		break;
	}
	case 2: { /* waves */
		int amp = 10 + (int)((h >> 24) % 20);

		for (i = step / 2; i < H + amp; i += step)
			strbuf_fmt(b, "<path d=\"M0 %d Q75 %d 150 %d T300 %d T450 %d T600 %d\"/>",
				   i, i - amp, i, i, i, i);
		break;
	}
	default: /* grid */
		for (i = step / 2; i < W; i += step)
			strbuf_fmt(b, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\"/>", i, i, H);
		for (i = step / 2; i < H; i += step)
			strbuf_fmt(b, "<line x1=\"0\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>", i, W, i);
		break;
	}
	strbuf_str(b, "</g>");
}

/* --- type ------------------------------------------------------------------ */

typedef struct line {
	size_t start, end; /* code point indexes */
	int ellipsis;
} line;

/* Decodes s into at most cap code points, controls and runs of spaces as one space. */
static size_t decode_title(uint32_t *cps, size_t cap, const char *s)
{
	size_t len = s ? strlen(s) : 0, i = 0, n = 0;

	while (i < len && n < cap) {
		uint32_t cp = offline_utf8_next(s, len, &i);

		if (cp < 0x20 || cp == 0x7F || offline_cp_is_space(cp))
			cp = ' ';
		if (cp == ' ' && (n == 0 || cps[n - 1] == ' '))
			continue;
		cps[n++] = cp;
	}
	while (n > 0 && cps[n - 1] == ' ')
		n--;
	return n;
}

static int width_of(const uint32_t *cps, size_t start, size_t end)
{
	int w = 0;

	for (size_t i = start; i < end; i++)
		w += offline_cp_width(cps[i]);
	return w;
}

/*
 * Greedy wrap into lines of at most max_units display units, breaking at the
 * last space that fits, else between any two characters. Fills at most
 * max_lines entries of out and returns how many lines the whole text needs.
 */
static size_t wrap(line *out, size_t max_lines, const uint32_t *cps, size_t n, int max_units)
{
	size_t i = 0, count = 0;

	while (i < n) {
		size_t j = i, brk = 0, end, next;
		int w = 0;

		while (i < n && cps[i] == ' ')
			i++;
		if (i >= n)
			break;
		j = i;
		while (j < n && w + offline_cp_width(cps[j]) <= max_units) {
			if (cps[j] == ' ')
				brk = j;
			w += offline_cp_width(cps[j]);
			j++;
		}
		if (j == i)
			j = i + 1; /* a character wider than a line: set it anyway */
		if (j >= n) {
			end = next = n;
		} else if (cps[j] == ' ') {
			end = j;
			next = j + 1;
		} else if (brk > i) {
			end = brk;
			next = brk + 1;
		} else {
			end = next = j;
		}
		while (end > i && cps[end - 1] == ' ')
			end--;
		if (count < max_lines) {
			out[count].start = i;
			out[count].end = end;
			out[count].ellipsis = 0;
		}
		count++;
		i = next;
	}
	return count;
}

/* Cuts the last line so that an ellipsis (counted as 2 units) fits after it. */
static void ellipsize(line *l, const uint32_t *cps, int max_units)
{
	while (l->end > l->start && width_of(cps, l->start, l->end) + 2 > max_units)
		l->end--;
	while (l->end > l->start && cps[l->end - 1] == ' ')
		l->end--;
	l->ellipsis = 1;
}

static void put_line(strbuf *b, const uint32_t *cps, const line *l)
{
	strbuf t = {0};

	for (size_t i = l->start; i < l->end; i++)
		offline_buf_cp(&t, cps[i]);
	if (l->ellipsis)
		offline_buf_cp(&t, 0x2026);
	if (t.oom)
		b->oom = 1;
	else if (t.s)
		offline_buf_xml(b, t.s, t.len);
	strbuf_dispose(&t);
}

static const struct {
	int size, lines;
} title_sizes[] = {{72, 3}, {60, 4}, {50, 4}, {42, 5}, {36, MAX_LINES}};

static int units_for(int font_size)
{
	/* Latin averages ~0.55 em, a Hangul syllable 1 em = 2 units */
	return (int)(TEXT_WIDTH / (font_size * 0.55));
}

static void draw_title(strbuf *b, const palette *p, const uint32_t *cps, size_t n)
{
	line lines[MAX_LINES];
	size_t nlines = 0, k;
	int size = 0, units = 0, lh, top, y, block;

	if (n == 0)
		return;
	for (k = 0; k < sizeof(title_sizes) / sizeof(title_sizes[0]); k++) {
		size = title_sizes[k].size;
		units = units_for(size);
		nlines = wrap(lines, (size_t)title_sizes[k].lines, cps, n, units);
		if (nlines <= (size_t)title_sizes[k].lines)
			break;
	}
	if (nlines > MAX_LINES) {
		nlines = MAX_LINES;
		ellipsize(&lines[MAX_LINES - 1], cps, units);
	}
	lh = size * 5 / 4;
	block = (int)nlines * lh;
	top = 380 - block / 2;
	strbuf_fmt(b,
		   "<rect x=\"40\" y=\"%d\" width=\"520\" height=\"%d\" rx=\"6\" fill=\"%s\" "
		   "fill-opacity=\"0.%02d\"/>",
		   top - 44, block + 88, p->panel, p->panel_opacity);
	strbuf_fmt(b,
		   "<text x=\"300\" text-anchor=\"middle\" font-family=\"%s\" font-size=\"%d\" "
		   "font-weight=\"700\" fill=\"%s\">",
		   font_stack, size, p->text);
	y = top + size * 9 / 10;
	for (k = 0; k < nlines; k++, y += lh) {
		strbuf_fmt(b, "<tspan x=\"300\" y=\"%d\">", y);
		put_line(b, cps, &lines[k]);
		strbuf_str(b, "</tspan>");
	}
	strbuf_str(b, "</text>");
	strbuf_fmt(b,
		   "<line x1=\"250\" y1=\"%d\" x2=\"350\" y2=\"%d\" stroke=\"%s\" "
		   "stroke-width=\"3\"/>",
		   top + block + 20, top + block + 20, p->sub);
}

static void draw_pen_name(strbuf *b, const palette *p, const uint32_t *cps, size_t n)
{
	line l;
	int units = units_for(30);

	if (n == 0)
		return;
	if (wrap(&l, 1, cps, n, units) > 1)
		ellipsize(&l, cps, units);
	strbuf_fmt(b,
		   "<rect x=\"0\" y=\"770\" width=\"600\" height=\"70\" fill=\"%s\" "
		   "fill-opacity=\"0.%02d\"/>",
		   p->panel, p->panel_opacity);
	strbuf_fmt(b,
		   "<text x=\"300\" y=\"816\" text-anchor=\"middle\" font-family=\"%s\" "
		   "font-size=\"30\" letter-spacing=\"2\" fill=\"%s\">",
		   font_stack, p->sub);
	put_line(b, cps, &l);
	strbuf_str(b, "</text>");
}

int offline_cover_svg(aigen_image *out, const char *title, const char *pen_name, app_err *err)
{
	uint32_t *cps = NULL;
	size_t ntitle, npen;
	strbuf b = {0};
	palette p;
	uint32_t h;

	memset(out, 0, sizeof(*out));
	cps = malloc(sizeof(*cps) * TITLE_MAX_CPS * 2);
	if (!cps)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	ntitle = decode_title(cps, TITLE_MAX_CPS, title);
	npen = decode_title(cps + TITLE_MAX_CPS, TITLE_MAX_CPS, pen_name);
	h = offline_fnv1a(title ? title : "", title ? strlen(title) : 0);
	palette_from_hash(&p, h);

	strbuf_fmt(&b,
		   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		   "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"wl-cover-title\">",
		   W, H, W, H);
	strbuf_str(&b, "<title id=\"wl-cover-title\">");
	offline_buf_xml(&b, title ? title : "", title ? strlen(title) : 0);
	if (npen) {
		strbuf_str(&b, " \xE2\x80\x94 "); /* — */
		offline_buf_xml(&b, pen_name, strlen(pen_name));
	}
	strbuf_str(&b, "</title>");
	strbuf_fmt(&b,
		   "<defs><linearGradient id=\"wl-bg\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"1\">"
		   "<stop offset=\"0\" stop-color=\"%s\"/><stop offset=\"1\" "
		   "stop-color=\"%s\"/></linearGradient></defs>",
		   p.bg1, p.bg2);
	strbuf_fmt(&b, "<rect width=\"%d\" height=\"%d\" fill=\"url(#wl-bg)\"/>", W, H);
	draw_pattern(&b, &p, h);
	draw_title(&b, &p, cps, ntitle);
	draw_pen_name(&b, &p, cps + TITLE_MAX_CPS, npen);
	strbuf_str(&b, "</svg>\n");
	free(cps);

	if (b.oom) {
		strbuf_dispose(&b);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	out->len = b.len;
	out->data = (unsigned char *)strbuf_take(&b);
	snprintf(out->mime, sizeof(out->mime), "%s", "image/svg+xml");
	return 0;
}

static int offline_image_generate(aigen_image *out, void *self, const aigen_image_request *req,
				  app_err *err)
{
	(void)self;
	/* the prompt is for drawing models; this cover is typographic */
	return offline_cover_svg(out, req->title, req->pen_name, err);
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
	image_generator g = {&offline_image_vtbl, NULL};

	return g;
}
