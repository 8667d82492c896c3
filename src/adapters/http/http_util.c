/* Responses, request bodies and JSON mapping shared by the routes. */
#include "adapters/http/http_internal.h"
#include "domain/common/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int http_status_of(int code)
{
	switch (code) {
	case APP_EINVALID:
		return 422;
	case APP_ENOTFOUND:
		return 404;
	case APP_EEXISTS:
	case APP_ECONFLICT:
		return 409;
	case APP_EFORBIDDEN:
		return 403;
	case APP_EUNAUTH:
		return 401;
	case APP_EINSUFFICIENT:
	case APP_EDECLINED:
		return 402;
	case APP_ELIMITED:
		return 429;
	case APP_EMALFORMED:
		return 400;
	case APP_ETOOLARGE:
		return 413;
	case APP_EUPSTREAM:
	case APP_ETIMEOUT:
		return 502;
	case APP_EUNAVAILABLE:
	case APP_EBUSY:
		return 503;
	default:
		return 500;
	}
}

static const char *reason_of(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 202:
		return "Accepted";
	case 204:
		return "No Content";
	case 304:
		return "Not Modified";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 402:
		return "Payment Required";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 409:
		return "Conflict";
	case 413:
		return "Content Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Content";
	case 429:
		return "Too Many Requests";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	default:
		return status < 500 ? "Error" : "Internal Server Error";
	}
}

/* API answers are not stored, unless the route says how to cache (covers). */
static const char *default_cache(http_req *r, const char *extra_headers)
{
	if (!r->route || strncmp(r->route, "/api/", 5) != 0 ||
	    (extra_headers && strcasestr(extra_headers, "Cache-Control:")))
		return "";
	return "Cache-Control: no-store\r\n";
}

/*
 * Keep-alive answers advertise an idle time-out of 2 s, shorter than the
 * server's 5 s, so that a client honouring it (Node's fetch takes 1 s off,
 * and its timers are coarse and late under load) drops an idle connection
 * before the server closes it under a request the client is about to send:
 * a POST lost that way is not retried. With 1 s of margin that race was
 * seen on a loaded machine.
 */
static const char *connection_header(http_req *r)
{
	return http_body_closes(r) ? "Connection: close\r\n"
				   : "Keep-Alive: timeout=" HTTP_KEEP_ALIVE_ADVERTISED "\r\n";
}

/*
 * An answer up to this size goes out in one write with its head: the server sets TCP_NODELAY,
 * so a head written alone left as a segment of its own and the client read every answer twice.
 */
#define SEND_ONE_WRITE_MAX (256 * 1024)

void http_send_bytes(http_req *r, int status, const char *content_type, const void *data,
		     size_t len, const char *extra_headers)
{
	int head = strcmp(r->ri->request_method, "HEAD") == 0;
	size_t body = len && !head ? len : 0;
	strbuf out = {0};

	r->status = status;
	strbuf_reserve(&out, 512 + (body <= SEND_ONE_WRITE_MAX ? body : 0));
	strbuf_fmt(&out,
		   "HTTP/1.1 %d %s\r\n"
		   "Content-Type: %s\r\n"
		   "Content-Length: %zu\r\n"
		   "X-Request-Id: %s\r\n"
		   "X-Content-Type-Options: nosniff\r\n"
		   "Referrer-Policy: same-origin\r\n"
		   "X-Frame-Options: DENY\r\n"
		   "%s%s%s\r\n",
		   status, reason_of(status), content_type, len, r->request_id,
		   default_cache(r, extra_headers), connection_header(r),
		   extra_headers ? extra_headers : "");
	if (body && body <= SEND_ONE_WRITE_MAX) {
		strbuf_add(&out, data, body);
		body = 0;
	}
	if (out.oom) {
		r->status = 500;
		mg_printf(r->conn, "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
				   "Connection: close\r\n\r\n");
	} else {
		mg_write(r->conn, out.s, out.len);
		if (body)
			mg_write(r->conn, data, body);
	}
	strbuf_dispose(&out);
}

void http_send_empty(http_req *r, int status, const char *extra_headers)
{
	r->status = status;
	mg_printf(r->conn,
		  "HTTP/1.1 %d %s\r\n"
		  "Content-Length: 0\r\n"
		  "X-Request-Id: %s\r\n"
		  "X-Content-Type-Options: nosniff\r\n"
		  "%s%s\r\n",
		  status, reason_of(status), r->request_id, connection_header(r),
		  extra_headers ? extra_headers : "");
}

void http_send_json(http_req *r, int status, cJSON *body, const char *extra_headers)
{
	/* A first buffer that fits most answers: fewer reallocations while printing. */
	char *text = body ? cJSON_PrintBuffered(body, 8192, 0) : NULL;

	cJSON_Delete(body);
	if (!text) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	http_send_bytes(r, status, "application/json", text, strlen(text), extra_headers);
	cJSON_free(text);
}

