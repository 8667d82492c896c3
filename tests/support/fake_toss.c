/* The fake Toss's payments: the provider's rules, its answers and its webhooks. */
#include "support/fake_toss_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#define FT_READY_MS	  (30LL * 60 * 1000) /* the member has 30 minutes to pay */
#define FT_IN_PROGRESS_MS (10LL * 60 * 1000) /* and we have 10 to confirm */

int64_t ft_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void ft_sleep(fake_toss *f, int ms)
{
	while (ms > 0 && !atomic_load(&f->stopping)) {
		int step = ms < 10 ? ms : 10;
		struct timespec ts = {0, step * 1000000L};

		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		ms -= step;
	}
}

char *ft_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = malloc(n);

	if (p)
		memcpy(p, s, n);
	return p;
}

static void ft_random(char *out, size_t n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	for (size_t i = 0; i < n; i++)
		out[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
	out[n] = '\0';
}

/* --- answers ------------------------------------------------------------------------------ */

static void ft_error(ft_answer *ans, int status, const char *code, const char *message)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "code", code);
	cJSON_AddStringToObject(o, "message", message);
	ans->status = status;
	ans->body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
}

static void ft_ok(ft_answer *ans, const fake_toss *f, const ft_payment *p)
{
	cJSON *o = ft_payment_json(f, p);

	ans->status = 200;
	ans->body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
}

/* --- payments ----------------------------------------------------------------------------- */

ft_payment *ft_find(fake_toss *f, const char *key, const char *order_id)
{
	for (size_t i = 0; i < f->n; i++) {
		ft_payment *p = &f->payments[i];

		if ((key && strcmp(p->key, key) == 0) ||
		    (order_id && strcmp(p->order_id, order_id) == 0)) {
			/* a session that ran out of time is gone for good */
			if ((!strcmp(p->status, "READY") || !strcmp(p->status, "IN_PROGRESS")) &&
			    ft_now_ms() > p->deadline)
				snprintf(p->status, sizeof(p->status), "EXPIRED");
			return p;
		}
	}
	return NULL;
}

static int ft_order_id_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 6 || n > 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '='))
			return 0;
	return 1;
}

ft_payment *ft_checkout_payment(fake_toss *f, const char *order_id, int64_t amount,
				const char *order_name)
{
	ft_payment *p = ft_find(f, NULL, order_id);
	char rnd[24];

	if (p)
		return p->amount == amount && !strcmp(p->status, "READY") ? p : NULL;
	if (!ft_order_id_ok(order_id) || amount < 100 || strlen(order_name) > 100)
		return NULL;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		ft_payment *np = realloc(f->payments, cap * sizeof(*np));

		if (!np)
			return NULL;
		f->payments = np;
		f->cap = cap;
	}
	p = &f->payments[f->n++];
	memset(p, 0, sizeof(*p));
	ft_random(rnd, 20);
	snprintf(p->key, sizeof(p->key), "tfake%lld%s", ++f->seq, rnd);
	snprintf(p->order_id, sizeof(p->order_id), "%s", order_id);
	snprintf(p->order_name, sizeof(p->order_name), "%s", order_name);
	snprintf(p->status, sizeof(p->status), "READY");
	p->amount = p->balance = amount;
	p->requested_at = ft_now_ms();
	p->deadline = p->requested_at + FT_READY_MS;
	return p;
}

int fake_toss_authorize(char key[64], fake_toss *f, const char *order_id, int64_t amount,
			const char *order_name, int reject)
{
	ft_payment *p;
	int rc = 0;

	pthread_mutex_lock(&f->lock);
	p = ft_checkout_payment(f, order_id, amount, order_name ? order_name : "포인트");
	if (!p) {
		rc = APP_EINVALID;
	} else {
		snprintf(p->status, sizeof(p->status), "IN_PROGRESS");
		p->reject = reject;
		p->deadline = ft_now_ms() + FT_IN_PROGRESS_MS;
		snprintf(key, 64, "%s", p->key);
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

int fake_toss_expire(fake_toss *f, const char *key)
{
	ft_payment *p;

	pthread_mutex_lock(&f->lock);
	p = ft_find(f, key, NULL);
	if (p) {
		p->deadline = 0;
		ft_find(f, key, NULL);
	}
	pthread_mutex_unlock(&f->lock);
	return p ? 0 : APP_ENOTFOUND;
}

int fake_toss_payment(fake_toss_view *out, fake_toss *f, const char *key)
{
	ft_payment *p;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&f->lock);
	p = ft_find(f, key, NULL);
	if (p) {
		snprintf(out->order_id, sizeof(out->order_id), "%s", p->order_id);
		snprintf(out->status, sizeof(out->status), "%s", p->status);
		out->amount = p->amount;
		out->balance = p->balance;
		out->cancels = p->ncancels;
		for (int i = 0; i < p->ncancels; i++)
			out->canceled += p->cancels[i].amount;
	}
	pthread_mutex_unlock(&f->lock);
	return p ? 0 : APP_ENOTFOUND;
}

char *fake_toss_payments_json(fake_toss *f)
{
	cJSON *a = cJSON_CreateArray();
	char *s;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->n; i++)
		cJSON_AddItemToArray(a, ft_payment_json(f, ft_find(f, f->payments[i].key, NULL)));
	pthread_mutex_unlock(&f->lock);
	s = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return s;
}

