/*
 * Episodes repository (books core): the episodes of a work and their text,
 * scheduled publishing, a member's entitlements per episode and the
 * wait-until-free timers.
 */
#ifndef WL_PORT_EPISODE_REPO_H
#define WL_PORT_EPISODE_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/book.h"
#include "domain/common/err.h"
#include "ports/book_repo.h"
#include "ports/uow.h"

/* What a member holds of an episode. */
typedef struct episode_hold {
	int64_t number;
	int kind; /* book_own_kind */
} episode_hold;

typedef struct episode_repo_vtbl {
	/*
	 * Stores e (id set on return) and its text. APP_EEXISTS when the
	 * manuscript already has an episode (e->id and e->number are then the
	 * existing one's) or the number is taken.
	 */
	int (*insert)(void *self, uow_tx *tx, episode *e, const char *content, size_t content_len,
		      app_err *err);
	/* Episode number of book_id. APP_ENOTFOUND. */
	int (*find)(episode *out, void *self, uow_tx *tx, int64_t book_id, int64_t number,
		    app_err *err);
	/*
	 * find, and in the same lookup what member_id holds of it (*hold a
	 * book_own_kind, BOOK_OWN_NONE for member 0): a reader's episode page asks both.
	 */
	int (*find_held)(episode *out, int *hold, void *self, uow_tx *tx, int64_t book_id,
			 int64_t number, int64_t member_id, app_err *err);
	/*
	 * Episodes of book_id numbered above after, in order, published ones only
	 * unless with_unpublished; at most limit into out; *n found. The rows
	 * carry no summary (lists do not show it).
	 */
	int (*list)(episode *out, size_t *n, void *self, uow_tx *tx, int64_t book_id, int64_t after,
		    size_t limit, int with_unpublished, app_err *err);
	/* The text; *out is malloc'd (NUL-terminated), the caller frees. APP_ENOTFOUND. */
	int (*content)(char **out, size_t *len, void *self, uow_tx *tx, int64_t book_id,
		       int64_t number, app_err *err);
	/*
	 * Writes e's title, price, own_price, characters and updated_at, and its
	 * text when content is not NULL. APP_ENOTFOUND.
	 */
	int (*edit)(void *self, uow_tx *tx, const episode *e, const char *content,
		    size_t content_len, app_err *err);
	/* Sets the price of book_id's episodes without a price of their own. */
	int (*follow_price)(void *self, uow_tx *tx, int64_t book_id, int64_t price, app_err *err);
	/* Scheduled episodes due at now (scheduled_at <= now), earliest first, at most limit. */
	int (*due)(episode *out, size_t *n, void *self, uow_tx *tx, int64_t now, size_t limit,
		   app_err *err);
	/* Publishes an unpublished episode at `at`; *changed 0 when it was published already. */
	int (*publish)(int *changed, void *self, uow_tx *tx, int64_t episode_id, int64_t at,
		       app_err *err);
	/* The highest number of book_id: published only, or any episode at all. 0 when none. */
	int (*last_number)(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int published,
			   app_err *err);
	/* Adds n views to an episode. APP_ENOTFOUND. */
	int (*add_views)(void *self, uow_tx *tx, int64_t book_id, int64_t number, int64_t n,
			 app_err *err);
	/* The member's holds on book_id's episodes numbered above after, by number; at most cap. */
	int (*holds)(episode_hold *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		     int64_t book_id, int64_t after, size_t cap, app_err *err);
	/* What the member holds of one episode: a book_own_kind (0 none), negative on failure. */
	int (*hold)(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, int64_t number,
		    app_err *err);
	/*
	 * Takes the member's wait-free timer of book_id when it is due at now
	 * (or was never started), setting it to next_at: *taken 1; else *taken 0
	 * and the timer is left as it is.
	 */
	int (*timer_take)(int *taken, void *self, uow_tx *tx, int64_t member_id, int64_t book_id,
			  int64_t now, int64_t next_at, app_err *err);
	/* When the member's timer of book_id is next due; 0 when never started. */
	int (*timer_next)(int64_t *next_at, void *self, uow_tx *tx, int64_t member_id,
			  int64_t book_id, app_err *err);
	/*
	 * The member's entitlements of book_id granted in one purchase (batch),
	 * numbered above after, by number; at most cap.
	 */
	int (*batch)(book_entitlement *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		     int64_t book_id, int64_t batch, int64_t after, size_t cap, app_err *err);
} episode_repo_vtbl;

