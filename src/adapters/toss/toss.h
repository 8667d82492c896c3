/*
 * Toss Payments over its REST API (libcurl): the payment gateway port.
 *
 *   confirm  POST {api_base}/v1/payments/confirm {paymentKey, orderId, amount}
 *   find     GET  {api_base}/v1/payments/{paymentKey}
 *            GET  {api_base}/v1/payments/orders/{orderId}
 *   cancel   POST {api_base}/v1/payments/{paymentKey}/cancel {cancelReason, cancelAmount}
 *
 * Every request authenticates with HTTP Basic, the secret key as the user
 * and an empty password; confirm and cancel carry an Idempotency-Key. An
 * error answer is {code, message}; see ports/payment_gateway.h for how the
 * codes map to outcomes. The secret key goes nowhere else: not into error
 * messages, not to the browser (checkout() gives the client key only).
 *
 * A gateway is immutable once made and takes a fresh curl handle per call,
 * so any number of threads may call it at once. Call toss_global_init()
 * once at start, before threads run.
 */
#ifndef WL_ADAPTER_TOSS_H
#define WL_ADAPTER_TOSS_H

#include <stddef.h>

#include "domain/common/err.h"
#include "ports/payment.h"
#include "ports/payment_gateway.h"

#define TOSS_DEFAULT_API_BASE "https://api.tosspayments.com"
#define TOSS_DEFAULT_SDK_URL  "https://js.tosspayments.com/v2/standard"

typedef struct toss_config {
	const char *api_base;	 /* NULL: TOSS_DEFAULT_API_BASE; a trailing '/' is ignored */
	const char *secret_key;	 /* required: test_sk_... or live_sk_... */
	const char *client_key;	 /* required: test_ck_... or live_ck_..., for the browser */
	const char *sdk_url;	 /* NULL: TOSS_DEFAULT_SDK_URL */
	long connect_timeout_ms; /* <= 0: 5 s */
	long timeout_ms;	 /* one call, connection included; <= 0: 10 s */
} toss_config;

/* curl_global_init: once, before threads. APP_EUPSTREAM if it fails. */
int toss_global_init(app_err *err);
void toss_global_cleanup(void);

/*
 * Makes the gateway (strings are copied). APP_EINVALID (field names the
 * setting) when a key is missing or holds characters a header cannot carry,
 * or a URL is not http(s); APP_ENOMEM. Release with payment_gateway_destroy().
 */
int toss_gateway_new(payment_gateway *out, const toss_config *cfg, app_err *err);

/*
 * The one-step charge port (POST /api/me/points/charge) under Toss: there is
 * no card on file to charge without the member, so every charge answers
 * APP_ECONFLICT "checkout_required" (points are bought through an order).
 */
payment_port toss_charge_port(void);

/*
 * Reads a Payment object (the body of a 200 answer) into out. APP_EUPSTREAM
 * when it is not one: not JSON, a field of the wrong type, an amount that is
 * not a non-negative integer, a string too long. Exposed for the fuzz target.
 */
int toss_payment_parse(payment_info *out, const char *body, size_t len, app_err *err);

/*
 * Reads an error answer {code, message} into code and message (both cut to
 * fit, control characters dropped). 0 when a code was found.
 */
int toss_error_parse(char code[PAYMENT_CODE_MAX], char message[PAYMENT_MESSAGE_MAX],
		     const char *body, size_t len);

#endif
