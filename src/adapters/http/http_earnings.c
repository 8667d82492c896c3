/* Routes of the earnings core: the author's earnings and payouts, and the admin's payouts. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static earnings_service *earnings(http_req *r)
{
	return r->svc->earnings;
}

static void month_text(char out[16], int month)
{
	snprintf(out, 16, "%04d-%02d", (month / 100) % 10000, (month % 100 + 100) % 100);
}

/* A payout as the lists show it: with its author's pen name. */
typedef struct named_payout {
	payout p;
	char author_name[AUTHOR_PEN_NAME_MAX * 4 + 1];
} named_payout;

/* The author's pen name; "" when the member is no longer an approved author. */
static int author_name(char *out, size_t cap, http_req *r, int64_t author_id, app_err *err)
{
	author_application a;

	*out = '\0';
	if (authors_profile(&a, r->svc->authors, author_id, err)) {
		if (err->code != APP_ENOTFOUND)
			return -1;
		app_err_clear(err);
		return 0;
	}
	snprintf(out, cap, "%s", a.pen_name);
	author_application_dispose(&a);
	return 0;
}

static cJSON *payout_json(const payout *p, const char *author_name)
{
	cJSON *j = cJSON_CreateObject();

	http_add_int(j, "id", p->id);
	http_add_int(j, "authorId", p->author_id);
	if (*author_name)
		http_add_str(j, "authorName", author_name);
	else
		cJSON_AddNullToObject(j, "authorName");
	http_add_int(j, "amount", p->amount);
	http_add_str(j, "status", payout_status_name(p->status));
	if (*p->reference)
		http_add_str(j, "reference", p->reference);
	else
		cJSON_AddNullToObject(j, "reference");
	http_add_time(j, "requestedAt", p->requested_at);
	http_add_time(j, "paidAt", p->paid_at);
	return j;
}

