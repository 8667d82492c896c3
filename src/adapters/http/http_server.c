#include "adapters/http/http_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void healthz(http_req *r);
static void readyz(http_req *r);
static void metrics(http_req *r);
static void openapi(http_req *r);

static const http_route ops_routes[] = {
    {"GET", "/healthz", healthz, 0}, {"GET", "/readyz", readyz, 0},
    {"GET", "/metrics", metrics, 0}, {"GET", "/api/openapi.yaml", openapi, 0},
    {NULL, NULL, NULL, 0},
};

static const http_route *const route_groups[] = {
    ops_routes,		  http_member_routes,	  http_admin_routes,	 http_book_routes,
    http_author_routes,	  http_manuscript_routes, http_aigen_routes,	 http_payment_routes,
    http_earnings_routes, http_account_routes,	  http_community_routes, http_feed_routes,
    http_review_routes,	  http_episode_routes,	  http_work_routes,	 http_reader_routes,
    http_opds_routes,
};

#define NGROUPS	   (sizeof(route_groups) / sizeof(route_groups[0]))
#define MAX_ROUTES 160

/* --- metrics ------------------------------------------------------------------------------- */

static const int status_classes[] = {200, 201, 202, 204, 304, 400, 401, 402,
				     403, 404, 409, 413, 422, 429, 500, 503};
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

