/* Routes of reading a work episode by episode: lists, pages, texts, sales, progress, rankings. */
#include "adapters/http/http_internal.h"

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static books_service *books(http_req *r)
{
	return r->svc->books;
}

/* ,"name":"time" or ,"name":null */
static void time_or_null(strbuf *b, const char *name, int64_t ms)
{
	char ts[32];

	strbuf_str(b, ",\"");
	strbuf_str(b, name);
	if (!ms) {
		strbuf_str(b, "\":null");
		return;
	}
	http_time(ts, ms);
	strbuf_str(b, "\":\"");
	strbuf_str(b, ts);
	strbuf_str(b, "\"");
}

static void access_write(strbuf *b, const books_episode_view *v)
{
	strbuf_str(b, v->access.can_read ? "{\"canRead\":true,\"reason\":\""
					 : "{\"canRead\":false,\"reason\":\"");
	strbuf_str(b, book_access_reason_name(v->access.reason));
	strbuf_str(b, "\"");
	time_or_null(b, "waitFreeAt", v->wait_free_at);
	strbuf_str(b, "}");
}

void http_episode_write(strbuf *b, const books_episode_view *v, int with_access)
{
	const episode *e = &v->e;

	/* by hand, not printf: a list page writes twenty of these */
	strbuf_str(b, "{\"id\":");
	strbuf_int(b, e->id);
	strbuf_str(b, ",\"bookId\":");
	strbuf_int(b, e->book_id);
	strbuf_str(b, ",\"number\":");
	strbuf_int(b, e->number);
	strbuf_str(b, ",");
	http_json_field_str(b, "title", e->title);
	strbuf_str(b, ",\"price\":");
	strbuf_int(b, e->price);
	strbuf_str(b,
		   v->free ? ",\"free\":true,\"characters\":" : ",\"free\":false,\"characters\":");
	strbuf_int(b, e->characters);
	strbuf_str(b, ",\"views\":");
	strbuf_int(b, e->views);
	time_or_null(b, "publishedAt", e->published_at);
	time_or_null(b, "scheduledAt", e->published_at ? 0 : e->scheduled_at);
	if (with_access) {
		strbuf_str(b, ",\"access\":");
		access_write(b, v);
	}
	strbuf_str(b, "}");
}

/* ?cursor= as the last episode number of the previous page. */
static int query_after(int64_t *after, http_req *r)
{
	return http_query_cursor(after, r, "cursor");
}

static void list_episodes(http_req *r)
{
	books_reader who = http_books_reader(r);
	books_episode_view *items = NULL;
	book *b = malloc(sizeof(*b));
	int64_t after;
	strbuf out = {0};
	size_t limit, n;
	int more;
	app_err err;

	app_err_clear(&err);
	if (!b || http_query_limit(&limit, r) || query_after(&after, r))
		goto done;
	if (!(items = malloc(limit * sizeof(*items)))) {
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
		http_send_error(r, &err);
		goto done;
	}
	if (books_episodes(items, &n, &more, b, books(r), &who, r->params[0], after, limit, &err)) {
		http_send_error(r, &err);
		goto done;
	}
	strbuf_reserve(&out, 512 * (n + 1));
	strbuf_str(&out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_str(&out, ",");
		http_episode_write(&out, &items[i], 1);
	}
	if (more && n)
		strbuf_fmt(&out, "],\"nextCursor\":\"%" PRId64 "\"}", items[n - 1].e.number);
	else
		strbuf_str(&out, "],\"nextCursor\":null}");
	http_send_text(r, 200, &out);
done:
	if (!b)
		http_send_problem(r, 500, "internal", "out of memory", NULL);
	free(items);
	free(b);
}

static void number_or_null(strbuf *b, const char *name, int64_t n)
{
	if (n)
		strbuf_fmt(b, ",\"%s\":%" PRId64, name, n);
	else
		strbuf_fmt(b, ",\"%s\":null", name);
}