/* The Retry-After header of an answer: the error's retryAfter, else a default per status. */
static const char *retry_after(char *buf, size_t cap, int status, const char *code,
			       const app_err *err)
{
	long long seconds = status == 429 ? 60 : strcmp(code, "busy") == 0 ? 1 : 5;

	if (status != 429 && status != 503)
		return NULL;
	for (int i = 0; err && i < err->nextra; i++)
		if (strcmp(err->extra_name[i], "retryAfter") == 0 && err->extra[i] > 0)
			seconds = err->extra[i];
	snprintf(buf, cap, "Retry-After: %lld\r\n", seconds);
	return buf;
}

static void send_problem_obj(http_req *r, int status, const char *code, const char *detail,
			     const char *field, const app_err *err)
{
	cJSON *o = cJSON_CreateObject();
	char *text, retry[48];

	cJSON_AddStringToObject(o, "type", "about:blank");
	cJSON_AddStringToObject(o, "title", reason_of(status));
	cJSON_AddNumberToObject(o, "status", status);
	cJSON_AddStringToObject(o, "detail", detail && *detail ? detail : reason_of(status));
	cJSON_AddStringToObject(o, "code", code);
	if (field && *field)
		cJSON_AddStringToObject(o, "field", field);
	for (int i = 0; err && i < err->nextra; i++) {
		const char *name = err->extra_name[i];
		size_t len = strlen(name);

		/* a time ("...At", ms) reads as RFC 3339 like every other time */
		if (len > 2 && !strcmp(name + len - 2, "At"))
			http_add_time(o, name, err->extra[i]);
		else
			cJSON_AddNumberToObject(o, name, (double)err->extra[i]);
	}
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		abort();
	http_send_bytes(r, status, "application/problem+json", text, strlen(text),
			retry_after(retry, sizeof(retry), status, code, err));
	cJSON_free(text);
}

void http_send_problem(http_req *r, int status, const char *code, const char *detail,
		       const char *field)
{
	send_problem_obj(r, status, code, detail, field, NULL);
}

void http_send_error(http_req *r, const app_err *err)
{
	int status = http_status_of(err->code);
	/* the words of the HTTP contract belong here: a body that cannot be parsed is invalid_json
	 */
	const char *word = err->code == APP_EMALFORMED ? "invalid_json"
			   : err->word[0]	       ? err->word
						       : app_err_default_word(err->code);

	if (status >= 500) {
		/* Internal detail goes to the log, not to the client. */
		log_line l;

		log_begin(&l, "error", "request failed");
		log_str(&l, "requestId", r->request_id);
		log_str(&l, "code", word);
		log_str(&l, "detail", err->msg);
		log_end(&l);
		if (err->code == APP_EBUSY)
			send_problem_obj(r, status, "busy", err->msg, NULL, err);
		else if (status == 503)
			send_problem_obj(r, status, word,
					 "storage cannot take writes now; try again", NULL, NULL);
		else
			send_problem_obj(r, status, status == 502 ? word : "internal",
					 status == 502 ? err->msg : "an internal error occurred",
					 NULL, NULL);
		return;
	}
	send_problem_obj(r, status, word, err->msg, err->field, err);
}

const char *http_header(http_req *r, const char *name)
{
	return mg_get_header(r->conn, name);
}

int http_query(char *buf, size_t cap, http_req *r, const char *name)
{
	app_err err;
	int rc;

	app_err_clear(&err);
	rc = http_query_value(buf, cap, r->ri->query_string, name, &err);
	if (rc >= 0)
		return 0;
	http_send_error(r, &err);
	return -1;
}

int http_query_limit(size_t *limit, http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (http_parse_limit(limit, r->ri->query_string, &err) == 0)
		return 0;
	http_send_error(r, &err);
	return -1;
}

int http_query_cursor(int64_t *cursor, http_req *r, const char *name)
{
	app_err err;

	app_err_clear(&err);
	if (http_parse_cursor(cursor, r->ri->query_string, name, &err) == 0)
		return 0;
	http_send_error(r, &err);
	return -1;
}

int http_require_admin(http_req *r)
{
	if (r->authenticated && (r->me.roles & MEMBER_ROLE_ADMIN))
		return 0;
	http_send_problem(r, 403, "forbidden", "this needs the admin role", NULL);
	return -1;
}

/* Writes v as exactly width digits at p. */
static char *put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

