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
	for (size_t i = 0; i < v.recap.n; i++) {
		cJSON *s = cJSON_CreateObject();

		cJSON_AddStringToObject(s, "text", v.recap.s[i].text);
		http_add_int(s, "episode", v.recap.s[i].episode);
		cJSON_AddItemToArray(list, s);
	}
	http_send_json(r, 200, o, NULL);
}

static void ask_post(http_req *r)
{
	books_reader who = http_books_reader(r);
	cJSON *body = http_body_object(r), *o, *list;
	const char *question = NULL;
	reader_answer a;
	int64_t upto = 0;
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_string(&question, body, "question", 1, &err) ||
	    reader_service_ask(&a, &upto, r->svc->reader, &who, r->params[0], question, &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "question", question);
	http_add_int(o, "upTo", upto);
	cJSON_AddBoolToObject(o, "refused", a.refused);
	if (a.refused)
		cJSON_AddStringToObject(o, "message", wants_english(r) ? REFUSED_EN : REFUSED_KO);
	else
		cJSON_AddNullToObject(o, "message");
	cJSON_AddNullToObject(o, "answer"); /* offline: the passages are the answer */
	cJSON_AddStringToObject(o, "generatedBy", "offline");
	list = cJSON_AddArrayToObject(o, "passages");
	for (size_t i = 0; i < a.n; i++) {
		cJSON *p = cJSON_CreateObject();

		http_add_int(p, "episode", a.p[i].episode);
		http_add_int(p, "paragraph", a.p[i].paragraph);
		cJSON_AddStringToObject(p, "text", a.p[i].text);
		cJSON_AddItemToArray(list, p);
	}
	http_send_json(r, 200, o, NULL);
}

void http_reader_epub(http_req *r)
{
	books_reader who = http_books_reader(r);
	char headers[160];
	void *data = NULL;
	size_t len = 0, episodes = 0;
	app_err err;

	app_err_clear(&err);
	if (reader_service_epub(&data, &len, &episodes, r->svc->reader, &who, r->me.name,
				wants_english(r) ? "en" : "ko", r->params[0], &err)) {
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
    {"POST", "/api/books/{id}/ask", ask_post, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/books/{id}/epub", http_reader_epub, ROUTE_MEMBER, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
