/* Sessions repository: sessions are stored under the digest of their token. */
#ifndef WL_PORT_SESSION_REPO_H
#define WL_PORT_SESSION_REPO_H

#include <stdint.h>

#include "domain/common/err.h"
#include "domain/members/member.h"
#include "ports/uow.h"

typedef struct session_repo_vtbl {
	int (*insert)(void *self, uow_tx *tx, const char *digest, int64_t member_id,
		      int64_t created_at, int64_t expires_at, app_err *err);
	/* APP_ENOTFOUND when no session has this digest. */
	int (*find)(int64_t *member_id, int64_t *expires_at, void *self, uow_tx *tx,
		    const char *digest, app_err *err);
	/*
	 * The session's member and expiry in one lookup (what every signed-in
	 * request asks first). APP_ENOTFOUND when no session has this digest;
	 * out->id is 0 when the session's member is gone.
	 */
	int (*find_member)(member *out, int64_t *expires_at, void *self, uow_tx *tx,
			   const char *digest, app_err *err);
	/* Removing an absent session is not an error. */
	int (*remove)(void *self, uow_tx *tx, const char *digest, app_err *err);
	/* Deletes sessions expired at now; writes how many went. */
	int (*purge_expired)(int64_t *removed, void *self, uow_tx *tx, int64_t now, app_err *err);
	int (*count_active)(int64_t *out, void *self, uow_tx *tx, int64_t now, app_err *err);
	/* Removes every session of member_id but the one of keep_digest (NULL: all). */
	int (*remove_member)(void *self, uow_tx *tx, int64_t member_id, const char *keep_digest,
			     app_err *err);
	/*
	 * Keeps member_id's `keep` newest sessions (by creation; keep_digest's
	 * always among them) and removes the others.
	 */
	int (*prune)(void *self, uow_tx *tx, int64_t member_id, const char *keep_digest, int keep,
		     app_err *err);
} session_repo_vtbl;

typedef struct session_repo {
	const session_repo_vtbl *vtbl;
	void *self;
} session_repo;

static inline int session_repo_insert(const session_repo *r, uow_tx *tx, const char *digest,
				      int64_t member_id, int64_t created_at, int64_t expires_at,
				      app_err *err)
{
	return r->vtbl->insert(r->self, tx, digest, member_id, created_at, expires_at, err);
}
static inline int session_repo_find(int64_t *member_id, int64_t *expires_at, const session_repo *r,
				    uow_tx *tx, const char *digest, app_err *err)
{
	return r->vtbl->find(member_id, expires_at, r->self, tx, digest, err);
}
static inline int session_repo_find_member(member *out, int64_t *expires_at, const session_repo *r,
					   uow_tx *tx, const char *digest, app_err *err)
{
	return r->vtbl->find_member(out, expires_at, r->self, tx, digest, err);
}
static inline int session_repo_remove(const session_repo *r, uow_tx *tx, const char *digest,
				      app_err *err)
{
	return r->vtbl->remove(r->self, tx, digest, err);
}
static inline int session_repo_purge_expired(int64_t *removed, const session_repo *r, uow_tx *tx,
					     int64_t now, app_err *err)
{
	return r->vtbl->purge_expired(removed, r->self, tx, now, err);
}
static inline int session_repo_count_active(int64_t *out, const session_repo *r, uow_tx *tx,
					    int64_t now, app_err *err)
{
	return r->vtbl->count_active(out, r->self, tx, now, err);
}

static inline int session_repo_remove_member(const session_repo *r, uow_tx *tx, int64_t member_id,
					     const char *keep_digest, app_err *err)
{
	return r->vtbl->remove_member(r->self, tx, member_id, keep_digest, err);
}

static inline int session_repo_prune(const session_repo *r, uow_tx *tx, int64_t member_id,
				     const char *keep_digest, int keep, app_err *err)
{
	return r->vtbl->prune(r->self, tx, member_id, keep_digest, keep, err);
}

#endif
