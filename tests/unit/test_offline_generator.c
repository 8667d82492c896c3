/* The offline text generator: blurb, tagline, genre and motifs, the price and its basis. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/llm_offline/llm_offline.h"
#include "domain/aigen/aigen.h"
#include "domain/common/strbuf.h"
#include "domain/common/text.h"

static const char ko_text[] =
    "1화\n"
    "\n"
    "민준은 매일 아침 낡은 서재까지 걸어갔다. 서재의 문은 언제나 조금 열려 있었다.\n"
    "그날도 민준은 서재의 가장 안쪽 책장 앞에 섰다. 먼지 쌓인 책장에는 이름 없는 책 한 권이 "
    "꽂혀 있었다.\n"
    "\"누가 여기 둔 거지?\"\n"
    "민준은 책을 펼쳤다. 책의 첫 장에는 민준의 이름이 적혀 있었다! 그는 숨을 멈추고 책장을 "
    "넘겼다.\n"
    "\n"
    "책 속의 문장들은 민준이 걸어온 길을 그대로 따라가고 있었다. 어제 서재로 걸어가던 민준의 "
    "발걸음까지 적혀 있었다.\n"
    "그렇다면 내일은? 민준은 마지막 장을 펼칠 용기가 나지 않았다.\n"
    "밤이 되자 서재의 창밖으로 비가 내렸다. 민준은 책을 품에 안고 집으로 돌아왔다.\n";

static const char en_text[] =
    "Chapter One\n"
    "\n"
    "Mara walked to the old library every morning before the city woke. The library door "
    "was always a little open, as if someone expected her.\n"
    "On the last shelf of the library she found a book with no title. Its first page "
    "carried her own name, written in faded ink.\n"
    "\"Who left this here?\" she whispered.\n"
    "The book described every road Mara had walked, even the road she had taken to the "
    "library that very morning. She did not dare to read the last page.\n"
    "\n"
    "That night the rain came down on the library windows. Mara carried the book home and "
    "kept it under her pillow, afraid of what the next page would say.\n";

static void generate_variant(aigen_draft *d, const char *title, const char *pen,
			     const char *content, size_t len, int64_t variant)
{
	text_generator g = offline_text_generator_new();
	aigen_text_request req = {0};
	app_err err;

	req.variant = variant;
	req.title = title;
	req.pen_name = pen;
	req.content = content;
	req.content_len = len;
	req.price_min = 1000;
	req.price_max = 50000;
	memset(d, 0, sizeof(*d));
	app_err_clear(&err);
	assert_int_equal(text_generator_generate(d, &g, &req, &err), 0);
	g.vtbl->destroy(g.self);
}

static void generate(aigen_draft *d, const char *title, const char *pen, const char *content,
		     size_t len)
{
	generate_variant(d, title, pen, content, len, 0);
}

static int is_term(const char *p)
{
	return *p == '.' || *p == '!' || *p == '?' ||
	       strncmp(p, "\xE3\x80\x82", 3) == 0; /* U+3002 */
}

/*
 * Splits a summary back into its sentences (a terminator and any closing
 * quote, then a space or the end), checks each is a sentence of the source,
 * and returns how many there are.
 */
static int count_source_sentences(const char *summary, const char *source)
{
	const char *p = summary, *start = summary;
	int n = 0;
	char piece[1024];

	while (*p) {
		if (is_term(p)) {
			const char *q = p + (strncmp(p, "\xE3\x80\x82", 3) == 0 ? 3 : 1);

			while (*q == '"' || *q == '\'' || is_term(q))
				q++;
			if (*q == ' ' || *q == '\0') {
				size_t len = (size_t)(q - start);

				assert_true(len < sizeof(piece));
				memcpy(piece, start, len);
				piece[len] = '\0';
				/* every piece must be a sentence that is in the source */
				if (!strstr(source, piece))
					fail_msg("not a source sentence: [%s]", piece);
				n++;
				start = *q ? q + 1 : q;
				p = start;
				continue;
			}
			p = q;
			continue;
		}
		p++;
	}
	/* nothing left over that was not a whole sentence */
	assert_int_equal(*start, '\0');
	return n;
}

