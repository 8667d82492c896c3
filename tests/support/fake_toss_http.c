/*
 * The fake Toss over HTTP: the API with its scripted misbehaviour, the
 * browser's SDK stand-in and checkout page, and the /__fake/ control routes
 * the node tests use:
 *
 *   POST /__fake/authorize {orderId, amount, orderName?, reject?} -> {paymentKey}
 *   POST /__fake/script {op, times, delayMs, status, code, message, hang, drop, after}
 *   POST /__fake/clear-scripts, /__fake/latency {ms}, /__fake/down {down}
 *   POST /__fake/webhook-url {url}, /__fake/expire {paymentKey}
 *   POST /__fake/webhook {paymentKey} or {body} -> {status}
 *   GET  /__fake/payments -> [Payment], GET /__fake/calls -> {confirm, lookup, cancel, any,
 *        lastAuthorization, lastIdempotencyKey, lastConfirmIdempotencyKey}
 */
#include "support/fake_toss_internal.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <civetweb.h>

#define FT_MAX_BODY (256 * 1024)

static const char *const ft_op_names[] = {"confirm", "lookup", "cancel", "any"};

static char *ft_read_body(struct mg_connection *conn)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap + 1), *p;
	int n;

	if (!buf)
		return NULL;
	while ((n = mg_read(conn, buf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			if (cap >= FT_MAX_BODY || !(p = realloc(buf, cap * 2 + 1)))
				break;
			buf = p;
			cap *= 2;
		}
	}
	buf[len] = '\0';
	return buf;
}

static void ft_send(struct mg_connection *conn, int status, const char *type, const char *body,
		    const char *extra)
{
	size_t len = body ? strlen(body) : 0;

	mg_printf(conn,
		  "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		  "Connection: close\r\n%s\r\n",
		  status, mg_get_response_code_text(conn, status), type, len, extra ? extra : "");
	if (len)
		mg_write(conn, body, len);
}

static void ft_send_json(struct mg_connection *conn, int status, cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL;

	ft_send(conn, s ? status : 500, "application/json", s ? s : "{}", NULL);
	cJSON_free(s);
	cJSON_Delete(o);
}

/* --- the API --------------------------------------------------------------------------------- */

static ft_op ft_op_of(const char *method, const char *path)
{
	if (!strcmp(method, "POST") && !strcmp(path, "/v1/payments/confirm"))
		return FT_CONFIRM;
	if (!strcmp(method, "GET"))
		return FT_LOOKUP;
	if (!strcmp(method, "POST") && strlen(path) > 7 &&
	    !strcmp(path + strlen(path) - 7, "/cancel"))
		return FT_CANCEL;
	return FT_OTHER;
}

/* Takes the next scripted behaviour for op (a copy, free()), or NULL. */
static ft_script *ft_script_take(fake_toss *f, ft_op op)
{
	ft_script **pp, *s, *copy = NULL;

	pthread_mutex_lock(&f->lock);
	for (pp = &f->scripts; (s = *pp); pp = &s->next)
		if (s->op == FT_OTHER || s->op == op) {
			if ((copy = malloc(sizeof(*copy))))
				*copy = *s;
			if (--s->times <= 0) {
				*pp = s->next;
				free(s);
			}
			break;
		}
	pthread_mutex_unlock(&f->lock);
	return copy;
}

/* Plays the scripted part of s: 1 when the exchange ends here (answered or left unanswered). */
static int ft_script_play(struct mg_connection *conn, fake_toss *f, const ft_script *s)
{
	cJSON *o;

	ft_sleep(f, s->delay_ms);
	if (s->hang) {
		ft_sleep(f, 120000);
		return 1;
	}
	if (s->drop)
		return 1;
	if (!s->status)
		return 0;
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "code",
				*s->code ? s->code : "FAILED_INTERNAL_SYSTEM_PROCESSING");
	cJSON_AddStringToObject(o, "message",
				*s->message ? s->message : "내부 시스템 처리 작업이 실패했습니다.");
	ft_send_json(conn, s->status, o);
	return 1;
}

