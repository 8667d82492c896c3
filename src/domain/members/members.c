#include "domain/members/members.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"
#include "domain/members/members_internal.h"
#include "domain/members/throttle.h"

members_config members_config_default(void)
{
	members_config c = {
	    .subscription_price = 9900,
	    .subscription_period_ms = 30 * MEMBERS_DAY_MS,
	    .session_ttl_ms = 30 * MEMBERS_DAY_MS,
	    .login_max_failures_account = 10,
	    .login_max_failures_addr = 50,
	    .login_window_ms = 15 * 60 * 1000,
	    .reset_ttl_ms = 30 * 60 * 1000,
	    .email_change_ttl_ms = MEMBERS_DAY_MS,
	    .reset_max_per_email = 3,
	    .reset_max_per_client = 20,
	    .signup_limit = 20,
	    .signup_window_ms = 60 * 60 * 1000,
	    .sessions_per_member = 20,
	};
	return c;
}

void members_service_init(members_service *svc, const members_deps *deps, const members_config *cfg)
{
	svc->d = *deps;
	svc->cfg = cfg ? *cfg : members_config_default();
}

static int64_t now_ms(members_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

static void lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

int members_email_normalize(char out[MEMBER_EMAIL_MAX + 1], const char *email, app_err *err)
{
	char *e;
	int rc = 0;

	if (!email)
		return app_err_set(err, APP_EINVALID, NULL, "email", "email is required");
	if (!(e = text_trim_dup(email)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (!text_utf8_valid(e, strlen(e)) || !text_email_plausible(e) ||
	    strlen(e) > MEMBER_EMAIL_MAX)
		rc = app_err_set(err, APP_EINVALID, NULL, "email", "email is not a valid address");
	else {
		lower_ascii(e);
		snprintf(out, MEMBER_EMAIL_MAX + 1, "%s", e);
	}
	free(e);
	return rc;
}

int members_password_valid(const char *password, const char *field, app_err *err)
{
	size_t plen = password ? strlen(password) : 0;

	if (!password || !text_utf8_valid(password, plen) ||
	    text_utf8_chars(password, plen) < MEMBER_PASSWORD_MIN)
		return app_err_set(err, APP_EINVALID, NULL, field,
				   "password must have at least %d characters",
				   MEMBER_PASSWORD_MIN);
	if (plen > MEMBER_PASSWORD_MAX)
		return app_err_set(err, APP_EINVALID, NULL, field,
				   "password must have at most %d bytes", MEMBER_PASSWORD_MAX);
	return 0;
}

/* Validates and normalises sign-up fields into m. */
static int validate_account(member *m, const char *email, const char *password, const char *name,
			    app_err *err)
{
	char *n = NULL;
	int rc;

	if (!email || !password || !name)
		return app_err_set(err, APP_EINVALID, NULL,
				   !email      ? "email"
				   : !password ? "password"
					       : "name",
				   "email, password and name are required");
	memset(m, 0, sizeof(*m));
	if ((rc = members_email_normalize(m->email, email, err)) ||
	    (rc = members_password_valid(password, "password", err)))
		return rc;
	if (!(n = text_trim_dup(name)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (!text_utf8_valid(n, strlen(n)) || text_utf8_chars(n, strlen(n)) < 1 ||
	    text_utf8_chars(n, strlen(n)) > MEMBER_NAME_MAX)
		rc = app_err_set(err, APP_EINVALID, NULL, "name",
				 "name must have 1 to %d characters", MEMBER_NAME_MAX);
	else
		snprintf(m->name, sizeof(m->name), "%s", n);
	free(n);
	return rc;
}

int members_session_open(char token[CRYPTO_TOKEN_MAX], members_service *svc, uow_tx *tx,
			 int64_t member_id, app_err *err)
{
	char digest[CRYPTO_DIGEST_HEX];
	int64_t now = now_ms(svc);
	int rc;

	rc = crypto_token_new(token, &svc->d.crypto, err);
	if (rc)
		return rc;
	crypto_token_digest(digest, &svc->d.crypto, token);
	if ((rc = session_repo_insert(&svc->d.sessions, tx, digest, member_id, now,
				      now + svc->cfg.session_ttl_ms, err)))
		return rc;
	/* a login storm on one account cannot pile up sessions: the oldest go */
	return session_repo_prune(&svc->d.sessions, tx, member_id, digest,
				  svc->cfg.sessions_per_member, err);
}

static int create_account(member *out, char token[CRYPTO_TOKEN_MAX], members_service *svc,
			  const char *email, const char *password, const char *name, unsigned roles,
			  const char *client, app_err *err)
{
	members_throttle t;
	member m;
	domain_event ev;
	uow_tx *tx;
	int rc;

	rc = validate_account(&m, email, password, name, err);
	if (rc || (rc = members_throttle_signup(&t, svc, client, err)))
		return rc;
	/* Hash outside the transaction: it is deliberately slow. */
	rc = crypto_password_hash(m.password_hash, &svc->d.crypto, password, err);
	if (rc) {
		members_throttle_settle(svc, &t, THROTTLE_NOT_COUNTED);
		return rc;
	}
	m.roles = roles;
	m.created_at = now_ms(svc);

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = member_repo_insert(&svc->d.members, tx, &m, err);
	if (rc == APP_EEXISTS)
		rc = app_err_set(err, APP_EEXISTS, "email_taken", "email",
				 "an account with this email already exists");
	if (rc)
		goto done;
	if (token && (rc = members_session_open(token, svc, tx, m.id, err)))
		goto done;
	domain_event_init(&ev, "member.signed_up");
	domain_event_add_int(&ev, "memberId", m.id);
	domain_event_add_str(&ev, "name", m.name);
	domain_event_add_bool(&ev, "admin", (roles & MEMBER_ROLE_ADMIN) != 0);
	rc = event_publish_owned(&svc->d.events, tx, &ev, err);
done:
	if ((rc = uow_finish(tx, rc, err)) == 0 && out)
		*out = m;
	return rc;
}

int members_signup(member *out, char token[CRYPTO_TOKEN_MAX], members_service *svc,
		   const char *email, const char *password, const char *name,
		   const char *client_addr, app_err *err)
{
	return create_account(out, token, svc, email, password, name, MEMBER_ROLE_READER,
			      client_addr, err);
}

int members_create_admin(member *out, members_service *svc, const char *email, const char *password,
			 const char *name, app_err *err)
{
	return create_account(out, NULL, svc, email, password, name,
			      MEMBER_ROLE_READER | MEMBER_ROLE_ADMIN, NULL, err);
}

/* 1 when password is m's, 0 when not (or no such member: as slow), negative when unknowable. */
static int check_password(members_service *svc, const member *m, int found, const char *password,
			  app_err *err)
{
	char burn[CRYPTO_HASH_MAX];
	int rc;

	if (found)
		return crypto_password_verify(&svc->d.crypto, m->password_hash, password, err);
	/* As slow as a wrong password, so timing does not tell which e-mails exist. */
	rc = crypto_password_hash(burn, &svc->d.crypto, password, err);
	return rc < 0 ? rc : 0;
}

int members_login(member *out, char token[CRYPTO_TOKEN_MAX], members_service *svc,
		  const char *email, const char *password, const char *client_addr, app_err *err)
{
	members_throttle t;
	member m;
	uow_tx *tx;
	int rc, ok;

	if (!email || !password)
		return app_err_set(err, APP_EINVALID, NULL, !email ? "email" : "password",
				   "email and password are required");
	/* the attempt is counted before the password is checked, not after */
	if ((rc = members_throttle_login(&t, svc, email, client_addr, err)))
		return rc;
	rc = member_repo_find_by_email(&m, &svc->d.members, NULL, email, err);
	ok = rc && rc != APP_ENOTFOUND ? rc : check_password(svc, &m, rc == 0, password, err);
	if (ok < 0) {
		members_throttle_settle(svc, &t, THROTTLE_NOT_COUNTED);
		return ok;
	}
	if (!ok) {
		members_throttle_settle(svc, &t, THROTTLE_COUNTED);
		return app_err_set(err, APP_EUNAUTH, "invalid_credentials", NULL,
				   "email or password is wrong");
	}
	members_throttle_settle(svc, &t, THROTTLE_SIGNED_IN);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = members_session_open(token, svc, tx, m.id, err))) {
		uow_rollback(tx);
		return rc;
	}
	if ((rc = uow_commit(tx, err)))
		return rc;
	if (out)
		*out = m;
	return 0;
}

int members_logout(members_service *svc, const char *token, app_err *err)
{
	char digest[CRYPTO_DIGEST_HEX];
	uow_tx *tx;
	int rc;

	crypto_token_digest(digest, &svc->d.crypto, token);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, session_repo_remove(&svc->d.sessions, tx, digest, err), err);
}

int members_authenticate(member *out, members_service *svc, const char *token, app_err *err)
{
	char digest[CRYPTO_DIGEST_HEX];
	int64_t expires;
	int rc;

	if (!token || !*token || strlen(token) >= CRYPTO_TOKEN_MAX)
		return app_err_set(err, APP_EUNAUTH, NULL, NULL, "a session is required");
	crypto_token_digest(digest, &svc->d.crypto, token);
	/* one lookup for both: every signed-in request starts here */
	rc = session_repo_find_member(out, &expires, &svc->d.sessions, NULL, digest, err);
	if (rc == APP_ENOTFOUND || (rc == 0 && expires <= now_ms(svc)))
		return app_err_set(err, APP_EUNAUTH, NULL, NULL,
				   "the session is unknown or expired");
	if (rc)
		return rc;
	if (!out->id)
		return app_err_set(err, APP_EUNAUTH, NULL, NULL, "the session's member is gone");
	return 0;
}

int members_get_in(member *out, members_service *svc, uow_tx *tx, int64_t member_id, app_err *err)
{
	return member_repo_find_by_id(out, &svc->d.members, tx, member_id, err);
}

int members_get(member *out, members_service *svc, int64_t member_id, app_err *err)
{
	return members_get_in(out, svc, NULL, member_id, err);
}

int members_grant_role(members_service *svc, int64_t member_id, unsigned roles, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, member_repo_add_roles(&svc->d.members, tx, member_id, roles, err),
			  err);
}

int members_purge_sessions(int64_t *removed, members_service *svc, app_err *err)
{
	uow_tx *tx;
	int rc;

	*removed = 0;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(
	    tx, session_repo_purge_expired(removed, &svc->d.sessions, tx, now_ms(svc), err), err);
}

int members_totals(member_totals *out, int64_t *sessions_active, members_service *svc, app_err *err)
{
	int rc = member_repo_totals(out, &svc->d.members, NULL, err);

	if (rc == 0 && sessions_active)
		rc = session_repo_count_active(sessions_active, &svc->d.sessions, NULL, now_ms(svc),
					       err);
	return rc;
}
