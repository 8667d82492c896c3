/* The members core's accounts against fakes: resets, e-mail changes, deletion, bans, roles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

#define MINUTE (60LL * 1000)

static int setup(void **state)
{
	*state = fake_world_new(NULL);
	return 0;
}

static int teardown(void **state)
{
	fake_world_free(*state);
	return 0;
}

static member signup_ok(fake_world *w, const char *email, char token[CRYPTO_TOKEN_MAX])
{
	char spare[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	assert_int_equal(members_signup(&m, token ? token : spare, &w->svc, email, "password1",
					"Kim", NULL, &err),
			 0);
	return m;
}

static void test_reset_link_lives_thirty_minutes_and_works_once(void **state)
{
	fake_world *w = *state;
	char session[CRYPTO_TOKEN_MAX];
	member m = signup_ok(w, "kim@example.com", session), got;
	app_err err;

	assert_int_equal(
	    members_password_reset_request(&w->svc, "nobody@example.com", "ko", "a", &err), 0);
	assert_int_equal(w->mails.n, 0); /* nothing told, nothing sent */
	assert_int_equal(
	    members_password_reset_request(&w->svc, " KIM@example.com", "en", "a", &err), 0);
	assert_int_equal(w->mails.n, 1);
	assert_string_equal(w->mails.rows[0].to, "kim@example.com");
	assert_string_equal(w->mails.rows[0].lang, "en");
	/* stored under its digest, never as the token */
	assert_int_equal(w->tokens.n, 1);
	assert_string_not_equal(w->tokens.rows[0].digest, w->mails.rows[0].token);

	w->clock.now += 30 * MINUTE; /* exactly at the end: gone */
	assert_int_equal(members_password_reset_confirm(&got, &w->svc, w->mails.rows[0].token,
							"new-password", &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "invalid_token");

	assert_int_equal(
	    members_password_reset_request(&w->svc, "kim@example.com", "ko", "a", &err), 0);
	assert_int_equal(w->tokens.n, 1); /* the old link was replaced */
	w->clock.now += 29 * MINUTE;
	assert_int_equal(members_password_reset_confirm(&got, &w->svc, w->mails.rows[1].token,
							"new-password", &err),
			 0);
	assert_int_equal(got.id, m.id);
	assert_string_equal(w->members.rows[0].password_hash, "hash:new-password");
	assert_int_equal(members_authenticate(&got, &w->svc, session, &err), APP_EUNAUTH);
	assert_int_equal(members_password_reset_confirm(&got, &w->svc, w->mails.rows[1].token,
							"other-password", &err),
			 APP_EINVALID);
}

static void test_reset_mail_and_token_land_together(void **state)
{
	fake_world *w = *state;
	app_err err;

	signup_ok(w, "kim@example.com", NULL);
	w->mails.fail_next = APP_EIO;
	assert_int_equal(
	    members_password_reset_request(&w->svc, "kim@example.com", "ko", "a", &err), APP_EIO);
	assert_int_equal(w->tokens.n, 0);
	assert_int_equal(w->mails.n, 0);
}

static void test_reset_requests_are_limited(void **state)
{
	fake_world *w = *state;
	app_err err;

	signup_ok(w, "kim@example.com", NULL);
	for (int i = 0; i < 3; i++)
		assert_int_equal(
		    members_password_reset_request(&w->svc, "kim@example.com", NULL, "a", &err), 0);
	assert_int_equal(
	    members_password_reset_request(&w->svc, "kim@example.com", NULL, "b", &err),
	    APP_ELIMITED);
	w->clock.now += 61 * MINUTE;
	assert_int_equal(
	    members_password_reset_request(&w->svc, "kim@example.com", NULL, "b", &err), 0);
}

static void test_password_change_keeps_this_session(void **state)
{
	fake_world *w = *state;
	char mine[CRYPTO_TOKEN_MAX], other[CRYPTO_TOKEN_MAX];
	member m = signup_ok(w, "kim@example.com", mine), got;
	app_err err;

	assert_int_equal(
	    members_login(&got, other, &w->svc, "kim@example.com", "password1", "a", &err), 0);
	assert_int_equal(
	    members_password_change(&w->svc, m.id, "wrong-pass", "new-password", mine, "a", &err),
	    APP_EUNAUTH);
	assert_string_equal(err.field, "currentPassword");
	assert_int_equal(
	    members_password_change(&w->svc, m.id, "password1", "new-password", mine, "a", &err),
	    0);
	assert_int_equal(members_authenticate(&got, &w->svc, mine, &err), 0);
	assert_int_equal(members_authenticate(&got, &w->svc, other, &err), APP_EUNAUTH);
}

static void test_email_change_needs_the_link(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com", NULL), got;
	app_err err;

	signup_ok(w, "taken@example.com", NULL);
	assert_int_equal(members_email_change_request(&w->svc, m.id, "password1",
						      "taken@example.com", "ko", "a", &err),
			 APP_EEXISTS);
	assert_int_equal(members_email_change_request(&w->svc, m.id, "password1", "new@example.com",
						      "ko", "a", &err),
			 0);
	assert_string_equal(w->members.rows[0].email, "kim@example.com");
	assert_string_equal(w->mails.rows[0].to, "new@example.com");
	/* someone takes the address before the link is used */
	signup_ok(w, "NEW@example.com", NULL);
	assert_int_equal(
	    members_email_change_confirm(&got, &w->svc, w->mails.rows[0].token, "ko", &err),
	    APP_EEXISTS);
	assert_string_equal(err.word, "email_taken");
	assert_string_equal(w->members.rows[0].email, "kim@example.com");
}

