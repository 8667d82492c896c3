/* Routes of the books core: catalog, search, details, reading, purchases, library. */
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

/* "name":time or null. */
static void time_field(strbuf *b, const char *name, int64_t ms)
{
	char ts[32];

	book_time(ts, ms);
	strbuf_fmt(b, ",\"%s\":%s%s%s", name, ts[0] ? "\"" : "", ts[0] ? ts : "null",
		   ts[0] ? "\"" : "");
}

/* The work's fields after the one-text ones. */
static void work_fields(strbuf *b, const book *bk)
{
	strbuf_fmt(b,
		   ",\"serial\":%s,\"episodeCount\":%" PRId64 ",\"freeEpisodes\":%" PRId64
		   ",\"episodePrice\":%" PRId64 ",\"waitFreeHours\":%" PRId64
		   ",\"completed\":%s,\"genre\":",
		   bk->serial ? "true" : "false", bk->episode_count, bk->free_episodes,
		   bk->episode_price, bk->wait_free_hours, bk->completed ? "true" : "false");
	if (bk->genre[0])
		http_json_str(b, bk->genre, strlen(bk->genre));
	else
		strbuf_str(b, "null");
	strbuf_str(b, ",\"tags\":[");
	for (int i = 0; i < bk->ntags; i++) {
		if (i)
			strbuf_str(b, ",");
		http_json_str(b, bk->tags[i], strlen(bk->tags[i]));
	}
	strbuf_str(b, "],");
	http_json_field_str(b, "ageRating", bk->age_rating[0] ? bk->age_rating : "all");
	strbuf_fmt(b, ",\"hidden\":%s,\"proof\":%s", bk->hidden ? "true" : "false",
		   bk->proof ? "true" : "false");
	time_field(b, "updatedAt", bk->updated_at);
}

/* ,"priceBasis": the code and its parameters, or null. */
static void price_basis(strbuf *b, const book_price_basis *p)
{
	if (!p->code[0]) {
		strbuf_str(b, ",\"priceBasis\":null");
		return;
	}
	strbuf_str(b, ",\"priceBasis\":{");
	http_json_field_str(b, "code", p->code);
	strbuf_fmt(b, ",\"minutes\":%" PRId64 ",", p->minutes);
	http_json_field_str(b, "lengthClass", p->length_class);
	strbuf_str(b, "}");
}

/*
 * ,"aiMade": which parts readers see as made by the generator (the offline one
 * included) rather than by the author: an author's own blurb, tagline, price or
 * cover clears its part.
 */
static void ai_made(strbuf *b, const book *bk)
{
	strbuf_fmt(b, ",\"aiMade\":{\"summary\":%s,\"tagline\":%s,\"price\":%s,\"cover\":%s}",
		   bk->gen_summary[0] ? "true" : "false",
		   bk->gen_tagline[0] && bk->tagline[0] ? "true" : "false",
		   bk->gen_price[0] ? "true" : "false", bk->gen_cover[0] ? "true" : "false");
}

/*
 * A part's generator as the caller is shown it: its name ("offline", a model)
 * for the work's author and admins (names set); for everyone else only that a
 * generator made it, "ai", so no internal word reaches readers. "" stays "":
 * the author made the part.
 */
static const char *generator_shown(const char *name, int names)
{
	return names || !name[0] ? name : "ai";
}

/* The book's fields, left open; names: the generators' names (its author, admins). */
static void book_fields(strbuf *b, const book *bk, int names)
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
	price_basis(b, &bk->price_basis);
	strbuf_str(b, ",\"coverUrl\":");
	http_cover_url(b, bk, NULL);
	strbuf_fmt(b,
		   ",\"views\":%" PRId64 ",\"bestseller\":%s,\"publishedAt\":%s%s%s,"
		   "\"generatedBy\":{",
		   bk->views, bk->bestseller ? "true" : "false", ts[0] ? "\"" : "",
		   ts[0] ? ts : "null", ts[0] ? "\"" : "");
	http_json_field_str(b, "summary", generator_shown(bk->gen_summary, names));
	strbuf_str(b, ",");
	http_json_field_str(b, "price", generator_shown(bk->gen_price, names));
	strbuf_str(b, ",");
	http_json_field_str(b, "cover", generator_shown(bk->gen_cover, names));
	strbuf_str(b, "}");
	ai_made(b, bk);
	work_fields(b, bk);
}

