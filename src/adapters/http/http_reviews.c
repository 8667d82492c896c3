/* Routes of the community core: reviews, reports and their moderation. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static community_service *community(http_req *r)
{
	return r->svc->community;
}

static cJSON *review_json(http_req *r, const review *rv)
{
	cJSON *o = cJSON_CreateObject(), *m = cJSON_CreateObject();

	http_add_int(o, "id", rv->id);
	http_add_int(o, "bookId", rv->book_id);
	http_add_int(m, "id", rv->member_id);
	cJSON_AddStringToObject(m, "name", rv->member_name);
	cJSON_AddItemToObject(o, "member", m);
	http_add_int(o, "rating", rv->rating);
	cJSON_AddStringToObject(o, "text", rv->text);
	cJSON_AddBoolToObject(o, "mine", r->authenticated && r->me.id == rv->member_id);
	http_add_time(o, "createdAt", rv->created_at);
	http_add_time(o, "updatedAt", rv->updated_at);
	return o;
}

static void send_review(http_req *r, int status, const review *rv)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "review", review_json(r, rv));
	http_send_json(r, status, o, NULL);
}

static void review_get(http_req *r)
{
	review rv;
	app_err err;

	app_err_clear(&err);
	if (community_review_own(&rv, community(r), r->me.id, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	send_review(r, 200, &rv);
}

static const http_field review_body[] = {
    {"rating", HTTP_FIELD_INT, 1},
    {"text", HTTP_FIELD_STR, 0},
    {NULL, 0, 0},
};

static void review_put(http_req *r)
{
	int64_t rating = http_arg(r, "rating")->i;
	int created = 0;
	review rv;
	app_err err;

	app_err_clear(&err);
	if (community_review_save(&rv, &created, community(r), r->me.id, r->params[0],
				  rating > 5 || rating < 1 ? 0 : (int)rating,
				  http_arg_str(r, "text"), &err)) {
		http_send_error(r, &err);
		return;
	}
	send_review(r, created ? 201 : 200, &rv);
}

static void review_delete(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (community_review_delete(community(r), r->me.id, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	http_send_empty(r, 204, NULL);
}

static void reviews(http_req *r)
{
	int64_t cursor, next, count, avg;
	review *rows;
	size_t limit, n;
	cJSON *items, *list;
	app_err err;

	if (http_query_limit(&limit, r) || http_query_cursor(&cursor, r, "cursor"))
		return;
	if (!(rows = calloc(limit, sizeof(*rows)))) { /* request threads have small stacks */
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	app_err_clear(&err);
	if (community_reviews(rows, &n, &next, &count, &avg, community(r), r->params[0], cursor,
			      limit, &err)) {
		free(rows);
		http_send_error(r, &err);
		return;
	}
	items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, review_json(r, &rows[i]));
	free(rows);
	list = http_list_next_id(items, next);
	http_add_int(list, "count", count);
	cJSON_AddNumberToObject(list, "average", (double)avg / 100.0);
	http_send_json(r, 200, list, NULL);
}

static const http_field report_body[] = {
    {"reason", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void review_report(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (community_report(community(r), r->me.id, REPORT_REVIEW, r->params[0],
			     http_arg_str(r, "reason"), &err)) {
		http_send_error(r, &err);
		return;
	}
	http_send_empty(r, 204, NULL);
}

static int admin_reports_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
			       size_t limit, app_err *err)
{
	return community_reports(rows, n, next, community(r), cursor, limit, err);
}

static cJSON *admin_reports_item(http_req *r, const void *row)
{
	const report *p = row;
	cJSON *o = cJSON_CreateObject();

	(void)r;
	http_add_int(o, "id", p->id);
	cJSON_AddStringToObject(o, "kind", report_kind_name(p->kind));
	http_add_int(o, "targetId", p->target_id);
	http_add_int(o, "bookId", p->book_id);
	if (p->episode > 0)
		http_add_int(o, "episode", p->episode);
	else
		cJSON_AddNullToObject(o, "episode");
	http_add_int(o, "reporterId", p->reporter_id);
	cJSON_AddStringToObject(o, "reason", p->reason);
	cJSON_AddStringToObject(o, "excerpt", p->excerpt);
	http_add_time(o, "createdAt", p->created_at);
	return o;
}

static void admin_reports(http_req *r)
{
	static const http_page page = {
	    .row_size = sizeof(report), .fetch = admin_reports_fetch, .item = admin_reports_item};

	http_send_page(r, &page);
}

static void moderate(http_req *r, int hidden)
{
	app_err err;

	app_err_clear(&err);
	if (community_review_hide(community(r), r->params[0], hidden, &err)) {
		http_send_error(r, &err);
		return;
	}
	http_send_empty(r, 204, NULL);
}

static void review_hide(http_req *r)
{
	moderate(r, 1);
}

static void review_restore(http_req *r)
{
	moderate(r, 0);
}

static void report_dismiss(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (community_report_dismiss(community(r), r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	http_send_empty(r, 204, NULL);
}

const http_route http_review_routes[] = {
    {"GET", "/api/books/{id}/review", review_get, ROUTE_MEMBER, NULL, NULL},
    {"PUT", "/api/books/{id}/review", review_put, ROUTE_MEMBER, review_body, NULL},
    {"DELETE", "/api/books/{id}/review", review_delete, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/books/{id}/reviews", reviews, 0, NULL, NULL},
    {"POST", "/api/reviews/{id}/report", review_report, ROUTE_MEMBER, report_body, NULL},
    {"GET", "/api/admin/reports", admin_reports, ROUTE_ADMIN, NULL, NULL},
    {"POST", "/api/admin/reviews/{id}/hide", review_hide, ROUTE_ADMIN, NULL, NULL},
    {"POST", "/api/admin/reviews/{id}/restore", review_restore, ROUTE_ADMIN, NULL, NULL},
    {"POST", "/api/admin/reports/{id}/dismiss", report_dismiss, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