typedef struct episode_repo {
	const episode_repo_vtbl *vtbl;
	void *self;
} episode_repo;

static inline int episode_repo_insert(const episode_repo *r, uow_tx *tx, episode *e,
				      const char *content, size_t content_len, app_err *err)
{
	return r->vtbl->insert(r->self, tx, e, content, content_len, err);
}
static inline int episode_repo_find(episode *out, const episode_repo *r, uow_tx *tx,
				    int64_t book_id, int64_t number, app_err *err)
{
	return r->vtbl->find(out, r->self, tx, book_id, number, err);
}
static inline int episode_repo_find_held(episode *out, int *hold, const episode_repo *r, uow_tx *tx,
					 int64_t book_id, int64_t number, int64_t member_id,
					 app_err *err)
{
	return r->vtbl->find_held(out, hold, r->self, tx, book_id, number, member_id, err);
}
static inline int episode_repo_list(episode *out, size_t *n, const episode_repo *r, uow_tx *tx,
				    int64_t book_id, int64_t after, size_t limit,
				    int with_unpublished, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, book_id, after, limit, with_unpublished, err);
}
static inline int episode_repo_content(char **out, size_t *len, const episode_repo *r, uow_tx *tx,
				       int64_t book_id, int64_t number, app_err *err)
{
	return r->vtbl->content(out, len, r->self, tx, book_id, number, err);
}
static inline int episode_repo_edit(const episode_repo *r, uow_tx *tx, const episode *e,
				    const char *content, size_t content_len, app_err *err)
{
	return r->vtbl->edit(r->self, tx, e, content, content_len, err);
}
static inline int episode_repo_follow_price(const episode_repo *r, uow_tx *tx, int64_t book_id,
					    int64_t price, app_err *err)
{
	return r->vtbl->follow_price(r->self, tx, book_id, price, err);
}
static inline int episode_repo_due(episode *out, size_t *n, const episode_repo *r, uow_tx *tx,
				   int64_t now, size_t limit, app_err *err)
{
	return r->vtbl->due(out, n, r->self, tx, now, limit, err);
}
static inline int episode_repo_publish(int *changed, const episode_repo *r, uow_tx *tx,
				       int64_t episode_id, int64_t at, app_err *err)
{
	return r->vtbl->publish(changed, r->self, tx, episode_id, at, err);
}
static inline int episode_repo_last_number(int64_t *out, const episode_repo *r, uow_tx *tx,
					   int64_t book_id, int published, app_err *err)
{
	return r->vtbl->last_number(out, r->self, tx, book_id, published, err);
}
static inline int episode_repo_add_views(const episode_repo *r, uow_tx *tx, int64_t book_id,
					 int64_t number, int64_t n, app_err *err)
{
	return r->vtbl->add_views(r->self, tx, book_id, number, n, err);
}
static inline int episode_repo_holds(episode_hold *out, size_t *n, const episode_repo *r,
				     uow_tx *tx, int64_t member_id, int64_t book_id, int64_t after,
				     size_t cap, app_err *err)
{
	return r->vtbl->holds(out, n, r->self, tx, member_id, book_id, after, cap, err);
}
static inline int episode_repo_hold(const episode_repo *r, uow_tx *tx, int64_t member_id,
				    int64_t book_id, int64_t number, app_err *err)
{
	return r->vtbl->hold(r->self, tx, member_id, book_id, number, err);
}
static inline int episode_repo_timer_take(int *taken, const episode_repo *r, uow_tx *tx,
					  int64_t member_id, int64_t book_id, int64_t now,
					  int64_t next_at, app_err *err)
{
	return r->vtbl->timer_take(taken, r->self, tx, member_id, book_id, now, next_at, err);
}
static inline int episode_repo_timer_next(int64_t *next_at, const episode_repo *r, uow_tx *tx,
					  int64_t member_id, int64_t book_id, app_err *err)
{
	return r->vtbl->timer_next(next_at, r->self, tx, member_id, book_id, err);
}
static inline int episode_repo_batch(book_entitlement *out, size_t *n, const episode_repo *r,
				     uow_tx *tx, int64_t member_id, int64_t book_id, int64_t batch,
				     int64_t after, size_t cap, app_err *err)
{
	return r->vtbl->batch(out, n, r->self, tx, member_id, book_id, batch, after, cap, err);
}

#endif
