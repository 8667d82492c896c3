/*
 * Idempotency keys: (member, scope, key) -> the id of the result the first
 * request produced (a ledger entry for charges and purchases).
 */
#ifndef WL_PORT_IDEMPOTENCY_REPO_H
#define WL_PORT_IDEMPOTENCY_REPO_H

#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct idempotency_repo_vtbl {
	/* APP_ENOTFOUND when the key is new. */
	int (*find)(int64_t *result_id, void *self, uow_tx *tx, int64_t member_id,
		    const char *scope, const char *key, app_err *err);
	/* APP_EEXISTS when the key is already recorded. */
	int (*insert)(void *self, uow_tx *tx, int64_t member_id, const char *scope, const char *key,
		      int64_t result_id, int64_t now, app_err *err);
} idempotency_repo_vtbl;

typedef struct idempotency_repo {
	const idempotency_repo_vtbl *vtbl;
	void *self;
} idempotency_repo;

static inline int idempotency_repo_find(int64_t *result_id, const idempotency_repo *r, uow_tx *tx,
					int64_t member_id, const char *scope, const char *key,
					app_err *err)
{
	return r->vtbl->find(result_id, r->self, tx, member_id, scope, key, err);
}
static inline int idempotency_repo_insert(const idempotency_repo *r, uow_tx *tx, int64_t member_id,
					  const char *scope, const char *key, int64_t result_id,
					  int64_t now, app_err *err)
{
	return r->vtbl->insert(r->self, tx, member_id, scope, key, result_id, now, err);
}

#endif