static void test_name_is_offline(void **state)
{
	text_generator t = offline_text_generator_new();
	image_generator i = offline_image_generator_new();

	(void)state;
	assert_string_equal(text_generator_name(&t), "offline");
	assert_string_equal(image_generator_name(&i), "offline");
	t.vtbl->destroy(t.self);
	i.vtbl->destroy(i.self);
}

static void test_korean_summary_sentences(void **state)
{
	aigen_draft d;
	int n;

	(void)state;
	generate(&d, "걷다가 만난 책", "산책자", ko_text, strlen(ko_text));
	n = count_source_sentences(d.summary, ko_text);
	assert_true(n >= 2 && n <= 3);
	assert_true(text_utf8_chars(d.summary, strlen(d.summary)) <= OFFLINE_SUMMARY_MAX);
	/* the chapter heading and the dialogue line are not summary material */
	assert_null(strstr(d.summary, "1화"));
	assert_null(strstr(d.summary, "누가 여기"));
	/* the opening sentence of the story is favoured */
	assert_non_null(strstr(d.summary, "민준은 매일 아침 낡은 서재까지 걸어갔다."));
	/* everything the generator returns passes the core's validation */
	assert_int_equal(aigen_draft_validate(&d, NULL), 0);
	assert_true(text_utf8_chars(d.tagline, strlen(d.tagline)) <= AIGEN_TAGLINE_MAX);
	/* the frequent terms reach the cover prompt (particles stripped) */
	assert_non_null(strstr(d.cover_prompt, "걷다가 만난 책"));
	assert_non_null(strstr(d.cover_prompt, "서재"));
	assert_non_null(strstr(d.cover_prompt, "민준"));
	assert_null(strstr(d.cover_prompt, "서재의"));
	/* Korean text: a Korean reason for readers, from the basis, no formula */
	assert_string_equal(d.price_reason, "약 1분 분량의 엽편");
	assert_string_equal(d.price_basis.code, "length");
	assert_string_equal(d.price_basis.length_class, "flash");
	assert_int_equal(d.price, 1000);
	/* the protagonist is named, the tagline is composed (민준 has a final consonant) */
	assert_non_null(strstr(d.summary, "민준"));
	assert_non_null(strstr(d.tagline, "민준"));
	assert_null(strstr(ko_text, d.tagline));
	aigen_draft_dispose(&d);
}

static void test_english_summary_sentences(void **state)
{
	aigen_draft d;
	int n;

	(void)state;
	generate(&d, "The Walking Library", "A. Walker", en_text, strlen(en_text));
	/* 600 characters: 15 % of them leave room for one sentence */
	n = count_source_sentences(d.summary, en_text);
	assert_int_equal(n, 1);
	assert_true(strlen(d.summary) * 100 <= strlen(en_text) * 15);
	assert_null(strstr(d.summary, "Chapter One"));
	assert_null(strstr(d.summary, "Who left"));
	assert_int_equal(aigen_draft_validate(&d, NULL), 0);
	assert_string_equal(d.price_reason, "A flash story, about a minute's read");
	assert_null(strstr(d.price_reason, "분량"));
	assert_non_null(strstr(d.summary, "Mara"));
	assert_non_null(strstr(d.tagline, "Mara"));
	assert_non_null(strstr(d.cover_prompt, "library"));
	assert_non_null(strstr(d.cover_prompt, "The Walking Library"));
	aigen_draft_dispose(&d);
}

static void test_deterministic(void **state)
{
	aigen_draft a, b;

	(void)state;
	generate(&a, "걷다가 만난 책", "산책자", ko_text, strlen(ko_text));
	generate(&b, "걷다가 만난 책", "산책자", ko_text, strlen(ko_text));
	assert_string_equal(a.summary, b.summary);
	assert_string_equal(a.tagline, b.tagline);
	assert_string_equal(a.price_reason, b.price_reason);
	assert_string_equal(a.cover_prompt, b.cover_prompt);
	assert_int_equal(a.price, b.price);
	assert_int_equal(a.has_price, 1);
	aigen_draft_dispose(&a);
	aigen_draft_dispose(&b);
}

