/*
 * The aigen service: durable generation jobs from a submitted manuscript to a
 * published book. A job is queued once per manuscript (enqueue), taken by a
 * worker under a lease (claim) and run attempt by attempt (run): transient
 * generator failures (APP_EUPSTREAM, APP_ETIMEOUT, or an answer that fails
 * validation) are retried with exponential backoff and jitter; after the last
 * attempt the offline generator fills in the parts that failed (fallback
 * offline) or the job and the manuscript fail (fallback none). On success
 * ai.generation_completed and the book (book.published) are written in one
 * unit of work with the job's new status, so a book is published once per
 * manuscript, ever, whatever is redelivered or re-run.
 *
 * The service holds no lock and no thread: workers in the app call claim and
 * run concurrently; the repository's lease fences out a stale worker.
 */
#ifndef WL_DOMAIN_AIGEN_JOBS_H
#define WL_DOMAIN_AIGEN_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/aigen/aigen.h"
#include "domain/aigen/job.h"
#include "domain/common/err.h"
#include "ports/aigen_job_repo.h"
#include "ports/clock.h"
#include "ports/events.h"
#include "ports/image_generator.h"
#include "ports/image_inspector.h"
#include "ports/publishing.h"
#include "ports/random.h"
#include "ports/text_generator.h"
#include "ports/uow.h"

typedef enum {
	AIGEN_FALLBACK_OFFLINE = 0, /* the offline generator fills in failed parts */
	AIGEN_FALLBACK_NONE = 1,    /* the job and the manuscript fail */
} aigen_fallback;

typedef struct aigen_config {
	int max_attempts;	 /* default 4 */
	int64_t backoff_base_ms; /* first retry delay ceiling, default 1000 */
	int64_t backoff_max_ms;	 /* default 5 minutes; also caps a provider's Retry-After */
	int64_t lease_ms;	 /* how long a claimed job is a worker's, default 10 minutes */
	int64_t price_min;	 /* default 1000 */
	int64_t price_max;	 /* default 50000 */
	/* a serial's episodePrice, suggested from its first episode: default 100..500, step 10 */
	int64_t episode_price_min, episode_price_max;
	aigen_fallback fallback; /* default AIGEN_FALLBACK_OFFLINE */
} aigen_config;

/* The defaults named above. */
aigen_config aigen_config_default(void);

typedef struct aigen_deps {
	aigen_job_repo jobs;
	text_generator text;	       /* primary (may be the offline one) */
	text_generator text_offline;   /* the fallback */
	image_generator image;	       /* primary (may be the offline one) */
	image_generator image_offline; /* the fallback, the built-in one */
	image_inspector inspector;     /* decodes every raster cover before it is kept */
	publishing_port publishing;
	uow uow;
	event_publisher events;
	clock_port clock;
	random_port random; /* backoff jitter */
} aigen_deps;

typedef struct aigen_service {
	aigen_deps d;
	aigen_config cfg;
} aigen_service;

/* cfg NULL: defaults. Asserts price_min <= price_max and max_attempts >= 1. */
void aigen_service_init(aigen_service *svc, const aigen_deps *deps, const aigen_config *cfg);

/*
 * Queues generation for a manuscript, in one unit of work. Idempotent: a
 * manuscript has one job; a queued, running or succeeded job is left alone
 * (redelivery), a failed one is queued again with its attempts reset only
 * when the manuscript is back in submitted (its owner asked for a retry).
 * *queued (may be NULL) is 1 when a worker has something new to do.
 * out (may be NULL) receives the job.
 */
int aigen_enqueue(aigen_job *out, int *queued, aigen_service *svc, int64_t manuscript_id,
		  app_err *err);

/*
 * Queues a regeneration of parts (AIGEN_REGEN_*, at least one) of work
 * book_id asked for by its author member_id, in one unit of work with
 * ai.regeneration_queued; out (may be NULL) the job. When it runs, the
 * generator makes the parts again (the offline tagline varies with the
 * job's variant) and they are applied as changes with generatedBy.
 * APP_EUNAUTH; APP_EINVALID "validation_failed" (field parts) for none or
 * unknown ones; APP_ENOTFOUND for anyone but its author; APP_ECONFLICT
 * "regeneration_queued" while one is queued or running for the work,
 * "authors_cover" when the cover is asked for and the work's cover is the
 * author's own upload, unless replace_authors_cover.
 */
int aigen_regenerate(aigen_job *out, aigen_service *svc, int64_t member_id, int64_t book_id,
		     unsigned parts, int replace_authors_cover, app_err *err);

/*
 * Takes the next due job under a lease of cfg.lease_ms (see
 * aigen_job_repo's claim). APP_ENOTFOUND when nothing is due.
 */
int aigen_claim(aigen_job *out, aigen_service *svc, app_err *err);

/* One job by id. APP_ENOTFOUND. */
int aigen_get(aigen_job *out, aigen_service *svc, int64_t id, app_err *err);

/* The core's clock (for a worker's wait until the next job is due). */
int64_t aigen_now_ms(aigen_service *svc);

/* The time the next queued job is due. APP_ENOTFOUND when none is queued. */
int aigen_next_due(int64_t *at, aigen_service *svc, app_err *err);

/* Start-up: jobs left running by a process that died are queued again now. */
int aigen_recover(size_t *n, aigen_service *svc, app_err *err);

typedef enum {
	AIGEN_RUN_SUCCEEDED = 1, /* published (or already was) */
	AIGEN_RUN_RETRY = 2,	 /* queued again after a backoff */
	AIGEN_RUN_FAILED = 3,	 /* final failure; manuscript failed */
	AIGEN_RUN_PARKED = 4,	 /* stopping: queued again, the attempt not counted */
	AIGEN_RUN_LOST = 5,	 /* the lease was taken over; nothing written */
} aigen_run_outcome;

/* Asked between steps of a run: non-zero when the worker is shutting down. */
typedef int (*aigen_stop_fn)(void *ctx);

/*
 * Runs one attempt of a job claimed with aigen_claim() (job holds its status
 * and lease as claimed) and records its outcome. A transient failure is
 * retried after the backoff, or after the pause the generator asked for
 * (the error extra "retryAfterMs") when that is longer; any other failure
 * goes to the fallback at once. When the text was made but the cover
 * failed, the text is kept with the job and the next attempt only draws the
 * cover. stop (may be NULL) is asked when a generator fails and between the
 * text and the image step. Returns 0 with *outcome set, or a negative code
 * when storage failed (the job then stays running and is taken up again when
 * its lease ends or after a restart).
 */
int aigen_run(aigen_run_outcome *outcome, aigen_service *svc, const aigen_job *job,
	      aigen_stop_fn stop, void *stop_ctx, app_err *err);

/*
 * Jobs for the admin list, newest first: status negative for any, ids below
 * before_id (0: from the newest); out has room for limit; *next_before is 0
 * on the last page.
 */
int aigen_list(aigen_job *out, size_t *n, int64_t *next_before, aigen_service *svc, int status,
	       int64_t before_id, size_t limit, app_err *err);

/* Jobs per status, indexed by aigen_job_status (for metrics). */
int aigen_counts(int64_t out[AIGEN_JOB_STATUS_COUNT], aigen_service *svc, app_err *err);

/*
 * Describes who produced the parts: "X" when one generator made all three,
 * else "summary=X, price=Y, cover=Z". Writes at most cap bytes (NUL included).
 */
void aigen_generator_describe(char *out, size_t cap, const char *summary_by, const char *price_by,
			      const char *cover_by);

#endif
