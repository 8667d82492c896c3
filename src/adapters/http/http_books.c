/* Routes of the books core: catalog, search, details, covers, reading, purchases, library. */
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

/* RFC 3339, or "" for 0. */
static void book_time(char ts[32], int64_t ms)
{
	if (ms)
		http_time(ts, ms);
	else
		ts[0] = '\0';
}

void http_book_write(strbuf *b, const book *bk, int64_t purchased_at)
{
	char ts[32];

	book_time(ts, bk->published_at);
	strbuf_fmt(b, "{\"id\":%" PRId64 ",", bk->id);
	http_json_field_str(b, "title", bk->title);
	strbuf_fmt(b, ",\"authorId\":%" PRId64 ",", bk->author_id);
	http_json_field_str(b, "authorName", bk->author_name);
	strbuf_str(b, ",");
	http_json_field_str(b, "summary", bk->summary);
	strbuf_str(b, ",");
	http_json_field_str(b, "tagline", bk->tagline);
	strbuf_fmt(b, ",\"price\":%" PRId64 ",", bk->price);
	http_json_field_str(b, "priceReason", bk->price_reason);
	strbuf_fmt(b,
		   ",\"coverUrl\":\"/api/books/%" PRId64 "/cover\",\"views\":%" PRId64
		   ",\"bestseller\":%s,\"publishedAt\":%s%s%s,\"generatedBy\":{",
		   bk->id, bk->views, bk->bestseller ? "true" : "false", ts[0] ? "\"" : "",
		   ts[0] ? ts : "null", ts[0] ? "\"" : "");
	http_json_field_str(b, "summary", bk->gen_summary);
	strbuf_str(b, ",");
	http_json_field_str(b, "price", bk->gen_price);
	strbuf_str(b, ",");
	http_json_field_str(b, "cover", bk->gen_cover);
	strbuf_str(b, "}");
	if (purchased_at) {
		book_time(ts, purchased_at);
		strbuf_fmt(b, ",\"purchasedAt\":\"%s\"", ts);
	}
	strbuf_str(b, "}");
}

cJSON *http_book_json(const book *bk, int64_t purchased_at)
{
	strbuf b = {0};
	cJSON *raw;

	http_book_write(&b, bk, purchased_at);
	raw = b.oom ? NULL : cJSON_CreateRaw(b.s); /* NULL fails the answer like any cJSON OOM */
	strbuf_dispose(&b);
	return raw;
}

static books_reader reader_of(http_req *r)
{
	books_reader who = {0, 0};

	if (r->authenticated) {
		who.member_id = r->me.id;
		who.is_admin = (r->me.roles & MEMBER_ROLE_ADMIN) != 0;
	}
	return who;
}

/* Cursor text: "ID" for new, "VIEWS.ID" for popular and bestsellers. */
static int parse_cursor(book_cursor *c, http_req *r, book_sort sort)
{
	char buf[64], *end;
	long long a, b = 0;

	memset(c, 0, sizeof(*c));
	if (http_query(buf, sizeof(buf), r, "cursor") != 0 || !buf[0])
		return 0;
	a = strtoll(buf, &end, 10);
	if (sort != BOOK_SORT_NEW && *end == '.')
		b = strtoll(end + 1, &end, 10);
	if (*end || a < 0 || b < 0 || (sort != BOOK_SORT_NEW && b == 0) ||
	    (sort == BOOK_SORT_NEW && a == 0)) {
		http_send_problem(r, 422, "validation_failed", "the cursor is not valid", "cursor");
		return -1;
	}
	if (sort == BOOK_SORT_NEW)
		c->id = a;
	else {
		c->views = a;
		c->id = b;
	}
	return 0;
}

/* Sends a JSON text built in out (500 if building it ran out of memory) and frees it. */
static void send_text(http_req *r, strbuf *out)
{
	if (out->oom)
		http_send_problem(r, 500, "internal", "out of memory", NULL);
	else
		http_send_bytes(r, 200, "application/json", out->s, out->len, NULL);
	strbuf_dispose(out);
}

static void send_book_page(http_req *r, book_query *q)
{
	/* books are large: not on the stack; not zeroed either, the store fills them */
	book *list = malloc(q->limit * sizeof(*list));
	book_cursor next;
	strbuf out = {0};
	size_t n;
	app_err err;

	if (!list) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	app_err_clear(&err);
	if (books_list(list, &n, &next, books(r), q, &err)) {
		free(list);
		http_send_error(r, &err);
		return;
	}
	/* written straight into one buffer: a cJSON tree of a page was ~500 allocations */
	strbuf_reserve(&out, 16384);
	strbuf_str(&out, "{\"items\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_str(&out, ",");
		http_book_write(&out, &list[i], 0);
	}
	free(list);
	if (next.id == 0)
		strbuf_str(&out, "],\"nextCursor\":null}");
	else if (q->sort == BOOK_SORT_NEW)
		strbuf_fmt(&out, "],\"nextCursor\":\"%" PRId64 "\"}", next.id);
	else
		strbuf_fmt(&out, "],\"nextCursor\":\"%" PRId64 ".%" PRId64 "\"}", next.views,
			   next.id);
	send_text(r, &out);
}

