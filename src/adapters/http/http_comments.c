/* Routes of the community core: comments on episodes, replies, likes, reports, hiding. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static community_service *community(http_req *r)
{
	return r->svc->community;
}

static cJSON *comment_json(http_req *r, const comment *c)
{
	cJSON *o = cJSON_CreateObject(), *m = cJSON_CreateObject();

	http_add_int(o, "id", c->id);
	http_add_int(o, "bookId", c->book_id);
	http_add_int(o, "episode", c->number);
	http_add_id_or_null(o, "parentId", c->parent_id);
	if (c->deleted) { /* who wrote a deleted comment is not told */
		cJSON_Delete(m);
		cJSON_AddNullToObject(o, "member");
	} else {
		http_add_int(m, "id", c->member_id);
		cJSON_AddStringToObject(m, "name", c->member_name);
		cJSON_AddItemToObject(o, "member", m);
	}
	cJSON_AddStringToObject(o, "text", c->text);
	cJSON_AddBoolToObject(o, "spoiler", c->spoiler);
	http_add_int(o, "likes", c->likes);
	cJSON_AddBoolToObject(o, "liked", c->liked);
	http_add_int(o, "replyCount", c->replies);
	cJSON_AddBoolToObject(o, "mine",
			      !c->deleted && r->authenticated && r->me.id == c->member_id);
	cJSON_AddBoolToObject(o, "hidden", c->hidden);
	cJSON_AddBoolToObject(o, "deleted", c->deleted);
	cJSON_AddBoolToObject(o, "edited", c->updated_at != c->created_at);
	http_add_time(o, "createdAt", c->created_at);
	http_add_time(o, "updatedAt", c->updated_at);
	return o;
}

/* The comment a write made (201 created, else 200), or its problem; frees c. */
static void send_comment(http_req *r, int rc, int created, comment *c, const app_err *err)
{
	cJSON *o;

	if (rc) {
		http_send_error(r, err);
		free(c);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "comment", comment_json(r, c));
	free(c);
	http_send_json(r, created ? 201 : 200, o, NULL);
}

/* A comment's room on the heap (request threads have small stacks); 500 sent when none. */
static comment *comment_alloc(http_req *r)
{
	comment *c = malloc(sizeof(*c));

	if (!c)
		http_send_problem(r, 500, "internal", "out of memory", NULL);
	return c;
}

/* sort=new|best, parent=ID (its replies, oldest first), cursor as the page before gave it. */
static int comments_query(comment_query *q, http_req *r)
{
	char sort[8];

	memset(q, 0, sizeof(*q));
	q->book_id = r->params[0];
	q->number = r->params[1];
	if (http_query(sort, sizeof(sort), r, "sort") < 0)
		return -1;
	if (!strcmp(sort, "best"))
		q->sort = COMMENT_SORT_BEST;
	else if (sort[0] && strcmp(sort, "new")) {
		http_send_problem(r, 422, "validation_failed", "sort is new or best", "sort");
		return -1;
	}
	if (http_query_cursor(&q->parent_id, r, "parent"))
		return -1;
	if (q->parent_id)
		return http_query_cursor(&q->after_id, r, "cursor");
	if (q->sort == COMMENT_SORT_BEST)
		return http_query_pair(&q->before_likes, &q->before_id, r);
	return http_query_cursor(&q->before_id, r, "cursor");
}

/* The cursor of the page after rows (NULL at the end: fewer than limit). */
static const char *next_cursor(char buf[48], const comment_query *q, const comment *rows, size_t n,
			       size_t limit)
{
	const comment *last = n ? &rows[n - 1] : NULL;

	if (!last || n < limit)
		return NULL;
	if (!q->parent_id && q->sort == COMMENT_SORT_BEST)
		snprintf(buf, 48, "%lld.%lld", (long long)last->likes, (long long)last->id);
	else
		snprintf(buf, 48, "%lld", (long long)last->id);
	return buf;
}

static void comments_list(http_req *r)
{
	comment_query q;
	comment *rows;
	size_t limit, n;
	int64_t count;
	int moderates;
	char buf[48];
	cJSON *items, *list;
	app_err err;

	if (http_query_limit(&limit, r) || comments_query(&q, r))
		return;
	if (limit > COMMENT_PAGE_MAX)
		limit = COMMENT_PAGE_MAX;
	if (!(rows = calloc(limit, sizeof(*rows)))) { /* request threads have small stacks */
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	app_err_clear(&err);
	if (community_comments(rows, &n, &count, &moderates, community(r),
			       r->authenticated ? r->me.id : 0, &q, limit, &err)) {
		free(rows);
		http_send_error(r, &err);
		return;
	}
	items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, comment_json(r, &rows[i]));
	list = http_list(items, next_cursor(buf, &q, rows, n, limit));
	free(rows);
	http_add_int(list, "count", count);
	cJSON_AddBoolToObject(list, "moderator", moderates);
	http_send_json(r, 200, list, NULL);
}

