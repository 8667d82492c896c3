/*
 * Request bodies: framing, media type, reading at a minimum rate, strict
 * JSON and the mapping of a route's fields; and what happens to a body
 * nobody read.
 *
 * civetweb's mg_read returns only once it has every byte asked for, however
 * slowly they come, so a body sent a byte at a time would hold a worker for
 * ever: the rate is enforced here, over the whole body, with each read
 * watched (http_gate_watch). And after the handler civetweb reads whatever
 * body is left, at any rate; a large unread body therefore closes the
 * connection instead (mg_close_connection, which makes civetweb skip that
 * read).
 */
#include "adapters/http/http_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define RATE_GRACE_S 10.0	 /* the first seconds of a body are free */
#define RATE_MIN_BPS 1024.0	 /* after them, at least this on average */
#define DRAIN_MAX    (64 * 1024) /* an unread body this small is dropped, keeping the connection */
#define LINGER_MAX   (16 * 1024 * 1024) /* before closing, at most this is read and dropped, */
#define LINGER_S     2.0		/* for at most this long */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int http_content_type_json(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct)
		return 0;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	if (strncasecmp(ct, "application/json", n) != 0)
		return 0;
	ct += n;
	while (*ct == ' ' || *ct == '\t')
		ct++;
	return *ct == '\0' || *ct == ';';
}

static int is_chunked(http_req *r)
{
	const char *te = http_header(r, "Transfer-Encoding");

	return te && strcasecmp(te, "identity") != 0;
}

/* The declared body length; -1 for chunked. */
static long long declared_length(http_req *r)
{
	return is_chunked(r) ? -1 : r->ri->content_length > 0 ? r->ri->content_length : 0;
}

static int plain_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

int http_body_framing(http_req *r)
{
	const struct mg_request_info *ri = r->ri;
	int lengths = 0, encodings = 0, bad = 0;

	for (int i = 0; i < ri->num_headers; i++)
		if (strcasecmp(ri->http_headers[i].name, "Content-Length") == 0) {
			lengths++;
			bad |= !plain_digits(ri->http_headers[i].value) ||
			       strlen(ri->http_headers[i].value) > 15;
		} else if (strcasecmp(ri->http_headers[i].name, "Transfer-Encoding") == 0) {
			encodings++;
		}
	if (!bad && lengths <= 1 && encodings <= 1 && !(lengths && encodings)) {
		r->body_state = declared_length(r) ? HTTP_BODY_UNREAD : HTTP_BODY_NONE;
		return 0;
	}
	/* Whoever framed this request differently may be smuggling a second one in it. */
	r->closing = 1;
	r->body_state = HTTP_BODY_UNREAD;
	http_send_problem(r, 400, "bad_request",
			  lengths > 1	  ? "more than one Content-Length"
			  : encodings > 1 ? "more than one Transfer-Encoding"
			  : bad		  ? "Content-Length must be a decimal number"
					  : "Content-Length and Transfer-Encoding together",
			  NULL);
	return -1;
}

/* 415 for a body that is not JSON, before anything reads it; 0 when acceptable. */
static int type_check(http_req *r)
{
	if (r->body_state == HTTP_BODY_NONE ||
	    http_content_type_json(http_header(r, "Content-Type")))
		return 0;
	http_send_problem(r, 415, "unsupported_media_type", "the body must be application/json",
			  NULL);
	return -1;
}

/* Sends "100 Continue" to a client that waits for it before sending the body. */
static void continue_if_expected(http_req *r)
{
	const char *expect = http_header(r, "Expect");

	if (expect && strcasecmp(expect, "100-continue") == 0)
		mg_printf(r->conn, "HTTP/1.1 100 Continue\r\n\r\n");
}

enum { READ_STOPPED = -1, READ_TOO_LARGE = -2, READ_TOO_DEEP = -3, READ_NO_MEMORY = -4 };

/* A body arriving: kept in buf (or, with keep 0, dropped), with guard checked for depth. */
typedef struct body_reader {
	http_req *r;
	int keep, guard;
	char *buf; /* NUL-terminated; the caller frees it */
	size_t len, size, cap;
	size_t first; /* the first allocation: the declared length when it fits */
	double max_s; /* > 0: stop after about this long */
	http_json_depth depth;
} body_reader;

/* Room for more of the body in b->buf; NULL when out of memory. */
static char *reader_room(body_reader *b, size_t *room)
{
	size_t want = b->size ? b->size * 2 : b->first ? b->first : 16384;
	char *p;

	if (b->len < b->size) {
		*room = b->size - b->len;
		return b->buf + b->len;
	}
	if (want > b->cap + 1)
		want = b->cap + 1; /* one byte past cap tells that the body is too large */
	if (!(p = realloc(b->buf, want + 1)))
		return NULL;
	b->buf = p;
	b->size = want;
	*room = b->size - b->len;
	return b->buf + b->len;
}