void http_book_fields(strbuf *b, const book *bk)
{
	book_fields(b, bk, 0);
}

/* How a suggestion's value reads: text, a price, or none (a cover says who drew it). */
typedef enum { AI_TEXT, AI_PRICE, AI_NONE } ai_value;

/*
 * "name":null, or "name":{"value":…,"generatedBy":…,"at":…} left open for
 * more fields: 1 when the caller closes it.
 */
static int ai_part(strbuf *b, const char *name, const books_ai_part *p, ai_value kind)
{
	char ts[32];

	strbuf_fmt(b, "\"%s\":", name);
	if (!p->present) {
		strbuf_str(b, "null");
		return 0;
	}
	http_time(ts, p->at);
	strbuf_str(b, "{");
	if (kind == AI_PRICE)
		strbuf_fmt(b, "\"value\":%lld,", strtoll(p->value, NULL, 10));
	if (kind == AI_TEXT) {
		http_json_field_str(b, "value", p->value);
		strbuf_str(b, ",");
	}
	http_json_field_str(b, "generatedBy", p->generated_by);
	strbuf_fmt(b, ",\"at\":\"%s\"", ts);
	return 1;
}

static void ai_write(strbuf *b, const books_ai *ai, const book *bk)
{
	strbuf_str(b, ",\"ai\":{");
	if (ai_part(b, "summary", &ai->summary, AI_TEXT))
		strbuf_str(b, "}");
	strbuf_str(b, ",");
	if (ai_part(b, "tagline", &ai->tagline, AI_TEXT))
		strbuf_str(b, "}");
	strbuf_str(b, ",");
	if (ai_part(b, "price", &ai->price, AI_PRICE)) {
		/* the reason for the AI's price, whatever the author set */
		strbuf_fmt(b, ",\"field\":\"%s\",", ai->per_episode ? "episodePrice" : "price");
		http_json_field_str(b, "reason", bk->price_reason);
		price_basis(b, &bk->price_basis);
		strbuf_str(b, "}");
	}
	strbuf_str(b, ",");
	if (ai_part(b, "cover", &ai->cover, AI_NONE))
		strbuf_str(b, "}");
	strbuf_str(b, "}");
}

/*
 * ,"ai":{…}: the generator's latest suggestion per part beside the author's
 * values, for the work's author and admins; nothing for anyone else.
 */
static int ai_fields(strbuf *b, http_req *r, const book *bk, app_err *err)
{
	books_reader who = http_books_reader(r);
	books_ai *ai = malloc(sizeof(*ai));
	int rc;

	if (!ai)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = books_ai_get(ai, books(r), &who, bk, err)) == 0)
		ai_write(b, ai, bk);
	free(ai);
	if (rc == APP_ENOTFOUND) {
		app_err_clear(err);
		return 0;
	}
	return rc;
}

/* 1 when the caller is bk's author or an admin: shown the generators' names and the ai fields. */
static int sees_generators(http_req *r, const book *bk)
{
	return r->authenticated && ((r->me.roles & MEMBER_ROLE_ADMIN) || r->me.id == bk->author_id);
}

/* {"book":…} with its ai fields for its author and admins; *err on failure (nothing sent). */
static int book_answer(strbuf *out, http_req *r, const book *bk, app_err *err)
{
	strbuf_str(out, "{\"book\":");
	book_fields(out, bk, sees_generators(r, bk));
	if (ai_fields(out, r, bk, err))
		return -1;
	strbuf_str(out, "}");
	return 0;
}

