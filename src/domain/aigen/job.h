/*
 * A durable generation job: one per manuscript, ever. Its status moves by
 * aigen_job_can_transition() (aigen.h); a running job holds a lease until
 * lease_until, after which another worker (or a restarted process) may take
 * it up again.
 */
#ifndef WL_DOMAIN_AIGEN_JOB_H
#define WL_DOMAIN_AIGEN_JOB_H

#include <stdint.h>

#include "domain/aigen/aigen.h"

#define AIGEN_JOB_ERROR_MAX	512 /* bytes kept of the last error, NUL included */
#define AIGEN_JOB_GENERATOR_MAX 256 /* bytes of the generator description, NUL included */
#define AIGEN_JOB_STATUS_COUNT	4   /* queued, running, succeeded, failed */

typedef struct aigen_job {
	int64_t id;
	int64_t manuscript_id;
	aigen_job_status status;
	int attempts;		 /* attempts started so far (a retry by the owner resets it) */
	int64_t next_attempt_at; /* ms; a queued job is due from then */
	int64_t lease_until;	 /* ms; 0 unless running */
	char last_error[AIGEN_JOB_ERROR_MAX];	 /* "" when none */
	char generator[AIGEN_JOB_GENERATOR_MAX]; /* "" until the first attempt */
	int64_t created_at;
	int64_t updated_at;
} aigen_job;

#endif
