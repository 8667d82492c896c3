/* Routes of the members core's accounts: passwords, e-mail, deletion, the admin's member desk. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static members_service *members(http_req *r)
{
	return r->svc->members;
}

/* Sends err after freeing body. */
static void fail(http_req *r, cJSON *body, const app_err *err)
{
	cJSON_Delete(body);
	http_send_error(r, err);
}

static void send_member(http_req *r, int status, const member *m)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "member", http_member_json(r, m));
	http_send_json(r, status, o, NULL);
}

static void password_change(http_req *r)
{
	cJSON *body = http_body_object(r);
	const char *current = NULL, *next = NULL;
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_string(&current, body, "currentPassword", 1, &err) ||
	    http_field_string(&next, body, "newPassword", 1, &err) ||
	    members_password_change(members(r), r->me.id, current, next, r->token, &err))
		goto failed;
	cJSON_Delete(body);
	http_send_empty(r, 204, NULL);
	return;
failed:
	fail(r, body, &err);
}

static void password_reset(http_req *r)
{
	cJSON *body = http_body_object(r);
	const char *email = NULL, *lang = NULL;
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_string(&email, body, "email", 1, &err) ||
	    http_field_string(&lang, body, "lang", 0, &err) ||
	    members_password_reset_request(members(r), email, lang, r->ri->remote_addr, &err))
		goto failed;
	cJSON_Delete(body);
	http_send_empty(r, 202, NULL);
	return;
failed:
	fail(r, body, &err);
}

static void password_reset_confirm(http_req *r)
{
	cJSON *body = http_body_object(r);
	const char *token = NULL, *password = NULL;
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_string(&token, body, "token", 1, &err) ||
	    http_field_string(&password, body, "password", 1, &err) ||
	    members_password_reset_confirm(NULL, members(r), token, password, &err))
		goto failed;
	cJSON_Delete(body);
	http_send_empty(r, 204, NULL);
	return;
failed:
	fail(r, body, &err);
}

static void email_change(http_req *r)
{
	cJSON *body = http_body_object(r);
	const char *email = NULL, *password = NULL, *lang = NULL;
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_string(&email, body, "email", 1, &err) ||
	    http_field_string(&password, body, "password", 1, &err) ||
	    http_field_string(&lang, body, "lang", 0, &err) ||
	    members_email_change_request(members(r), r->me.id, password, email, lang, &err))
		goto failed;
	cJSON_Delete(body);
	http_send_empty(r, 202, NULL);
	return;
failed:
	fail(r, body, &err);
}

static void email_confirm(http_req *r)
{
	cJSON *body = http_body_object(r);
	const char *token = NULL, *lang = NULL;
	member m;
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_string(&token, body, "token", 1, &err) ||
	    http_field_string(&lang, body, "lang", 0, &err) ||
	    members_email_change_confirm(&m, members(r), token, lang, &err))
		goto failed;
	cJSON_Delete(body);
	send_member(r, 200, &m);
	return;
failed:
	fail(r, body, &err);
}

static void delete_me(http_req *r)
{
	cJSON *body = http_body_object(r);
	const char *password = NULL;
	char cookie[256];
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_string(&password, body, "password", 1, &err) ||
	    members_delete(members(r), r->me.id, password, &err))
		goto failed;
	cJSON_Delete(body);
	snprintf(cookie, sizeof(cookie),
		 "Set-Cookie: wl_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s\r\n",
		 r->cfg->secure_cookies ? "; Secure" : "");
	http_send_empty(r, 204, cookie);
	return;
failed:
	fail(r, body, &err);
}

/* --- the admin's member desk ---------------------------------------------------------------- */

static int role_parse(unsigned *out, const char *s)
{
	if (!strcmp(s, "author"))
		*out = MEMBER_ROLE_AUTHOR;
	else if (!strcmp(s, "admin"))
		*out = MEMBER_ROLE_ADMIN;
	else if (!strcmp(s, "reader"))
		*out = MEMBER_ROLE_READER;
	else
		return -1;
	return 0;
}

