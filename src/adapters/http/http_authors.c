/* Routes of the authors core: applications, their decision, author profiles. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static authors_service *authors(http_req *r)
{
	return r->svc->authors;
}

static int is_admin(const http_req *r)
{
	return (r->me.roles & MEMBER_ROLE_ADMIN) != 0;
}

static cJSON *application_json(const author_application *a)
{
	cJSON *o = cJSON_CreateObject();

	http_add_int(o, "id", a->id);
	http_add_int(o, "memberId", a->member_id);
	cJSON_AddStringToObject(o, "penName", a->pen_name);
	cJSON_AddStringToObject(o, "bio", a->bio ? a->bio : "");
	cJSON_AddStringToObject(o, "portfolio", a->portfolio ? a->portfolio : "");
	cJSON_AddStringToObject(o, "status", author_app_status_name(a->status));
	if (a->reason)
		cJSON_AddStringToObject(o, "reason", a->reason);
	else
		cJSON_AddNullToObject(o, "reason");
	http_add_time(o, "createdAt", a->created_at);
	http_add_time(o, "decidedAt", a->decided_at);
	return o;
}

/* Answers {application} and disposes a. */
static void send_application(http_req *r, int status, author_application *a)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "application", application_json(a));
	author_application_dispose(a);
	http_send_json(r, status, o, NULL);
}

static const http_field apply_body[] = {
    {"penName", HTTP_FIELD_STR, 1},
    {"bio", HTTP_FIELD_STR, 1},
    {"portfolio", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void apply(http_req *r)
{
	author_application a;
	app_err err;

	app_err_clear(&err);
	if (authors_apply(&a, authors(r), r->me.id, http_arg_str(r, "penName"),
			  http_arg_str(r, "bio"), http_arg_str(r, "portfolio"), &err)) {
		http_send_error(r, &err);
		return;
	}
	send_application(r, 201, &a);
}

static void my_application(http_req *r)
{
	author_application a;
	app_err err;

	app_err_clear(&err);
	if (authors_my_application(&a, authors(r), r->me.id, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_application(r, 200, &a);
}

static int list_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
		      size_t limit, app_err *err)
{
	author_app_status status = 0;
	char word[32];
	int rc;

	if ((rc = http_query_value(word, sizeof(word), r->ri->query_string, "status", err)) < 0)
		return rc;
	if (word[0] && (rc = author_app_status_parse(&status, word, err)))
		return rc;
	return authors_list(rows, n, next, authors(r), is_admin(r), status, cursor, limit, err);
}

static cJSON *list_item(http_req *r, const void *row)
{
	(void)r;
	return application_json(row);
}

static void list_dispose(void *row)
{
	author_application_dispose(row);
}

static void list(http_req *r)
{
	static const http_page page = {.row_size = sizeof(author_application),
				       .fetch = list_fetch,
				       .item = list_item,
				       .dispose = list_dispose};

	http_send_page(r, &page);
}

static void approve(http_req *r)
{
	author_application a;
	app_err err;

	app_err_clear(&err);
	if (authors_approve(&a, authors(r), r->me.id, is_admin(r), r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	send_application(r, 200, &a);
}

static const http_field reject_body[] = {
    {"reason", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void reject(http_req *r)
{
	author_application a;
	app_err err;

	app_err_clear(&err);
	if (authors_reject(&a, authors(r), r->me.id, is_admin(r), r->params[0],
			   http_arg_str(r, "reason"), &err)) {
		http_send_error(r, &err);
		return;
	}
	send_application(r, 200, &a);
}

/* The author's published books, newest first (the newest 100); NULL after an error answer. */
static cJSON *profile_books(http_req *r, int64_t author_id)
{
	book_query q = {.sort = BOOK_SORT_NEW, .author_id = author_id, .limit = 100};
	book *list = calloc(q.limit, sizeof(*list));
	book_cursor next;
	cJSON *items;
	size_t n;
	app_err err;

	app_err_clear(&err);
	if (!list || books_list(list, &n, &next, r->svc->books, &q, &err)) {
		if (!list)
			app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
		free(list);
		http_send_error(r, &err);
		return NULL;
	}
	items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, http_book_json(&list[i], 0));
	free(list);
	return items;
}

static void profile(http_req *r)
{
	author_application a;
	cJSON *o, *books;
	app_err err;

	app_err_clear(&err);
	if (authors_profile(&a, authors(r), r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	http_add_int(o, "id", a.member_id);
	cJSON_AddStringToObject(o, "penName", a.pen_name);
	cJSON_AddStringToObject(o, "bio", a.bio ? a.bio : "");
	books = profile_books(r, a.member_id);
	author_application_dispose(&a);
	if (!books) {
		cJSON_Delete(o);
		return;
	}
	cJSON_AddItemToObject(o, "books", books);
	http_send_json(r, 200, o, NULL);
}

const http_route http_author_routes[] = {
    {"POST", "/api/author-applications", apply, ROUTE_MEMBER, apply_body, NULL},
    {"GET", "/api/me/author-application", my_application, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/admin/author-applications", list, ROUTE_ADMIN, NULL, NULL},
    {"POST", "/api/admin/author-applications/{id}/approve", approve, ROUTE_ADMIN, NULL, NULL},
    {"POST", "/api/admin/author-applications/{id}/reject", reject, ROUTE_ADMIN, reject_body, NULL},
    {"GET", "/api/authors/{memberId}", profile, 0, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
