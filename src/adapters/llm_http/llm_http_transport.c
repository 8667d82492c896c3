/*
 * HTTP for the llm_http adapter: one exchange over a fresh curl handle, the
 * retries around it, Retry-After, cancellation, and the rule for image URLs
 * (the provider's own origin, or https to a public address, every redirect
 * judged again).
 */
#include "adapters/llm_http/llm_http_internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <curl/curl.h>

/* What one exchange brought back. */
typedef struct llm_http_reply {
	long status;
	long retry_after_ms; /* -1: the server said nothing */
	char *location;	     /* a redirect's absolute target (guarded GETs), owned */
	llm_http_buf body;
} llm_http_reply;

/* How one hop of a guarded fetch is judged. */
typedef struct llm_http_guard {
	int check_address; /* 1: every connected address must be public */
	int refused;	   /* set when a connection was refused */
	char refused_addr[INET6_ADDRSTRLEN];
} llm_http_guard;

int64_t llm_http_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Set by llm_http_cancel(): transfers abort and retry waits end (shutdown). */
static atomic_int llm_http_cancelled;

void llm_http_cancel(void)
{
	atomic_store(&llm_http_cancelled, 1);
}

int llm_http_global_init(app_err *err)
{
	atomic_store(&llm_http_cancelled, 0);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "curl_global_init failed");
	return 0;
}

void llm_http_global_cleanup(void)
{
	curl_global_cleanup();
}

static int on_progress(void *p, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	(void)p;
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return atomic_load(&llm_http_cancelled) ? 1 : 0;
}

/* Sleeps ms in short steps, waking early when cancelled. */
static void sleep_ms(long ms)
{
	while (ms > 0 && !atomic_load(&llm_http_cancelled)) {
		long step = ms < 50 ? ms : 50;
		struct timespec ts = {0, step * 1000000L};

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		ms -= step;
	}
}

void llm_http_buf_free(llm_http_buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

static void reply_clear(llm_http_reply *r)
{
	llm_http_buf_free(&r->body);
	free(r->location);
	r->location = NULL;
}

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	llm_http_buf *b = userdata;
	size_t n = size * nmemb;
	size_t need;

	if (n > b->limit || b->len > b->limit - n) {
		b->too_large = 1;
		return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
	}
	need = b->len + n + 1;
	if (need > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < need)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p) {
			b->nomem = 1;
			return 0;
		}
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, ptr, n);
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/*
 * A Retry-After value in ms: delta-seconds (scale 1000), or for scale 1000 an
 * HTTP date (curl_getdate reads every form RFC 9110 allows); -1 if neither.
 */
static long parse_retry_after(const char *v, long scale)
{
	long n = 0;
	time_t at;

	while (*v == ' ' || *v == '\t')
		v++;
	if (isdigit((unsigned char)*v)) {
		for (; isdigit((unsigned char)*v); v++) {
			if (n > 100000000L)
				return 100000000L * scale;
			n = n * 10 + (*v - '0');
		}
		return n * scale;
	}
	if (scale != 1000 || (at = curl_getdate(v, NULL)) == -1)
		return -1;
	at -= time(NULL);
	return at <= 0 ? 0 : at > 100000000L ? 100000000L * 1000 : (long)at * 1000;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	llm_http_reply *r = userdata;
	size_t n = size * nmemb;
	char line[160];
	size_t k = n < sizeof(line) - 1 ? n : sizeof(line) - 1;
	long ms;

	memcpy(line, ptr, k);
	while (k > 0 && (line[k - 1] == '\r' || line[k - 1] == '\n'))
		k--;
	line[k] = '\0';
	if (strncmp(line, "HTTP/", 5) == 0) {
		r->retry_after_ms = -1; /* a new response (after 100 Continue, say) */
	} else if (strncasecmp(line, "retry-after-ms:", 15) == 0) {
		ms = parse_retry_after(line + 15, 1);
		if (ms >= 0)
			r->retry_after_ms = ms;
	} else if (strncasecmp(line, "retry-after:", 12) == 0) {
		ms = parse_retry_after(line + 12, 1000);
		if (ms >= 0 && r->retry_after_ms < 0)
			r->retry_after_ms = ms;
	}
	return n;
}