static void ft_note_call(fake_toss *f, ft_op op, const char *auth, const char *idem)
{
	pthread_mutex_lock(&f->lock);
	f->calls[op]++;
	if (op != FT_OTHER)
		f->calls[FT_OTHER]++;
	free(f->last_auth);
	free(f->last_idem);
	f->last_auth = auth ? ft_strdup(auth) : NULL;
	f->last_idem = idem ? ft_strdup(idem) : NULL;
	if (op == FT_CONFIRM) {
		free(f->last_confirm_idem);
		f->last_confirm_idem = idem ? ft_strdup(idem) : NULL;
	}
	pthread_mutex_unlock(&f->lock);
}

static int ft_api_handler(struct mg_connection *conn, void *cbdata)
{
	fake_toss *f = cbdata;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *auth = mg_get_header(conn, "Authorization");
	const char *idem = mg_get_header(conn, "Idempotency-Key");
	ft_op op = ft_op_of(ri->request_method, ri->local_uri);
	char *body = ft_read_body(conn);
	ft_script *s = ft_script_take(f, op);
	ft_answer ans = {0, NULL};
	int latency, down, status;
	long slot = -1;

	ft_note_call(f, op, auth, idem);
	pthread_mutex_lock(&f->lock);
	latency = f->latency_ms;
	down = f->down;
	pthread_mutex_unlock(&f->lock);
	ft_sleep(f, latency);
	if (down) {
		ft_send(conn, 503, "text/html",
			"<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
			NULL);
		status = 503;
		goto out;
	}
	if (s && !s->after && ft_script_play(conn, f, s)) {
		status = s->status ? s->status : 444;
		goto out;
	}
	if (!ft_api_begin(&ans, f, ri->request_method, ri->local_uri, auth, idem, &slot))
		ft_api_finish(&ans, f, ri->request_method, ri->local_uri, body, slot);
	if (s && s->after && ft_script_play(conn, f, s)) {
		status = s->status ? s->status : 444;
		goto out;
	}
	status = ans.status ? ans.status : 500;
	ft_send(conn, status, "application/json", ans.body ? ans.body : "{}", NULL);
out:
	free(ans.body);
	free(body);
	free(s);
	return status;
}

/* --- the browser's side ------------------------------------------------------------------------
 */

/*
 * Stands in for https://js.tosspayments.com/v2/standard: the parts of the
 * SDK the site uses, with the SDK's checks on what requestPayment is given.
 */
static const char ft_sdk_js[] =
    "(function(){'use strict';\n"
    "var ORIGIN=%s;\n"
    "function fail(code,message){var e=new Error(message);e.code=code;return e;}\n"
    "function TossPayments(clientKey){\n"
    " if(typeof clientKey!=='string'||!/^(test|live)_(ck|gck)_/.test(clientKey))\n"
    "  throw fail('INVALID_CLIENT_KEY','클라이언트 키가 올바르지 않습니다.');\n"
    " return {payment:function(o){\n"
    "  if(!o||typeof o.customerKey!=='string'||!o.customerKey)\n"
    "   throw fail('INVALID_CUSTOMER_KEY','customerKey가 필요합니다.');\n"
    "  return {requestPayment:function(r){\n"
    "   r=r||{};var a=r.amount||{};\n"
    "   if(r.method!=='CARD')return Promise.reject(fail('INVALID_METHOD','method'));\n"
    "   if(a.currency!=='KRW'||!Number.isInteger(a.value)||a.value<100)\n"
    "    return Promise.reject(fail('INVALID_AMOUNT_VALUE','amount'));\n"
    "   if(typeof r.orderId!=='string'||!/^[A-Za-z0-9_=-]{6,64}$/.test(r.orderId))\n"
    "    return Promise.reject(fail('INVALID_ORDER_ID','orderId'));\n"
    "   if(typeof r.orderName!=='string'||!r.orderName||r.orderName.length>100)\n"
    "    return Promise.reject(fail('INVALID_ORDER_NAME','orderName'));\n"
    "   if(!/^https?:\\/\\//.test(r.successUrl||'')||!/^https?:\\/\\//.test(r.failUrl||''))\n"
    "    return Promise.reject(fail('INVALID_URL','successUrl, failUrl'));\n"
    "   var q=new URLSearchParams({clientKey:clientKey,customerKey:o.customerKey,\n"
    "    orderId:r.orderId,orderName:r.orderName,amount:String(a.value),\n"
    "    successUrl:r.successUrl,failUrl:r.failUrl});\n"
    "   location.assign(ORIGIN+'/checkout?'+q.toString());\n"
    "   return new Promise(function(){});\n"
    "  }};\n"
    " }};\n"
    "}\n"
    "TossPayments.ANONYMOUS='@@ANONYMOUS';\n"
    "window.TossPayments=TossPayments;\n"
    "})();\n";

