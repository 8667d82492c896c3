/*
 * Idempotency keys: (member, scope, key) -> what the key was first used for
 * (the request, as the use case spells it) and the id of the result that
 * request produced (a ledger entry for charges, purchases and
 * subscriptions). A result id of 0 is a request in flight: its intent is
 * recorded, its outcome not yet (a charge while the provider is asked).
 * Use cases go through domain/common/idempotency.h, which holds the rule.
 */
#ifndef WL_PORT_IDEMPOTENCY_REPO_H
#define WL_PORT_IDEMPOTENCY_REPO_H

#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"

#define IDEM_REQUEST_MAX 96 /* a request's text, NUL included */

typedef struct idem_entry {
	int64_t result_id; /* 0 while in flight */
	char request[IDEM_REQUEST_MAX];
} idem_entry;

typedef struct idempotency_repo_vtbl {
	/* APP_ENOTFOUND when the key is new. */
	int (*find)(idem_entry *out, void *self, uow_tx *tx, int64_t member_id, const char *scope,
		    const char *key, app_err *err);
	/* APP_EEXISTS when the key is already recorded. */
	int (*insert)(void *self, uow_tx *tx, int64_t member_id, const char *scope, const char *key,
		      const char *request, int64_t result_id, int64_t now, app_err *err);
	/* Sets the result of a key in flight. APP_ENOTFOUND when no such key is in flight. */
	int (*complete)(void *self, uow_tx *tx, int64_t member_id, const char *scope,
			const char *key, int64_t result_id, app_err *err);
	/* Forgets a key in flight (its request failed for good); none is not an error. */
	int (*remove)(void *self, uow_tx *tx, int64_t member_id, const char *scope, const char *key,
		      app_err *err);
} idempotency_repo_vtbl;

typedef struct idempotency_repo {
	const idempotency_repo_vtbl *vtbl;
	void *self;
} idempotency_repo;

static inline int idempotency_repo_find(idem_entry *out, const idempotency_repo *r, uow_tx *tx,
					int64_t member_id, const char *scope, const char *key,
					app_err *err)
{
	return r->vtbl->find(out, r->self, tx, member_id, scope, key, err);
}
static inline int idempotency_repo_insert(const idempotency_repo *r, uow_tx *tx, int64_t member_id,
					  const char *scope, const char *key, const char *request,
					  int64_t result_id, int64_t now, app_err *err)
{
	return r->vtbl->insert(r->self, tx, member_id, scope, key, request, result_id, now, err);
}
static inline int idempotency_repo_complete(const idempotency_repo *r, uow_tx *tx,
					    int64_t member_id, const char *scope, const char *key,
					    int64_t result_id, app_err *err)
{
	return r->vtbl->complete(r->self, tx, member_id, scope, key, result_id, err);
}
static inline int idempotency_repo_remove(const idempotency_repo *r, uow_tx *tx, int64_t member_id,
					  const char *scope, const char *key, app_err *err)
{
	return r->vtbl->remove(r->self, tx, member_id, scope, key, err);
}

#endif
