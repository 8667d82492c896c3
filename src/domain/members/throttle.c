/*
 * Who may try again: failures count per account and client address, so that
 * nobody can lock an account for its owner (a correct password from an
 * address that has not failed always signs in), and per address, so that
 * one address cannot guess across every account. A hit is taken before the
 * password is checked and given back when it does not count: a hundred
 * parallel guesses get at most the limit of checks. A success clears only
 * the count of its own address for that account; no request touches another
 * address's counts.
 */
#include "domain/members/throttle.h"

#include <stdio.h>
#include <string.h>

#define RESET_WINDOW_MS (3600LL * 1000)

/* The limiter's refusal as the core's error: 429 with the seconds to wait. */
static int limited(int64_t retry_ms, app_err *err, const char *what)
{
	app_err_set(err, APP_ELIMITED, "too_many_attempts", NULL, "%s", what);
	app_err_extra(err, "retryAfter", retry_ms > 0 ? (retry_ms + 999) / 1000 : 1);
	return APP_ELIMITED;
}

int members_throttle_login(members_throttle *t, members_service *svc, const char *email,
			   const char *client, app_err *err)
{
	limiter_rule rules[2];
	int64_t retry;

	memset(t, 0, sizeof(*t));
	t->at = clock_now_ms(&svc->d.clock);
	client = client && *client ? client : "-";
	/* the client first: it has no '|', so two (client, e-mail) pairs never share a key */
	snprintf(t->keys[0], sizeof(t->keys[0]), "login:%s|%s", client, email);
	for (char *p = t->keys[0]; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a'); /* as the e-mail lookup compares them */
	snprintf(t->keys[1], sizeof(t->keys[1]), "login-client:%s", client);
	t->nkeys = 2;
	rules[0] = (limiter_rule){t->keys[0], svc->cfg.login_max_failures_account,
				  svc->cfg.login_window_ms};
	rules[1] =
	    (limiter_rule){t->keys[1], svc->cfg.login_max_failures_addr, svc->cfg.login_window_ms};
	if (limiter_take(&svc->d.limiter, rules, 2, t->at, &retry)) {
		t->nkeys = 0;
		return limited(retry, err, "too many failed sign-ins; try again later");
	}
	return 0;
}

int members_throttle_signup(members_throttle *t, members_service *svc, const char *client,
			    app_err *err)
{
	limiter_rule rule;
	int64_t retry;

	memset(t, 0, sizeof(*t));
	if (svc->cfg.signup_limit <= 0 || !client)
		return 0;
	t->at = clock_now_ms(&svc->d.clock);
	snprintf(t->keys[0], sizeof(t->keys[0]), "signup:%s", *client ? client : "-");
	rule = (limiter_rule){t->keys[0], svc->cfg.signup_limit, svc->cfg.signup_window_ms};
	if (limiter_take(&svc->d.limiter, &rule, 1, t->at, &retry))
		return limited(retry, err, "too many sign-ups from this address; try again later");
	t->nkeys = 1;
	return 0;
}

int members_throttle_reset(members_service *svc, const char *email, const char *client,
			   app_err *err)
{
	members_throttle t;
	limiter_rule rules[2];
	int64_t retry;

	memset(&t, 0, sizeof(t));
	snprintf(t.keys[0], sizeof(t.keys[0]), "reset-client:%s", client && *client ? client : "-");
	snprintf(t.keys[1], sizeof(t.keys[1]), "reset-email:%s", email);
	rules[0] = (limiter_rule){t.keys[0], svc->cfg.reset_max_per_client, RESET_WINDOW_MS};
	rules[1] = (limiter_rule){t.keys[1], svc->cfg.reset_max_per_email, RESET_WINDOW_MS};
	if (limiter_take(&svc->d.limiter, rules, 2, clock_now_ms(&svc->d.clock), &retry))
		return limited(retry, err, "too many requests; try again later");
	return 0;
}

void members_throttle_settle(members_service *svc, const members_throttle *t,
			     members_throttle_outcome outcome)
{
	if (outcome == THROTTLE_COUNTED)
		return;
	for (int i = 0; i < t->nkeys; i++) {
		/* a login's first key is its account and client: a success clears it */
		if (outcome == THROTTLE_SIGNED_IN && i == 0)
			limiter_reset(&svc->d.limiter, t->keys[0]);
		else
			limiter_give_back(&svc->d.limiter, t->keys[i], t->at);
	}
}
