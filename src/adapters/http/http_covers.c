/*
 * Routes of covers: the stored image and its PNG renditions (GET and HEAD,
 * for pages and link previews), and the author's own cover (PUT).
 *
 * Caching: a cover's address carries its version (?v= the ETag), and the
 * answer to a versioned address is cached for good; an unversioned one (a
 * link preview that was given the plain address) is revalidated each time.
 * 200, 304 and HEAD answers carry the same headers.
 */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define CACHE_VERSIONED "Cache-Control: public, max-age=31536000, immutable\r\n"
#define CACHE_PLAIN	"Cache-Control: public, no-cache\r\n"

static books_service *books(http_req *r)
{
	return r->svc->books;
}

/* The ETag without its quotes: the version in a cover's address. */
static void etag_version(char out[48], const char *etag)
{
	size_t n = strlen(etag);

	if (n >= 2 && etag[0] == '"' && etag[n - 1] == '"')
		snprintf(out, 48, "%.*s", (int)(n - 2), etag + 1);
	else
		snprintf(out, 48, "%s", etag);
}

void http_cover_url(strbuf *b, const book *bk, const char *size)
{
	char v[48];

	etag_version(v, bk->cover_etag);
	strbuf_fmt(b, "\"/api/books/%lld/cover?", (long long)bk->id);
	if (size)
		strbuf_fmt(b, "format=png&size=%s&", size);
	strbuf_str(b, "v=");
	strbuf_str(b, v); /* hex digits and a dash: nothing to escape */
	strbuf_str(b, "\"");
}

/* ?format= and ?size=: the stored image, or a PNG rendition. 422 for anything else. */
static int size_of(book_cover_size *size, const char **suffix, http_req *r)
{
	const char *qs = r->ri->query_string;
	char format[8], which[8];
	app_err err;

	app_err_clear(&err);
	*size = BOOK_COVER_ORIGINAL;
	*suffix = "";
	if (http_query_value(format, sizeof(format), qs, "format", &err) > 0)
		format[0] = '\0';
	if (!err.code && http_query_value(which, sizeof(which), qs, "size", &err) > 0)
		which[0] = '\0';
	if (!err.code && format[0] && strcmp(format, "png"))
		app_err_set(&err, APP_EINVALID, "validation_failed", "format",
			    "format must be png");
	if (!err.code && which[0] &&
	    (!format[0] || (strcmp(which, "full") && strcmp(which, "thumb"))))
		app_err_set(&err, APP_EINVALID, "validation_failed", "size",
			    "size is full or thumb, with format=png");
	if (err.code) {
		http_send_error(r, &err);
		return -1;
	}
	if (format[0]) {
		*size = strcmp(which, "thumb") ? BOOK_COVER_FULL : BOOK_COVER_THUMB;
		*suffix = *size == BOOK_COVER_FULL ? "-full" : "-thumb";
	}
	return 0;
}

static void cover(http_req *r)
{
	const char *inm = http_header(r, "If-None-Match"), *suffix;
	char mime[32], etag[48], tag[64], version[48], asked[48], headers[512];
	unsigned char *data = NULL;
	book_cover_size size;
	size_t len = 0;
	app_err err;

	if (size_of(&size, &suffix, r))
		return;
	app_err_clear(&err);
	if (books_cover(&data, &len, mime, etag, books(r), r->params[0], size, &err)) {
		http_send_error(r, &err);
		return;
	}
	etag_version(version, etag);
	snprintf(tag, sizeof(tag), "\"%s%s\"", version, suffix);
	if (http_query_value(asked, sizeof(asked), r->ri->query_string, "v", &err) != 0)
		asked[0] = '\0';
	/* an SVG may carry no script and load nothing */
	snprintf(headers, sizeof(headers),
		 "ETag: %s\r\n%sContent-Security-Policy: default-src 'none'; style-src "
		 "'unsafe-inline'; sandbox\r\n",
		 tag, strcmp(asked, version) ? CACHE_PLAIN : CACHE_VERSIONED);
	if (inm && strcmp(inm, tag) == 0)
		http_send_empty(r, 304, headers);
	else
		http_send_bytes(r, 200, mime, data, len, headers);
	free(data);
}

/* --- the author's own cover ----------------------------------------------------------------- */

/* The media type of the body, without parameters: image/png or image/jpeg, else NULL. */
static const char *image_type(http_req *r)
{
	const char *ct = http_header(r, "Content-Type");
	static const char *const types[] = {"image/png", "image/jpeg"};

	for (size_t i = 0; ct && i < 2; i++) {
		size_t n = strlen(types[i]);

		if (strncasecmp(ct, types[i], n) == 0 &&
		    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
			return types[i];
	}
	return NULL;
}

/*
 * Before the body is read: 415 unless it is an image of the types taken,
 * 404 for anyone but the work's author.
 */
static int cover_owner(http_req *r)
{
	if (!image_type(r)) {
		http_send_problem(r, 415, "unsupported_media_type",
				  "a cover is sent as image/png or image/jpeg", NULL);
		return -1;
	}
	return http_book_editor(r, 0);
}

static void put_cover(http_req *r)
{
	books_reader who = http_books_reader(r);
	const char *mime = image_type(r);
	unsigned char *data = NULL;
	book *b = NULL;
	size_t len;
	app_err err;

	if (!(data = http_body_raw(r, BOOKS_COVER_MAX_BYTES, &len)))
		return;
	app_err_clear(&err);
	if (!(b = malloc(sizeof(*b))))
		app_err_set(&err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (books_cover_upload(b, books(r), &who, r->params[0], data, len, mime, &err) == 0) {
		http_send_book(r, 200, b);
	}
	if (!r->status)
		http_send_error(r, &err);
	free(data);
	free(b);
}

const http_route http_cover_routes[] = {
    {"GET", "/api/books/{id}/cover", cover, 0, NULL, NULL},
    {"HEAD", "/api/books/{id}/cover", cover, 0, NULL, NULL},
    {"PUT", "/api/books/{id}/cover", put_cover, ROUTE_MEMBER | ROUTE_RAW_BODY, NULL, cover_owner},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
