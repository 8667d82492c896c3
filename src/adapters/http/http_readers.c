/* Honest rankings: a work's counted and excluded readers, for its author and admins. */
#include "adapters/http/http_internal.h"

static void readers(http_req *r)
{
	books_reader who = http_books_reader(r);
	book_reader_counts c;
	book_period p;
	cJSON *o;
	app_err err;

	if (http_query_period(&p, r))
		return;
	app_err_clear(&err);
	if (books_reader_counts(&c, r->svc->books, &who, r->params[0], p, &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "period",
				p == BOOK_PERIOD_DAY	 ? "day"
				: p == BOOK_PERIOD_MONTH ? "month"
							 : "week");
	http_add_int(o, "readers", c.counted);
	http_add_int(o, "excluded", c.new_accounts + c.crowded_addresses);
	http_add_int(o, "newAccounts", c.new_accounts);
	http_add_int(o, "crowdedAddresses", c.crowded_addresses);
	http_send_json(r, 200, o, NULL);
}

const http_route http_reader_count_routes[] = {
    {"GET", "/api/books/{id}/readers", readers, ROUTE_MEMBER, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
