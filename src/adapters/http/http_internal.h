/* Shared by the HTTP adapter's files: the request context and JSON helpers. */
#ifndef WL_HTTP_INTERNAL_H
#define WL_HTTP_INTERNAL_H

#include <civetweb.h>
#include <cjson/cJSON.h>
#include <stdint.h>

#include "adapters/http/http_server.h"
#include "domain/common/strbuf.h"
#include "domain/members/member.h"

#define HTTP_BODY_DEFAULT_MAX (64 * 1024)
#define HTTP_BODY_LARGE_MAX   (8 * 1024 * 1024)

enum {
	ROUTE_MEMBER = 1 << 0,	   /* a session is required */
	ROUTE_ADMIN = 1 << 1,	   /* role admin is required */
	ROUTE_LARGE_BODY = 1 << 2, /* accepts up to HTTP_BODY_LARGE_MAX */
};

typedef struct http_req {
	struct mg_connection *conn;
	const struct mg_request_info *ri;
	const http_services *svc;
	const http_config *cfg;
	const char *route; /* the pattern matched, for logs and metrics */
	int64_t params[3]; /* {id}-style path parameters in order */
	int nparams;
	char path_token[CRYPTO_TOKEN_MAX]; /* a {token} segment (base64url) */
	char request_id[65];
	/* authentication */
	int authenticated;
	member me;
	char token[CRYPTO_TOKEN_MAX];
	int via_cookie;
	/* outcome */
	int status;
	size_t body_max;
} http_req;

typedef void (*http_handler)(http_req *r);

typedef struct http_route {
	const char *method;
	const char *pattern; /* "/api/manuscripts/{id}": {x} matches a positive integer */
	http_handler handler;
	unsigned flags;
} http_route;

/* --- responses ------------------------------------------------------------------------ */

/* Sends a JSON body and frees it. extra_headers: "Name: value\r\n"... or NULL. */
void http_send_json(http_req *r, int status, cJSON *body, const char *extra_headers);
/* Sends problem+json for err (status from its code). */
void http_send_error(http_req *r, const app_err *err);
/* Sends problem+json with an explicit status, code word and detail. */
void http_send_problem(http_req *r, int status, const char *code, const char *detail,
		       const char *field);
void http_send_empty(http_req *r, int status, const char *extra_headers);
void http_send_bytes(http_req *r, int status, const char *content_type, const void *data,
		     size_t len, const char *extra_headers);
int http_status_of(int code);

/* --- requests --------------------------------------------------------------------------- */

/*
 * Parses the JSON object body. On failure sends 400/413 and returns NULL.
 * The caller frees the result with cJSON_Delete.
 */
cJSON *http_body_object(http_req *r);

/*
 * Field readers: on a missing required field or a wrong type they fill err
 * (400 invalid_json for a wrong type, 422 for a missing field) and return
 * non-zero. Optional fields leave *out untouched when absent.
 */
int http_field_string(const char **out, const cJSON *obj, const char *name, int required,
		      app_err *err);
int http_field_int(int64_t *out, const cJSON *obj, const char *name, int required, app_err *err);
int http_field_bool(int *out, const cJSON *obj, const char *name, int required, app_err *err);

/* Query parameters: limit (1..100, default 20) and a numeric cursor; 422 sent on bad values. */
int http_query_limit(size_t *limit, http_req *r);
int http_query_cursor(int64_t *cursor, http_req *r, const char *name);
/* A query string parameter into buf; 0 when present. */
int http_query(char *buf, size_t cap, http_req *r, const char *name);
const char *http_header(http_req *r, const char *name);

/* Requires role admin (403 otherwise); returns 0 when allowed. */
int http_require_admin(http_req *r);

/* --- JSON mapping ------------------------------------------------------------------------ */

