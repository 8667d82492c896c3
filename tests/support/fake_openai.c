#include "support/fake_openai.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#define FAKE_OPENAI_MAX_BODY ((size_t)4 * 1024 * 1024)

/* A 1x1 RGB PNG, checksums and all. */
static const unsigned char fake_openai_png_bytes[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00,
    0x00, 0x90, 0x77, 0x53, 0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x38, 0x63, 0x9c, 0x06, 0x00, 0x03, 0x34, 0x01, 0x66, 0x38, 0x86, 0xe0,
    0xac, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};
static const char fake_openai_png_base64[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGM4Y5wGAAM0AWY4huCsAAAAAElFTkSuQmCC";

/* An owned copy of a fake_openai_response. */
typedef struct fake_openai_canned {
	int status;
	char *content_type;
	char *headers;
	char *body;
	size_t body_len;
	int delay_ms;
	struct fake_openai_canned *next;
} fake_openai_canned;

struct fake_openai {
	struct mg_context *ctx;
	int port;
	char host[32];
	char base_url[64];
	atomic_int stopping;
	atomic_int stopped;
	pthread_mutex_t lock; /* guards everything below */
	fake_openai_canned *head, *tail;
	fake_openai_canned *dflt;
	int requests;
	char *last_body;
	char *last_path;
	char *last_auth;
};

static char *fake_openai_dup(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		if (n)
			memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static void fake_openai_canned_free(fake_openai_canned *c)
{
	if (!c)
		return;
	free(c->content_type);
	free(c->headers);
	free(c->body);
	free(c);
}

static fake_openai_canned *fake_openai_canned_new(const fake_openai_response *r)
{
	fake_openai_canned *c = calloc(1, sizeof(*c));
	const char *ct = r->content_type ? r->content_type : "application/json";
	const char *hd = r->headers ? r->headers : "";
	const char *body = r->body ? r->body : "";
	size_t blen = r->body_len ? r->body_len : strlen(body);

	if (!c)
		return NULL;
	c->status = r->status ? r->status : 200;
	c->delay_ms = r->delay_ms;
	c->body_len = blen;
	c->content_type = fake_openai_dup(ct, strlen(ct));
	c->headers = fake_openai_dup(hd, strlen(hd));
	c->body = fake_openai_dup(body, blen);
	if (!c->content_type || !c->headers || !c->body) {
		fake_openai_canned_free(c);
		return NULL;
	}
	return c;
}

static fake_openai_canned *fake_openai_canned_copy(const fake_openai_canned *c)
{
	fake_openai_response r = {c->status, c->content_type, c->headers,
				  c->body,   c->body_len,     c->delay_ms};

	return fake_openai_canned_new(&r);
}

/* Sleeps in short slices so that stopping the server does not wait out a long delay. */
static void fake_openai_delay(fake_openai *f, int ms)
{
	while (ms > 0 && !atomic_load(&f->stopping)) {
		int step = ms < 10 ? ms : 10;
		struct timespec ts = {0, step * 1000000L};

		nanosleep(&ts, NULL);
		ms -= step;
	}
}

static void fake_openai_send(struct mg_connection *conn, int status, const char *ctype,
			     const char *headers, const void *body, size_t len)
{
	mg_printf(conn,
		  "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		  "Connection: close\r\n%s\r\n",
		  status, mg_get_response_code_text(conn, status), ctype, len, headers);
	if (len)
		mg_write(conn, body, len);
}

static char *fake_openai_read_body(struct mg_connection *conn)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1), *p;
	int n;

	if (!buf)
		return NULL;
	for (;;) {
		if (len == cap) {
			if (cap >= FAKE_OPENAI_MAX_BODY)
				break;
			cap *= 2;
			p = realloc(buf, cap + 1);
			if (!p) {
				free(buf);
				return NULL;
			}
			buf = p;
		}
		n = mg_read(conn, buf + len, cap - len);
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	return buf;
}

/* A PNG signature and then no PNG: what a broken or hostile provider might send. */
static const char fake_openai_not_png[] = "\x89PNG\r\n\x1a\n<html><script>alert(1)</script>";

/* The fixed GET routes: the image files and a redirector. 0 when the path is not one. */
static int fake_openai_serve_fixed(struct mg_connection *conn, const struct mg_request_info *ri)
{
	char to[1024];

	if (strcmp(ri->local_uri, "/img/cover.png") == 0) {
		fake_openai_send(conn, 200, "image/png", "", fake_openai_png_bytes,
				 sizeof(fake_openai_png_bytes));
		return 200;
	}
	if (strcmp(ri->local_uri, "/img/broken.png") == 0) {
		fake_openai_send(conn, 200, "image/png", "", fake_openai_not_png,
				 sizeof(fake_openai_not_png) - 1);
		return 200;
	}
	if (strcmp(ri->local_uri, "/redirect") == 0 && ri->query_string &&
	    mg_get_var(ri->query_string, strlen(ri->query_string), "to", to, sizeof(to)) > 0) {
		char loc[1100];

		snprintf(loc, sizeof(loc), "Location: %s\r\n", to);
		fake_openai_send(conn, 302, "text/plain", loc, "", 0);
		return 302;
	}
	return 0;
}

static int fake_openai_handle(struct mg_connection *conn, void *cbdata)
{
	fake_openai *f = cbdata;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *auth = mg_get_header(conn, "Authorization");
	char *body = fake_openai_read_body(conn);
	char *path = fake_openai_dup(ri->local_uri, strlen(ri->local_uri));
	char *authc = auth ? fake_openai_dup(auth, strlen(auth)) : NULL;
	fake_openai_canned *c = NULL;
	int fixed = strcmp(ri->request_method, "GET") == 0 &&
		    (strcmp(ri->local_uri, "/img/cover.png") == 0 ||
		     strcmp(ri->local_uri, "/img/broken.png") == 0 ||
		     strcmp(ri->local_uri, "/redirect") == 0);
	int status;

	pthread_mutex_lock(&f->lock);
	f->requests++;
	free(f->last_body);
	free(f->last_path);
	free(f->last_auth);
	f->last_body = body;
	f->last_path = path;
	f->last_auth = authc;
	if (!fixed) {
		if (f->head) {
			c = f->head;
			f->head = c->next;
			if (!f->head)
				f->tail = NULL;
		} else if (f->dflt) {
			c = fake_openai_canned_copy(f->dflt);
		}
	}
	pthread_mutex_unlock(&f->lock);

	if (fixed && (status = fake_openai_serve_fixed(conn, ri)) != 0)
		return status;
	if (!c) {
		static const char none[] =
		    "{\"error\":{\"message\":\"fake_openai: no scripted response\"}}";

		fake_openai_send(conn, 500, "application/json", "", none, sizeof(none) - 1);
		return 500;
	}
	fake_openai_delay(f, c->delay_ms);
	fake_openai_send(conn, c->status, c->content_type, c->headers, c->body, c->body_len);
	status = c->status;
	fake_openai_canned_free(c);
	return status;
}

int fake_openai_start(fake_openai **out, app_err *err)
{
	return fake_openai_start_at(out, "127.0.0.1", err);
}

int fake_openai_start_at(fake_openai **out, const char *host, app_err *err)
{
	char listen[48];
	const char *opts[] = {"listening_ports",    listen,  "num_threads", "8",
			      "request_timeout_ms", "10000", NULL};
	struct mg_callbacks cb;
	struct mg_server_port ports[2];
	fake_openai *f;

	*out = NULL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	snprintf(f->host, sizeof(f->host), "%s", host);
	snprintf(listen, sizeof(listen), "%s:0", host);
	pthread_mutex_init(&f->lock, NULL);
	atomic_init(&f->stopping, 0);
	atomic_init(&f->stopped, 0);
	mg_init_library(0);
	memset(&cb, 0, sizeof(cb));
	f->ctx = mg_start(&cb, f, opts);
	if (!f->ctx) {
		fake_openai_stop(f);
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				   "fake_openai: civetweb did not start");
	}
	if (mg_get_server_ports(f->ctx, 2, ports) < 1 || ports[0].port <= 0) {
		fake_openai_stop(f);
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "fake_openai: no port");
	}
	f->port = ports[0].port;
	snprintf(f->base_url, sizeof(f->base_url), "http://%s:%d/v1", f->host, f->port);
	mg_set_request_handler(f->ctx, "/", fake_openai_handle, f);
	*out = f;
	return 0;
}

