/*
 * The protagonist: the most frequent person name of the text.
 *
 * Korean: a name is a word of two to four syllables that the text uses with
 * the particles people take (해진은, 해진의, 해진에게, 해진아, 민준이가, 도윤 씨),
 * never with a place's (에, 에서, 으로:
 * 서재에서 is not a person), made of syllables names are made of, and not one
 * of the common nouns that behave like names (엄마, 선배, 고양이, 하늘 …).
 * English: a capitalised word that the text never writes in lower case (so
 * "The", "But" and "Lake" at a sentence start do not count) and that is not a
 * pronoun, a title or a calendar word.
 * It must occur at least four times (an English one, a stronger sign, three),
 * and not be a word of the
 * lexicon (원고, 편지, 헌터: lexicon.c). A Korean name seen with one particle
 * only needs it to be another than 는, which also ends verbs (기다리는).
 */
#include "adapters/llm_offline/offline_internal.h"
#include "adapters/llm_offline/offline_text.h"
#include "domain/common/err.h"

#include <stdlib.h>
#include <string.h>

#define NAME_MIN_SCORE_KO 4
#define NAME_MIN_SCORE_EN 3
#define NAME_EN_MAX	  24 /* letters: longer is no name (and would crowd a tagline) */

typedef struct name_slot {
	uint64_t hash; /* 0: empty */
	unsigned plain, strong, place, lower;
	unsigned neun; /* of plain: after 는, which also ends verbs */
	size_t off, len;
} name_slot;

typedef struct name_map {
	name_slot *slots;
	size_t cap, used;
	const char *text;
} name_map;

static uint64_t hash64(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)((unsigned char)s[i] | (s[i] >= 'A' && s[i] <= 'Z' ? 0x20 : 0));
		h *= 1099511628211ull;
	}
	return h ? h : 1;
}

static name_slot *slot_find(name_slot *slots, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);

	while (slots[i].hash && slots[i].hash != h)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

/* The slot of w (case-insensitive), created when missing; NULL on ENOMEM. */
static name_slot *slot_get(name_map *m, const char *w, size_t n, size_t off)
{
	uint64_t h = hash64(w, n);
	name_slot *s;

	if ((m->used + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 512;
		name_slot *ns = calloc(cap, sizeof(*ns));

		if (!ns)
			return NULL;
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].hash)
				*slot_find(ns, cap, m->slots[i].hash) = m->slots[i];
		free(m->slots);
		m->slots = ns;
		m->cap = cap;
	}
	s = slot_find(m->slots, m->cap, h);
	if (!s->hash) {
		s->hash = h;
		s->off = off;
		s->len = n;
		m->used++;
	}
	return s;
}

/* --- Korean ---------------------------------------------------------------------------- */

/* Particles after a name, longest first; "strong" ones only follow people. */
static const struct {
	const char *p;
	int strong, place;
} ko_particles[] = {
    {"에서는", 0, 1}, {"이에게", 1, 0}, {"이한테", 1, 0}, {"에게서", 1, 0}, {"이랑은", 1, 0},
    {"으로", 0, 1},   {"에서", 0, 1},	{"에는", 0, 1},	  {"에도", 0, 1},   {"까지", 0, 1},
    {"부터", 0, 1},   {"에게", 1, 0},	{"한테", 1, 0},	  {"이는", 1, 0},   {"이가", 1, 0},
    {"이를", 1, 0},   {"이의", 1, 0},	{"이도", 1, 0},	  {"이와", 1, 0},   {"이랑", 1, 0},
    {"씨는", 1, 0},   {"씨가", 1, 0},	{"씨의", 1, 0},	  {"씨를", 1, 0},   {"씨", 1, 0},
    {"은", 0, 0},     {"는", 0, 0},	{"이", 0, 0},	  {"가", 0, 0},	    {"을", 0, 0},
    {"를", 0, 0},     {"의", 0, 0},	{"와", 0, 0},	  {"과", 0, 0},	    {"도", 0, 0},
    {"만", 0, 0},     {"아", 1, 0},	{"야", 1, 0},	  {"에", 0, 1},	    {"로", 0, 1},
};

/* Syllables Korean given names and surnames are made of, and those of names from abroad. */
static const char name_syllables[] =
    "가강건경고곤공관광교구국군권규균근금기길김나남낭내노누늘니다단담당대덕도동두라란람랑래"
    "려련렬령로록론루류륜률르리린림마만맹명모목묘무문미민바박반방배백범벽변별보복봄봉부분비빈"
    "빛사산삼상새샘서석선설섬성세소손솔송수숙순술승시식신실심아안알애앤야양어언엄여연열염엽영"
    "예오옥온완왕요용우욱운울웅원월위유육윤율은을의이익인일임자장재전정제조종주준중지직진차찬"
    "창채천철청초최추춘충치카케코쿠크키타탁태택테토투트티파페평포표푸풍프피필하학한할함해향허"
    "헌헬혁현형혜호홍화환활황효후훈휘희힐힘렌엘델벨셀멜샤셰쇼슈스에체츠";

