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

cJSON *http_book_json(const book *b)
{
	cJSON *o = cJSON_CreateObject(), *gen = cJSON_CreateObject();
	char url[64];

	http_add_int(o, "id", b->id);
	http_add_str(o, "title", b->title);
	http_add_int(o, "authorId", b->author_id);
	http_add_str(o, "authorName", b->author_name);
	http_add_str(o, "summary", b->summary);
	http_add_str(o, "tagline", b->tagline);
	http_add_int(o, "price", b->price);
	http_add_str(o, "priceReason", b->price_reason);
	snprintf(url, sizeof(url), "/api/books/%" PRId64 "/cover", b->id);
	http_add_str(o, "coverUrl", url);
	http_add_int(o, "views", b->views);
	cJSON_AddItemToObjectCS(o, "bestseller", cJSON_CreateBool(b->bestseller));
	http_add_time(o, "publishedAt", b->published_at);
	http_add_str(gen, "summary", b->gen_summary);
	http_add_str(gen, "price", b->gen_price);
	http_add_str(gen, "cover", b->gen_cover);
	cJSON_AddItemToObjectCS(o, "generatedBy", gen);
	return o;
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

static void send_book_page(http_req *r, book_query *q)
{
	/* books are large: not on the stack; not zeroed either, the store fills them */
	book *list = malloc(q->limit * sizeof(*list));
	book_cursor next;
	char cursor[64];
	cJSON *items;
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
	items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(items, http_book_json(&list[i]));
	free(list);
	if (next.id == 0)
		http_send_json(r, 200, http_list(items, NULL), NULL);
	else {
		if (q->sort == BOOK_SORT_NEW)
			snprintf(cursor, sizeof(cursor), "%" PRId64, next.id);
		else
			snprintf(cursor, sizeof(cursor), "%" PRId64 ".%" PRId64, next.views,
				 next.id);
		http_send_json(r, 200, http_list(items, cursor), NULL);
	}
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
	cJSON_AddItemToObject(o, "book", http_book_json(b));
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

/* The two-character escape of c, or NULL when c needs \\u00XX or none. */
static const char *short_escape(unsigned char c)
{
	switch (c) {
	case '"':
		return "\\\"";
	case '\\':
		return "\\\\";
	case '\b':
		return "\\b";
	case '\f':
		return "\\f";
	case '\n':
		return "\\n";
	case '\r':
		return "\\r";
	case '\t':
		return "\\t";
	default:
		return NULL;
	}
}

static int needs_escape(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\';
}

/* The index of the first byte at or after i that needs escaping, or len; 8 bytes a step. */
static size_t next_escape(const char *s, size_t i, size_t len)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;

	for (; i + 8 <= len; i += 8) {
		uint64_t w, q, b;

		memcpy(&w, s + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		/* any byte < 0x20, any byte equal to " or \ (exact, no false positives) */
		if ((((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b)) & highs)
			break;
	}
	for (; i < len && !needs_escape((unsigned char)s[i]); i++)
		;
	return i;
}

/*
 * s as a quoted JSON string, malloc'd: the same bytes cJSON prints (", \\ and
 * control characters escaped, UTF-8 copied as is) but scanned 8 bytes at a time
 * and copied in runs. A book's 20 KB text went through cJSON's byte-at-a-time
 * printer: 3/4 of the CPU of a content request.
 */
static char *json_quote(const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t extra = 0, run = 0;
	char *out, *p;

	for (size_t i = next_escape(s, 0, len); i < len; i = next_escape(s, i + 1, len))
		extra += short_escape((unsigned char)s[i]) ? 1 : 5;
	if (!(out = malloc(len + extra + 3)))
		return NULL;
	p = out;
	*p++ = '"';
	for (size_t i = next_escape(s, 0, len); i < len; i = next_escape(s, i + 1, len)) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = short_escape(c);

		memcpy(p, s + run, i - run);
		p += i - run;
		run = i + 1;
		if (esc) {
			memcpy(p, esc, 2);
			p += 2;
		} else {
			memcpy(p, "\\u00", 4);
			p[4] = hex[c >> 4];
			p[5] = hex[c & 15];
			p += 6;
		}
	}
	memcpy(p, s + run, len - run);
	p += len - run;
	*p++ = '"';
	*p = '\0';
	return out;
}

static void content(http_req *r)
{
	books_reader who = reader_of(r);
	book *b = malloc(sizeof(*b));
	char *text = NULL, *quoted;
	size_t len = 0;
	cJSON *o;
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
	o = cJSON_CreateObject();
	http_add_int(o, "bookId", b->id);
	cJSON_AddStringToObject(o, "title", b->title);
	quoted = json_quote(text, len);
	free(text);
	free(b);
	if (!quoted) {
		cJSON_Delete(o);
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	cJSON_AddRawToObject(o, "content", quoted);
	free(quoted);
	http_send_json(r, 200, o, NULL);
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
	for (size_t i = 0; i < n; i++) {
		cJSON *b = http_book_json(&list[i]);

		http_add_time(b, "purchasedAt", ents[i].purchased_at);
		cJSON_AddItemToArray(items, b);
	}
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
