/* The Toss Payments gateway: requests over libcurl and what their answers mean. */
#include "adapters/toss/toss.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

#include "adapters/toss/toss_internal.h"

#define TOSS_MAX_BODY	     ((size_t)256 * 1024)
#define TOSS_IDEM_KEY_MAX    300 /* Toss's limit */
#define TOSS_DEFAULT_CONNECT 5000L
#define TOSS_DEFAULT_TIMEOUT 10000L

typedef struct toss {
	char *api_base; /* without a trailing '/' */
	char *secret_key;
	char *client_key;
	char *sdk_url;
	long connect_ms, timeout_ms;
} toss;

/* What one exchange brought back. */
typedef struct toss_reply {
	long status;
	char *body;
	size_t len, cap;
	int too_large, nomem;
} toss_reply;

typedef enum { TOSS_CONFIRM, TOSS_FIND, TOSS_CANCEL } toss_op;

static const char *const toss_op_names[] = {"confirm", "lookup", "cancel"};

int toss_global_init(app_err *err)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "curl_global_init failed");
	return 0;
}

void toss_global_cleanup(void)
{
	curl_global_cleanup();
}

static size_t toss_on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	toss_reply *r = userdata;
	size_t n = size * nmemb;

	if (n > TOSS_MAX_BODY - r->len) {
		r->too_large = 1;
		return 0;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 4096;
		char *p;

		while (cap < r->len + n + 1)
			cap *= 2;
		if (!(p = realloc(r->body, cap))) {
			r->nomem = 1;
			return 0;
		}
		r->body = p;
		r->cap = cap;
	}
	memcpy(r->body + r->len, ptr, n);
	r->len += n;
	r->body[r->len] = '\0';
	return n;
}

/* Header values we send must not be able to end the header (CR, LF) or be empty. */
static int toss_header_safe(const char *s, size_t max)
{
	size_t n = 0;

	for (; s[n]; n++)
		if ((unsigned char)s[n] <= 0x20 || (unsigned char)s[n] >= 0x7f || n >= max)
			return 0;
	return n > 0;
}

/*
 * One exchange: POST json to path when json is set, else GET. Returns the
 * curl code (-1 when a handle or header could not be made).
 */
static int toss_exchange(toss_reply *r, const toss *t, const char *path, const char *json,
			 const char *idem_key, char errbuf[CURL_ERROR_SIZE])
{
	CURL *c = curl_easy_init();
	struct curl_slist *hdr = NULL, *next;
	char url[2048], idem[TOSS_IDEM_KEY_MAX + 32];
	int rc = -1;

	memset(r, 0, sizeof(*r));
	errbuf[0] = '\0';
	if (!c || snprintf(url, sizeof(url), "%s%s", t->api_base, path) >= (int)sizeof(url))
		goto out;
	if (!(next = curl_slist_append(hdr, "Accept: application/json")))
		goto out;
	hdr = next;
	if (json) {
		if (!(next = curl_slist_append(hdr, "Content-Type: application/json")))
			goto out;
		hdr = next;
	}
	if (idem_key) {
		snprintf(idem, sizeof(idem), "Idempotency-Key: %s", idem_key);
		if (!(next = curl_slist_append(hdr, idem)))
			goto out;
		hdr = next;
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, t->connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, t->timeout_ms);
	/* curl encodes "secret:" itself; it sends it to this URL's host only */
	curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(c, CURLOPT_USERNAME, t->secret_key);
	curl_easy_setopt(c, CURLOPT_PASSWORD, "");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "walking-library/" WL_VERSION);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, toss_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	if (json) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(json));
	}
	rc = (int)curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
out:
	curl_slist_free_all(hdr);
	if (c)
		curl_easy_cleanup(c);
	return rc;
}

/* Provider codes that say "not now" rather than "no": the same request may succeed later. */
static int toss_code_temporary(const char *code)
{
	static const char *const temporary[] = {
	    "PROVIDER_ERROR",
	    "IDEMPOTENT_REQUEST_PROCESSING",
	    "FORBIDDEN_CONSECUTIVE_REQUEST",
	    "UNAUTHORIZED_KEY",
	    "INVALID_API_KEY",
	    "INCORRECT_BASIC_AUTH_FORMAT",
	};

	for (size_t i = 0; i < sizeof(temporary) / sizeof(temporary[0]); i++)
		if (strcmp(code, temporary[i]) == 0)
			return 1;
	return 0;
}

/* What an answer other than 2xx means for op (see ports/payment_gateway.h). */
static int toss_refusal(const payment_info *out, long status, toss_op op)
{
	const char *code = out->failure_code;

	if (!*code || status >= 500 || status == 429 || status == 408 || toss_code_temporary(code))
		return APP_EUPSTREAM;
	if (!strcmp(code, "NOT_FOUND_PAYMENT") || !strcmp(code, "NOT_FOUND_PAYMENT_SESSION") ||
	    (op == TOSS_FIND && status == 404))
		return APP_ENOTFOUND;
	if ((op == TOSS_CONFIRM && !strcmp(code, "ALREADY_PROCESSED_PAYMENT")) ||
	    (op == TOSS_CANCEL && !strcmp(code, "ALREADY_CANCELED_PAYMENT")))
		return APP_ECONFLICT;
	if (op == TOSS_FIND)
		return APP_EUPSTREAM;
	return APP_EDECLINED;
}

