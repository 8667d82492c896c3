#include "adapters/payment_dev/payment_dev.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

/*
 * The development provider takes no money; like a real one it is idempotent
 * on the key: the same key answers the same reference (a BLAKE2b digest of
 * the key, so the reference stays short whatever the key's length).
 */
static int charge_impl(char ref[PAYMENT_REF_MAX], void *self, int64_t member_id, int64_t amount,
		       const char *key, app_err *err)
{
	unsigned char d[8];
	char hex[2 * sizeof(d) + 1];

	(void)self;
	if (sodium_init() < 0) /* safe to call again, from any thread */
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "libsodium did not start");
	key = key ? key : "";
	crypto_generichash(d, sizeof(d), (const unsigned char *)key, strlen(key), NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	snprintf(ref, PAYMENT_REF_MAX, "dev-%lld-%lld-%s", (long long)member_id, (long long)amount,
		 hex);
	return 0;
}

static const payment_port_vtbl dev_vtbl = {.charge = charge_impl};

payment_port payment_dev_provider(void)
{
	return (payment_port){.vtbl = &dev_vtbl, .self = NULL};
}
