/* The web client: embedded files (or, developing, web/ on disk) and the app shell for its routes.
 */
#include "adapters/http/http_internal.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

void http_static_send(http_req *r, const char *type, const char *etag, const void *data, size_t len)
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

/* A file of web_root: *data (malloc'd, NUL-terminated), its length and ETag; 0 when none. */
static int read_from_disk(char **data, size_t *len, char etag[64], const char *web_root,
			  const char *path)
{
	char full[4096];
	struct stat st;
	int fd;
	ssize_t got;

	*data = NULL;
	if (strstr(path, "..") ||
	    snprintf(full, sizeof(full), "%s%s", web_root, path) >= (int)sizeof(full))
		return 0;
	fd = open(full, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    !(*data = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return 0;
	}
	got = read(fd, *data, (size_t)st.st_size);
	close(fd);
	if (got != st.st_size) {
		free(*data);
		*data = NULL;
		return 0;
	}
	(*data)[got] = '\0';
	*len = (size_t)got;
	snprintf(etag, 64, "\"%llx-%llx\"", (unsigned long long)st.st_mtime,
		 (unsigned long long)st.st_size);
	return 1;
}

static int serve_from_disk(http_req *r, const char *web_root, const char *path)
{
	char etag[64], *data;
	size_t len;

	if (!read_from_disk(&data, &len, etag, web_root, path))
		return 0;
	http_static_send(r, content_type_of(path), etag, data, len);
	free(data);
	return 1;
}

/*
 * The app shell of a work's or an author's page, with its link preview
 * (http_preview.c); 0 when path is no such page or there is nothing to show.
 */
static int serve_preview(http_req *r, const char *web_root, const http_asset *assets)
{
	char etag[64], *data = NULL;
	size_t len = 0;
	int sent = 0;

	if (web_root) {
		if (read_from_disk(&data, &len, etag, web_root, "/index.html"))
			sent = http_preview_serve(r, data, len, etag);
		free(data);
		return sent;
	}
	for (const http_asset *a = assets; a && a->path; a++)
		if (strcmp(a->path, "/index.html") == 0 && (data = malloc(a->len + 1))) {
			memcpy(data, a->data, a->len);
			data[a->len] = '\0';
			sent = http_preview_serve(r, data, a->len, a->etag);
			free(data);
			break;
		}
	return sent;
}

int http_static_embedded(http_req *r, const http_asset *assets, const char *path)
{
	if (!assets)
		return 0;
	for (const http_asset *a = assets; a->path; a++)
		if (strcmp(a->path, path) == 0) {
			http_static_send(r, a->content_type, a->etag, a->data, a->len);
			return 1;
		}
	return 0;
}

static int serve_file(http_req *r, const char *web_root, const http_asset *assets, const char *path)
{
	if (web_root && strncmp(path, "/api/", 5) != 0)
		return serve_from_disk(r, web_root, path);
	return http_static_embedded(r, assets, path);
}

void http_static_serve(http_req *r, const char *web_root, const http_asset *assets,
		       const char *path)
{
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	if (serve_file(r, web_root, assets, path))
		return;
	/* Client routes get the shell; a missing file (it has an extension) is a 404. */
	if ((!strncmp(path, "/books/", 7) || !strncmp(path, "/authors/", 9)) &&
	    serve_preview(r, web_root, assets))
		return;
	if (strncmp(path, "/api/", 5) != 0 && strcmp(path, "/api") != 0 &&
	    !strchr(strrchr(path, '/'), '.') && serve_file(r, web_root, assets, "/index.html"))
		return;
	http_send_problem(r, 404, "not_found", "no such resource", NULL);
}