static int toss_request(payment_info *out, const toss *t, toss_op op, const char *path,
			const char *json, const char *idem_key, app_err *err)
{
	char errbuf[CURL_ERROR_SIZE];
	const char *what = toss_op_names[op];
	toss_reply r;
	int cc, rc;

	memset(out, 0, sizeof(*out));
	cc = toss_exchange(&r, t, path, json, idem_key, errbuf);
	if (cc < 0 || r.nomem) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "toss: %s: out of memory", what);
	} else if (r.too_large) {
		rc =
		    app_err_set(err, APP_EUPSTREAM, NULL, NULL, "toss: %s: answer too large", what);
	} else if (cc != CURLE_OK) {
		/* curl's text names the host at most, never the credentials */
		rc = app_err_set(err, cc == CURLE_OPERATION_TIMEDOUT ? APP_ETIMEOUT : APP_EUPSTREAM,
				 NULL, NULL, "toss: %s: %s", what,
				 *errbuf ? errbuf : curl_easy_strerror((CURLcode)cc));
	} else if (r.status >= 200 && r.status < 300) {
		rc = toss_payment_parse(out, r.body ? r.body : "", r.len, err);
	} else {
		toss_error_parse(out->failure_code, out->failure_message, r.body, r.len);
		if (strstr(out->failure_message, t->secret_key))
			snprintf(out->failure_message, sizeof(out->failure_message), "(withheld)");
		rc = app_err_set(err, toss_refusal(out, r.status, op), NULL, NULL,
				 "toss: %s: HTTP %ld %s%s%s", what, r.status,
				 *out->failure_code ? out->failure_code : "(no code)",
				 *out->failure_message ? ": " : "", out->failure_message);
		app_err_extra(err, "status", r.status);
	}
	free(r.body);
	return rc;
}

/* "/v1/payments/<escaped key><suffix>" into out; -1 if it does not fit. */
static int toss_path(char *out, size_t cap, const char *prefix, const char *id, const char *suffix)
{
	char *esc = curl_easy_escape(NULL, id, 0);
	int n;

	if (!esc)
		return -1;
	n = snprintf(out, cap, "%s%s%s", prefix, esc, suffix);
	curl_free(esc);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

static int toss_check_key(const char *idem_key, app_err *err)
{
	if (!toss_header_safe(idem_key, TOSS_IDEM_KEY_MAX))
		return app_err_set(err, APP_EINVALID, NULL, "idempotencyKey",
				   "toss: the idempotency key must be 1 to %d printable characters",
				   TOSS_IDEM_KEY_MAX);
	return 0;
}

static void toss_checkout(payment_checkout *out, void *self)
{
	const toss *t = self;

	memset(out, 0, sizeof(*out));
	snprintf(out->provider, sizeof(out->provider), "toss");
	snprintf(out->client_key, sizeof(out->client_key), "%s", t->client_key);
	snprintf(out->script_url, sizeof(out->script_url), "%s", t->sdk_url);
}

/* Sends json (owned, freed here) as a POST to path. */
static int toss_post(payment_info *out, const toss *t, toss_op op, const char *path, cJSON *json,
		     const char *idem_key, app_err *err)
{
	char *text = json ? cJSON_PrintUnformatted(json) : NULL;
	int rc;

	cJSON_Delete(json);
	if (!text) {
		memset(out, 0, sizeof(*out));
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "toss: out of memory");
	}
	rc = toss_request(out, t, op, path, text, idem_key, err);
	cJSON_free(text);
	return rc;
}

static int toss_confirm(payment_info *out, void *self, const char *payment_key,
			const char *order_id, int64_t amount, const char *idem_key, app_err *err)
{
	cJSON *body = cJSON_CreateObject();
	int rc;

	if ((rc = toss_check_key(idem_key, err))) {
		cJSON_Delete(body);
		memset(out, 0, sizeof(*out));
		return rc;
	}
	if (body && (!cJSON_AddStringToObject(body, "paymentKey", payment_key) ||
		     !cJSON_AddStringToObject(body, "orderId", order_id) ||
		     !cJSON_AddNumberToObject(body, "amount", (double)amount))) {
		cJSON_Delete(body);
		body = NULL;
	}
	return toss_post(out, self, TOSS_CONFIRM, "/v1/payments/confirm", body, idem_key, err);
}

static int toss_find(payment_info *out, void *self, const char *payment_key, app_err *err)
{
	char path[512];

	if (toss_path(path, sizeof(path), "/v1/payments/", payment_key, "")) {
		memset(out, 0, sizeof(*out));
		return app_err_set(err, APP_EINVALID, NULL, "paymentKey",
				   "toss: the payment key is too long");
	}
	return toss_request(out, self, TOSS_FIND, path, NULL, NULL, err);
}

