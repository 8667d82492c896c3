#include "adapters/http/http_internal.h"
#include "domain/common/log.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static void healthz(http_req *r);
static void readyz(http_req *r);
static void metrics(http_req *r);
static void openapi(http_req *r);

static const http_route ops_routes[] = {
    {"GET", "/healthz", healthz, 0, NULL, NULL},
    {"GET", "/readyz", readyz, 0, NULL, NULL},
    {"GET", "/metrics", metrics, 0, NULL, NULL},
    {"GET", "/api/openapi.yaml", openapi, 0, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};

static const http_route *const route_groups[] = {
    ops_routes,		  http_member_routes,	  http_admin_routes,	 http_book_routes,
    http_author_routes,	  http_manuscript_routes, http_aigen_routes,	 http_payment_routes,
    http_earnings_routes, http_account_routes,	  http_community_routes, http_feed_routes,
    http_review_routes,	  http_episode_routes,	  http_work_routes,	 http_reader_routes,
    http_opds_routes,	  http_comment_routes,	  http_cover_routes,	 http_reader_count_routes,
};

#define NGROUPS	   (sizeof(route_groups) / sizeof(route_groups[0]))
#define MAX_ROUTES 160

/* --- metrics ------------------------------------------------------------------------------- */

static const int status_classes[] = {200, 201, 202, 204, 304, 400, 401, 402, 403, 404,
				     405, 408, 409, 413, 415, 422, 429, 500, 503};
#define NSTATUS (sizeof(status_classes) / sizeof(status_classes[0]))
static const double latency_buckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
					 0.05,	 0.1,	0.25,	0.5,   1.0,  2.5};
#define NBUCKETS (sizeof(latency_buckets) / sizeof(latency_buckets[0]))

typedef struct route_stats {
	const char *method, *route;
	atomic_ullong by_status[NSTATUS + 1]; /* last: other */
	atomic_ullong buckets[NBUCKETS + 1];  /* last: +Inf */
	atomic_ullong micros;		      /* sum of durations */
} route_stats;

struct http_server {
	struct mg_context *ctx;
	http_config cfg;
	http_services svc;
	char *listen;
	char *web_root;
	int port;
	atomic_ullong request_seq;
	unsigned long long id_prefix;
	route_stats stats[MAX_ROUTES + 1]; /* last: unmatched (static files, 404) */
	size_t nstats;
	http_cidr trusted[HTTP_TRUSTED_MAX]; /* --trusted-proxy */
	size_t ntrusted;
	http_gate *gate;
};

static route_stats *stats_for(http_server *s, const char *method, const char *route)
{
	for (size_t i = 0; i < s->nstats; i++)
		if (s->stats[i].route == route && strcmp(s->stats[i].method, method) == 0)
			return &s->stats[i];
	return &s->stats[MAX_ROUTES];
}

static void stats_record(route_stats *st, int status, double seconds)
{
	size_t i;

	for (i = 0; i < NSTATUS && status_classes[i] != status; i++)
		;
	atomic_fetch_add(&st->by_status[i], 1);
	for (i = 0; i < NBUCKETS && seconds > latency_buckets[i]; i++)
		;
	atomic_fetch_add(&st->buckets[i], 1);
	atomic_fetch_add(&st->micros, (unsigned long long)(seconds * 1e6));
}

/* --- helpers --------------------------------------------------------------------------------- */

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void log_request(http_server *s, http_req *r, double seconds)
{
	int level = r->status >= 500 ? HTTP_LOG_ERROR : HTTP_LOG_INFO;
	char ts[32];
	log_line l;

	if ((int)s->cfg.log_level > level)
		return;
	http_time(ts, (int64_t)time(NULL) * 1000);
	log_begin(&l, level == HTTP_LOG_ERROR ? "error" : "info", "request");
	log_str(&l, "ts", ts);
	log_str(&l, "requestId", r->request_id);
	log_str(&l, "method", r->ri->request_method);
	log_str(&l, "route", r->route ? r->route : "static");
	log_int(&l, "status", r->status);
	log_double(&l, "durationMs", seconds * 1000);
	if (r->authenticated)
		log_int(&l, "member", r->me.id);
	else
		log_str(&l, "member", NULL);
	log_str(&l, "client", r->client_text);
	log_end(&l);
}