static void get_episode(http_req *r)
{
	books_reader who = http_books_reader(r);
	books_episode_view *v = malloc(sizeof(*v));
	book *b = malloc(sizeof(*b));
	int64_t prev, next;
	strbuf out = {0};
	app_err err;

	app_err_clear(&err);
	if (!v || !b)
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (books_episode(v, &prev, &next, b, books(r), &who, r->params[0], r->params[1],
			       &err) == 0) {
		strbuf_str(&out, "{\"episode\":");
		http_episode_write(&out, v, 0);
		strbuf_str(&out, ",\"access\":");
		access_write(&out, v);
		number_or_null(&out, "prev", prev);
		number_or_null(&out, "next", next);
		strbuf_str(&out, ",\"book\":");
		http_book_write(&out, b, 0);
		strbuf_str(&out, "}");
		http_send_text(r, 200, &out);
	}
	if (!r->status)
		http_send_error(r, &err);
	free(v);
	free(b);
}

static void episode_content(http_req *r)
{
	books_reader who = http_books_reader(r);
	books_episode_view *v = malloc(sizeof(*v));
	book *b = malloc(sizeof(*b));
	char *text = NULL;
	strbuf out = {0};
	size_t len = 0;
	app_err err;

	app_err_clear(&err);
	if (!v || !b)
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (books_read_episode(&text, &len, v, b, books(r), &who, r->params[0], r->params[1],
				    &err) == 0) {
		strbuf_reserve(&out, len + len / 8 + 1024);
		strbuf_fmt(&out, "{\"bookId\":%" PRId64 ",\"number\":%" PRId64 ",", v->e.book_id,
			   v->e.number);
		http_json_field_str(&out, "title", v->e.title);
		strbuf_str(&out, ",\"content\":");
		http_json_str(&out, text, len);
		strbuf_str(&out, "}");
		http_send_text(r, 200, &out);
	}
	if (!r->status)
		http_send_error(r, &err);
	free(text);
	free(v);
	free(b);
}

static void purchase_episode(http_req *r)
{
	books_purchase_result res;
	strbuf out = {0};
	app_err err;

	app_err_clear(&err);
	if (books_purchase_episode(&res, books(r), r->me.id, r->params[0], r->params[1],
				   http_header(r, "Idempotency-Key"), &err)) {
		http_send_error(r, &err);
		return;
	}
	strbuf_fmt(&out,
		   "{\"bookId\":%" PRId64 ",\"number\":%" PRId64 ",\"price\":%" PRId64
		   ",\"balanceAfter\":%" PRId64 "}",
		   res.book_id, res.number, res.price, res.balance_after);
	http_send_text(r, 201, &out);
}

static void wait_free(http_req *r)
{
	books_wait_free_result res;
	strbuf out = {0};
	app_err err;

	app_err_clear(&err);
	if (books_wait_free(&res, books(r), r->me.id, r->params[0], r->params[1],
			    http_header(r, "Idempotency-Key"), &err)) {
		http_send_error(r, &err);
		return;
	}
	strbuf_fmt(&out, "{\"bookId\":%" PRId64 ",\"number\":%" PRId64, res.book_id, res.number);
	time_or_null(&out, "nextAt", res.next_at);
	strbuf_str(&out, "}");
	http_send_text(r, 201, &out);
}

/* --- reading progress ---------------------------------------------------------------------- */

/* A progress object, its closing brace left to the caller. */
static void progress_fields(strbuf *b, const reading_progress *p)
{
	strbuf_fmt(b,
		   "{\"bookId\":%" PRId64 ",\"episode\":%" PRId64 ",\"anchor\":%" PRId64
		   ",\"percent\":%" PRId64,
		   p->book_id, p->number, p->anchor, p->percent);
	time_or_null(b, "updatedAt", p->updated_at);
}

static const http_field progress_body[] = {
    {"episode", HTTP_FIELD_INT, 1},
    {"anchor", HTTP_FIELD_INT, 1},
    {"percent", HTTP_FIELD_INT, 1},
    {NULL, 0, 0},
};

static void put_progress(http_req *r)
{
	books_reader who = http_books_reader(r);
	reading_progress p;
	strbuf out = {0};
	app_err err;

	app_err_clear(&err);
	if (books_progress_put(&p, books(r), &who, r->params[0], http_arg(r, "episode")->i,
			       http_arg(r, "anchor")->i, http_arg(r, "percent")->i, &err)) {
		http_send_error(r, &err);
		return;
	}
	strbuf_str(&out, "{\"progress\":");
	progress_fields(&out, &p);
	strbuf_str(&out, "}}");
	http_send_text(r, 200, &out);
}

