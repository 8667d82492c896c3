/*
 * Accounts of the members core: password change and reset, e-mail change
 * with confirmation, account deletion, and the admin's member desk (search,
 * roles, bans). Included by members.h; the service is members_service.
 */
#ifndef WL_DOMAIN_MEMBERS_ACCOUNTS_H
#define WL_DOMAIN_MEMBERS_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/members/member.h"

struct members_service;

#define MEMBERS_BAN_DAYS_MAX 3650

/*
 * Changes the password of member_id: current must match (APP_EUNAUTH
 * "invalid_credentials", field currentPassword), next follows the rules
 * (APP_EINVALID, field newPassword). Every other session of the member is
 * revoked; the one of keep_token (may be NULL) stays. The check of current
 * is under the sign-in throttle of the account and client (as login's).
 */
int members_password_change(struct members_service *svc, int64_t member_id, const char *current,
			    const char *next, const char *keep_token, const char *client,
			    app_err *err);

/*
 * Starts a password reset for email: when it belongs to a live account, a
 * one-time token (stored as its digest, valid reset_ttl_ms) is mailed in
 * the same unit of work, earlier reset tokens of the account are dropped.
 * Answers 0 whether or not the account exists, so the caller learns nothing.
 * APP_ELIMITED "too_many_attempts" past the per-address or per-client limits.
 */
int members_password_reset_request(struct members_service *svc, const char *email, const char *lang,
				   const char *client_addr, app_err *err);

/*
 * Sets password with a reset token and uses the token up; every session of
 * the member is revoked. APP_EINVALID "invalid_token" (field token) for an
 * unknown, used or expired token.
 */
int members_password_reset_confirm(member *out, struct members_service *svc, const char *token,
				   const char *password, app_err *err);

/*
 * Asks to move the account to new_email: password checked (APP_EUNAUTH),
 * APP_EEXISTS "email_taken" when another account has it; a confirmation
 * token (email_change_ttl_ms) is mailed to new_email. Nothing changes yet.
 * The password check is under the sign-in throttle of account and client.
 */
int members_email_change_request(struct members_service *svc, int64_t member_id,
				 const char *password, const char *new_email, const char *lang,
				 const char *client, app_err *err);

/*
 * Confirms an e-mail change: the account takes the new address, the old
 * address is told. APP_EINVALID "invalid_token"; APP_EEXISTS "email_taken"
 * when someone took the address meanwhile.
 */
int members_email_change_confirm(member *out, struct members_service *svc, const char *token,
				 const char *lang, app_err *err);

/*
 * Deletes the account of member_id after checking password (APP_EUNAUTH):
 * e-mail, name and password are replaced (the row stays, anonymised, so the
 * ledger, purchases and orders keep their member), sessions and tokens go,
 * auto-renew stops, and member.deleted tells the other modules to remove
 * what they hold about the member. The password check is under the sign-in
 * throttle of account and client.
 */
int members_delete(struct members_service *svc, int64_t member_id, const char *password,
		   const char *client, app_err *err);

/*
 * The admin's search: e-mail or name containing q, holding role (0: any),
 * newest first from before_id (0: the newest). *next_before is 0 at the end.
 */
int members_search(member *out, size_t *n, int64_t *next_before, struct members_service *svc,
		   const char *q, unsigned role, int64_t before_id, size_t limit, app_err *err);

/*
 * Grants or takes back one role (author or admin; every member is a
 * reader). An admin cannot take their own admin role (APP_ECONFLICT).
 */
int members_set_role(member *out, struct members_service *svc, int64_t admin_id, int64_t member_id,
		     unsigned role, int granted, app_err *err);

/*
 * Bans member_id from community writes for days (1..MEMBERS_BAN_DAYS_MAX)
 * with a reason (1..MEMBER_BAN_REASON_MAX characters); days 0 lifts the ban.
 * An admin cannot ban themselves or another admin (APP_ECONFLICT).
 * Publishes member.banned or member.unbanned.
 */
int members_ban(member *out, struct members_service *svc, int64_t admin_id, int64_t member_id,
		int days, const char *reason, app_err *err);

/*
 * 0 when m may write community content at now; APP_EFORBIDDEN "banned"
 * (extra "until", ms) while a ban runs. Every community write asks this.
 */
int members_standing(const member *m, int64_t now, app_err *err);

#endif
