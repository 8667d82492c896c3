/*
 * Throttling rules of the members core (sign-in, sign-up, password resets), on the limiter
 * port. Internal to the core: members.c calls these around the slow work
 * (a password hash) they protect.
 */
#ifndef WL_DOMAIN_MEMBERS_THROTTLE_H
#define WL_DOMAIN_MEMBERS_THROTTLE_H

#include "domain/members/members.h"

/* The hits one attempt took, to settle once its outcome is known. */
typedef struct members_throttle {
	char keys[2][MEMBER_EMAIL_MAX + 96];
	int nkeys;
	int64_t at;
} members_throttle;

/* How an attempt ended: whether its hits keep counting. */
typedef enum {
	THROTTLE_COUNTED,   /* a wrong password, a sign-up made or refused: the hits stay */
	THROTTLE_SIGNED_IN, /* a login succeeded: this client's count for the account is cleared */
	THROTTLE_NOT_COUNTED, /* the attempt could not be judged (busy, storage): hits given back */
} members_throttle_outcome;

/*
 * Takes a login attempt of client for email before its password is checked:
 * one hit per account and client (login_max_failures_account) and one per
 * client (login_max_failures_addr), atomically. APP_ELIMITED
 * "too_many_attempts" with the extra retryAfter (seconds) when either is full.
 */
int members_throttle_login(members_throttle *t, members_service *svc, const char *email,
			   const char *client, app_err *err);

/* Takes a sign-up of client (signup_limit per signup_window_ms; 0: none). APP_ELIMITED. */
int members_throttle_signup(members_throttle *t, members_service *svc, const char *client,
			    app_err *err);

/*
 * Takes a password-reset request of client for the normalised email, both
 * limits at once (reset_max_per_client, reset_max_per_email an hour); these
 * hits always count. APP_ELIMITED "too_many_attempts" with retryAfter.
 */
int members_throttle_reset(members_service *svc, const char *email, const char *client,
			   app_err *err);

/* Settles an attempt's hits. */
void members_throttle_settle(members_service *svc, const members_throttle *t,
			     members_throttle_outcome outcome);

#endif
