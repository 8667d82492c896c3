/*
 * The lexicon: words that suggest a genre, a cover motif or a tension (the
 * stake a tagline can name), in Korean and English. Each group is one string
 * of words separated by spaces; a word may carry marks:
 *   "!word"  counts twice (it says the genre on its own: 무림, 헌터, detective)
 *   "!!word" counts three times: the genre's own name (무협, romance), enough alone
 *   "word*"  matches every word that begins with it (마법사, magical, murdered)
 *   "word+"  a one-syllable Korean word that only counts with a particle
 *            (달이, 달빛 is its own word; "한 달" is a month, not the moon)
 * A Korean word also matches with a particle after it (서랍에서, 비가); an
 * English one in its plural (-s, -es). Latin letters compare lowercased.
 */
#include "adapters/llm_offline/offline_internal.h"
#include "adapters/llm_offline/offline_text.h"
#include "domain/common/err.h"

#include <stdlib.h>
#include <string.h>

enum { LEX_GENRE, LEX_MODERN, LEX_MOTIF, LEX_TENSION };

enum {
	G_FANTASY,
	G_MODERN_FANTASY,
	G_WUXIA,
	G_ROMANCE,
	G_ROMANCE_FANTASY,
	G_MYSTERY,
	G_SF,
	G_DRAMA,
	G_HORROR,
	G_LIGHT_NOVEL,
};

typedef struct lex_group {
	unsigned char kind, id;
	const char *words;
} lex_group;

