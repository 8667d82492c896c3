/* Comments on episodes, their replies and their likes (the community core's). */
#ifndef WL_PORT_COMMENT_REPO_H
#define WL_PORT_COMMENT_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/community/comment.h"
#include "ports/uow.h"

typedef struct comment_repo_vtbl {
	/* Stores c (likes 0, not hidden nor deleted); sets c->id. */
	int (*insert)(void *self, uow_tx *tx, comment *c, app_err *err);
	/* Any comment, hidden and deleted ones too (liked for viewer); APP_ENOTFOUND. */
	int (*find)(comment *out, void *self, uow_tx *tx, int64_t id, int64_t viewer, app_err *err);
	/* New text and spoiler flag of a comment that is not deleted; APP_ENOTFOUND. */
	int (*update)(void *self, uow_tx *tx, int64_t id, const char *text, int spoiler,
		      int64_t now, app_err *err);
	/* Marks it deleted and drops its text and likes; APP_ENOTFOUND when gone already. */
	int (*remove)(void *self, uow_tx *tx, int64_t id, int64_t now, app_err *err);
	int (*set_hidden)(void *self, uow_tx *tx, int64_t id, int hidden, int64_t now,
			  app_err *err);
	/* A page as comment_query says, at most cap. */
	int (*list)(comment *out, size_t *n, void *self, uow_tx *tx, const comment_query *q,
		    size_t cap, app_err *err);
	/* Visible comments and replies of an episode, deleted ones not counted. */
	int (*count)(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t number,
		     app_err *err);
	/* Likes (on) or takes the like back; *changed 0 when it already stood so. *likes after. */
	int (*like)(int *changed, int64_t *likes, void *self, uow_tx *tx, int64_t id,
		    int64_t member_id, int on, int64_t now, app_err *err);
	/* A deleted account: its comments deleted (as remove), its likes taken back. */
	int (*remove_member)(void *self, uow_tx *tx, int64_t member_id, int64_t now, app_err *err);
} comment_repo_vtbl;

typedef struct comment_repo {
	const comment_repo_vtbl *vtbl;
	void *self;
} comment_repo;

static inline int comment_insert(const comment_repo *r, uow_tx *tx, comment *c, app_err *err)
{
	return r->vtbl->insert(r->self, tx, c, err);
}
static inline int comment_find(comment *out, const comment_repo *r, uow_tx *tx, int64_t id,
			       int64_t viewer, app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, viewer, err);
}
static inline int comment_update(const comment_repo *r, uow_tx *tx, int64_t id, const char *text,
				 int spoiler, int64_t now, app_err *err)
{
	return r->vtbl->update(r->self, tx, id, text, spoiler, now, err);
}
static inline int comment_remove(const comment_repo *r, uow_tx *tx, int64_t id, int64_t now,
				 app_err *err)
{
	return r->vtbl->remove(r->self, tx, id, now, err);
}
static inline int comment_set_hidden(const comment_repo *r, uow_tx *tx, int64_t id, int hidden,
				     int64_t now, app_err *err)
{
	return r->vtbl->set_hidden(r->self, tx, id, hidden, now, err);
}
static inline int comment_list(comment *out, size_t *n, const comment_repo *r, uow_tx *tx,
			       const comment_query *q, size_t cap, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, q, cap, err);
}
static inline int comment_count(int64_t *out, const comment_repo *r, uow_tx *tx, int64_t book_id,
				int64_t number, app_err *err)
{
	return r->vtbl->count(out, r->self, tx, book_id, number, err);
}
static inline int comment_like(int *changed, int64_t *likes, const comment_repo *r, uow_tx *tx,
			       int64_t id, int64_t member_id, int on, int64_t now, app_err *err)
{
	return r->vtbl->like(changed, likes, r->self, tx, id, member_id, on, now, err);
}
static inline int comment_remove_member(const comment_repo *r, uow_tx *tx, int64_t member_id,
					int64_t now, app_err *err)
{
	return r->vtbl->remove_member(r->self, tx, member_id, now, err);
}

#endif
