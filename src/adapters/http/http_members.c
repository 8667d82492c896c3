/* Routes of the members core: auth, the member, points and the subscription. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SESSION_MAX_AGE (30 * 24 * 3600)

static members_service *members(http_req *r)
{
	return r->svc->members;
}

/* The subscription object, with the monthly price a (re)subscription costs. */
static cJSON *subscription_json(const subscription_view *v)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "active", v->active);
	http_add_time(o, "expiresAt", v->s.expires_at);
	cJSON_AddBoolToObject(o, "autoRenew", v->s.auto_renew);
	http_add_int(o, "price", v->price);
	return o;
}

static cJSON *member_json(const member *m, const subscription_view *sub)
{
	cJSON *o = cJSON_CreateObject(), *roles = cJSON_CreateArray();

	http_add_int(o, "id", m->id);
	cJSON_AddStringToObject(o, "email", m->email);
	cJSON_AddStringToObject(o, "name", m->name);
	if (m->roles & MEMBER_ROLE_READER)
		cJSON_AddItemToArray(roles, cJSON_CreateString("reader"));
	if (m->roles & MEMBER_ROLE_AUTHOR)
		cJSON_AddItemToArray(roles, cJSON_CreateString("author"));
	if (m->roles & MEMBER_ROLE_ADMIN)
		cJSON_AddItemToArray(roles, cJSON_CreateString("admin"));
	cJSON_AddItemToObject(o, "roles", roles);
	http_add_int(o, "points", m->points);
	cJSON_AddItemToObject(o, "subscription", subscription_json(sub));
	http_add_time(o, "createdAt", m->created_at);
	if (m->banned_until > (int64_t)time(NULL) * 1000) {
		cJSON *ban = cJSON_CreateObject();

		http_add_time(ban, "until", m->banned_until);
		cJSON_AddStringToObject(ban, "reason", m->ban_reason);
		cJSON_AddItemToObject(o, "banned", ban);
	} else {
		cJSON_AddNullToObject(o, "banned");
	}
	return o;
}

cJSON *http_member_json(http_req *r, const member *m)
{
	subscription_view sub;
	app_err err;

	app_err_clear(&err);
	if (members_subscription_view(&sub, members(r), m->id, &err)) {
		http_send_error(r, &err);
		return NULL;
	}
	return member_json(m, &sub);
}

cJSON *http_member_object(http_req *r, const member *m)
{
	cJSON *o, *mj = http_member_json(r, m);

	if (!mj)
		return NULL;
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "member", mj);
	return o;
}

static void session_cookie(char *out, size_t cap, http_req *r, const char *token, int max_age)
{
	snprintf(out, cap,
		 "Set-Cookie: wl_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%d%s\r\n",
		 token, max_age, r->cfg->secure_cookies ? "; Secure" : "");
}

static void send_member_and_token(http_req *r, int status, const member *m, const char *token)
{
	cJSON *o = http_member_object(r, m);
	char cookie[256];

	if (!o)
		return;
	cJSON_AddStringToObject(o, "token", token);
	session_cookie(cookie, sizeof(cookie), r, token, SESSION_MAX_AGE);
	http_send_json(r, status, o, cookie);
}