static const lex_group groups[] = {
    {LEX_GENRE, G_FANTASY,
     "!!판타지 !!fantasy 마법* 마법사 !마나 왕국 !드래곤 용족 엘프 !정령 기사단 !성검 !마왕 마물 "
     "마족 "
     "주문 !마탑 "
     "신전 예언 마녀 요정 용사 마력 왕성 봉인 고대 전설 magic* wizard* sorcer* kingdom* !dragon* "
     "elf elves elven spell* knight* prophec* witch* fairy fairies !mana enchant* realm* rune*"},
    {LEX_GENRE, G_MODERN_FANTASY,
     "!!현대판타지 !헌터 !각성* !게이트 !던전 !상태창 스킬 레벨 레벨업 길드 !회귀* 몬스터 마석 "
     "랭커 "
     "퀘스트 "
     "균열 이능 초능력* !hunter* awaken* !dungeon* gate gates guild* skill* monster* rift*"},
    {LEX_GENRE, G_WUXIA,
     "!!무협 !!wuxia !강호 !무림 !내공 !검법 !무공 문파 사부 !협객 !초식 장문인 객잔 !정파 !사파 "
     "!마교 절정 "
     "고수 검기 도법 비급 소림 무당 화산파 사형 사제 !무인 경공 혈도 검객 문주 방주 !jianghu "
     "martial* !sect sects swordsman swordsmen qi"},
    {LEX_GENRE, G_ROMANCE,
     "!!로맨스 !!romance !사랑* 설렘 설레* 고백* 입맞춤 키스 연애* !데이트 심장 눈빛 남자친구 "
     "여자친구 결혼* "
     "!첫사랑 연인 짝사랑 두근* 애틋* love* kiss* heart* date dating boyfriend girlfriend "
     "marry married wedding crush blush*"},
    {LEX_GENRE, G_ROMANCE_FANTASY,
     "!!로맨스판타지 !영애 !공녀 !황태자 !황녀 황제 황후 !공작 공작가 !후작 백작 !대공 !무도회 "
     "드레스 약혼* "
     "파혼 !빙의* !악녀 황궁 황실 영지 시녀 귀족 duke duchess lady empress emperor princess "
     "prince betroth* noble*"},
    {LEX_GENRE, G_MYSTERY,
     "!!미스터리 !!mystery !형사 !탐정 사건 !범인 !살인* 단서 !알리바이 !용의자 시신 증거 경찰 "
     "수사* "
     "피해자 목격자 "
     "추리 현장 지문 실종* 범행 살해* 감식 !detective* !murder* !inspector !constable clue* "
     "alibi suspect* evidence police crime* victim* witness* investigat* accident sergeant"},
    {LEX_GENRE, G_SF,
     "!!sf science !우주* !로봇 데이터* 메모리 충전* !행성 함선 !인공지능 !안드로이드 궤도 외계* "
     "!우주선 항성 "
     "은하 정거장 캡슐 동면 "
     "복제인간 시뮬레이션 나노 !광년 함장 관제 산소 화성 성간 space* !robot* planet* starship* "
     "orbit* alien* android* galax* !spacecraft !airlock oxygen colony mars"},
    {LEX_GENRE, G_DRAMA,
     "가족 엄마 아빠 아버지 어머니 할머니 할아버지 장례* 병원 이혼 월급 시장 고향 추억 아들 딸 "
     "family mother father grandmother grandfather funeral hospital divorce hometown"},
    {LEX_GENRE, G_HORROR,
     "!!호러 !귀신 비명 !저주* 공포 괴담 !원혼 !악령 무덤 시체 핏자국 소름 흉가 혼령 제물 !섬뜩* "
     "오싹* "
     "피 유령 속삭* 긁* 거울 서늘* 발소리 피투성이 ghost* scream* curse* horror* haunt* corpse* "
     "grave* blood* dread scratch* creak* whisper* shadow* nightmare*"},
    {LEX_GENRE, G_LIGHT_NOVEL,
     "!!라이트노벨 !학원 !동아리 선배 후배 !이세계 !전생* 소꿉친구 방과후 학생회 전학생 여동생 "
     "교실 "
     "반장 축제 "
     "부실 용사 마왕 하렘 고등학생 !isekai club senpai classmate* student* school* festival "
     "reincarnat*"},
    {LEX_MODERN, 0,
     "서울 지하철 스마트폰 휴대폰 편의점 아파트 회사 사무실 학교 카페 버스 택시 인터넷 뉴스 방송 "
     "대학 seoul subway phone smartphone apartment office internet news"},
    /* motifs, in the order of the codes below */
    {LEX_MOTIF, 0, "달+ 달빛 보름달 초승달 반달 달밤 월광 moon*"},
    {LEX_MOTIF, 1,
     "별+ 별빛 별자리 은하수 유성 별똥별 밤하늘 star stars starlight starry constellation*"},
    {LEX_MOTIF, 2,
     "바다 바닷가 파도 해변 바닷물 수평선 항구 등대 해안 sea seas ocean* wave waves shore* "
     "beach* harbo* lighthouse* tide*"},
    {LEX_MOTIF, 3, "편지* 엽서 봉투 우표 letter letters envelope* postcard*"},
    {LEX_MOTIF, 4, "서랍* drawer drawers"},
    {LEX_MOTIF, 5, "고양이* 길고양이 cat cats kitten*"},
    {LEX_MOTIF, 6, "검 칼 칼날 검날 장검 보검 검집 검법 sword* blade*"},
    {LEX_MOTIF, 7,
     "도시 도심 빌딩 고층 번화가 지하철 네온 야경 city cities neon subway skyscraper* downtown"},
    {LEX_MOTIF, 8, "숲 숲속 나무 나무들 수풀 forest* woods tree trees"},
    {LEX_MOTIF, 9, "비 빗소리 빗방울 장마 소나기 우산 빗물 빗속 rain* umbrella* storm*"},
    {LEX_MOTIF, 10, "눈송이 눈발 함박눈 첫눈 눈보라 설원 눈길 snow* blizzard*"},
    {LEX_MOTIF, 11, "꽃 꽃잎 장미 벚꽃 꽃다발 꽃집 flower* rose roses petal* blossom*"},
    {LEX_MOTIF, 12, "열쇠* 자물쇠 key keys lock locked"},
    {LEX_MOTIF, 13, "책 책장 서재 도서관 원고 book books librar* page pages"},
    {LEX_MOTIF, 14, "시계* 자정 초침 clock* midnight"},
    {LEX_MOTIF, 15, "산+ 산봉우리 봉우리 절벽 산길 산맥 mountain* peak* cliff*"},
    {LEX_MOTIF, 16, "행성 우주 은하 궤도 planet* orbit* galax*"},
    /* tensions */
    {LEX_TENSION, 0, "비밀* secret*"},
    {LEX_TENSION, 1, "약속* promise*"},
    {LEX_TENSION, 2, "거짓말* lie lies lying liar*"},
    {LEX_TENSION, 3, "진실* truth*"},
    {LEX_TENSION, 4, "저주* curse*"},
    {LEX_TENSION, 5, "복수* reveng* vengeance"},
    {LEX_TENSION, 6, "운명* fate destiny"},
    {LEX_TENSION, 7, "기억* memor*"},
    {LEX_TENSION, 8, "이별* farewell goodbye*"},
    {LEX_TENSION, 9, "소원* wish wishes"},
    {LEX_TENSION, 10, "고백* confess*"},
    {LEX_TENSION, 11, "실종* vanish* disappear*"},
};

