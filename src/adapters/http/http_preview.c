/*
 * Link previews: the app shell of /books/{id} and /authors/{id} carries
 * Open Graph and Twitter meta tags (title, description, the PNG cover) in
 * the HTML itself, so that messengers and search engines, which run no
 * script, see them. Every value is escaped for an HTML attribute; a work
 * hidden from anonymous readers gets the plain shell.
 */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"
#include "ports/image_generator.h"

#define SITE_NAME	"걷다가서재"
#define DESCRIPTION_MAX 200 /* characters of a description */

typedef struct preview {
	char kind[16]; /* og:type */
	const char *title, *description;
	char url[512], image[512]; /* image "" when none */
} preview;

/* s (at most max characters of it, "…" when cut) escaped for an HTML attribute or text. */
static void html_escaped(strbuf *b, const char *s, size_t max)
{
	size_t chars = 0;

	for (; *s && chars < max; s++) {
		unsigned char c = (unsigned char)*s;

		chars += (c & 0xC0) != 0x80;
		if (chars > max)
			break;
		switch (c) {
		case '&':
			strbuf_str(b, "&amp;");
			break;
		case '<':
			strbuf_str(b, "&lt;");
			break;
		case '>':
			strbuf_str(b, "&gt;");
			break;
		case '"':
			strbuf_str(b, "&quot;");
			break;
		case '\'':
			strbuf_str(b, "&#39;");
			break;
		case '\n':
		case '\r':
		case '\t':
			strbuf_str(b, " ");
			break;
		default:
			strbuf_add(b, s, 1);
		}
	}
	if (*s)
		strbuf_str(b, "…");
}

static void meta(strbuf *b, const char *attr, const char *name, const char *value, size_t max)
{
	strbuf_fmt(b, "  <meta %s=\"%s\" content=\"", attr, name);
	html_escaped(b, value, max);
	strbuf_str(b, "\">\n");
}

/* The tags of p, one a line. */
static void tags_write(strbuf *b, const preview *p)
{
	meta(b, "property", "og:site_name", SITE_NAME, 100);
	meta(b, "property", "og:type", p->kind, 100);
	meta(b, "property", "og:title", p->title, 200);
	meta(b, "property", "og:description", p->description, DESCRIPTION_MAX);
	meta(b, "property", "og:url", p->url, 512);
	meta(b, "name", "twitter:title", p->title, 200);
	meta(b, "name", "twitter:description", p->description, DESCRIPTION_MAX);
	if (!p->image[0]) {
		meta(b, "name", "twitter:card", "summary", 100);
		return;
	}
	meta(b, "property", "og:image", p->image, 512);
	meta(b, "property", "og:image:type", "image/png", 100);
	strbuf_fmt(b,
		   "  <meta property=\"og:image:width\" content=\"%d\">\n"
		   "  <meta property=\"og:image:height\" content=\"%d\">\n",
		   AIGEN_COVER_FULL_W, AIGEN_COVER_FULL_H);
	meta(b, "name", "twitter:card", "summary_large_image", 100);
	meta(b, "name", "twitter:image", p->image, 512);
}

/*
 * The shell with p: its <title> and description replaced, the tags before
 * </head>. NULL when the shell is not the one expected or out of memory.
 */
static char *shell_fill(size_t *len, const char *shell, size_t shell_len, const preview *p)
{
	const char *title = strstr(shell, "<title>"), *title_end = strstr(shell, "</title>");
	const char *desc = strstr(shell, "<meta name=\"description\""),
		   *head = strstr(shell, "</head>");
	const char *desc_end = desc ? strchr(desc, '>') : NULL;
	strbuf b = {0};
	char *out;

	if (!title || !title_end || !desc_end || !head || !(desc < title && title_end < head))
		return NULL;
	strbuf_add(&b, shell, (size_t)(desc - shell));
	if (b.len >= 2 && !strcmp(b.s + b.len - 2, "  "))
		b.s[b.len -= 2] = '\0'; /* meta() indents the line itself */
	meta(&b, "name", "description", p->description, DESCRIPTION_MAX);
	strbuf_add(&b, desc_end + 2, (size_t)(title - desc_end - 2)); /* ">\n" */
	strbuf_str(&b, "<title>");
	html_escaped(&b, p->title, 200);
	strbuf_str(&b, " — " SITE_NAME "</title>");
	strbuf_add(&b, title_end + 8, (size_t)(head - title_end - 8));
	tags_write(&b, p);
	strbuf_add(&b, head, shell_len - (size_t)(head - shell));
	*len = b.len;
	out = strbuf_take(&b);
	return out;
}

