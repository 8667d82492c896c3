/* Shared by the fake Toss's files: its state and the provider's rules. */
#ifndef WL_TEST_FAKE_TOSS_INTERNAL_H
#define WL_TEST_FAKE_TOSS_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "support/fake_toss.h"

#define FT_MAX_CANCELS 16

typedef enum { FT_CONFIRM, FT_LOOKUP, FT_CANCEL, FT_OTHER, FT_NOPS } ft_op;

typedef struct ft_cancel_rec {
	int64_t amount, refundable, at;
	char reason[201];
	char tx_key[40];
} ft_cancel_rec;

typedef struct ft_payment {
	char key[64];
	char order_id[65];
	char order_name[101];
	char status[24];
	int64_t amount, balance;
	int reject; /* the card is refused at confirm */
	int64_t requested_at, approved_at, deadline;
	char last_tx[40];
	char fail_code[48], fail_msg[160];
	char success_url[512], fail_url[512]; /* where the checkout page sends the browser */
	int ncancels;
	ft_cancel_rec cancels[FT_MAX_CANCELS];
} ft_payment;

/* An answer remembered under its Idempotency-Key (status 0: still being made). */
typedef struct ft_idem {
	char *key;  /* "<Idempotency-Key> <METHOD> <path>" */
	int status; /* 0: being made; -1: not kept, the key is free */
	char *body;
} ft_idem;

typedef struct ft_script {
	ft_op op; /* FT_OTHER: any */
	int times, delay_ms, status, hang, drop, after;
	char code[64], message[200];
	struct ft_script *next;
} ft_script;

typedef struct ft_hook {
	char *body;
	struct ft_hook *next;
} ft_hook;

/* One answer to an API call: status and a malloc'd JSON body. */
typedef struct ft_answer {
	int status;
	char *body;
} ft_answer;

struct fake_toss {
	struct mg_context *ctx;
	int port;
	char base_url[64];
	char client_key[128], secret_key[128];
	atomic_int stopping;
	atomic_int http_stopped;
	pthread_mutex_t lock; /* guards everything below */
	char webhook_url[512];
	ft_payment *payments;
	size_t n, cap;
	ft_idem *idem;
	size_t nidem, idem_cap;
	ft_script *scripts;
	int latency_ms, down;
	int calls[FT_NOPS];
	char *last_auth, *last_idem;
	char *last_confirm_idem; /* a confirm's, which later lookups do not overwrite */
	long long seq;
	/* webhooks go out from one thread, in order */
	pthread_t hook_thread;
	int hook_started;
	pthread_cond_t hook_cond;
	ft_hook *hooks, *hooks_tail;
	int hooks_busy;
};

/* fake_toss.c: the provider's rules */
int64_t ft_now_ms(void);
void ft_sleep(fake_toss *f, int ms);
char *ft_strdup(const char *s);
/*
 * One API call in two steps, so that a slow provider can be played between
 * them. Begin checks the credentials and the Idempotency-Key: it returns 1
 * with ans final (a refusal, a replay, 409 while the first is running), or 0
 * with the key's slot reserved (-1: no key). Finish applies the provider's
 * rules and remembers the answer under the key. Both take f->lock.
 */
int ft_api_begin(ft_answer *ans, fake_toss *f, const char *method, const char *path,
		 const char *auth, const char *idem, long *slot);
void ft_api_finish(ft_answer *ans, fake_toss *f, const char *method, const char *path,
		   const char *body, long slot);
/* Creates (or finds) the READY payment of a checkout page; NULL on a bad order. Under lock. */
ft_payment *ft_checkout_payment(fake_toss *f, const char *order_id, int64_t amount,
				const char *order_name);
ft_payment *ft_find(fake_toss *f, const char *key, const char *order_id);
/* fake_toss_wire.c: what goes over the wire */
/* The payment as Toss's Payment object. */
cJSON *ft_payment_json(const fake_toss *f, const ft_payment *p);
/* Queues the PAYMENT_STATUS_CHANGED webhook for p. Under lock. */
void ft_hook_queue(fake_toss *f, const ft_payment *p);
int ft_hook_post(fake_toss *f, const char *body);
void ft_hooks_start(fake_toss *f);
void ft_hooks_stop(fake_toss *f);

/* fake_toss_http.c */
int ft_http_start(fake_toss *f, int port, app_err *err);
void ft_http_stop(fake_toss *f);

#endif
