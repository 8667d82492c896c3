/*
 * Honest rankings: a work's counted and excluded readers, for its author and
 * admins, and every work's exclusions for admins.
 */
#include <inttypes.h>
#include <stdlib.h>

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

/* Every work with excluded readers in the period, most excluded first: {period, items}. */
static void exclusions(http_req *r)
{
	books_reader who = http_books_reader(r);
	book_reader_counts *counts = NULL;
	book *list = NULL;
	strbuf out = {0};
	size_t limit, n;
	book_period p;
	app_err err;

	if (http_query_period(&p, r) || http_query_limit(&limit, r))
		return;
	app_err_clear(&err);
	if (!(list = malloc(limit * sizeof(*list))) || !(counts = malloc(limit * sizeof(*counts))))
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (books_reader_exclusions(list, counts, &n, r->svc->books, &who, p, limit, &err) ==
		 0) {
		strbuf_fmt(&out, "{\"period\":\"%s\",\"items\":[", period_name(p));
		for (size_t i = 0; i < n; i++) {
			strbuf_str(&out, "{\"book\":");
			http_book_write(&out, &list[i], 0);
			strbuf_str(&out, ",");
			counts_fields(&out, &counts[i]);
			strbuf_str(&out, i + 1 < n ? "}," : "}");
		}
		strbuf_str(&out, "],\"nextCursor\":null}");
		http_send_text(r, 200, &out);
	}
	if (!r->status)
		http_send_error(r, &err);
	free(list);
	free(counts);
}

const http_route http_reader_count_routes[] = {
    {"GET", "/api/books/{id}/readers", readers, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/admin/exclusions", exclusions, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
