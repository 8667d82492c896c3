/*
 * The reader's AI rules over a 12-episode test work in which every episode
 * brings in a new character: recaps and answers for readers at every
 * episode cite only what they have read and never name anyone who first
 * appears later; questions about later characters are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "domain/reader/reader_rules.h"

#define N 12
static const char *const NAMES[N] = {"해진", "도윤", "서연", "민호", "지우", "하람",
				     "채원", "태오", "소율", "건우", "예린", "무진"};
static char summaries[N][512];
static char texts[N][2048];

static void make_work(void)
{
	for (int i = 0; i < N; i++) {
		const char *prev = NAMES[i > 0 ? i - 1 : 0];

		snprintf(summaries[i], sizeof(summaries[i]),
			 "%s이 달빛 우체국에서 %d번째 편지를 받는다. %s은 %s의 비밀을 알게 된다. "
			 "밤이 깊어 간다.",
			 NAMES[i], i + 1, prev, NAMES[i]);
		snprintf(texts[i], sizeof(texts[i]),
			 "%d화. 비가 내렸다.\n\n"
			 "%s은 처음 보는 얼굴이었다. 우체국 문을 열고 들어온 사람은 %s이었다.\n"
			 "\"편지 왔어요.\" 해진이 말했다.\n"
			 "%s은 창밖을 보았다.\n",
			 i + 1, NAMES[i], NAMES[i], prev);
	}
}

/* The first episode (1-based) whose text names s, or 0. */
static int first_named(const char *s)
{
	for (int i = 0; i < N; i++)
		if (strstr(s, NAMES[i]))
			return i + 1;
	return 0;
}

static void assert_no_later_name(const char *s, int64_t progress)
{
	for (int i = (int)progress; i < N; i++)
		if (strstr(s, NAMES[i])) {
			fprintf(stderr, "at %lld: %s names %s (episode %d)\n", (long long)progress,
				s, NAMES[i], i + 1);
			fail();
		}
}

static void test_recap_due(void **state)
{
	const int64_t day = 24LL * 3600 * 1000, now = 100 * day;

	(void)state;
	assert_false(reader_recap_due(now - day, 5, 6, now));
	assert_true(reader_recap_due(now - 3 * day, 5, 6, now)); /* away three days */
	assert_true(reader_recap_due(now - day, 5, 8, now));	 /* three episodes behind */
	assert_false(reader_recap_due(now - day, 5, 7, now));
}

static void test_offline_recap_reader_at_five(void **state)
{
	reader_summary src[5];
	int64_t read[5] = {1, 2, 3, 4, 5};
	reader_recap r;
	app_err err;

	(void)state;
	make_work();
	for (int i = 0; i < 5; i++)
		src[i] = (reader_summary){.number = i + 1, .summary = summaries[i]};
	reader_recap_offline(&r, src, 5);
	assert_int_equal(r.n, 5);
	for (size_t i = 0; i < r.n; i++) {
		assert_int_equal(r.s[i].episode, (int64_t)i + 1);
		assert_int_equal(first_named(r.s[i].text), (int)i + 1);
		assert_non_null(strstr(summaries[i], r.s[i].text)); /* extractive */
		assert_null(strstr(r.s[i].text, "비밀"));	    /* the first sentence alone */
		assert_no_later_name(r.s[i].text, 5);
	}
	assert_int_equal(reader_recap_check(&r, read, 5, &err), 0);
}

static void test_offline_recap_spreads_over_many(void **state)
{
	reader_summary src[N];
	reader_recap r;

	(void)state;
	make_work();
	for (int i = 0; i < N; i++)
		src[i] = (reader_summary){.number = i + 1, .summary = i == 3 ? "  " : summaries[i]};
	reader_recap_offline(&r, src, N);
	assert_int_equal(r.n, READER_RECAP_SENTENCES);
	assert_int_equal(r.s[0].episode, 1);
	assert_int_equal(r.s[r.n - 1].episode, N);
	for (size_t i = 1; i < r.n; i++) {
		assert_true(r.s[i].episode > r.s[i - 1].episode);
		assert_int_not_equal(r.s[i].episode, 4); /* no summary */
	}
	reader_recap_offline(&r, src, 0);
	assert_int_equal(r.n, 0);
}

