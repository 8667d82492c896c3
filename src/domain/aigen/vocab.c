#include "domain/aigen/vocab.h"

#include <stdio.h>
#include <string.h>

static const aigen_genre_info genres[] = {
    {"fantasy", "판타지", "Fantasy"},
    {"modern_fantasy", "현대판타지", "Modern fantasy"},
    {"wuxia", "무협", "Wuxia"},
    {"romance", "로맨스", "Romance"},
    {"romance_fantasy", "로맨스판타지", "Romance fantasy"},
    {"mystery", "미스터리", "Mystery"},
    {"sf", "SF", "Science fiction"},
    {"drama", "드라마", "Drama"},
    {"horror", "호러", "Horror"},
    {"light_novel", "라이트노벨", "Light novel"},
};

static const char *const motifs[] = {
    "moon", "stars", "sea",    "letter", "drawer", "cat",   "sword",	"city",	  "forest",
    "rain", "snow",  "flower", "key",	 "book",   "clock", "mountain", "planet",
};

static const struct {
	const char *code, *ko, *en;
} length_classes[] = {
    {"flash", "엽편", "A flash story"},
    {"short", "단편", "A short story"},
    {"novella", "중편", "A novella"},
    {"novel", "장편", "A novel"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const aigen_genre_info *aigen_genres(size_t *n)
{
	*n = N(genres);
	return genres;
}

const aigen_genre_info *aigen_genre_find(const char *code)
{
	for (size_t i = 0; code && i < N(genres); i++)
		if (!strcmp(genres[i].code, code))
			return &genres[i];
	return NULL;
}

int aigen_motif_known(const char *code)
{
	for (size_t i = 0; code && i < N(motifs); i++)
		if (!strcmp(motifs[i], code))
			return 1;
	return 0;
}

static int length_class_index(const char *code)
{
	for (size_t i = 0; i < N(length_classes); i++)
		if (!strcmp(length_classes[i].code, code))
			return (int)i;
	return -1;
}

/* A basis of more than a week's reading is not a measurement. */
#define MINUTES_MAX (7 * 24 * 60)

int aigen_price_basis_valid(const aigen_price_basis *b)
{
	return !strcmp(b->code, "length") && b->minutes >= 1 && b->minutes <= MINUTES_MAX &&
	       length_class_index(b->length_class) >= 0;
}

static int round_minutes(int m)
{
	if (m < 10)
		return m;
	if (m < 60)
		return (m + 2) / 5 * 5 < 60 ? (m + 2) / 5 * 5 : 60;
	if (m < 180)
		return (m + 15) / 30 * 30;
	return (m + 30) / 60 * 60;
}

static void time_ko(char *out, size_t cap, int m)
{
	if (m < 60)
		snprintf(out, cap, "%d분", m);
	else if (m % 60)
		snprintf(out, cap, "%d시간 %d분", m / 60, m % 60);
	else
		snprintf(out, cap, "%d시간", m / 60);
}

static void time_en(char *out, size_t cap, int m)
{
	if (m == 1)
		snprintf(out, cap, "a minute's read");
	else if (m < 60)
		snprintf(out, cap, "a %d-minute read", m);
	else if (m == 60)
		snprintf(out, cap, "an hour's read");
	else if (m == 90)
		snprintf(out, cap, "an hour and a half's read");
	else if (m == 150)
		snprintf(out, cap, "a two-and-a-half-hour read");
	else
		snprintf(out, cap, "a %d-hour read", m / 60);
}

/* Cuts s (NUL-terminated, cap bytes) back to a character boundary when snprintf truncated. */
static void fix_utf8_tail(char *s, size_t cap, int wanted)
{
	size_t n = strlen(s), k;

	if (wanted >= 0 && (size_t)wanted < cap)
		return;
	k = n;
	while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > 0 && (unsigned char)s[k - 1] >= 0xC0) {
		unsigned char lead = (unsigned char)s[k - 1];
		size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;

		if (n - (k - 1) < need)
			s[k - 1] = '\0';
	}
}

int aigen_price_basis_render(char *out, size_t cap, const aigen_price_basis *b, const char *lang)
{
	char t[64];
	int cls, m, n;

	if (cap == 0)
		return APP_EINVALID;
	out[0] = '\0';
	if (!aigen_price_basis_valid(b))
		return APP_EINVALID;
	cls = length_class_index(b->length_class);
	m = round_minutes(b->minutes);
	if (lang && !strcmp(lang, "ko")) {
		time_ko(t, sizeof(t), m);
		n = snprintf(out, cap, "약 %s 분량의 %s", t, length_classes[cls].ko);
	} else {
		time_en(t, sizeof(t), m);
		n = snprintf(out, cap, "%s, about %s", length_classes[cls].en, t);
	}
	fix_utf8_tail(out, cap, n);
	return 0;
}

void aigen_draft_sanitize_codes(aigen_draft *d)
{
	int kept = 0;

	d->genre[sizeof(d->genre) - 1] = '\0';
	if (d->genre[0] && !aigen_genre_find(d->genre))
		d->genre[0] = '\0';
	if (d->nmotifs < 0 || d->nmotifs > AIGEN_MOTIFS_MAX)
		d->nmotifs = d->nmotifs < 0 ? 0 : AIGEN_MOTIFS_MAX;
	for (int i = 0; i < d->nmotifs; i++) {
		int dup = 0;

		d->motifs[i][AIGEN_CODE_MAX - 1] = '\0';
		for (int k = 0; k < kept; k++)
			dup |= !strcmp(d->motifs[k], d->motifs[i]);
		if (dup || !aigen_motif_known(d->motifs[i]))
			continue;
		if (kept != i)
			memcpy(d->motifs[kept], d->motifs[i], AIGEN_CODE_MAX);
		kept++;
	}
	for (int i = kept; i < AIGEN_MOTIFS_MAX; i++)
		memset(d->motifs[i], 0, AIGEN_CODE_MAX);
	d->nmotifs = kept;
	d->price_basis.code[AIGEN_CODE_MAX - 1] = '\0';
	d->price_basis.length_class[AIGEN_CODE_MAX - 1] = '\0';
	if (!aigen_price_basis_valid(&d->price_basis))
		memset(&d->price_basis, 0, sizeof(d->price_basis));
}
