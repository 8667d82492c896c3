/*
 * The offline cover: one drawing to SVG (glyphs as outlines, no <text>, no
 * way out of the document) and to PNG at two sizes; the same request gives
 * the same bytes, from any number of threads; the genre and motifs show;
 * titles are set with Korean line breaking; no font for Korean fails clearly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cairo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adapters/llm_offline/llm_offline.h"
#include "domain/common/text.h"

static const char *const genres[] = {"fantasy",		"modern_fantasy", "wuxia", "romance",
				     "romance_fantasy", "mystery",	  "sf",	   "drama",
				     "horror",		"light_novel"};

static void cover(aigen_image *img, const char *title, const char *pen, const char *genre,
		  const char *motif, const char *prompt)
{
	char m[1][AIGEN_CODE_MAX] = {{0}};
	aigen_image_request req = {
	    .title = title, .pen_name = pen, .genre = genre, .cover_prompt = prompt};
	image_generator g = offline_image_generator_new();
	app_err err;

	if (motif) {
		snprintf(m[0], sizeof(m[0]), "%s", motif);
		req.motifs = m;
		req.nmotifs = 1;
	}
	app_err_clear(&err);
	if (image_generator_generate(img, &g, &req, &err))
		fail_msg("cover: %s", err.msg);
	g.vtbl->destroy(g.self);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

typedef struct png_read {
	const unsigned char *data;
	size_t len, at;
} png_read;

static cairo_status_t read_png(void *closure, unsigned char *out, unsigned int n)
{
	png_read *r = closure;

	if (r->at + n > r->len)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(out, r->data + r->at, n);
	r->at += n;
	return CAIRO_STATUS_SUCCESS;
}

/* Decodes a rendition (with cairo's PNG reader) and checks its size. */
static cairo_surface_t *decode(const aigen_png *p, int w, int h)
{
	png_read r = {p->data, p->len, 0};
	cairo_surface_t *s;

	assert_non_null(p->data);
	assert_int_equal(p->width, w);
	assert_int_equal(p->height, h);
	s = cairo_image_surface_create_from_png_stream(read_png, &r);
	assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	assert_int_equal(cairo_image_surface_get_width(s), w);
	assert_int_equal(cairo_image_surface_get_height(s), h);
	return s;
}

/* The pixel at (x, y) as 0xRRGGBB. */
static uint32_t pixel(cairo_surface_t *s, int x, int y)
{
	const unsigned char *row =
	    cairo_image_surface_get_data(s) + (size_t)y * cairo_image_surface_get_stride(s);

	return ((const uint32_t *)row)[x] & 0xFFFFFF;
}

static double luma(uint32_t c)
{
	return (0.299 * ((c >> 16) & 255) + 0.587 * ((c >> 8) & 255) + 0.114 * (c & 255)) / 255;
}

static void test_svg_has_no_text_and_no_way_out(void **state)
{
	const char *titles[] = {"달의 탑", "The Keeper's Ledger", "</svg><script>alert(1)</script>",
				"Tom & \"Jerry\" <b>", ""};

	(void)state;
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		aigen_image img;
		const char *svg;

		cover(&img, titles[i], "<i>산책자</i> & co", genres[i % 10], NULL, NULL);
		svg = (const char *)img.data;
		assert_string_equal(img.mime, "image/svg+xml");
		assert_int_equal(strlen(svg), img.len);
		assert_true(text_utf8_valid(svg, img.len));
		assert_non_null(strstr(svg, "viewBox=\"0 0 600 900\""));
		assert_non_null(strstr(svg, "width=\"600px\" height=\"900px\""));
		/* glyphs are outlines: no element a viewer would need a font for */
		assert_null(strstr(svg, "<text"));
		assert_null(strstr(svg, "<tspan"));
		assert_null(strstr(svg, "font-family"));
		if (titles[i][0])
			assert_true(count(svg, "<symbol") > 3);
		/* nothing that runs, loads or embeds: only internal references */
		assert_null(strstr(svg, "<script"));
		assert_null(strstr(svg, "<image"));
		assert_null(strstr(svg, "foreignObject"));
		assert_null(strstr(svg, " on"));
		assert_int_equal(count(svg, "http"), 2); /* the svg and xlink namespaces */
		assert_int_equal(count(svg, "href=\""), count(svg, "href=\"#"));
		/* the words are not in the document at all */
		assert_null(strstr(svg, "alert"));
		assert_null(strstr(svg, "Keeper"));
		assert_null(strstr(svg, "산책자"));
		aigen_image_dispose(&img);
	}
}

