/*
 * Atom feeds of a work and of an author: only what an anonymous reader may
 * see (the catalog's titles and blurbs, never a text), links on --public-url.
 */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEED_MAX_ENTRIES 50
#define URL_MAX		 600

typedef struct feed_links {
	char id[FEED_MAX_ENTRIES][URL_MAX];
	char link[FEED_MAX_ENTRIES][URL_MAX];
	char title[FEED_MAX_ENTRIES][BOOK_TITLE_BYTES + 32];
	feed_entry entries[FEED_MAX_ENTRIES];
} feed_links;

static const char *base_url(http_req *r)
{
	return r->svc->public_url && r->svc->public_url[0] ? r->svc->public_url : "";
}

static void send_feed(http_req *r, const feed_doc *doc)
{
	char *xml = NULL;
	size_t len = 0;
	app_err err;

	app_err_clear(&err);
	if (feed_write_atom(&xml, &len, &r->svc->feeds, doc, &err)) {
		http_send_error(r, &err);
		return;
	}
	/* feed readers poll: a short public cache spares the catalog */
	http_send_bytes(r, 200, "application/atom+xml; charset=utf-8", xml, len,
			"Cache-Control: public, max-age=300\r\n");
	free(xml);
}

/* The book as the entry of its first episode (a work's text is never in a feed). */
static void book_entry(feed_links *fl, size_t i, http_req *r, const book *b)
{
	snprintf(fl->id[i], URL_MAX, "%s/books/%lld/episodes/1", base_url(r), (long long)b->id);
	snprintf(fl->link[i], URL_MAX, "%s/books/%lld", base_url(r), (long long)b->id);
	snprintf(fl->title[i], sizeof(fl->title[i]), "%s", b->title);
	fl->entries[i] = (feed_entry){.id = fl->id[i],
				      .title = fl->title[i],
				      .link = fl->link[i],
				      .summary = b->summary,
				      .published = b->published_at,
				      .updated = b->published_at};
}

static void book_feed(http_req *r)
{
	char self[URL_MAX], alt[URL_MAX];
	books_reader anyone = {0};
	book_access access;
	feed_links *fl;
	feed_doc doc;
	book b;
	app_err err;

	app_err_clear(&err);
	if (books_get(&b, &access, r->svc->books, &anyone, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	if (!(fl = calloc(1, sizeof(*fl)))) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	book_entry(fl, 0, r, &b);
	snprintf(self, sizeof(self), "%s/books/%lld/feed.atom", base_url(r), (long long)b.id);
	snprintf(alt, sizeof(alt), "%s/books/%lld", base_url(r), (long long)b.id);
	doc = (feed_doc){.id = alt,
			 .title = b.title,
			 .subtitle = b.tagline,
			 .self_link = self,
			 .alt_link = alt,
			 .author_name = b.author_name,
			 .lang = "ko",
			 .updated = b.published_at,
			 .entries = fl->entries,
			 .n = 1};
	send_feed(r, &doc);
	free(fl);
}

static void author_feed(http_req *r)
{
	book_query q = {
	    .sort = BOOK_SORT_NEW, .author_id = r->params[0], .limit = FEED_MAX_ENTRIES};
	char self[URL_MAX], alt[URL_MAX], title[300];
	author_application a;
	book_cursor next;
	feed_links *fl = NULL;
	book *list = NULL;
	feed_doc doc;
	size_t n = 0;
	app_err err;

	app_err_clear(&err);
	if (authors_profile(&a, r->svc->authors, r->params[0], &err)) {
		http_send_error(r, &err);
		return;
	}
	if (!(fl = calloc(1, sizeof(*fl))) || !(list = calloc(q.limit, sizeof(*list)))) {
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto fail;
	}
	if (books_list(list, &n, &next, r->svc->books, &q, &err))
		goto fail;
	for (size_t i = 0; i < n; i++)
		book_entry(fl, i, r, &list[i]);
	snprintf(self, sizeof(self), "%s/authors/%lld/feed.atom", base_url(r),
		 (long long)a.member_id);
	snprintf(alt, sizeof(alt), "%s/authors/%lld", base_url(r), (long long)a.member_id);
	snprintf(title, sizeof(title), "%s", a.pen_name);
	doc = (feed_doc){.id = alt,
			 .title = title,
			 .subtitle = a.bio,
			 .self_link = self,
			 .alt_link = alt,
			 .author_name = a.pen_name,
			 .lang = "ko",
			 .updated = n ? list[0].published_at : a.decided_at,
			 .entries = fl->entries,
			 .n = n};
	send_feed(r, &doc);
	author_application_dispose(&a);
	free(list);
	free(fl);
	return;
fail:
	author_application_dispose(&a);
	free(list);
	free(fl);
	http_send_error(r, &err);
}

const http_route http_feed_routes[] = {
    {"GET", "/books/{id}/feed.atom", book_feed, 0, NULL, NULL},
    {"GET", "/authors/{memberId}/feed.atom", author_feed, 0, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