static const char *base_url(http_req *r)
{
	return r->svc->public_url ? r->svc->public_url : "";
}

static void image_of(preview *p, http_req *r, const book *b)
{
	strbuf u = {0};
	char *s;

	http_cover_url(&u, b, "full"); /* a JSON string: quotes around an address */
	if ((s = strbuf_take(&u)) && strlen(s) > 2 && strlen(s) < 400) {
		s[strlen(s) - 1] = '\0';
		snprintf(p->image, sizeof(p->image), "%s%s", base_url(r), s + 1);
	}
	free(s);
}

/* A published work as anonymous readers see it; 0 when there is none to show. */
static int book_preview(preview *p, book *b, http_req *r, int64_t id)
{
	books_reader nobody = {0};
	app_err err;

	app_err_clear(&err);
	if (books_get(b, NULL, r->svc->books, &nobody, id, &err))
		return 0;
	snprintf(p->kind, sizeof(p->kind), "book");
	p->title = b->title;
	p->description = b->tagline[0] ? b->tagline : b->summary;
	snprintf(p->url, sizeof(p->url), "%s/books/%lld", base_url(r), (long long)id);
	image_of(p, r, b);
	return 1;
}

/* An author's profile, with the cover of their newest work; 0 when there is none. */
static int author_preview(preview *p, author_application *a, book *b, http_req *r, int64_t id)
{
	book_query q = {.sort = BOOK_SORT_NEW, .author_id = id, .limit = 1};
	book_cursor next;
	size_t n = 0;
	app_err err;

	app_err_clear(&err);
	if (authors_profile(a, r->svc->authors, id, &err))
		return 0;
	snprintf(p->kind, sizeof(p->kind), "profile");
	p->title = a->pen_name;
	p->description = a->bio && a->bio[0] ? a->bio : a->pen_name;
	snprintf(p->url, sizeof(p->url), "%s/authors/%lld", base_url(r), (long long)id);
	if (books_list(b, &n, &next, r->svc->books, &q, &err) == 0 && n == 1)
		image_of(p, r, b);
	return 1;
}

/* "/books/12" or "/authors/12" (nothing after the number): *id and which, else 0. */
static int preview_path(int64_t *id, int *is_author, const char *path)
{
	const char *s = NULL;
	char *end;
	long long v;

	if (!strncmp(path, "/books/", 7))
		s = path + 7;
	else if (!strncmp(path, "/authors/", 9))
		s = path + 9;
	if (!s || *s < '1' || *s > '9')
		return 0;
	v = strtoll(s, &end, 10);
	if (*end || v <= 0 || end - s > 15)
		return 0;
	*id = v;
	*is_author = path[1] == 'a';
	return 1;
}

int http_preview_serve(http_req *r, const char *shell, size_t shell_len, const char *etag)
{
	author_application a = {0};
	book *b = malloc(sizeof(*b));
	preview p = {0};
	char *page = NULL, tag[96];
	int64_t id;
	int is_author, found, sent = 0;
	size_t len = 0;

	if (!b || !preview_path(&id, &is_author, r->ri->local_uri)) {
		free(b);
		return 0;
	}
	found = is_author ? author_preview(&p, &a, b, r, id) : book_preview(&p, b, r, id);
	if (found && (page = shell_fill(&len, shell, shell_len, &p))) {
		/* the shell's version and the page's own: a new title or cover, a new tag */
		uint64_t h = 1469598103934665603ULL;

		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)page[i]) * 1099511628211ULL;
		snprintf(tag, sizeof(tag), "\"%.*s-%016llx\"", (int)(strlen(etag) - 2), etag + 1,
			 (unsigned long long)h);
		http_static_send(r, "text/html; charset=utf-8", tag, page, len);
		sent = 1;
	}
	author_application_dispose(&a);
	free(page);
	free(b);
	return sent;
}
