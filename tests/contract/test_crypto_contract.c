/*
 * One suite, two implementations of the crypto port's digests: the fake and
 * libsodium's must both keep the promises the books core builds ETags on.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/sodium/sodium_crypto.h"
#include "fakes/fakes.h"

typedef struct ctx {
	crypto_port crypto;
	fake_crypto fake;
	int sodium;
} ctx;

static int setup_fake(void **state)
{
	ctx *c = calloc(1, sizeof(*c));

	c->crypto = fake_crypto_port(&c->fake);
	*state = c;
	return 0;
}

static int setup_sodium(void **state)
{
	ctx *c = calloc(1, sizeof(*c));
	sodium_crypto_config cc = sodium_crypto_config_default();
	app_err err;

	assert_int_equal(sodium_crypto_init(&c->crypto, &cc, &err), 0);
	c->sodium = 1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	ctx *c = *state;

	if (c->sodium)
		sodium_crypto_dispose(&c->crypto);
	free(c);
	return 0;
}

static int all_hex(const char *s)
{
	return s[strspn(s, "0123456789abcdef")] == '\0';
}

static void test_content_digest_is_stable_and_tells_bytes_apart(void **state)
{
	ctx *c = *state;
	static const unsigned char a[] = {0x89, 'P', 'N', 'G', 0, 1, 2},
				   b[] = {0x89, 'P', 'N', 'G', 0, 1, 3};
	char d1[CRYPTO_DIGEST_HEX], d2[CRYPTO_DIGEST_HEX], d3[CRYPTO_DIGEST_HEX],
	    d4[CRYPTO_DIGEST_HEX];

	crypto_content_digest(d1, &c->crypto, a, sizeof(a));
	crypto_content_digest(d2, &c->crypto, a, sizeof(a));
	crypto_content_digest(d3, &c->crypto, b, sizeof(b));
	crypto_content_digest(d4, &c->crypto, a, sizeof(a) - 1); /* a shorter prefix */
	assert_int_equal(strlen(d1), CRYPTO_DIGEST_HEX - 1);
	assert_true(all_hex(d1));
	assert_string_equal(d1, d2);
	assert_string_not_equal(d1, d3);
	assert_string_not_equal(d1, d4);
	/* bytes after a NUL count */
	crypto_content_digest(d2, &c->crypto, a, 4);
	assert_string_not_equal(d2, d4);
}

/* libsodium's token digest is the digest of its text (the fake's is readable on purpose). */
static void test_token_digest_is_the_content_digest_of_its_text(void **state)
{
	ctx *c = *state;
	char t[CRYPTO_DIGEST_HEX], d[CRYPTO_DIGEST_HEX];

	crypto_token_digest(t, &c->crypto, "a-session-token");
	crypto_content_digest(d, &c->crypto, "a-session-token", strlen("a-session-token"));
	assert_string_equal(t, d);
}

/* The production digest is SHA-256 (FIPS 180-2's "abc" vector). */
static void test_sodium_content_digest_is_sha256(void **state)
{
	ctx *c = *state;
	char d[CRYPTO_DIGEST_HEX];

	crypto_content_digest(d, &c->crypto, "abc", 3);
	assert_string_equal(d, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

#define BOTH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_sodium, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    BOTH(test_content_digest_is_stable_and_tells_bytes_apart),
	    cmocka_unit_test_setup_teardown(test_token_digest_is_the_content_digest_of_its_text,
					    setup_sodium, teardown),
	    cmocka_unit_test_setup_teardown(test_sodium_content_digest_is_sha256, setup_sodium,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