/* Refuses a connection to an address that is not public (curl then tries the next one). */
static curl_socket_t on_open_socket(void *clientp, curlsocktype purpose, struct curl_sockaddr *a)
{
	llm_http_guard *g = clientp;

	if (g->check_address &&
	    (purpose != CURLSOCKTYPE_IPCXN || !llm_http_address_public(&a->addr, a->addrlen))) {
		const void *ip = a->family == AF_INET6
				     ? (const void *)&((struct sockaddr_in6 *)&a->addr)->sin6_addr
				     : (const void *)&((struct sockaddr_in *)&a->addr)->sin_addr;

		g->refused = 1;
		if (!inet_ntop(a->family, ip, g->refused_addr, sizeof(g->refused_addr)))
			snprintf(g->refused_addr, sizeof(g->refused_addr), "?");
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* The header list of one exchange; NULL when out of memory. */
static struct curl_slist *headers(const llm_http *h, const llm_http_call *call, char **bearer)
{
	struct curl_slist *hdr = NULL, *t;
	const char *lines[4] = {call->post ? "Accept: application/json"
					   : "Accept: image/png, image/jpeg",
				call->post ? "Content-Type: application/json" : NULL,
				/* no 100-continue round trip for prompts over 1 KiB */
				call->post ? "Expect:" : NULL, NULL};

	*bearer = NULL;
	if (call->auth && *h->api_key) {
		size_t n = strlen(h->api_key) + sizeof("Authorization: Bearer ");

		if (!(*bearer = malloc(n)))
			return NULL;
		snprintf(*bearer, n, "Authorization: Bearer %s", h->api_key);
		lines[3] = *bearer;
	}
	for (size_t i = 0; i < 4; i++) {
		if (!lines[i])
			continue;
		if (!(t = curl_slist_append(hdr, lines[i]))) {
			curl_slist_free_all(hdr);
			return NULL;
		}
		hdr = t;
	}
	return hdr;
}

/* The key should not linger in freed memory. */
static void free_secret(char *s)
{
	if (s) {
		volatile char *v = s;

		while (*v)
			*v++ = 0;
		free(s);
	}
}

/*
 * One HTTP exchange with url. Returns the curl code, or -1 when out of
 * memory; the reply holds status, body, Retry-After and (guarded) the
 * redirect target. g (may be NULL) judges the connected address.
 */
static int exchange(llm_http_reply *r, const llm_http *h, const llm_http_call *call,
		    const char *url, llm_http_guard *g, long timeout_ms, char *errbuf)
{
	CURL *c = curl_easy_init();
	char *bearer = NULL, *loc = NULL;
	struct curl_slist *hdr = c ? headers(h, call, &bearer) : NULL;
	long connect_ms = h->connect_timeout_ms < timeout_ms ? h->connect_timeout_ms : timeout_ms;
	int rc = -1;

	r->status = 0;
	r->retry_after_ms = -1;
	reply_clear(r);
	r->body.limit = call->limit;
	errbuf[0] = '\0';
	if (!c || !hdr)
		goto out;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, g && g->check_address ? "https" : "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms > 0 ? connect_ms : 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms > 0 ? timeout_ms : 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "walking-library/" WL_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)call->limit);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	/* redirects are followed by the caller, one judged hop at a time */
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	if (call->post) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, call->post);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(call->post));
	}
	if (g && g->check_address) {
		/* the address judged must be the peer's, not a proxy's */
		curl_easy_setopt(c, CURLOPT_PROXY, "");
		curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
		curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, g);
	}
	rc = (int)curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	if (rc == CURLE_OK && call->guarded && r->status >= 300 && r->status < 400 &&
	    curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc &&
	    !(r->location = llm_http_strdup(loc)))
		rc = -1;