/* JSON field adders; name must be a string literal (it is kept, not copied). */
void http_add_str(cJSON *o, const char *name, const char *s);
void http_time(char out[32], int64_t ms);
/*
 * An RFC 3339 time ("2026-12-01T09:00:00Z", "...T18:00:00.5+09:00") into ms
 * since the epoch; -1 when it is not one (years 1970-9999).
 */
int http_parse_time(int64_t *ms, const char *s);
void http_add_time(cJSON *o, const char *name, int64_t ms); /* 0 -> null */
void http_add_int(cJSON *o, const char *name, int64_t v);
void http_add_id_or_null(cJSON *o, const char *name, int64_t id); /* 0 -> null */
cJSON *http_list(cJSON *items, const char *next_cursor_or_null);
cJSON *http_list_next_id(cJSON *items, int64_t next); /* 0 -> null */

cJSON *http_member_json(http_req *r, const member *m);
/*
 * The Content-Security-Policy header line of the checkout page: the UI's,
 * plus the payment provider's script (and its payment windows). Empty when
 * the provider has no script.
 */
void http_checkout_csp(char *out, size_t cap, http_req *r);

/* A book as a cJSON (raw) node, written by http_book_write(). */
cJSON *http_book_json(const book *b, int64_t purchased_at);
/* The subscription object, with the monthly price a (re)subscription costs. */
cJSON *http_subscription_json(http_req *r, const subscription *s);

/* --- JSON text (http_json.c) ----------------------------------------------------------------- */

/* s[0..len) as a quoted JSON string, byte for byte as cJSON prints it. */
void http_json_str(strbuf *b, const char *s, size_t len);
/* "name":"s" (name is a plain key, not escaped). */
void http_json_field_str(strbuf *b, const char *name, const char *s);

/* A book as JSON text (with "purchasedAt" when purchased_at is not 0). */
void http_book_write(strbuf *b, const book *bk, int64_t purchased_at);
/* A book's fields, "{" included, the closing "}" left to the caller (who may add fields). */
void http_book_fields(strbuf *b, const book *bk);

/* --- the books core's routes (http_books.c) ------------------------------------------------- */

/* Who asks, for the books core: the member (0 anonymous), admin or not, the client address. */
books_reader http_books_reader(http_req *r);
/* Sends JSON text built in out (500 if building it ran out of memory) and frees it. */
void http_send_text(http_req *r, int status, strbuf *out);
/*
 * A PATCH body of a work (http_works.c) as a books_patch: unknown fields are
 * APP_EINVALID naming them, wrong types APP_EMALFORMED. *tags (the caller
 * frees it, also on failure) holds pointers into body.
 */
int http_book_patch_of(books_patch *p, const char ***tags, const cJSON *body, app_err *err);

/* An episode object (http_episodes.c), with its access for the caller when with_access. */
void http_episode_write(strbuf *b, const books_episode_view *v, int with_access);
/* "A.B" (A >= 0, B > 0) into *a and *b; -1 when it is not that. */
int http_parse_pair(int64_t *a, int64_t *b, const char *text);
/* The "cursor" query parameter as "A.B" ({0, 0} when absent); 422 sent when malformed. */
int http_query_pair(int64_t *a, int64_t *b, http_req *r);

/* The EPUB of book params[0] for r->me (http_reader.c): the API's and the OPDS catalog's. */
void http_reader_epub(http_req *r);

/* --- route groups ------------------------------------------------------------------------- */

extern const http_route http_member_routes[];
extern const http_route http_admin_routes[];
extern const http_route http_book_routes[];
extern const http_route http_episode_routes[];
extern const http_route http_work_routes[];
extern const http_route http_author_routes[];
extern const http_route http_manuscript_routes[];
extern const http_route http_aigen_routes[];
extern const http_route http_payment_routes[];
extern const http_route http_earnings_routes[];
extern const http_route http_account_routes[];
extern const http_route http_community_routes[];
extern const http_route http_feed_routes[];
extern const http_route http_review_routes[];
extern const http_route http_reader_routes[];
extern const http_route http_opds_routes[];

#endif
