/*
 * The tagline: a hook composed, never copied. A motif phrase and a tension
 * word make the stake ("서랍 속 비밀", "The secret in the drawer"), the genre's
 * line makes the question or the threat, naming the protagonist when the text
 * has one ("해진은 끝내 그것을 마주할 수 있을까?", "Can Haejin finally face it?").
 * The motif is the text's most frequent (when it comes up more than once), the
 * tension word too; without them the genre's own are used. Korean particles follow the name's last
 * syllable. A regeneration's variant (1, 2, …) turns to the text's next motif and the next
 * tension word, so each gives another hook; variant 0 is the first one.
 */
#include "adapters/llm_offline/offline_internal.h"
#include "adapters/llm_offline/offline_text.h"

#include <string.h>

/* Per motif: a Korean phrase before the tension word, an English one after it. */
static const char *const motif_ko[OFFLINE_N_MOTIFS] = {
    "달빛 아래의", "별빛에 새겨진", "바다가 삼킨", "편지에 적힌", "서랍 속",	  "고양이만 아는",
    "칼끝에 걸린", "도시에 묻힌",   "숲이 감춘",   "빗속에 묻힌", "눈 속에 잠든", "꽃잎에 남은",
    "열쇠가 여는", "책장 사이의",   "자정에 멈춘", "산이 품은",	  "먼 행성의",
};

static const char *const motif_en[OFFLINE_N_MOTIFS] = {
    "under the moon",	     "written in the stars", "the sea swallowed",     "in the letter",
    "in the drawer",	     "only the cat knows",   "at the sword's edge",   "buried in the city",
    "the forest keeps",	     "lost in the rain",     "asleep under the snow", "left on a petal",
    "behind a locked door",  "between the pages",    "behind the clock",      "the mountains keep",
    "from a distant planet",
};

/*
 * Per genre (the order of aigen_genres()): the phrase before (Korean) or after
 * (English) the tension word when the text has no motif to offer, its tension
 * when the text has none, and its line with a name ("%N" the name, "%P" 은/는
 * after it) and without one.
 */
static const struct {
	const char *ko_phrase, *en_phrase;
	int tension;
	const char *ko_name, *ko_plain, *en_name, *en_plain;
} lines[OFFLINE_N_GENRES] = {
    {"잊힌", "long forgotten", 6, "%N의 여정이 시작된다.", "잠들었던 세계가 깨어난다.",
     "%N's journey begins.", "A sleeping world awakens."},
    {"게이트 너머의", "beyond the gate", 0, "평범했던 %N의 하루가 무너진다.",
     "평범했던 하루가 무너진다.", "%N's ordinary life is over.", "Ordinary life is over."},
    {"강호에 묻힌", "buried in the jianghu", 5, "%N의 검은 어디를 향할까?", "강호에 피바람이 분다.",
     "Where will %N's blade point?", "Blood is on the wind."},
    {"뜻밖의", "no one saw coming", 10, "%N의 마음은 어디로 향할까?",
     "두 사람의 마음은 어디로 향할까?", "Where will %N's heart lead?",
     "Where will two hearts lead?"},
    {"원작에 없던", "the story never told", 1, "%N%P 정해진 결말을 바꿀 수 있을까?",
     "정해진 결말은 바뀔 수 있을까?", "Can %N rewrite the ending?", "Can the ending be rewritten?"},
    {"아무도 모르는", "no one knew", 0, "%N%P 그날의 일을 밝혀낼 수 있을까?",
     "그날 밤, 무슨 일이 있었던 걸까?", "Can %N find out what really happened?",
     "What really happened that night?"},
    {"먼 궤도에서 온", "from a distant orbit", 1, "%N%P 집으로 돌아갈 수 있을까?",
     "인류에게 남은 시간은 얼마일까?", "Can %N make it home?",
     "How much time does humanity have left?"},
    {"오래 묻어 둔", "kept too long", 7, "%N%P 끝내 그것을 마주할 수 있을까?",
     "우리는 끝내 그것을 마주할 수 있을까?", "Can %N finally face it?",
     "Some things will not stay buried."},
    {"끝나지 않은", "that never ended", 4, "그날 밤, %N%P 혼자가 아니었다.",
     "그날 밤, 문은 안에서 잠겨 있었다.", "That night, %N was not alone.",
     "That night, the door was locked from the inside."},
    {"방과 후의", "after school", 0, "%N의 평범한 학교생활은 오늘로 끝났다!",
     "평범한 학교생활은 오늘로 끝났다!", "%N's ordinary school life ends today!",
     "Ordinary school life ends today!"},
};

/* Appends line with %N replaced by the name and %P by the particle 은/는 that follows it. */
static void put_line(strbuf *b, const char *line, const char *name)
{
	for (const char *p = line; *p; p++) {
		if (p[0] == '%' && p[1] == 'N') {
			strbuf_str(b, name);
			p++;
		} else if (p[0] == '%' && p[1] == 'P') {
			offline_buf_particle(b, name, "은", "는");
			p++;
		} else {
			strbuf_add(b, p, 1);
		}
	}
}

void offline_build_tagline(strbuf *b, const doc *d, int64_t variant)
{
	int g = d->genre;
	/* another variant takes the text's next motif, and the next tension word */
	int pick = d->nmotifs > 0 ? d->motifs[(size_t)(variant % d->nmotifs)] : -1;
	/* a motif the text mentions once is no stake */
	int motif = pick >= 0 && d->lex.motif[pick] >= 2 ? pick : -1;
	int tension = (int)(((d->tension >= 0 ? d->tension : lines[g].tension) + variant) %
			    OFFLINE_N_TENSION);
	const char *name = d->name_len ? d->name : NULL;

	if (d->korean) {
		const char *line = name ? lines[g].ko_name : lines[g].ko_plain;

		/* a line with its own comma gets a full stop before it */
		strbuf_fmt(b, "%s %s%s ", motif < 0 ? lines[g].ko_phrase : motif_ko[motif],
			   offline_tension_word(tension, 1), strchr(line, ',') ? "." : ",");
		put_line(b, line, name);
		return;
	}
	strbuf_fmt(b, "The %s %s. ", offline_tension_word(tension, 0),
		   motif < 0 ? lines[g].en_phrase : motif_en[motif]);
	put_line(b, name ? lines[g].en_name : lines[g].en_plain, name);
}
