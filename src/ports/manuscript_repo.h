/* Manuscripts repository: drafts and their saved revisions (the books core). */
#ifndef WL_PORT_MANUSCRIPT_REPO_H
#define WL_PORT_MANUSCRIPT_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/manuscript.h"
#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct manuscript_repo_vtbl {
	/* Stores a new manuscript; sets m->id. */
	int (*insert)(void *self, uow_tx *tx, manuscript *m, app_err *err);
	/*
	 * Fills out (the caller disposes it), with the content when
	 * with_content. APP_ENOTFOUND when absent.
	 */
	int (*find)(manuscript *out, void *self, uow_tx *tx, int64_t id, int with_content,
		    app_err *err);
	/*
	 * Up to limit manuscripts of author_id with id < before_id (0: from the
	 * newest), newest first, without content, into out (capacity limit; the
	 * caller disposes each). Writes the count to *n.
	 */
	int (*list)(manuscript *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		    int64_t before_id, size_t limit, app_err *err);
	/*
	 * Writes title, content, revision and updated_at of m only while the
	 * stored manuscript is a draft at expected_revision: APP_ECONFLICT
	 * otherwise, APP_ENOTFOUND when absent.
	 */
	int (*save_draft)(void *self, uow_tx *tx, const manuscript *m, int64_t expected_revision,
			  app_err *err);
	/*
	 * Writes status, book_id, error, episode_number, publish_at and
	 * updated_at of m only while the stored status is from: APP_ECONFLICT
	 * otherwise, APP_ENOTFOUND when absent.
	 */
	int (*set_status)(void *self, uow_tx *tx, const manuscript *m, manuscript_status from,
			  app_err *err);
	/* Deletes a manuscript and its revisions. APP_ENOTFOUND when absent. */
	int (*remove)(void *self, uow_tx *tx, int64_t id, app_err *err);
	/*
	 * Stores a revision, then drops all but the newest keep revisions of
	 * that manuscript. APP_EEXISTS when the revision number is taken.
	 */
	int (*add_revision)(void *self, uow_tx *tx, const manuscript_revision *r, size_t keep,
			    app_err *err);
	/*
	 * Up to limit revisions of manuscript_id below before_revision (0: from
	 * the newest), newest first, without content. Writes the count to *n.
	 */
	int (*list_revisions)(manuscript_revision *out, size_t *n, void *self, uow_tx *tx,
			      int64_t manuscript_id, int64_t before_revision, size_t limit,
			      app_err *err);
	/* One revision with its content. APP_ENOTFOUND when absent or dropped. */
	int (*find_revision)(manuscript_revision *out, void *self, uow_tx *tx,
			     int64_t manuscript_id, int64_t revision, app_err *err);
	/* The highest episode number reserved by manuscripts of book_id; 0 when none. */
	int (*last_episode)(int64_t *out, void *self, uow_tx *tx, int64_t book_id, app_err *err);
} manuscript_repo_vtbl;

typedef struct manuscript_repo {
	const manuscript_repo_vtbl *vtbl;
	void *self;
} manuscript_repo;

static inline int manuscript_repo_insert(const manuscript_repo *r, uow_tx *tx, manuscript *m,
					 app_err *err)
{
	return r->vtbl->insert(r->self, tx, m, err);
}
static inline int manuscript_repo_find(manuscript *out, const manuscript_repo *r, uow_tx *tx,
				       int64_t id, int with_content, app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, with_content, err);
}
static inline int manuscript_repo_list(manuscript *out, size_t *n, const manuscript_repo *r,
				       uow_tx *tx, int64_t author_id, int64_t before_id,
				       size_t limit, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, author_id, before_id, limit, err);
}
static inline int manuscript_repo_save_draft(const manuscript_repo *r, uow_tx *tx,
					     const manuscript *m, int64_t expected_revision,
					     app_err *err)
{
	return r->vtbl->save_draft(r->self, tx, m, expected_revision, err);
}
static inline int manuscript_repo_set_status(const manuscript_repo *r, uow_tx *tx,
					     const manuscript *m, manuscript_status from,
					     app_err *err)
{
	return r->vtbl->set_status(r->self, tx, m, from, err);
}
static inline int manuscript_repo_remove(const manuscript_repo *r, uow_tx *tx, int64_t id,
					 app_err *err)
{
	return r->vtbl->remove(r->self, tx, id, err);
}
static inline int manuscript_repo_add_revision(const manuscript_repo *r, uow_tx *tx,
					       const manuscript_revision *rev, size_t keep,
					       app_err *err)
{
	return r->vtbl->add_revision(r->self, tx, rev, keep, err);
}
static inline int manuscript_repo_list_revisions(manuscript_revision *out, size_t *n,
						 const manuscript_repo *r, uow_tx *tx,
						 int64_t manuscript_id, int64_t before_revision,
						 size_t limit, app_err *err)
{
	return r->vtbl->list_revisions(out, n, r->self, tx, manuscript_id, before_revision, limit,
				       err);
}
static inline int manuscript_repo_find_revision(manuscript_revision *out, const manuscript_repo *r,
						uow_tx *tx, int64_t manuscript_id, int64_t revision,
						app_err *err)
{
	return r->vtbl->find_revision(out, r->self, tx, manuscript_id, revision, err);
}

static inline int manuscript_repo_last_episode(int64_t *out, const manuscript_repo *r, uow_tx *tx,
					       int64_t book_id, app_err *err)
{
	return r->vtbl->last_episode(out, r->self, tx, book_id, err);
}

#endif