static void list_books(http_req *r)
{
	char sort[16] = "new", q[512];
	book_query query;

	memset(&query, 0, sizeof(query));
	if (http_query(sort, sizeof(sort), r, "sort") == 0 && strcmp(sort, "new") != 0 &&
	    strcmp(sort, "popular") != 0) {
		http_send_problem(r, 422, "validation_failed", "sort must be new or popular",
				  "sort");
		return;
	}
	query.sort = strcmp(sort, "popular") == 0 ? BOOK_SORT_POPULAR : BOOK_SORT_NEW;
	if (http_query(q, sizeof(q), r, "q") == 0 && q[0])
		query.q = q;
	if (http_query_limit(&query.limit, r) || parse_cursor(&query.after, r, query.sort))
		return;
	send_book_page(r, &query);
}

static void bestsellers(http_req *r)
{
	book_query query;

	memset(&query, 0, sizeof(query));
	query.sort = BOOK_SORT_BESTSELLERS;
	if (http_query_limit(&query.limit, r) || parse_cursor(&query.after, r, query.sort))
		return;
	send_book_page(r, &query);
}

static void get_book(http_req *r)
{
	books_reader who = reader_of(r);
	book *b = malloc(sizeof(*b));
	book_access a;
	cJSON *o, *acc;
	app_err err;

	if (!b) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	app_err_clear(&err);
	if (books_get(b, &a, books(r), &who, r->params[0], &err)) {
		free(b);
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "book", http_book_json(b, 0));
	acc = cJSON_CreateObject();
	cJSON_AddBoolToObject(acc, "canRead", a.can_read);
	cJSON_AddStringToObject(acc, "reason", book_access_reason_name(a.reason));
	cJSON_AddItemToObject(o, "access", acc);
	free(b);
	http_send_json(r, 200, o, NULL);
}

static void cover(http_req *r)
{
	const char *inm = http_header(r, "If-None-Match");
	char mime[32], etag[48], headers[512];
	unsigned char *data = NULL;
	size_t len = 0;
	app_err err;

	app_err_clear(&err);
	if (books_cover(&data, &len, mime, etag, books(r), r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	/* A book's cover never changes; an SVG may carry no script and load nothing. */
	snprintf(
	    headers, sizeof(headers),
	    "ETag: %s\r\nCache-Control: public, max-age=31536000, immutable\r\n"
	    "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; sandbox\r\n",
	    etag);
	if (inm && strcmp(inm, etag) == 0)
		http_send_empty(r, 304, headers);
	else
		http_send_bytes(r, 200, mime, data, len, headers);
	free(data);
}

static void content(http_req *r)
{
	books_reader who = reader_of(r);
	book *b = malloc(sizeof(*b));
	char *text = NULL;
	size_t len = 0;
	strbuf out = {0};
	app_err err;

	if (!b) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	app_err_clear(&err);
	if (books_read(&text, &len, b, books(r), &who, r->params[0], &err)) {
		free(b);
		http_send_error(r, &err);
		return;
	}
	strbuf_reserve(&out, len + len / 8 + 1024);
	strbuf_fmt(&out, "{\"bookId\":%" PRId64 ",", b->id);
	http_json_field_str(&out, "title", b->title);
	strbuf_str(&out, ",\"content\":");
	http_json_str(&out, text, len);
	strbuf_str(&out, "}");
	free(text);
	free(b);
	send_text(r, &out);
}

static void purchase(http_req *r)
{
	books_purchase_result res;
	cJSON *o;
	app_err err;

	app_err_clear(&err);
	if (books_purchase(&res, books(r), r->me.id, r->params[0],
			   http_header(r, "Idempotency-Key"), &err)) {
		http_send_error(r, &err);
		return;
	}
	o = cJSON_CreateObject();
	http_add_int(o, "bookId", res.book_id);
	http_add_int(o, "price", res.price);
	http_add_int(o, "balanceAfter", res.balance_after);
	http_send_json(r, 201, o, NULL);
}

static void library(http_req *r)
{
	book *list;
	book_entitlement *ents;
	int64_t cursor, next;
	size_t limit, n;
	cJSON *items;
	app_err err;

	if (http_query_limit(&limit, r) || http_query_cursor(&cursor, r, "cursor"))
		return;
	list = calloc(limit, sizeof(*list));
	ents = calloc(limit, sizeof(*ents));
	app_err_clear(&err);
	if (!list || !ents) {
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto fail;
	}
	if (books_library(list, ents, &n, &next, books(r), r->me.id, cursor, limit, &err))
		goto fail;
	items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, http_book_json(&list[i], ents[i].purchased_at));
	free(list);
	free(ents);
	http_send_json(r, 200, http_list_next_id(items, next), NULL);
	return;
fail:
	free(list);
	free(ents);
	http_send_error(r, &err);
}

const http_route http_book_routes[] = {
    {"GET", "/api/books", list_books, 0},
    {"GET", "/api/books/bestsellers", bestsellers, 0},
    {"GET", "/api/books/{id}", get_book, 0},
    {"GET", "/api/books/{id}/cover", cover, 0},
    {"GET", "/api/books/{id}/content", content, 0},
    {"POST", "/api/books/{id}/purchase", purchase, ROUTE_MEMBER},
    {"GET", "/api/me/library", library, ROUTE_MEMBER},
    {NULL, NULL, NULL, 0},
};
