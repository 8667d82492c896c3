/* Routes of the community core: follows, notifications, their mail settings. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static community_service *community(http_req *r)
{
	return r->svc->community;
}

static void send_follow(http_req *r, int following, int64_t followers)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "following", following);
	http_add_int(o, "followers", followers);
	http_send_json(r, 200, o, NULL);
}

static void follow_get(http_req *r, follow_kind kind)
{
	int64_t followers;
	int following;
	app_err err;

	app_err_clear(&err);
	if (community_follow_state(&following, &followers, community(r),
				   r->authenticated ? r->me.id : 0, kind, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	send_follow(r, following, followers);
}

static void follow_set(http_req *r, follow_kind kind, int on)
{
	int64_t followers;
	int following;
	app_err err;

	app_err_clear(&err);
	if (community_follow(&following, &followers, community(r), r->me.id, kind, r->params[0], on,
			     &err)) {
		http_send_error(r, &err);
		return;
	}
	send_follow(r, following, followers);
}

static void book_follow_get(http_req *r)
{
	follow_get(r, FOLLOW_BOOK);
}
static void book_follow(http_req *r)
{
	follow_set(r, FOLLOW_BOOK, 1);
}
static void book_unfollow(http_req *r)
{
	follow_set(r, FOLLOW_BOOK, 0);
}
static void author_follow_get(http_req *r)
{
	follow_get(r, FOLLOW_AUTHOR);
}
static void author_follow(http_req *r)
{
	follow_set(r, FOLLOW_AUTHOR, 1);
}
static void author_unfollow(http_req *r)
{
	follow_set(r, FOLLOW_AUTHOR, 0);
}

static int my_follows_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
			    size_t limit, app_err *err)
{
	return community_follows(rows, n, next, community(r), r->me.id, cursor, limit, err);
}

static cJSON *my_follows_item(http_req *r, const void *row)
{
	const follow *f = row;
	cJSON *o = cJSON_CreateObject();

	(void)r;
	cJSON_AddStringToObject(o, "kind", follow_kind_name(f->kind));
	http_add_int(o, "id", f->target_id);
	http_add_time(o, "createdAt", f->created_at);
	return o;
}

static void my_follows(http_req *r)
{
	static const http_page page = {
	    .row_size = sizeof(follow), .fetch = my_follows_fetch, .item = my_follows_item};

	http_send_page(r, &page);
}

/* --- notifications -------------------------------------------------------------------------- */

static cJSON *note_item(http_req *r, const void *row)
{
	const notification *n = row;
	cJSON *o = cJSON_CreateObject();

	(void)r;
	http_add_int(o, "id", n->id);
	cJSON_AddStringToObject(o, "kind", note_kind_name(n->kind));
	http_add_id_or_null(o, "bookId", n->book_id);
	http_add_id_or_null(o, "episode", n->episode);
	http_add_id_or_null(o, "commentId", n->comment_id);
	http_add_str(o, "title", n->title);
	http_add_str(o, "detail", n->detail);
	http_add_str(o, "actor", n->actor);
	if (n->state[0])
		cJSON_AddStringToObject(o, "state", n->state);
	else
		cJSON_AddNullToObject(o, "state");
	cJSON_AddBoolToObject(o, "read", n->read_at != 0);
	http_add_time(o, "createdAt", n->created_at);
	return o;
}

static int notifications_fetch(void *rows, size_t *n, int64_t *next, int64_t *unread, http_req *r,
			       int64_t cursor, size_t limit, app_err *err)
{
	char unread_only[8] = "";

	if (http_query_value(unread_only, sizeof(unread_only), r->ri->query_string, "unread", err) <
	    0)
		return -1;
	return community_notifications(rows, n, next, unread, community(r), r->me.id,
				       strcmp(unread_only, "true") == 0, cursor, limit, err);
}

static void notifications(http_req *r)
{
	static const http_page page = {.row_size = sizeof(notification),
				       .count_name = "unread",
				       .fetch_counted = notifications_fetch,
				       .item = note_item};

	http_send_page(r, &page);
}

