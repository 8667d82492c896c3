/* Follows: members following works and authors. */
#ifndef WL_PORT_FOLLOW_REPO_H
#define WL_PORT_FOLLOW_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/community/notification.h"
#include "ports/uow.h"

typedef struct follow_repo_vtbl {
	/* Idempotent: following twice keeps the first. */
	int (*add)(void *self, uow_tx *tx, int64_t member_id, follow_kind kind, int64_t target,
		   int64_t now, app_err *err);
	/* Removing what is not there is not an error. */
	int (*remove)(void *self, uow_tx *tx, int64_t member_id, follow_kind kind, int64_t target,
		      app_err *err);
	/* Whether member_id (0: nobody) follows target, and how many do. */
	int (*state)(int *following, int64_t *followers, void *self, uow_tx *tx, int64_t member_id,
		     follow_kind kind, int64_t target, app_err *err);
	/* The member's follows, newest first, created_at < before (0: from the newest). */
	int (*list)(follow *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int64_t before, size_t cap, app_err *err);
	int (*remove_member)(void *self, uow_tx *tx, int64_t member_id, app_err *err);
} follow_repo_vtbl;

typedef struct follow_repo {
	const follow_repo_vtbl *vtbl;
	void *self;
} follow_repo;

static inline int follow_repo_add(const follow_repo *r, uow_tx *tx, int64_t member_id,
				  follow_kind kind, int64_t target, int64_t now, app_err *err)
{
	return r->vtbl->add(r->self, tx, member_id, kind, target, now, err);
}
static inline int follow_repo_remove(const follow_repo *r, uow_tx *tx, int64_t member_id,
				     follow_kind kind, int64_t target, app_err *err)
{
	return r->vtbl->remove(r->self, tx, member_id, kind, target, err);
}
static inline int follow_repo_state(int *following, int64_t *followers, const follow_repo *r,
				    uow_tx *tx, int64_t member_id, follow_kind kind, int64_t target,
				    app_err *err)
{
	return r->vtbl->state(following, followers, r->self, tx, member_id, kind, target, err);
}
static inline int follow_repo_list(follow *out, size_t *n, const follow_repo *r, uow_tx *tx,
				   int64_t member_id, int64_t before, size_t cap, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, member_id, before, cap, err);
}
static inline int follow_repo_remove_member(const follow_repo *r, uow_tx *tx, int64_t member_id,
					    app_err *err)
{
	return r->vtbl->remove_member(r->self, tx, member_id, err);
}

#endif