void http_send_book(http_req *r, int status, const book *bk)
{
	strbuf out = {0};
	app_err err;

	app_err_clear(&err);
	if (book_answer(&out, r, bk, &err)) {
		strbuf_dispose(&out);
		http_send_error(r, &err);
		return;
	}
	strbuf_str(&out, "}");
	http_send_text(r, status, &out);
}

void http_send_book_rows(http_req *r, const http_book_rows *p)
{
	int64_t cursor[2] = {0, 0};
	book *list = NULL;
	char *extra = NULL;
	strbuf out = {0};
	size_t limit, n = 0;
	app_err err;

	if (http_query_limit(&limit, r) || (p->paged && http_query_pair(&cursor[0], &cursor[1], r)))
		return;
	app_err_clear(&err);
	if (!(list = malloc(limit * sizeof(*list))) || !(extra = malloc(limit * p->extra_size))) {
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	} else if (p->fetch(list, extra, &n, cursor, r, p->ctx, limit, &err) == 0) {
		strbuf_fmt(&out, "{%s\"items\":[", p->head ? p->head : "");
		for (size_t i = 0; i < n; i++) {
			strbuf_str(&out, i ? "," : "");
			p->write(&out, &list[i], extra + i * p->extra_size);
		}
		if (p->paged && cursor[1])
			strbuf_fmt(&out, "],\"nextCursor\":\"%" PRId64 ".%" PRId64 "\"}", cursor[0],
				   cursor[1]);
		else
			strbuf_str(&out, "],\"nextCursor\":null}");
		http_send_text(r, 200, &out);
	}
	if (!r->status)
		http_send_error(r, &err);
	free(list);
	free(extra);
}

void http_book_write(strbuf *b, const book *bk, int64_t purchased_at)
{
	http_book_fields(b, bk);
	if (purchased_at)
		time_field(b, "purchasedAt", purchased_at);
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

books_reader http_books_reader(http_req *r)
{
	books_reader who = {0};

	if (r->authenticated) {
		who.member_id = r->me.id;
		who.is_admin = (r->me.roles & MEMBER_ROLE_ADMIN) != 0;
		who.member_since = r->me.created_at;
	}
	/* the address a trusted proxy vouches for, as the limits see it */
	who.client = r->client_text[0] ? r->client_text : r->ri->remote_addr;
	return who;
}

int http_parse_pair(int64_t *a, int64_t *b, const char *text)
{
	char *end;
	long long x, y;

	x = strtoll(text, &end, 10);
	if (end == text || *end != '.' || x < 0)
		return -1;
	text = end + 1;
	y = strtoll(text, &end, 10);
	if (end == text || *end || y <= 0)
		return -1;
	*a = x;
	*b = y;
	return 0;
}

int http_query_pair(int64_t *a, int64_t *b, http_req *r)
{
	char buf[64];

	*a = *b = 0;
	if (http_query(buf, sizeof(buf), r, "cursor"))
		return -1;
	if (!buf[0])
		return 0;
	if (http_parse_pair(a, b, buf) == 0)
		return 0;
	http_send_problem(r, 422, "validation_failed", "the cursor is not valid", "cursor");
	return -1;
}

/* Cursor text: "ID" for new, "KEY.ID" for the others (views, or updatedAt in ms). */
static int parse_cursor(book_cursor *c, http_req *r, book_sort sort)
{
	char buf[64], *end;
	long long a;

	memset(c, 0, sizeof(*c));
	if (sort != BOOK_SORT_NEW)
		return http_query_pair(&c->views, &c->id, r);
	if (http_query(buf, sizeof(buf), r, "cursor"))
		return -1;
	if (!buf[0])
		return 0;
	a = strtoll(buf, &end, 10);
	if (*end || end == buf || a <= 0) {
		http_send_problem(r, 422, "validation_failed", "the cursor is not valid", "cursor");
		return -1;
	}
	c->id = a;
	return 0;
}

void http_send_text(http_req *r, int status, strbuf *out)
{
	if (out->oom)
		http_send_problem(r, 500, "internal", "out of memory", NULL);
	else
		http_send_bytes(r, status, "application/json", out->s, out->len, NULL);
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
		book_fields(&out, &list[i], sees_generators(r, &list[i]));
		strbuf_str(&out, "}");
	}
	free(list);
	if (next.id == 0)
		strbuf_str(&out, "],\"nextCursor\":null}");
	else if (q->sort == BOOK_SORT_NEW)
		strbuf_fmt(&out, "],\"nextCursor\":\"%" PRId64 "\"}", next.id);
	else
		strbuf_fmt(&out, "],\"nextCursor\":\"%" PRId64 ".%" PRId64 "\"}", next.views,
			   next.id);
	http_send_text(r, 200, &out);
}