static void test_png_renditions(void **state)
{
	aigen_image img;
	cairo_surface_t *full, *thumb;
	uint32_t seen[64];
	int distinct = 0;

	(void)state;
	cover(&img, "서랍 속의 편지", "산책자", "drama", "letter", NULL);
	full = decode(&img.png_full, 600, 900);
	thumb = decode(&img.png_thumb, 300, 450);
	/* the thumbnail is the same picture: a 2 x 2 block of the full one, averaged */
	for (int y = 20; y < 450; y += 97)
		for (int x = 15; x < 300; x += 71) {
			uint32_t t = pixel(thumb, x, y);
			int r = 0;

			for (int k = 0; k < 4; k++)
				r += (pixel(full, 2 * x + k % 2, 2 * y + k / 2) >> 16) & 255;
			assert_true(abs((int)((t >> 16) & 255) - r / 4) <= 3);
		}
	/* a picture, not a flat page */
	for (int y = 0; y < 900 && distinct < 64; y += 9)
		for (int x = 0; x < 600 && distinct < 64; x += 7) {
			uint32_t c = pixel(full, x, y);
			int k;

			for (k = 0; k < distinct && seen[k] != c; k++)
				;
			if (k == distinct)
				seen[distinct++] = c;
		}
	assert_int_equal(distinct, 64);
	cairo_surface_destroy(full);
	cairo_surface_destroy(thumb);
	aigen_image_dispose(&img);
}

static void test_same_request_same_bytes(void **state)
{
	aigen_image a, b, c, d;

	(void)state;
	cover(&a, "궤도 위의 정원", "유나", "sf", "planet", NULL);
	/* a light cover in between: the thread's reused images keep nothing of it */
	cover(&d, "비가 오면 문을 여는 카페", "하린", "romance", "rain", NULL);
	cover(&b, "궤도 위의 정원", "유나", "sf", "planet", NULL);
	cover(&c, "궤도 위의 정원 2", "유나", "sf", "planet", NULL);
	assert_int_equal(a.len, b.len);
	assert_memory_equal(a.data, b.data, a.len);
	assert_int_equal(a.png_full.len, b.png_full.len);
	assert_memory_equal(a.png_full.data, b.png_full.data, a.png_full.len);
	assert_int_equal(a.png_thumb.len, b.png_thumb.len);
	assert_memory_equal(a.png_thumb.data, b.png_thumb.data, a.png_thumb.len);
	assert_false(a.png_full.len == c.png_full.len &&
		     !memcmp(a.png_full.data, c.png_full.data, a.png_full.len));
	aigen_image_dispose(&a);
	aigen_image_dispose(&b);
	aigen_image_dispose(&c);
	aigen_image_dispose(&d);
}

/* Each genre has its own look: paper and blush are light, night and ink are dark. */
static void test_genres_look_different(void **state)
{
	aigen_image img[10];
	const char *light = "wuxia romance drama light_novel";

	(void)state;
	for (int g = 0; g < 10; g++) {
		cairo_surface_t *s;
		double l;

		cover(&img[g], "걷다가 만난 책", "산책자", genres[g], NULL, NULL);
		s = decode(&img[g].png_thumb, 300, 450);
		l = luma(pixel(s, 8, 8));
		if (strstr(light, genres[g]))
			assert_true(l > 0.55);
		else
			assert_true(l < 0.3);
		cairo_surface_destroy(s);
	}
	for (int i = 0; i < 10; i++)
		for (int j = i + 1; j < 10; j++)
			assert_false(img[i].png_full.len == img[j].png_full.len &&
				     !memcmp(img[i].png_full.data, img[j].png_full.data,
					     img[i].png_full.len));
	for (int g = 0; g < 10; g++)
		aigen_image_dispose(&img[g]);
}

