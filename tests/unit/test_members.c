/* The members core against fakes: accounts, sessions, wallet, subscription. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

#define DAY MEMBERS_DAY_MS

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

static member signup_ok(fake_world *w, const char *email)
{
	char token[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	assert_int_equal(members_signup(&m, token, &w->svc, email, "password1", "Kim", NULL, &err),
			 0);
	return m;
}

static void test_signup_creates_reader_session_and_event(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	member m, again;
	app_err err;

	assert_int_equal(members_signup(&m, token, &w->svc, "  Kim@Example.COM ", "password1",
					" 김독자 ", NULL, &err),
			 0);
	assert_string_equal(m.email, "kim@example.com");
	assert_string_equal(m.name, "김독자");
	assert_int_equal(m.roles, MEMBER_ROLE_READER);
	assert_string_equal(m.password_hash, "hash:password1");
	assert_int_equal(w->uow.commits, 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "member.signed_up"), 1);
	assert_int_equal(members_authenticate(&again, &w->svc, token, &err), 0);
	assert_int_equal(again.id, m.id);
}

static void test_signup_rejects_bad_fields_without_writing(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	struct {
		const char *email, *password, *name, *field;
	} cases[] = {
	    {"not-an-email", "password1", "Kim", "email"},
	    {"a@b", "password1", "Kim", "email"},
	    {"a b@c.de", "password1", "Kim", "email"},
	    {"a@b.co", "short", "Kim", "password"},
	    {"a@b.co", "1234567", "Kim", "password"},
	    {"a@b.co", "password1", "   ", "name"},
	    {"a@b.co", "password1", "\xff\xfe", "name"},
	    {"a@b.co", "password1", "123456789012345678901234567890123456789012345678901", "name"},
	    {NULL, "password1", "Kim", "email"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		app_err err;

		app_err_clear(&err);
		assert_int_equal(members_signup(NULL, token, &w->svc, cases[i].email,
						cases[i].password, cases[i].name, NULL, &err),
				 APP_EINVALID);
		assert_string_equal(err.field, cases[i].field);
		assert_string_equal(err.word, "validation_failed");
	}
	assert_int_equal(w->members.n, 0);
	assert_int_equal(w->uow.begins, 0);
	assert_int_equal(w->outbox.n, 0);
}

static void test_signup_duplicate_email_is_email_taken(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	app_err err;

	signup_ok(w, "kim@example.com");
	assert_int_equal(
	    members_signup(NULL, token, &w->svc, "KIM@example.com", "password2", "K2", NULL, &err),
	    APP_EEXISTS);
	assert_string_equal(err.word, "email_taken");
	assert_int_equal(w->members.n, 1);
	assert_int_equal(w->uow.rollbacks, 1);
	assert_int_equal(fake_outbox_count(&w->outbox, NULL), 1);
}

static void test_login_logout_and_expiry(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	member m;
	app_err err;

	signup_ok(w, "kim@example.com");
	assert_int_equal(
	    members_login(&m, token, &w->svc, "KIM@example.com", "password1", "1.2.3.4", &err), 0);
	assert_int_equal(members_authenticate(&m, &w->svc, token, &err), 0);
	assert_int_equal(members_logout(&w->svc, token, &err), 0);
	assert_int_equal(members_authenticate(&m, &w->svc, token, &err), APP_EUNAUTH);

	assert_int_equal(
	    members_login(&m, token, &w->svc, "kim@example.com", "password1", "x", &err), 0);
	w->clock.now += 31 * DAY;
	assert_int_equal(members_authenticate(&m, &w->svc, token, &err), APP_EUNAUTH);
	assert_int_equal(members_authenticate(&m, &w->svc, "", &err), APP_EUNAUTH);
	assert_int_equal(members_authenticate(&m, &w->svc, "token-999", &err), APP_EUNAUTH);
}

static void test_login_wrong_password_and_unknown_email_look_alike(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	app_err e1, e2;

	signup_ok(w, "kim@example.com");
	assert_int_equal(
	    members_login(NULL, token, &w->svc, "kim@example.com", "wrong-pass", "a", &e1),
	    APP_EUNAUTH);
	assert_int_equal(
	    members_login(NULL, token, &w->svc, "nobody@example.com", "password1", "a", &e2),
	    APP_EUNAUTH);
	assert_string_equal(e1.word, "invalid_credentials");
	assert_string_equal(e1.word, e2.word);
	assert_int_equal(w->crypto.hashes, 2); /* the signup, and the unknown e-mail's decoy */
	assert_string_equal(e1.msg, e2.msg);
}

