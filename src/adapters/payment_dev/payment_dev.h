/*
 * DEVELOPMENT payment provider: approves every charge at once and takes no
 * money. For self-hosted installs without a payment contract and for tests;
 * a real provider implements ports/payment.h and ports/payment_gateway.h the
 * same way.
 */
#ifndef WL_PAYMENT_DEV_H
#define WL_PAYMENT_DEV_H

#include "ports/payment.h"
#include "ports/payment_gateway.h"

payment_port payment_dev_provider(void);

/*
 * The order flow without a provider: the checkout needs no page, confirm
 * approves any payment key for the amount asked, and the payments live in
 * memory (a restart forgets them, as a development provider may). Cancels
 * are honoured up to what is left. APP_ENOMEM; release with
 * payment_gateway_destroy().
 */
int payment_dev_gateway_new(payment_gateway *out, app_err *err);

#endif
