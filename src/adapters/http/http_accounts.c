/* Routes of the members core's accounts: passwords, e-mail, deletion, the admin's member desk. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static members_service *members(http_req *r)
{
	return r->svc->members;
}

static void send_member(http_req *r, int status, const member *m)
{
	cJSON *o = http_member_object(r, m);

	if (o)
		http_send_json(r, status, o, NULL);
}

static const http_field password_change_body[] = {
    {"currentPassword", HTTP_FIELD_STR, 1},
    {"newPassword", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void password_change(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (members_password_change(members(r), r->me.id, http_arg_str(r, "currentPassword"),
				    http_arg_str(r, "newPassword"), r->token, r->client_text, &err))
		http_send_error(r, &err);
	else
		http_send_empty(r, 204, NULL);
}

static const http_field password_reset_body[] = {
    {"email", HTTP_FIELD_STR, 1},
    {"lang", HTTP_FIELD_STR, 0},
    {NULL, 0, 0},
};

static void password_reset(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (members_password_reset_request(members(r), http_arg_str(r, "email"),
					   http_arg_str(r, "lang"), r->client_text, &err))
		http_send_error(r, &err);
	else
		http_send_empty(r, 202, NULL);
}

static const http_field password_reset_confirm_body[] = {
    {"token", HTTP_FIELD_STR, 1},
    {"password", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void password_reset_confirm(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (members_password_reset_confirm(NULL, members(r), http_arg_str(r, "token"),
					   http_arg_str(r, "password"), &err))
		http_send_error(r, &err);
	else
		http_send_empty(r, 204, NULL);
}

static const http_field email_change_body[] = {
    {"email", HTTP_FIELD_STR, 1},
    {"password", HTTP_FIELD_STR, 1},
    {"lang", HTTP_FIELD_STR, 0},
    {NULL, 0, 0},
};

static void email_change(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (members_email_change_request(members(r), r->me.id, http_arg_str(r, "password"),
					 http_arg_str(r, "email"), http_arg_str(r, "lang"),
					 r->client_text, &err))
		http_send_error(r, &err);
	else
		http_send_empty(r, 202, NULL);
}

static const http_field email_confirm_body[] = {
    {"token", HTTP_FIELD_STR, 1},
    {"lang", HTTP_FIELD_STR, 0},
    {NULL, 0, 0},
};

static void email_confirm(http_req *r)
{
	member m;
	app_err err;

	app_err_clear(&err);
	if (members_email_change_confirm(&m, members(r), http_arg_str(r, "token"),
					 http_arg_str(r, "lang"), &err))
		http_send_error(r, &err);
	else
		send_member(r, 200, &m);
}

static const http_field delete_body[] = {
    {"password", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void delete_me(http_req *r)
{
	char cookie[256];
	app_err err;

	app_err_clear(&err);
	if (members_delete(members(r), r->me.id, http_arg_str(r, "password"), r->client_text,
			   &err)) {
		http_send_error(r, &err);
		return;
	}
	snprintf(cookie, sizeof(cookie),
		 "Set-Cookie: wl_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s\r\n",
		 r->cfg->secure_cookies ? "; Secure" : "");
	http_send_empty(r, 204, cookie);
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

static int admin_members_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
			       size_t limit, app_err *err)
{
	char q[256], role_text[16];
	unsigned role = 0;
	int rc;

	if ((rc = http_query_value(q, sizeof(q), r->ri->query_string, "q", err)) < 0 ||
	    (rc = http_query_value(role_text, sizeof(role_text), r->ri->query_string, "role",
				   err)) < 0)
		return rc;
	if (role_text[0] && role_parse(&role, role_text))
		return app_err_set(err, APP_EINVALID, NULL, "role",
				   "role must be reader, author or admin");
	return members_search(rows, n, next, members(r), q, role, cursor, limit, err);
}

static cJSON *admin_members_item(http_req *r, const void *row)
{
	return http_member_json(r, row);
}

static void admin_members(http_req *r)
{
	static const http_page page = {
	    .row_size = sizeof(member), .fetch = admin_members_fetch, .item = admin_members_item};

	http_send_page(r, &page);
}

static const http_field role_body[] = {
    {"role", HTTP_FIELD_STR, 1},
    {"granted", HTTP_FIELD_BOOL, 1},
    {NULL, 0, 0},
};

static void admin_role(http_req *r)
{
	unsigned role = 0;
	member m;
	app_err err;

	app_err_clear(&err);
	if (role_parse(&role, http_arg_str(r, "role")) || role == MEMBER_ROLE_READER)
		app_err_set(&err, APP_EINVALID, NULL, "role", "role must be author or admin");
	else if (members_set_role(&m, members(r), r->me.id, r->params[0], role,
				  http_arg(r, "granted")->b, &err) == 0) {
		send_member(r, 200, &m);
		return;
	}
	http_send_error(r, &err);
}

static const http_field ban_body[] = {
    {"days", HTTP_FIELD_INT, 1},
    {"reason", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void admin_ban(http_req *r)
{
	int64_t days = http_arg(r, "days")->i;
	member m;
	app_err err;

	app_err_clear(&err);
	if (days < 1 || days > MEMBERS_BAN_DAYS_MAX)
		app_err_set(&err, APP_EINVALID, NULL, "days", "days must be 1 to %d",
			    MEMBERS_BAN_DAYS_MAX);
	else if (members_ban(&m, members(r), r->me.id, r->params[0], (int)days,
			     http_arg_str(r, "reason"), &err) == 0) {
		send_member(r, 200, &m);
		return;
	}
	http_send_error(r, &err);
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
    {"POST", "/api/auth/password", password_change, ROUTE_MEMBER, password_change_body, NULL},
    {"POST", "/api/auth/password-reset", password_reset, 0, password_reset_body, NULL},
    {"POST", "/api/auth/password-reset/confirm", password_reset_confirm, 0,
     password_reset_confirm_body, NULL},
    {"POST", "/api/me/email", email_change, ROUTE_MEMBER, email_change_body, NULL},
    {"POST", "/api/me/email/confirm", email_confirm, 0, email_confirm_body, NULL},
    {"POST", "/api/me/delete", delete_me, ROUTE_MEMBER, delete_body, NULL},
    {"GET", "/api/admin/members", admin_members, ROUTE_ADMIN, NULL, NULL},
    {"POST", "/api/admin/members/{id}/roles", admin_role, ROUTE_ADMIN, role_body, NULL},
    {"POST", "/api/admin/members/{id}/ban", admin_ban, ROUTE_ADMIN, ban_body, NULL},
    {"DELETE", "/api/admin/members/{id}/ban", admin_unban, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
