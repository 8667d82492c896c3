/*
 * Payment provider: takes real money for points. The provider sees the
 * caller's idempotency key so a retried charge is not billed twice.
 */
#ifndef WL_PORT_PAYMENT_H
#define WL_PORT_PAYMENT_H

#include <stdint.h>

#include "domain/common/err.h"

#define PAYMENT_REF_MAX 64

typedef struct payment_port_vtbl {
	/* On success writes the provider's reference; APP_EUPSTREAM when declined. */
	int (*charge)(char ref[PAYMENT_REF_MAX], void *self, int64_t member_id, int64_t amount,
		      const char *idempotency_key, app_err *err);
} payment_port_vtbl;

typedef struct payment_port {
	const payment_port_vtbl *vtbl;
	void *self;
} payment_port;

static inline int payment_charge(char ref[PAYMENT_REF_MAX], const payment_port *p,
				 int64_t member_id, int64_t amount, const char *key, app_err *err)
{
	return p->vtbl->charge(ref, p->self, member_id, amount, key, err);
}

#endif
