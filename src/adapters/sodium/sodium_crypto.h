/* Crypto port on libsodium: argon2id passwords, random tokens, SHA-256 digests. */
#ifndef WL_SODIUM_CRYPTO_H
#define WL_SODIUM_CRYPTO_H

#include <stddef.h>

#include "ports/crypto.h"

typedef struct sodium_crypto_config {
	unsigned long long opslimit; /* argon2id passes */
	size_t memlimit;             /* bytes */
} sodium_crypto_config;

/* OWASP's argon2id baseline: 19 MiB, 2 passes. */
sodium_crypto_config sodium_crypto_config_default(void);

/* Initialises libsodium; APP_EIO if it cannot. cfg is copied. */
int sodium_crypto_init(crypto_port *out, const sodium_crypto_config *cfg, app_err *err);
void sodium_crypto_dispose(crypto_port *c);

#endif