out:
	free_secret(bearer);
	curl_slist_free_all(hdr);
	if (c)
		curl_easy_cleanup(c);
	return rc;
}

/* 1 when url has base_url's scheme, host and port (curl's URL parser decides). */
static int same_origin(const char *base, const char *url)
{
	static const CURLUPart parts[] = {CURLUPART_SCHEME, CURLUPART_HOST, CURLUPART_PORT};
	CURLU *a = curl_url(), *b = curl_url();
	int same = a && b && curl_url_set(a, CURLUPART_URL, base, 0) == CURLUE_OK &&
		   curl_url_set(b, CURLUPART_URL, url, 0) == CURLUE_OK;

	for (size_t i = 0; same && i < sizeof(parts) / sizeof(parts[0]); i++) {
		char *x = NULL, *y = NULL;

		same = curl_url_get(a, parts[i], &x, CURLU_DEFAULT_PORT) == CURLUE_OK &&
		       curl_url_get(b, parts[i], &y, CURLU_DEFAULT_PORT) == CURLUE_OK &&
		       strcasecmp(x, y) == 0;
		curl_free(x);
		curl_free(y);
	}
	curl_url_cleanup(a);
	curl_url_cleanup(b);
	return same;
}

/* The host of url for messages (never the path or query: signed URLs carry secrets there). */
static void url_host(char *out, size_t cap, const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;

	snprintf(out, cap, "?");
	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		snprintf(out, cap, "%s", host);
	curl_free(host);
	curl_url_cleanup(u);
}

/*
 * A guarded fetch: each hop is the provider's own origin, or https with every
 * connected address public; redirects are followed up to the limit. Returns
 * as exchange() does; *refused is set (with the reason in err) when the rule
 * said no, which no retry would change.
 */
static int fetch_guarded(llm_http_reply *r, const llm_http *h, const llm_http_call *call,
			 long timeout_ms, char *errbuf, int *refused, app_err *err)
{
	char *url = llm_http_strdup(call->url), host[256];
	int hop, rc = -1;

	*refused = 0;
	for (hop = 0; url && hop <= LLM_HTTP_MAX_REDIRECTS; hop++) {
		llm_http_guard g = {.check_address = !same_origin(h->base_url, url)};

		url_host(host, sizeof(host), url);
		if (g.check_address && strncasecmp(url, "https://", 8) != 0) {
			*refused = 1;
			app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				    "%s: refused http://%s: only https outside the provider",
				    call->what, host);
			break;
		}
		rc = exchange(r, h, call, url, &g, timeout_ms, errbuf);
		if (g.refused && rc != CURLE_OK) {
			*refused = 1;
			app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				    "%s: refused %s: %s is not a public address", call->what, host,
				    g.refused_addr);
			break;
		}
		if (rc != CURLE_OK || !r->location)
			break;
		free(url);
		url = r->location; /* the next hop, judged again */
		r->location = NULL;
	}
	if (url && hop > LLM_HTTP_MAX_REDIRECTS) {
		*refused = 1;
		app_err_set(err, APP_EUPSTREAM, NULL, NULL, "%s: more than %d redirects",
			    call->what, LLM_HTTP_MAX_REDIRECTS);
	}
	free(url);
	return rc;
}

/* A 4xx that asking again will not change: the code that says so, or 0. */
static int permanent_code(long status)
{
	if (status == 401)
		return APP_EUNAUTH;
	if (status == 403)
		return APP_EFORBIDDEN;
	if (status >= 400 && status < 500 && status != 408 && status != 409 && status != 425 &&
	    status != 429)
		return APP_EINVALID;
	return 0;
}