static const struct {
	const char *code, *ko, *en;
} motif_words[OFFLINE_N_MOTIFS] = {
    {"moon", "달", "the moon"},	    {"stars", "별", "the stars"},
    {"sea", "바다", "the sea"},	    {"letter", "편지", "a letter"},
    {"drawer", "서랍", "a drawer"}, {"cat", "고양이", "a cat"},
    {"sword", "검", "a sword"},	    {"city", "도시", "the city"},
    {"forest", "숲", "the forest"}, {"rain", "비", "the rain"},
    {"snow", "눈", "the snow"},	    {"flower", "꽃", "flowers"},
    {"key", "열쇠", "a key"},	    {"book", "책", "a book"},
    {"clock", "시계", "a clock"},   {"mountain", "산", "the mountains"},
    {"planet", "행성", "a planet"},
};

static const struct {
	const char *ko, *en;
} tension_words[OFFLINE_N_TENSION] = {
    {"비밀", "secret"},	  {"약속", "promise"}, {"거짓말", "lie"},      {"진실", "truth"},
    {"저주", "curse"},	  {"복수", "revenge"}, {"운명", "fate"},       {"기억", "memory"},
    {"이별", "farewell"}, {"소원", "wish"},    {"고백", "confession"}, {"실종", "disappearance"},
};

const char *offline_motif_code(int motif)
{
	return motif_words[motif].code;
}

const char *offline_motif_word(int motif, int korean)
{
	return korean ? motif_words[motif].ko : motif_words[motif].en;
}

const char *offline_tension_word(int tension, int korean)
{
	return korean ? tension_words[tension].ko : tension_words[tension].en;
}

/* --- the table ----------------------------------------------------------------------------- */

/* Mixed into the hash of a prefix entry: "편지*" and "편지" are different keys. */
#define PREFIX_KEY 0x9E3779B97F4A7C15ull

#define LEX_MAX	  1024
#define LEX_SLOTS 4096 /* a power of two, well above LEX_MAX */

typedef struct lex_entry {
	uint64_t hash;
	unsigned char kind, id, weight, prefix, needs_particle;
	int next; /* the next entry in the same slot's chain, or -1 */
} lex_entry;

struct lex_table {
	lex_entry e[LEX_MAX];
	int n;
	int slot[LEX_SLOTS];   /* first entry of the chain + 1; 0: empty */
	size_t longest_prefix; /* bytes */
};
typedef struct lex_table lex_table;

