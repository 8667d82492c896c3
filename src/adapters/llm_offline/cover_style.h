/* The cover's look per genre: palette, type, layout, texture, frame. Internal to the adapter. */
#ifndef WL_ADAPTER_LLM_OFFLINE_COVER_STYLE_H
#define WL_ADAPTER_LLM_OFFLINE_COVER_STYLE_H

#include "adapters/llm_offline/offline_cover.h"

enum cover_layout {
	LAYOUT_CENTER, /* emblem above, title below it, all centred */
	LAYOUT_TOP,    /* title at the top, emblem below */
	LAYOUT_LOW,    /* a large emblem, the title set flush left at the foot */
};

enum cover_texture {
	TEX_STARS,
	TEX_PAPER,
	TEX_BOKEH,
	TEX_GRID,
	TEX_HALFTONE,
	TEX_SCRATCH,
	TEX_LATTICE,
	TEX_SPARKLE,
};

enum cover_frame { FRAME_NONE, FRAME_SINGLE, FRAME_DOUBLE, FRAME_CORNERS };

enum cover_type_effect { TYPE_PLAIN, TYPE_SHADOW, TYPE_OUTLINE };

typedef struct cover_style {
	unsigned top, bottom;	 /* background gradient, 0xRRGGBB */
	unsigned ink, sub;	 /* title; pen name and label */
	unsigned accent, detail; /* emblem and ornaments; details on the emblem */
	unsigned glow;
	double glow_alpha;
	const char *title_family;
	int title_bold;
	const char *small_family; /* pen name and label */
	enum cover_layout layout;
	enum cover_texture texture;
	enum cover_frame frame;
	enum cover_type_effect effect;
	int vignette; /* darken the edges */
	int seal;     /* a red seal with the pen name's first letter (wuxia) */
	int hills;    /* ink-wash hills across the foot (wuxia) */
	int default_motif;
} cover_style;

/* The style of genre (an index into aigen_genres()). */
const cover_style *cover_style_of(int genre);

/* --- cover_type.c -------------------------------------------------------------------- */

typedef struct text_box {
	double x, y, w, h;
	double anchor; /* 0 top, 0.5 middle, 1 bottom */
	int left;      /* flush left, else centred */
	int max_lines;
} text_box;

/* A layout of text in family (a Nanum one, or what stands in) at px pixels. */
PangoLayout *cover_layout_new(PangoContext *ctx, const char *family, int bold, double px,
			      const char *text);

/*
 * The title's layout in st's type at the largest size (from max_px down)
 * that fits box, to be drawn scaled by *scale; *w receives the line width
 * used, in pixels (the block is that wide). Falls back to breaking inside a
 * word wider than a line, and to an ellipsis for a title too long for the
 * box. The caller unrefs it.
 */
PangoLayout *cover_title_layout(PangoContext *ctx, const cover_style *st, const char *text,
				const text_box *box, double max_px, int korean, double *w,
				double *scale);

/* One line of small type, its top at y, w wide, centred unless left, cut with an ellipsis. */
void cover_small_line(cairo_t *cr, PangoContext *ctx, const char *family, int bold, double px,
		      double tracking, const char *text, double x, double y, double w, int left,
		      rgb c, double alpha);

#endif