static void send_unread(http_req *r, int64_t unread)
{
	cJSON *o = cJSON_CreateObject();

	http_add_int(o, "unread", unread);
	http_send_json(r, 200, o, NULL);
}

static void notifications_unread(http_req *r)
{
	int64_t unread;
	app_err err;

	app_err_clear(&err);
	if (community_unread(&unread, community(r), r->me.id, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_unread(r, unread);
}

static const http_field read_body[] = {
    {"id", HTTP_FIELD_INT, 0},
    {"upTo", HTTP_FIELD_INT, 0},
    {NULL, 0, 0},
};

static void notifications_read(http_req *r)
{
	int64_t unread;
	app_err err;

	app_err_clear(&err);
	if (community_mark_read(&unread, community(r), r->me.id, http_arg(r, "id")->i,
				http_arg(r, "upTo")->i, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_unread(r, unread);
}

/* --- mail settings ------------------------------------------------------------------------------
 */

static void send_settings(http_req *r, const notify_settings *s)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "emailDigest", s->email_digest);
	cJSON_AddStringToObject(o, "lang", s->lang);
	http_send_json(r, 200, o, NULL);
}

static void settings_get(http_req *r)
{
	notify_settings s;
	app_err err;

	app_err_clear(&err);
	if (community_settings(&s, community(r), r->me.id, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_settings(r, &s);
}

static const http_field settings_body[] = {
    {"emailDigest", HTTP_FIELD_BOOL, 1},
    {"lang", HTTP_FIELD_STR, 0},
    {NULL, 0, 0},
};

static void settings_put(http_req *r)
{
	notify_settings s;
	app_err err;

	app_err_clear(&err);
	if (community_settings_save(&s, community(r), r->me.id, http_arg(r, "emailDigest")->b,
				    http_arg_str(r, "lang"), &err)) {
		http_send_error(r, &err);
		return;
	}
	send_settings(r, &s);
}

static const http_field unsubscribe_body[] = {
    {"token", HTTP_FIELD_STR, 0},
    {NULL, 0, 0},
};

/*
 * The mail's link: RFC 8058 one-click (the token in the query, a form body
 * "List-Unsubscribe=One-Click" left unread: ROUTE_ONE_CLICK) or the page's
 * JSON {token}.
 */
static void unsubscribe(http_req *r)
{
	char token[NOTIFY_TOKEN_MAX + 1];
	const char *from_body;
	app_err err;

	app_err_clear(&err);
	if (http_query(token, sizeof(token), r, "token"))
		return;
	if (!token[0]) {
		if (!(from_body = http_arg_str(r, "token"))) {
			http_send_problem(r, 422, "validation_failed", "token is required",
					  "token");
			return;
		}
		snprintf(token, sizeof(token), "%s", from_body);
	}
	if (community_unsubscribe(community(r), token, &err)) {
		http_send_error(r, &err);
		return;
	}
	http_send_empty(r, 204, NULL);
}

const http_route http_community_routes[] = {
    {"GET", "/api/books/{id}/follow", book_follow_get, 0, NULL, NULL},
    {"POST", "/api/books/{id}/follow", book_follow, ROUTE_MEMBER, NULL, NULL},
    {"DELETE", "/api/books/{id}/follow", book_unfollow, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/authors/{memberId}/follow", author_follow_get, 0, NULL, NULL},
    {"POST", "/api/authors/{memberId}/follow", author_follow, ROUTE_MEMBER, NULL, NULL},
    {"DELETE", "/api/authors/{memberId}/follow", author_unfollow, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/me/follows", my_follows, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/me/notifications", notifications, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/me/notifications/unread", notifications_unread, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/me/notifications/read", notifications_read, ROUTE_MEMBER, read_body, NULL},
    {"GET", "/api/me/notification-settings", settings_get, ROUTE_MEMBER, NULL, NULL},
    {"PUT", "/api/me/notification-settings", settings_put, ROUTE_MEMBER, settings_body, NULL},
    {"POST", "/api/notifications/unsubscribe", unsubscribe, ROUTE_ONE_CLICK, unsubscribe_body,
     NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
