/*
 * The cover benchmark (`make bench`): draws the covers of 100 books through
 * the offline image generator port (SVG + PNG 600 x 900 + PNG 300 x 450 each)
 * and prints the time; three runs, the median is the figure, wall clock and
 * the process's CPU time (on a shared machine, what the covers cost). The
 * issue's bar: SVG and the 600 x 900 PNG of 100 books in under 2 s.
 *
 * usage: wl-bench-cover [BOOKS] [RUNS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/llm_offline/llm_offline.h"

static const char *const titles[] = {
    "달의 탑",
    "서랍 속의 편지",
    "청운검",
    "호숫가 별장의 마지막 손님",
    "비가 오면 문을 여는 카페",
    "악녀는 약혼을 거절합니다",
    "궤도 위의 정원",
    "504호",
    "방과 후 문예부는 해체 직전입니다",
    "F급 헌터의 아침",
    "The Keeper's Ledger",
    "The Moon-Forged Blade",
    "Flour and Rain",
    "Number Nine, Alder Street",
    "The Long Quiet",
    "골목의 나비",
    "등대지기의 아들",
    "눈 내리는 밤의 시계탑",
    "회귀한 헌터는 퇴근하고 싶다",
    "설날의 식탁",
};

static const char *const genres[] = {"fantasy",		"modern_fantasy", "wuxia", "romance",
				     "romance_fantasy", "mystery",	  "sf",	   "drama",
				     "horror",		"light_novel"};

static const char *const motifs[] = {"moon",  "stars", "sea",	 "letter",   "drawer", "cat",
				     "sword", "city",  "forest", "rain",     "snow",   "flower",
				     "key",   "book",  "clock",	 "mountain", "planet"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static double ms_of(clockid_t clock)
{
	struct timespec t;

	clock_gettime(clock, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static double now_ms(void)
{
	return ms_of(CLOCK_MONOTONIC);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One run: books covers, their time in ms (CPU time into *cpu); bytes into *svg, *png. */
static double run(int books, size_t *svg, size_t *png, double *cpu)
{
	image_generator g = offline_image_generator_new();
	double t0 = now_ms(), c0 = ms_of(CLOCK_PROCESS_CPUTIME_ID);

	*svg = *png = 0;
	for (int i = 0; i < books; i++) {
		char title[128], m[2][AIGEN_CODE_MAX];
		aigen_image_request req = {.title = title,
					   .pen_name = i % 2 ? "산책자" : "A. Walker"};
		aigen_image img;
		app_err err;

		snprintf(title, sizeof(title), "%s %d", titles[i % N(titles)], i + 1);
		snprintf(m[0], sizeof(m[0]), "%s", motifs[i % N(motifs)]);
		snprintf(m[1], sizeof(m[1]), "%s", motifs[(i * 7 + 3) % N(motifs)]);
		req.genre = genres[i % N(genres)];
		req.motifs = m;
		req.nmotifs = 2;
		if (image_generator_generate(&img, &g, &req, &err)) {
			fprintf(stderr, "wl-bench-cover: %s\n", err.msg);
			exit(1);
		}
		*svg += img.len;
		*png += img.png_full.len + img.png_thumb.len;
		aigen_image_dispose(&img);
	}
	g.vtbl->destroy(g.self);
	*cpu = ms_of(CLOCK_PROCESS_CPUTIME_ID) - c0;
	return now_ms() - t0;
}

int main(int argc, char **argv)
{
	int books = argc > 1 ? atoi(argv[1]) : 100, runs = argc > 2 ? atoi(argv[2]) : 3;
	double t[16], cpu[16], warm;
	size_t svg, png;
	app_err err;

	if (books < 1 || runs < 1 || runs > 16) {
		fprintf(stderr, "usage: wl-bench-cover [BOOKS] [RUNS (1-16)]\n");
		return 2;
	}
	warm = now_ms();
	if (offline_cover_check(&err)) {
		fprintf(stderr, "wl-bench-cover: %s\n", err.msg);
		return 1;
	}
	run(1, &svg, &png, cpu); /* fonts load on the first cover */
	warm = now_ms() - warm;
	for (int r = 0; r < runs; r++)
		t[r] = run(books, &svg, &png, &cpu[r]);
	qsort(t, (size_t)runs, sizeof(t[0]), cmp);
	qsort(cpu, (size_t)runs, sizeof(cpu[0]), cmp);
	printf("RESULT covers=%d runs=%d median_ms=%.0f min_ms=%.0f max_ms=%.0f per_cover_ms=%.1f "
	       "cpu_ms=%.0f svg_kb=%zu png_kb=%zu first_ms=%.0f\n",
	       books, runs, t[runs / 2], t[0], t[runs - 1], t[runs / 2] / books, cpu[runs / 2],
	       svg / 1024 / (size_t)books, png / 1024 / (size_t)books, warm);
	return 0;
}