static int ft_sdk_handler(struct mg_connection *conn, void *cbdata)
{
	fake_toss *f = cbdata;
	char origin[96], *js;
	size_t n = sizeof(ft_sdk_js) + sizeof(origin);

	snprintf(origin, sizeof(origin), "\"%s\"", f->base_url);
	if (!(js = malloc(n)))
		return 500;
	snprintf(js, n, ft_sdk_js, origin);
	ft_send(conn, 200, "text/javascript; charset=utf-8", js,
		"Access-Control-Allow-Origin: *\r\nCache-Control: no-store\r\n");
	free(js);
	return 200;
}

/* Appends s to buf (cap) HTML-escaped. */
static void ft_html(char *buf, size_t cap, const char *s)
{
	size_t o = strlen(buf);

	for (; *s && o + 7 < cap; s++) {
		const char *e = *s == '<'    ? "&lt;"
				: *s == '>'  ? "&gt;"
				: *s == '&'  ? "&amp;"
				: *s == '"'  ? "&quot;"
				: *s == '\'' ? "&#39;"
					     : NULL;

		if (e) {
			memcpy(buf + o, e, strlen(e));
			o += strlen(e);
		} else {
			buf[o++] = *s;
		}
	}
	buf[o] = '\0';
}

static void ft_page(struct mg_connection *conn, int status, const char *title, const char *inner)
{
	char *page = malloc(strlen(inner) + 2048);

	if (!page)
		return;
	sprintf(page,
		"<!doctype html><html lang=\"ko\"><head><meta charset=\"utf-8\">"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<link rel=\"icon\" href=\"data:,\">"
		"<title>%s</title><style>body{font-family:sans-serif;margin:0;background:#f2f4f6;"
		"color:#191f28}main{max-width:420px;margin:40px auto;background:#fff;"
		"border-radius:16px;padding:24px}h1{font-size:20px}.amount{font-size:28px;"
		"font-weight:700}button{display:block;width:100%%;margin:8px 0;padding:14px;"
		"border:0;border-radius:10px;font-size:16px}button.pay{background:#3182f6;"
		"color:#fff}</style></head><body><main>%s</main></body></html>",
		title, inner);
	ft_send(conn, status, "text/html; charset=utf-8", page, "Cache-Control: no-store\r\n");
	free(page);
}

static int ft_url_ok(const char *u)
{
	return strncmp(u, "http://", 7) == 0 || strncmp(u, "https://", 8) == 0;
}

static int ft_checkout_handler(struct mg_connection *conn, void *cbdata)
{
	fake_toss *f = cbdata;
	const char *qs = mg_get_request_info(conn)->query_string;
	char ck[128] = "", order[80] = "", name[128] = "", amount[24] = "", ok_url[512] = "",
	     fail_url[512] = "", inner[4096] = "", key[64] = "";
	size_t qn = qs ? strlen(qs) : 0;
	ft_payment *p = NULL;
	int64_t amt = 0;

	if (qs) {
		mg_get_var(qs, qn, "clientKey", ck, sizeof(ck));
		mg_get_var(qs, qn, "orderId", order, sizeof(order));
		mg_get_var(qs, qn, "orderName", name, sizeof(name));
		mg_get_var(qs, qn, "amount", amount, sizeof(amount));
		mg_get_var(qs, qn, "successUrl", ok_url, sizeof(ok_url));
		mg_get_var(qs, qn, "failUrl", fail_url, sizeof(fail_url));
		amt = strtoll(amount, NULL, 10);
	}
	pthread_mutex_lock(&f->lock);
	if (!strcmp(ck, f->client_key) && ft_url_ok(ok_url) && ft_url_ok(fail_url) &&
	    (p = ft_checkout_payment(f, order, amt, name))) {
		snprintf(p->success_url, sizeof(p->success_url), "%s", ok_url);
		snprintf(p->fail_url, sizeof(p->fail_url), "%s", fail_url);
		snprintf(key, sizeof(key), "%s", p->key);
	}
	pthread_mutex_unlock(&f->lock);
	if (!p) {
		ft_page(conn, 400, "결제 오류",
			"<h1>결제를 진행할 수 없습니다</h1><p data-testid=\"toss-error\">"
			"잘못된 결제 요청입니다.</p>");
		return 400;
	}
	strcat(inner, "<h1>토스페이먼츠 테스트 결제</h1><p data-testid=\"toss-order-name\">");
	ft_html(inner, sizeof(inner), name);
	strcat(inner, "</p><p class=\"amount\" data-testid=\"toss-amount\">");
	ft_html(inner, sizeof(inner), amount);
	strcat(inner, "원</p><form method=\"post\" action=\"/checkout/decide\">"
		      "<input type=\"hidden\" name=\"paymentKey\" value=\"");
	ft_html(inner, sizeof(inner), key);
	strcat(inner, "\"><button class=\"pay\" name=\"outcome\" value=\"pay\" "
		      "data-testid=\"toss-pay\">결제하기</button>"
		      "<button name=\"outcome\" value=\"reject\" data-testid=\"toss-reject\">"
		      "한도 초과 카드로 결제</button>"
		      "<button name=\"outcome\" value=\"cancel\" data-testid=\"toss-cancel\">"
		      "결제 취소</button></form>");
	ft_page(conn, 200, "토스페이먼츠", inner);
	return 200;
}