/* A regeneration's variant gives another tagline, the same one for the same variant. */
static void test_tagline_variants(void **state)
{
	const char *texts[] = {ko_text, en_text};
	aigen_draft v[4], again;

	(void)state;
	for (size_t t = 0; t < 2; t++) {
		for (int64_t k = 0; k < 4; k++)
			generate_variant(&v[k], "걷다가 만난 책", "산책자", texts[t],
					 strlen(texts[t]), k);
		for (int i = 0; i < 4; i++)
			for (int k = i + 1; k < 4; k++)
				assert_string_not_equal(v[i].tagline, v[k].tagline);
		generate_variant(&again, "걷다가 만난 책", "산책자", texts[t], strlen(texts[t]), 2);
		assert_string_equal(again.tagline, v[2].tagline);
		/* the rest of the draft does not move with the variant */
		assert_string_equal(again.summary, v[0].summary);
		assert_int_equal(again.price, v[0].price);
		aigen_draft_dispose(&again);
		for (int k = 0; k < 4; k++)
			aigen_draft_dispose(&v[k]);
	}
}

static void test_repeated_text_not_repeated_in_summary(void **state)
{
	size_t kl = strlen(ko_text);
	char *text = malloc(kl * 50 + 1);
	aigen_draft d;
	char head[256];
	const char *dot;
	size_t n;

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < 50; i++)
		memcpy(text + i * kl, ko_text, kl);
	text[kl * 50] = '\0';
	generate(&d, "반복", "작가", text, kl * 50);
	assert_true(count_source_sentences(d.summary, ko_text) >= 2);
	/* no sentence twice: the first sentence of the summary does not recur in it */
	dot = strchr(d.summary, '.');
	assert_non_null(dot);
	n = (size_t)(dot - d.summary) + 1;
	assert_true(n < sizeof(head));
	memcpy(head, d.summary, n);
	head[n] = '\0';
	assert_null(strstr(dot + 1, head));
	/* nor is the tagline one of the summary's sentences */
	assert_null(strstr(d.summary, d.tagline));
	aigen_draft_dispose(&d);
	free(text);
}

static void test_price_formula(void **state)
{
	(void)state;
	assert_int_equal(offline_price_for_chars(0, 1000, 50000), 1000);
	assert_int_equal(offline_price_for_chars(1999, 1000, 50000), 1000);
	assert_int_equal(offline_price_for_chars(2000, 1000, 50000), 1100);
	assert_int_equal(offline_price_for_chars(12000, 1000, 50000), 1600);
	assert_int_equal(offline_price_for_chars(100000, 1000, 50000), 6000);
	assert_int_equal(offline_price_for_chars(2000000, 1000, 50000), 50000);
	assert_int_equal(offline_price_for_chars(SIZE_MAX, 1000, 50000), 50000);
	assert_int_equal(offline_price_for_chars(0, 2000, 3000), 2000);
	assert_int_equal(offline_price_for_chars(0, 0, 500), 500);
}

static void test_price_from_generator(void **state)
{
	/* 12,000 Korean characters: 4 a line of "가나다." + newline is 5 chars */
	size_t lines = 2400;
	char *text = malloc(lines * 11 + 1);
	aigen_draft d;

	(void)state;
	assert_non_null(text);
	for (size_t i = 0; i < lines; i++)
		memcpy(text + i * 11, "가나다.\n", 11);
	text[lines * 11] = '\0';
	generate(&d, "분량", "작가", text, lines * 11);
	assert_int_equal(d.price, 1600);
	/* 12,000 characters at 500 a minute: 24 minutes, shown as 25 */
	assert_int_equal(d.price_basis.minutes, 24);
	assert_string_equal(d.price_reason, "약 25분 분량의 단편");
	assert_int_equal(aigen_draft_validate(&d, NULL), 0);
	aigen_draft_dispose(&d);
	free(text);

	/* English, clamped to the upper bound and saying so */
	{
		text_generator g = offline_text_generator_new();
		aigen_text_request req = {0};
		char *big = malloc(30001);

		assert_non_null(big);
		for (size_t i = 0; i < 30000; i += 10)
			memcpy(big + i, "Word word.", 10);
		big[30000] = '\0';
		req.title = "Big";
		req.pen_name = "Me";
		req.content = big;
		req.content_len = 30000;
		req.price_min = 1000;
		req.price_max = 1200;
		assert_int_equal(text_generator_generate(&d, &g, &req, NULL), 0);
		assert_int_equal(d.price, 1200);
		/* readers see the reading time, never the formula or the bounds */
		assert_string_equal(d.price_reason, "A short story, about a 30-minute read");
		aigen_draft_dispose(&d);
		free(big);
	}
}

