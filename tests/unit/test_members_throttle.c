/*
 * Sign-in and sign-up throttling in the members core, against fakes: the
 * limit is taken before the password check, counted per account and client
 * and per client, cleared only for the client that succeeded, given back
 * when the check could not be made; sign-ups per client; sessions per
 * member.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int setup(void **state)
{
	members_config c = members_config_default();

	c.signup_limit = 3;
	c.sessions_per_member = 3;
	*state = fake_world_new(&c);
	return 0;
}

static int teardown(void **state)
{
	fake_world_free(*state);
	return 0;
}

static int login(fake_world *w, char token[CRYPTO_TOKEN_MAX], const char *password,
		 const char *client, app_err *err)
{
	app_err_clear(err);
	return members_login(NULL, token, &w->svc, "kim@example.com", password, client, err);
}

static void signup_kim(fake_world *w)
{
	char token[CRYPTO_TOKEN_MAX];
	app_err err;

	assert_int_equal(
	    members_signup(NULL, token, &w->svc, "kim@example.com", "password1", "Kim", NULL, &err),
	    0);
}

static void test_locked_pair_checks_no_password(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	app_err err;
	int verifies;

	signup_kim(w);
	for (int i = 0; i < 10; i++)
		assert_int_equal(login(w, token, "wrong-pass", "attacker", &err), APP_EUNAUTH);
	verifies = w->crypto.verifies;
	for (int i = 0; i < 20; i++)
		assert_int_equal(login(w, token, "wrong-pass", "attacker", &err), APP_ELIMITED);
	/* refused before the (slow) check: no password was evaluated */
	assert_int_equal(w->crypto.verifies, verifies);
	assert_int_equal(err.nextra, 1);
	assert_string_equal(err.extra_name[0], "retryAfter");
	assert_true(err.extra[0] > 0 && err.extra[0] <= 15 * 60);
	/* the owner is not locked out anywhere else */
	assert_int_equal(login(w, token, "password1", "owner", &err), 0);
}

static void test_success_clears_only_its_own_client(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	app_err err;

	signup_kim(w);
	for (int i = 0; i < 9; i++) {
		assert_int_equal(login(w, token, "wrong-pass", "a", &err), APP_EUNAUTH);
		assert_int_equal(login(w, token, "wrong-pass", "b", &err), APP_EUNAUTH);
	}
	/* b's success clears b's count for kim, never a's */
	assert_int_equal(login(w, token, "password1", "b", &err), 0);
	assert_int_equal(login(w, token, "wrong-pass", "a", &err), APP_EUNAUTH);
	assert_int_equal(login(w, token, "password1", "a", &err), APP_ELIMITED);
	for (int i = 0; i < 9; i++)
		assert_int_equal(login(w, token, "wrong-pass", "b", &err), APP_EUNAUTH);
	assert_int_equal(login(w, token, "password1", "b", &err), 0);
}

static void test_a_client_across_accounts(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX], email[64];
	app_err err;

	signup_kim(w);
	/* a success between guesses does not reset the client's count across accounts */
	for (int i = 0; i < w->svc.cfg.login_max_failures_addr; i++) {
		snprintf(email, sizeof(email), "guess%d@example.com", i);
		assert_int_equal(
		    members_login(NULL, token, &w->svc, email, "whatever1", "6.6.6.6", &err),
		    APP_EUNAUTH);
		if (i == 20)
			assert_int_equal(login(w, token, "password1", "6.6.6.6", &err), 0);
	}
	assert_int_equal(login(w, token, "password1", "6.6.6.6", &err), APP_ELIMITED);
	assert_int_equal(login(w, token, "password1", "7.7.7.7", &err), 0);
}

static void test_busy_checks_are_given_back(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	app_err err;

	signup_kim(w);
	for (int i = 0; i < 30; i++) {
		w->crypto.fail_verify_next = APP_EBUSY;
		assert_int_equal(login(w, token, "password1", "a", &err), APP_EBUSY);
	}
	/* an unknown e-mail's decoy hash that cannot run is not a failure either */
	w->crypto.fail_next = APP_EBUSY;
	assert_int_equal(
	    members_login(NULL, token, &w->svc, "nobody@example.com", "password1", "a", &err),
	    APP_EBUSY);
	assert_int_equal(login(w, token, "password1", "a", &err), 0);
}

static void test_signups_per_client(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX], email[64];
	app_err err;

	for (int i = 0; i < 3; i++) {
		snprintf(email, sizeof(email), "new%d@example.com", i);
		assert_int_equal(
		    members_signup(NULL, token, &w->svc, email, "password1", "N", "a", &err), 0);
	}
	/* refused before the hash; a refusal for a taken e-mail also counted above would be too */
	int hashes = w->crypto.hashes;
	assert_int_equal(
	    members_signup(NULL, token, &w->svc, "new9@example.com", "password1", "N", "a", &err),
	    APP_ELIMITED);
	assert_int_equal(w->crypto.hashes, hashes);
	assert_string_equal(err.extra_name[0], "retryAfter");
	/* invalid fields cost nothing; other clients and the CLI are not limited */
	assert_int_equal(members_signup(NULL, token, &w->svc, "bad", "password1", "N", "b", &err),
			 APP_EINVALID);
	assert_int_equal(
	    members_signup(NULL, token, &w->svc, "new9@example.com", "password1", "N", "b", &err),
	    0);
	assert_int_equal(
	    members_create_admin(NULL, &w->svc, "root@example.com", "password1", "R", &err), 0);
	/* a busy hash gives the sign-up back */
	w->crypto.fail_next = APP_EBUSY;
	assert_int_equal(
	    members_signup(NULL, token, &w->svc, "new10@example.com", "password1", "N", "c", &err),
	    APP_EBUSY);
	for (int i = 0; i < 3; i++) {
		snprintf(email, sizeof(email), "c%d@example.com", i);
		assert_int_equal(
		    members_signup(NULL, token, &w->svc, email, "password1", "N", "c", &err), 0);
	}
	/* an hour later the window has moved on */
	w->clock.now += w->svc.cfg.signup_window_ms + 1;
	assert_int_equal(
	    members_signup(NULL, token, &w->svc, "later@example.com", "password1", "N", "a", &err),
	    0);
}

static void test_oldest_sessions_are_revoked(void **state)
{
	fake_world *w = *state;
	char tokens[6][CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	signup_kim(w);
	for (int i = 0; i < 6; i++) {
		w->clock.now += 1000;
		assert_int_equal(login(w, tokens[i], "password1", "a", &err), 0);
	}
	for (int i = 0; i < 6; i++)
		assert_int_equal(members_authenticate(&m, &w->svc, tokens[i], &err),
				 i < 3 ? APP_EUNAUTH : 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
	    T(test_locked_pair_checks_no_password),
	    T(test_success_clears_only_its_own_client),
	    T(test_a_client_across_accounts),
	    T(test_busy_checks_are_given_back),
	    T(test_signups_per_client),
	    T(test_oldest_sessions_are_revoked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
