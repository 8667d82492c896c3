/* The ten genre styles (the order of aigen_genres()) and their colours. */
#include "adapters/llm_offline/cover_style.h"

#define MYEONGJO "NanumMyeongjo"
#define SQUARE	 "NanumSquare"
#define ROUND	 "NanumSquareRound"
#define BARUN	 "NanumBarunGothic"

/* Motif indexes (lexicon.c): the emblem of a text that offers none. */
enum { M_MOON = 0, M_STARS = 1, M_LETTER = 3, M_SWORD = 6, M_CITY = 7, M_FLOWER = 11 };
enum { M_KEY = 12, M_PLANET = 16 };

static const cover_style styles[] = {
    /* fantasy: night blue and gold, stars, ornamented corners */
    {0x1d2352, 0x080b1f, 0xf8ecc8, 0xd9c48e, 0xe0b457, 0x161a3d, 0xffe6a3, 0.35, MYEONGJO, 1, BARUN,
     LAYOUT_CENTER, TEX_STARS, FRAME_CORNERS, TYPE_SHADOW, 1, 0, 0, M_STARS},
    /* modern fantasy: black glass and cyan light, a grid */
    {0x0f1a2c, 0x03050b, 0xffffff, 0x7fe9ff, 0x37d5f0, 0x071019, 0x4ff0ff, 0.45, SQUARE, 1, SQUARE,
     LAYOUT_LOW, TEX_GRID, FRAME_NONE, TYPE_SHADOW, 1, 0, 0, M_CITY},
    /* wuxia: ink on paper, a red seal */
    {0xf2eadb, 0xd8cbaf, 0x1b1712, 0x4a3f33, 0x2a241d, 0xe8dfca, 0x9c8f74, 0.0, MYEONGJO, 1,
     MYEONGJO, LAYOUT_TOP, TEX_PAPER, FRAME_NONE, TYPE_PLAIN, 0, 1, 1, M_SWORD},
    /* romance: blush and rose, soft light */
    {0xfde6e4, 0xf2b3c0, 0x6b1f35, 0x8c4256, 0xd9627e, 0xfff2f2, 0xffffff, 0.6, MYEONGJO, 1, BARUN,
     LAYOUT_TOP, TEX_BOKEH, FRAME_NONE, TYPE_PLAIN, 0, 0, 0, M_FLOWER},
    /* romance fantasy: burgundy and gold, a double frame */
    {0x5e1128, 0x22040e, 0xfff1dc, 0xe8c98f, 0xe3bd6d, 0x3b0818, 0xffd9a0, 0.35, MYEONGJO, 1, BARUN,
     LAYOUT_CENTER, TEX_LATTICE, FRAME_DOUBLE, TYPE_SHADOW, 1, 0, 0, M_FLOWER},
    /* mystery: charcoal and a yellow mark */
    {0x2c3238, 0x0e1114, 0xf2f0ea, 0xf2c53d, 0xf2c53d, 0x15191c, 0xf2c53d, 0.18, SQUARE, 1, SQUARE,
     LAYOUT_LOW, TEX_HALFTONE, FRAME_NONE, TYPE_SHADOW, 1, 0, 0, M_KEY},
    /* SF: deep space, cyan */
    {0x050a1c, 0x0c2a4c, 0xffffff, 0x8fe3ff, 0x6fd6ff, 0x081428, 0x9ae8ff, 0.4, SQUARE, 1, SQUARE,
     LAYOUT_CENTER, TEX_STARS, FRAME_NONE, TYPE_SHADOW, 1, 0, 0, M_PLANET},
    /* drama: warm paper, terracotta */
    {0xf7f2e8, 0xe6dbc8, 0x2b221a, 0x6b5a48, 0xb5654a, 0xf7f2e8, 0xe9b48f, 0.35, MYEONGJO, 1, BARUN,
     LAYOUT_TOP, TEX_PAPER, FRAME_SINGLE, TYPE_PLAIN, 0, 0, 0, M_LETTER},
    /* horror: black and blood */
    {0x140707, 0x2e0609, 0xece6dc, 0xc23a36, 0x9a1219, 0x0c0404, 0xd4181f, 0.3, MYEONGJO, 1, BARUN,
     LAYOUT_LOW, TEX_SCRATCH, FRAME_NONE, TYPE_SHADOW, 1, 0, 0, M_MOON},
    /* light novel: sky to pink, outlined type */
    {0x6ec6ff, 0xff9ccb, 0xffffff, 0xffffff, 0xfff27a, 0x4b55c8, 0xffffff, 0.5, ROUND, 1, ROUND,
     LAYOUT_TOP, TEX_SPARKLE, FRAME_NONE, TYPE_OUTLINE, 0, 0, 0, M_STARS},
};

const cover_style *cover_style_of(int genre)
{
	if (genre < 0 || genre >= (int)(sizeof(styles) / sizeof(styles[0])))
		genre = 7; /* drama */
	return &styles[genre];
}