static void get_progress(http_req *r)
{
	reading_progress p;
	strbuf out = {0};
	app_err err;
	int rc;

	app_err_clear(&err);
	rc = books_progress_get(&p, books(r), r->me.id, r->params[0], &err);
	if (rc && rc != APP_ENOTFOUND) {
		http_send_error(r, &err);
		return;
	}
	/* not read yet is an answer, not an error: a reader asks before every first episode */
	strbuf_str(&out, "{\"progress\":");
	if (rc == 0) {
		progress_fields(&out, &p);
		strbuf_str(&out, "}}");
	} else {
		strbuf_str(&out, "null}");
	}
	http_send_text(r, 200, &out);
}

/* A progress row, the book beside it: the books list holds the books, extra the progress. */
static void progress_write(strbuf *out, const book *b, const void *extra)
{
	progress_fields(out, extra);
	strbuf_str(out, ",\"book\":");
	http_book_write(out, b, 0);
	strbuf_str(out, "}");
}

static int progress_fetch(book *list, void *extra, size_t *n, int64_t cursor[2], http_req *r,
			  const void *ctx, size_t limit, app_err *err)
{
	reading_cursor after = {cursor[0], cursor[1]}, next = {0, 0};
	int rc = books_progress_list(extra, list, n, &next, books(r), r->me.id, after, limit, err);

	(void)ctx;
	cursor[0] = next.at;
	cursor[1] = next.book_id;
	return rc;
}

static void list_progress(http_req *r)
{
	static const http_book_rows page = {.extra_size = sizeof(reading_progress),
					    .paged = 1,
					    .fetch = progress_fetch,
					    .write = progress_write};

	http_send_book_rows(r, &page);
}

/* --- rankings --------------------------------------------------------------------------------- */

int http_query_period(book_period *p, http_req *r)
{
	char period[16];

	if (http_query(period, sizeof(period), r, "period"))
		return -1;
	if (period[0] && strcmp(period, "day") && strcmp(period, "week") &&
	    strcmp(period, "month")) {
		http_send_problem(r, 422, "validation_failed", "period must be day, week or month",
				  "period");
		return -1;
	}
	*p = !strcmp(period, "day")	? BOOK_PERIOD_DAY
	     : !strcmp(period, "month") ? BOOK_PERIOD_MONTH
					: BOOK_PERIOD_WEEK;
	return 0;
}

typedef struct ranking_query {
	book_period period;
	int no_ai_covers;
} ranking_query;

static int ranking_fetch(book *list, void *extra, size_t *n, int64_t cursor[2], http_req *r,
			 const void *ctx, size_t limit, app_err *err)
{
	const ranking_query *q = ctx;

	(void)cursor; /* one page */
	return books_rankings(list, extra, n, books(r), q->period, q->no_ai_covers, limit, err);
}

static void ranking_write(strbuf *out, const book *b, const void *extra)
{
	http_book_fields(out, b);
	strbuf_fmt(out, ",\"readers\":%" PRId64 "}", *(const int64_t *)extra);
}

static void rankings(http_req *r)
{
	ranking_query q;
	http_book_rows page = {.extra_size = sizeof(int64_t),
			       .ctx = &q,
			       .fetch = ranking_fetch,
			       .write = ranking_write};

	if (http_query_period(&q.period, r) || http_query_ai_covers(&q.no_ai_covers, r))
		return;
	http_send_book_rows(r, &page);
}

const http_route http_episode_routes[] = {
    {"GET", "/api/books/rankings", rankings, 0, NULL, NULL},
    {"GET", "/api/books/{id}/episodes", list_episodes, 0, NULL, NULL},
    {"GET", "/api/books/{id}/episodes/{n}", get_episode, 0, NULL, NULL},
    {"GET", "/api/books/{id}/episodes/{n}/content", episode_content, 0, NULL, NULL},
    {"POST", "/api/books/{id}/episodes/{n}/purchase", purchase_episode, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/books/{id}/episodes/{n}/wait-free", wait_free, ROUTE_MEMBER, NULL, NULL},
    {"PUT", "/api/me/progress/{bookId}", put_progress, ROUTE_MEMBER, progress_body, NULL},
    {"GET", "/api/me/progress/{bookId}", get_progress, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/me/progress", list_progress, ROUTE_MEMBER, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
