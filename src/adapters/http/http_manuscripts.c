/* Routes of the manuscripts (books core): drafts, revisions, submission. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static manuscripts_service *manuscripts(http_req *r)
{
	return r->svc->manuscripts;
}

static int is_author(const http_req *r)
{
	return (r->me.roles & MEMBER_ROLE_AUTHOR) != 0;
}

static cJSON *manuscript_json(const manuscript *m, int with_content)
{
	cJSON *o = cJSON_CreateObject();

	http_add_int(o, "id", m->id);
	http_add_int(o, "authorId", m->author_id);
	cJSON_AddStringToObject(o, "title", m->title);
	if (with_content)
		cJSON_AddStringToObject(o, "content", m->content ? m->content : "");
	http_add_int(o, "revision", m->revision);
	cJSON_AddStringToObject(o, "status", manuscript_status_name(m->status));
	http_add_id_or_null(o, "bookId", m->book_id);
	cJSON_AddBoolToObject(o, "serial", m->serial);
	http_add_id_or_null(o, "episode", m->episode_number);
	http_add_time(o, "publishAt", m->publish_at);
	if (m->error)
		cJSON_AddStringToObject(o, "error", m->error);
	else
		cJSON_AddNullToObject(o, "error");
	http_add_time(o, "createdAt", m->created_at);
	http_add_time(o, "updatedAt", m->updated_at);
	return o;
}

/* Answers {manuscript} with its content and disposes m. */
static void send_manuscript(http_req *r, int status, manuscript *m)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "manuscript", manuscript_json(m, 1));
	manuscript_dispose(m);
	http_send_json(r, status, o, NULL);
}

static const http_field manuscript_body[] = {
    {"title", HTTP_FIELD_STR, 1},
    {"content", HTTP_FIELD_STR, 1},
    {"serial", HTTP_FIELD_BOOL, 0},
    {"bookId", HTTP_FIELD_INT, 0},
    {NULL, 0, 0},
};

