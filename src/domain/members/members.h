/*
 * The members core: sign-up, login and sessions, the points wallet and the
 * monthly subscription. Every use case that writes runs in one unit of work
 * and appends its events to the outbox in that same unit. The `_in` forms
 * join the caller's open unit tx instead (another core's use case, through
 * a port); a read's `_in` form takes tx or NULL.
 */
#ifndef WL_DOMAIN_MEMBERS_H
#define WL_DOMAIN_MEMBERS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/members/member.h"
#include "ports/account_mail.h"
#include "ports/account_token_repo.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/events.h"
#include "ports/idempotency_repo.h"
#include "ports/ledger_repo.h"
#include "ports/limiter.h"
#include "ports/member_repo.h"
#include "ports/order_repo.h"
#include "ports/payment.h"
#include "ports/payment_gateway.h"
#include "ports/session_repo.h"
#include "ports/subscription_repo.h"
#include "ports/uow.h"

#define MEMBERS_CHARGE_MIN 100
#define MEMBERS_CHARGE_MAX 1000000
#define MEMBERS_DAY_MS	   (24LL * 3600 * 1000)

typedef struct members_config {
	int64_t subscription_price;	/* points per period, default 9,900 */
	int64_t subscription_period_ms; /* default 30 days */
	int64_t session_ttl_ms;		/* default 30 days */
	int login_max_failures_account; /* per account and client, in login_window_ms: 10 */
	int login_max_failures_addr;	/* per client across accounts: 50 */
	int64_t login_window_ms;	/* default 15 minutes */
	int64_t reset_ttl_ms;		/* a password reset link lives this long, default 30 min */
	int64_t email_change_ttl_ms;	/* an e-mail confirmation link, default 24 h */
	int reset_max_per_email;	/* reset mails per address per hour, default 3 */
	int reset_max_per_client;	/* reset requests per client per hour, default 20 */
	int signup_limit;		/* sign-ups per client in signup_window_ms; 0: none */
	int64_t signup_window_ms;	/* default 1 hour */
	int sessions_per_member;	/* the newest are kept, older ones revoked: 20 */
} members_config;

/* The defaults named above. */
members_config members_config_default(void);

typedef struct members_deps {
	member_repo members;
	session_repo sessions;
	ledger_repo ledger;
	subscription_repo subscriptions;
	idempotency_repo idempotency;
	uow uow;
	event_publisher events;
	clock_port clock;
	crypto_port crypto;
	payment_port payments;
	limiter_port limiter;
	order_repo orders;	 /* points orders and refunds (orders.h) */
	payment_gateway gateway; /* the provider of points orders */
	account_token_repo tokens;
	account_mail mail;
} members_deps;

typedef struct members_service {
	members_deps d;
	members_config cfg;
} members_service;

void members_service_init(members_service *svc, const members_deps *deps,
			  const members_config *cfg);

/*
 * Creates a reader account and its first session. APP_EINVALID for a bad
 * e-mail, name or password (err->field names it), APP_EEXISTS "email_taken",
 * APP_ELIMITED (extra retryAfter) past signup_limit sign-ups from
 * client_addr (which may be NULL: not limited), APP_EBUSY when passwords
 * cannot be hashed now.
 */
int members_signup(member *out, char token[CRYPTO_TOKEN_MAX], members_service *svc,
		   const char *email, const char *password, const char *name,
		   const char *client_addr, app_err *err);

/*
 * Opens a session. APP_EUNAUTH "invalid_credentials" for an unknown e-mail or
 * a wrong password (the same answer for both), APP_ELIMITED (extra
 * retryAfter) when too many attempts failed for this account from this
 * client, or from this client overall; APP_EBUSY when passwords cannot be
 * checked now. A member has at most sessions_per_member sessions: the oldest
 * beyond that are revoked.
 */
int members_login(member *out, char token[CRYPTO_TOKEN_MAX], members_service *svc,
		  const char *email, const char *password, const char *client_addr, app_err *err);

/* Revokes the session of token; an unknown token is not an error. */
int members_logout(members_service *svc, const char *token, app_err *err);

/* The member a token belongs to. APP_EUNAUTH when unknown or expired. */
int members_authenticate(member *out, members_service *svc, const char *token, app_err *err);