static void test_degenerate_content_still_valid(void **state)
{
	const char bad[] = "\xFF\xFE broken \xC3 bytes";
	aigen_draft d;

	(void)state;
	generate(&d, "빈 원고", "작가", "", 0);
	assert_int_equal(aigen_draft_validate(&d, NULL), 0);
	assert_non_null(strstr(d.summary, "빈 원고"));
	aigen_draft_dispose(&d);

	generate(&d, "Broken", "Writer", bad, sizeof(bad) - 1);
	assert_int_equal(aigen_draft_validate(&d, NULL), 0);
	aigen_draft_dispose(&d);

	generate(&d, "Null", NULL, NULL, 0);
	assert_int_equal(aigen_draft_validate(&d, NULL), 0);
	aigen_draft_dispose(&d);
}

/* A text of n numbered sentences made from fmt (one %d), each on its own line. */
static char *numbered(const char *head, const char *fmt, int n)
{
	strbuf b = {0};

	strbuf_str(&b, head);
	for (int i = 1; i <= n; i++) {
		strbuf_fmt(&b, fmt, i);
		strbuf_str(&b, "\n");
	}
	return strbuf_take(&b);
}

static void test_blurb_never_opens_by_referring_back(void **state)
{
	static const char *const ko_refs[] = {"다음 날",   "그러나", "그녀는",
					      "대답 대신", "그래서", "그때"};
	static const char *const en_refs[] = {"The next day", "But",	 "She",
					      "Then",	      "Instead", "So"};
	char *ko = numbered("다음 날 새벽 세 시, 해진은 오래된 편지 묶음을 다시 꺼냈다.\n"
			    "그러나 해진은 첫 번째 봉투를 끝내 뜯지 못했다.\n"
			    "그녀는 창문을 열고 한참 동안 바다를 바라보았다.\n"
			    "대답 대신 해진은 서랍 속의 열쇠를 손에 쥐었다.\n",
			    "해진은 서랍 속 %d번째 편지의 봉투를 천천히 손끝으로 쓸어 보았다.", 30);
	char *en =
	    numbered("The next day Mara opened the drawer of letters again.\n"
		     "But Mara could not bring herself to read the first one.\n"
		     "She stood at the window and watched the grey sea for an hour.\n"
		     "Instead of answering, Mara held the small brass key in her hand.\n",
		     "Mara turned letter number %d over and read the address on its back.", 30);
	aigen_draft d;

	(void)state;
	generate(&d, "서랍", "산책자", ko, strlen(ko));
	for (size_t i = 0; i < sizeof(ko_refs) / sizeof(ko_refs[0]); i++)
		assert_false(strncmp(d.summary, ko_refs[i], strlen(ko_refs[i])) == 0);
	assert_true(strncmp(d.summary, "해진은", strlen("해진은")) == 0);
	aigen_draft_dispose(&d);
	generate(&d, "Drawer", "A. Walker", en, strlen(en));
	for (size_t i = 0; i < sizeof(en_refs) / sizeof(en_refs[0]); i++)
		assert_false(strncmp(d.summary, en_refs[i], strlen(en_refs[i])) == 0);
	assert_true(strncmp(d.summary, "Mara", 4) == 0);
	aigen_draft_dispose(&d);
	free(ko);
	free(en);
}

