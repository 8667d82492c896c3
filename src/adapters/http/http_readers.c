/*
 * Honest rankings: a work's counted and excluded readers, for its author and
 * admins, and every work's exclusions for admins.
 */
#include <inttypes.h>
#include <stdio.h>

#include "adapters/http/http_internal.h"

static const char *period_name(book_period p)
{
	return p == BOOK_PERIOD_DAY ? "day" : p == BOOK_PERIOD_MONTH ? "month" : "week";
}

/* "readers":…,"excluded":…,"newAccounts":…,"crowdedAddresses":… (no braces). */
static void counts_fields(strbuf *b, const book_reader_counts *c)
{
	strbuf_fmt(b,
		   "\"readers\":%" PRId64 ",\"excluded\":%" PRId64 ",\"newAccounts\":%" PRId64
		   ",\"crowdedAddresses\":%" PRId64,
		   c->counted, c->new_accounts + c->crowded_addresses, c->new_accounts,
		   c->crowded_addresses);
}

static void readers(http_req *r)
{
	books_reader who = http_books_reader(r);
	book_reader_counts c;
	strbuf out = {0};
	book_period p;
	app_err err;

	if (http_query_period(&p, r))
		return;
	app_err_clear(&err);
	if (books_reader_counts(&c, r->svc->books, &who, r->params[0], p, &err)) {
		http_send_error(r, &err);
		return;
	}
	strbuf_fmt(&out, "{\"period\":\"%s\",", period_name(p));
	counts_fields(&out, &c);
	strbuf_str(&out, "}");
	http_send_text(r, 200, &out);
}

static int exclusions_fetch(book *list, void *extra, size_t *n, int64_t cursor[2], http_req *r,
			    const void *ctx, size_t limit, app_err *err)
{
	books_reader who = http_books_reader(r);

	(void)cursor; /* one page */
	return books_reader_exclusions(list, extra, n, r->svc->books, &who,
				       *(const book_period *)ctx, limit, err);
}

static void exclusions_write(strbuf *out, const book *b, const void *extra)
{
	strbuf_str(out, "{\"book\":");
	http_book_write(out, b, 0);
	strbuf_str(out, ",");
	counts_fields(out, extra);
	strbuf_str(out, "}");
}

/* Every work with excluded readers in the period, most excluded first: {period, items}. */
static void exclusions(http_req *r)
{
	book_period p;
	char head[32];
	http_book_rows page = {.extra_size = sizeof(book_reader_counts),
			       .head = head,
			       .ctx = &p,
			       .fetch = exclusions_fetch,
			       .write = exclusions_write};

	if (http_query_period(&p, r))
		return;
	snprintf(head, sizeof(head), "\"period\":\"%s\",", period_name(p));
	http_send_book_rows(r, &page);
}

const http_route http_reader_count_routes[] = {
    {"GET", "/api/books/{id}/readers", readers, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/admin/exclusions", exclusions, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