static void test_login_rate_limited_per_account_and_address_then_window_passes(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX];
	app_err err;

	signup_ok(w, "kim@example.com");
	for (int i = 0; i < w->svc.cfg.login_max_failures_account; i++)
		assert_int_equal(
		    members_login(NULL, token, &w->svc, "kim@example.com", "nope-nope", "a", &err),
		    APP_EUNAUTH);
	/* even the right password is refused from that address while limited */
	assert_int_equal(
	    members_login(NULL, token, &w->svc, "KIM@example.com", "password1", "a", &err),
	    APP_ELIMITED);
	assert_string_equal(err.word, "too_many_attempts");
	/* the owner, elsewhere, signs in at once */
	assert_int_equal(
	    members_login(NULL, token, &w->svc, "kim@example.com", "password1", "c", &err), 0);
	w->clock.now += w->svc.cfg.login_window_ms + 1;
	assert_int_equal(
	    members_login(NULL, token, &w->svc, "kim@example.com", "password1", "a", &err), 0);
}

static void test_login_rate_limited_per_address(void **state)
{
	fake_world *w = *state;
	char token[CRYPTO_TOKEN_MAX], email[64];
	app_err err;

	signup_ok(w, "kim@example.com");
	for (int i = 0; i < w->svc.cfg.login_max_failures_addr; i++) {
		snprintf(email, sizeof(email), "guess%d@example.com", i);
		members_login(NULL, token, &w->svc, email, "whatever1", "6.6.6.6", &err);
	}
	assert_int_equal(
	    members_login(NULL, token, &w->svc, "kim@example.com", "password1", "6.6.6.6", &err),
	    APP_ELIMITED);
	assert_int_equal(
	    members_login(NULL, token, &w->svc, "kim@example.com", "password1", "7.7.7.7", &err),
	    0);
}

static void test_charge_credits_ledger_and_event(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com");
	ledger_entry e;
	int64_t balance;
	app_err err;

	assert_int_equal(members_charge(&balance, &e, &w->svc, m.id, 5000, NULL, &err), 0);
	assert_int_equal(balance, 5000);
	assert_int_equal(e.amount, 5000);
	assert_int_equal(e.kind, LEDGER_CHARGE);
	assert_int_equal(e.balance_after, 5000);
	assert_int_equal(w->payments.charged, 5000);
	assert_int_equal(fake_outbox_count(&w->outbox, "points.charged"), 1);
	assert_int_equal(members_charge(&balance, &e, &w->svc, m.id, 100, NULL, &err), 0);
	assert_int_equal(balance, 5100);
}

static void test_charge_bounds(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com");
	int64_t amounts[] = {0, -100, 99, 1000001, INT64_MIN};
	app_err err;

	for (size_t i = 0; i < sizeof(amounts) / sizeof(amounts[0]); i++) {
		assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, amounts[i], NULL, &err),
				 APP_EINVALID);
		assert_string_equal(err.field, "amount");
	}
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 1000000, NULL, &err), 0);
	assert_int_equal(w->payments.charges, 1);
	assert_int_equal(w->ledger.n, 1);
}

static void test_charge_idempotency_key_returns_first_result(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com");
	member other = signup_ok(w, "lee@example.com");
	ledger_entry e1, e2;
	int64_t b1, b2;
	app_err err;

	assert_int_equal(members_charge(&b1, &e1, &w->svc, m.id, 3000, "key-1", &err), 0);
	assert_int_equal(members_charge(&b2, &e2, &w->svc, m.id, 3000, "key-1", &err), 0);
	assert_int_equal(e1.id, e2.id);
	assert_int_equal(b1, b2);
	assert_int_equal(w->payments.charges, 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "points.charged"), 1);
	/* the same key by another member is another request */
	assert_int_equal(members_charge(&b2, &e2, &w->svc, other.id, 3000, "key-1", &err), 0);
	assert_int_not_equal(e1.id, e2.id);
	assert_int_equal(w->payments.charges, 2);
}

