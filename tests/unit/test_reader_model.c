/*
 * The reader core with a model (a scripted fake) over a 12-episode work on
 * fakes in which every episode brings in a new character: the model's recap
 * or answer is shown only when every sentence cites an episode the reader
 * read (an answer: one of its passages) and names no one met later;
 * otherwise the offline result is, saying why. The prompts never hold a
 * word of what the reader has not read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/reader/reader.h"
#include "fakes/fake_books_world.h"
#include "fakes/fake_story_model.h"

#define N 12
static const char *const NAMES[N] = {"해진", "도윤", "서연", "민호", "지우", "하람",
				     "채원", "태오", "소율", "건우", "예린", "무진"};

typedef struct rig {
	books_world *w;
	fake_story_model model;
	reader_service reader;
	book b;
	books_reader who; /* at episode 5 */
	char summary[N][256], text[N][512];
} rig;

static member new_member(rig *r, const char *email)
{
	char token[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	assert_int_equal(
	    members_signup(&m, token, &r->w->m->svc, email, "password1", "M", NULL, &err), 0);
	return m;
}

static void publish(rig *r, int64_t author)
{
	static const unsigned char svg[] = "<svg/>";
	books_publish_req req = {
	    .manuscript_id = 1,
	    .author_id = author,
	    .title = "달빛 우체국의 밤",
	    .author_name = "달빛작가",
	    .content = r->text[0],
	    .content_len = strlen(r->text[0]),
	    .summary = r->summary[0],
	    .tagline = "한 줄",
	    .price_reason = "회차",
	    .price = 300,
	    .cover = svg,
	    .cover_len = sizeof(svg) - 1,
	    .cover_mime = "image/svg+xml",
	    .gen_summary = "offline",
	    .gen_price = "offline",
	    .gen_cover = "offline",
	    .serial = 1,
	    .genre = "fantasy",
	};
	books_reader as_author = {.member_id = author};
	books_patch p = {.fields = BOOK_FIELD_FREE_EPISODES, .free_episodes = N};
	uow_tx *tx;
	app_err err;

	assert_int_equal(books_publish(&r->b, &r->w->svc, &req, &err), 0);
	for (int k = 2; k <= N; k++) {
		books_episode_req e = {.manuscript_id = k,
				       .author_id = author,
				       .book_id = r->b.id,
				       .number = k,
				       .title = "다음 화",
				       .content = r->text[k - 1],
				       .content_len = strlen(r->text[k - 1]),
				       .summary = r->summary[k - 1],
				       .gen_summary = "offline"};

		assert_int_equal(uow_begin(&tx, &r->w->svc.d.uow, &err), 0);
		assert_int_equal(books_publish_episode_in(NULL, &r->w->svc, tx, &e, &err), 0);
		assert_int_equal(uow_commit(tx, &err), 0);
	}
	assert_int_equal(books_update(&r->b, &r->w->svc, &as_author, r->b.id, &p, &err), 0);
}

static void read_to(rig *r, const books_reader *who, int64_t n)
{
	reading_progress p;
	app_err err;

	assert_int_equal(books_progress_put(&p, &r->w->svc, who, r->b.id, n, 0, 100, &err), 0);
}

static int setup(void **state)
{
	rig *r = calloc(1, sizeof(*r));
	books_config cfg = books_config_default();
	reader_config rc = {.ask_limit = 1000};

	for (int i = 0; i < N; i++) {
		snprintf(r->summary[i], sizeof(r->summary[i]),
			 "%s이 달빛 우체국에서 %d번째 편지를 받는다. 밤이 깊어 간다.", NAMES[i],
			 i + 1);
		snprintf(r->text[i], sizeof(r->text[i]),
			 "%d화가 시작되었다.\n우체국 문을 열고 들어온 사람은 %s이었다.\n"
			 "%s은 봉투를 주머니에 넣었다.\n",
			 i + 1, NAMES[i], NAMES[i]);
	}
	r->w = books_world_new(&cfg);
	publish(r, new_member(r, "author@example.com").id);
	r->who = (books_reader){.member_id = new_member(r, "reader@example.com").id};
	read_to(r, &r->who, 5);
	reader_deps d = {
	    .books = &r->w->svc,
	    .episodes = fake_episode_repo(&r->w->books),
	    .limiter = fake_limiter_port(&r->w->m->limiter),
	    .clock = fake_clock_port(&r->w->m->clock),
	    .model = fake_story_model_port(&r->model),
	};
	reader_service_init(&r->reader, &d, &rc);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	rig *r = *state;

	fake_story_model_dispose(&r->model);
	books_world_free(r->w);
	free(r);
	return 0;
}

/* No name of an episode after upto in s. */
static void assert_no_later_name(const char *s, int64_t upto)
{
	for (int64_t i = upto; i < N; i++)
		if (strstr(s, NAMES[i]))
			fail_msg("\"%s\" names %s of episode %lld", s, NAMES[i], (long long)i + 1);
}

static reader_recap_view recap(rig *r, const books_reader *who)
{
	reader_recap_view v;
	app_err err;

	assert_int_equal(reader_service_recap(&v, &r->reader, who, r->b.id, &err), 0);
	return v;
}

static void assert_offline_recap(const reader_recap_view *v, const char *why)
{
	assert_string_equal(v->made_by, "offline");
	assert_non_null(v->fallback);
	assert_string_equal(v->fallback, why);
	assert_true(v->recap.n > 0);
	for (size_t i = 0; i < v->recap.n; i++) {
		assert_true(v->recap.s[i].episode >= 1 && v->recap.s[i].episode <= 5);
		assert_no_later_name(v->recap.s[i].text, 5);
	}
}

static void test_a_citing_recap_is_the_models(void **state)
{
	rig *r = *state;
	const fake_story_line say[] = {
	    {"해진이 달빛 우체국에서 첫 편지를 받았다.", 1},
	    {"지우가 다섯 번째 편지를 받았다.", 5},
	};
	reader_recap_view v;

	fake_story_model_say(&r->model, say, 2);
	v = recap(r, &r->who);
	assert_null(v.fallback);
	assert_string_equal(v.made_by, "fake-model");
	assert_int_equal(v.recap.n, 2);
	assert_string_equal(v.recap.s[0].text, say[0].text);
	assert_int_equal(v.recap.s[1].episode, 5);
	/* the prompt: the five read summaries, nothing of episodes 6-12 */
	assert_non_null(strstr(r->model.last_user, "Episode 5: 지우이"));
	assert_null(strstr(r->model.last_user, "Episode 6"));
	assert_no_later_name(r->model.last_user, 5);
	assert_no_later_name(r->model.last_system, 5);
}

static void test_a_bad_recap_gives_the_offline_one(void **state)
{
	rig *r = *state;
	const struct {
		fake_story_line line;
		const char *why;
	} cases[] = {
	    {{"해진이 편지를 받았다.", 0}, "no_citation"},
	    {{"해진이 편지를 받았다.", 7}, "unread_citation"},
	    {{"해진이 편지를 받았다.", -3}, "no_citation"},
	    {{"태오가 우체국 문을 열고 들어왔다.", 3}, "spoiler"}, /* 태오 comes in episode 8 */
	    {{"   ", 2}, "malformed"},
	    {{NULL, 2}, "malformed"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const fake_story_line say[] = {{"서연이 편지를 받았다.", 3}, cases[i].line};
		reader_recap_view v;

		fake_story_model_say(&r->model, say, 2);
		v = recap(r, &r->who);
		assert_offline_recap(&v, cases[i].why);
	}
	fake_story_line seven[7];
	for (int i = 0; i < 7; i++)
		seven[i] = (fake_story_line){"해진이 편지를 받았다.", 1};
	fake_story_model_say(&r->model, seven, 7);
	reader_recap_view v = recap(r, &r->who);
	assert_offline_recap(&v, "malformed");
}

static void test_a_failing_model_gives_the_offline_recap(void **state)
{
	rig *r = *state;
	reader_recap_view v;

	r->model.fail = APP_EUPSTREAM;
	v = recap(r, &r->who);
	assert_offline_recap(&v, "model_failed");
	r->model.fail = APP_ETIMEOUT;
	v = recap(r, &r->who);
	assert_offline_recap(&v, "model_timeout");
}

static void test_no_reading_no_model(void **state)
{
	rig *r = *state;
	books_reader fresh = {.member_id = new_member(r, "fresh@example.com").id};
	reader_recap_view v = recap(r, &fresh);

	assert_int_equal(v.recap.n, 0);
	assert_null(v.fallback);
	assert_int_equal(r->model.calls, 0);
}

static void test_the_model_is_asked_within_the_limit(void **state)
{
	rig *r = *state;
	reader_config cfg = {.ask_limit = 2};
	const fake_story_line say[] = {{"해진이 편지를 받았다.", 1}};
	reader_recap_view v;

	r->reader.cfg = cfg;
	fake_story_model_say(&r->model, say, 1);
	assert_null(recap(r, &r->who).fallback);
	assert_null(recap(r, &r->who).fallback);
	v = recap(r, &r->who);
	assert_offline_recap(&v, "rate_limited");
	assert_int_equal(r->model.calls, 2);
}

static reader_ask_view ask(rig *r, const char *question)
{
	reader_ask_view v;
	app_err err;

	assert_int_equal(reader_service_ask(&v, &r->reader, &r->who, r->b.id, question, &err), 0);
	return v;
}

static void test_a_grounded_answer_is_the_models(void **state)
{
	rig *r = *state;
	const fake_story_line say[] = {{"해진은 1화에서 우체국 문을 열고 들어온 사람이다.", 1}};
	reader_ask_view v;

	fake_story_model_say(&r->model, say, 1);
	v = ask(r, "해진이 누구였지?");
	assert_null(v.fallback);
	assert_string_equal(v.made_by, "fake-model");
	assert_int_equal(v.nsaid, 1);
	assert_string_equal(v.said[0].text, say[0].text);
	assert_true(v.a.n > 0); /* the passages stay beside the answer */
	assert_non_null(strstr(r->model.last_user, "Question: 해진이 누구였지?"));
	assert_non_null(strstr(r->model.last_user, "[Episode 1]"));
	assert_no_later_name(r->model.last_user, 5);
}

static void test_a_bad_answer_gives_the_passages(void **state)
{
	rig *r = *state;
	const struct {
		fake_story_line line;
		const char *why;
	} cases[] = {
	    {{"해진은 우체국에 온 사람이다.", 0}, "no_citation"},
	    {{"해진은 우체국에 온 사람이다.", 9}, "unread_citation"},
	    {{"해진은 우체국에 온 사람이다.", 4}, "ungrounded"}, /* read, but no passage */
	    {{"해진은 나중에 무진을 만난다.", 1}, "spoiler"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		reader_ask_view v;

		fake_story_model_say(&r->model, &cases[i].line, 1);
		v = ask(r, "해진이 누구였지?");
		assert_string_equal(v.fallback, cases[i].why);
		assert_string_equal(v.made_by, "offline");
		assert_int_equal(v.nsaid, 0);
		assert_true(v.a.n > 0);
		assert_int_equal(v.a.p[0].episode, 1);
	}
	r->model.fail = APP_ETIMEOUT;
	assert_string_equal(ask(r, "해진이 누구였지?").fallback, "model_timeout");
}

static void test_a_refused_question_never_reaches_the_model(void **state)
{
	rig *r = *state;
	reader_ask_view v = ask(r, "태오는 누구야?");

	assert_true(v.a.refused);
	assert_null(v.fallback);
	assert_int_equal(r->model.calls, 0);
}

/*
 * 200 recaps and answers for readers all over the work, the model citing
 * anywhere in 0..12 (and naming anyone): what is shown cites only what the
 * reader read and names no one met later.
 */
static void test_200_replies_cite_only_what_was_read(void **state)
{
	rig *r = *state;
	books_reader readers[N];
	char text[N][128];
	unsigned seed = 17;
	int models = 0, offline = 0;

	for (int i = 0; i < N; i++) {
		char email[48];

		snprintf(email, sizeof(email), "r%d@example.com", i);
		readers[i] = (books_reader){.member_id = new_member(r, email).id};
		read_to(r, &readers[i], i + 1);
	}
	for (int k = 0; k < 100; k++) {
		int progress = k % N + 1, cite, who;
		fake_story_line say[3];
		reader_recap_view v;
		reader_ask_view a;
		app_err err;

		for (int j = 0; j < 3; j++) {
			seed = seed * 1103515245u + 12345u;
			cite = (int)(seed >> 16) % (N + 1);
			who = (int)(seed >> 8) % N;
			snprintf(text[j], sizeof(text[j]), "%s이 편지를 받았다.", NAMES[who]);
			say[j] = (fake_story_line){text[j], cite};
		}
		fake_story_model_say(&r->model, say, 3);
		assert_int_equal(
		    reader_service_recap(&v, &r->reader, &readers[progress - 1], r->b.id, &err), 0);
		*(v.fallback ? &offline : &models) += 1;
		for (size_t i = 0; i < v.recap.n; i++) {
			assert_true(v.recap.s[i].episode >= 1 && v.recap.s[i].episode <= progress);
			assert_no_later_name(v.recap.s[i].text, progress);
		}
		assert_no_later_name(r->model.last_user, progress);
		assert_int_equal(reader_service_ask(&a, &r->reader, &readers[progress - 1], r->b.id,
						    "해진이 누구였지?", &err),
				 0);
		*(a.fallback ? &offline : &models) += 1;
		for (size_t i = 0; i < a.nsaid; i++) {
			assert_true(a.said[i].episode >= 1 && a.said[i].episode <= progress);
			assert_no_later_name(a.said[i].text, progress);
		}
		for (size_t i = 0; i < a.a.n; i++)
			assert_true(a.a.p[i].episode <= progress);
		assert_no_later_name(r->model.last_user, progress);
	}
	/* both ways were taken: the model's words shown and refused */
	assert_true(models > 10 && offline > 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_a_citing_recap_is_the_models, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_bad_recap_gives_the_offline_one, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_a_failing_model_gives_the_offline_recap, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_no_reading_no_model, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_the_model_is_asked_within_the_limit, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_a_grounded_answer_is_the_models, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_bad_answer_gives_the_passages, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_refused_question_never_reaches_the_model, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_200_replies_cite_only_what_was_read, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