static int same_cover(const aigen_image *a, const aigen_image *b)
{
	return a->png_full.len == b->png_full.len &&
	       !memcmp(a->png_full.data, b->png_full.data, a->png_full.len);
}

/* A model's text brings no codes: the prompt's words choose the genre and the emblem. */
static void test_hints_from_the_prompt(void **state)
{
	char m[2][AIGEN_CODE_MAX] = {"sword", "forest"};
	aigen_image_request explicit = {
	    .title = "청운검", .pen_name = "백운", .genre = "wuxia", .motifs = m, .nmotifs = 2};
	image_generator g = offline_image_generator_new();
	aigen_image a, b, c, d;

	(void)state;
	cover(&a, "청운검", "백운", NULL, NULL,
	      "『청운검』 책 표지 일러스트, 무협, 주요 소재: 검, 숲.");
	assert_int_equal(image_generator_generate(&b, &g, &explicit, NULL), 0);
	assert_true(same_cover(&a, &b));
	/* unknown codes are ignored, known ones kept */
	strcpy(m[0], "dragon");
	strcpy(m[1], "moon");
	explicit.genre = "space opera";
	explicit.title = "Night";
	assert_int_equal(image_generator_generate(&c, &g, &explicit, NULL), 0);
	cover(&d, "Night", "백운", "drama", "moon", NULL);
	assert_true(same_cover(&c, &d));
	assert_false(same_cover(&a, &d));
	aigen_image_dispose(&a);
	aigen_image_dispose(&b);
	aigen_image_dispose(&c);
	aigen_image_dispose(&d);
}

/* --- type ------------------------------------------------------------------------ */

static int lines_of(char out[8][256], const char *title, const char *genre)
{
	strbuf b = {0};
	aigen_image_request req = {.title = title, .pen_name = "산책자", .genre = genre};
	char *p, *nl;
	int n, k = 0;

	n = offline_cover_title_lines(&b, &req, NULL);
	assert_true(n > 0 && n <= 8);
	for (p = b.s; p && k < 8; p = nl ? nl + 1 : NULL, k++) {
		nl = strchr(p, '\n');
		snprintf(out[k], 256, "%.*s", (int)(nl ? (size_t)(nl - p) : strlen(p)), p);
	}
	assert_int_equal(k, n);
	strbuf_dispose(&b);
	return n;
}

/* Every line is whole words of the title: a break only where a space was. */
static void assert_breaks_at_spaces(char lines[8][256], int n, const char *title)
{
	char joined[1024] = "";

	for (int i = 0; i < n; i++) {
		size_t len = strlen(lines[i]);

		/* a line keeps no space at its ends */
		while (len && lines[i][len - 1] == ' ')
			lines[i][--len] = '\0';
		assert_true(len > 0 && lines[i][0] != ' ');
		if (i)
			strcat(joined, " ");
		strcat(joined, lines[i]);
	}
	assert_string_equal(joined, title);
}

static void test_korean_titles_break_between_words(void **state)
{
	char l[8][256];
	int n;

	(void)state;
	/* a short title: one line, rather than an orphaned last word */
	assert_int_equal(lines_of(l, "서랍 속의 편지", "drama"), 1);
	assert_string_equal(l[0], "서랍 속의 편지");
	n = lines_of(l, "비가 오면 문을 여는 카페", "romance");
	assert_int_equal(n, 2);
	assert_breaks_at_spaces(l, n, "비가 오면 문을 여는 카페");
	n = lines_of(l, "방과 후 문예부는 해체 직전입니다", "light_novel");
	assert_true(n >= 2 && n <= 3);
	assert_breaks_at_spaces(l, n, "방과 후 문예부는 해체 직전입니다");
	/* no line is a lone syllable */
	for (int i = 0; i < n; i++)
		assert_true(strlen(l[i]) > 3);
	n = lines_of(l, "The Keeper's Ledger of Gull Island", "mystery");
	assert_breaks_at_spaces(l, n, "The Keeper's Ledger of Gull Island");
}

