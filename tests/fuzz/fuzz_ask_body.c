/*
 * The ask body and what it drives: the JSON body's "question", the question
 * check, retrieval over a 12-episode work of which the reader may read 1-5
 * (and 9, bought; 8 is not), and the spoiler check of a model's sentence, on
 * arbitrary bytes (a body, or the question itself). Whatever comes in,
 * nothing may crash or leak; a refusal carries no passage; every passage
 * comes from a readable episode, is valid UTF-8 and is that episode's text;
 * retrieval refuses a question exactly when the check does.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http_internal.h"
#include "domain/common/text.h"
#include "domain/reader/reader_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N 12
static const char *const NAMES[N] = {"해진", "도윤", "서연", "민호", "지우", "하람",
				     "채원", "태오", "소율", "건우", "예린", "Mujin"};
static char texts[N][512];
static reader_episode eps[N];

static void make_work(void)
{
	if (eps[0].number)
		return;
	for (int i = 0; i < N; i++) {
		snprintf(texts[i], sizeof(texts[i]),
			 "%d화. 비가 내렸다.\n\n%s은 처음 보는 얼굴이었다. \"편지 왔어요.\"\n"
			 "  %s met the postman at the door…  \n",
			 i + 1, NAMES[i], NAMES[i]);
		eps[i] = (reader_episode){
		    .number = i + 1, .text = texts[i], .readable = i < 5 || i == 8};
	}
}

/* A passage is the start of one of its episode's paragraphs (or all of it), never another's. */
static void check_passage(const reader_passage *p)
{
	size_t n = strlen(p->text);

	if (p->episode < 1 || p->episode > N || !eps[p->episode - 1].readable)
		abort();
	if (!text_utf8_valid(p->text, n) || n >= READER_PASSAGE_BYTES)
		abort();
	if (n >= 3 && memcmp(p->text + n - 3, "\xe2\x80\xa6", 3) == 0 &&
	    !strstr(eps[p->episode - 1].text, p->text))
		n -= 3; /* cut: its start is the text */
	if (n && !memmem(eps[p->episode - 1].text, strlen(eps[p->episode - 1].text), p->text, n))
		abort();
}

static void ask(const char *q)
{
	reader_answer a;
	story_model_sentence s = {(char *)q, 1};
	story_model_reply r = {&s, 1};
	const int64_t read[] = {1, 2, 3, 4, 5, 9};
	reader_grounds g = {READER_ANSWER_SENTENCES, read, 6, NULL, 0, eps, N};
	app_err err, err2;
	int rc = reader_ask(&a, q, eps, N, &err);

	if ((rc != 0) != (reader_question_check(q, &err2) != 0))
		abort();
	if (rc) {
		if (rc != APP_EINVALID || strcmp(err.field, "question") != 0)
			abort();
		return;
	}
	if (a.n > READER_PASSAGES || (a.refused && a.n))
		abort();
	for (size_t i = 0; i < a.n; i++)
		check_passage(&a.p[i]);
	if (text_utf8_valid(q, strlen(q)) && reader_reply_judge(&r, &g) > READER_MODEL_LIMITED)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *raw = malloc(size + 1);
	const char *q = NULL;
	cJSON *o = NULL;
	app_err err;

	make_work();
	memcpy(raw, data, size);
	raw[size] = '\0';
	app_err_clear(&err);
	if (size && data[0] == '{') {
		if (http_json_parse(&o, raw, size, &err) == 0 &&
		    http_field_string(&q, o, "question", 1, &err) == 0) {
			if (!q || !text_utf8_valid(q, strlen(q)))
				abort();
			ask(q);
		}
		cJSON_Delete(o);
	} else {
		ask(raw);
	}
	free(raw);
	return 0;
}