/* url + ('?' or '&') + the encoded pairs, into out. */
static void ft_redirect_url(char *out, size_t cap, const char *url, const char *const *pairs)
{
	char enc[1024];

	snprintf(out, cap, "%s", url);
	for (int i = 0; pairs[i]; i += 2) {
		mg_url_encode(pairs[i + 1], enc, sizeof(enc));
		snprintf(out + strlen(out), cap - strlen(out), "%c%s=%s",
			 i == 0 ? (strchr(url, '?') ? '&' : '?') : '&', pairs[i], enc);
	}
}

static int ft_decide_handler(struct mg_connection *conn, void *cbdata)
{
	fake_toss *f = cbdata;
	char *body = ft_read_body(conn), key[64] = "", outcome[16] = "", to[2048] = "", amount[24],
	     order[80];
	size_t n = body ? strlen(body) : 0;
	ft_payment *p;
	char hdr[2200];

	if (body) {
		mg_get_var(body, n, "paymentKey", key, sizeof(key));
		mg_get_var(body, n, "outcome", outcome, sizeof(outcome));
	}
	free(body);
	pthread_mutex_lock(&f->lock);
	p = ft_find(f, key, NULL);
	if (p && !strcmp(p->status, "READY")) {
		snprintf(amount, sizeof(amount), "%lld", (long long)p->amount);
		snprintf(order, sizeof(order), "%s", p->order_id);
		if (!strcmp(outcome, "pay") || !strcmp(outcome, "reject")) {
			const char *pairs[] = {"paymentKey", p->key, "orderId", order,
					       "amount",     amount, NULL};

			snprintf(p->status, sizeof(p->status), "IN_PROGRESS");
			p->reject = !strcmp(outcome, "reject");
			p->deadline = ft_now_ms() + 10LL * 60 * 1000;
			ft_redirect_url(to, sizeof(to), p->success_url, pairs);
		} else {
			const char *pairs[] = {"code",	  "PAY_PROCESS_CANCELED",
					       "message", "사용자에 의해 결제가 취소되었습니다.",
					       "orderId", order,
					       NULL};

			ft_redirect_url(to, sizeof(to), p->fail_url, pairs);
		}
	}
	pthread_mutex_unlock(&f->lock);
	if (!to[0]) {
		ft_page(conn, 400, "결제 오류", "<h1>이미 처리되었거나 만료된 결제입니다</h1>");
		return 400;
	}
	snprintf(hdr, sizeof(hdr), "Location: %s\r\n", to);
	ft_send(conn, 302, "text/plain", "", hdr);
	return 302;
}

/* --- control --------------------------------------------------------------------------------- */

static int ft_int(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? v->valueint : cJSON_IsTrue(v) ? 1 : 0;
}