static void test_long_and_unbroken_titles(void **state)
{
	char l[8][256], longtitle[2048] = "";
	int n;

	(void)state;
	/* no space to break at: it breaks between syllables, all of it shown */
	n = lines_of(l, "걷다가서재에서만난이름없는책과비내리는밤의기록", "fantasy");
	assert_true(n >= 2 && n <= 3);
	{
		char joined[512] = "";

		for (int i = 0; i < n; i++)
			strcat(joined, l[i]);
		assert_string_equal(joined, "걷다가서재에서만난이름없는책과비내리는밤의기록");
	}
	/* too long for the cover: three lines and an ellipsis */
	for (int i = 0; i < 60; i++)
		strcat(longtitle, "아주 긴 제목 ");
	n = lines_of(l, longtitle, "drama");
	assert_int_equal(n, 3);
	assert_non_null(strstr(l[2], "\xE2\x80\xA6"));
}

/* --- threads, fonts ---------------------------------------------------------------- */

#define THREADS 4
#define PER	3

typedef struct job {
	int index;
	aigen_image img[PER];
} job;

static void *draw_some(void *arg)
{
	job *j = arg;

	for (int k = 0; k < PER; k++) {
		char title[64];

		snprintf(title, sizeof(title), "동시에 그린 표지 %d-%d", j->index, k);
		cover(&j->img[k], title, "산책자", genres[(j->index * PER + k) % 10], "moon", NULL);
	}
	return NULL;
}

/* Worker threads draw at once; every cover is the one a lone thread draws. */
static void test_threads_draw_the_same_covers(void **state)
{
	pthread_t t[THREADS];
	job jobs[THREADS];

	(void)state;
	for (int i = 0; i < THREADS; i++) {
		jobs[i].index = i;
		assert_int_equal(pthread_create(&t[i], NULL, draw_some, &jobs[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	for (int i = 0; i < THREADS; i++)
		for (int k = 0; k < PER; k++) {
			aigen_image alone;
			char title[64];

			snprintf(title, sizeof(title), "동시에 그린 표지 %d-%d", i, k);
			cover(&alone, title, "산책자", genres[(i * PER + k) % 10], "moon", NULL);
			assert_int_equal(alone.len, jobs[i].img[k].len);
			assert_memory_equal(alone.data, jobs[i].img[k].data, alone.len);
			assert_true(same_cover(&alone, &jobs[i].img[k]));
			aigen_image_dispose(&alone);
			aigen_image_dispose(&jobs[i].img[k]);
		}
}

/* In a process whose fontconfig knows no font, the start-up check says what to install. */
static void test_no_korean_font_fails_clearly(void **state)
{
	char conf[512], self[512];
	const char *tmp = getenv("WL_TEST_TMP") ? getenv("WL_TEST_TMP") : "/tmp";
	FILE *f;
	pid_t pid;
	int status;
	ssize_t n;

	(void)state;
	snprintf(conf, sizeof(conf), "%s/no-fonts.conf", tmp);
	f = fopen(conf, "w");
	assert_non_null(f);
	fputs("<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n", f);
	fclose(f);
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	assert_true(n > 0);
	self[n] = '\0';
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("FONTCONFIG_FILE", conf, 1);
		setenv("WL_COVER_FONT_CHILD", "1", 1);
		execl(self, self, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The child of the test above: 0 when the check fails as it should. */
static int font_child(void)
{
	app_err err;
	aigen_image img;
	aigen_image_request req = {.title = "표지", .pen_name = "산책자"};

	app_err_clear(&err);
	if (offline_cover_check(&err) != APP_EUNAVAILABLE || !strstr(err.msg, "fonts-nanum"))
		return 1;
	/* and drawing says the same instead of drawing empty boxes */
	if (offline_cover(&img, &req, &err) != APP_EUNAVAILABLE || img.data)
		return 2;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_svg_has_no_text_and_no_way_out),
	    cmocka_unit_test(test_png_renditions),
	    cmocka_unit_test(test_same_request_same_bytes),
	    cmocka_unit_test(test_genres_look_different),
	    cmocka_unit_test(test_hints_from_the_prompt),
	    cmocka_unit_test(test_korean_titles_break_between_words),
	    cmocka_unit_test(test_long_and_unbroken_titles),
	    cmocka_unit_test(test_threads_draw_the_same_covers),
	    cmocka_unit_test(test_no_korean_font_fails_clearly),
	};

	if (getenv("WL_COVER_FONT_CHILD"))
		return font_child();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
