/* Routes of editing a work: PATCH of the work and of an episode, and its change log. */
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

static int unknown_field(const cJSON *body, const char *const *known, app_err *err)
{
	for (const cJSON *f = body->child; f; f = f->next) {
		size_t i;

		for (i = 0; known[i] && strcmp(known[i], f->string); i++)
			;
		if (!known[i])
			return app_err_set(err, APP_EINVALID, "validation_failed", f->string,
					   "%.20s is not a field of this resource", f->string);
	}
	return 0;
}

/* genre: a code or null (no genre). */
static int genre_of(books_patch *p, const cJSON *body, app_err *err)
{
	const cJSON *g = cJSON_GetObjectItemCaseSensitive(body, "genre");

	if (!g)
		return 0;
	p->fields |= BOOK_FIELD_GENRE;
	p->genre = "";
	return cJSON_IsNull(g) ? 0 : http_field_string(&p->genre, body, "genre", 1, err);
}

/* tags: an array of strings; *tags (the caller frees) points into body. */
static int tags_of(books_patch *p, const char ***tags, const cJSON *body, app_err *err)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "tags"), *it;
	size_t n = 0;

	*tags = NULL;
	if (!t)
		return 0;
	if (!cJSON_IsArray(t))
		return app_err_set(err, APP_EMALFORMED, "invalid_json", "tags",
				   "tags must be an array of strings");
	if (cJSON_GetArraySize(t) > BOOK_TAGS_MAX)
		return app_err_set(err, APP_EINVALID, "validation_failed", "tags",
				   "at most %d tags", BOOK_TAGS_MAX);
	if (!(*tags = calloc(BOOK_TAGS_MAX, sizeof(**tags))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	cJSON_ArrayForEach(it, t)
	{
		if (!cJSON_IsString(it))
			return app_err_set(err, APP_EMALFORMED, "invalid_json", "tags",
					   "tags must be an array of strings");
		(*tags)[n++] = it->valuestring;
	}
	p->fields |= BOOK_FIELD_TAGS;
	p->tags = *tags;
	p->ntags = n;
	return 0;
}

/* A field of the patch: flag set when present, value read with its type checked. */
static int int_of(books_patch *p, int64_t *v, unsigned flag, const cJSON *body, const char *name,
		  app_err *err)
{
	if (!cJSON_GetObjectItemCaseSensitive(body, name))
		return 0;
	p->fields |= flag;
	return http_field_int(v, body, name, 1, err);
}

static int bool_of(books_patch *p, int *v, unsigned flag, const cJSON *body, const char *name,
		   app_err *err)
{
	if (!cJSON_GetObjectItemCaseSensitive(body, name))
		return 0;
	p->fields |= flag;
	return http_field_bool(v, body, name, 1, err);
}

static int str_of(books_patch *p, const char **v, unsigned flag, const cJSON *body,
		  const char *name, app_err *err)
{
	if (!cJSON_GetObjectItemCaseSensitive(body, name))
		return 0;
	p->fields |= flag;
	return http_field_string(v, body, name, 1, err);
}

int http_book_patch_of(books_patch *p, const char ***tags, const cJSON *body, app_err *err)
{
	static const char *const known[] = {
	    "summary",	 "tagline", "price", "episodePrice", "freeEpisodes", "waitFreeHours",
	    "completed", "genre",   "tags",  "ageRating",    "hidden",	     NULL,
	};

	memset(p, 0, sizeof(*p));
	return unknown_field(body, known, err) ||
	       str_of(p, &p->summary, BOOK_FIELD_SUMMARY, body, "summary", err) ||
	       str_of(p, &p->tagline, BOOK_FIELD_TAGLINE, body, "tagline", err) ||
	       int_of(p, &p->price, BOOK_FIELD_PRICE, body, "price", err) ||
	       int_of(p, &p->episode_price, BOOK_FIELD_EPISODE_PRICE, body, "episodePrice", err) ||
	       int_of(p, &p->free_episodes, BOOK_FIELD_FREE_EPISODES, body, "freeEpisodes", err) ||
	       int_of(p, &p->wait_free_hours, BOOK_FIELD_WAIT_FREE, body, "waitFreeHours", err) ||
	       bool_of(p, &p->completed, BOOK_FIELD_COMPLETED, body, "completed", err) ||
	       bool_of(p, &p->hidden, BOOK_FIELD_HIDDEN, body, "hidden", err) ||
	       str_of(p, &p->age_rating, BOOK_FIELD_AGE, body, "ageRating", err) ||
	       genre_of(p, body, err) || tags_of(p, tags, body, err);
}

static void patch_book(http_req *r)
{
	books_reader who = http_books_reader(r);
	cJSON *body = http_body_object(r);
	const char **tags = NULL;
	book *b = malloc(sizeof(*b));
	books_patch p;
	app_err err;

	app_err_clear(&err);
	if (!body)
		goto done;
	if (!b)
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (http_book_patch_of(&p, &tags, body, &err) == 0 &&
		 books_update(b, books(r), &who, r->params[0], &p, &err) == 0) {
		http_send_book(r, 200, b);
	}
	if (!r->status)
		http_send_error(r, &err);
done:
	free(tags);
	free(b);
}

static void patch_episode(http_req *r)
{
	static const char *const known[] = {"title", "content", "price", NULL};
	books_reader who = http_books_reader(r);
	cJSON *body = http_body_object(r);
	books_episode_patch p = {0};
	episode *e = malloc(sizeof(*e));
	app_err err;

	app_err_clear(&err);
	if (!body)
		goto done;
	if (!e)
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (unknown_field(body, known, &err) == 0 &&
		 http_field_string(&p.title, body, "title", 0, &err) == 0 &&
		 http_field_string(&p.content, body, "content", 0, &err) == 0 &&
		 http_field_int(&p.price, body, "price", 0, &err) == 0) {
		p.has_price = cJSON_GetObjectItemCaseSensitive(body, "price") != NULL;
		p.content_len = p.content ? strlen(p.content) : 0;
		if (books_episode_update(e, books(r), &who, r->params[0], r->params[1], &p, &err) ==
		    0) {
			books_episode_view v = {.e = *e};
			strbuf out = {0};

			/* the author's view of it: the access is the author's own */
			v.access = (book_access){1, BOOK_ACCESS_AUTHOR, 1};
			strbuf_str(&out, "{\"episode\":");
			http_episode_write(&out, &v, 1);
			strbuf_str(&out, "}");
			http_send_text(r, 200, &out);
		}
	}
	if (!r->status)
		http_send_error(r, &err);
done:
	free(e);
}

/* --- regeneration -------------------------------------------------------------------------- */

/* parts: a non-empty array of distinct part names, into *mask. */
static int parts_of(unsigned *mask, const cJSON *body, app_err *err)
{
	const cJSON *parts = cJSON_GetObjectItemCaseSensitive(body, "parts"), *it;

	*mask = 0;
	if (!parts)
		return app_err_set(err, APP_EINVALID, "validation_failed", "parts",
				   "parts is required");
	if (!cJSON_IsArray(parts))
		return app_err_set(err, APP_EMALFORMED, "invalid_json", "parts",
				   "parts must be an array of strings");
	cJSON_ArrayForEach(it, parts)
	{
		unsigned bit;

		if (!cJSON_IsString(it))
			return app_err_set(err, APP_EMALFORMED, "invalid_json", "parts",
					   "parts must be an array of strings");
		if (!(bit = aigen_regen_part_parse(it->valuestring)))
			return app_err_set(err, APP_EINVALID, "validation_failed", "parts",
					   "parts are summary, tagline, price and cover");
		if (*mask & bit)
			return app_err_set(err, APP_EINVALID, "validation_failed", "parts",
					   "%s is named twice", it->valuestring);
		*mask |= bit;
	}
	if (!*mask)
		return app_err_set(err, APP_EINVALID, "validation_failed", "parts",
				   "name at least one part");
	return 0;
}

static void job_write(strbuf *b, const aigen_job *j)
{
	char ts[32];
	int first = 1;

	http_time(ts, j->created_at);
	strbuf_fmt(b, "{\"job\":{\"id\":%" PRId64 ",\"bookId\":%" PRId64 ",\"parts\":[", j->id,
		   j->book_id);
	for (unsigned bit = 1; bit & AIGEN_REGEN_ALL; bit <<= 1)
		if (j->parts & bit) {
			strbuf_fmt(b, "%s\"%s\"", first ? "" : ",", aigen_regen_part_name(bit));
			first = 0;
		}
	strbuf_fmt(b, "],\"variant\":%" PRId64 ",\"status\":\"%s\",\"createdAt\":\"%s\"}}",
		   j->variant, aigen_job_status_str(j->status), ts);
}

static void regenerate(http_req *r)
{
	static const char *const known[] = {"parts", "replaceAuthorsCover", NULL};
	cJSON *body = http_body_object(r);
	int replace = 0;
	strbuf out = {0};
	unsigned parts;
	aigen_job j;
	app_err err;

	app_err_clear(&err);
	if (!body)
		return;
	if (unknown_field(body, known, &err) == 0 && parts_of(&parts, body, &err) == 0 &&
	    http_field_bool(&replace, body, "replaceAuthorsCover", 0, &err) == 0 &&
	    aigen_regenerate(&j, r->svc->aigen, r->me.id, r->params[0], parts, replace, &err) ==
		0) {
		job_write(&out, &j);
		http_send_text(r, 202, &out);
		return;
	}
	http_send_error(r, &err);
}

static void accept(http_req *r)
{
	books_reader who = http_books_reader(r);
	book *b = malloc(sizeof(*b));
	app_err err;

	app_err_clear(&err);
	if (!b)
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (books_accept(b, books(r), &who, r->params[0], &err) == 0)
		http_send_book(r, 200, b);
	if (!r->status)
		http_send_error(r, &err);
	free(b);
}

/* --- the change log ------------------------------------------------------------------------ */

/* How a field's values read in JSON: numbers, flags, the tag list or text. */
typedef enum { VALUE_TEXT, VALUE_NUMBER, VALUE_FLAG, VALUE_TAGS } value_kind;

static value_kind kind_of(const char *field)
{
	static const char *const numbers[] = {"price", "episodePrice", "freeEpisodes",
					      "waitFreeHours"};
	const char *slash = strrchr(field, '/');

	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		if (!strcmp(field, numbers[i]))
			return VALUE_NUMBER;
	if (slash && (!strcmp(slash, "/price") || !strcmp(slash, "/content")))
		return VALUE_NUMBER; /* an episode's price, its text's length */
	if (!strcmp(field, "completed") || !strcmp(field, "hidden") || !strcmp(field, "proof"))
		return VALUE_FLAG;
	return !strcmp(field, "tags") ? VALUE_TAGS : VALUE_TEXT;
}

static void value_write(strbuf *b, const char *field, const char *v)
{
	switch (v[0] ? kind_of(field) : VALUE_TEXT) {
	case VALUE_NUMBER:
		strbuf_fmt(b, "%lld", strtoll(v, NULL, 10));
		return;
	case VALUE_FLAG:
		strbuf_str(b, !strcmp(v, "true") ? "true" : "false");
		return;
	case VALUE_TAGS:
		strbuf_str(b, "[");
		for (const char *s = v; *s;) {
			size_t n = strcspn(s, "\n");

			strbuf_str(b, s == v ? "" : ",");
			http_json_str(b, s, n);
			s += n + (s[n] == '\n');
		}
		strbuf_str(b, "]");
		return;
	case VALUE_TEXT:
		if (v[0] || !strcmp(field, "tags"))
			http_json_str(b, v, strlen(v));
		else
			strbuf_str(b, "null");
		return;
	}
}

static void change_write(strbuf *b, const book_change *c)
{
	char ts[32];

	http_time(ts, c->at);
	strbuf_fmt(b, "{\"id\":%" PRId64 ",\"at\":\"%s\",\"by\":", c->id, ts);
	if (c->by)
		strbuf_fmt(b, "%" PRId64, c->by);
	else
		strbuf_str(b, "null");
	strbuf_str(b, ",");
	http_json_field_str(b, "field", c->field);
	strbuf_str(b, ",\"from\":");
	value_write(b, c->field, c->from);
	strbuf_str(b, ",\"to\":");
	value_write(b, c->field, c->to);
	strbuf_str(b, ",\"generatedBy\":");
	if (c->generated_by[0])
		http_json_str(b, c->generated_by, strlen(c->generated_by));
	else
		strbuf_str(b, "null");
	strbuf_str(b, "}");
}

static void history(http_req *r)
{
	books_reader who = http_books_reader(r);
	book_change *items = NULL;
	int64_t before, next;
	strbuf out = {0};
	size_t limit, n;
	app_err err;

	if (http_query_limit(&limit, r) || http_query_cursor(&before, r, "cursor"))
		return;
	app_err_clear(&err);
	if (!(items = malloc(limit * sizeof(*items))))
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (books_history(items, &n, &next, books(r), &who, r->params[0], before, limit,
			       &err) == 0) {
		strbuf_str(&out, "{\"items\":[");
		for (size_t i = 0; i < n; i++) {
			strbuf_str(&out, i ? "," : "");
			change_write(&out, &items[i]);
		}
		if (next)
			strbuf_fmt(&out, "],\"nextCursor\":\"%" PRId64 "\"}", next);
		else
			strbuf_str(&out, "],\"nextCursor\":null}");
		http_send_text(r, 200, &out);
	}
	if (!r->status)
		http_send_error(r, &err);
	free(items);
}

/*
 * Before a body is read: the book's author (or, admin_ok, an admin) goes on;
 * anyone else gets the 404 the core would give after reading it.
 */
int http_book_editor(http_req *r, int admin_ok)
{
	books_reader who = http_books_reader(r);
	book *b = malloc(sizeof(*b));
	app_err err;
	int rc;

	app_err_clear(&err);
	if (!b)
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (books_get(b, NULL, books(r), &who, r->params[0], &err) == 0 &&
		 b->author_id != r->me.id && !(admin_ok && who.is_admin))
		app_err_set(&err, APP_ENOTFOUND, NULL, NULL, "no such book");
	free(b);
	if ((rc = err.code != 0))
		http_send_error(r, &err);
	return rc;
}

static int book_editor(http_req *r)
{
	return http_book_editor(r, 1);
}

static int episode_editor(http_req *r)
{
	return http_book_editor(r, 0);
}

const http_route http_work_routes[] = {
    {"PATCH", "/api/books/{id}", patch_book, ROUTE_MEMBER, NULL, book_editor},
    {"GET", "/api/books/{id}/history", history, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/books/{id}/regenerate", regenerate, ROUTE_MEMBER, NULL, episode_editor},
    {"POST", "/api/books/{id}/accept", accept, ROUTE_MEMBER, NULL, episode_editor},
    {"PATCH", "/api/books/{id}/episodes/{n}", patch_episode, ROUTE_MEMBER | ROUTE_LARGE_BODY, NULL,
     episode_editor},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