static void test_recap_check_refuses(void **state)
{
	int64_t read[3] = {1, 2, 4};
	reader_recap r = {.n = 2};
	app_err err;

	(void)state;
	r.s[0] = (reader_sentence){.episode = 1, .text = "해진이 편지를 받는다."};
	r.s[1] = (reader_sentence){.episode = 4, .text = "민호가 온다."};
	assert_int_equal(reader_recap_check(&r, read, 3, &err), 0);
	r.s[1].episode = 0; /* cites nothing */
	assert_int_equal(reader_recap_check(&r, read, 3, &err), APP_EINVALID);
	r.s[1].episode = 3; /* not read (not owned) */
	assert_int_equal(reader_recap_check(&r, read, 3, &err), APP_EINVALID);
	r.s[1].episode = 5; /* beyond progress */
	assert_int_equal(reader_recap_check(&r, read, 3, &err), APP_EINVALID);
	r.s[1] = (reader_sentence){.episode = 2, .text = ""};
	assert_int_equal(reader_recap_check(&r, read, 3, &err), APP_EINVALID);
	r.n = 0;
	assert_int_equal(reader_recap_check(&r, read, 3, &err), APP_EINVALID);
}

static size_t episodes_at(reader_episode *eps, int64_t progress, unsigned locked_mask)
{
	for (int i = 0; i < N; i++)
		eps[i] = (reader_episode){.number = i + 1,
					  .text = texts[i],
					  .readable = i + 1 <= progress && !(locked_mask >> i & 1)};
	return N;
}

static void test_ask_finds_the_first_mention(void **state)
{
	reader_episode eps[N];
	reader_answer a;
	app_err err;

	(void)state;
	make_work();
	episodes_at(eps, 5, 0);
	assert_int_equal(reader_ask(&a, "해진이 누구였지?", eps, N, &err), 0);
	assert_false(a.refused);
	assert_int_equal(a.n, READER_PASSAGES);
	assert_int_equal(a.p[0].episode, 1);
	for (size_t i = 0; i < a.n; i++) {
		assert_true(a.p[i].episode <= 5);
		assert_non_null(strstr(a.p[i].text, "해진"));
	}
	assert_int_equal(reader_ask(&a, "Who is 민호?", eps, N, &err), 0);
	assert_false(a.refused);
	assert_int_equal(a.p[0].episode, 4);
	assert_int_equal(a.p[0].paragraph, 1);
	assert_string_equal(
	    a.p[0].text, "민호은 처음 보는 얼굴이었다. 우체국 문을 열고 들어온 사람은 민호이었다.");
}

static void test_ask_refuses_what_lies_ahead(void **state)
{
	reader_episode eps[N];
	reader_answer a;
	app_err err;

	(void)state;
	make_work();
	episodes_at(eps, 5, 0);
	assert_int_equal(reader_ask(&a, "태오는 누구야?", eps, N, &err), 0);
	assert_true(a.refused);
	assert_int_equal(a.n, 0);
	assert_int_equal(reader_ask(&a, "해진이랑 무진은 무슨 사이야?", eps, N, &err), 0);
	assert_true(a.refused);	       /* one of the two is still ahead */
	episodes_at(eps, 12, 1u << 7); /* read all, but episode 8 is locked */
	assert_int_equal(reader_ask(&a, "태오는 누구야?", eps, N, &err), 0);
	assert_false(a.refused); /* episode 9 names 태오 too */
	for (size_t i = 0; i < a.n; i++)
		assert_int_not_equal(a.p[i].episode, 8);
	assert_int_equal(reader_ask(&a, "우주선은 어디에 있지?", eps, N, &err), 0);
	assert_false(a.refused);
	assert_int_equal(a.n, 0); /* nowhere in the story: no passage, no refusal */
}

static void test_question_check(void **state)
{
	char long_q[READER_QUESTION_CHARS * 3 + 8];
	app_err err;

	(void)state;
	assert_int_equal(reader_question_check("해진이 누구였지?", &err), 0);
	assert_int_equal(reader_question_check("", &err), APP_EINVALID);
	assert_string_equal(err.field, "question");
	assert_int_equal(reader_question_check("누구였지?", &err), APP_EINVALID);
	assert_int_equal(reader_question_check("who is it?", &err), APP_EINVALID);
	assert_int_equal(reader_question_check("\xff\xfe 해진", &err), APP_EINVALID);
	long_q[0] = '\0';
	for (int i = 0; i <= READER_QUESTION_CHARS; i++)
		strcat(long_q, "가");
	assert_int_equal(reader_question_check(long_q, &err), APP_EINVALID);
}

