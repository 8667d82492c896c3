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
#define HTTP_JSON_DEPTH_MAX   32 /* nesting levels of a request body, the object included */
#define HTTP_FIELDS_MAX	      8	 /* fields a route's body declares */
#define HTTP_TRUSTED_MAX      16 /* --trusted-proxy networks */
/* idle keep-alive: the server's, and the shorter one answers advertise (http_util.c) */
#define HTTP_KEEP_ALIVE_MS	   "5000"
#define HTTP_KEEP_ALIVE_ADVERTISED "2"

enum {
	ROUTE_MEMBER = 1 << 0,	   /* a session is required */
	ROUTE_ADMIN = 1 << 1,	   /* role admin is required */
	ROUTE_LARGE_BODY = 1 << 2, /* accepts up to HTTP_BODY_LARGE_MAX */
	ROUTE_AUTHOR = 1 << 3,	   /* role author is required (403 not_author) */
	/*
	 * RFC 8058 one-click: with a token in the query string the body (the
	 * mail client's form "List-Unsubscribe=One-Click") is not read as JSON
	 * but dropped; without one the route's JSON body is read as usual.
	 */
	ROUTE_ONE_CLICK = 1 << 4,
	/* the body is not JSON: the handler checks its type and reads it (http_body_raw) */
	ROUTE_RAW_BODY = 1 << 5,
};

/* The connection gate (http_gate.c): per-client caps, the socket of each connection. */
typedef struct http_gate http_gate;

/* An IPv6 address; IPv4 ones are mapped (::ffff:a.b.c.d). */
typedef struct http_addr {
	unsigned char b[16];
} http_addr;
typedef struct http_cidr {
	http_addr addr;
	int bits; /* of the 128; an IPv4 /24 is 120 */
} http_cidr;

/* One field of a route's JSON body. A list ends with a NULL name. */
typedef enum { HTTP_FIELD_STR, HTTP_FIELD_INT, HTTP_FIELD_BOOL } http_field_type;
typedef struct http_field {
	const char *name;
	http_field_type type;
	int required;
} http_field;

/* A mapped field; strings point into the parsed body (valid UTF-8, no U+0000). */
typedef struct http_value {
	int present;
	const char *s;
	size_t len;
	int64_t i;
	int b;
} http_value;

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
	http_gate *gate; /* the server's, for watching body reads */
	/* the client (http_client.c), as an address and as text for limits and logs */
	http_addr client;
	char client_text[48];
	/* authentication */
	int authenticated;
	member me;
	char token[CRYPTO_TOKEN_MAX];
	int via_cookie;
	/* the request body (http_body.c) */
	size_t body_max;
	int body_state;		       /* HTTP_BODY_* */
	const http_field *fields;      /* the route's body, or NULL */
	cJSON *body;		       /* the parsed body while the handler runs */
	http_value v[HTTP_FIELDS_MAX]; /* fields[i] mapped */
	int closing;		       /* the connection closes after this answer */
	/* outcome */
	int status;
} http_req;

typedef void (*http_handler)(http_req *r);

/*
 * How a route is declared (each http_*.c file ends with its table, listed in
 * http_server.c's route_groups):
 *
 *   static const http_field thing_body[] = {
 *       {"title", HTTP_FIELD_STR, 1},   // required
 *       {"draft", HTTP_FIELD_BOOL, 0},  // optional
 *       {NULL, 0, 0},
 *   };
 *   {"POST", "/api/things/{id}", thing_save, ROUTE_MEMBER, thing_body, thing_owned},
 *
 * Before the handler runs, in this order: the cross-site refusal for unsafe
 * methods, the session (ROUTE_MEMBER/ADMIN/AUTHOR: 401, 403), then allow
 * (the route's own cheap check, e.g. ownership, on r->params) and only then
 * the body: 415 unless JSON, 400 past HTTP_JSON_DEPTH_MAX levels, duplicate
 * keys, trailing data or a wrong field type, 422 naming a missing required
 * field or a string with U+0000 or bad UTF-8, 413 past 64 KiB
 * (ROUTE_LARGE_BODY: 8 MiB). Fields not declared are ignored. The handler
 * reads values with http_arg(r, "name") / http_arg_str; it never parses the
 * body itself, so a new route gets every check by declaring its fields. A
 * route that takes no body declares NULL; a body sent anyway is still
 * checked strictly, then ignored. At most HTTP_FIELDS_MAX fields; a nested
 * object or array field needs a new http_field_type here, not a handler-side
 * parse. tests/fuzz/fuzz_http_body.c maps arbitrary bytes through every
 * route's declaration.
 */