/* A {token} path segment: 16 to 63 characters of base64url, into r->path_token. */
static int path_token(http_req *r, const char **path)
{
	size_t n = 0;
	const char *p = *path;

	while (n < sizeof(r->path_token) - 1 &&
	       ((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'z') ||
		(p[n] >= 'A' && p[n] <= 'Z') || p[n] == '-' || p[n] == '_'))
		n++;
	if (n < 16 || p[n] != '/')
		return 0;
	memcpy(r->path_token, p, n);
	r->path_token[n] = '\0';
	*path = p + n;
	return 1;
}

/* Matches path against pattern, filling r->params (and r->path_token). */
int http_route_match(http_req *r, const char *pattern, const char *path)
{
	r->nparams = 0;
	while (*pattern && *path) {
		if (strncmp(pattern, "{token}", 7) == 0) {
			if (!path_token(r, &path))
				return 0;
			pattern += 7;
			continue;
		}
		if (*pattern == '{') {
			int64_t v = 0;
			int digits = 0;

			while (*pattern && *pattern != '}')
				pattern++;
			if (*pattern)
				pattern++;
			while (*path >= '0' && *path <= '9') {
				if (v > (INT64_MAX - 9) / 10)
					return 0;
				v = v * 10 + (*path++ - '0');
				digits++;
			}
			if (!digits || v <= 0 || r->nparams == 3)
				return 0;
			r->params[r->nparams++] = v;
			continue;
		}
		if (*pattern++ != *path++)
			return 0;
	}
	return *pattern == '\0' && *path == '\0';
}

static const http_route *route_find(http_req *r, const char *method, const char *path,
				    int *path_known)
{
	*path_known = 0;
	for (size_t g = 0; g < NGROUPS; g++)
		for (const http_route *rt = route_groups[g]; rt->method; rt++)
			if (http_route_match(r, rt->pattern, path)) {
				*path_known = 1;
				if (strcmp(rt->method, method) == 0)
					return rt;
			}
	return NULL;
}

static int is_unsafe(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	       strcmp(method, "OPTIONS") != 0;
}

/* The client address: the peer, or behind a trusted proxy what X-Forwarded-For says. */
static void find_client(http_req *r, const http_server *s)
{
	const struct mg_request_info *ri = r->ri;
	const char *xff[8];
	size_t n = 0;
	http_addr peer;

	if (http_addr_parse(&peer, ri->remote_addr, strlen(ri->remote_addr)))
		memset(&peer, 0, sizeof(peer));
	for (int i = 0; i < ri->num_headers && n < 8; i++)
		if (strcasecmp(ri->http_headers[i].name, "X-Forwarded-For") == 0)
			xff[n++] = ri->http_headers[i].value;
	http_client_addr(&r->client, &peer, xff, n, s->trusted, s->ntrusted);
	http_addr_format(r->client_text, sizeof(r->client_text), &r->client);
}

/* Finds the session token (bearer first, then the cookie); 0 when there is none. */
static int find_token(http_req *r)
{
	const char *cookie = http_header(r, "Cookie");

	if (http_bearer_token(r->token, sizeof(r->token), http_header(r, "Authorization")) == 0)
		return 1;
	if (cookie && mg_get_cookie(cookie, "wl_session", r->token, sizeof(r->token)) > 0) {
		r->via_cookie = 1;
		return 1;
	}
	return 0;
}