static uint64_t hash64(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ull;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static void table_add(lex_table *t, const lex_group *g, const char *w, size_t n)
{
	lex_entry *e;
	size_t s;

	if (t->n == LEX_MAX)
		return; /* the groups above are far below it */
	e = &t->e[t->n];
	memset(e, 0, sizeof(*e));
	e->kind = g->kind;
	e->id = g->id;
	e->weight = 1;
	while (n && *w == '!') {
		e->weight++;
		w++, n--;
	}
	if (n && w[n - 1] == '*') {
		e->prefix = 1;
		n--;
		if (n > t->longest_prefix)
			t->longest_prefix = n;
	} else if (n && w[n - 1] == '+') {
		e->needs_particle = 1;
		n--;
	}
	e->hash = hash64(w, n) ^ (e->prefix ? PREFIX_KEY : 0);
	s = (size_t)e->hash & (LEX_SLOTS - 1);
	e->next = t->slot[s] - 1;
	t->slot[s] = ++t->n;
}

static lex_table *table_new(void)
{
	lex_table *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		const char *p = groups[g].words;

		while (*p) {
			size_t n = strcspn(p, " ");

			if (n)
				table_add(t, &groups[g], p, n);
			p += n;
			p += strspn(p, " ");
		}
	}
	return t;
}

/* Particles after a Korean word, longest first; the first ones also follow one syllable. */
static const char *const particles[] = {
    "에서는", "에게서", "으로는", "에서도", "이라는", "처럼", "에서", "으로", "까지",
    "마다",   "이",	"가",	  "을",	    "를",     "의",   "에",   "도",   "만",
    "에게",   "부터",	"보다",	  "이나",   "라는",   "에는", "과는", "와는", "조차",
    "마저",   "이랑",	"한테",	  "은",	    "는",     "로",   "와",   "과",   "랑",
};
#define ONE_SYLLABLE_PARTICLES 18 /* particles[0..18) follow a one-syllable word */

typedef struct match_ctx {
	const lex_table *t;
	lex_counts *c;
	uint32_t seen[LEX_MAX / 32 + 1]; /* a bit per entry: each counts once per word */
} match_ctx;

static void hit(match_ctx *m, uint64_t h, int prefix, int with_particle)
{
	h ^= prefix ? PREFIX_KEY : 0;
	for (int i = m->t->slot[h & (LEX_SLOTS - 1)] - 1; i >= 0; i = m->t->e[i].next) {
		const lex_entry *e = &m->t->e[i];

		if (e->hash != h || (e->needs_particle && !with_particle) ||
		    (m->seen[i / 32] & (1u << (i % 32))))
			continue;
		m->seen[i / 32] |= 1u << (i % 32);
		if (e->kind == LEX_GENRE)
			m->c->genre[e->id] += e->weight;
		else if (e->kind == LEX_MODERN)
			m->c->modern += e->weight;
		else if (e->kind == LEX_MOTIF)
			m->c->motif[e->id]++;
		else
			m->c->tension[e->id]++;
	}
}

static void match_korean(match_ctx *m, const char *w, size_t n)
{
	size_t syll = n / 3; /* a Hangul word: three bytes a syllable */

	hit(m, hash64(w, n), 0, 0);
	for (size_t k = 0; k < sizeof(particles) / sizeof(particles[0]); k++) {
		size_t pl = strlen(particles[k]);

		if (pl >= n || memcmp(w + n - pl, particles[k], pl) != 0)
			continue;
		if (n - pl == 3 && k >= ONE_SYLLABLE_PARTICLES)
			continue;
		hit(m, hash64(w, n - pl), 0, 1);
	}
	for (size_t k = 1; k <= syll && k * 3 <= m->t->longest_prefix; k++)
		hit(m, hash64(w, k * 3), 1, 0);
}

static void match_latin(match_ctx *m, const char *w, size_t n)
{
	hit(m, hash64(w, n), 0, 0);
	if (n > 3 && w[n - 1] == 's')
		hit(m, hash64(w, n - 1), 0, 0);
	if (n > 4 && w[n - 1] == 's' && w[n - 2] == 'e')
		hit(m, hash64(w, n - 2), 0, 0);
	for (size_t k = 3; k <= n && k <= m->t->longest_prefix; k++)
		hit(m, hash64(w, k), 1, 0);
}