/* The page's months (sales and pool summed over works), newest first. */
static cJSON *months_json(const earnings_page *pg)
{
	cJSON *a = cJSON_CreateArray();
	char m[16];

	/* the lines come newest month first: a month's lines stand together */
	for (size_t i = 0; i < pg->nlines;) {
		int month = pg->lines[i].month;
		int64_t sales = 0, pool = 0;
		cJSON *o = cJSON_CreateObject();

		for (; i < pg->nlines && pg->lines[i].month == month; i++) {
			sales += pg->lines[i].sales;
			pool += pg->lines[i].pool;
		}
		month_text(m, month);
		http_add_str(o, "month", m);
		http_add_int(o, "sales", sales);
		http_add_int(o, "pool", pool);
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static void earnings_get(http_req *r)
{
	earnings_page *pg = calloc(1, sizeof(*pg));
	cJSON *j, *s, *works, *payouts;
	char m[16], name[AUTHOR_PEN_NAME_MAX * 4 + 1];
	app_err err;

	app_err_clear(&err);
	if (!pg || earnings_page_of(pg, earnings(r), r->me.id, &err) ||
	    author_name(name, sizeof(name), r, r->me.id, &err)) {
		if (!pg)
			app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
		http_send_error(r, &err);
		free(pg);
		return;
	}
	j = cJSON_CreateObject();
	http_add_int(j, "percent", earnings(r)->percent);
	http_add_int(j, "payoutMin", EARNINGS_PAYOUT_MIN);
	s = cJSON_AddObjectToObject(j, "summary");
	http_add_int(s, "earned", pg->summary.earned);
	http_add_int(s, "requested", pg->summary.requested);
	http_add_int(s, "paidOut", pg->summary.paid_out);
	http_add_int(s, "available", pg->summary.available);
	cJSON_AddItemToObject(j, "months", months_json(pg));
	works = cJSON_AddArrayToObject(j, "works");
	for (size_t i = 0; i < pg->nlines; i++) {
		cJSON *w = cJSON_CreateObject();

		month_text(m, pg->lines[i].month);
		http_add_int(w, "bookId", pg->lines[i].book_id);
		http_add_str(w, "title", pg->lines[i].title);
		http_add_str(w, "month", m);
		http_add_int(w, "sales", pg->lines[i].sales);
		http_add_int(w, "pool", pg->lines[i].pool);
		http_add_int(w, "units", pg->lines[i].units);
		cJSON_AddItemToArray(works, w);
	}
	payouts = cJSON_AddArrayToObject(j, "payouts");
	for (size_t i = 0; i < pg->npayouts; i++)
		cJSON_AddItemToArray(payouts, payout_json(&pg->payouts[i], name));
	free(pg);
	http_send_json(r, 200, j, NULL);
}

static const http_field payout_body[] = {
    {"amount", HTTP_FIELD_INT, 1},
    {NULL, 0, 0},
};

static void send_payout(http_req *r, int status, const named_payout *np)
{
	cJSON *j = cJSON_CreateObject();

	cJSON_AddItemToObject(j, "payout", payout_json(&np->p, np->author_name));
	http_send_json(r, status, j, NULL);
}

/* ROUTE_AUTHOR has refused a non-author (not_author) before the body was read. */
static void payout_request(http_req *r)
{
	named_payout np;
	app_err err;

	app_err_clear(&err);
	if (earnings_request_payout(&np.p, earnings(r), r->me.id, http_arg(r, "amount")->i, &err) ||
	    author_name(np.author_name, sizeof(np.author_name), r, np.p.author_id, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_payout(r, 201, &np);
}

/* A page of payouts with their authors' names, each author looked up once. */
static int payouts_named(named_payout *out, size_t *n, int64_t *next, http_req *r, payout_status st,
			 int64_t cursor, size_t limit, app_err *err)
{
	payout *rows = calloc(limit ? limit : 1, sizeof(*rows));
	int rc;

	if (!rows)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	rc = earnings_payouts(rows, n, next, earnings(r), st, cursor, limit, err);
	for (size_t i = 0; rc == 0 && i < *n; i++) {
		size_t same = 0;

		while (same < i && out[same].p.author_id != rows[i].author_id)
			same++;
		out[i].p = rows[i];
		if (same < i)
			memcpy(out[i].author_name, out[same].author_name,
			       sizeof(out[i].author_name));
		else
			rc = author_name(out[i].author_name, sizeof(out[i].author_name), r,
					 rows[i].author_id, err);
	}
	free(rows);
	return rc;
}

static int payouts_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
			 size_t limit, app_err *err)
{
	char status[16] = "";
	payout_status st = 0;
	int rc;

	if ((rc = http_query_value(status, sizeof(status), r->ri->query_string, "status", err)) < 0)
		return rc;
	if (*status) {
		if (!strcmp(status, "requested"))
			st = PAYOUT_REQUESTED;
		else if (!strcmp(status, "paid"))
			st = PAYOUT_PAID;
		else
			return app_err_set(err, APP_EINVALID, NULL, "status",
					   "status must be requested or paid");
	}
	return payouts_named(rows, n, next, r, st, cursor, limit, err);
}

static cJSON *payouts_item(http_req *r, const void *row)
{
	const named_payout *np = row;

	(void)r;
	return payout_json(&np->p, np->author_name);
}

static void payouts_list(http_req *r)
{
	static const http_page page = {
	    .row_size = sizeof(named_payout), .fetch = payouts_fetch, .item = payouts_item};

	http_send_page(r, &page);
}

static const http_field paid_body[] = {
    {"reference", HTTP_FIELD_STR, 1},
    {NULL, 0, 0},
};

static void payout_paid(http_req *r)
{
	named_payout np;
	app_err err;

	app_err_clear(&err);
	if (earnings_mark_paid(&np.p, earnings(r), r->me.id, r->params[0],
			       http_arg_str(r, "reference"), &err) ||
	    author_name(np.author_name, sizeof(np.author_name), r, np.p.author_id, &err)) {
		http_send_error(r, &err);
		return;
	}
	send_payout(r, 200, &np);
}

const http_route http_earnings_routes[] = {
    {"GET", "/api/me/earnings", earnings_get, ROUTE_AUTHOR, NULL, NULL},
    {"POST", "/api/me/payouts", payout_request, ROUTE_AUTHOR, payout_body, NULL},
    {"GET", "/api/admin/payouts", payouts_list, ROUTE_ADMIN, NULL, NULL},
    {"POST", "/api/admin/payouts/{id}/paid", payout_paid, ROUTE_ADMIN, paid_body, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
