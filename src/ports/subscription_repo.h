/* Subscriptions repository: one row per member who ever subscribed. */
#ifndef WL_PORT_SUBSCRIPTION_REPO_H
#define WL_PORT_SUBSCRIPTION_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"
#include "domain/members/member.h"

typedef struct subscription_repo_vtbl {
	/* APP_ENOTFOUND when the member never subscribed. */
	int (*find)(subscription *out, void *self, uow_tx *tx, int64_t member_id, app_err *err);
	int (*save)(void *self, uow_tx *tx, const subscription *s, app_err *err);
	/* Members whose open subscription expired at or before now (capacity limit). */
	int (*list_due)(int64_t *member_ids, size_t *n, void *self, uow_tx *tx, int64_t now,
			size_t limit, app_err *err);
} subscription_repo_vtbl;

typedef struct subscription_repo {
	const subscription_repo_vtbl *vtbl;
	void *self;
} subscription_repo;

static inline int subscription_repo_find(subscription *out, const subscription_repo *r, uow_tx *tx,
					 int64_t member_id, app_err *err)
{
	return r->vtbl->find(out, r->self, tx, member_id, err);
}
static inline int subscription_repo_save(const subscription_repo *r, uow_tx *tx,
					 const subscription *s, app_err *err)
{
	return r->vtbl->save(r->self, tx, s, err);
}
static inline int subscription_repo_list_due(int64_t *ids, size_t *n, const subscription_repo *r,
					     uow_tx *tx, int64_t now, size_t limit, app_err *err)
{
	return r->vtbl->list_due(ids, n, r->self, tx, now, limit, err);
}

#endif
