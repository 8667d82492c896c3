/*
 * DEVELOPMENT payment provider: approves every charge at once and takes no
 * money. For self-hosted installs without a payment contract and for tests;
 * a real provider implements ports/payment.h the same way.
 */
#ifndef WL_PAYMENT_DEV_H
#define WL_PAYMENT_DEV_H

#include "ports/payment.h"

payment_port payment_dev_provider(void);

#endif
