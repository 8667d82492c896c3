#include "adapters/sodium/sodium_crypto.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

/*
 * Each argon2id hash takes memlimit bytes for its run and a whole core: how
 * many run at once is the caller's to bound (the app runs them on the
 * system adapter's pool, one per CPU; 32 unbounded logins were 600 MB).
 */
typedef struct sodium_state {
	sodium_crypto_config cfg;
} sodium_state;

sodium_crypto_config sodium_crypto_config_default(void)
{
	sodium_crypto_config c = {.opslimit = 4, .memlimit = 9u * 1024 * 1024};
	return c;
}

static int hash_impl(char out[CRYPTO_HASH_MAX], void *self, const char *password, app_err *err)
{
	sodium_state *s = self;
	int rc;

	_Static_assert(crypto_pwhash_STRBYTES <= CRYPTO_HASH_MAX, "hash buffer too small");
	rc = crypto_pwhash_str_alg(out, password, strlen(password), s->cfg.opslimit,
				   s->cfg.memlimit, crypto_pwhash_ALG_ARGON2ID13);
	if (rc != 0)
		return app_err_set(err, APP_ENOMEM, NULL, NULL,
				   "password hashing ran out of memory");
	return 0;
}

static int verify_impl(void *self, const char *hash, const char *password, app_err *err)
{
	(void)self;
	(void)err;
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

static void content_impl(char out[CRYPTO_DIGEST_HEX], void *self, const void *data, size_t len)
{
	unsigned char d[crypto_hash_sha256_BYTES];

	(void)self;
	crypto_hash_sha256(d, data, len);
	sodium_bin2hex(out, CRYPTO_DIGEST_HEX, d, sizeof(d));
}

static void digest_impl(char out[CRYPTO_DIGEST_HEX], void *self, const char *token)
{
	content_impl(out, self, token, strlen(token));
}

static void keyed_impl(char out[CRYPTO_KEYED_HEX], void *self, const char *text)
{
	sodium_state *s = self;
	unsigned char d[(CRYPTO_KEYED_HEX - 1) / 2];

	crypto_generichash(d, sizeof(d), (const unsigned char *)text, strlen(text), s->cfg.key,
			   sizeof(s->cfg.key));
	sodium_bin2hex(out, CRYPTO_KEYED_HEX, d, sizeof(d));
}

void sodium_crypto_random_key(unsigned char key[CRYPTO_KEY_BYTES])
{
	randombytes_buf(key, CRYPTO_KEY_BYTES);
}

void sodium_memzero_key(unsigned char key[CRYPTO_KEY_BYTES])
{
	sodium_memzero(key, CRYPTO_KEY_BYTES);
}

static const crypto_port_vtbl sodium_vtbl = {
    .password_hash = hash_impl,
    .password_verify = verify_impl,
    .token_new = token_impl,
    .token_digest = digest_impl,
    .keyed_digest = keyed_impl,
    .content_digest = content_impl,
};

int sodium_crypto_init(crypto_port *out, const sodium_crypto_config *cfg, app_err *err)
{
	sodium_state *s;

	if (sodium_init() < 0)
		return app_err_set(err, APP_EIO, NULL, NULL, "libsodium cannot initialise");
	if (!(s = malloc(sizeof(*s))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	s->cfg = cfg ? *cfg : sodium_crypto_config_default();
	if (s->cfg.opslimit < crypto_pwhash_OPSLIMIT_MIN)
		s->cfg.opslimit = crypto_pwhash_OPSLIMIT_MIN;
	if (s->cfg.memlimit < crypto_pwhash_MEMLIMIT_MIN)
		s->cfg.memlimit = crypto_pwhash_MEMLIMIT_MIN;
	if (sodium_is_zero(s->cfg.key, sizeof(s->cfg.key)))
		randombytes_buf(s->cfg.key, sizeof(s->cfg.key));
	*out = (crypto_port){.vtbl = &sodium_vtbl, .self = s};
	return 0;
}

void sodium_crypto_dispose(crypto_port *c)
{
	sodium_state *s = c->self;

	if (s)
		sodium_memzero(s->cfg.key, sizeof(s->cfg.key));
	free(s);
	c->self = NULL;
}
