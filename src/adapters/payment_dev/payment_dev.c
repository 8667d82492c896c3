#include "adapters/payment_dev/payment_dev.h"

#include <stdatomic.h>
#include <stdio.h>

static atomic_llong seq;

static int charge_impl(char ref[PAYMENT_REF_MAX], void *self, int64_t member_id, int64_t amount,
		       const char *key, app_err *err)
{
	(void)self;
	(void)key;
	(void)err;
	snprintf(ref, PAYMENT_REF_MAX, "dev-%lld-%lld-%lld", (long long)member_id,
		 (long long)amount, (long long)atomic_fetch_add(&seq, 1) + 1);
	return 0;
}

static const payment_port_vtbl dev_vtbl = {.charge = charge_impl};

payment_port payment_dev_provider(void)
{
	return (payment_port){.vtbl = &dev_vtbl, .self = NULL};
}