/* 1 when the query string carries a token (an RFC 8058 one-click POST). */
static int one_click(http_req *r)
{
	char token[256];
	app_err err;

	app_err_clear(&err);
	return http_query_value(token, sizeof(token), r->ri->query_string, "token", &err) == 0 &&
	       token[0];
}

/*
 * Everything a route's flags ask, in an order that reads no body before the
 * caller is known to be allowed: cross-site refusal, the session, roles, the
 * route's own check, then the body. Answers and returns non-zero to stop.
 */
static int gate(http_req *r, const http_route *rt, http_server *s)
{
	app_err err;

	if (is_unsafe(r->ri->request_method) &&
	    http_cross_site(http_header(r, "Origin"), http_header(r, "Sec-Fetch-Site"),
			    http_header(r, "Host"))) {
		http_send_problem(r, 403, "forbidden", "cross-site request refused", NULL);
		return -1;
	}
	if (find_token(r)) {
		app_err_clear(&err);
		if (members_authenticate(&r->me, s->svc.members, r->token, &err) == 0)
			r->authenticated = 1;
		else if (err.code != APP_EUNAUTH) {
			http_send_error(r, &err);
			return -1;
		}
	}
	if ((rt->flags & (ROUTE_MEMBER | ROUTE_ADMIN | ROUTE_AUTHOR)) && !r->authenticated) {
		http_send_problem(r, 401, "unauthenticated", "a session is required", NULL);
		return -1;
	}
	if ((rt->flags & ROUTE_ADMIN) && http_require_admin(r))
		return -1;
	if ((rt->flags & ROUTE_AUTHOR) && !(r->me.roles & MEMBER_ROLE_AUTHOR)) {
		http_send_problem(r, 403, "not_author", "this needs the author role", NULL);
		return -1;
	}
	if (rt->allow && rt->allow(r))
		return -1;
	if (s->svc.request_idle)
		s->svc.request_idle(s->svc.ctx); /* a slow body must not hold storage */
	if ((rt->flags & ROUTE_ONE_CLICK) && one_click(r))
		return 0; /* the form is dropped after the answer (http_body_finish) */
	if (rt->flags & ROUTE_RAW_BODY)
		return 0;
	/* a route without fields still gets a strict body, if any, that it then ignores */
	return http_body_read(r);
}

/* --- the request handler ---------------------------------------------------------------------- */

static int handle(struct mg_connection *conn, void *cbdata)
{
	http_server *s = cbdata;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	double started = now_seconds();
	const http_route *rt;
	http_req r;
	const char *rid;
	int path_known;

	memset(&r, 0, sizeof(r));
	r.conn = conn;
	r.ri = ri;
	r.svc = &s->svc;
	r.cfg = &s->cfg;
	r.gate = s->gate;
	if (s->svc.request_begin)
		s->svc.request_begin(s->svc.ctx);
	rid = http_header(&r, "X-Request-Id");
	if (rid && http_request_id_valid(rid))
		snprintf(r.request_id, sizeof(r.request_id), "%s", rid);
	else
		snprintf(r.request_id, sizeof(r.request_id), "%08llx-%llu", s->id_prefix,
			 atomic_fetch_add(&s->request_seq, 1) + 1);

	find_client(&r, s);
	if (http_body_framing(&r))
		goto done;
	rt = route_find(&r, ri->request_method, ri->local_uri, &path_known);
	if (!rt) {
		if (path_known)
			http_send_problem(&r, 405, "method_not_allowed",
					  "this method is not allowed here", NULL);
		else if (strcmp(ri->request_method, "GET") == 0 ||
			 strcmp(ri->request_method, "HEAD") == 0)
			http_static_serve(&r, s->web_root, s->cfg.assets, ri->local_uri);
		else
			http_send_problem(&r, 404, "not_found", "no such resource", NULL);
		goto done;
	}
	r.route = rt->pattern;
	r.fields = rt->body;
	r.body_max = rt->flags & ROUTE_LARGE_BODY ? HTTP_BODY_LARGE_MAX : HTTP_BODY_DEFAULT_MAX;
	if (gate(&r, rt, s) == 0)
		rt->handler(&r);
done:
	if (!r.status) /* a handler must answer; this is a programming error */
		http_send_problem(&r, 500, "internal", "no response", NULL);
	if (s->svc.request_idle)
		s->svc.request_idle(s->svc.ctx);
	http_body_finish(&r);
	{
		double took = now_seconds() - started;

		stats_record(stats_for(s, ri->request_method, r.route), r.status, took);
		log_request(s, &r, took);
	}
	return r.status;
}

