/* The development gateway: an in-memory provider that approves everything. */
#include "adapters/payment_dev/payment_dev.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A cancel remembered by its idempotency key, so a repeat answers the first result. */
typedef struct dev_cancel_rec {
	char idem_key[128];
	payment_info result;
} dev_cancel_rec;

typedef struct dev_gateway {
	pthread_mutex_t lock;
	payment_info *payments;
	size_t n, cap;
	dev_cancel_rec *cancels;
	size_t ncancels, cancels_cap;
	long long seq;
} dev_gateway;

static int64_t dev_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static payment_info *dev_find_locked(dev_gateway *g, const char *key, const char *order_id)
{
	for (size_t i = 0; i < g->n; i++)
		if ((key && strcmp(g->payments[i].key, key) == 0) ||
		    (order_id && strcmp(g->payments[i].order_id, order_id) == 0))
			return &g->payments[i];
	return NULL;
}

static int dev_grow(void **items, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p;

	if (need <= *cap)
		return 0;
	if (!(p = realloc(*items, ncap * size)))
		return -1;
	*items = p;
	*cap = ncap;
	return 0;
}

static void dev_checkout(payment_checkout *out, void *self)
{
	(void)self;
	memset(out, 0, sizeof(*out));
	snprintf(out->provider, sizeof(out->provider), "dev");
}

static int dev_confirm(payment_info *out, void *self, const char *payment_key, const char *order_id,
		       int64_t amount, const char *idem_key, app_err *err)
{
	dev_gateway *g = self;
	payment_info *p;
	int rc = 0;

	(void)idem_key;
	memset(out, 0, sizeof(*out));
	if (strlen(payment_key) >= sizeof(out->key) || strlen(order_id) >= sizeof(out->order_id))
		return app_err_set(err, APP_EDECLINED, NULL, NULL, "dev: key or order id too long");
	pthread_mutex_lock(&g->lock);
	p = dev_find_locked(g, payment_key, order_id);
	if (p && !strcmp(p->key, payment_key) &&
	    (strcmp(p->order_id, order_id) || p->total_amount != amount)) {
		rc = app_err_set(err, APP_ECONFLICT, NULL, NULL,
				 "dev: the payment key was used for another order");
	} else if (p && strcmp(p->key, payment_key)) {
		rc = app_err_set(err, APP_EDECLINED, NULL, NULL,
				 "dev: the order was paid with another payment key");
	} else if (!p && dev_grow((void **)&g->payments, &g->cap, g->n + 1, sizeof(*p))) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	} else {
		if (!p) {
			p = &g->payments[g->n++];
			memset(p, 0, sizeof(*p));
			snprintf(p->key, sizeof(p->key), "%s", payment_key);
			snprintf(p->order_id, sizeof(p->order_id), "%s", order_id);
			p->status = PAYMENT_DONE;
			p->total_amount = p->balance_amount = amount;
			snprintf(p->method, sizeof(p->method), "dev");
			p->approved_at = dev_now_ms();
		}
		*out = *p;
	}
	pthread_mutex_unlock(&g->lock);
	return rc;
}

static int dev_lookup(payment_info *out, dev_gateway *g, const char *key, const char *order_id,
		      app_err *err)
{
	payment_info *p;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&g->lock);
	p = dev_find_locked(g, key, order_id);
	if (p)
		*out = *p;
	pthread_mutex_unlock(&g->lock);
	return p ? 0 : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "dev: no such payment");
}

static int dev_find(payment_info *out, void *self, const char *payment_key, app_err *err)
{
	return dev_lookup(out, self, payment_key, NULL, err);
}

static int dev_find_by_order(payment_info *out, void *self, const char *order_id, app_err *err)
{
	return dev_lookup(out, self, NULL, order_id, err);
}

static int dev_cancel_locked(payment_info *out, dev_gateway *g, const char *payment_key,
			     int64_t amount, const char *idem_key, app_err *err)
{
	payment_info *p = dev_find_locked(g, payment_key, NULL);
	dev_cancel_rec *c;

	for (size_t i = 0; i < g->ncancels; i++)
		if (strcmp(g->cancels[i].idem_key, idem_key) == 0) {
			*out = g->cancels[i].result;
			return 0;
		}
	if (!p)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "dev: no such payment");
	if (p->status == PAYMENT_CANCELED)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "dev: already canceled");
	if (amount <= 0 || amount > p->balance_amount)
		return app_err_set(err, APP_EDECLINED, NULL, NULL, "dev: not a cancelable amount");
	if (strlen(idem_key) >= sizeof(c->idem_key) ||
	    dev_grow((void **)&g->cancels, &g->cancels_cap, g->ncancels + 1, sizeof(*c)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	p->balance_amount -= amount;
	p->status = p->balance_amount ? PAYMENT_PARTIAL_CANCELED : PAYMENT_CANCELED;
	p->cancel_amount = amount;
	snprintf(p->cancel_key, sizeof(p->cancel_key), "dev-cancel-%lld", ++g->seq);
	c = &g->cancels[g->ncancels++];
	snprintf(c->idem_key, sizeof(c->idem_key), "%s", idem_key);
	c->result = *p;
	*out = *p;
	return 0;
}

static int dev_cancel(payment_info *out, void *self, const char *payment_key, int64_t amount,
		      const char *reason, const char *idem_key, app_err *err)
{
	dev_gateway *g = self;
	int rc;

	(void)reason;
	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&g->lock);
	rc = dev_cancel_locked(out, g, payment_key, amount, idem_key, err);
	pthread_mutex_unlock(&g->lock);
	return rc;
}

static void dev_destroy(void *self)
{
	dev_gateway *g = self;

	if (!g)
		return;
	pthread_mutex_destroy(&g->lock);
	free(g->payments);
	free(g->cancels);
	free(g);
}

static const payment_gateway_vtbl dev_gateway_vtbl = {
    .checkout = dev_checkout,
    .confirm = dev_confirm,
    .find = dev_find,
    .find_by_order = dev_find_by_order,
    .cancel = dev_cancel,
    .destroy = dev_destroy,
};

int payment_dev_gateway_new(payment_gateway *out, app_err *err)
{
	dev_gateway *g = calloc(1, sizeof(*g));

	out->vtbl = NULL;
	out->self = NULL;
	if (!g)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	pthread_mutex_init(&g->lock, NULL);
	out->vtbl = &dev_gateway_vtbl;
	out->self = g;
	return 0;
}
