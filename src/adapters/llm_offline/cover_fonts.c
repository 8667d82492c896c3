/*
 * Fonts for the covers: Debian's fonts-nanum (Nanum Myeongjo, Gothic, Barun
 * Gothic, Square, Square Round), asked for by family name, so a cover looks
 * the same on every machine that has them. When a family is missing, the
 * first installed Nanum one stands in, and without any, a font fontconfig
 * lists for Korean; without that, covers fail with a message that says what
 * to install, rather than drawing empty boxes. Pango font maps are not
 * thread-safe: the one font map is used under one process-wide lock (a
 * cover takes a few milliseconds to draw).
 */
#include "adapters/llm_offline/offline_cover.h"

#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const nanum[] = {
    "NanumMyeongjo", "NanumGothic", "NanumBarunGothic", "NanumSquare", "NanumSquareRound",
};
#define N_NANUM (sizeof(nanum) / sizeof(nanum[0]))

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static PangoFontMap *fontmap;
static int have[N_NANUM];
static char fallback[128]; /* the family standing in when a Nanum one is missing */
static char failure[256];

/* The first family of the fonts matching p, into out; 0 when there is none. */
static int first_family(char *out, size_t cap, FcPattern *p)
{
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
	FcFontSet *set = os ? FcFontList(NULL, p, os) : NULL;
	FcChar8 *family;
	int found = 0;

	if (set && set->nfont > 0 &&
	    FcPatternGetString(set->fonts[0], FC_FAMILY, 0, &family) == FcResultMatch) {
		snprintf(out, cap, "%s", (const char *)family);
		found = 1;
	}
	if (set)
		FcFontSetDestroy(set);
	if (os)
		FcObjectSetDestroy(os);
	return found;
}

static int installed(const char *family)
{
	FcPattern *p = FcPatternBuild(NULL, FC_FAMILY, FcTypeString, family, (char *)NULL);
	char name[128];
	int found = p && first_family(name, sizeof(name), p);

	if (p)
		FcPatternDestroy(p);
	return found;
}

/* A family that covers Korean, when no Nanum font is installed. */
static int korean_family(char *out, size_t cap)
{
	FcPattern *p = FcPatternCreate();
	FcLangSet *ls = FcLangSetCreate();
	int found = 0;

	if (p && ls && FcLangSetAdd(ls, (const FcChar8 *)"ko") &&
	    FcPatternAddLangSet(p, FC_LANG, ls))
		found = first_family(out, cap, p);
	if (ls)
		FcLangSetDestroy(ls);
	if (p)
		FcPatternDestroy(p);
	return found;
}

/*
 * Under AddressSanitizer's leak checker. Fontconfig keeps a few allocations
 * of its configuration parser for the whole run, and pango keeps the
 * fontconfig patterns it matched on a thread of its own where the checker
 * does not look; neither is ours to free (FcFini() at exit asserts while
 * that thread still holds fontconfig's caches). Only their frames are
 * suppressed, in every binary that draws covers (unused symbols elsewhere),
 * and quietly: the command line's one-line errors stay one line at exit.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libfontconfig.so.1\nleak:libpangoft2-1.0.so.0\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "print_suppressions=0";
}

/* At exit: the font map and what it holds. */
static void release(void)
{
	pthread_mutex_lock(&lock);
	if (fontmap)
		g_object_unref(fontmap);
	fontmap = NULL;
	pthread_mutex_unlock(&lock);
}

static void init(void)
{
	if (!FcInit()) {
		snprintf(failure, sizeof(failure), "covers: fontconfig does not start");
		return;
	}
	for (size_t i = 0; i < N_NANUM; i++) {
		have[i] = installed(nanum[i]);
		if (have[i] && !fallback[0])
			snprintf(fallback, sizeof(fallback), "%s", nanum[i]);
	}
	if (!fallback[0] && !korean_family(fallback, sizeof(fallback))) {
		snprintf(failure, sizeof(failure),
			 "covers: no font for Korean is installed (fontconfig lists none); "
			 "install fonts-nanum");
		return;
	}
	fontmap = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	if (!fontmap) {
		snprintf(failure, sizeof(failure), "covers: pango has no FreeType font map");
		return;
	}
	pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fontmap), 72.0);
	atexit(release);
}

int cover_fonts_lock(PangoFontMap **out, app_err *err)
{
	pthread_once(&once, init);
	pthread_mutex_lock(&lock);
	if (!fontmap) {
		pthread_mutex_unlock(&lock);
		return app_err_set(err, APP_EUNAVAILABLE, NULL, NULL, "%s", failure);
	}
	*out = fontmap;
	return 0;
}

void cover_fonts_unlock(void)
{
	pthread_mutex_unlock(&lock);
}

const char *cover_fonts_family(const char *want)
{
	for (size_t i = 0; i < N_NANUM; i++)
		if (!strcmp(nanum[i], want) && have[i])
			return want;
	return fallback;
}