/* --- the API ------------------------------------------------------------------------------ */

/* "Basic base64(secret:)" and nothing else. 0 when it is the secret key. */
static int ft_auth(ft_answer *ans, const fake_toss *f, const char *auth)
{
	unsigned char raw[256];
	size_t len = 0;
	char want[160];

	if (!auth) {
		ft_error(ans, 401, "UNAUTHORIZED_KEY",
			 "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.");
		return -1;
	}
	if (strncmp(auth, "Basic ", 6) != 0 ||
	    sodium_base642bin(raw, sizeof(raw) - 1, auth + 6, strlen(auth + 6), NULL, &len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    !memchr(raw, ':', len)) {
		ft_error(ans, 403, "INCORRECT_BASIC_AUTH_FORMAT",
			 "잘못된 요청입니다. ':' 를 포함해 인코딩해주세요.");
		return -1;
	}
	raw[len] = '\0';
	snprintf(want, sizeof(want), "%s:", f->secret_key);
	if (strcmp((char *)raw, want) != 0) {
		ft_error(ans, 401, "UNAUTHORIZED_KEY",
			 "인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.");
		return -1;
	}
	return 0;
}

static void ft_confirm(ft_answer *ans, fake_toss *f, const cJSON *body)
{
	const cJSON *key = cJSON_GetObjectItemCaseSensitive(body, "paymentKey");
	const cJSON *order = cJSON_GetObjectItemCaseSensitive(body, "orderId");
	const cJSON *amount = cJSON_GetObjectItemCaseSensitive(body, "amount");
	ft_payment *p;
	char rnd[24];

	if (!cJSON_IsString(key) || !cJSON_IsString(order) || !cJSON_IsNumber(amount)) {
		ft_error(ans, 400, "INVALID_REQUEST", "잘못된 요청입니다.");
		return;
	}
	p = ft_find(f, key->valuestring, NULL);
	if (!p || !strcmp(p->status, "READY") || !strcmp(p->status, "EXPIRED")) {
		ft_error(ans, 404, "NOT_FOUND_PAYMENT_SESSION",
			 "결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.");
		return;
	}
	if (strcmp(p->status, "IN_PROGRESS") != 0) {
		ft_error(ans, 400, "ALREADY_PROCESSED_PAYMENT", "이미 처리된 결제 입니다.");
		return;
	}
	/* the payment key is bound to the order and amount it was requested for */
	if (strcmp(p->order_id, order->valuestring) != 0 ||
	    amount->valuedouble != (double)p->amount) {
		ft_error(ans, 400, "INVALID_REQUEST", "잘못된 요청입니다.");
		return;
	}
	ft_random(rnd, 20);
	snprintf(p->last_tx, sizeof(p->last_tx), "tx%s", rnd);
	if (p->reject) {
		snprintf(p->status, sizeof(p->status), "ABORTED");
		snprintf(p->fail_code, sizeof(p->fail_code), "REJECT_CARD_PAYMENT");
		snprintf(p->fail_msg, sizeof(p->fail_msg),
			 "한도초과 혹은 잔액부족으로 결제에 실패했습니다.");
		ft_hook_queue(f, p);
		ft_error(ans, 403, p->fail_code, p->fail_msg);
		return;
	}
	snprintf(p->status, sizeof(p->status), "DONE");
	p->approved_at = ft_now_ms();
	ft_hook_queue(f, p);
	ft_ok(ans, f, p);
}

static void ft_cancel(ft_answer *ans, fake_toss *f, const char *key, const cJSON *body)
{
	const cJSON *reason = cJSON_GetObjectItemCaseSensitive(body, "cancelReason");
	const cJSON *amount = cJSON_GetObjectItemCaseSensitive(body, "cancelAmount");
	ft_payment *p = ft_find(f, key, NULL);
	int64_t amt;
	ft_cancel_rec *c;

	if (!cJSON_IsString(reason) || !*reason->valuestring || strlen(reason->valuestring) > 200 ||
	    (amount && !cJSON_IsNumber(amount))) {
		ft_error(ans, 400, "INVALID_REQUEST", "잘못된 요청입니다.");
		return;
	}
	if (!p) {
		ft_error(ans, 404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.");
		return;
	}
	if (!strcmp(p->status, "CANCELED")) {
		ft_error(ans, 400, "ALREADY_CANCELED_PAYMENT", "이미 취소된 결제 입니다.");
		return;
	}
	if ((strcmp(p->status, "DONE") && strcmp(p->status, "PARTIAL_CANCELED")) ||
	    p->ncancels == FT_MAX_CANCELS) {
		ft_error(ans, 403, "NOT_CANCELABLE_PAYMENT", "취소 할 수 없는 결제 입니다.");
		return;
	}
	amt = amount ? (int64_t)amount->valuedouble : p->balance;
	if (amt <= 0 || (double)amt != (amount ? amount->valuedouble : (double)amt) ||
	    amt > p->balance) {
		ft_error(ans, 403, "NOT_CANCELABLE_AMOUNT", "취소 할 수 없는 금액 입니다.");
		return;
	}
	c = &p->cancels[p->ncancels++];
	memset(c, 0, sizeof(*c));
	c->amount = amt;
	c->at = ft_now_ms();
	p->balance -= amt;
	c->refundable = p->balance;
	snprintf(c->reason, sizeof(c->reason), "%s", reason->valuestring);
	ft_random(c->tx_key, 24);
	snprintf(p->last_tx, sizeof(p->last_tx), "%s", c->tx_key);
	snprintf(p->status, sizeof(p->status), "%s", p->balance ? "PARTIAL_CANCELED" : "CANCELED");
	ft_hook_queue(f, p);
	ft_ok(ans, f, p);
}

static void ft_lookup(ft_answer *ans, fake_toss *f, const char *key, const char *order_id)
{
	ft_payment *p = ft_find(f, key, order_id);

	if (!p)
		ft_error(ans, 404, "NOT_FOUND_PAYMENT", "존재하지 않는 결제 정보 입니다.");
	else
		ft_ok(ans, f, p);
}

/* Routes one authenticated call; path is below /v1/payments. */
static void ft_route(ft_answer *ans, fake_toss *f, const char *method, const char *path,
		     const char *body)
{
	cJSON *json = NULL;
	char key[256];
	size_t n;

	if (!strcmp(method, "POST")) {
		json = cJSON_Parse(body ? body : "");
		if (!cJSON_IsObject(json)) {
			cJSON_Delete(json);
			ft_error(ans, 400, "INVALID_REQUEST", "잘못된 요청입니다.");
			return;
		}
	}
	if (!strcmp(method, "POST") && !strcmp(path, "/confirm")) {
		ft_confirm(ans, f, json);
	} else if (!strcmp(method, "GET") && !strncmp(path, "/orders/", 8) && path[8]) {
		ft_lookup(ans, f, NULL, path + 8);
	} else if (path[0] == '/' && (n = strcspn(path + 1, "/")) > 0 && n < sizeof(key)) {
		memcpy(key, path + 1, n);
		key[n] = '\0';
		if (!strcmp(method, "GET") && !path[1 + n])
			ft_lookup(ans, f, key, NULL);
		else if (!strcmp(method, "POST") && !strcmp(path + 1 + n, "/cancel"))
			ft_cancel(ans, f, key, json);
		else
			ft_error(ans, 404, "NOT_FOUND", "존재하지 않는 정보 입니다.");
	} else {
		ft_error(ans, 404, "NOT_FOUND", "존재하지 않는 정보 입니다.");
	}
	cJSON_Delete(json);
}

/* Finds or opens the idempotency entry of this call: its index, or -1 when out of memory. */
static long ft_idem_entry(fake_toss *f, const char *idem, const char *method, const char *path,
			  int *fresh)
{
	size_t n = strlen(idem) + strlen(method) + strlen(path) + 3;
	char *k = malloc(n);

	*fresh = 0;
	if (!k)
		return -1;
	snprintf(k, n, "%s %s %s", idem, method, path);
	for (size_t i = 0; i < f->nidem; i++)
		if (strcmp(f->idem[i].key, k) == 0) {
			free(k);
			/* an answer that was not kept (5xx) leaves the key free again */
			*fresh = f->idem[i].status < 0;
			if (*fresh)
				f->idem[i].status = 0;
			return (long)i;
		}
	if (f->nidem == f->idem_cap) {
		size_t cap = f->idem_cap ? f->idem_cap * 2 : 64;
		ft_idem *ni = realloc(f->idem, cap * sizeof(*ni));

		if (!ni) {
			free(k);
			return -1;
		}
		f->idem = ni;
		f->idem_cap = cap;
	}
	f->idem[f->nidem] = (ft_idem){.key = k};
	*fresh = 1;
	return (long)f->nidem++;
}

int ft_api_begin(ft_answer *ans, fake_toss *f, const char *method, const char *path,
		 const char *auth, const char *idem, long *slot)
{
	int fresh = 0, done = 1;
	long e = -1;

	ans->status = 0;
	ans->body = NULL;
	*slot = -1;
	pthread_mutex_lock(&f->lock);
	if (ft_auth(ans, f, auth) != 0) {
		/* answered */
	} else if (idem && (!*idem || strlen(idem) > 300)) {
		ft_error(ans, 400, "INVALID_REQUEST", "잘못된 요청입니다.");
	} else if (idem && (e = ft_idem_entry(f, idem, method, path, &fresh)) < 0) {
		ft_error(ans, 500, "FAILED_INTERNAL_SYSTEM_PROCESSING", "out of memory");
	} else if (e >= 0 && !fresh && f->idem[e].status == 0) {
		ft_error(ans, 409, "IDEMPOTENT_REQUEST_PROCESSING", "이전 요청이 처리중 입니다.");
	} else if (e >= 0 && !fresh) {
		ans->status = f->idem[e].status;
		ans->body = ft_strdup(f->idem[e].body);
	} else {
		*slot = e;
		done = 0;
	}
	pthread_mutex_unlock(&f->lock);
	return done;
}

void ft_api_finish(ft_answer *ans, fake_toss *f, const char *method, const char *path,
		   const char *body, long slot)
{
	pthread_mutex_lock(&f->lock);
	if (strncmp(path, "/v1/payments", 12) == 0)
		ft_route(ans, f, method, path + 12, body);
	else
		ft_error(ans, 404, "NOT_FOUND", "존재하지 않는 정보 입니다.");
	if (slot >= 0) {
		ft_idem *e = &f->idem[slot];

		free(e->body);
		e->body = NULL;
		e->status = -1;
		if (ans->body && ans->status < 500 && (e->body = ft_strdup(ans->body)))
			e->status = ans->status;
	}
	pthread_mutex_unlock(&f->lock);
}

/* --- life cycle and knobs ------------------------------------------------------------------ */

int fake_toss_start(fake_toss **out, const fake_toss_config *cfg, app_err *err)
{
	fake_toss *f = calloc(1, sizeof(*f));
	int rc;

	*out = NULL;
	if (!f)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (sodium_init() < 0) {
		free(f);
		return app_err_set(err, APP_EIO, NULL, NULL, "fake_toss: sodium_init failed");
	}
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->hook_cond, NULL);
	snprintf(f->client_key, sizeof(f->client_key), "%s",
		 cfg && cfg->client_key ? cfg->client_key : "test_ck_fake");
	snprintf(f->secret_key, sizeof(f->secret_key), "%s",
		 cfg && cfg->secret_key ? cfg->secret_key : "test_sk_fake");
	if (cfg && cfg->webhook_url)
		snprintf(f->webhook_url, sizeof(f->webhook_url), "%s", cfg->webhook_url);
	ft_hooks_start(f);
	if ((rc = ft_http_start(f, cfg ? cfg->port : 0, err))) {
		fake_toss_stop(f);
		return rc;
	}
	*out = f;
	return 0;
}

void fake_toss_stop(fake_toss *f)
{
	ft_script *s, *next;

	if (!f)
		return;
	atomic_store(&f->stopping, 1);
	ft_http_stop(f);
	ft_hooks_stop(f);
	for (s = f->scripts; s; s = next) {
		next = s->next;
		free(s);
	}
	for (size_t i = 0; i < f->nidem; i++) {
		free(f->idem[i].key);
		free(f->idem[i].body);
	}
	free(f->idem);
	free(f->payments);
	free(f->last_auth);
	free(f->last_idem);
	free(f->last_confirm_idem);
	pthread_cond_destroy(&f->hook_cond);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

const char *fake_toss_base_url(const fake_toss *f)
{
	return f->base_url;
}

void fake_toss_set_webhook(fake_toss *f, const char *url)
{
	pthread_mutex_lock(&f->lock);
	snprintf(f->webhook_url, sizeof(f->webhook_url), "%s", url ? url : "");
	pthread_mutex_unlock(&f->lock);
}