/*
 * How much to ask mg_read for next, and by when it must be there. mg_read
 * returns only once it has every byte asked for, so a read is watched
 * (http_gate_watch): it must complete by the time the body's average rate,
 * those bytes included, would fall under the minimum. A compliant client
 * always makes it; asking for no more than has arrived so far (4 KiB at
 * least) keeps a client that stops from being waited for much past the
 * point where it fell behind.
 */
static size_t next_read(const body_reader *b, size_t room, double started, double *deadline)
{
	size_t ask = b->len < 4096 ? 4096 : b->len;
	long long declared = declared_length(b->r);
	double by;

	if (ask > room)
		ask = room;
	if (declared >= 0 && (long long)ask > declared - (long long)b->len)
		ask = (size_t)(declared - (long long)b->len);
	by = (double)(b->len + ask) / RATE_MIN_BPS;
	*deadline = started + (by > RATE_GRACE_S ? by : RATE_GRACE_S);
	if (b->max_s > 0 && *deadline > started + b->max_s)
		*deadline = started + b->max_s;
	return ask;
}

/*
 * Reads the rest of the body at the minimum rate, up to b->cap bytes.
 * Returns the length, READ_TOO_LARGE past cap, READ_TOO_DEEP as soon as the
 * nesting passes HTTP_JSON_DEPTH_MAX (kept bodies), READ_STOPPED when the
 * client stopped early, failed or was too slow.
 */
static long long reader_run(body_reader *b)
{
	char scratch[4096];
	double started = now_s();
	long long declared = declared_length(b->r);
	int n;

	for (;;) {
		size_t room = sizeof(scratch), ask;
		double took, deadline;
		char *at;
		int watch, fired;

		if (declared >= 0 && (long long)b->len >= declared) {
			n = 0; /* complete: no reallocation for a read that would give nothing */
			break;
		}
		if (!(at = b->keep ? reader_room(b, &room) : scratch))
			return READ_NO_MEMORY;
		ask = next_read(b, room, started, &deadline);
		watch = http_gate_watch(b->r->gate, b->r->ri, deadline);
		n = mg_read(b->r->conn, at, ask);
		fired = http_gate_unwatch(b->r->gate, watch);
		if (fired)
			return READ_STOPPED;
		if (n <= 0)
			break;
		b->len += (size_t)n;
		if (b->len > b->cap)
			return READ_TOO_LARGE;
		if (b->guard && http_json_depth_feed(&b->depth, at, (size_t)n))
			return READ_TOO_DEEP;
		took = now_s() - started;
		if ((took > RATE_GRACE_S && (double)b->len < RATE_MIN_BPS * took) ||
		    (b->max_s > 0 && took > b->max_s))
			return READ_STOPPED;
	}
	/* mg_read gives 0 at the end of the body, -1 on a timeout or an error */
	if (n < 0 || (declared >= 0 && (long long)b->len != declared))
		return READ_STOPPED;
	b->r->body_state = HTTP_BODY_READ;
	return (long long)b->len;
}

/* Reads and drops at most cap bytes of body for at most max_s (> 0) seconds; 0 when all read. */
static int drop_body(http_req *r, size_t cap, double max_s)
{
	body_reader b = {.r = r, .cap = cap, .max_s = max_s};

	return reader_run(&b) < 0 ? -1 : 0;
}

/* Closes the connection now, answering nothing (the client stopped or crawled). */
static void cut_off(http_req *r)
{
	r->body_state = HTTP_BODY_CLOSED;
	r->status = 408; /* for the log and the metrics */
	mg_close_connection(r->conn);
}

/*
 * Reads the whole body into a new buffer; answers and returns NULL on
 * failure. A body declared larger than allowed is still read up to the
 * limit (and dropped, not kept), so that too deep a nesting is told as such
 * (400) whatever the size.
 */
static char *read_body(http_req *r, size_t *len)
{
	body_reader b = {.r = r, .keep = 1, .guard = 1, .cap = r->body_max};
	long long declared = declared_length(r), got;

	if (declared > 0 && declared <= (long long)b.cap)
		b.first = (size_t)declared;
	else if (declared > 0)
		b.keep = 0; /* it will not fit: only its depth is looked at */
	continue_if_expected(r);
	got = reader_run(&b);
	if (got >= 0 && b.keep) { /* a dropped body cannot end here: it is past the limit */
		b.buf[got] = '\0';
		*len = (size_t)got;
		return b.buf;
	}
	free(b.buf);
	if (got == READ_STOPPED || got >= 0) {
		cut_off(r);
		return NULL;
	}
	r->closing = 1; /* the rest of the body is not read */
	if (got == READ_TOO_DEEP)
		http_send_problem(r, 400, "invalid_json",
				  "the body is nested deeper than 32 levels", NULL);
	else if (got == READ_TOO_LARGE)
		http_send_problem(r, 413, "payload_too_large", "the request body is too large",
				  NULL);
	else
		http_send_problem(r, 500, "internal", "out of memory", NULL);
	return NULL;
}

