#include "adapters/sodium/sodium_crypto.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

sodium_crypto_config sodium_crypto_config_default(void)
{
	sodium_crypto_config c = {.opslimit = 2, .memlimit = 19u * 1024 * 1024};
	return c;
}

static int hash_impl(char out[CRYPTO_HASH_MAX], void *self, const char *password, app_err *err)
{
	const sodium_crypto_config *cfg = self;

	_Static_assert(crypto_pwhash_STRBYTES <= CRYPTO_HASH_MAX, "hash buffer too small");
	if (crypto_pwhash_str_alg(out, password, strlen(password), cfg->opslimit, cfg->memlimit,
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return app_err_set(err, APP_ENOMEM, NULL, NULL,
				   "password hashing ran out of memory");
	return 0;
}

static int verify_impl(void *self, const char *hash, const char *password)
{
	(void)self;
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

static int token_impl(char out[CRYPTO_TOKEN_MAX], void *self, app_err *err)
{
	unsigned char raw[32];

	(void)self;
	(void)err;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, CRYPTO_TOKEN_MAX, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	return 0;
}

static void digest_impl(char out[CRYPTO_DIGEST_HEX], void *self, const char *token)
{
	unsigned char d[crypto_hash_sha256_BYTES];

	(void)self;
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, CRYPTO_DIGEST_HEX, d, sizeof(d));
}

static const crypto_port_vtbl sodium_vtbl = {
    .password_hash = hash_impl,
    .password_verify = verify_impl,
    .token_new = token_impl,
    .token_digest = digest_impl,
};

int sodium_crypto_init(crypto_port *out, const sodium_crypto_config *cfg, app_err *err)
{
	sodium_crypto_config *c;

	if (sodium_init() < 0)
		return app_err_set(err, APP_EIO, NULL, NULL, "libsodium cannot initialise");
	if (!(c = malloc(sizeof(*c))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	*c = cfg ? *cfg : sodium_crypto_config_default();
	if (c->opslimit < crypto_pwhash_OPSLIMIT_MIN)
		c->opslimit = crypto_pwhash_OPSLIMIT_MIN;
	if (c->memlimit < crypto_pwhash_MEMLIMIT_MIN)
		c->memlimit = crypto_pwhash_MEMLIMIT_MIN;
	*out = (crypto_port){&sodium_vtbl, c};
	return 0;
}

void sodium_crypto_dispose(crypto_port *c)
{
	free(c->self);
	c->self = NULL;
}
