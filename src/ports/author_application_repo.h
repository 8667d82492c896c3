/*
 * Author applications repository. A member has at most one application that
 * is pending or approved; rejected ones stay as history.
 */
#ifndef WL_PORT_AUTHOR_APPLICATION_REPO_H
#define WL_PORT_AUTHOR_APPLICATION_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/authors/application.h"
#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct author_application_repo_vtbl {
	/*
	 * Stores a new application; sets a->id. APP_EEXISTS when the member
	 * already has a pending or approved one.
	 */
	int (*insert)(void *self, uow_tx *tx, author_application *a, app_err *err);
	/* Fills out (the caller disposes it). APP_ENOTFOUND when absent. */
	int (*find)(author_application *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* The member's newest application. APP_ENOTFOUND when there is none. */
	int (*find_latest)(author_application *out, void *self, uow_tx *tx, int64_t member_id,
			   app_err *err);
	/*
	 * Writes the decision of a (status, reason, decided_by, decided_at) only
	 * if the stored application is still pending: APP_ECONFLICT otherwise,
	 * APP_ENOTFOUND when absent.
	 */
	int (*decide)(void *self, uow_tx *tx, const author_application *a, app_err *err);
	/*
	 * Up to limit applications with id < before_id (0: from the newest) in
	 * status (0: any), newest first, into out (capacity limit; the caller
	 * disposes each). Writes the count to *n.
	 */
	int (*list)(author_application *out, size_t *n, void *self, uow_tx *tx,
		    author_app_status status, int64_t before_id, size_t limit, app_err *err);
} author_application_repo_vtbl;

typedef struct author_application_repo {
	const author_application_repo_vtbl *vtbl;
	void *self;
} author_application_repo;

static inline int author_application_repo_insert(const author_application_repo *r, uow_tx *tx,
						 author_application *a, app_err *err)
{
	return r->vtbl->insert(r->self, tx, a, err);
}
static inline int author_application_repo_find(author_application *out,
					       const author_application_repo *r, uow_tx *tx,
					       int64_t id, app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, err);
}
static inline int author_application_repo_find_latest(author_application *out,
						      const author_application_repo *r, uow_tx *tx,
						      int64_t member_id, app_err *err)
{
	return r->vtbl->find_latest(out, r->self, tx, member_id, err);
}
static inline int author_application_repo_decide(const author_application_repo *r, uow_tx *tx,
						 const author_application *a, app_err *err)
{
	return r->vtbl->decide(r->self, tx, a, err);
}
static inline int author_application_repo_list(author_application *out, size_t *n,
					       const author_application_repo *r, uow_tx *tx,
					       author_app_status status, int64_t before_id,
					       size_t limit, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, status, before_id, limit, err);
}

#endif
