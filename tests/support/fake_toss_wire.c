/* The fake Toss on the wire: Payment objects as Toss writes them, and its webhooks. */
#include "support/fake_toss_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

/* Toss's times: Korea Standard Time with its offset. */
static void ft_time(char out[40], int64_t ms)
{
	time_t t = (time_t)(ms / 1000) + 9 * 3600;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 40, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

static cJSON *ft_card(const ft_payment *p)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddNumberToObject(c, "amount", (double)p->amount);
	cJSON_AddStringToObject(c, "issuerCode", "61");
	cJSON_AddStringToObject(c, "acquirerCode", "31");
	cJSON_AddStringToObject(c, "number", "43301234****123*");
	cJSON_AddNumberToObject(c, "installmentPlanMonths", 0);
	cJSON_AddStringToObject(c, "approveNo", "00000000");
	cJSON_AddBoolToObject(c, "useCardPoint", 0);
	cJSON_AddStringToObject(c, "cardType", "신용");
	cJSON_AddStringToObject(c, "ownerType", "개인");
	cJSON_AddStringToObject(c, "acquireStatus", "READY");
	cJSON_AddBoolToObject(c, "isInterestFree", 0);
	cJSON_AddNullToObject(c, "interestPayer");
	return c;
}

static cJSON *ft_cancels(const ft_payment *p)
{
	cJSON *a = cJSON_CreateArray();
	char at[40];

	for (int i = 0; i < p->ncancels; i++) {
		cJSON *c = cJSON_CreateObject();

		ft_time(at, p->cancels[i].at);
		cJSON_AddStringToObject(c, "transactionKey", p->cancels[i].tx_key);
		cJSON_AddStringToObject(c, "cancelReason", p->cancels[i].reason);
		cJSON_AddNumberToObject(c, "taxExemptionAmount", 0);
		cJSON_AddStringToObject(c, "canceledAt", at);
		cJSON_AddNumberToObject(c, "easyPayDiscountAmount", 0);
		cJSON_AddNullToObject(c, "receiptKey");
		cJSON_AddNumberToObject(c, "cancelAmount", (double)p->cancels[i].amount);
		cJSON_AddNumberToObject(c, "taxFreeAmount", 0);
		cJSON_AddNumberToObject(c, "refundableAmount", (double)p->cancels[i].refundable);
		cJSON_AddStringToObject(c, "cancelStatus", "DONE");
		cJSON_AddNullToObject(c, "cancelRequestId");
		cJSON_AddItemToArray(a, c);
	}
	return a;
}

cJSON *ft_payment_json(const fake_toss *f, const ft_payment *p)
{
	cJSON *o = cJSON_CreateObject(), *x;
	int authed = strcmp(p->status, "READY") != 0;
	char t[40], url[256];

	cJSON_AddStringToObject(o, "mId", "tvivarepublica");
	cJSON_AddStringToObject(o, "version", "2022-11-16");
	cJSON_AddStringToObject(o, "lastTransactionKey", p->last_tx);
	cJSON_AddStringToObject(o, "paymentKey", p->key);
	cJSON_AddStringToObject(o, "orderId", p->order_id);
	cJSON_AddStringToObject(o, "orderName", p->order_name);
	cJSON_AddNumberToObject(o, "taxExemptionAmount", 0);
	cJSON_AddStringToObject(o, "status", p->status);
	ft_time(t, p->requested_at);
	cJSON_AddStringToObject(o, "requestedAt", t);
	ft_time(t, p->approved_at);
	if (p->approved_at)
		cJSON_AddStringToObject(o, "approvedAt", t);
	else
		cJSON_AddNullToObject(o, "approvedAt");
	cJSON_AddBoolToObject(o, "useEscrow", 0);
	cJSON_AddBoolToObject(o, "cultureExpense", 0);
	cJSON_AddItemToObject(o, "card", authed ? ft_card(p) : cJSON_CreateNull());
	cJSON_AddNullToObject(o, "virtualAccount");
	cJSON_AddNullToObject(o, "transfer");
	cJSON_AddNullToObject(o, "mobilePhone");
	cJSON_AddNullToObject(o, "giftCertificate");
	cJSON_AddNullToObject(o, "cashReceipt");
	cJSON_AddNullToObject(o, "cashReceipts");
	cJSON_AddNullToObject(o, "discount");
	cJSON_AddItemToObject(o, "cancels", p->ncancels ? ft_cancels(p) : cJSON_CreateNull());
	cJSON_AddNullToObject(o, "secret");
	cJSON_AddStringToObject(o, "type", "NORMAL");
	cJSON_AddNullToObject(o, "easyPay");
	cJSON_AddStringToObject(o, "country", "KR");
	if (*p->fail_code) {
		x = cJSON_AddObjectToObject(o, "failure");
		cJSON_AddStringToObject(x, "code", p->fail_code);
		cJSON_AddStringToObject(x, "message", p->fail_msg);
	} else {
		cJSON_AddNullToObject(o, "failure");
	}
	cJSON_AddBoolToObject(o, "isPartialCancelable", 1);
	snprintf(url, sizeof(url), "%s/receipt/%s", f->base_url, p->key);
	x = cJSON_AddObjectToObject(o, "receipt");
	cJSON_AddStringToObject(x, "url", url);
	snprintf(url, sizeof(url), "%s/v1/payments/%s/checkout", f->base_url, p->key);
	x = cJSON_AddObjectToObject(o, "checkout");
	cJSON_AddStringToObject(x, "url", url);
	cJSON_AddStringToObject(o, "currency", "KRW");
	cJSON_AddNumberToObject(o, "totalAmount", (double)p->amount);
	cJSON_AddNumberToObject(o, "balanceAmount", (double)p->balance);
	cJSON_AddNumberToObject(o, "suppliedAmount", (double)(p->balance - p->balance / 11));
	cJSON_AddNumberToObject(o, "vat", (double)(p->balance / 11));
	cJSON_AddNumberToObject(o, "taxFreeAmount", 0);
	if (authed)
		cJSON_AddStringToObject(o, "method", "카드");
	else
		cJSON_AddNullToObject(o, "method");
	cJSON_AddNullToObject(o, "metadata");
	return o;
}