/* 200 recaps and 200 answers for readers spread over the work, some episodes locked. */
static void test_two_hundred_cite_only_what_was_read(void **state)
{
	reader_summary src[N];
	reader_episode eps[N];
	int64_t read[N];
	char q[128];
	unsigned seed = 12345;
	int recaps = 0, answers = 0, refusals = 0;

	(void)state;
	make_work();
	for (int k = 0; k < 200; k++) {
		int64_t progress = 1 + k % N;
		unsigned locked = (seed = seed * 1103515245u + 12345u) >> 16 & 0x0ff0; /* 5..12 */
		size_t nread = 0;
		reader_recap r;
		reader_answer a;
		app_err err;

		episodes_at(eps, progress, locked);
		for (int i = 0; i < N; i++)
			if (eps[i].readable) {
				read[nread] = i + 1;
				src[nread++] =
				    (reader_summary){.number = i + 1, .summary = summaries[i]};
			}
		reader_recap_offline(&r, src, nread);
		if (nread) {
			assert_int_equal(reader_recap_check(&r, read, nread, &err), 0);
			recaps++;
		}
		for (size_t i = 0; i < r.n; i++)
			assert_no_later_name(r.s[i].text, progress);
		snprintf(q, sizeof(q), "%s이 누구였지?", NAMES[(seed >> 8) % N]);
		assert_int_equal(reader_ask(&a, q, eps, N, &err), 0);
		answers++;
		refusals += a.refused;
		for (size_t i = 0; i < a.n; i++) {
			assert_true(reader_cites_within(&a.p[i].episode, 1, read, nread));
			assert_no_later_name(a.p[i].text, progress);
		}
	}
	assert_int_equal(recaps, 200); /* episodes 1-4 are never locked */
	assert_int_equal(answers, 200);
	assert_true(refusals > 0 && refusals < 200);
}

static void test_spoilers_are_found_in_any_form(void **state)
{
	reader_episode eps[N];

	(void)state;
	make_work();
	episodes_at(eps, 5, 0);
	assert_false(reader_spoils("해진은 우체국 문을 열고 들어왔다.", eps, N));
	assert_false(
	    reader_spoils("지우였다. 새로운 말들이 이어졌다.", eps, N)); /* unknown words */
	assert_true(reader_spoils("들어온 사람은 태오였다.", eps, N));	 /* an ending */
	assert_true(reader_spoils("무진, 그리고 해진.", eps, N));
	assert_true(reader_spoils("\"태오\"", eps, N));
	episodes_at(eps, 12, 0);
	assert_false(reader_spoils("들어온 사람은 태오였다.", eps, N));
	assert_false(reader_spoils("", eps, N));
}

static void test_reply_judge(void **state)
{
	const int64_t read[] = {1, 2, 3, 4, 5}, passages[] = {1, 3};
	reader_episode eps[N];
	story_model_sentence s[READER_RECAP_SENTENCES + 1];
	story_model_reply r = {s, 1};
	reader_grounds g = {READER_RECAP_SENTENCES, read, 5, NULL, 0, eps, N};

	(void)state;
	make_work();
	episodes_at(eps, 5, 0);
	s[0] = (story_model_sentence){"해진이 편지를 받았다.", 1};
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_OK);
	s[0].episode = 0;
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_UNCITED);
	assert_string_equal(reader_verdict_code(READER_MODEL_UNCITED), "no_citation");
	s[0].episode = 6;
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_UNREAD);
	s[0].episode = 4;
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_OK);
	g.cited_ok = passages;
	g.ncited_ok = 2;
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_UNGROUNDED);
	s[0] = (story_model_sentence){"태오를 만났다.", 3};
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_SPOILER);
	s[0].text = NULL;
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_MALFORMED);
	r.n = 0;
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_MALFORMED);
	for (size_t i = 0; i < READER_RECAP_SENTENCES + 1; i++)
		s[i] = (story_model_sentence){"해진이 편지를 받았다.", 1};
	g.cited_ok = NULL;
	r.n = READER_RECAP_SENTENCES;
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_OK);
	r.n = READER_RECAP_SENTENCES + 1;
	assert_int_equal(reader_reply_judge(&r, &g), READER_MODEL_MALFORMED);
	assert_null(reader_verdict_code(READER_MODEL_OK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recap_due),
	    cmocka_unit_test(test_offline_recap_reader_at_five),
	    cmocka_unit_test(test_offline_recap_spreads_over_many),
	    cmocka_unit_test(test_recap_check_refuses),
	    cmocka_unit_test(test_ask_finds_the_first_mention),
	    cmocka_unit_test(test_ask_refuses_what_lies_ahead),
	    cmocka_unit_test(test_question_check),
	    cmocka_unit_test(test_two_hundred_cite_only_what_was_read),
	    cmocka_unit_test(test_spoilers_are_found_in_any_form),
	    cmocka_unit_test(test_reply_judge),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