static int match_word(void *ctx, char *w, size_t n, size_t off)
{
	match_ctx *m = ctx;
	size_t i = 0, hangul = 0, latin = 0;

	(void)off;
	memset(m->seen, 0, sizeof(m->seen));
	while (i < n) {
		uint32_t cp = offline_utf8_next(w, n, &i);

		if (cp >= 0xAC00 && cp <= 0xD7A3)
			hangul++;
		else if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')
			latin++;
	}
	if (hangul && hangul * 3 == n) {
		match_korean(m, w, n);
	} else if (latin == n) {
		for (size_t k = 0; k < n; k++)
			w[k] = (char)(w[k] | 0x20);
		match_latin(m, w, n);
	}
	return 0;
}

static void count_with(const lex_table *t, lex_counts *c, const char *s, size_t len)
{
	match_ctx m = {0};

	m.t = t;
	m.c = c;
	offline_for_each_word(s, 0, len, match_word, &m);
}

int offline_lexicon_count(lex_counts *c, const char *s, size_t len)
{
	lex_table *t = table_new();

	if (!t)
		return APP_ENOMEM;
	count_with(t, c, s, len);
	free(t);
	return 0;
}

int offline_lexicon_knows(const doc *d, const char *w, size_t n)
{
	uint64_t h = hash64(w, n);

	if (!d->lexicon)
		return 0;
	for (int i = d->lexicon->slot[h & (LEX_SLOTS - 1)] - 1; i >= 0; i = d->lexicon->e[i].next)
		if (d->lexicon->e[i].hash == h)
			return 1;
	h ^= PREFIX_KEY;
	for (int i = d->lexicon->slot[h & (LEX_SLOTS - 1)] - 1; i >= 0; i = d->lexicon->e[i].next)
		if (d->lexicon->e[i].hash == h)
			return 1;
	return 0;
}

void offline_doc_dispose(doc *d)
{
	free(d->sent);
	free(d->terms.slots);
	free(d->lexicon);
	d->sent = NULL;
	d->terms.slots = NULL;
	d->lexicon = NULL;
}

/* A genre needs this much weight to be told from a drama. */
#define GENRE_MIN 3.0

int offline_lexicon_genre(const lex_counts *c)
{
	double s[OFFLINE_N_GENRES];
	int best = G_DRAMA;

	memcpy(s, c->genre, sizeof(s));
	/* nobility and courtship together make a romance fantasy */
	if (s[G_ROMANCE] >= 2 && s[G_ROMANCE_FANTASY] >= 2)
		s[G_ROMANCE_FANTASY] += s[G_ROMANCE] * 0.5;
	/* hunters and gates in a present-day city */
	if (s[G_MODERN_FANTASY] >= 2)
		s[G_MODERN_FANTASY] += c->modern * 0.3;
	/* everyday life is the default, and its words are in every story */
	s[G_DRAMA] = s[G_DRAMA] * 0.5 + 1.5;
	for (int g = 0; g < OFFLINE_N_GENRES; g++)
		if (s[g] > s[best])
			best = g;
	return s[best] >= GENRE_MIN ? best : G_DRAMA;
}

int offline_lexicon_motifs(int out[3], const lex_counts *c)
{
	int n = 0;

	for (int m = 0; m < OFFLINE_N_MOTIFS; m++) {
		int k;

		if (!c->motif[m])
			continue;
		for (k = n; k > 0 && c->motif[m] > c->motif[out[k - 1]]; k--)
			if (k < 3)
				out[k] = out[k - 1];
		if (k < 3) {
			out[k] = m;
			if (n < 3)
				n++;
		}
	}
	return n;
}

int offline_read_lexicon(doc *d)
{
	unsigned best = 0;

	if (!d->lexicon && !(d->lexicon = table_new()))
		return APP_ENOMEM;
	count_with(d->lexicon, &d->lex, d->text, d->len);
	d->genre = offline_lexicon_genre(&d->lex);
	d->nmotifs = offline_lexicon_motifs(d->motifs, &d->lex);
	d->tension = -1;
	for (int t = 0; t < OFFLINE_N_TENSION; t++)
		if (d->lex.tension[t] > best) {
			best = d->lex.tension[t];
			d->tension = t;
		}
	return 0;
}