/* --- operations endpoints -----------------------------------------------------------------------
 */

static void healthz(http_req *r)
{
	http_send_bytes(r, 200, "text/plain; charset=utf-8", "ok\n", 3, NULL);
}

static void readyz(http_req *r)
{
	app_err err;

	app_err_clear(&err);
	if (r->svc->ready && r->svc->ready(r->svc->ctx, &err) != 0) {
		http_send_problem(r, 503, "not_ready", err.msg, NULL);
		return;
	}
	http_send_bytes(r, 200, "text/plain; charset=utf-8", "ready\n", 6, NULL);
}

/* The server of this request: civetweb hands us the callback data. */
static http_server *server_of(http_req *r)
{
	return mg_get_user_data(mg_get_context(r->conn));
}

/* /metrics: for loopback clients, or whoever sends the bearer of --metrics-token. */
static int metrics_allowed(http_req *r)
{
	const char *auth = http_header(r, "Authorization"), *token = r->cfg->metrics_token;

	if (http_addr_is_loopback(&r->client))
		return 1;
	return token && *token && auth && strncasecmp(auth, "Bearer ", 7) == 0 &&
	       http_secret_equal(auth + 7, token);
}

/* The connection gate's gauges. */
static void connection_metrics(strbuf *b, http_gate *gate)
{
	unsigned long long open, refused;

	http_gate_counts(gate, &open, &refused);
	strbuf_fmt(b,
		   "# HELP wl_http_connections_open Connections counted against the "
		   "per-client cap.\n# TYPE wl_http_connections_open gauge\n"
		   "wl_http_connections_open %llu\n"
		   "# HELP wl_http_connections_refused_total Connections closed at accept: "
		   "their client held --max-conns-per-client.\n"
		   "# TYPE wl_http_connections_refused_total counter\n"
		   "wl_http_connections_refused_total %llu\n",
		   open, refused);
}

