/*
 * Routes of points orders: checkout, confirm, receipts, the provider's
 * webhook, and refunds by an admin.
 */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <string.h>

#include "domain/members/orders.h"

static members_service *members(http_req *r)
{
	return r->svc->members;
}

static void add_text_or_null(cJSON *o, const char *name, const char *s)
{
	if (s && *s)
		http_add_str(o, name, s);
	else
		cJSON_AddNullToObject(o, name);
}

/* What the browser opens the provider's checkout with (nothing secret). */
static cJSON *checkout_json(const points_order *o, const payment_checkout *c)
{
	cJSON *j = cJSON_CreateObject();
	char key[PAYMENT_ORDER_ID_MAX + 8];

	http_add_str(j, "provider", c->provider);
	http_add_str(j, "orderId", o->order_id);
	http_add_int(j, "amount", o->amount);
	if (*c->client_key)
		http_add_str(j, "clientKey", c->client_key);
	if (*c->script_url)
		http_add_str(j, "scriptUrl", c->script_url);
	if (!strcmp(c->provider, "dev")) {
		/* the development provider has no checkout page: the browser confirms at once */
		snprintf(key, sizeof(key), "dev-%s", o->order_id);
		http_add_str(j, "paymentKey", key);
	}
	return j;
}

static cJSON *order_json(http_req *r, const points_order *o, int with_checkout)
{
	cJSON *j = cJSON_CreateObject(), *f;

	http_add_int(j, "id", o->id);
	http_add_int(j, "memberId", o->member_id);
	http_add_int(j, "amount", o->amount);
	http_add_str(j, "status", order_status_name(o->status));
	http_add_str(j, "provider", o->provider);
	http_add_str(j, "orderId", o->order_id);
	add_text_or_null(j, "method", o->method);
	http_add_int(j, "refunded", o->refunded);
	if (*o->failure_code) {
		f = cJSON_AddObjectToObject(j, "failure");
		http_add_str(f, "code", o->failure_code);
	} else {
		cJSON_AddNullToObject(j, "failure");
	}
	http_add_time(j, "createdAt", o->created_at);
	http_add_time(j, "paidAt", o->paid_at);
	if (with_checkout && o->status == ORDER_PENDING) {
		payment_checkout c;

		orders_checkout(&c, members(r));
		cJSON_AddItemToObject(j, "checkout", checkout_json(o, &c));
	}
	return j;
}

void http_checkout_csp(char *out, size_t cap, http_req *r)
{
	payment_checkout c;
	char origin[PAYMENT_URL_MAX];
	const char *host, *end;

	out[0] = '\0';
	orders_checkout(&c, members(r));
	if (!(host = strstr(c.script_url, "://")))
		return;
	end = strchr(host + 3, '/');
	snprintf(origin, sizeof(origin), "%.*s",
		 (int)(end ? (size_t)(end - c.script_url) : strlen(c.script_url)), c.script_url);
	/* only characters an origin has: nothing can end the header or the directive */
	if (strspn(origin, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/.-") !=
	    strlen(origin))
		return;
	snprintf(out, cap,
		 "Content-Security-Policy: default-src 'self'; img-src 'self' data: %s;"
		 " style-src 'self'; script-src 'self' %s; connect-src 'self' %s https:;"
		 " frame-src %s https:; object-src 'none'; base-uri 'none'; form-action 'self';"
		 " frame-ancestors 'none'\r\n",
		 origin, origin, origin, origin);
}

static void send_order(http_req *r, int status, const points_order *o, const int64_t *balance)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddItemToObject(j, "order", order_json(r, o, 1));
	if (balance)
		http_add_int(j, "balance", *balance);
	http_send_json(r, status, j, NULL);
}

static const http_field order_body[] = {
    {"amount", HTTP_FIELD_INT, 1},
    {NULL, 0, 0},
};