/* ROUTE_AUTHOR has refused a non-author (not_author) before the body was read. */
static void create(http_req *r)
{
	const http_value *content = http_arg(r, "content");
	manuscripts_new req = {
	    .author_id = r->me.id,
	    .is_author = is_author(r),
	    .title = http_arg_str(r, "title"),
	    .content = content->s,
	    .content_len = content->len,
	    .serial = http_arg(r, "serial")->b,
	    .book_id = http_arg(r, "bookId")->i,
	};
	manuscript m;
	app_err err;

	app_err_clear(&err);
	if (manuscripts_start(&m, manuscripts(r), &req, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_manuscript(r, 201, &m);
}

static int list_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
		      size_t limit, app_err *err)
{
	return manuscripts_list(rows, n, next, manuscripts(r), r->me.id, is_author(r), cursor,
				limit, err);
}

static cJSON *list_item(http_req *r, const void *row)
{
	(void)r;
	return manuscript_json(row, 0);
}

static void list_dispose(void *row)
{
	manuscript_dispose(row);
}

static void list(http_req *r)
{
	static const http_page page = {.row_size = sizeof(manuscript),
				       .fetch = list_fetch,
				       .item = list_item,
				       .dispose = list_dispose};

	http_send_page(r, &page);
}

static void get(http_req *r)
{
	manuscript m;
	app_err err;

	app_err_clear(&err);
	if (manuscripts_get(&m, manuscripts(r), r->me.id, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	send_manuscript(r, 200, &m);
}

static const http_field save_body[] = {
    {"title", HTTP_FIELD_STR, 1},
    {"content", HTTP_FIELD_STR, 1},
    {"revision", HTTP_FIELD_INT, 1},
    {NULL, 0, 0},
};

/* Before an 8 MiB body is read: someone else's manuscript is a 404, as it is to GET. */
static int save_allowed(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (manuscripts_check_owner(manuscripts(r), r->me.id, r->params[0], &err) == 0)
		return 0;
	http_send_error(r, &err);
	return -1;
}

static void save(http_req *r)
{
	const http_value *content = http_arg(r, "content");
	manuscript m;
	app_err err;

	app_err_clear(&err);
	if (manuscripts_save(&m, manuscripts(r), r->me.id, r->params[0], http_arg_str(r, "title"),
			     content->s, content->len, http_arg(r, "revision")->i, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_manuscript(r, 200, &m);
}

static void delete (http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (manuscripts_delete(manuscripts(r), r->me.id, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	http_send_empty(r, 204, NULL);
}

/* {publishAt?}: a body is optional (an empty one is no schedule). */
static const http_field submit_body[] = {
    {"publishAt", HTTP_FIELD_STR, 0},
    {NULL, 0, 0},
};

static void submit(http_req *r)
{
	const char *text = http_arg_str(r, "publishAt");
	int64_t at = 0;
	manuscript m;
	app_err err;
	int rc = 0;

	app_err_clear(&err);
	if (text && http_parse_time(&at, text))
		rc = app_err_set(&err, APP_EINVALID, "validation_failed", "publishAt",
				 "publishAt must be an RFC 3339 time");
	if (rc || manuscripts_submit_at(&m, manuscripts(r), r->me.id, r->params[0], at, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_manuscript(r, 202, &m);
}

static void retry(http_req *r)
{
	manuscript m;
	app_err err;

	app_err_clear(&err);
	if (manuscripts_retry(&m, manuscripts(r), r->me.id, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	send_manuscript(r, 202, &m);
}

static int revisions_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
			   size_t limit, app_err *err)
{
	return manuscripts_revisions(rows, n, next, manuscripts(r), r->me.id, r->params[0], cursor,
				     limit, err);
}

static cJSON *revisions_item(http_req *r, const void *row)
{
	const manuscript_revision *v = row;
	cJSON *o = cJSON_CreateObject();

	(void)r;
	http_add_int(o, "revision", v->revision);
	cJSON_AddStringToObject(o, "title", v->title);
	http_add_time(o, "savedAt", v->saved_at);
	http_add_int(o, "chars", v->chars);
	return o;
}

static void revisions_dispose(void *row)
{
	manuscript_revision_dispose(row);
}

static void revisions(http_req *r)
{
	static const http_page page = {.row_size = sizeof(manuscript_revision),
				       .fetch = revisions_fetch,
				       .item = revisions_item,
				       .dispose = revisions_dispose};

	http_send_page(r, &page);
}

static void revision(http_req *r)
{
	manuscript_revision rev;
	cJSON *o;
	app_err err;

	app_err_clear(&err);
	if (manuscripts_revision(&rev, manuscripts(r), r->me.id, r->params[0], r->params[1],
				 &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	http_add_int(o, "revision", rev.revision);
	cJSON_AddStringToObject(o, "title", rev.title);
	cJSON_AddStringToObject(o, "content", rev.content ? rev.content : "");
	http_add_time(o, "savedAt", rev.saved_at);
	manuscript_revision_dispose(&rev);
	http_send_json(r, 200, o, NULL);
}

const http_route http_manuscript_routes[] = {
    {"POST", "/api/manuscripts", create, ROUTE_AUTHOR | ROUTE_LARGE_BODY, manuscript_body, NULL},
    {"GET", "/api/manuscripts", list, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/manuscripts/{id}", get, ROUTE_MEMBER, NULL, NULL},
    {"PUT", "/api/manuscripts/{id}", save, ROUTE_MEMBER | ROUTE_LARGE_BODY, save_body,
     save_allowed},
    {"DELETE", "/api/manuscripts/{id}", delete, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/manuscripts/{id}/submit", submit, ROUTE_MEMBER, submit_body, NULL},
    {"POST", "/api/manuscripts/{id}/retry", retry, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/manuscripts/{id}/revisions", revisions, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/manuscripts/{id}/revisions/{revision}", revision, ROUTE_MEMBER, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
