/* Password hashing, session tokens and digests. */
#ifndef WL_PORT_CRYPTO_H
#define WL_PORT_CRYPTO_H

#include <stddef.h>

#include "domain/common/err.h"

#define CRYPTO_HASH_MAX	  160 /* password hash string incl. NUL */
#define CRYPTO_TOKEN_MAX  64  /* printable token incl. NUL */
#define CRYPTO_DIGEST_HEX 65  /* hex SHA-256 incl. NUL */
#define CRYPTO_KEYED_HEX  33  /* hex keyed digest (128 bits) incl. NUL */
#define CRYPTO_KEY_BYTES  32  /* the server's secret for keyed digests */

typedef struct crypto_port_vtbl {
	/* Writes a self-describing hash string (argon2id in production); APP_EBUSY when overloaded.
	 */
	int (*password_hash)(char out[CRYPTO_HASH_MAX], void *self, const char *password,
			     app_err *err);
	/*
	 * 1 when password matches hash, 0 when it does not; a negative APP_E*
	 * when it cannot tell now (APP_EBUSY: too many checks at once).
	 */
	int (*password_verify)(void *self, const char *hash, const char *password, app_err *err);
	/* A new unguessable token (256 bits of randomness, URL-safe text). */
	int (*token_new)(char out[CRYPTO_TOKEN_MAX], void *self, app_err *err);
	/* The digest under which a token is stored. */
	void (*token_digest)(char out[CRYPTO_DIGEST_HEX], void *self, const char *token);
	/*
	 * A digest of text under this server's secret key: the same text gives
	 * the same digest here, and neither the text nor a guess of it can be
	 * checked without the key (client addresses kept with views).
	 */
	void (*keyed_digest)(char out[CRYPTO_KEYED_HEX], void *self, const char *text);
	/*
	 * A digest of len bytes of data, the same everywhere and for every key
	 * (SHA-256 in production): a strong validator for what is served, such as
	 * a cover's ETag. Equal bytes give equal digests; other bytes other ones.
	 */
	void (*content_digest)(char out[CRYPTO_DIGEST_HEX], void *self, const void *data,
			       size_t len);
} crypto_port_vtbl;

typedef struct crypto_port {
	const crypto_port_vtbl *vtbl;
	void *self;
} crypto_port;

static inline int crypto_password_hash(char out[CRYPTO_HASH_MAX], const crypto_port *c,
				       const char *password, app_err *err)
{
	return c->vtbl->password_hash(out, c->self, password, err);
}

static inline int crypto_password_verify(const crypto_port *c, const char *hash,
					 const char *password, app_err *err)
{
	return c->vtbl->password_verify(c->self, hash, password, err);
}

static inline int crypto_token_new(char out[CRYPTO_TOKEN_MAX], const crypto_port *c, app_err *err)
{
	return c->vtbl->token_new(out, c->self, err);
}

static inline void crypto_token_digest(char out[CRYPTO_DIGEST_HEX], const crypto_port *c,
				       const char *token)
{
	c->vtbl->token_digest(out, c->self, token);
}

static inline void crypto_keyed_digest(char out[CRYPTO_KEYED_HEX], const crypto_port *c,
				       const char *text)
{
	c->vtbl->keyed_digest(out, c->self, text);
}

static inline void crypto_content_digest(char out[CRYPTO_DIGEST_HEX], const crypto_port *c,
					 const void *data, size_t len)
{
	c->vtbl->content_digest(out, c->self, data, len);
}

#endif