static void test_charge_declined_by_provider_changes_nothing(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com"), after;
	app_err err;

	w->payments.fail_next = APP_EUPSTREAM;
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 1000, "k", &err), APP_EUPSTREAM);
	assert_int_equal(members_get(&after, &w->svc, m.id, &err), 0);
	assert_int_equal(after.points, 0);
	assert_int_equal(w->ledger.n, 0);
	assert_int_equal(w->idem.n, 0);
	assert_int_equal(w->payments.charged_in_unit, 0); /* asked with no unit open */
	assert_int_equal(w->uow.depth, 0);
	/* the declined key was forgotten: a retry is a new request */
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 1000, "k", &err), 0);
	assert_int_equal(members_get(&after, &w->svc, m.id, &err), 0);
	assert_int_equal(after.points, 1000);
}

/* The one rule: the same key for another amount changes nothing and says so. */
static void test_charge_key_reused_for_another_amount(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com"), after;
	app_err err;

	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 3000, "key-1", &err), 0);
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 4000, "key-1", &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "idempotency_key_reused");
	assert_int_equal(members_get(&after, &w->svc, m.id, &err), 0);
	assert_int_equal(after.points, 3000);
	assert_int_equal(w->payments.charges, 1);
	assert_int_equal(w->ledger.n, 1);
	assert_int_equal(w->payments.charged_in_unit, 0);
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 100, "", &err), APP_EINVALID);
	assert_string_equal(err.field, "idempotencyKey");
}

/*
 * A charge whose intent was recorded but whose outcome never was (the
 * process stopped while the provider was asked) is finished by a retry with
 * its key: the provider, idempotent on the key, takes the money once.
 */
static void test_charge_in_flight_is_finished_by_a_retry(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com"), after;
	char ref[PAYMENT_REF_MAX], key[64];
	payment_port p = fake_payment_port(&w->payments);
	ledger_entry e;
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_begin(&tx, &w->svc.d.uow, &err), 0);
	assert_int_equal(idempotency_repo_insert(&w->svc.d.idempotency, tx, m.id, "charge", "k",
						 "amount=2000", 0, w->clock.now, &err),
			 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	snprintf(key, sizeof(key), "m%lld-k", (long long)m.id); /* as the core names it */
	assert_int_equal(payment_charge(ref, &p, m.id, 2000, key, &err), 0); /* it was taken */
	assert_int_equal(members_charge(NULL, &e, &w->svc, m.id, 2000, "k", &err), 0);
	assert_int_equal(w->payments.charges, 1);
	assert_int_equal(members_get(&after, &w->svc, m.id, &err), 0);
	assert_int_equal(after.points, 2000);
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 2000, "k", &err), 0);
	assert_int_equal(w->ledger.n, 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "points.charged"), 1);
}

/* The wallet spends inside a caller's unit: one unit per spend here. */
static int spend(fake_world *w, ledger_entry *e, int64_t member_id, int64_t amount, int64_t book_id,
		 app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &w->svc.d.uow, err)))
		return rc;
	rc = members_wallet_spend_in(e, &w->svc, tx, member_id, amount, LEDGER_PURCHASE, book_id, 0,
				     err);
	if (rc) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

static void test_spend_never_overdraws(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com"), after;
	ledger_entry e;
	app_err err;

	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 1000, NULL, &err), 0);
	assert_int_equal(spend(w, &e, m.id, 600, 7, &err), 0);
	assert_int_equal(e.amount, -600);
	assert_int_equal(e.book_id, 7);
	assert_int_equal(e.balance_after, 400);
	assert_int_equal(spend(w, &e, m.id, 600, 8, &err), APP_EINSUFFICIENT);
	assert_string_equal(err.word, "insufficient_points");
	assert_int_equal(err.nextra, 2);
	assert_int_equal(err.extra[0], 600);
	assert_int_equal(err.extra[1], 400);
	assert_int_equal(members_get(&after, &w->svc, m.id, &err), 0);
	assert_int_equal(after.points, 400);
	assert_int_equal(fake_outbox_count(&w->outbox, "points.spent"), 1);
}