/* The catalog's filters: genre=, tag=, completed=true|false. */
static int parse_filters(book_query *q, char *genre, char *tag, size_t cap, http_req *r)
{
	char done[16];

	if (http_query(genre, cap, r, "genre") || http_query(tag, cap, r, "tag") ||
	    http_query(done, sizeof(done), r, "completed"))
		return -1;
	if (genre[0])
		q->genre = genre;
	if (tag[0])
		q->tag = tag;
	if (!done[0])
		return 0;
	if (strcmp(done, "true") && strcmp(done, "false")) {
		http_send_problem(r, 422, "validation_failed", "completed must be true or false",
				  "completed");
		return -1;
	}
	q->completed = !strcmp(done, "true") ? BOOK_COMPLETED : BOOK_ONGOING;
	return 0;
}

int http_query_ai_covers(int *hide, http_req *r)
{
	char v[8];

	if (http_query(v, sizeof(v), r, "aiCovers"))
		return -1;
	if (v[0] && strcmp(v, "hide") && strcmp(v, "show")) {
		http_send_problem(r, 422, "validation_failed", "aiCovers must be hide or show",
				  "aiCovers");
		return -1;
	}
	*hide = !strcmp(v, "hide");
	return 0;
}

static void list_books(http_req *r)
{
	char sort[16], q[512], genre[BOOK_TAG_BYTES], tag[BOOK_TAG_BYTES];
	book_query query;

	memset(&query, 0, sizeof(query));
	if (http_query(sort, sizeof(sort), r, "sort") || http_query(q, sizeof(q), r, "q"))
		return; /* refused: 422 sent */
	if (sort[0] && strcmp(sort, "new") != 0 && strcmp(sort, "popular") != 0 &&
	    strcmp(sort, "updated") != 0) {
		http_send_problem(r, 422, "validation_failed",
				  "sort must be new, popular or updated", "sort");
		return;
	}
	query.sort = !strcmp(sort, "popular")	? BOOK_SORT_POPULAR
		     : !strcmp(sort, "updated") ? BOOK_SORT_UPDATED
						: BOOK_SORT_NEW;
	if (q[0])
		query.q = q;
	if (parse_filters(&query, genre, tag, sizeof(genre), r) ||
	    http_query_ai_covers(&query.no_ai_covers, r) || http_query_limit(&query.limit, r) ||
	    parse_cursor(&query.after, r, query.sort))
		return;
	send_book_page(r, &query);
}

/* Every book for admins, hidden ones too (each says so), newest first; q= searches. */
static void admin_books(http_req *r)
{
	book_query query = {.sort = BOOK_SORT_NEW, .with_hidden = 1};
	char q[512];

	if (http_query(q, sizeof(q), r, "q") || http_query_limit(&query.limit, r) ||
	    parse_cursor(&query.after, r, query.sort))
		return;
	if (q[0])
		query.q = q;
	send_book_page(r, &query);
}

static void bestsellers(http_req *r)
{
	book_query query;

	memset(&query, 0, sizeof(query));
	query.sort = BOOK_SORT_BESTSELLERS;
	if (http_query_ai_covers(&query.no_ai_covers, r) || http_query_limit(&query.limit, r) ||
	    parse_cursor(&query.after, r, query.sort))
		return;
	send_book_page(r, &query);
}

