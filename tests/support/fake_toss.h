/*
 * A fake Toss Payments for tests: civetweb on 127.0.0.1 with an ephemeral
 * port, in-process (C tests) or as the wl-fake-toss program (node tests).
 * It speaks the provider's documented protocol, so the real adapter is what
 * is tested:
 *
 *   POST /v1/payments/confirm               {paymentKey, orderId, amount}
 *   GET  /v1/payments/{paymentKey}, GET /v1/payments/orders/{orderId}
 *   POST /v1/payments/{paymentKey}/cancel   {cancelReason, cancelAmount?}
 *
 * HTTP Basic with the secret key and an empty password (401 UNAUTHORIZED_KEY,
 * 403 INCORRECT_BASIC_AUTH_FORMAT otherwise); Idempotency-Key answers a repeat
 * with the first answer (409 IDEMPOTENT_REQUEST_PROCESSING while it runs);
 * errors as {code, message}: 400 ALREADY_PROCESSED_PAYMENT, 400
 * ALREADY_CANCELED_PAYMENT, 400 INVALID_REQUEST (also for an amount or order
 * id that differs from the one the payment was requested with), 403
 * REJECT_CARD_PAYMENT, 403 NOT_CANCELABLE_AMOUNT, 403 NOT_CANCELABLE_PAYMENT,
 * 404 NOT_FOUND_PAYMENT, 404 NOT_FOUND_PAYMENT_SESSION. A payment changing
 * status sends the PAYMENT_STATUS_CHANGED webhook {eventType, createdAt,
 * data: Payment} to the webhook URL, when one is set.
 *
 * The browser side: GET /v2/standard is a stand-in for the SDK script
 * (TossPayments(clientKey).payment({customerKey}).requestPayment({...})),
 * which opens GET /checkout, a page where the member pays, pays with a card
 * the confirm will reject, or gives up; it then goes to successUrl with
 * paymentKey, orderId and amount, or to failUrl with code, message, orderId.
 *
 * Tests steer it with the functions below or, over HTTP, under /__fake/
 * (see fake_toss_http.c): scripted answers, slow answers, answers that never
 * come, dropped connections, before or after the request took effect.
 */
#ifndef WL_TEST_FAKE_TOSS_H
#define WL_TEST_FAKE_TOSS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"

typedef struct fake_toss fake_toss;

typedef struct fake_toss_config {
	const char *client_key;	 /* NULL: "test_ck_fake" */
	const char *secret_key;	 /* NULL: "test_sk_fake" */
	const char *webhook_url; /* NULL: no webhooks */
	int port;		 /* 0: ephemeral */
} fake_toss_config;

int fake_toss_start(fake_toss **out, const fake_toss_config *cfg, app_err *err);
/* Stops the server (cutting scripted waits short) and frees everything; NULL is fine. */
void fake_toss_stop(fake_toss *f);

/* "http://127.0.0.1:<port>"; owned by f. */
const char *fake_toss_base_url(const fake_toss *f);
void fake_toss_set_webhook(fake_toss *f, const char *url);

/*
 * What the member does on the checkout page, without a browser: the payment
 * for order_id is authenticated (IN_PROGRESS) and its key written to key.
 * reject: the card will be refused at confirm. APP_EINVALID, APP_ENOMEM.
 */
int fake_toss_authorize(char key[64], fake_toss *f, const char *order_id, int64_t amount,
			const char *order_name, int reject);
/* The payment of key runs out of time (its session is gone). APP_ENOTFOUND. */
int fake_toss_expire(fake_toss *f, const char *key);

/*
 * A scripted behaviour for the next `times` calls of op ("confirm",
 * "lookup", "cancel" or "any"), in order of scripting:
 *   delay_ms  wait before answering (and before acting, unless after is set)
 *   status    answer this status with {code, message} instead of the real one
 *   hang      never answer (the client must time out); ends when f stops
 *   drop      close the connection without an answer
 *   after     act first (the payment changes), then delay/answer/hang/drop:
 *             the request took effect but the caller cannot know
 */
typedef struct fake_toss_script {
	const char *op;
	int times; /* 0: 1 */
	int delay_ms;
	int status;
	const char *code;
	const char *message;
	int hang, drop, after;
} fake_toss_script;

int fake_toss_push(fake_toss *f, const fake_toss_script *s);
void fake_toss_clear_scripts(fake_toss *f);
/* Every API answer waits this long first (0: none). */
void fake_toss_set_latency(fake_toss *f, int ms);
/* While down, every API call answers 503 with an HTML page, as a load balancer would. */
void fake_toss_set_down(fake_toss *f, int down);

/* API requests received for op ("confirm", "lookup", "cancel", "any"). */
int fake_toss_calls(fake_toss *f, const char *op);
/* Copies of the last API request's headers (free()); NULL when absent. */
char *fake_toss_last_authorization(fake_toss *f);
char *fake_toss_last_idempotency_key(fake_toss *f);

typedef struct fake_toss_view {
	char order_id[65];
	char status[24];
	int64_t amount, balance;
	int cancels;
	int64_t canceled; /* sum of cancels */
} fake_toss_view;
/* The provider's record of key. APP_ENOTFOUND. */
int fake_toss_payment(fake_toss_view *out, fake_toss *f, const char *key);

/* Every payment as the JSON array of Payment objects (free()). NULL when out of memory. */
char *fake_toss_payments_json(fake_toss *f);

/*
 * Sends the PAYMENT_STATUS_CHANGED webhook for key now, or body as it is
 * (a forgery) when body is not NULL, and waits for the answer. Returns the
 * HTTP status, or -1 when there is no webhook URL or no answer.
 */
int fake_toss_send_webhook(fake_toss *f, const char *key, const char *body);

#endif