static void metrics(http_req *r)
{
	http_server *s = server_of(r);
	strbuf b = {0};

	if (!metrics_allowed(r)) {
		http_send_problem(r, 403, "forbidden",
				  "metrics are for this host, or the bearer of the metrics token",
				  NULL);
		return;
	}
	strbuf_fmt(&b, "# HELP wl_http_requests_total HTTP requests by route and status.\n"
		       "# TYPE wl_http_requests_total counter\n");
	for (size_t i = 0; i <= MAX_ROUTES; i++) {
		route_stats *st = &s->stats[i];
		const char *route = i == MAX_ROUTES ? "static" : st->route;
		const char *method = i == MAX_ROUTES ? "GET" : st->method;

		if (i >= s->nstats && i != MAX_ROUTES)
			continue;
		for (size_t k = 0; k <= NSTATUS; k++) {
			unsigned long long v = atomic_load(&st->by_status[k]);

			if (v)
				strbuf_fmt(&b,
					   "wl_http_requests_total{method=\"%s\",route=\"%s\","
					   "status=\"%s%d\"} %llu\n",
					   method, route, k == NSTATUS ? "other" : "",
					   k == NSTATUS ? 0 : status_classes[k], v);
		}
	}
	strbuf_fmt(&b, "# HELP wl_http_request_duration_seconds Request latency by route.\n"
		       "# TYPE wl_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i <= MAX_ROUTES; i++) {
		route_stats *st = &s->stats[i];
		const char *route = i == MAX_ROUTES ? "static" : st->route;
		unsigned long long cum = 0;

		if (i >= s->nstats && i != MAX_ROUTES)
			continue;
		for (size_t k = 0; k <= NBUCKETS; k++)
			cum += atomic_load(&st->buckets[k]);
		if (!cum)
			continue;
		cum = 0;
		for (size_t k = 0; k <= NBUCKETS; k++) {
			cum += atomic_load(&st->buckets[k]);
			if (k < NBUCKETS)
				strbuf_fmt(&b,
					   "wl_http_request_duration_seconds_bucket{route=\"%s\","
					   "method=\"%s\",le=\"%g\"} %llu\n",
					   route, i == MAX_ROUTES ? "GET" : st->method,
					   latency_buckets[k], cum);
			else
				strbuf_fmt(&b,
					   "wl_http_request_duration_seconds_bucket{route=\"%s\","
					   "method=\"%s\",le=\"+Inf\"} %llu\n",
					   route, i == MAX_ROUTES ? "GET" : st->method, cum);
		}
		strbuf_fmt(
		    &b,
		    "wl_http_request_duration_seconds_sum{route=\"%s\",method=\"%s\"} %.6f\n"
		    "wl_http_request_duration_seconds_count{route=\"%s\",method=\"%s\"} %llu\n",
		    route, i == MAX_ROUTES ? "GET" : st->method,
		    (double)atomic_load(&st->micros) / 1e6, route,
		    i == MAX_ROUTES ? "GET" : st->method, cum);
	}
	connection_metrics(&b, s->gate);
	if (r->svc->metrics) {
		enum { ROOM = 65536 };

		char *room = strbuf_reserve(&b, ROOM);

		if (room)
			b.len += r->svc->metrics(room, ROOM + 1, r->svc->ctx);
	}
	if (b.oom)
		http_send_problem(r, 500, "internal", "out of memory", NULL);
	else
		http_send_bytes(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.s, b.len,
				NULL);
	strbuf_dispose(&b);
}

static void openapi(http_req *r)
{
	http_server *s = server_of(r);

	/* Always the embedded copy: it describes this binary's API. */
	if (!http_static_embedded(r, s->cfg.assets, "/api/openapi.yaml"))
		http_send_problem(r, 404, "not_found", "this build has no OpenAPI document", NULL);
}

/* --- life cycle
 * ------------------------------------------------------------------------------------ */

static int log_message(const struct mg_connection *conn, const char *message)
{
	log_line l;

	(void)conn;
	log_begin(&l, "warn", "civetweb");
	log_strn(&l, "detail", message, strnlen(message, 200));
	log_end(&l);
	return 1;
}

/* civetweb's master thread accepts: the gate of this server applies to it. */
static void *init_thread(const struct mg_context *ctx, int thread_type)
{
	http_server *s = mg_get_user_data(ctx);

	if (thread_type == 0)
		http_gate_enter_master(s->gate);
	else if (thread_type == 1)
		http_stack_note();
	return NULL;
}

static int init_connection(const struct mg_connection *conn, void **conn_data)
{
	http_server *s = mg_get_user_data(mg_get_context(conn));

	return http_gate_connection_open(s->gate, conn, conn_data);
}

static void connection_close(const struct mg_connection *conn)
{
	http_gate_connection_close(conn);
	http_stack_trim(); /* the worker waits for its next connection */
}

const http_route *http_route_at(size_t i)
{
	for (size_t g = 0; g < NGROUPS; g++)
		for (const http_route *rt = route_groups[g]; rt->method; rt++)
			if (i-- == 0)
				return rt;
	return NULL;
}

void http_routes_print(void)
{
	const http_route *rt;

	for (size_t i = 0; (rt = http_route_at(i)); i++)
		printf("%s %s\n", rt->method, rt->pattern);
}

