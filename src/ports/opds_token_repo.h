/*
 * OPDS catalog tokens (reader core): one per member at most, stored under
 * the digest of the token, so the database never holds a usable one. The
 * token is the catalog's address and authenticates its downloads; revoking
 * removes it.
 */
#ifndef WL_PORT_OPDS_TOKEN_REPO_H
#define WL_PORT_OPDS_TOKEN_REPO_H

#include <stdint.h>

#include "domain/common/err.h"
#include "ports/crypto.h"
#include "ports/uow.h"

typedef struct opds_token_repo_vtbl {
	/* Sets the member's token (replacing an older one) at created_at. */
	int (*put)(void *self, uow_tx *tx, int64_t member_id, const char *digest,
		   int64_t created_at, app_err *err);
	/* The member of a token digest. APP_ENOTFOUND when none has it. */
	int (*member)(int64_t *member_id, void *self, uow_tx *tx, const char *digest, app_err *err);
	/* When the member's token was made. APP_ENOTFOUND when they have none. */
	int (*created)(int64_t *at, void *self, uow_tx *tx, int64_t member_id, app_err *err);
	/* Removes the member's token; *removed 0 when there was none. */
	int (*remove)(int *removed, void *self, uow_tx *tx, int64_t member_id, app_err *err);
} opds_token_repo_vtbl;

typedef struct opds_token_repo {
	const opds_token_repo_vtbl *vtbl;
	void *self;
} opds_token_repo;

static inline int opds_token_put(const opds_token_repo *r, uow_tx *tx, int64_t member_id,
				 const char *digest, int64_t created_at, app_err *err)
{
	return r->vtbl->put(r->self, tx, member_id, digest, created_at, err);
}
static inline int opds_token_member(int64_t *member_id, const opds_token_repo *r, uow_tx *tx,
				    const char *digest, app_err *err)
{
	return r->vtbl->member(member_id, r->self, tx, digest, err);
}
static inline int opds_token_created(int64_t *at, const opds_token_repo *r, uow_tx *tx,
				     int64_t member_id, app_err *err)
{
	return r->vtbl->created(at, r->self, tx, member_id, err);
}
static inline int opds_token_remove(int *removed, const opds_token_repo *r, uow_tx *tx,
				    int64_t member_id, app_err *err)
{
	return r->vtbl->remove(removed, r->self, tx, member_id, err);
}

#endif