/* Words that take a person's particles but are not names. */
static const char *const not_names[] = {
    "그녀",   "그들",	"우리",	    "자신",   "사람",	  "사람들",   "아이",	"아이들", "엄마",
    "아빠",   "어머니", "아버지",   "할머니", "할아버지", "선생",     "선생님", "친구",	  "친구들",
    "남자",   "여자",	"소년",	    "소녀",   "아저씨",	  "아주머니", "언니",	"오빠",	  "누나",
    "동생",   "아들",	"남편",	    "아내",   "주인",	  "손님",     "사장",	"사장님", "형사",
    "경찰",   "기사",	"왕자",	    "공주",   "황제",	  "황후",     "공작",	"영애",	  "사부",
    "노인",   "청년",	"학생",	    "선배",   "후배",	  "의사",     "반장",	"부장",	  "과장",
    "대리",   "인간",	"시체",	    "귀신",   "로봇",	  "고양이",   "강아지", "하늘",	  "바람",
    "구름",   "하루",	"오늘",	    "내일",   "어제",	  "아침",     "저녁",	"새벽",	  "시간",
    "순간",   "세계",	"세상",	    "미래",   "과거",	  "현재",     "이야기", "도시",	  "마을",
    "서재",   "사랑",	"마음",	    "소리",   "모두",	  "누구",     "누군가", "아무도", "모두가",
    "이름",   "대답",	"소원",	    "운명",   "기억",	  "이것",     "그것",	"저것",	  "여기",
    "거기",   "저기",	"그거",	    "이거",   "무엇",	  "자기",     "당신",	"너희",	  "저희",
    "여러분", "주인공", "부모",	    "부모님", "가족",	  "형님",     "어르신", "아기",	  "아가",
    "연인",   "애인",	"이웃",	    "동료",   "상사",	  "팀장",     "교수",	"교수님", "기자",
    "직원",   "병사",	"장군",	    "마왕",   "용사",	  "마법사",   "기사단", "무사",	  "고수",
    "사형",   "사제",	"제자",	    "장문인", "대협",	  "소협",     "공자",	"소저",	  "낭자",
    "아가씨", "도련님", "전하",	    "폐하",   "각하",	  "주군",     "함장",	"선장",	  "대장",
    "박사",   "박사님", "인공지능", "시스템", "헌터",	  "범인",     "탐정",	"피해자", "용의자",
    "목격자", "유령",	"악령",	    "원혼",   "그림자",	  "나무",     "바다",	"파도",	  "우산",
    "편지",   "서랍",	"열쇠",	    "시계",   "창문",	  "목소리",   "얼굴",	"표정",	  "눈물",
    "미소",   "이마",	"고개",	    "머리",   "사이",	  "동안",     "다음",	"처음",	  "마지막",
    "하나",   "둘",	"셋",	    "이번",   "지난",	  "나머지",   "모든",	"어느",	  "아무",
    "정도",   "조금",	"형제",	    "자매",   "남매",	  "부부",     "쌍둥이", "상자",	  "사건",
    "손님들",
};

static int is_name_syllable(const char *s)
{
	for (const char *p = name_syllables; *p; p += 3)
		if (!memcmp(p, s, 3))
			return 1;
	return 0;
}

static int is_not_name(const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(not_names) / sizeof(not_names[0]); i++)
		if (strlen(not_names[i]) == n && !memcmp(not_names[i], w, n))
			return 1;
	return 0;
}

/* 1 when base + "이" is a common noun: 고양 + 이가 is 고양이 + 가. */
static int noun_with_i(const char *w, size_t n)
{
	char buf[OFFLINE_WORD_MAX + 3];

	if (n + 3 > sizeof(buf))
		return 0;
	memcpy(buf, w, n);
	memcpy(buf + n, "이", 3);
	return is_not_name(buf, n + 3);
}

static int ko_word(void *ctx, char *w, size_t n, size_t off)
{
	name_map *m = ctx;

	if (n < 9 || n % 3)
		return 0;
	for (size_t i = 0; i < n; i += 3)
		if ((unsigned char)w[i] < 0xEA || (unsigned char)w[i] > 0xED)
			return 0; /* Hangul syllables are EA..ED xx xx */
	for (size_t k = 0; k < sizeof(ko_particles) / sizeof(ko_particles[0]); k++) {
		size_t pl = strlen(ko_particles[k].p), base = n - pl;
		name_slot *s;

		if (pl >= n || memcmp(w + base, ko_particles[k].p, pl) != 0)
			continue;
		if (base < 6 || base > 12) /* two to four syllables */
			return 0;
		if (ko_particles[k].strong && !memcmp(ko_particles[k].p, "이", 3) &&
		    noun_with_i(w, base))
			continue; /* 고양이가: the cat, not 고양 */
		if (!(s = slot_get(m, w, base, off)))
			return APP_ENOMEM;
		if (ko_particles[k].place)
			s->place++;
		else if (ko_particles[k].strong)
			s->strong++;
		else
			s->plain++;
		s->neun += !strcmp(ko_particles[k].p, "는");
		return 0;
	}
	return 0;
}

