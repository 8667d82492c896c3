#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"
#include "domain/members/members.h"
#include "domain/members/members_internal.h"
#include "domain/members/throttle.h"

static int64_t now_ms(members_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

static int invalid_token(app_err *err)
{
	return app_err_set(err, APP_EINVALID, "invalid_token", "token",
			   "this link is unknown, used or expired");
}

static int wrong_password(app_err *err, const char *field)
{
	return app_err_set(err, APP_EUNAUTH, "invalid_credentials", field, "the password is wrong");
}

static int live_member(member *out, members_service *svc, uow_tx *tx, int64_t id, app_err *err)
{
	int rc = member_repo_find_by_id(out, &svc->d.members, tx, id, err);

	if (rc == 0 && out->deleted_at)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "member not found");
	return rc;
}

/*
 * Checks password against member_id's hash (slow: call outside any unit),
 * under the sign-in throttle of that account and client: a stolen session
 * cannot guess the password faster than a login could.
 */
static int check_password(member *out, members_service *svc, int64_t member_id,
			  const char *password, const char *field, const char *client, app_err *err)
{
	members_throttle t;
	int rc = live_member(out, svc, NULL, member_id, err);

	if (rc)
		return rc;
	if (!password)
		return wrong_password(err, field);
	if ((rc = members_throttle_login(&t, svc, out->email, client, err)))
		return rc;
	rc = crypto_password_verify(&svc->d.crypto, out->password_hash, password, err);
	members_throttle_settle(svc, &t,
				rc < 0	 ? THROTTLE_NOT_COUNTED
				: rc > 0 ? THROTTLE_SIGNED_IN
					 : THROTTLE_COUNTED);
	if (rc < 0)
		return rc;
	return rc ? 0 : wrong_password(err, field);
}