static int request_id_valid(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= 64 ||
		    !(s[n] == '-' || s[n] == '_' || s[n] == '.' || (s[n] >= '0' && s[n] <= '9') ||
		      (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
			return 0;
	return n > 0;
}

static void log_request(http_server *s, http_req *r, double seconds)
{
	char ts[32], who[24] = "null";
	int level = r->status >= 500 ? HTTP_LOG_ERROR : HTTP_LOG_INFO;

	if ((int)s->cfg.log_level > level)
		return;
	if (r->authenticated)
		snprintf(who, sizeof(who), "%lld", (long long)r->me.id);
	http_time(ts, (int64_t)time(NULL) * 1000);
	fprintf(stderr,
		"{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"request\",\"requestId\":\"%s\","
		"\"method\":\"%s\",\"route\":\"%s\",\"status\":%d,\"durationMs\":%.3f,"
		"\"member\":%s}\n",
		ts, level == HTTP_LOG_ERROR ? "error" : "info", r->request_id,
		r->ri->request_method, r->route ? r->route : "static", r->status, seconds * 1000,
		who);
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
static int route_match(http_req *r, const char *pattern, const char *path)
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
			if (route_match(r, rt->pattern, path)) {
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

/* The host part of an Origin ("https://host:port" -> "host:port"). */
static const char *origin_host(const char *origin)
{
	const char *p = strstr(origin, "://");

	return p ? p + 3 : origin;
}

/* A cookie-authenticated unsafe request from another site is refused. */
static int cross_site(http_req *r)
{
	const char *site = http_header(r, "Sec-Fetch-Site");
	const char *origin = http_header(r, "Origin");
	const char *host = http_header(r, "Host");

	if (site && strcmp(site, "cross-site") == 0)
		return 1;
	if (origin && strcmp(origin, "null") == 0)
		return 1;
	if (origin && host && strcmp(origin_host(origin), host) != 0)
		return 1;
	return 0;
}

/* Finds the session token; 0 when there is none. */
static int find_token(http_req *r)
{
	const char *auth = http_header(r, "Authorization");
	const char *cookie = http_header(r, "Cookie");

	if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
		snprintf(r->token, sizeof(r->token), "%s", auth + 7);
		return 1;
	}
	if (cookie && mg_get_cookie(cookie, "wl_session", r->token, sizeof(r->token)) > 0) {
		r->via_cookie = 1;
		return 1;
	}
	return 0;
}

/* --- static files ---------------------------------------------------------------------------- */

static const char *content_type_of(const char *path)
{
	const char *dot = strrchr(path, '.');

	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".html"))
		return "text/html; charset=utf-8";
	if (!strcmp(dot, ".js") || !strcmp(dot, ".mjs"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".json"))
		return "application/json";
	if (!strcmp(dot, ".yaml"))
		return "application/yaml";
	return "application/octet-stream";
}

#define UI_CSP                                                                                     \
	"Content-Security-Policy: default-src 'self'; img-src 'self' data:; style-src 'self';"     \
	" script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"              \
	" frame-ancestors 'none'\r\n"

static void send_asset(http_req *r, const char *type, const char *etag, const void *data,
		       size_t len)
{
	const char *inm = http_header(r, "If-None-Match");
	char headers[2048], csp[1536] = "";

	if (strncmp(type, "text/html", 9) == 0) {
		/* the provider's script runs on the checkout page and nowhere else */
		if (strcmp(r->ri->local_uri, "/points/checkout") == 0)
			http_checkout_csp(csp, sizeof(csp), r);
		if (!*csp)
			snprintf(csp, sizeof(csp), "%s", UI_CSP);
	}
	snprintf(headers, sizeof(headers), "ETag: %s\r\nCache-Control: no-cache\r\n%s", etag, csp);
	if (inm && strcmp(inm, etag) == 0) {
		http_send_empty(r, 304, headers);
		return;
	}
	http_send_bytes(r, 200, type, data, len, headers);
}

static int serve_from_disk(http_req *r, http_server *s, const char *path)
{
	char full[4096], etag[64];
	struct stat st;
	char *data;
	int fd;
	ssize_t got;

	if (strstr(path, "..") ||
	    snprintf(full, sizeof(full), "%s%s", s->web_root, path) >= (int)sizeof(full))
		return 0;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    !(data = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return 0;
	}
	got = read(fd, data, (size_t)st.st_size);
	close(fd);
	if (got != st.st_size) {
		free(data);
		return 0;
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
		 (unsigned long long)st.st_size);
	send_asset(r, content_type_of(path), etag, data, (size_t)st.st_size);
	free(data);
	return 1;
}

static int serve_embedded(http_req *r, http_server *s, const char *path)
{
	if (!s->cfg.assets)
		return 0;
	for (const http_asset *a = s->cfg.assets; a->path; a++)
		if (strcmp(a->path, path) == 0) {
			send_asset(r, a->content_type, a->etag, a->data, a->len);
			return 1;
		}
	return 0;
}

static int serve_file(http_req *r, http_server *s, const char *path)
{
	if (s->web_root && strncmp(path, "/api/", 5) != 0)
		return serve_from_disk(r, s, path);
	return serve_embedded(r, s, path);
}

/* GET of a non-API path: the file, or the app shell so client routes survive a reload. */
static void serve_static(http_req *r, http_server *s, const char *path)
{
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	if (serve_file(r, s, path))
		return;
	/* Client routes get the shell; a missing file (it has an extension) is a 404. */
	if (strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0 &&
	    !strchr(strrchr(path, '/'), '.') && serve_file(r, s, "/index.html"))
		return;
	http_send_problem(r, 404, "not_found", "no such resource", NULL);
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
	app_err err;

	memset(&r, 0, sizeof(r));
	r.conn = conn;
	r.ri = ri;
	r.svc = &s->svc;
	r.cfg = &s->cfg;
	rid = http_header(&r, "X-Request-Id");
	if (rid && request_id_valid(rid))
		snprintf(r.request_id, sizeof(r.request_id), "%s", rid);
	else
		snprintf(r.request_id, sizeof(r.request_id), "%08llx-%llu", s->id_prefix,
			 atomic_fetch_add(&s->request_seq, 1) + 1);

	rt = route_find(&r, ri->request_method, ri->local_uri, &path_known);
	if (!rt) {
		if (path_known)
			http_send_problem(&r, 405, "method_not_allowed",
					  "this method is not allowed here", NULL);
		else if (strcmp(ri->request_method, "GET") == 0 ||
			 strcmp(ri->request_method, "HEAD") == 0)
			serve_static(&r, s, ri->local_uri);
		else
			http_send_problem(&r, 404, "not_found", "no such resource", NULL);
		goto done;
	}
	r.route = rt->pattern;
	r.body_max = rt->flags & ROUTE_LARGE_BODY ? HTTP_BODY_LARGE_MAX : HTTP_BODY_DEFAULT_MAX;
	if (find_token(&r)) {
		app_err_clear(&err);
		if (members_authenticate(&r.me, s->svc.members, r.token, &err) == 0)
			r.authenticated = 1;
		else if (err.code != APP_EUNAUTH) {
			http_send_error(&r, &err);
			goto done;
		}
	}
	if (r.via_cookie && is_unsafe(ri->request_method) && cross_site(&r)) {
		http_send_problem(&r, 403, "forbidden", "cross-site request refused", NULL);
		goto done;
	}
	if ((rt->flags & (ROUTE_MEMBER | ROUTE_ADMIN)) && !r.authenticated) {
		http_send_problem(&r, 401, "unauthenticated", "a session is required", NULL);
		goto done;
	}
	if ((rt->flags & ROUTE_ADMIN) && http_require_admin(&r))
		goto done;
	rt->handler(&r);
done:
	if (!r.status) /* a handler must answer; this is a programming error */
		http_send_problem(&r, 500, "internal", "no response", NULL);
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
		char msg[256];
		int n = snprintf(msg, sizeof(msg), "not ready: %s\n", err.msg);

		http_send_bytes(r, 503, "text/plain; charset=utf-8", msg, (size_t)n, NULL);
		return;
	}
	http_send_bytes(r, 200, "text/plain; charset=utf-8", "ready\n", 6, NULL);
}

