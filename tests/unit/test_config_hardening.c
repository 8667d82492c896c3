/*
 * The hardening flags: the development payment provider is the default only
 * on a loopback address; the new limits parse and keep their defaults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "app/config.h"

/* app_config_load on "serve" plus args; returns its result, msg holds the line. */
static int load(app_config *c, char *msg, size_t cap, const char *a1, const char *a2,
		const char *a3, const char *a4)
{
	char *argv[] = {"walking-library", "serve",    (char *)a1, (char *)a2,
			(char *)a3,	   (char *)a4, NULL};
	int argc = 2;

	while (argv[argc])
		argc++;
	msg[0] = '\0';
	return app_config_load(c, argc, argv, 2, msg, cap);
}

static void test_payments_dev_only_on_loopback(void **state)
{
	const char *loopback[] = {"127.0.0.1:0", "127.9.9.9:8080", "[::1]:0", "localhost:8080"};
	const char *public[] = {"0.0.0.0:8080", "[::]:8080", "192.0.2.10:80", "example.com:80",
				"127example.com:80"};
	app_config c;
	char msg[512];

	(void)state;
	unsetenv("WL_PAYMENTS");
	unsetenv("WL_LISTEN");
	for (size_t i = 0; i < sizeof(loopback) / sizeof(loopback[0]); i++) {
		assert_int_equal(load(&c, msg, sizeof(msg), "--listen", loopback[i], NULL, NULL),
				 0);
		assert_true(app_config_listens_on_loopback(&c));
	}
	for (size_t i = 0; i < sizeof(public) / sizeof(public[0]); i++) {
		assert_int_equal(load(&c, msg, sizeof(msg), "--listen", public[i], NULL, NULL), -1);
		assert_non_null(strstr(msg, "--payments dev"));
		assert_non_null(strstr(msg, "free"));
		/* an explicit choice is accepted (and the start-up log says what it means) */
		assert_int_equal(
		    load(&c, msg, sizeof(msg), "--listen", public[i], "--payments", "dev"), 0);
		assert_false(app_config_listens_on_loopback(&c));
	}
	assert_int_equal(load(&c, msg, sizeof(msg), "--payments", "stripe", NULL, NULL), -1);
	assert_non_null(strstr(msg, "--payments"));
}

static void test_limits_and_their_defaults(void **state)
{
	app_config c;
	char msg[512];

	(void)state;
	unsetenv("WL_MAX_CONNS_PER_CLIENT");
	unsetenv("WL_SIGNUP_LIMIT");
	unsetenv("WL_THREADS");
	assert_int_equal(load(&c, msg, sizeof(msg), NULL, NULL, NULL, NULL), 0);
	assert_int_equal(c.max_conns_per_client, 64);
	assert_int_equal(c.signup_limit, 20);
	assert_int_equal(c.threads, 1536);
	assert_string_equal(c.trusted_proxy, "");
	assert_string_equal(c.metrics_token, "");
	assert_int_equal(
	    load(&c, msg, sizeof(msg), "--signup-limit", "0", "--max-conns-per-client", "0"), 0);
	assert_int_equal(c.signup_limit, 0);
	assert_int_equal(c.max_conns_per_client, 0);
	assert_int_equal(load(&c, msg, sizeof(msg), "--signup-limit", "-1", NULL, NULL), -1);
	assert_int_equal(load(&c, msg, sizeof(msg), "--trusted-proxy", "127.0.0.1/32,::1",
			      "--metrics-token", "s3cret"),
			 0);
	assert_string_equal(c.trusted_proxy, "127.0.0.1/32,::1");
	assert_string_equal(c.metrics_token, "s3cret");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_payments_dev_only_on_loopback),
	    cmocka_unit_test(test_limits_and_their_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