void ft_hook_queue(fake_toss *f, const ft_payment *p)
{
	cJSON *o;
	ft_hook *h;
	char at[48];
	struct timespec ts;
	struct tm tm;
	time_t t;

	if (!f->webhook_url[0] || !(h = calloc(1, sizeof(*h))))
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	t = ts.tv_sec + 9 * 3600;
	gmtime_r(&t, &tm);
	strftime(at, 24, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(at + strlen(at), sizeof(at) - strlen(at), ".%06ld", ts.tv_nsec / 1000);
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "eventType", "PAYMENT_STATUS_CHANGED");
	cJSON_AddStringToObject(o, "createdAt", at);
	cJSON_AddItemToObject(o, "data", ft_payment_json(f, p));
	h->body = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!h->body) {
		free(h);
		return;
	}
	if (f->hooks_tail)
		f->hooks_tail->next = h;
	else
		f->hooks = h;
	f->hooks_tail = h;
	pthread_cond_signal(&f->hook_cond);
}

static size_t ft_discard(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

int ft_hook_post(fake_toss *f, const char *body)
{
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
	CURL *c = curl_easy_init();
	char url[512];
	long status = -1;

	pthread_mutex_lock(&f->lock);
	snprintf(url, sizeof(url), "%s", f->webhook_url);
	pthread_mutex_unlock(&f->lock);
	if (c && hdr && url[0]) {
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10000L);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "TossPayments");
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, ft_discard);
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		else
			status = -1;
	}
	curl_slist_free_all(hdr);
	if (c)
		curl_easy_cleanup(c);
	return (int)status;
}

static void *ft_hook_main(void *arg)
{
	fake_toss *f = arg;

	pthread_mutex_lock(&f->lock);
	for (;;) {
		ft_hook *h;

		while (!f->hooks && !atomic_load(&f->stopping))
			pthread_cond_wait(&f->hook_cond, &f->lock);
		if (!f->hooks)
			break;
		h = f->hooks;
		f->hooks = h->next;
		if (!f->hooks)
			f->hooks_tail = NULL;
		f->hooks_busy = 1;
		pthread_mutex_unlock(&f->lock);
		if (!atomic_load(&f->stopping))
			ft_hook_post(f, h->body);
		free(h->body);
		free(h);
		pthread_mutex_lock(&f->lock);
		f->hooks_busy = 0;
	}
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

void ft_hooks_start(fake_toss *f)
{
	if (pthread_create(&f->hook_thread, NULL, ft_hook_main, f) == 0)
		f->hook_started = 1;
}

void ft_hooks_stop(fake_toss *f)
{
	ft_hook *h, *next;

	if (f->hook_started) {
		pthread_mutex_lock(&f->lock);
		pthread_cond_broadcast(&f->hook_cond);
		pthread_mutex_unlock(&f->lock);
		pthread_join(f->hook_thread, NULL);
	}
	for (h = f->hooks; h; h = next) {
		next = h->next;
		free(h->body);
		free(h);
	}
	f->hooks = f->hooks_tail = NULL;
}

int fake_toss_send_webhook(fake_toss *f, const char *key, const char *body)
{
	char *made = NULL;
	int status;

	if (!body) {
		cJSON *o = cJSON_CreateObject();
		ft_payment *p;

		pthread_mutex_lock(&f->lock);
		p = ft_find(f, key, NULL);
		if (p) {
			cJSON_AddStringToObject(o, "eventType", "PAYMENT_STATUS_CHANGED");
			cJSON_AddStringToObject(o, "createdAt", "2024-01-01T00:00:00.000000");
			cJSON_AddItemToObject(o, "data", ft_payment_json(f, p));
		}
		pthread_mutex_unlock(&f->lock);
		made = p ? cJSON_PrintUnformatted(o) : NULL;
		cJSON_Delete(o);
		if (!made)
			return -1;
		body = made;
	}
	status = ft_hook_post(f, body);
	free(made);
	return status;
}
