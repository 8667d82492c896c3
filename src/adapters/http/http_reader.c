/* Routes of the reader core: the recap ("지난 이야기") and questions asked of the story. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REFUSED_KO "아직 읽지 않은 회차의 내용입니다"
#define REFUSED_EN "That is in an episode you have not read yet."

/* English when the client prefers it (Accept-Language starting "en"); Korean otherwise. */
static int wants_english(http_req *r)
{
	const char *al = http_header(r, "Accept-Language");

	return al && strncmp(al, "en", 2) == 0;
}

static void add_sentences(cJSON *list, const reader_sentence *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "text", s[i].text);
		http_add_int(o, "episode", s[i].episode);
		cJSON_AddItemToArray(list, o);
	}
}

/* Why the model's words were not used (the offline result is), or null. */
static void add_fallback(cJSON *o, const char *code)
{
	if (code)
		cJSON_AddStringToObject(o, "fallback", code);
	else
		cJSON_AddNullToObject(o, "fallback");
}

/* The model's answer: its sentences as one text and one by one with their episodes. */
static void add_answer(cJSON *o, const reader_ask_view *v)
{
	strbuf b = {0};
	char *text;

	for (size_t i = 0; i < v->nsaid; i++)
		strbuf_fmt(&b, "%s%s", i ? " " : "", v->said[i].text);
	text = v->nsaid ? strbuf_take(&b) : NULL;
	if (text)
		cJSON_AddStringToObject(o, "answer", text);
	else
		cJSON_AddNullToObject(o, "answer"); /* offline: the passages are the answer */
	free(text);
	add_sentences(cJSON_AddArrayToObject(o, "answerSentences"), v->said, v->nsaid);
}

static void recap_get(http_req *r)
{
	books_reader who = http_books_reader(r);
	reader_recap_view v;
	cJSON *o, *list;
	app_err err;

	app_err_clear(&err);
	if (reader_service_recap(&v, r->svc->reader, &who, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(o, "sentences");
	http_add_int(o, "bookId", r->params[0]);
	http_add_int(o, "upTo", v.upto);
	http_add_id_or_null(o, "next", v.next);
	cJSON_AddBoolToObject(o, "due", v.due);
	cJSON_AddStringToObject(o, "generatedBy", v.made_by);
	add_fallback(o, v.fallback);
	add_sentences(list, v.recap.s, v.recap.n);
	http_send_json(r, 200, o, NULL);
}

static const http_field ask_body[] = {
    {"question", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void ask_post(http_req *r)
{
	books_reader who = http_books_reader(r);
	const char *question = http_arg_str(r, "question");
	reader_ask_view v;
	cJSON *o, *list;
	app_err err;

	app_err_clear(&err);
	if (reader_service_ask(&v, r->svc->reader, &who, r->params[0], question, &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "question", question);
	http_add_int(o, "upTo", v.upto);
	cJSON_AddBoolToObject(o, "refused", v.a.refused);
	if (v.a.refused)
		cJSON_AddStringToObject(o, "message", wants_english(r) ? REFUSED_EN : REFUSED_KO);
	else
		cJSON_AddNullToObject(o, "message");
	add_answer(o, &v);
	cJSON_AddStringToObject(o, "generatedBy", v.made_by);
	add_fallback(o, v.fallback);
	list = cJSON_AddArrayToObject(o, "passages");
	for (size_t i = 0; i < v.a.n; i++) {
		cJSON *p = cJSON_CreateObject();

		http_add_int(p, "episode", v.a.p[i].episode);
		http_add_int(p, "paragraph", v.a.p[i].paragraph);
		cJSON_AddStringToObject(p, "text", v.a.p[i].text);
		cJSON_AddItemToArray(list, p);
	}
	http_send_json(r, 200, o, NULL);
}

void http_reader_epub(http_req *r)
{
	books_reader who = http_books_reader(r);
	char headers[160], lang[8];
	void *data = NULL;
	size_t len = 0, episodes = 0;
	app_err err;

	/* the interface's language when the link names it (?lang=ko|en), else the client's */
	if (http_query(lang, sizeof(lang), r, "lang"))
		return;
	if (lang[0] && strcmp(lang, "ko") && strcmp(lang, "en")) {
		http_send_problem(r, 422, "validation_failed", "lang must be ko or en", "lang");
		return;
	}
	if (!lang[0])
		snprintf(lang, sizeof(lang), "%s", wants_english(r) ? "en" : "ko");
	app_err_clear(&err);
	if (reader_service_epub(&data, &len, &episodes, r->svc->reader, &who, r->me.name, lang,
				r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	snprintf(headers, sizeof(headers),
		 "Content-Disposition: attachment; filename=\"walking-library-%lld.epub\"\r\n"
		 "Cache-Control: private, no-store\r\n",
		 (long long)r->params[0]);
	http_send_bytes(r, 200, "application/epub+zip", data, len, headers);
	free(data);
}

const http_route http_reader_routes[] = {
    {"GET", "/api/books/{id}/recap", recap_get, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/books/{id}/ask", ask_post, ROUTE_MEMBER, ask_body, NULL},
    {"GET", "/api/books/{id}/epub", http_reader_epub, ROUTE_MEMBER, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