typedef struct http_route {
	const char *method;
	const char *pattern; /* "/api/manuscripts/{id}": {x} matches a positive integer */
	http_handler handler;
	unsigned flags;
	/* The JSON body the route takes, read and mapped before handler runs; NULL: none. */
	const http_field *body;
	/*
	 * Runs before the body is read, after the flags' checks: answers and
	 * returns non-zero when the caller may not go on (e.g. not the owner).
	 */
	int (*allow)(http_req *r);
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

/* --- request bodies (http_body.c, http_json_strict.c) ------------------------------------ */

/* The body of a request: none declared, not (yet) read, read, or the connection was cut. */
enum { HTTP_BODY_NONE, HTTP_BODY_UNREAD, HTTP_BODY_READ, HTTP_BODY_CLOSED };

/*
 * Checks text as a request body before anything parses it: exactly one
 * JSON object (RFC 8259, UTF-8), nested at most HTTP_JSON_DEPTH_MAX levels,
 * nothing after it. APP_EMALFORMED (400 invalid_json); APP_EINVALID (422,
 * err->field the top-level field) when a string holds U+0000 or bytes that
 * are not UTF-8. No recursion.
 */
int http_json_check(const char *text, size_t len, app_err *err);

/* The bracket depth of a body outside its strings, fed a piece at a time as it arrives. */
typedef struct http_json_depth {
	int depth, in_string, escaped;
} http_json_depth;
/* Feeds len bytes; -1 as soon as the depth passes HTTP_JSON_DEPTH_MAX. */
int http_json_depth_feed(http_json_depth *d, const char *text, size_t len);

/*
 * http_json_check, then the tree (caller frees *out with cJSON_Delete),
 * refusing a key given twice in one object (APP_EMALFORMED).
 */
int http_json_parse(cJSON **out, const char *text, size_t len, app_err *err);

/*
 * Maps obj's fields into vals[i] for fields[i]: a missing required field is
 * APP_EINVALID (422 validation_failed naming it), a wrong type APP_EMALFORMED
 * (400 invalid_json). Absent optional fields have present 0.
 */
int http_body_map(http_value *vals, const http_field *fields, const cJSON *obj, app_err *err);

/* 1 for "application/json", any case, with or without parameters such as a charset. */
int http_content_type_json(const char *content_type);

/*
 * Request framing the server refuses (400, connection closed): more than one
 * Content-Length, Content-Length beside Transfer-Encoding, a length that is
 * not plain digits. Returns 0 when sane, else sends the answer.
 */
int http_body_framing(http_req *r);

/*
 * Reads and maps the route's body (r->fields, may be NULL) into r->v: 415
 * unless the body is JSON; 400 as soon as it nests too deep (whatever its
 * size), 413 past r->body_max, 400/422 as above; a body slower than 1 KiB/s
 * after its first 10 s closes the connection. An empty body stands for {}
 * when no field is required. Answers and returns non-zero on failure.
 */
int http_body_read(http_req *r);

/*
 * The body of a ROUTE_RAW_BODY route as bytes (malloc'd, the caller frees):
 * at most max (413 past it, told before reading when the length is
 * declared), at the minimum rate; 422 when there is none. Answers and
 * returns NULL on failure.
 */
unsigned char *http_body_raw(http_req *r, size_t max, size_t *len);

/*
 * 1 when the connection closes after the answer about to be sent (the
 * answer then says "Connection: close"): a framing error, or a large
 * body nobody read.
 */
int http_body_closes(http_req *r);

/*
 * After the answer: frees the body, and gets rid of a body nobody read:
 * a small one is read and dropped, else the connection closes.
 */
void http_body_finish(http_req *r);

/*
 * A route whose body has a shape the field list cannot say (nested objects,
 * arrays) declares NULL and maps it in its handler: gate() has read it as
 * strictly as any (415, depth, duplicate keys, U+0000), and
 * http_body_object lends that tree to the handler ({} when there was no
 * body; the request keeps it and frees it after the answer, whatever path
 * the handler took). The field readers below map one field as
 * http_body_map does (400 wrong type, 422 a missing required field);
 * absent optional fields leave *out untouched.
 */
cJSON *http_body_object(http_req *r);
int http_field_string(const char **out, const cJSON *obj, const char *name, int required,
		      app_err *err);
int http_field_int(int64_t *out, const cJSON *obj, const char *name, int required, app_err *err);
int http_field_bool(int *out, const cJSON *obj, const char *name, int required, app_err *err);

/* The value of field name of the route's body (which must declare it). */
const http_value *http_arg(const http_req *r, const char *name);
/* The string field, or NULL when absent. */
const char *http_arg_str(const http_req *r, const char *name);

/* Query parameters: limit (1..100, default 20) and a numeric cursor; 422 sent on bad values. */
int http_query_limit(size_t *limit, http_req *r);
int http_query_cursor(int64_t *cursor, http_req *r, const char *name);
/*
 * A query string parameter into buf ("" when absent): 0, or -1 when it is
 * refused (422 sent; the handler returns without answering again).
 */
int http_query(char *buf, size_t cap, http_req *r, const char *name);

/* --- query strings, pure (http_query.c) ---------------------------------------------------- */

/*
 * Parameter name of qs (may be NULL) decoded into buf: 0 when present, 1
 * when absent (buf ""), APP_EINVALID (err->field = name) when it is too
 * long for cap, given twice, or not UTF-8 text without U+0000.
 */
int http_query_value(char *buf, size_t cap, const char *qs, const char *name, app_err *err);
/* Plain decimal digits into a non-negative int64; -1 otherwise (signs, spaces, overflow). */
int http_parse_id(int64_t *out, const char *s);
int http_parse_limit(size_t *limit, const char *qs, app_err *err);
int http_parse_cursor(int64_t *cursor, const char *qs, const char *name, app_err *err);
const char *http_header(http_req *r, const char *name);

/* --- headers (http_headers.c) ---------------------------------------------------------- */

/* 1 for a sane X-Request-Id to adopt: 1 to 64 of [A-Za-z0-9._-]. */
int http_request_id_valid(const char *s);
/*
 * 1 when an unsafe request must be refused as cross-site: Sec-Fetch-Site
 * says cross-site, or an Origin (any header may be NULL) that is not this
 * server's Host ("null" included; default ports do not count).
 */
int http_cross_site(const char *origin, const char *fetch_site, const char *host);
/* 1 when given equals secret, compared in time that depends on secret's length only. */
int http_secret_equal(const char *given, const char *secret);
/* The token of "Bearer TOKEN" into out; -1 when absent, malformed or too long for cap. */
int http_bearer_token(char *out, size_t cap, const char *authorization);

/* --- client addresses (http_client.c) ----------------------------------------------------- */

/* "1.2.3.4", "1.2.3.4:80", "2001:db8::1", "[2001:db8::1]:443" (len bytes of s); -1 if not. */
int http_addr_parse(http_addr *out, const char *s, size_t len);
void http_addr_format(char *out, size_t cap, const http_addr *a);
int http_addr_is_v4(const http_addr *a);
int http_addr_is_loopback(const http_addr *a);
/* What counts as one client for limits: the address, or an IPv6 address's /64. */
void http_addr_client_key(http_addr *key, const http_addr *a);
/* "CIDR[,CIDR...]" (an address alone is a /32 or /128); APP_EINVALID naming the bad one. */
int http_cidrs_parse(http_cidr *out, size_t cap, size_t *n, const char *list, app_err *err);
int http_cidr_contains(const http_cidr *set, size_t n, const http_addr *a);
/*
 * The client of a request from peer: peer itself unless it is trusted, then
 * the right-most address of the X-Forwarded-For values (in header order)
 * that is not trusted. A malformed element stops the walk: the client is
 * then the trusted proxy that handed it over.
 */
void http_client_addr(http_addr *client, const http_addr *peer, const char *const *xff, size_t nxff,
		      const http_cidr *trusted, size_t ntrusted);

/* --- worker stacks (http_stack.c) -------------------------------------------------------- */

/* Records this worker thread's stack; http_stack_trim then gives its unused pages back. */
void http_stack_note(void);
/* Gives back the pages of this thread's stack below the caller's frame (a closed connection). */
void http_stack_trim(void);

/* --- the connection gate (http_gate.c) ----------------------------------------------------- */

/*
 * A gate of max_per_client (0: none) connections per client; trusted
 * proxies are not capped. readers: how many reads can be watched at once.
 */
http_gate *http_gate_new(int max_per_client, const http_cidr *trusted, size_t ntrusted,
			 size_t readers);
void http_gate_free(http_gate *g);
/* Marks this thread as the master (accepting) thread of g's server. */
void http_gate_enter_master(http_gate *g);
/* civetweb's init_connection and connection_close callbacks. */
int http_gate_connection_open(http_gate *g, const struct mg_connection *conn, void **conn_data);
void http_gate_connection_close(const struct mg_connection *conn);
/*
 * Until http_gate_unwatch(handle), shuts the request's socket for reading
 * once deadline (CLOCK_MONOTONIC seconds) passes: a blocked read then ends.
 * Returns the handle, -1 when nothing is watched (the socket is unknown).
 */
int http_gate_watch(http_gate *g, const struct mg_request_info *ri, double deadline);
/* Ends a watch; 1 when its deadline had passed (the socket is shut). */
int http_gate_unwatch(http_gate *g, int handle);

/* The watchdog under http_gate_watch (http_watch.c): one thread, at most cap reads. */
typedef struct http_watch http_watch;
http_watch *http_watch_new(size_t cap);
void http_watch_free(http_watch *w);
int http_watch_arm(http_watch *w, int fd, double deadline);
int http_watch_disarm(http_watch *w, int handle);

/*
 * Raises the open-file limit toward what `threads` connections need (up to
 * the hard limit); returns the limit now, -1 when unknown.
 */
long long http_gate_raise_fd_limit(int threads);
/* Connections open through the gate now, and refused at accept since the start. */
void http_gate_counts(const http_gate *g, unsigned long long *open, unsigned long long *refused);

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

/*
 * The one list handler: one page of rows keyed by a numeric cursor. It reads
 * limit and the cursor (query parameter cursor_name, "cursor" when NULL),
 * gives fetch a zeroed array of limit rows of row_size bytes on the heap
 * (request threads have small stacks), turns each row into an item, disposes
 * of the rows (dispose may be NULL) and sends {items, nextCursor} with status
 * 200. A bad query (422), a failed fetch (its error), no memory (500) or an
 * item that returns NULL after sending its own error is the answer instead.
 * A page whose envelope carries a count beside its items (the notifications'
 * unread) names it in count_name and gives fetch_counted instead of fetch.
 */
typedef struct http_page {
	size_t row_size;
	const char *cursor_name;
	int (*fetch)(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
		     size_t limit, app_err *err);
	const char *count_name;
	int (*fetch_counted)(void *rows, size_t *n, int64_t *next, int64_t *count, http_req *r,
			     int64_t cursor, size_t limit, app_err *err);
	cJSON *(*item)(http_req *r, const void *row);
	void (*dispose)(void *row);
} http_page;

void http_send_page(http_req *r, const http_page *p);

/*
 * The member object (http_members.c) with the subscription as the member sees
 * it; NULL after sending the error when that lookup fails (5xx).
 */
cJSON *http_member_json(http_req *r, const member *m);
/* {member: ...} of http_member_json(); NULL as there. */
cJSON *http_member_object(http_req *r, const member *m);

/*
 * The Content-Security-Policy header line of the checkout page: the UI's,
 * plus the payment provider's script (and its payment windows). Empty when
 * the provider has no script.
 */
void http_checkout_csp(char *out, size_t cap, http_req *r);

/* A book as a cJSON (raw) node, written by http_book_write(). */
cJSON *http_book_json(const book *b, int64_t purchased_at);

/* --- JSON text (http_json.c) ----------------------------------------------------------------- */

/* s[0..len) as a quoted JSON string, byte for byte as cJSON prints it. */
void http_json_str(strbuf *b, const char *s, size_t len);
/* "name":"s" (name is a plain key, not escaped). */
void http_json_field_str(strbuf *b, const char *name, const char *s);

/* A book as JSON text (with "purchasedAt" when purchased_at is not 0). */
void http_book_write(strbuf *b, const book *bk, int64_t purchased_at);
/* Sends {"book": bk}. */
void http_send_book(http_req *r, int status, const book *bk);
/* A book's fields, "{" included, the closing "}" left to the caller (who may add fields). */
void http_book_fields(strbuf *b, const book *bk);

/*
 * The list handler of books with a row of their own beside each (extra_size
 * bytes). It reads limit and, when paged, the cursor "A.B" into cursor {A, B};
 * fetch fills at most limit books and rows (on the heap: books are large) from
 * the cursor and what the handler parsed (ctx), and leaves in cursor the page
 * after ({0, 0} on the last); write puts one item. head, when not NULL, comes
 * first in the envelope ("\"period\":\"day\","). Sends {…, items, nextCursor}
 * with 200, else a bad query's 422 or the fetch's error (500 without memory).
 */
typedef struct http_book_rows {
	size_t extra_size;
	int paged;
	const char *head;
	const void *ctx;
	int (*fetch)(book *list, void *extra, size_t *n, int64_t cursor[2], http_req *r,
		     const void *ctx, size_t limit, app_err *err);
	void (*write)(strbuf *out, const book *b, const void *extra);
} http_book_rows;

void http_send_book_rows(http_req *r, const http_book_rows *p);

/* --- the books core's routes (http_books.c) ------------------------------------------------- */

/* Who asks, for the books core: the member (0 anonymous), admin or not, the client address. */
books_reader http_books_reader(http_req *r);
/*
 * A route's allow check before its body: the book's author (or, admin_ok,
 * an admin) goes on; anyone else gets the core's 404 (http_works.c).
 */
int http_book_editor(http_req *r, int admin_ok);
/* Sends JSON text built in out (500 if building it ran out of memory) and frees it. */
void http_send_text(http_req *r, int status, strbuf *out);
/*
 * A PATCH body of a work (http_works.c) as a books_patch: unknown fields are
 * APP_EINVALID naming them, wrong types APP_EMALFORMED. *tags (the caller
 * frees it, also on failure) holds pointers into body.
 */
int http_book_patch_of(books_patch *p, const char ***tags, const cJSON *body, app_err *err);

/*
 * A cover's address as a JSON string (http_covers.c): size NULL the stored
 * image, "full" or "thumb" its PNG rendition; versioned by the cover's ETag,
 * so that it can be cached for good and a new cover gets a new address.
 */
void http_cover_url(strbuf *b, const book *bk, const char *size);

/* An episode object (http_episodes.c), with its access for the caller when with_access. */
void http_episode_write(strbuf *b, const books_episode_view *v, int with_access);
/* "A.B" (A >= 0, B > 0) into *a and *b; -1 when it is not that. */
int http_parse_pair(int64_t *a, int64_t *b, const char *text);
/* The "cursor" query parameter as "A.B" ({0, 0} when absent); 422 sent when malformed. */
int http_query_pair(int64_t *a, int64_t *b, http_req *r);

/* The "period" query parameter (day, week or month; absent: week); 422 sent otherwise. */
int http_query_period(book_period *p, http_req *r);
/* ?aiCovers=hide|show (default show): *hide 1 leaves out works whose cover a generator made. */
int http_query_ai_covers(int *hide, http_req *r);

/* The EPUB of book params[0] for r->me (http_reader.c): the API's and the OPDS catalog's. */
void http_reader_epub(http_req *r);

/* --- the web client (http_static.c) ------------------------------------------------------ */

/* GET of a non-API path: the file (from web_root when set, else assets) or the app shell. */
void http_static_serve(http_req *r, const char *web_root, const http_asset *assets,
		       const char *path);
/* Sends a file of the web client: its ETag (304 when If-None-Match has it), no-cache, the CSP. */
void http_static_send(http_req *r, const char *type, const char *etag, const void *data,
		      size_t len);
/*
 * The app shell (NUL-terminated, shell_len bytes, ETag etag) of r's path when it is
 * /books/{id} or /authors/{id}, filled with that page's link preview (http_preview.c);
 * 0 when it is not such a page or there is nothing to show (then the plain shell).
 */
int http_preview_serve(http_req *r, const char *shell, size_t shell_len, const char *etag);
/* Sends assets' file at path; 0 when there is none. */
int http_static_embedded(http_req *r, const http_asset *assets, const char *path);

/* The i-th route of the whole table, or NULL past its end. */
const http_route *http_route_at(size_t i);
/*
 * 1 when path matches pattern ("/api/books/{id}", "/opds/{token}/"): each
 * {name} a positive integer into r->params, {token} 16 to 63 characters of
 * base64url into r->path_token.
 */
int http_route_match(http_req *r, const char *pattern, const char *path);

/* --- route groups ------------------------------------------------------------------------- */

extern const http_route http_member_routes[];
extern const http_route http_admin_routes[];
extern const http_route http_book_routes[];
extern const http_route http_episode_routes[];
extern const http_route http_work_routes[];
extern const http_route http_cover_routes[];
extern const http_route http_author_routes[];
extern const http_route http_manuscript_routes[];
extern const http_route http_aigen_routes[];
extern const http_route http_payment_routes[];
extern const http_route http_earnings_routes[];
extern const http_route http_account_routes[];
extern const http_route http_community_routes[];
extern const http_route http_feed_routes[];
extern const http_route http_review_routes[];
extern const http_route http_comment_routes[];
extern const http_route http_reader_count_routes[];
extern const http_route http_reader_routes[];
extern const http_route http_opds_routes[];

#endif