/*
 * civetweb's master thread polls its listening socket for up to two seconds
 * before it notices mg_stop(); knocking on the port wakes it at once.
 */
static void *fake_openai_knock(void *arg)
{
	fake_openai *f = arg;
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)f->port);
	if (inet_pton(AF_INET, f->host, &sa.sin_addr) != 1)
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while (!atomic_load(&f->stopped)) {
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		struct timespec ts = {0, 20 * 1000000L};

		if (fd >= 0) {
			(void)connect(fd, (struct sockaddr *)&sa, sizeof(sa));
			close(fd);
		}
		nanosleep(&ts, NULL);
	}
	return NULL;
}

void fake_openai_stop(fake_openai *f)
{
	fake_openai_canned *c, *next;

	if (!f)
		return;
	atomic_store(&f->stopping, 1);
	if (f->ctx) {
		pthread_t knocker;
		int knocking =
		    f->port > 0 && pthread_create(&knocker, NULL, fake_openai_knock, f) == 0;

		mg_stop(f->ctx);
		atomic_store(&f->stopped, 1);
		if (knocking)
			pthread_join(knocker, NULL);
	}
	mg_exit_library();
	for (c = f->head; c; c = next) {
		next = c->next;
		fake_openai_canned_free(c);
	}
	fake_openai_canned_free(f->dflt);
	free(f->last_body);
	free(f->last_path);
	free(f->last_auth);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

int fake_openai_port(const fake_openai *f)
{
	return f->port;
}

const char *fake_openai_base_url(const fake_openai *f)
{
	return f->base_url;
}

void fake_openai_url(char *out, size_t cap, const fake_openai *f, const char *path)
{
	snprintf(out, cap, "http://%s:%d%s", f->host, f->port, path);
}

int fake_openai_push(fake_openai *f, const fake_openai_response *r)
{
	fake_openai_canned *c = fake_openai_canned_new(r);

	if (!c)
		return APP_ENOMEM;
	pthread_mutex_lock(&f->lock);
	if (f->tail)
		f->tail->next = c;
	else
		f->head = c;
	f->tail = c;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

int fake_openai_push_json(fake_openai *f, int status, const char *body)
{
	fake_openai_response r = {0};

	r.status = status;
	r.body = body;
	return fake_openai_push(f, &r);
}

char *fake_openai_chat_json(const char *content)
{
	cJSON *root = cJSON_CreateObject(), *choices, *choice, *msg;
	char *s = NULL, *copy = NULL;

	if (!root || !cJSON_AddStringToObject(root, "id", "chatcmpl-fake") ||
	    !cJSON_AddStringToObject(root, "object", "chat.completion") ||
	    !cJSON_AddStringToObject(root, "model", "fake-model"))
		goto out;
	choices = cJSON_AddArrayToObject(root, "choices");
	choice = cJSON_CreateObject();
	if (!choices || !choice || !cJSON_AddItemToArray(choices, choice)) {
		cJSON_Delete(choice);
		goto out;
	}
	msg = cJSON_AddObjectToObject(choice, "message");
	if (!cJSON_AddNumberToObject(choice, "index", 0) || !msg ||
	    !cJSON_AddStringToObject(msg, "role", "assistant") ||
	    !cJSON_AddStringToObject(msg, "content", content) ||
	    !cJSON_AddNullToObject(msg, "refusal") ||
	    !cJSON_AddStringToObject(choice, "finish_reason", "stop"))
		goto out;
	s = cJSON_PrintUnformatted(root);
	if (s)
		copy = fake_openai_dup(s, strlen(s));
out:
	cJSON_free(s);
	cJSON_Delete(root);
	return copy;
}

int fake_openai_push_chat(fake_openai *f, const char *content)
{
	char *s = fake_openai_chat_json(content);
	int rc;

	if (!s)
		return APP_ENOMEM;
	rc = fake_openai_push_json(f, 200, s);
	free(s);
	return rc;
}

int fake_openai_set_default(fake_openai *f, const fake_openai_response *r)
{
	fake_openai_canned *c = fake_openai_canned_new(r), *old;

	if (!c)
		return APP_ENOMEM;
	pthread_mutex_lock(&f->lock);
	old = f->dflt;
	f->dflt = c;
	pthread_mutex_unlock(&f->lock);
	fake_openai_canned_free(old);
	return 0;
}

int fake_openai_requests(fake_openai *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->requests;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static char *fake_openai_copy_locked(fake_openai *f, char *const *field)
{
	char *s = NULL;

	pthread_mutex_lock(&f->lock);
	if (*field)
		s = fake_openai_dup(*field, strlen(*field));
	pthread_mutex_unlock(&f->lock);
	return s;
}

char *fake_openai_last_body(fake_openai *f)
{
	return fake_openai_copy_locked(f, &f->last_body);
}

char *fake_openai_last_path(fake_openai *f)
{
	return fake_openai_copy_locked(f, &f->last_path);
}

char *fake_openai_last_authorization(fake_openai *f)
{
	return fake_openai_copy_locked(f, &f->last_auth);
}

const unsigned char *fake_openai_png(size_t *len)
{
	*len = sizeof(fake_openai_png_bytes);
	return fake_openai_png_bytes;
}

const char *fake_openai_png_b64(void)
{
	return fake_openai_png_base64;
}