static void test_ledger_pages_newest_first(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com");
	ledger_entry page[2];
	int64_t next;
	size_t n;
	app_err err;

	for (int i = 1; i <= 5; i++)
		assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, i * 100, NULL, &err), 0);
	assert_int_equal(members_ledger(page, &n, &next, &w->svc, m.id, 0, 2, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(page[0].amount, 500);
	assert_int_equal(page[1].amount, 400);
	assert_int_equal(next, page[1].id);
	assert_int_equal(members_ledger(page, &n, &next, &w->svc, m.id, next, 2, &err), 0);
	assert_int_equal(page[0].amount, 300);
	assert_int_equal(members_ledger(page, &n, &next, &w->svc, m.id, next, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(page[0].amount, 100);
	assert_int_equal(next, 0);
}

static void test_subscribe_debits_and_extends(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com"), after;
	int64_t t0 = w->clock.now;
	subscription s;
	app_err err;

	assert_int_equal(members_subscribe(&s, &w->svc, m.id, 1, NULL, &err), APP_EINSUFFICIENT);
	assert_int_equal(w->subs.n, 0);
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 20000, NULL, &err), 0);
	assert_int_equal(members_subscribe(&s, &w->svc, m.id, 1, NULL, &err), 0);
	assert_true(subscription_is_active(&s, w->clock.now));
	assert_int_equal(s.expires_at, t0 + 30 * DAY);
	assert_int_equal(fake_outbox_count(&w->outbox, "subscription.started"), 1);
	w->clock.now += 10 * DAY;
	assert_int_equal(members_subscribe(&s, &w->svc, m.id, 0, NULL, &err), 0);
	assert_int_equal(s.expires_at, t0 + 60 * DAY); /* extended from the old expiry */
	assert_false(s.auto_renew);
	assert_int_equal(fake_outbox_count(&w->outbox, "subscription.renewed"), 1);
	assert_int_equal(members_get(&after, &w->svc, m.id, &err), 0);
	assert_int_equal(after.points, 20000 - 2 * 9900);
	assert_int_equal(members_subscribe(&s, &w->svc, m.id, 0, NULL, &err), APP_EINSUFFICIENT);
}

static void test_subscribe_with_a_key_pays_once(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com"), after;
	subscription s1, s2;
	app_err err;

	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 20000, NULL, &err), 0);
	assert_int_equal(members_subscribe(&s1, &w->svc, m.id, 1, "sub-1", &err), 0);
	assert_int_equal(members_subscribe(&s2, &w->svc, m.id, 1, "sub-1", &err), 0);
	assert_int_equal(s1.expires_at, s2.expires_at);
	assert_int_equal(members_subscribe(&s2, &w->svc, m.id, 0, "sub-1", &err), APP_EINVALID);
	assert_string_equal(err.word, "idempotency_key_reused");
	assert_int_equal(members_get(&after, &w->svc, m.id, &err), 0);
	assert_int_equal(after.points, 20000 - 9900);
	assert_int_equal(fake_outbox_count(&w->outbox, "subscription.started"), 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "subscription.renewed"), 0);
	/* another key is another request: it extends */
	assert_int_equal(members_subscribe(&s2, &w->svc, m.id, 1, "sub-2", &err), 0);
	assert_int_equal(s2.expires_at, s1.expires_at + 30 * DAY);
	/* the answer of a poor member names the price, from the core */
	assert_int_equal(members_subscribe(&s2, &w->svc, m.id, 1, "sub-3", &err),
			 APP_EINSUFFICIENT);
	assert_int_equal(app_err_extra_get(&err, "subscriptionPrice", 0), 9900);
}

static void test_cancel_keeps_active_until_expiry(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com");
	subscription s;
	app_err err;

	assert_int_equal(members_cancel_renewal(&s, &w->svc, m.id, &err), APP_ENOTFOUND);
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 10000, NULL, &err), 0);
	assert_int_equal(members_subscribe(&s, &w->svc, m.id, 1, NULL, &err), 0);
	assert_int_equal(members_cancel_renewal(&s, &w->svc, m.id, &err), 0);
	assert_false(s.auto_renew);
	assert_true(members_subscription_active(&w->svc, m.id, &err));
}