static int toss_find_by_order(payment_info *out, void *self, const char *order_id, app_err *err)
{
	char path[512];

	if (toss_path(path, sizeof(path), "/v1/payments/orders/", order_id, "")) {
		memset(out, 0, sizeof(*out));
		return app_err_set(err, APP_EINVALID, NULL, "orderId",
				   "toss: the order id is too long");
	}
	return toss_request(out, self, TOSS_FIND, path, NULL, NULL, err);
}

static int toss_cancel(payment_info *out, void *self, const char *payment_key, int64_t amount,
		       const char *reason, const char *idem_key, app_err *err)
{
	cJSON *body;
	char path[512];
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = toss_check_key(idem_key, err)))
		return rc;
	if (toss_path(path, sizeof(path), "/v1/payments/", payment_key, "/cancel"))
		return app_err_set(err, APP_EINVALID, NULL, "paymentKey",
				   "toss: the payment key is too long");
	body = cJSON_CreateObject();
	if (body && (!cJSON_AddStringToObject(body, "cancelReason", reason) ||
		     !cJSON_AddNumberToObject(body, "cancelAmount", (double)amount))) {
		cJSON_Delete(body);
		body = NULL;
	}
	return toss_post(out, self, TOSS_CANCEL, path, body, idem_key, err);
}

static void toss_wipe(char *s)
{
	if (s) {
		volatile char *v = s;

		while (*v)
			*v++ = 0;
	}
	free(s);
}

static void toss_destroy(void *self)
{
	toss *t = self;

	if (!t)
		return;
	free(t->api_base);
	toss_wipe(t->secret_key);
	free(t->client_key);
	free(t->sdk_url);
	free(t);
}

static const payment_gateway_vtbl toss_vtbl = {
    .checkout = toss_checkout,
    .confirm = toss_confirm,
    .find = toss_find,
    .find_by_order = toss_find_by_order,
    .cancel = toss_cancel,
    .destroy = toss_destroy,
};

static int toss_url_ok(const char *s)
{
	return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) &&
	       toss_header_safe(s, 1024);
}

static int toss_config_check(const toss_config *cfg, const char *base, const char *sdk,
			     app_err *err)
{
	if (!cfg->secret_key || !toss_header_safe(cfg->secret_key, 256))
		return app_err_set(err, APP_EINVALID, NULL, "WL_TOSS_SECRET_KEY",
				   "the Toss secret key is missing or malformed");
	if (!cfg->client_key || !toss_header_safe(cfg->client_key, PAYMENT_CLIENT_KEY_MAX - 1))
		return app_err_set(err, APP_EINVALID, NULL, "WL_TOSS_CLIENT_KEY",
				   "the Toss client key is missing or malformed");
	if (!toss_url_ok(base))
		return app_err_set(err, APP_EINVALID, NULL, "WL_TOSS_API_BASE",
				   "WL_TOSS_API_BASE: expected an http:// or https:// URL");
	if (!toss_url_ok(sdk) || strlen(sdk) >= PAYMENT_URL_MAX)
		return app_err_set(err, APP_EINVALID, NULL, "WL_TOSS_SDK_URL",
				   "WL_TOSS_SDK_URL: expected an http:// or https:// URL");
	return 0;
}

static int toss_charge_refused(char ref[PAYMENT_REF_MAX], void *self, int64_t member_id,
			       int64_t amount, const char *key, app_err *err)
{
	(void)self;
	(void)member_id;
	(void)amount;
	(void)key;
	ref[0] = '\0';
	return app_err_set(err, APP_ECONFLICT, "checkout_required", NULL,
			   "points are bought through an order and the provider's checkout "
			   "(POST /api/me/points/orders)");
}

static const payment_port_vtbl toss_charge_vtbl = {.charge = toss_charge_refused};

payment_port toss_charge_port(void)
{
	return (payment_port){.vtbl = &toss_charge_vtbl, .self = NULL};
}

int toss_gateway_new(payment_gateway *out, const toss_config *cfg, app_err *err)
{
	const char *base = cfg->api_base && *cfg->api_base ? cfg->api_base : TOSS_DEFAULT_API_BASE;
	const char *sdk = cfg->sdk_url && *cfg->sdk_url ? cfg->sdk_url : TOSS_DEFAULT_SDK_URL;
	toss *t;
	int rc;

	out->vtbl = NULL;
	out->self = NULL;
	if ((rc = toss_config_check(cfg, base, sdk, err)))
		return rc;
	if (!(t = calloc(1, sizeof(*t))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	t->api_base = strdup(base);
	t->secret_key = strdup(cfg->secret_key);
	t->client_key = strdup(cfg->client_key);
	t->sdk_url = strdup(sdk);
	if (!t->api_base || !t->secret_key || !t->client_key || !t->sdk_url) {
		toss_destroy(t);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	if (*t->api_base && t->api_base[strlen(t->api_base) - 1] == '/')
		t->api_base[strlen(t->api_base) - 1] = '\0';
	t->connect_ms =
	    cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : TOSS_DEFAULT_CONNECT;
	t->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : TOSS_DEFAULT_TIMEOUT;
	if (t->connect_ms > t->timeout_ms)
		t->connect_ms = t->timeout_ms;
	out->vtbl = &toss_vtbl;
	out->self = t;
	return 0;
}
