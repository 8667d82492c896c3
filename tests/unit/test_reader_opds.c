/*
 * The reader core's OPDS catalog tokens on fakes: a new token replaces the
 * old one, revoking and an account's deletion end it, an unknown or
 * malformed token finds no one, and a failed write keeps the token there was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/sodium/sodium_crypto.h"
#include "domain/reader/reader.h"
#include "fakes/fake_opds_tokens.h"
#include "fakes/fakes.h"

typedef struct rig {
	fake_world *w;
	fake_opds_tokens tokens;
	crypto_port crypto; /* real tokens: the core refuses short ones */
	reader_service reader;
} rig;

static int setup(void **state)
{
	rig *r = calloc(1, sizeof(*r));
	sodium_crypto_config cc = sodium_crypto_config_default();
	app_err err;

	r->w = fake_world_new(NULL);
	assert_int_equal(sodium_crypto_init(&r->crypto, &cc, &err), 0);
	reader_deps d = {
	    .clock = fake_clock_port(&r->w->clock),
	    .tokens = fake_opds_token_repo(&r->tokens),
	    .crypto = r->crypto,
	    .uow = fake_uow_port(&r->w->uow),
	};
	reader_service_init(&r->reader, &d, NULL);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	rig *r = *state;

	sodium_crypto_dispose(&r->crypto);
	fake_world_free(r->w);
	free(r);
	return 0;
}

/* The member a token opens, or 0 (asserting APP_ENOTFOUND). */
static int64_t opens(rig *r, const char *token)
{
	int64_t id = -1;
	app_err err;
	int rc = reader_opds_member(&id, &r->reader, token, &err);

	if (rc == APP_ENOTFOUND)
		return 0;
	assert_int_equal(rc, 0);
	return id;
}

static void test_tokens_replace_and_revoke(void **state)
{
	rig *r = *state;
	char a[CRYPTO_TOKEN_MAX], b[CRYPTO_TOKEN_MAX], c[CRYPTO_TOKEN_MAX];
	int64_t at;
	app_err err;

	r->w->clock.now = 5000;
	assert_int_equal(reader_opds_token_new(a, &at, &r->reader, 7, &err), 0);
	assert_int_equal(at, 5000);
	assert_int_equal(opens(r, a), 7);
	/* only the digest is stored */
	assert_null(strstr(r->tokens.rows[0].digest, a));
	r->w->clock.now = 6000;
	assert_int_equal(reader_opds_token_new(b, &at, &r->reader, 7, &err), 0);
	assert_string_not_equal(a, b);
	assert_int_equal(opens(r, a), 0);
	assert_int_equal(opens(r, b), 7);
	assert_int_equal(reader_opds_token_created(&at, &r->reader, 7, &err), 0);
	assert_int_equal(at, 6000);
	assert_int_equal(reader_opds_token_new(c, &at, &r->reader, 8, &err), 0);
	assert_int_equal(reader_opds_token_revoke(&r->reader, 7, &err), 0);
	assert_int_equal(opens(r, b), 0);
	assert_int_equal(opens(r, c), 8);
	assert_int_equal(reader_opds_token_created(&at, &r->reader, 7, &err), APP_ENOTFOUND);
	assert_int_equal(reader_opds_token_revoke(&r->reader, 7, &err), 0); /* none left: fine */
	assert_int_equal(opens(r, ""), 0);
	assert_int_equal(opens(r, "not a token at all"), 0);
}

static void test_deleted_account_loses_its_token(void **state)
{
	rig *r = *state;
	char a[CRYPTO_TOKEN_MAX], b[CRYPTO_TOKEN_MAX];
	domain_event ev;
	int64_t at;
	app_err err;

	assert_int_equal(reader_opds_token_new(a, &at, &r->reader, 7, &err), 0);
	assert_int_equal(reader_opds_token_new(b, &at, &r->reader, 8, &err), 0);
	domain_event_init(&ev, "member.deleted");
	assert_int_equal(domain_event_add_int(&ev, "memberId", 7), 0);
	assert_int_equal(reader_on_event(&r->reader, &ev, &err), 0);
	assert_int_equal(reader_on_event(&r->reader, &ev, &err), 0); /* redelivered: harmless */
	domain_event_dispose(&ev);
	assert_int_equal(opens(r, a), 0);
	assert_int_equal(opens(r, b), 8);
}

static void test_a_failed_write_keeps_the_old_token(void **state)
{
	rig *r = *state;
	char a[CRYPTO_TOKEN_MAX], b[CRYPTO_TOKEN_MAX];
	int64_t at;
	app_err err;

	assert_int_equal(reader_opds_token_new(a, &at, &r->reader, 7, &err), 0);
	r->tokens.fail_next = APP_EIO;
	assert_int_equal(reader_opds_token_new(b, &at, &r->reader, 7, &err), APP_EIO);
	assert_int_equal(opens(r, a), 7);
	assert_int_equal(opens(r, b), 0);
	r->tokens.fail_next = APP_EIO;
	assert_int_equal(reader_opds_token_revoke(&r->reader, 7, &err), APP_EIO);
	assert_int_equal(opens(r, a), 7);
	assert_int_equal(r->w->uow.rollbacks, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tokens_replace_and_revoke, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deleted_account_loses_its_token, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_a_failed_write_keeps_the_old_token, setup,
					    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