int members_get(member *out, members_service *svc, int64_t member_id, app_err *err);
int members_get_in(member *out, members_service *svc, uow_tx *tx, int64_t member_id, app_err *err);

/* Creates an admin (admin create on the CLI); APP_EEXISTS if the e-mail is taken. */
int members_create_admin(member *out, members_service *svc, const char *email, const char *password,
			 const char *name, app_err *err);

/* Grants roles to a member; idempotent. */
int members_grant_role(members_service *svc, int64_t member_id, unsigned roles, app_err *err);

/*
 * Buys points through the payment provider. amount must be 100..1,000,000.
 * With an idempotency key (may be NULL; the rule of domain/common/
 * idempotency.h), a repeated request by the same member returns the first
 * result and charges nothing. The provider is asked with no unit of work
 * open: the intent is recorded under the key first, the outcome committed
 * after; a charge whose outcome was never committed is finished by a retry
 * with its key.
 */
int members_charge(int64_t *balance, ledger_entry *entry, members_service *svc, int64_t member_id,
		   int64_t amount, const char *idem_key, app_err *err);

/*
 * Spends points inside the caller's open unit tx: debits, appends the
 * ledger row and points.spent; book_id and episode (0: none) say what it
 * paid for. APP_EINSUFFICIENT (with "price" and "balance" extras) when the
 * balance does not cover amount.
 */
int members_wallet_spend_in(ledger_entry *entry, members_service *svc, uow_tx *tx,
			    int64_t member_id, int64_t amount, ledger_kind kind, int64_t book_id,
			    int64_t number, app_err *err);

/* Newest first; *next_before is 0 when there is no further page. */
int members_ledger(ledger_entry *out, size_t *n, int64_t *next_before, members_service *svc,
		   int64_t member_id, int64_t before_id, size_t limit, app_err *err);

/* One ledger entry by id. APP_ENOTFOUND. */
int members_ledger_entry(ledger_entry *out, members_service *svc, int64_t id, app_err *err);
int members_ledger_entry_in(ledger_entry *out, members_service *svc, uow_tx *tx, int64_t id,
			    app_err *err);

/* A subscription as its member sees it: active now, and what a (re)subscription costs. */
typedef struct subscription_view {
	subscription s;
	int active;
	int64_t price;
} subscription_view;

void members_subscription_view_of(subscription_view *out, members_service *svc,
				  const subscription *s);

/* The member's subscription as seen now (members_subscription_view_of). */
int members_subscription_view(subscription_view *out, members_service *svc, int64_t member_id,
			      app_err *err);

/* The member's subscription; never subscribed gives expires_at 0. */
int members_subscription(subscription *out, members_service *svc, int64_t member_id, app_err *err);
int members_subscription_in(subscription *out, members_service *svc, uow_tx *tx, int64_t member_id,
			    app_err *err);

/*
 * 1 when the member's subscription is active now, 0 when not, a negative
 * APP_E* code when the lookup failed (never "not subscribed").
 */
int members_subscription_active(members_service *svc, int64_t member_id, app_err *err);
int members_subscription_active_in(members_service *svc, uow_tx *tx, int64_t member_id,
				   app_err *err);

/*
 * Pays one period and starts or extends the subscription. APP_EINSUFFICIENT.
 * With an idempotency key (may be NULL), a repeated request answers the
 * subscription as it stands and pays nothing.
 */
int members_subscribe(subscription *out, members_service *svc, int64_t member_id, int auto_renew,
		      const char *idem_key, app_err *err);

/* Turns auto-renew off; the subscription stays active to its expiry. */
int members_cancel_renewal(subscription *out, members_service *svc, int64_t member_id,
			   app_err *err);

/*
 * The scheduler's pass: renews every due subscription with auto-renew and
 * enough points, expires the others. Counts what it did.
 */
int members_renew_due(int *renewed, int *expired, members_service *svc, app_err *err);

/* Members and the points they hold; with sessions_active (may be NULL) the live sessions. */
int members_totals(member_totals *out, int64_t *sessions_active, members_service *svc,
		   app_err *err);

/* Deletes the sessions that expired by now; *removed is how many. */
int members_purge_sessions(int64_t *removed, members_service *svc, app_err *err);

#include "domain/members/accounts.h"

#endif