static void test_delete_anonymises_and_stops_renewal(void **state)
{
	fake_world *w = *state;
	char session[CRYPTO_TOKEN_MAX];
	member m = signup_ok(w, "kim@example.com", session), got;
	subscription s;
	int64_t balance;
	app_err err;

	assert_int_equal(members_charge(&balance, NULL, &w->svc, m.id, 20000, NULL, &err), 0);
	assert_int_equal(members_subscribe(&s, &w->svc, m.id, 1, NULL, &err), 0);
	assert_int_equal(members_delete(&w->svc, m.id, "wrong-pass", "a", &err), APP_EUNAUTH);
	assert_int_equal(members_delete(&w->svc, m.id, "password1", "a", &err), 0);
	assert_int_equal(members_get(&got, &w->svc, m.id, &err), 0);
	assert_string_equal(got.email, "deleted-1@deleted.invalid");
	assert_string_equal(got.name, "");
	assert_true(got.deleted_at > 0);
	assert_int_equal(got.points, balance - 9900); /* the ledger still adds up */
	assert_int_equal(w->ledger.n, 2);
	assert_int_equal(members_authenticate(&got, &w->svc, session, &err), APP_EUNAUTH);
	assert_int_equal(members_subscription(&s, &w->svc, m.id, &err), 0);
	assert_false(s.auto_renew);
	assert_int_equal(fake_outbox_count(&w->outbox, "member.deleted"), 1);
	assert_int_equal(members_delete(&w->svc, m.id, "password1", "a", &err), APP_ENOTFOUND);
	signup_ok(w, "kim@example.com", NULL); /* the address is free */
}

static void test_ban_refuses_writes_until_it_ends(void **state)
{
	fake_world *w = *state;
	member admin, m = signup_ok(w, "kim@example.com", NULL), got;
	app_err err;

	assert_int_equal(
	    members_create_admin(&admin, &w->svc, "root@example.com", "password1", "Root", &err),
	    0);
	assert_int_equal(members_ban(&got, &w->svc, admin.id, m.id, 3, "", &err), APP_EINVALID);
	assert_int_equal(members_ban(&got, &w->svc, admin.id, admin.id, 3, "x", &err),
			 APP_ECONFLICT);
	assert_int_equal(members_ban(&got, &w->svc, m.id, admin.id, 3, "x", &err), APP_ECONFLICT);
	assert_int_equal(members_ban(&got, &w->svc, admin.id, m.id, 3, "도배", &err), 0);
	assert_int_equal(members_standing(&got, w->clock.now, &err), APP_EFORBIDDEN);
	assert_string_equal(err.word, "banned");
	assert_int_equal(err.extra[0], got.banned_until);
	assert_int_equal(members_standing(&got, got.banned_until, &err), 0);
	assert_int_equal(members_ban(&got, &w->svc, admin.id, m.id, 0, NULL, &err), 0);
	assert_int_equal(members_standing(&got, w->clock.now, &err), 0);
	assert_int_equal(fake_outbox_count(&w->outbox, "member.banned"), 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "member.unbanned"), 1);
}

static void test_roles_and_search(void **state)
{
	fake_world *w = *state;
	member admin, rows[10], got;
	int64_t next;
	size_t n;
	app_err err;

	signup_ok(w, "kim@example.com", NULL);
	signup_ok(w, "lee@example.com", NULL);
	assert_int_equal(
	    members_create_admin(&admin, &w->svc, "root@example.com", "password1", "Root", &err),
	    0);
	assert_int_equal(members_set_role(&got, &w->svc, admin.id, 2, MEMBER_ROLE_AUTHOR, 1, &err),
			 0);
	assert_int_equal(members_search(rows, &n, &next, &w->svc, "LEE", 0, 0, 10, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].roles, MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR);
	assert_int_equal(
	    members_search(rows, &n, &next, &w->svc, NULL, MEMBER_ROLE_AUTHOR, 0, 10, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(members_search(rows, &n, &next, &w->svc, NULL, 0, 0, 2, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].id, admin.id);
	assert_int_equal(next, rows[1].id);
	assert_int_equal(
	    members_set_role(&got, &w->svc, admin.id, admin.id, MEMBER_ROLE_ADMIN, 0, &err),
	    APP_ECONFLICT);
	assert_int_equal(members_set_role(&got, &w->svc, admin.id, 1, MEMBER_ROLE_READER, 0, &err),
			 APP_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_reset_link_lives_thirty_minutes_and_works_once,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reset_mail_and_token_land_together, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_reset_requests_are_limited, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_password_change_keeps_this_session, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_email_change_needs_the_link, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_delete_anonymises_and_stops_renewal, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_ban_refuses_writes_until_it_ends, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roles_and_search, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