void http_time(char out[32], int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char *p = out;

	/* By hand rather than strftime, which calls tzset (a stat of /etc/localtime) every time. */
	gmtime_r(&t, &tm);
	if (tm.tm_year + 1900 < 0 || tm.tm_year + 1900 > 9999) { /* not in this millennium */
		char wide[96];

		snprintf(wide, sizeof(wide), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
		memcpy(out, wide, 31);
		out[31] = '\0';
		return;
	}
	p = put_digits(p, tm.tm_year + 1900, 4);
	*p++ = '-';
	p = put_digits(p, tm.tm_mon + 1, 2);
	*p++ = '-';
	p = put_digits(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_min, 2);
	*p++ = ':';
	p = put_digits(p, tm.tm_sec, 2);
	*p++ = 'Z';
	*p = '\0';
}

/* Reads exactly n digits at *p into *v. */
static int digits(const char **p, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return -1;
		*v = *v * 10 + (**p - '0');
	}
	return 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), no library time zone involved. */
static int64_t days_from_civil(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int month_days(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : days[m - 1];
}

int http_parse_time(int64_t *ms, const char *s)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, frac = 0, scale = 1000;
	int64_t t;

	if (digits(&s, 4, &y) || *s++ != '-' || digits(&s, 2, &mo) || *s++ != '-' ||
	    digits(&s, 2, &d) || (*s != 'T' && *s != 't') || !*s++ || digits(&s, 2, &h) ||
	    *s++ != ':' || digits(&s, 2, &mi) || *s++ != ':' || digits(&s, 2, &sec))
		return -1;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return -1;
		for (; *s >= '0' && *s <= '9'; s++)
			if (scale > 1)
				frac += (*s - '0') * (scale /= 10);
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		int sign = *s++ == '-' ? -1 : 1;

		if (digits(&s, 2, &oh) || *s++ != ':' || digits(&s, 2, &om) || oh > 23 || om > 59)
			return -1;
		oh *= sign;
		om *= sign;
	} else {
		return -1;
	}
	if (*s || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - oh * 3600 - om * 60;
	if (t < 0)
		return -1;
	*ms = t * 1000 + frac;
	return 0;
}

void http_add_time(cJSON *o, const char *name, int64_t ms)
{
	char ts[32];

	if (!ms) {
		cJSON_AddItemToObjectCS(o, name, cJSON_CreateNull());
		return;
	}
	http_time(ts, ms);
	http_add_str(o, name, ts);
}

void http_add_str(cJSON *o, const char *name, const char *s)
{
	/* names are literals: cJSON keeps the pointer instead of copying the key */
	cJSON_AddItemToObjectCS(o, name, cJSON_CreateString(s));
}

void http_add_int(cJSON *o, const char *name, int64_t v)
{
	char buf[24];

	/* Raw digits: cJSON prints a number with sprintf("%1.15g") and checks it with sscanf. */
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	cJSON_AddItemToObjectCS(o, name, cJSON_CreateRaw(buf));
}

void http_add_id_or_null(cJSON *o, const char *name, int64_t id)
{
	if (id)
		http_add_int(o, name, id);
	else
		cJSON_AddNullToObject(o, name);
}

cJSON *http_list(cJSON *items, const char *next)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddItemToObject(o, "items", items);
	if (next)
		cJSON_AddStringToObject(o, "nextCursor", next);
	else
		cJSON_AddNullToObject(o, "nextCursor");
	return o;
}

cJSON *http_list_next_id(cJSON *items, int64_t next)
{
	char buf[32];

	if (!next)
		return http_list(items, NULL);
	snprintf(buf, sizeof(buf), "%lld", (long long)next);
	return http_list(items, buf);
}

void http_send_page(http_req *r, const http_page *p)
{
	cJSON *items = NULL;
	int64_t cursor, next = 0, count = 0;
	size_t limit, n = 0, i;
	char *rows;
	app_err err;
	int rc;

	if (http_query_limit(&limit, r) ||
	    http_query_cursor(&cursor, r, p->cursor_name ? p->cursor_name : "cursor"))
		return;
	if (!(rows = calloc(limit, p->row_size))) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	app_err_clear(&err);
	rc = p->fetch_counted ? p->fetch_counted(rows, &n, &next, &count, r, cursor, limit, &err)
			      : p->fetch(rows, &n, &next, r, cursor, limit, &err);
	if (rc) {
		n = 0; /* a fetch that fails holds nothing */
		http_send_error(r, &err);
		goto out;
	}
	items = cJSON_CreateArray();
	for (i = 0; i < n; i++) {
		cJSON *item = p->item(r, rows + i * p->row_size);

		if (!item) { /* its error is sent */
			cJSON_Delete(items);
			items = NULL;
			break;
		}
		cJSON_AddItemToArray(items, item);
	}
	if (items) {
		cJSON *list = http_list_next_id(items, next);

		if (p->count_name)
			http_add_int(list, p->count_name, count);
		http_send_json(r, 200, list, NULL);
	}
out:
	for (i = 0; p->dispose && i < n; i++)
		p->dispose(rows + i * p->row_size);
	free(rows);
}