static const char *ft_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int ft_control_post(struct mg_connection *conn, fake_toss *f, const char *what,
			   const cJSON *in)
{
	cJSON *out = cJSON_CreateObject();

	if (!strcmp(what, "authorize")) {
		char key[64];
		const char *order = ft_str(in, "orderId");

		if (!order || fake_toss_authorize(key, f, order, ft_int(in, "amount"),
						  ft_str(in, "orderName"), ft_int(in, "reject"))) {
			ft_send_json(conn, 400, out);
			return 400;
		}
		cJSON_AddStringToObject(out, "paymentKey", key);
	} else if (!strcmp(what, "script")) {
		fake_toss_script s = {
		    .op = ft_str(in, "op") ? ft_str(in, "op") : "any",
		    .times = ft_int(in, "times"),
		    .delay_ms = ft_int(in, "delayMs"),
		    .status = ft_int(in, "status"),
		    .code = ft_str(in, "code"),
		    .message = ft_str(in, "message"),
		    .hang = ft_int(in, "hang"),
		    .drop = ft_int(in, "drop"),
		    .after = ft_int(in, "after"),
		};
		fake_toss_push(f, &s);
	} else if (!strcmp(what, "clear-scripts")) {
		fake_toss_clear_scripts(f);
	} else if (!strcmp(what, "latency")) {
		fake_toss_set_latency(f, ft_int(in, "ms"));
	} else if (!strcmp(what, "down")) {
		fake_toss_set_down(f, ft_int(in, "down"));
	} else if (!strcmp(what, "webhook-url")) {
		fake_toss_set_webhook(f, ft_str(in, "url"));
	} else if (!strcmp(what, "expire")) {
		fake_toss_expire(f, ft_str(in, "paymentKey") ? ft_str(in, "paymentKey") : "");
	} else if (!strcmp(what, "webhook")) {
		const char *forged = ft_str(in, "body"), *key = ft_str(in, "paymentKey");

		cJSON_AddNumberToObject(out, "status",
					fake_toss_send_webhook(f, key ? key : "", forged));
	} else {
		ft_send_json(conn, 404, out);
		return 404;
	}
	ft_send_json(conn, 200, out);
	return 200;
}

static int ft_control_get(struct mg_connection *conn, fake_toss *f, const char *what)
{
	cJSON *out;

	if (!strcmp(what, "payments")) {
		char *s = fake_toss_payments_json(f);

		ft_send(conn, s ? 200 : 500, "application/json", s ? s : "[]", NULL);
		free(s);
		return 200;
	}
	if (strcmp(what, "calls") != 0)
		return 0;
	out = cJSON_CreateObject();
	for (int i = 0; i < FT_NOPS; i++)
		cJSON_AddNumberToObject(out, ft_op_names[i], fake_toss_calls(f, ft_op_names[i]));
	pthread_mutex_lock(&f->lock);
	if (f->last_auth)
		cJSON_AddStringToObject(out, "lastAuthorization", f->last_auth);
	if (f->last_idem)
		cJSON_AddStringToObject(out, "lastIdempotencyKey", f->last_idem);
	if (f->last_confirm_idem)
		cJSON_AddStringToObject(out, "lastConfirmIdempotencyKey", f->last_confirm_idem);
	pthread_mutex_unlock(&f->lock);
	ft_send_json(conn, 200, out);
	return 200;
}

static int ft_control_handler(struct mg_connection *conn, void *cbdata)
{
	fake_toss *f = cbdata;
	const struct mg_request_info *ri = mg_get_request_info(conn);
	const char *what = ri->local_uri + strlen("/__fake/");
	char *body = ft_read_body(conn);
	cJSON *in = body && *body ? cJSON_Parse(body) : cJSON_CreateObject();
	int status;

	free(body);
	if (!strcmp(ri->request_method, "POST"))
		status = ft_control_post(conn, f, what, in);
	else
		status = ft_control_get(conn, f, what);
	cJSON_Delete(in);
	if (!status) {
		ft_send(conn, 404, "application/json", "{}", NULL);
		status = 404;
	}
	return status;
}

/* --- life cycle ------------------------------------------------------------------------------ */

