/* Shared by the members core's files; not for other modules. */
#ifndef WL_DOMAIN_MEMBERS_INTERNAL_H
#define WL_DOMAIN_MEMBERS_INTERNAL_H

#include "domain/members/members.h"

/* Trimmed, ASCII-lowered, checked; APP_EINVALID (field "email"). */
int members_email_normalize(char out[MEMBER_EMAIL_MAX + 1], const char *email, app_err *err);
/* The password rules; APP_EINVALID naming field. */
int members_password_valid(const char *password, const char *field, app_err *err);
/* A new session for member_id in tx; the token is written to token. */
int members_session_open(char token[CRYPTO_TOKEN_MAX], members_service *svc, uow_tx *tx,
			 int64_t member_id, app_err *err);

#endif
