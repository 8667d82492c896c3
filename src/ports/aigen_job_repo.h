/*
 * Generation jobs repository (the aigen core): one job per manuscript, the
 * claim of due jobs under a lease, and the views the admin list and the
 * metrics need.
 */
#ifndef WL_PORT_AIGEN_JOB_REPO_H
#define WL_PORT_AIGEN_JOB_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/aigen/aigen.h"
#include "domain/aigen/job.h"
#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct aigen_job_repo_vtbl {
	/*
	 * Stores a new job with its kind, work, parts, variant and requester;
	 * sets j->id. APP_EEXISTS when it publishes a manuscript that has a
	 * publishing job already.
	 */
	int (*insert)(void *self, uow_tx *tx, aigen_job *j, app_err *err);
	/* APP_ENOTFOUND when absent. */
	int (*find)(aigen_job *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* The publishing job of a manuscript (regenerations are not). APP_ENOTFOUND. */
	int (*find_by_manuscript)(aigen_job *out, void *self, uow_tx *tx, int64_t manuscript_id,
				  app_err *err);
	/*
	 * Of the regenerations of work book_id: *count how many were ever
	 * queued, and the pending one (queued or running) into pending with
	 * *has_pending 1, else *has_pending 0.
	 */
	int (*regenerations)(int64_t *count, aigen_job *pending, int *has_pending, void *self,
			     uow_tx *tx, int64_t book_id, app_err *err);
	/*
	 * Takes the job due first: queued with next_attempt_at <= now, or
	 * running with lease_until < now (its worker died). The job becomes
	 * running with lease_until, attempts + 1 and updated_at now; out
	 * receives it. APP_ENOTFOUND when nothing is due.
	 */
	int (*claim)(aigen_job *out, void *self, uow_tx *tx, int64_t now, int64_t lease_until,
		     app_err *err);
	/*
	 * Writes status, attempts, next_attempt_at, lease_until, last_error,
	 * generator and updated_at of j only while the stored job is in status
	 * from with lease_until from_lease (the lease fences out a worker whose
	 * job was taken over): APP_ECONFLICT otherwise, APP_ENOTFOUND when absent.
	 */
	int (*update)(void *self, uow_tx *tx, const aigen_job *j, aigen_job_status from,
		      int64_t from_lease, app_err *err);
	/* Every running job becomes queued and due at now (start-up recovery); *n is their count.
	 */
	int (*release_running)(size_t *n, void *self, uow_tx *tx, int64_t now, app_err *err);
	/* The earliest next_attempt_at of a queued job. APP_ENOTFOUND when none is queued. */
	int (*next_due)(int64_t *at, void *self, uow_tx *tx, app_err *err);
	/*
	 * Up to limit jobs with id < before_id (0: from the newest) in status
	 * (negative: any), newest first, into out (capacity limit). *n is the count.
	 */
	int (*list)(aigen_job *out, size_t *n, void *self, uow_tx *tx, int status,
		    int64_t before_id, size_t limit, app_err *err);
	/* Jobs per status, indexed by aigen_job_status. */
	int (*counts)(int64_t out[AIGEN_JOB_STATUS_COUNT], void *self, uow_tx *tx, app_err *err);
	/*
	 * Keeps the validated text of an attempt with job id (every string and
	 * suggestion, the generator names, the price as clamped), replacing
	 * what was kept: a later attempt that only lacks the cover takes it
	 * instead of asking the text generator again. APP_ENOTFOUND when there
	 * is no such job.
	 */
	int (*keep_text)(void *self, uow_tx *tx, int64_t id, const aigen_result *text,
			 app_err *err);
	/*
	 * The kept text of job id into out (zeroed by the caller; release with
	 * aigen_result_dispose). APP_ENOTFOUND when none is kept.
	 */
	int (*kept_text)(aigen_result *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* Forgets the kept text of job id, if any. */
	int (*drop_text)(void *self, uow_tx *tx, int64_t id, app_err *err);
} aigen_job_repo_vtbl;

typedef struct aigen_job_repo {
	const aigen_job_repo_vtbl *vtbl;
	void *self;
} aigen_job_repo;

static inline int aigen_job_repo_insert(const aigen_job_repo *r, uow_tx *tx, aigen_job *j,
					app_err *err)
{
	return r->vtbl->insert(r->self, tx, j, err);
}
static inline int aigen_job_repo_find(aigen_job *out, const aigen_job_repo *r, uow_tx *tx,
				      int64_t id, app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, err);
}
static inline int aigen_job_repo_find_by_manuscript(aigen_job *out, const aigen_job_repo *r,
						    uow_tx *tx, int64_t manuscript_id, app_err *err)
{
	return r->vtbl->find_by_manuscript(out, r->self, tx, manuscript_id, err);
}
static inline int aigen_job_repo_regenerations(int64_t *count, aigen_job *pending, int *has_pending,
					       const aigen_job_repo *r, uow_tx *tx, int64_t book_id,
					       app_err *err)
{
	return r->vtbl->regenerations(count, pending, has_pending, r->self, tx, book_id, err);
}
static inline int aigen_job_repo_claim(aigen_job *out, const aigen_job_repo *r, uow_tx *tx,
				       int64_t now, int64_t lease_until, app_err *err)
{
	return r->vtbl->claim(out, r->self, tx, now, lease_until, err);
}
static inline int aigen_job_repo_update(const aigen_job_repo *r, uow_tx *tx, const aigen_job *j,
					aigen_job_status from, int64_t from_lease, app_err *err)
{
	return r->vtbl->update(r->self, tx, j, from, from_lease, err);
}
static inline int aigen_job_repo_release_running(size_t *n, const aigen_job_repo *r, uow_tx *tx,
						 int64_t now, app_err *err)
{
	return r->vtbl->release_running(n, r->self, tx, now, err);
}
static inline int aigen_job_repo_next_due(int64_t *at, const aigen_job_repo *r, uow_tx *tx,
					  app_err *err)
{
	return r->vtbl->next_due(at, r->self, tx, err);
}
static inline int aigen_job_repo_list(aigen_job *out, size_t *n, const aigen_job_repo *r,
				      uow_tx *tx, int status, int64_t before_id, size_t limit,
				      app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, status, before_id, limit, err);
}
static inline int aigen_job_repo_counts(int64_t out[AIGEN_JOB_STATUS_COUNT],
					const aigen_job_repo *r, uow_tx *tx, app_err *err)
{
	return r->vtbl->counts(out, r->self, tx, err);
}
static inline int aigen_job_repo_keep_text(const aigen_job_repo *r, uow_tx *tx, int64_t id,
					   const aigen_result *text, app_err *err)
{
	return r->vtbl->keep_text(r->self, tx, id, text, err);
}
static inline int aigen_job_repo_kept_text(aigen_result *out, const aigen_job_repo *r, uow_tx *tx,
					   int64_t id, app_err *err)
{
	return r->vtbl->kept_text(out, r->self, tx, id, err);
}
static inline int aigen_job_repo_drop_text(const aigen_job_repo *r, uow_tx *tx, int64_t id,
					   app_err *err)
{
	return r->vtbl->drop_text(r->self, tx, id, err);
}

#endif