int members_password_change(members_service *svc, int64_t member_id, const char *current,
			    const char *next, const char *keep_token, const char *client,
			    app_err *err)
{
	char keep[CRYPTO_DIGEST_HEX];
	member m;
	uow_tx *tx;
	int rc;

	if ((rc = members_password_valid(next, "newPassword", err)) ||
	    (rc = check_password(&m, svc, member_id, current, "currentPassword", client, err)) ||
	    (rc = crypto_password_hash(m.password_hash, &svc->d.crypto, next, err)))
		return rc;
	if (keep_token)
		crypto_token_digest(keep, &svc->d.crypto, keep_token);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = member_repo_save_account(&svc->d.members, tx, &m, err)) ||
	    (rc = session_repo_remove_member(&svc->d.sessions, tx, member_id,
					     keep_token ? keep : NULL, err)) ||
	    (rc = account_token_remove_member(&svc->d.tokens, tx, member_id, "password_reset",
					      err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

/* A new token of purpose for m in tx; the raw token is written to token. */
static int token_issue(char token[CRYPTO_TOKEN_MAX], members_service *svc, uow_tx *tx,
		       const member *m, const char *purpose, const char *new_email, int64_t ttl,
		       app_err *err)
{
	account_token t;
	int rc;

	memset(&t, 0, sizeof(t));
	if ((rc = crypto_token_new(token, &svc->d.crypto, err)))
		return rc;
	crypto_token_digest(t.digest, &svc->d.crypto, token);
	t.member_id = m->id;
	snprintf(t.purpose, sizeof(t.purpose), "%s", purpose);
	if (new_email)
		snprintf(t.new_email, sizeof(t.new_email), "%s", new_email);
	t.created_at = now_ms(svc);
	t.expires_at = t.created_at + ttl;
	if ((rc = account_token_remove_member(&svc->d.tokens, tx, m->id, purpose, err)))
		return rc;
	return account_token_insert(&svc->d.tokens, tx, &t, err);
}

int members_password_reset_request(members_service *svc, const char *email, const char *lang,
				   const char *client_addr, app_err *err)
{
	char norm[MEMBER_EMAIL_MAX + 1], token[CRYPTO_TOKEN_MAX];
	member m;
	uow_tx *tx;
	int rc;

	if ((rc = members_email_normalize(norm, email, err)) ||
	    (rc = members_throttle_reset(svc, norm, client_addr, err)))
		return rc;
	rc = member_repo_find_by_email(&m, &svc->d.members, NULL, norm, err);
	if (rc == APP_ENOTFOUND || (rc == 0 && m.deleted_at))
		return 0; /* the same answer as for an account: nothing is told */
	if (rc)
		return rc;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = token_issue(token, svc, tx, &m, "password_reset", NULL, svc->cfg.reset_ttl_ms,
			      err)) ||
	    (rc = account_mail_password_reset(&svc->d.mail, tx, &m, token, lang, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

/* The live, unused token of purpose behind raw in tx. */
static int token_take(account_token *t, members_service *svc, uow_tx *tx, const char *raw,
		      const char *purpose, app_err *err)
{
	char digest[CRYPTO_DIGEST_HEX];
	int rc;

	if (!raw || !*raw || strlen(raw) >= CRYPTO_TOKEN_MAX)
		return invalid_token(err);
	crypto_token_digest(digest, &svc->d.crypto, raw);
	rc = account_token_find(t, &svc->d.tokens, tx, digest, err);
	if (rc == APP_ENOTFOUND || (rc == 0 && (strcmp(t->purpose, purpose) != 0 || t->used_at ||
						t->expires_at <= now_ms(svc))))
		return invalid_token(err);
	if (rc)
		return rc;
	rc = account_token_use(&svc->d.tokens, tx, digest, now_ms(svc), err);
	return rc == APP_ECONFLICT ? invalid_token(err) : rc;
}

int members_password_reset_confirm(member *out, members_service *svc, const char *token,
				   const char *password, app_err *err)
{
	char hash[CRYPTO_HASH_MAX];
	account_token t;
	member m;
	uow_tx *tx;
	int rc;

	if ((rc = members_password_valid(password, "password", err)) ||
	    (rc = crypto_password_hash(hash, &svc->d.crypto, password, err)))
		return rc;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = token_take(&t, svc, tx, token, "password_reset", err)))
		goto done;
	rc = live_member(&m, svc, tx, t.member_id, err);
	if (rc == APP_ENOTFOUND)
		rc = invalid_token(err);
	if (rc)
		goto done;
	snprintf(m.password_hash, sizeof(m.password_hash), "%s", hash);
	if ((rc = member_repo_save_account(&svc->d.members, tx, &m, err)) == 0)
		rc = session_repo_remove_member(&svc->d.sessions, tx, m.id, NULL, err);
done:
	if ((rc = uow_finish(tx, rc, err)) == 0 && out)
		*out = m;
	return rc;
}

static int email_taken(app_err *err)
{
	return app_err_set(err, APP_EEXISTS, "email_taken", "email",
			   "an account with this email already exists");
}

/* APP_EEXISTS when an account other than member_id has email. */
static int email_free(members_service *svc, uow_tx *tx, const char *email, int64_t member_id,
		      app_err *err)
{
	member other;
	int rc = member_repo_find_by_email(&other, &svc->d.members, tx, email, err);

	if (rc == APP_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	return other.id == member_id ? app_err_set(err, APP_EINVALID, NULL, "email",
						   "this is the account's address already")
				     : email_taken(err);
}

int members_email_change_request(members_service *svc, int64_t member_id, const char *password,
				 const char *new_email, const char *lang, const char *client,
				 app_err *err)
{
	char norm[MEMBER_EMAIL_MAX + 1], token[CRYPTO_TOKEN_MAX];
	member m;
	uow_tx *tx;
	int rc;

	if ((rc = members_email_normalize(norm, new_email, err)) ||
	    (rc = check_password(&m, svc, member_id, password, "password", client, err)) ||
	    (rc = email_free(svc, NULL, norm, member_id, err)))
		return rc;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = token_issue(token, svc, tx, &m, "email_change", norm,
			      svc->cfg.email_change_ttl_ms, err)) ||
	    (rc = account_mail_email_confirm(&svc->d.mail, tx, &m, norm, token, lang, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int members_email_change_confirm(member *out, members_service *svc, const char *token,
				 const char *lang, app_err *err)
{
	char old[MEMBER_EMAIL_MAX + 1];
	account_token t;
	domain_event ev;
	member m;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = token_take(&t, svc, tx, token, "email_change", err)))
		goto done;
	rc = live_member(&m, svc, tx, t.member_id, err);
	if (rc == APP_ENOTFOUND)
		rc = invalid_token(err);
	if (rc || (rc = email_free(svc, tx, t.new_email, m.id, err)))
		goto done;
	snprintf(old, sizeof(old), "%s", m.email);
	snprintf(m.email, sizeof(m.email), "%s", t.new_email);
	rc = member_repo_save_account(&svc->d.members, tx, &m, err);
	if (rc == APP_EEXISTS)
		rc = email_taken(err);
	if (rc || (rc = account_mail_email_changed(&svc->d.mail, tx, &m, old, lang, err)))
		goto done;
	domain_event_init(&ev, "member.email_changed");
	domain_event_add_int(&ev, "memberId", m.id);
	rc = event_publish_owned(&svc->d.events, tx, &ev, err);
done:
	if ((rc = uow_finish(tx, rc, err)) == 0 && out)
		*out = m;
	return rc;
}

/* The deletion itself, in tx: the row anonymised, sessions and tokens gone, renewal off. */
static int delete_in(members_service *svc, uow_tx *tx, member *m, app_err *err)
{
	subscription s;
	domain_event ev;
	int rc;

	snprintf(m->email, sizeof(m->email), "deleted-%lld@deleted.invalid", (long long)m->id);
	m->name[0] = '\0';
	snprintf(m->password_hash, sizeof(m->password_hash), "!deleted"); /* verifies nothing */
	m->banned_until = 0;
	m->ban_reason[0] = '\0';
	m->deleted_at = now_ms(svc);
	if ((rc = member_repo_save_account(&svc->d.members, tx, m, err)) ||
	    (rc = session_repo_remove_member(&svc->d.sessions, tx, m->id, NULL, err)) ||
	    (rc = account_token_remove_member(&svc->d.tokens, tx, m->id, NULL, err)) ||
	    (rc = members_subscription_in(&s, svc, tx, m->id, err)))
		return rc;
	if (s.expires_at && s.auto_renew) {
		s.auto_renew = 0;
		if ((rc = subscription_repo_save(&svc->d.subscriptions, tx, &s, err)))
			return rc;
	}
	domain_event_init(&ev, "member.deleted");
	domain_event_add_int(&ev, "memberId", m->id);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

int members_delete(members_service *svc, int64_t member_id, const char *password,
		   const char *client, app_err *err)
{
	member m;
	uow_tx *tx;
	int rc;

	if ((rc = check_password(&m, svc, member_id, password, "password", client, err)))
		return rc;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = live_member(&m, svc, tx, member_id, err)) || (rc = delete_in(svc, tx, &m, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int members_search(member *out, size_t *n, int64_t *next_before, members_service *svc,
		   const char *q, unsigned role, int64_t before_id, size_t limit, app_err *err)
{
	int rc;

	if (q && strlen(q) > 200)
		return app_err_set(err, APP_EINVALID, NULL, "q", "the query is too long");
	rc = member_repo_search(out, n, &svc->d.members, NULL, q, role, before_id, limit, err);
	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

/* A member another admin may act on, in tx. */
static int target_of(member *m, members_service *svc, uow_tx *tx, int64_t admin_id,
		     int64_t member_id, app_err *err)
{
	int rc = live_member(m, svc, tx, member_id, err);

	if (rc)
		return rc;
	if (member_id == admin_id)
		return app_err_set(err, APP_ECONFLICT, "not_allowed", NULL,
				   "an admin cannot do this to their own account");
	return 0;
}

int members_set_role(member *out, members_service *svc, int64_t admin_id, int64_t member_id,
		     unsigned role, int granted, app_err *err)
{
	member m;
	uow_tx *tx;
	int rc;

	if (role != MEMBER_ROLE_AUTHOR && role != MEMBER_ROLE_ADMIN)
		return app_err_set(err, APP_EINVALID, NULL, "role", "role must be author or admin");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = granted ? live_member(&m, svc, tx, member_id, err)
		     : target_of(&m, svc, tx, admin_id, member_id, err);
	if (rc)
		goto done;
	m.roles = granted ? (m.roles | role) : (m.roles & ~role);
	rc = member_repo_save_account(&svc->d.members, tx, &m, err);
done:
	if ((rc = uow_finish(tx, rc, err)) == 0 && out)
		*out = m;
	return rc;
}

static int ban_validate(int days, const char *reason, app_err *err)
{
	size_t n = reason ? strlen(reason) : 0;

	if (days < 0 || days > MEMBERS_BAN_DAYS_MAX)
		return app_err_set(err, APP_EINVALID, NULL, "days", "days must be 0 to %d",
				   MEMBERS_BAN_DAYS_MAX);
	if (days > 0 && (n == 0 || !text_utf8_valid(reason, n) ||
			 text_utf8_chars(reason, n) > MEMBER_BAN_REASON_MAX))
		return app_err_set(err, APP_EINVALID, NULL, "reason",
				   "a ban needs a reason of 1 to %d characters",
				   MEMBER_BAN_REASON_MAX);
	return 0;
}

int members_ban(member *out, members_service *svc, int64_t admin_id, int64_t member_id, int days,
		const char *reason, app_err *err)
{
	domain_event ev;
	member m;
	uow_tx *tx;
	int rc;

	if ((rc = ban_validate(days, reason, err)) || (rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = target_of(&m, svc, tx, admin_id, member_id, err)))
		goto done;
	if (days > 0 && (m.roles & MEMBER_ROLE_ADMIN)) {
		rc = app_err_set(err, APP_ECONFLICT, "not_allowed", NULL,
				 "an admin cannot be banned");
		goto done;
	}
	m.banned_until = days > 0 ? now_ms(svc) + (int64_t)days * MEMBERS_DAY_MS : 0;
	snprintf(m.ban_reason, sizeof(m.ban_reason), "%s", days > 0 ? reason : "");
	if ((rc = member_repo_save_account(&svc->d.members, tx, &m, err)))
		goto done;
	domain_event_init(&ev, days > 0 ? "member.banned" : "member.unbanned");
	domain_event_add_int(&ev, "memberId", m.id);
	domain_event_add_int(&ev, "by", admin_id);
	if (days > 0)
		domain_event_add_int(&ev, "until", m.banned_until);
	rc = event_publish_owned(&svc->d.events, tx, &ev, err);
done:
	if ((rc = uow_finish(tx, rc, err)) == 0 && out)
		*out = m;
	return rc;
}

int members_standing(const member *m, int64_t now, app_err *err)
{
	if (m->banned_until > now) {
		app_err_set(err, APP_EFORBIDDEN, "banned", NULL,
			    "this account may not write until the ban ends");
		app_err_extra(err, "until", m->banned_until);
		return APP_EFORBIDDEN;
	}
	return 0;
}