static int ko_score(const doc *d, const name_map *m, const name_slot *s)
{
	const char *w = m->text + s->off;
	int score = (int)(s->plain + 2 * s->strong);

	if ((s->neun == s->plain && !s->strong) || (int)s->place * 3 >= score ||
	    is_not_name(w, s->len) || offline_lexicon_knows(d, w, s->len))
		return 0;
	for (size_t i = 0; i < s->len; i += 3)
		if (!is_name_syllable(w + i))
			return 0;
	return score;
}

/* --- English --------------------------------------------------------------------------- */

static const char *const en_not_names[] = {
    "i",	 "i'm",	      "mr",	   "mrs",	"ms",	    "dr",     "miss",
    "sir",	 "madam",     "captain",   "chapter",	"part",	    "god",    "monday",
    "tuesday",	 "wednesday", "thursday",  "friday",	"saturday", "sunday", "january",
    "february",	 "march",     "april",	   "may",	"june",	    "july",   "august",
    "september", "october",   "november",  "december",	"english",  "korean", "christmas",
    "ok",	 "okay",      "inspector", "detective", "lady",	    "lord",   "king",
    "queen",	 "prince",    "princess",  "mother",	"father",   "mum",    "mom",
    "dad",	 "grandma",   "grandpa",   "aunt",	"uncle",    "doctor", "professor",
};

static int en_word(void *ctx, char *w, size_t n, size_t off)
{
	name_map *m = ctx;
	name_slot *s;

	if (n < 2 || n > NAME_EN_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((w[i] | 0x20) >= 'a' && (w[i] | 0x20) <= 'z'))
			return 0;
	if (!(s = slot_get(m, w, n, off)))
		return APP_ENOMEM;
	if (w[0] >= 'A' && w[0] <= 'Z')
		s->plain++;
	else
		s->lower++;
	return 0;
}

static int en_score(const doc *d, const name_map *m, const name_slot *s)
{
	const char *w = m->text + s->off;
	char low[OFFLINE_NAME_MAX];

	if (s->lower || s->len >= sizeof(low) || !(w[0] >= 'A' && w[0] <= 'Z'))
		return 0;
	for (size_t i = 0; i < s->len; i++)
		low[i] = (char)(w[i] | 0x20);
	for (size_t i = 0; i < sizeof(en_not_names) / sizeof(en_not_names[0]); i++)
		if (strlen(en_not_names[i]) == s->len && !memcmp(en_not_names[i], low, s->len))
			return 0;
	return offline_lexicon_knows(d, low, s->len) ? 0 : (int)s->plain;
}

int offline_find_protagonist(doc *d)
{
	name_map m = {0};
	const name_slot *best = NULL;
	int best_score = (d->korean ? NAME_MIN_SCORE_KO : NAME_MIN_SCORE_EN) - 1, rc;

	m.text = d->text;
	d->name[0] = '\0';
	d->name_len = 0;
	rc = offline_for_each_word(d->text, 0, d->len, d->korean ? ko_word : en_word, &m);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < m.cap; i++) {
		const name_slot *s = &m.slots[i];
		int score;

		if (!s->hash)
			continue;
		score = d->korean ? ko_score(d, &m, s) : en_score(d, &m, s);
		/* ties: the one the text names first */
		if (score > best_score || (score == best_score && best && s->off < best->off)) {
			best = s;
			best_score = score;
		}
	}
	if (best && best->len < sizeof(d->name)) {
		memcpy(d->name, d->text + best->off, best->len);
		d->name[best->len] = '\0';
		d->name_len = best->len;
	}
out:
	free(m.slots);
	return rc;
}

/* --- particles ------------------------------------------------------------------------- */

int offline_has_batchim(uint32_t cp)
{
	return cp >= 0xAC00 && cp <= 0xD7A3 && (cp - 0xAC00) % 28 != 0;
}

void offline_buf_particle(strbuf *b, const char *word, const char *with_final,
			  const char *without_final)
{
	size_t n = strlen(word), i = n;
	uint32_t last = 0;

	while (i > 0 && ((unsigned char)word[i - 1] & 0xC0) == 0x80)
		i--;
	if (i > 0) {
		i--;
		last = offline_utf8_next(word, n, &i);
	}
	strbuf_str(b, offline_has_batchim(last) ? with_final : without_final);
}