static void get_book(http_req *r)
{
	books_reader who = http_books_reader(r);
	book *b = malloc(sizeof(*b));
	book_access a;
	strbuf out = {0};
	app_err err;

	if (!b) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	app_err_clear(&err);
	if (books_get(b, &a, books(r), &who, r->params[0], &err) || book_answer(&out, r, b, &err)) {
		free(b);
		strbuf_dispose(&out);
		http_send_error(r, &err);
		return;
	}
	strbuf_fmt(&out, ",\"access\":{\"canRead\":%s,\"reason\":\"%s\"}}",
		   a.can_read ? "true" : "false", book_access_reason_name(a.reason));
	free(b);
	http_send_text(r, 200, &out);
}

static void content(http_req *r)
{
	books_reader who = http_books_reader(r);
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
	http_send_text(r, 200, &out);
}

/* Every remaining paid episode: {bookId, price, balanceAfter, episodes:[n...]}. */
static void purchase(http_req *r)
{
	int64_t *numbers = NULL;
	books_purchase_result res;
	strbuf out = {0};
	size_t n = 0;
	app_err err;

	app_err_clear(&err);
	if (books_purchase(&res, books(r), r->me.id, r->params[0],
			   http_header(r, "Idempotency-Key"), &err)) {
		http_send_error(r, &err);
		return;
	}
	if (!(numbers = malloc((size_t)(res.count ? res.count : 1) * sizeof(*numbers))) ||
	    books_purchased(numbers, &n, books(r), r->me.id, res.book_id, res.batch,
			    (size_t)res.count, &err)) {
		free(numbers);
		if (!numbers)
			app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
		http_send_error(r, &err);
		return;
	}
	strbuf_fmt(&out,
		   "{\"bookId\":%" PRId64 ",\"price\":%" PRId64 ",\"balanceAfter\":%" PRId64
		   ",\"episodes\":[",
		   res.book_id, res.price, res.balance_after);
	for (size_t i = 0; i < n; i++)
		strbuf_fmt(&out, "%s%" PRId64, i ? "," : "", numbers[i]);
	strbuf_str(&out, "]}");
	free(numbers);
	http_send_text(r, 201, &out);
}

/* Library rows: a book and {purchasedAt, ownedEpisodes, lastRead, newEpisodes}. */
static void library_write(strbuf *out, const book *b, const void *extra)
{
	const book_shelf *s = extra;

	http_book_fields(out, b);
	time_field(out, "purchasedAt", s->purchased_at);
	strbuf_fmt(out, ",\"ownedEpisodes\":%" PRId64 ",\"lastRead\":", s->owned_episodes);
	if (s->last_read) {
		strbuf_fmt(out, "{\"episode\":%" PRId64, s->last_read);
		time_field(out, "at", s->last_read_at);
		strbuf_str(out, "}");
	} else {
		strbuf_str(out, "null");
	}
	strbuf_fmt(out, ",\"newEpisodes\":%" PRId64 "}", s->new_episodes);
}

static int library_fetch(book *list, void *extra, size_t *n, int64_t cursor[2], http_req *r,
			 const void *ctx, size_t limit, app_err *err)
{
	book_shelf_cursor after = {cursor[0], cursor[1]}, next = {0, 0};
	int rc = books_library(list, extra, n, &next, books(r), r->me.id, after, limit, err);

	(void)ctx;
	cursor[0] = next.at;
	cursor[1] = next.book_id;
	return rc;
}

static void library(http_req *r)
{
	static const http_book_rows page = {.extra_size = sizeof(book_shelf),
					    .paged = 1,
					    .fetch = library_fetch,
					    .write = library_write};

	http_send_book_rows(r, &page);
}

const http_route http_book_routes[] = {
    {"GET", "/api/books", list_books, 0, NULL, NULL},
    {"GET", "/api/books/bestsellers", bestsellers, 0, NULL, NULL},
    {"GET", "/api/books/{id}", get_book, 0, NULL, NULL},
    {"GET", "/api/books/{id}/content", content, 0, NULL, NULL},
    {"POST", "/api/books/{id}/purchase", purchase, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/me/library", library, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/api/admin/books", admin_books, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
