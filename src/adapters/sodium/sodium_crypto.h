/* Crypto port on libsodium: argon2id passwords, random tokens, SHA-256 and keyed digests. */
#ifndef WL_SODIUM_CRYPTO_H
#define WL_SODIUM_CRYPTO_H

#include <stddef.h>

#include "ports/crypto.h"

typedef struct sodium_crypto_config {
	unsigned long long opslimit; /* argon2id passes */
	size_t memlimit;	     /* bytes */
	/* the secret of keyed digests (BLAKE2b); all zero: a random one for this process */
	unsigned char key[CRYPTO_KEY_BYTES];
} sodium_crypto_config;

/* Fills key with CRYPTO_KEY_BYTES random bytes (a new server secret). */
void sodium_crypto_random_key(unsigned char key[CRYPTO_KEY_BYTES]);
/* Wipes a key the caller held. */
void sodium_memzero_key(unsigned char key[CRYPTO_KEY_BYTES]);

/* One of OWASP's equivalent argon2id settings: 9 MiB, 4 passes (memory per login
 * matters: hashes run one per CPU at once). */
sodium_crypto_config sodium_crypto_config_default(void);

/* Initialises libsodium; APP_EIO if it cannot. cfg is copied. */
int sodium_crypto_init(crypto_port *out, const sodium_crypto_config *cfg, app_err *err);
void sodium_crypto_dispose(crypto_port *c);

#endif