int ft_http_start(fake_toss *f, int port, app_err *err)
{
	char listen[32];
	const char *opts[] = {"listening_ports",    listen,   "num_threads", "48",
			      "request_timeout_ms", "130000", NULL};
	struct mg_callbacks cb;
	struct mg_server_port ports[2];

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", port);
	mg_init_library(0);
	memset(&cb, 0, sizeof(cb));
	f->ctx = mg_start(&cb, f, opts);
	if (!f->ctx)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				   "fake_toss: civetweb did not start");
	if (mg_get_server_ports(f->ctx, 2, ports) < 1 || ports[0].port <= 0)
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "fake_toss: no port");
	f->port = ports[0].port;
	snprintf(f->base_url, sizeof(f->base_url), "http://127.0.0.1:%d", f->port);
	mg_set_request_handler(f->ctx, "/v1/", ft_api_handler, f);
	mg_set_request_handler(f->ctx, "/v2/standard$", ft_sdk_handler, f);
	mg_set_request_handler(f->ctx, "/checkout$", ft_checkout_handler, f);
	mg_set_request_handler(f->ctx, "/checkout/decide$", ft_decide_handler, f);
	mg_set_request_handler(f->ctx, "/__fake/", ft_control_handler, f);
	return 0;
}

/* civetweb's master thread polls its socket for up to 2 s before it sees mg_stop(): knock. */
static void *ft_knock(void *arg)
{
	fake_toss *f = arg;
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)f->port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	while (!atomic_load(&f->http_stopped)) {
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

void ft_http_stop(fake_toss *f)
{
	pthread_t knocker;
	int knocking;

	if (!f->ctx) {
		mg_exit_library();
		return;
	}
	knocking = f->port > 0 && pthread_create(&knocker, NULL, ft_knock, f) == 0;
	mg_stop(f->ctx);
	atomic_store(&f->http_stopped, 1);
	f->ctx = NULL;
	if (knocking)
		pthread_join(knocker, NULL);
	mg_exit_library();
}

/* --- knobs ----------------------------------------------------------------------------------- */

static ft_op ft_op_named(const char *op)
{
	for (int i = 0; i < FT_NOPS; i++)
		if (op && !strcmp(op, ft_op_names[i]))
			return (ft_op)i;
	return FT_OTHER;
}

int fake_toss_push(fake_toss *f, const fake_toss_script *s)
{
	ft_script *n = calloc(1, sizeof(*n)), **pp;

	if (!n)
		return APP_ENOMEM;
	n->op = ft_op_named(s->op);
	n->times = s->times > 0 ? s->times : 1;
	n->delay_ms = s->delay_ms;
	n->status = s->status;
	n->hang = s->hang;
	n->drop = s->drop;
	n->after = s->after;
	snprintf(n->code, sizeof(n->code), "%s", s->code ? s->code : "");
	snprintf(n->message, sizeof(n->message), "%s", s->message ? s->message : "");
	pthread_mutex_lock(&f->lock);
	for (pp = &f->scripts; *pp; pp = &(*pp)->next)
		;
	*pp = n;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

void fake_toss_clear_scripts(fake_toss *f)
{
	ft_script *s, *next;

	pthread_mutex_lock(&f->lock);
	for (s = f->scripts; s; s = next) {
		next = s->next;
		free(s);
	}
	f->scripts = NULL;
	pthread_mutex_unlock(&f->lock);
}

void fake_toss_set_latency(fake_toss *f, int ms)
{
	pthread_mutex_lock(&f->lock);
	f->latency_ms = ms;
	pthread_mutex_unlock(&f->lock);
}

void fake_toss_set_down(fake_toss *f, int down)
{
	pthread_mutex_lock(&f->lock);
	f->down = down;
	pthread_mutex_unlock(&f->lock);
}

int fake_toss_calls(fake_toss *f, const char *op)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->calls[ft_op_named(op)];
	pthread_mutex_unlock(&f->lock);
	return n;
}

char *fake_toss_last_authorization(fake_toss *f)
{
	char *s;

	pthread_mutex_lock(&f->lock);
	s = f->last_auth ? ft_strdup(f->last_auth) : NULL;
	pthread_mutex_unlock(&f->lock);
	return s;
}

char *fake_toss_last_idempotency_key(fake_toss *f)
{
	char *s;

	pthread_mutex_lock(&f->lock);
	s = f->last_idem ? ft_strdup(f->last_idem) : NULL;
	pthread_mutex_unlock(&f->lock);
	return s;
}
