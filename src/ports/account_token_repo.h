/*
 * One-time account tokens (password reset, e-mail change), stored under the
 * digest of the token: the database never holds a usable token.
 */
#ifndef WL_PORT_ACCOUNT_TOKEN_REPO_H
#define WL_PORT_ACCOUNT_TOKEN_REPO_H

#include <stdint.h>

#include "domain/common/err.h"
#include "domain/members/member.h"
#include "ports/crypto.h"
#include "ports/uow.h"

typedef struct account_token {
	char digest[CRYPTO_DIGEST_HEX];
	int64_t member_id;
	char purpose[16];			 /* "password_reset" | "email_change" */
	char new_email[MEMBER_EMAIL_MAX + 1];	 /* email_change only */
	int64_t created_at, expires_at, used_at; /* used_at 0: unused */
} account_token;

typedef struct account_token_repo_vtbl {
	int (*insert)(void *self, uow_tx *tx, const account_token *t, app_err *err);
	/* APP_ENOTFOUND when no token has this digest. */
	int (*find)(account_token *out, void *self, uow_tx *tx, const char *digest, app_err *err);
	/* Marks it used at now; APP_ECONFLICT when it was used already (a race lost). */
	int (*use)(void *self, uow_tx *tx, const char *digest, int64_t now, app_err *err);
	/* Removes the member's tokens of purpose (NULL: every purpose). */
	int (*remove_member)(void *self, uow_tx *tx, int64_t member_id, const char *purpose,
			     app_err *err);
} account_token_repo_vtbl;

typedef struct account_token_repo {
	const account_token_repo_vtbl *vtbl;
	void *self;
} account_token_repo;

static inline int account_token_insert(const account_token_repo *r, uow_tx *tx,
				       const account_token *t, app_err *err)
{
	return r->vtbl->insert(r->self, tx, t, err);
}
static inline int account_token_find(account_token *out, const account_token_repo *r, uow_tx *tx,
				     const char *digest, app_err *err)
{
	return r->vtbl->find(out, r->self, tx, digest, err);
}
static inline int account_token_use(const account_token_repo *r, uow_tx *tx, const char *digest,
				    int64_t now, app_err *err)
{
	return r->vtbl->use(r->self, tx, digest, now, err);
}
static inline int account_token_remove_member(const account_token_repo *r, uow_tx *tx,
					      int64_t member_id, const char *purpose, app_err *err)
{
	return r->vtbl->remove_member(r->self, tx, member_id, purpose, err);
}

#endif