unsigned char *http_body_raw(http_req *r, size_t max, size_t *len)
{
	body_reader b = {.r = r, .keep = 1, .cap = max};
	long long declared = declared_length(r), got;

	*len = 0;
	if (r->body_state == HTTP_BODY_NONE) {
		http_send_problem(r, 422, "validation_failed", "the body is empty", "body");
		return NULL;
	}
	if (declared > (long long)max) { /* refused before a byte of it is read */
		r->closing = 1;
		http_send_problem(r, 413, "payload_too_large", "the request body is too large",
				  NULL);
		return NULL;
	}
	b.first = declared > 0 ? (size_t)declared : 0;
	continue_if_expected(r);
	got = reader_run(&b);
	if (got >= 0) {
		*len = (size_t)got;
		return (unsigned char *)b.buf;
	}
	free(b.buf);
	if (got == READ_STOPPED) {
		cut_off(r);
		return NULL;
	}
	r->closing = 1;
	if (got == READ_TOO_LARGE)
		http_send_problem(r, 413, "payload_too_large", "the request body is too large",
				  NULL);
	else
		http_send_problem(r, 500, "internal", "out of memory", NULL);
	return NULL;
}

static int has_required(const http_field *fields)
{
	for (; fields && fields->name; fields++)
		if (fields->required)
			return 1;
	return 0;
}

int http_body_read(http_req *r)
{
	char *text = NULL;
	size_t len = 0;
	app_err err;
	int rc;

	if (type_check(r))
		return -1;
	app_err_clear(&err);
	if (r->body_state == HTTP_BODY_NONE) {
		if (has_required(r->fields)) {
			http_send_problem(r, 400, "invalid_json", "the body must be a JSON object",
					  NULL);
			return -1;
		}
		r->body = cJSON_CreateObject();
	} else {
		if (!(text = read_body(r, &len)))
			return -1;
		rc = http_json_parse(&r->body, text, len, &err);
		free(text);
		if (rc) {
			http_send_error(r, &err);
			return -1;
		}
	}
	if (!r->body) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return -1;
	}
	if (r->fields && http_body_map(r->v, r->fields, r->body, &err)) {
		http_send_error(r, &err);
		return -1;
	}
	return 0;
}

int http_body_closes(http_req *r)
{
	/*
	 * A client waiting for "100 Continue" has sent nothing, and a large body
	 * is not worth reading: both connections close. A small body is cheaper
	 * to drop than to reconnect for.
	 */
	if (r->body_state == HTTP_BODY_UNREAD &&
	    (declared_length(r) < 0 || declared_length(r) > DRAIN_MAX || http_header(r, "Expect")))
		r->closing = 1;
	return r->closing;
}

void http_body_finish(http_req *r)
{
	cJSON_Delete(r->body);
	r->body = NULL;
	if (r->body_state == HTTP_BODY_CLOSED)
		return;
	if (r->body_state == HTTP_BODY_UNREAD && !http_body_closes(r)) {
		/* a small body is dropped and the connection stays, unless it crawls */
		if (drop_body(r, DRAIN_MAX, 0) < 0)
			mg_close_connection(r->conn);
		return;
	}
	if (!r->closing)
		return;
	/*
	 * Closing with unread data makes the kernel answer with a reset, which
	 * can destroy the answer before the client reads it: what the client
	 * sends anyway is read and dropped first, for a little while (nginx's
	 * lingering close). Nothing of it is kept.
	 */
	if (r->body_state == HTTP_BODY_UNREAD && !http_header(r, "Expect"))
		drop_body(r, LINGER_MAX, LINGER_S);
	mg_close_connection(r->conn);
}

const http_value *http_arg(const http_req *r, const char *name)
{
	static const http_value absent;

	for (size_t i = 0; r->fields && r->fields[i].name; i++)
		if (strcmp(r->fields[i].name, name) == 0)
			return &r->v[i];
	assert(!"the route's body does not declare this field");
	return &absent;
}

const char *http_arg_str(const http_req *r, const char *name)
{
	const http_value *v = http_arg(r, name);

	return v->present ? v->s : NULL;
}