static void test_scheduler_renews_or_expires(void **state)
{
	fake_world *w = *state;
	member rich = signup_ok(w, "rich@example.com"), poor = signup_ok(w, "poor@example.com");
	member off = signup_ok(w, "off@example.com"), after;
	subscription s;
	int renewed, expired;
	app_err err;

	assert_int_equal(members_charge(NULL, NULL, &w->svc, rich.id, 30000, NULL, &err), 0);
	assert_int_equal(members_charge(NULL, NULL, &w->svc, poor.id, 9900, NULL, &err), 0);
	assert_int_equal(members_charge(NULL, NULL, &w->svc, off.id, 20000, NULL, &err), 0);
	assert_int_equal(members_subscribe(&s, &w->svc, rich.id, 1, NULL, &err), 0);
	assert_int_equal(members_subscribe(&s, &w->svc, poor.id, 1, NULL, &err), 0);
	assert_int_equal(members_subscribe(&s, &w->svc, off.id, 0, NULL, &err), 0);

	w->clock.now += 29 * DAY;
	assert_int_equal(members_renew_due(&renewed, &expired, &w->svc, &err), 0);
	assert_int_equal(renewed + expired, 0);

	w->clock.now += 1 * DAY;
	assert_int_equal(members_renew_due(&renewed, &expired, &w->svc, &err), 0);
	assert_int_equal(renewed, 1);
	assert_int_equal(expired, 2);
	assert_true(members_subscription_active(&w->svc, rich.id, &err));
	assert_false(members_subscription_active(&w->svc, poor.id, &err));
	assert_false(members_subscription_active(&w->svc, off.id, &err));
	assert_int_equal(members_get(&after, &w->svc, rich.id, &err), 0);
	assert_int_equal(after.points, 30000 - 2 * 9900);
	assert_int_equal(members_get(&after, &w->svc, poor.id, &err), 0);
	assert_int_equal(after.points, 0);
	assert_int_equal(fake_outbox_count(&w->outbox, "subscription.expired"), 2);

	/* a second pass at the same time does nothing */
	assert_int_equal(members_renew_due(&renewed, &expired, &w->svc, &err), 0);
	assert_int_equal(renewed + expired, 0);
	/* the lapsed member can subscribe again, from now */
	assert_int_equal(members_charge(NULL, NULL, &w->svc, poor.id, 9900, NULL, &err), 0);
	assert_int_equal(members_subscribe(&s, &w->svc, poor.id, 1, NULL, &err), 0);
	assert_int_equal(s.expires_at, w->clock.now + 30 * DAY);
}

static void test_admin_and_role_grant(void **state)
{
	fake_world *w = *state;
	member a, m = signup_ok(w, "kim@example.com");
	app_err err;

	assert_int_equal(
	    members_create_admin(&a, &w->svc, "root@example.com", "password1", "Root", &err), 0);
	assert_true(a.roles & MEMBER_ROLE_ADMIN);
	assert_int_equal(members_grant_role(&w->svc, m.id, MEMBER_ROLE_AUTHOR, &err), 0);
	assert_int_equal(members_grant_role(&w->svc, m.id, MEMBER_ROLE_AUTHOR, &err), 0);
	assert_int_equal(members_get(&m, &w->svc, m.id, &err), 0);
	assert_int_equal(m.roles, MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR);
	assert_int_equal(members_grant_role(&w->svc, 999, MEMBER_ROLE_AUTHOR, &err), APP_ENOTFOUND);
}

static void test_storage_failure_rolls_back(void **state)
{
	fake_world *w = *state;
	member m = signup_ok(w, "kim@example.com"), after;
	app_err err;

	w->ledger.fail_next = APP_EIO;
	assert_int_equal(members_charge(NULL, NULL, &w->svc, m.id, 1000, NULL, &err), APP_EIO);
	assert_int_equal(w->uow.rollbacks, 1);
	assert_int_equal(w->uow.depth, 0);
	/* the fake cannot undo the credit; the rollback is what a real store relies on */
	assert_int_equal(members_get(&after, &w->svc, m.id, &err), 0);
	w->uow.fail_commit = 1;
	assert_int_not_equal(members_charge(NULL, NULL, &w->svc, m.id, 1000, NULL, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(test_signup_creates_reader_session_and_event),
	    T(test_signup_rejects_bad_fields_without_writing),
	    T(test_signup_duplicate_email_is_email_taken),
	    T(test_login_logout_and_expiry),
	    T(test_login_wrong_password_and_unknown_email_look_alike),
	    T(test_login_rate_limited_per_account_and_address_then_window_passes),
	    T(test_login_rate_limited_per_address),
	    T(test_charge_credits_ledger_and_event),
	    T(test_charge_bounds),
	    T(test_charge_idempotency_key_returns_first_result),
	    T(test_charge_declined_by_provider_changes_nothing),
	    T(test_charge_key_reused_for_another_amount),
	    T(test_charge_in_flight_is_finished_by_a_retry),
	    T(test_spend_never_overdraws),
	    T(test_ledger_pages_newest_first),
	    T(test_subscribe_debits_and_extends),
	    T(test_subscribe_with_a_key_pays_once),
	    T(test_cancel_keeps_active_until_expiry),
	    T(test_scheduler_renews_or_expires),
	    T(test_admin_and_role_grant),
	    T(test_storage_failure_rolls_back),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