static const http_field signup_body[] = {
    {"email", HTTP_FIELD_STR, 1},
    {"password", HTTP_FIELD_STR, 1},
    {"name", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void signup(http_req *r)
{
	char token[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	app_err_clear(&err);
	if (members_signup(&m, token, members(r), http_arg_str(r, "email"),
			   http_arg_str(r, "password"), http_arg_str(r, "name"), r->client_text,
			   &err)) {
		http_send_error(r, &err);
		return;
	}
	send_member_and_token(r, 201, &m, token);
}

static const http_field login_body[] = {
    {"email", HTTP_FIELD_STR, 1},
    {"password", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void login(http_req *r)
{
	char token[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	app_err_clear(&err);
	if (members_login(&m, token, members(r), http_arg_str(r, "email"),
			  http_arg_str(r, "password"), r->client_text, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_member_and_token(r, 200, &m, token);
}

static void logout(http_req *r)
{
	char cookie[256];
	app_err err;

	app_err_clear(&err);
	if (members_logout(members(r), r->token, &err)) {
		http_send_error(r, &err);
		return;
	}
	session_cookie(cookie, sizeof(cookie), r, "", 0);
	http_send_empty(r, 204, cookie);
}

static void me(http_req *r)
{
	cJSON *o = http_member_object(r, &r->me);

	if (o)
		http_send_json(r, 200, o, NULL);
}

static cJSON *ledger_json(const ledger_entry *e)
{
	cJSON *o = cJSON_CreateObject();

	http_add_int(o, "id", e->id);
	cJSON_AddStringToObject(o, "kind", ledger_kind_name(e->kind));
	http_add_int(o, "amount", e->amount);
	http_add_int(o, "balanceAfter", e->balance_after);
	http_add_id_or_null(o, "bookId", e->book_id);
	http_add_id_or_null(o, "orderId", e->order_id);
	http_add_id_or_null(o, "episode", e->episode);
	http_add_time(o, "createdAt", e->created_at);
	return o;
}

static const http_field charge_body[] = {
    {"amount", HTTP_FIELD_INT, 1},
    {NULL, 0, 0},
};

static void charge(http_req *r)
{
	const char *key = http_header(r, "Idempotency-Key");
	int64_t balance;
	ledger_entry e;
	cJSON *o;
	app_err err;

	app_err_clear(&err);
	if (members_charge(&balance, &e, members(r), r->me.id, http_arg(r, "amount")->i, key,
			   &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	http_add_int(o, "balance", balance);
	cJSON_AddItemToObject(o, "entry", ledger_json(&e));
	http_send_json(r, 201, o, NULL);
}

static int ledger_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
			size_t limit, app_err *err)
{
	return members_ledger(rows, n, next, members(r), r->me.id, cursor, limit, err);
}

static cJSON *ledger_item(http_req *r, const void *row)
{
	(void)r;
	return ledger_json(row);
}

static void ledger(http_req *r)
{
	static const http_page page = {
	    .row_size = sizeof(ledger_entry), .fetch = ledger_fetch, .item = ledger_item};

	http_send_page(r, &page);
}

static void send_subscription(http_req *r, int status, const subscription *s)
{
	cJSON *o = cJSON_CreateObject();
	subscription_view v;

	members_subscription_view_of(&v, members(r), s);
	cJSON_AddItemToObject(o, "subscription", subscription_json(&v));
	http_send_json(r, status, o, NULL);
}

static void subscription_get(http_req *r)
{
	subscription s;
	app_err err;

	app_err_clear(&err);
	if (members_subscription(&s, members(r), r->me.id, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_subscription(r, 200, &s);
}

static const http_field subscribe_body[] = {
    {"autoRenew", HTTP_FIELD_BOOL, 0},
    {NULL, 0, 0},
};

static void subscribe(http_req *r)
{
	const http_value *auto_renew = http_arg(r, "autoRenew");
	subscription s;
	app_err err;

	app_err_clear(&err);
	if (members_subscribe(&s, members(r), r->me.id, auto_renew->present ? auto_renew->b : 1,
			      http_header(r, "Idempotency-Key"), &err)) {
		http_send_error(r, &err);
		return;
	}
	send_subscription(r, 201, &s);
}

static void unsubscribe(http_req *r)
{
	subscription s;
	app_err err;

	app_err_clear(&err);
	if (members_cancel_renewal(&s, members(r), r->me.id, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_subscription(r, 200, &s);
}

const http_route http_member_routes[] = {
    {"POST", "/api/auth/signup", signup, 0, signup_body, NULL},
    {"POST", "/api/auth/login", login, 0, login_body, NULL},
    {"POST", "/api/auth/logout", logout, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/me", me, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/me/points/charge", charge, ROUTE_MEMBER, charge_body, NULL},
    {"GET", "/api/me/points/ledger", ledger, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/me/subscription", subscription_get, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/me/subscription", subscribe, ROUTE_MEMBER, subscribe_body, NULL},
    {"DELETE", "/api/me/subscription", unsubscribe, ROUTE_MEMBER, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
