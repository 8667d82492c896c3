/*
 * The cover renderer on arbitrary titles and pen names (an author's outside
 * input) with any genre and motif codes: byte 0 picks the genre (or an
 * unknown one), byte 1 a motif and whether to draw the whole cover (1 in 8:
 * drawing takes milliseconds) or only set the title, byte 2 the title's
 * length; then the title and the pen name. Whatever comes in, setting the
 * title must not crash, leak or read out of bounds, and every line it
 * reports must be valid UTF-8; a drawn cover must have its SVG without
 * <text> and both PNG renditions. (libFuzzer checks for leaks after each
 * input: the fonts a new script loads are kept by pango and fontconfig, whose
 * frames cover_fonts.c suppresses.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/llm_offline/llm_offline.h"
#include "domain/common/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const genres[] = {"fantasy",		"modern_fantasy", "wuxia",	  "romance",
				     "romance_fantasy", "mystery",	  "sf",		  "drama",
				     "horror",		"light_novel",	  "no such genre"};
static const char *const motifs[] = {"moon",  "stars", "sea",	 "letter",   "drawer", "cat",
				     "sword", "city",  "forest", "rain",     "snow",   "flower",
				     "key",   "book",  "clock",	 "mountain", "planet", "dragon"};

/* A NUL-terminated copy of n bytes (an embedded NUL ends the string early). */
static char *dup(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static void draw(const aigen_image_request *req)
{
	aigen_image img;
	app_err err;

	if (offline_cover(&img, req, &err) != 0)
		abort();
	if (!img.data || strstr((const char *)img.data, "<text") || !img.png_full.data ||
	    !img.png_thumb.data || img.png_full.width != 600 || img.png_thumb.height != 450)
		abort();
	aigen_image_dispose(&img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char m[1][AIGEN_CODE_MAX];
	aigen_image_request req = {0};
	strbuf lines = {0};
	app_err err;
	char *title, *pen;
	size_t tl;
	int whole;

	if (size < 3)
		return 0;
	req.genre = genres[data[0] % (sizeof(genres) / sizeof(genres[0]))];
	strcpy(m[0], motifs[(data[1] >> 3) % (sizeof(motifs) / sizeof(motifs[0]))]);
	whole = (data[1] & 7) == 0;
	tl = data[2] < size - 3 ? data[2] : size - 3;
	title = dup(data + 3, tl);
	pen = dup(data + 3 + tl, size - 3 - tl);
	req.title = title;
	req.pen_name = pen;
	req.motifs = m;
	req.nmotifs = 1;
	if (offline_cover_title_lines(&lines, &req, &err) <= 0)
		abort();
	if (lines.s && !text_utf8_valid(lines.s, lines.len)) /* NULL: an empty title */
		abort();
	if (whole)
		draw(&req);
	strbuf_dispose(&lines);
	free(title);
	free(pen);
	return 0;
}