static void admin_members(http_req *r)
{
	char q[256], role_text[16];
	unsigned role = 0;
	member *rows;
	int64_t cursor, next;
	size_t limit, n;
	cJSON *items;
	app_err err;

	if (http_query_limit(&limit, r) || http_query_cursor(&cursor, r, "cursor"))
		return;
	if (http_query(q, sizeof(q), r, "q") != 0)
		q[0] = '\0';
	if (http_query(role_text, sizeof(role_text), r, "role") == 0 && role_text[0] &&
	    role_parse(&role, role_text)) {
		http_send_problem(r, 422, "validation_failed",
				  "role must be reader, author or admin", "role");
		return;
	}
	if (!(rows = calloc(limit, sizeof(*rows)))) { /* request threads have small stacks */
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	app_err_clear(&err);
	if (members_search(rows, &n, &next, members(r), q, role, cursor, limit, &err)) {
		free(rows);
		http_send_error(r, &err);
		return;
	}
	items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, http_member_json(r, &rows[i]));
	free(rows);
	http_send_json(r, 200, http_list_next_id(items, next), NULL);
}

static void admin_role(http_req *r)
{
	cJSON *body = http_body_object(r);
	const char *role_text = NULL;
	unsigned role = 0;
	int granted = 1;
	member m;
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_string(&role_text, body, "role", 1, &err) ||
	    http_field_bool(&granted, body, "granted", 1, &err))
		goto failed;
	if (role_parse(&role, role_text) || role == MEMBER_ROLE_READER) {
		app_err_set(&err, APP_EINVALID, NULL, "role", "role must be author or admin");
		goto failed;
	}
	if (members_set_role(&m, members(r), r->me.id, r->params[0], role, granted, &err))
		goto failed;
	cJSON_Delete(body);
	send_member(r, 200, &m);
	return;
failed:
	fail(r, body, &err);
}

static void admin_ban(http_req *r)
{
	cJSON *body = http_body_object(r);
	const char *reason = NULL;
	int64_t days = 0;
	member m;
	app_err err;

	if (!body)
		return;
	app_err_clear(&err);
	if (http_field_int(&days, body, "days", 1, &err) ||
	    http_field_string(&reason, body, "reason", 1, &err))
		goto failed;
	if (days < 1 || days > MEMBERS_BAN_DAYS_MAX) {
		app_err_set(&err, APP_EINVALID, NULL, "days", "days must be 1 to %d",
			    MEMBERS_BAN_DAYS_MAX);
		goto failed;
	}
	if (members_ban(&m, members(r), r->me.id, r->params[0], (int)days, reason, &err))
		goto failed;
	cJSON_Delete(body);
	send_member(r, 200, &m);
	return;
failed:
	fail(r, body, &err);
}

static void admin_unban(http_req *r)
{
	member m;
	app_err err;

	app_err_clear(&err);
	if (members_ban(&m, members(r), r->me.id, r->params[0], 0, NULL, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_member(r, 200, &m);
}

const http_route http_account_routes[] = {
    {"POST", "/api/auth/password", password_change, ROUTE_MEMBER},
    {"POST", "/api/auth/password-reset", password_reset, 0},
    {"POST", "/api/auth/password-reset/confirm", password_reset_confirm, 0},
    {"POST", "/api/me/email", email_change, ROUTE_MEMBER},
    {"POST", "/api/me/email/confirm", email_confirm, 0},
    {"POST", "/api/me/delete", delete_me, ROUTE_MEMBER},
    {"GET", "/api/admin/members", admin_members, ROUTE_ADMIN},
    {"POST", "/api/admin/members/{id}/roles", admin_role, ROUTE_ADMIN},
    {"POST", "/api/admin/members/{id}/ban", admin_ban, ROUTE_ADMIN},
    {"DELETE", "/api/admin/members/{id}/ban", admin_unban, ROUTE_ADMIN},
    {NULL, NULL, NULL, 0},
};