static const http_field post_body[] = {
    {"text", HTTP_FIELD_STR, 1},
    {"spoiler", HTTP_FIELD_BOOL, 0},
    {"parentId", HTTP_FIELD_INT, 0},
    {NULL, 0, 0},
};

static void comment_post(http_req *r)
{
	const http_value *parent = http_arg(r, "parentId");
	comment *c = comment_alloc(r);
	app_err err;
	int rc;

	if (!c)
		return;
	app_err_clear(&err);
	if (parent->present && parent->i <= 0)
		rc = app_err_set(&err, APP_EINVALID, NULL, "parentId", "parentId names a comment");
	else
		rc =
		    community_comment_post(c, community(r), r->me.id, r->params[0], r->params[1],
					   parent->present ? parent->i : 0, http_arg_str(r, "text"),
					   http_arg(r, "spoiler")->b, &err);
	send_comment(r, rc, 1, c, &err);
}

static const http_field patch_body[] = {
    {"text", HTTP_FIELD_STR, 0},
    {"spoiler", HTTP_FIELD_BOOL, 0},
    {NULL, 0, 0},
};

static void comment_patch(http_req *r)
{
	const http_value *spoiler = http_arg(r, "spoiler");
	comment *c = comment_alloc(r);
	app_err err;
	int rc;

	if (!c)
		return;
	app_err_clear(&err);
	rc =
	    community_comment_edit(c, community(r), r->me.id, r->params[0], http_arg_str(r, "text"),
				   spoiler->present ? spoiler->b : -1, &err);
	send_comment(r, rc, 0, c, &err);
}

/* The answer of a write that returns nothing: 204, or the problem. */
static void done(http_req *r, int rc, const app_err *err)
{
	if (rc)
		http_send_error(r, err);
	else
		http_send_empty(r, 204, NULL);
}

static void comment_delete(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	done(r, community_comment_delete(community(r), r->me.id, r->params[0], &err), &err);
}

static void like(http_req *r, int on)
{
	int64_t likes = 0;
	int liked = 0;
	cJSON *o;
	app_err err;

	app_err_clear(&err);
	if (community_comment_like(&liked, &likes, community(r), r->me.id, r->params[0], on,
				   &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddBoolToObject(o, "liked", liked);
	http_add_int(o, "likes", likes);
	http_send_json(r, 200, o, NULL);
}

static void like_on(http_req *r)
{
	like(r, 1);
}

static void like_off(http_req *r)
{
	like(r, 0);
}

static const http_field report_body[] = {
    {"reason", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void comment_report(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	done(r,
	     community_report(community(r), r->me.id, REPORT_COMMENT, r->params[0],
			      http_arg_str(r, "reason"), &err),
	     &err);
}

static void hide(http_req *r, int hidden)
{
	app_err err;

	app_err_clear(&err);
	done(r, community_comment_hide(community(r), r->me.id, r->params[0], hidden, &err), &err);
}

static void comment_hide(http_req *r)
{
	hide(r, 1);
}

static void comment_restore(http_req *r)
{
	hide(r, 0);
}

const http_route http_comment_routes[] = {
    {"GET", "/api/books/{id}/episodes/{n}/comments", comments_list, 0, NULL, NULL},
    {"POST", "/api/books/{id}/episodes/{n}/comments", comment_post, ROUTE_MEMBER, post_body, NULL},
    {"PATCH", "/api/comments/{id}", comment_patch, ROUTE_MEMBER, patch_body, NULL},
    {"DELETE", "/api/comments/{id}", comment_delete, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/comments/{id}/like", like_on, ROUTE_MEMBER, NULL, NULL},
    {"DELETE", "/api/comments/{id}/like", like_off, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/comments/{id}/report", comment_report, ROUTE_MEMBER, report_body, NULL},
    {"POST", "/api/comments/{id}/hide", comment_hide, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/comments/{id}/restore", comment_restore, ROUTE_MEMBER, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