/* The server of this request: civetweb hands us the callback data. */
static http_server *server_of(http_req *r)
{
	return mg_get_user_data(mg_get_context(r->conn));
}

static void metrics(http_req *r)
{
	http_server *s = server_of(r);
	strbuf b = {0};

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
	if (!serve_embedded(r, s, "/api/openapi.yaml"))
		http_send_problem(r, 404, "not_found", "this build has no OpenAPI document", NULL);
}

/* --- life cycle
 * ------------------------------------------------------------------------------------ */

static int log_message(const struct mg_connection *conn, const char *message)
{
	(void)conn;
	fprintf(stderr, "{\"level\":\"warn\",\"msg\":\"civetweb\",\"detail\":\"%.200s\"}\n",
		message);
	return 1;
}

void http_routes_print(void)
{
	for (size_t g = 0; g < NGROUPS; g++)
		for (const http_route *rt = route_groups[g]; rt->method; rt++)
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
	int n = 0, nports;

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
	snprintf(threads, sizeof(threads), "%d", cfg->threads > 0 ? cfg->threads : 16);
	opts[n++] = "listening_ports";
	opts[n++] = s->listen;
	opts[n++] = "num_threads";
	opts[n++] = threads;
	opts[n++] = "tcp_nodelay";
	opts[n++] = "1";
	opts[n++] = "enable_keep_alive";
	opts[n++] = "yes";
	opts[n++] = "keep_alive_timeout_ms";
	opts[n++] = "5000";
	opts[n++] = "request_timeout_ms";
	opts[n++] = "30000";
	opts[n++] = "enable_auth_domain_check";
	opts[n++] = "no";
	opts[n++] = NULL;
	memset(&cb, 0, sizeof(cb));
	cb.log_message = log_message;
	s->ctx = mg_start(&cb, s, opts);
	if (!s->ctx) {
		app_err_set(err, APP_EIO, NULL, NULL, "cannot listen on %s (in use or not allowed)",
			    cfg->listen);
		free(s->listen);
		free(s->web_root);
		free(s);
		return APP_EIO;
	}
	mg_set_request_handler(s->ctx, "/", handle, s);
	nports = mg_get_server_ports(s->ctx, 4, ports);
	s->port = nports > 0 ? ports[0].port : 0;
	*out = s;
	return 0;
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
	free(s->listen);
	free(s->web_root);
	free(s);
}
