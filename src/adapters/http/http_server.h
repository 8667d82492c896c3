/*
 * The HTTP adapter on civetweb: the route table, JSON mapping, auth by cookie
 * or bearer token, problem+json errors, security headers, request logs and
 * the static web client.
 */
#ifndef WL_HTTP_SERVER_H
#define WL_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "domain/aigen/jobs.h"
#include "domain/authors/authors.h"
#include "domain/books/books.h"
#include "domain/books/manuscripts.h"
#include "domain/common/err.h"
#include "domain/earnings/earnings.h"
#include "domain/community/community.h"
#include "domain/members/members.h"
#include "domain/reader/reader.h"
#include "ports/feed_writer.h"
#include "ports/outbox.h"

/* A file served at path (embedded web client, OpenAPI document). */
typedef struct http_asset {
	const char *path; /* URL path, e.g. "/index.html"; NULL ends a table */
	const char *content_type;
	const char *etag; /* strong, quoted */
	const unsigned char *data;
	size_t len;
} http_asset;

typedef enum { HTTP_LOG_DEBUG, HTTP_LOG_INFO, HTTP_LOG_WARN, HTTP_LOG_ERROR } http_log_level;

/* The cores and operations the routes call; owned by the caller. */
typedef struct http_services {
	members_service *members;
	authors_service *authors;
	manuscripts_service *manuscripts;
	books_service *books;
	community_service *community;
	aigen_service *aigen; /* GET /api/admin/ai-jobs */
	earnings_service *earnings;
	reader_service *reader; /* recaps and questions */
	outbox_port events;	/* the event log, for GET /api/admin/events */
	feed_writer feeds;	/* Atom feeds */
	const char *public_url; /* links in feeds: the app's --public-url, filled in at start */
	/* /readyz: 0 when storage answers and is migrated */
	int (*ready)(void *ctx, app_err *err);
	/* /metrics: appends gauges in Prometheus text format to buf (cap bytes), returns length */
	size_t (*metrics)(char *buf, size_t cap, void *ctx);
	/*
	 * Around each request on a worker thread (either may be NULL): begin as it
	 * starts, idle when it will not touch storage for a while (before a body
	 * is read, after the answer) so that what it holds can serve others.
	 */
	void (*request_begin)(void *ctx);
	void (*request_idle)(void *ctx);
	void *ctx;
} http_services;

typedef struct http_config {
	const char *listen; /* HOST:PORT; port 0 picks a free one */
	int threads;
	const char *web_root;	  /* serve web/ from disk (development); NULL: embedded */
	const http_asset *assets; /* embedded files; may be NULL */
	http_log_level log_level;
	int secure_cookies;	     /* add Secure to the session cookie (behind TLS) */
	int max_conns_per_client;    /* open connections per client address; 0: no cap */
	const char *trusted_proxies; /* "CIDR[,CIDR...]" whose X-Forwarded-For is believed */
	const char *metrics_token; /* /metrics beyond loopback needs it as a bearer; may be NULL */
} http_config;

typedef struct http_server http_server;

/* Starts listening. APP_EIO with a clear message when the address is unusable. */
int http_server_start(http_server **out, const http_config *cfg, const http_services *svc,
		      app_err *err);

/* The port actually bound (useful with port 0). */
int http_server_port(const http_server *s);

/* Stops accepting, waits for requests in flight, frees the server. */
void http_server_stop(http_server *s);

/* Writes "METHOD /path/template" lines of the route table (for the OpenAPI check). */
void http_routes_print(void);

#endif