static void order_create(http_req *r)
{
	const char *key = http_header(r, "Idempotency-Key");
	points_order o;
	app_err err;

	app_err_clear(&err);
	if (orders_create(&o, members(r), r->me.id, http_arg(r, "amount")->i, key, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_order(r, 201, &o, NULL);
}

static void order_get(http_req *r)
{
	points_order o;
	app_err err;

	app_err_clear(&err);
	if (orders_get(&o, members(r), r->me.id, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	send_order(r, 200, &o, NULL);
}

/* A page of the member's own orders. */
static int orders_mine_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
			     size_t limit, app_err *err)
{
	return orders_list(rows, n, next, members(r), r->me.id, 0, cursor, limit, err);
}

/* A page of anyone's orders, for an admin, by status. */
static int orders_all_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
			    size_t limit, app_err *err)
{
	char status[32] = "";
	order_status st = 0;
	int rc;

	if ((rc = http_query_value(status, sizeof(status), r->ri->query_string, "status", err)) < 0)
		return rc;
	if (*status) {
		for (st = ORDER_PENDING; st <= ORDER_REFUNDED; st++)
			if (!strcmp(status, order_status_name(st)))
				break;
		if (st > ORDER_REFUNDED)
			return app_err_set(err, APP_EINVALID, NULL, "status",
					   "status is not an order status");
	}
	return orders_list(rows, n, next, members(r), 0, st, cursor, limit, err);
}

static cJSON *order_item(http_req *r, const void *row)
{
	return order_json(r, row, 0);
}

static void order_list_mine(http_req *r)
{
	static const http_page page = {
	    .row_size = sizeof(points_order), .fetch = orders_mine_fetch, .item = order_item};

	http_send_page(r, &page);
}

static void order_list_all(http_req *r)
{
	static const http_page page = {
	    .row_size = sizeof(points_order), .fetch = orders_all_fetch, .item = order_item};

	http_send_page(r, &page);
}

static const http_field confirm_body[] = {
    {"paymentKey", HTTP_FIELD_STR, 1},
    {"amount", HTTP_FIELD_INT, 1},
    {NULL, 0, 0},
};

static void order_confirm(http_req *r)
{
	int64_t balance = 0;
	points_order o;
	app_err err;

	app_err_clear(&err);
	if (orders_confirm(&o, &balance, members(r), r->me.id, r->params[0],
			   http_arg_str(r, "paymentKey"), http_arg(r, "amount")->i, &err)) {
		http_send_error(r, &err);
		return;
	}
	/* 202: the provider did not answer in time; the order is settled by itself later */
	send_order(r, o.status == ORDER_PENDING ? 202 : 200, &o, &balance);
}

/* The string field name of object o, or NULL. */
static const char *text_of(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/*
 * Toss Payments' PAYMENT_STATUS_CHANGED {eventType, createdAt, data: Payment}.
 * Only which order and payment it names is used: their state is read back
 * from the provider. Any well-formed message answers 200, so the provider
 * stops sending it; storage that cannot write answers 503 and it is sent again.
 * The route declares no fields: the strict body is read from r->body.
 */
static void webhook(http_req *r)
{
	const cJSON *body = r->body, *data;
	const char *type;
	cJSON *ok;
	app_err err;

	type = text_of(body, "eventType");
	data = cJSON_GetObjectItemCaseSensitive(body, "data");
	app_err_clear(&err);
	if (type && !strcmp(type, "PAYMENT_STATUS_CHANGED") && cJSON_IsObject(data) &&
	    orders_notified(members(r), text_of(data, "paymentKey"), text_of(data, "orderId"),
			    &err)) {
		http_send_error(r, &err);
		return;
	}
	ok = cJSON_CreateObject();
	cJSON_AddBoolToObject(ok, "ok", 1);
	http_send_json(r, 200, ok, NULL);
}

static cJSON *refund_json(const points_refund *f)
{
	cJSON *j = cJSON_CreateObject();

	http_add_int(j, "id", f->id);
	http_add_int(j, "orderId", f->order_id);
	http_add_int(j, "amount", f->amount);
	http_add_str(j, "status", refund_status_name(f->status));
	http_add_str(j, "reason", f->reason);
	add_text_or_null(j, "failureCode", f->failure_code);
	http_add_time(j, "createdAt", f->created_at);
	http_add_time(j, "updatedAt", f->updated_at);
	return j;
}

static const http_field refund_body[] = {
    {"mode", HTTP_FIELD_STR, 1},
    {"reason", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void refund(http_req *r)
{
	const char *mode = http_arg_str(r, "mode");
	points_refund f;
	points_order o;
	refund_mode m = !strcmp(mode, "full")	   ? REFUND_FULL
			: !strcmp(mode, "unspent") ? REFUND_UNSPENT
						   : 0;
	cJSON *j;
	app_err err;

	app_err_clear(&err);
	if (orders_refund(&f, &o, members(r), r->me.id, r->params[0], m, http_arg_str(r, "reason"),
			  &err)) {
		http_send_error(r, &err);
		return;
	}
	j = cJSON_CreateObject();
	cJSON_AddItemToObject(j, "refund", refund_json(&f));
	cJSON_AddItemToObject(j, "order", order_json(r, &o, 0));
	/* 202: the provider did not answer in time; the refund is sent again by itself */
	http_send_json(r, f.status == REFUND_PENDING ? 202 : 201, j, NULL);
}

const http_route http_payment_routes[] = {
    {"POST", "/api/me/points/orders", order_create, ROUTE_MEMBER, order_body, NULL},
    {"GET", "/api/me/points/orders", order_list_mine, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/me/points/orders/{id}", order_get, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/me/points/orders/{id}/confirm", order_confirm, ROUTE_MEMBER, confirm_body, NULL},
    {"POST", "/api/payments/webhook", webhook, 0, NULL, NULL},
    {"GET", "/api/admin/points/orders", order_list_all, ROUTE_ADMIN, NULL, NULL},
    {"POST", "/api/admin/points/orders/{id}/refund", refund, ROUTE_ADMIN, refund_body, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
