/*
 * The member's OPDS catalog (OPDS 1.2 acquisition feed) at /opds/{token}/
 * and its downloads, authenticated by the token alone (e-readers hold no
 * session); the token is made and revoked from the account page.
 */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define URL_MAX	  600
#define OPDS_TYPE "application/atom+xml;profile=opds-catalog;kind=acquisition"

typedef struct opds_links {
	char id[READER_OPDS_MAX][64];
	char link[READER_OPDS_MAX][URL_MAX];
	char epub[READER_OPDS_MAX][URL_MAX];
	char cover[READER_OPDS_MAX][URL_MAX];
	feed_entry entries[READER_OPDS_MAX];
	book works[READER_OPDS_MAX];
} opds_links;

static const char *base_url(http_req *r)
{
	return r->svc->public_url && r->svc->public_url[0] ? r->svc->public_url : "";
}

static void opds_json(http_req *r, int status, int64_t created_at, const char *token)
{
	cJSON *o = cJSON_CreateObject(), *t = cJSON_CreateObject();
	char url[URL_MAX];

	cJSON_AddBoolToObject(t, "active", created_at != 0);
	http_add_time(t, "createdAt", created_at);
	if (token) {
		snprintf(url, sizeof(url), "%s/opds/%s/", base_url(r), token);
		cJSON_AddStringToObject(t, "url", url);
	} else {
		cJSON_AddNullToObject(t, "url"); /* only its digest is kept: shown once */
	}
	cJSON_AddItemToObject(o, "opds", t);
	http_send_json(r, status, o, "Cache-Control: no-store\r\n");
}

static void token_get(http_req *r)
{
	int64_t at = 0;
	app_err err;
	int rc;

	app_err_clear(&err);
	rc = reader_opds_token_created(&at, r->svc->reader, r->me.id, &err);
	if (rc && rc != APP_ENOTFOUND) {
		http_send_error(r, &err);
		return;
	}
	opds_json(r, 200, rc ? 0 : at, NULL);
}

static void token_post(http_req *r)
{
	char token[CRYPTO_TOKEN_MAX];
	int64_t at;
	app_err err;

	app_err_clear(&err);
	if (reader_opds_token_new(token, &at, r->svc->reader, r->me.id, &err)) {
		http_send_error(r, &err);
		return;
	}
	opds_json(r, 201, at, token);
}

static void token_delete(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (reader_opds_token_revoke(r->svc->reader, r->me.id, &err)) {
		http_send_error(r, &err);
		return;
	}
	http_send_empty(r, 204, NULL);
}

/* Signs r in as the token's member: 0, or a 404 sent (unknown, revoked, deleted account). */
static int opds_auth(http_req *r)
{
	int64_t id = 0;
	app_err err;

	app_err_clear(&err);
	if (reader_opds_member(&id, r->svc->reader, r->path_token, &err) ||
	    members_get(&r->me, r->svc->members, id, &err) || r->me.deleted_at) {
		if (err.code == 0 || err.code == APP_ENOTFOUND)
			http_send_problem(r, 404, "not_found", "no such catalog", NULL);
		else
			http_send_error(r, &err);
		return -1;
	}
	r->authenticated = 1;
	return 0;
}

static void entry_of(opds_links *l, size_t i, http_req *r)
{
	const book *b = &l->works[i];

	snprintf(l->id[i], sizeof(l->id[i]), "urn:walking-library:book:%lld", (long long)b->id);
	snprintf(l->link[i], URL_MAX, "%s/books/%lld", base_url(r), (long long)b->id);
	snprintf(l->epub[i], URL_MAX, "%s/opds/%s/books/%lld.epub", base_url(r), r->path_token,
		 (long long)b->id);
	snprintf(l->cover[i], URL_MAX, "%s/api/books/%lld/cover", base_url(r), (long long)b->id);
	l->entries[i] = (feed_entry){.id = l->id[i],
				     .title = b->title,
				     .link = l->link[i],
				     .summary = b->summary,
				     .published = b->published_at,
				     .updated = b->updated_at ? b->updated_at : b->published_at,
				     .author = b->author_name,
				     .acquisition = l->epub[i],
				     .image = b->cover_mime[0] ? l->cover[i] : NULL,
				     .image_type = b->cover_mime};
}

static void catalog(http_req *r)
{
	char self[URL_MAX], alt[URL_MAX], id[64], title[300];
	opds_links *l;
	feed_doc doc;
	char *xml = NULL;
	size_t n = 0, len = 0;
	int64_t updated = 0;
	app_err err;

	if (opds_auth(r))
		return;
	app_err_clear(&err);
	if (!(l = calloc(1, sizeof(*l)))) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	if (reader_opds_works(l->works, &n, r->svc->reader, r->me.id, READER_OPDS_MAX, &err))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		entry_of(l, i, r);
		if (l->entries[i].updated > updated)
			updated = l->entries[i].updated;
	}
	snprintf(self, sizeof(self), "%s/opds/%s/", base_url(r), r->path_token);
	snprintf(alt, sizeof(alt), "%s/library", base_url(r));
	snprintf(id, sizeof(id), "urn:walking-library:opds:%lld", (long long)r->me.id);
	snprintf(title, sizeof(title), "%s — 걷다가서재", r->me.name);
	doc = (feed_doc){.id = id,
			 .title = title,
			 .self_link = self,
			 .alt_link = alt,
			 .author_name = "걷다가서재",
			 .lang = "ko",
			 .updated = updated ? updated : r->me.created_at,
			 .entries = l->entries,
			 .n = n,
			 .opds = 1};
	if (feed_write_atom(&xml, &len, &r->svc->feeds, &doc, &err))
		goto fail;
	http_send_bytes(r, 200, OPDS_TYPE "; charset=utf-8", xml, len,
			"Cache-Control: private, no-store\r\n");
	free(xml);
	free(l);
	return;
fail:
	free(l);
	http_send_error(r, &err);
}

static void download(http_req *r)
{
	if (opds_auth(r) == 0)
		http_reader_epub(r);
}

const http_route http_opds_routes[] = {
    {"GET", "/api/me/opds", token_get, ROUTE_MEMBER, NULL, NULL},
    {"POST", "/api/me/opds", token_post, ROUTE_MEMBER, NULL, NULL},
    {"DELETE", "/api/me/opds", token_delete, ROUTE_MEMBER, NULL, NULL},
    {"GET", "/opds/{token}/", catalog, 0, NULL, NULL},
    {"GET", "/opds/{token}/books/{id}.epub", download, 0, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