/* Sets err for a non-2xx answer and says whether asking again may help. */
static int answer_error(int *retry, const llm_http *h, const llm_http_call *call,
			const llm_http_reply *r, int attempt, app_err *err)
{
	char snippet[LLM_HTTP_SNIPPET];
	int code = permanent_code(r->status), rc;

	llm_http_error_snippet(snippet, sizeof(snippet), h->api_key, r->body.data, r->body.len);
	rc = app_err_set(err, code ? code : APP_EUPSTREAM, NULL, NULL,
			 "%s: HTTP %ld after %d attempt%s%s%s", call->what, r->status, attempt,
			 attempt == 1 ? "" : "s", *snippet ? ": " : "", snippet);
	app_err_extra(err, "status", r->status);
	app_err_extra(err, "attempts", attempt);
	*retry = r->status == 429 || r->status >= 500 || r->status == 408 || r->status == 409 ||
		 r->status == 425;
	return rc;
}

/* Sets err for a transport failure (curl's text names the host at most, never the key). */
static int transport_error(const llm_http_call *call, int cc, const char *errbuf, int attempt,
			   app_err *err)
{
	int rc = app_err_set(err, cc == CURLE_OPERATION_TIMEDOUT ? APP_ETIMEOUT : APP_EUPSTREAM,
			     NULL, NULL, "%s: %s after %d attempt%s", call->what,
			     *errbuf ? errbuf : curl_easy_strerror((CURLcode)cc), attempt,
			     attempt == 1 ? "" : "s");

	app_err_extra(err, "attempts", attempt);
	return rc;
}

/* One attempt: 0 with a 2xx body, or the error with *retry saying whether another may help. */
static int attempt_once(llm_http_reply *r, int *retry, const llm_http *h, const llm_http_call *call,
			int attempt, long left_ms, app_err *err)
{
	char errbuf[CURL_ERROR_SIZE];
	int cc, refused = 0;

	*retry = 0;
	cc = call->guarded ? fetch_guarded(r, h, call, left_ms, errbuf, &refused, err)
			   : exchange(r, h, call, call->url, NULL, left_ms, errbuf);
	if (refused)
		return APP_EUPSTREAM; /* err says why; asking again would not change the rule */
	if (cc < 0 || r->body.nomem)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "%s: out of memory", call->what);
	if (r->body.too_large || cc == CURLE_FILESIZE_EXCEEDED)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				   "%s: response too large (over %zu bytes)", call->what,
				   call->limit);
	if (cc == CURLE_OK && r->status >= 200 && r->status < 300)
		return 0;
	if (cc == CURLE_OK)
		return answer_error(retry, h, call, r, attempt, err);
	*retry = 1;
	return transport_error(call, cc, errbuf, attempt, err);
}

int llm_http_request(llm_http_buf *body, const llm_http *h, const llm_http_call *call, app_err *err)
{
	llm_http_reply r = {0};
	long backoff = h->backoff_ms;
	int attempt, rc = 0, retry;

	for (attempt = 1;; attempt++) {
		int64_t left = call->deadline - llm_http_now_ms();
		long wait;

		if (left <= 0 || atomic_load(&llm_http_cancelled)) {
			rc = app_err_set(err, APP_ETIMEOUT, NULL, NULL, "%s: %s", call->what,
					 left <= 0 ? "no answer in time" : "cancelled");
			break;
		}
		rc = attempt_once(&r, &retry, h, call, attempt, (long)left, err);
		if (rc == 0) {
			*body = r.body;
			free(r.location);
			return 0;
		}
		if (!retry)
			break;
		wait = r.retry_after_ms >= 0 ? r.retry_after_ms : backoff;
		if (r.retry_after_ms > h->retry_after_cap_ms) {
			/* too long to hold a worker here: the caller schedules it */
			app_err_extra(err, "retryAfterMs", r.retry_after_ms);
			break;
		}
		if (attempt > h->max_retries || llm_http_now_ms() + wait >= call->deadline) {
			if (r.retry_after_ms >= 0)
				app_err_extra(err, "retryAfterMs", r.retry_after_ms);
			break;
		}
		sleep_ms(wait);
		if (backoff < h->retry_after_cap_ms / 2)
			backoff *= 2;
	}
	reply_clear(&r);
	memset(body, 0, sizeof(*body));
	return rc;
}