static void test_protagonist_and_particles(void **state)
{
	char *cat =
	    numbered("", "고양이는 %d번째 골목에서 멈춰 섰고, 사람들은 고양이를 불렀다.", 20);
	char *jiho = numbered(
	    "", "형사 지호는 %d번째 단서를 찾았고, 사건의 범인은 지호를 피해 달아났다.", 20);
	char *soyun = numbered(
	    "", "형사 소윤은 %d번째 단서를 찾았고, 사건의 범인은 소윤을 피해 달아났다.", 20);
	aigen_draft d;

	(void)state;
	/* a common noun with a person's particles is not a protagonist */
	generate(&d, "골목", "산책자", cat, strlen(cat));
	assert_null(strstr(d.tagline, "고양은"));
	assert_null(strstr(d.tagline, "고양이는 끝내"));
	aigen_draft_dispose(&d);
	/* 은 after a final consonant, 는 after a vowel */
	generate(&d, "단서", "산책자", jiho, strlen(jiho));
	assert_string_equal(d.genre, "mystery");
	assert_non_null(strstr(d.tagline, "지호는 그날의 일을 밝혀낼 수 있을까?"));
	aigen_draft_dispose(&d);
	generate(&d, "단서", "산책자", soyun, strlen(soyun));
	assert_non_null(strstr(d.tagline, "소윤은 그날의 일을 밝혀낼 수 있을까?"));
	aigen_draft_dispose(&d);
	free(cat);
	free(jiho);
	free(soyun);
}

static void test_tiny_text_is_not_given_away(void **state)
{
	/* 101 characters: 15 % is no sentence, so the blurb says what the book is */
	static const char tiny[] =
	    "봄밤에 민준은 낡은 서재 앞에 섰다. 문틈으로 오래된 종이 냄새가 흘러나왔다. "
	    "민준은 손잡이를 잡고 한참을 망설였다. 그리고 문을 열었다.";
	aigen_draft d;

	(void)state;
	generate(&d, "봄밤", "산책자", tiny, strlen(tiny));
	assert_string_equal(d.summary,
			    "『봄밤』, 산책자 작가가 걷다가서재에 펴낸 짧은 이야기입니다.");
	assert_null(strstr(tiny, d.tagline));
	assert_int_equal(aigen_draft_validate(&d, NULL), 0);
	aigen_draft_dispose(&d);
}

static void test_genre_and_motifs(void **state)
{
	char *wuxia = numbered(
	    "", "강호의 검객 무진은 %d번째 초식으로 검을 휘둘렀고, 무림의 고수들은 숨을 삼켰다.",
	    12);
	char *sea = numbered(
	    "", "Every morning Nora walked along the sea and counted the waves, number %d.", 12);
	aigen_draft d;

	(void)state;
	generate(&d, "청운검", "산책자", wuxia, strlen(wuxia));
	assert_string_equal(d.genre, "wuxia");
	assert_true(d.nmotifs >= 1);
	assert_string_equal(d.motifs[0], "sword");
	assert_non_null(strstr(d.cover_prompt, "무협"));
	assert_non_null(strstr(d.cover_prompt, "검"));
	assert_non_null(strstr(d.tagline, "칼끝에 걸린"));
	aigen_draft_dispose(&d);
	generate(&d, "Tides", "A. Walker", sea, strlen(sea));
	assert_string_equal(d.motifs[0], "sea");
	assert_string_equal(d.genre, "drama");
	assert_non_null(strstr(d.cover_prompt, "the sea"));
	aigen_draft_dispose(&d);
	free(wuxia);
	free(sea);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_name_is_offline),
	    cmocka_unit_test(test_korean_summary_sentences),
	    cmocka_unit_test(test_english_summary_sentences),
	    cmocka_unit_test(test_deterministic),
	    cmocka_unit_test(test_tagline_variants),
	    cmocka_unit_test(test_repeated_text_not_repeated_in_summary),
	    cmocka_unit_test(test_price_formula),
	    cmocka_unit_test(test_price_from_generator),
	    cmocka_unit_test(test_degenerate_content_still_valid),
	    cmocka_unit_test(test_blurb_never_opens_by_referring_back),
	    cmocka_unit_test(test_protagonist_and_particles),
	    cmocka_unit_test(test_tiny_text_is_not_given_away),
	    cmocka_unit_test(test_genre_and_motifs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