int http_server_start(http_server **out, const http_config *cfg, const http_services *svc,
		      app_err *err)
{
	http_server *s = calloc(1, sizeof(*s));
	struct mg_callbacks cb;
	struct mg_server_port ports[4];
	char threads[16];
	const char *opts[32];
	long long files;
	int n = 0, nports, rc;

	if (!s)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	s->cfg = *cfg;
	s->svc = *svc;
	s->listen = strdup(cfg->listen);
	s->web_root = cfg->web_root ? strdup(cfg->web_root) : NULL;
	s->id_prefix = (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 16);
	for (size_t g = 0; g < NGROUPS; g++)
		for (const http_route *rt = route_groups[g]; rt->method && s->nstats < MAX_ROUTES;
		     rt++) {
			s->stats[s->nstats].method = rt->method;
			s->stats[s->nstats++].route = rt->pattern;
		}
	if (http_cidrs_parse(s->trusted, HTTP_TRUSTED_MAX, &s->ntrusted,
			     cfg->trusted_proxies ? cfg->trusted_proxies : "", err) ||
	    !(s->gate = http_gate_new(cfg->max_conns_per_client, s->trusted, s->ntrusted,
				      (size_t)(cfg->threads > 0 ? cfg->threads : 16)))) {
		rc = err->code ? err->code
			       : app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto fail;
	}
	snprintf(threads, sizeof(threads), "%d", cfg->threads > 0 ? cfg->threads : 16);
	if ((files = http_gate_raise_fd_limit(cfg->threads)) >= 0 &&
	    files < (long long)cfg->threads + 256) {
		log_line l;

		log_begin(&l, "warn",
			  "the open-file limit is below what the connections need; raise it "
			  "(LimitNOFILE=, ulimit -n)");
		log_int(&l, "limit", files);
		log_int(&l, "connections", cfg->threads);
		log_end(&l);
	}
	opts[n++] = "listening_ports";
	opts[n++] = s->listen;
	opts[n++] = "num_threads";
	opts[n++] = threads;
	opts[n++] = "tcp_nodelay";
	opts[n++] = "1";
	opts[n++] = "enable_keep_alive";
	opts[n++] = "yes";
	/* idle keep-alive ends after 5 s; a request head must be complete within 10 s of its start
	 * (civetweb counts from the request's start); a body's rate is http_body.c's */
	opts[n++] = "keep_alive_timeout_ms";
	opts[n++] = HTTP_KEEP_ALIVE_MS;
	opts[n++] = "request_timeout_ms";
	opts[n++] = "10000";
	opts[n++] = "listen_backlog";
	opts[n++] = "1024";
	opts[n++] = "enable_auth_domain_check";
	opts[n++] = "no";
	opts[n++] = NULL;
	memset(&cb, 0, sizeof(cb));
	cb.log_message = log_message;
	cb.init_thread = init_thread;
	cb.init_connection = init_connection;
	cb.connection_close = connection_close;
	s->ctx = mg_start(&cb, s, opts);
	if (!s->ctx) {
		rc = app_err_set(err, APP_EIO, NULL, NULL,
				 "cannot listen on %s (in use or not allowed)", cfg->listen);
		goto fail;
	}
	mg_set_request_handler(s->ctx, "/", handle, s);
	nports = mg_get_server_ports(s->ctx, 4, ports);
	s->port = nports > 0 ? ports[0].port : 0;
	*out = s;
	return 0;
fail:
	http_gate_free(s->gate);
	free(s->listen);
	free(s->web_root);
	free(s);
	return rc;
}

int http_server_port(const http_server *s)
{
	return s->port;
}

void http_server_stop(http_server *s)
{
	if (!s)
		return;
	mg_stop(s->ctx);
	http_gate_free(s->gate);
	free(s->listen);
	free(s->web_root);
	free(s);
}
