/*
 * A durable generation job: a publishing job, one per manuscript, ever, or a
 * regeneration of chosen parts of a published work (any number over time, at
 * most one pending per work: aigen_regenerate). Its status moves by
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

/* What a job does. */
typedef enum {
	AIGEN_JOB_PUBLISH = 0,	  /* generate everything and publish the manuscript */
	AIGEN_JOB_REGENERATE = 1, /* generate parts again for the work book_id */
} aigen_job_kind;

/* The parts a regeneration may ask for (aigen_job.parts). */
enum {
	AIGEN_REGEN_SUMMARY = 1u << 0,
	AIGEN_REGEN_TAGLINE = 1u << 1,
	AIGEN_REGEN_PRICE = 1u << 2,
	AIGEN_REGEN_COVER = 1u << 3,
	AIGEN_REGEN_ALL = (1u << 4) - 1,
};

/* "summary", "tagline", "price", "cover" for one AIGEN_REGEN_* bit; NULL otherwise. */
const char *aigen_regen_part_name(unsigned part);
/* The AIGEN_REGEN_* bit of a name; 0 for an unknown one. */
unsigned aigen_regen_part_parse(const char *name);

typedef struct aigen_job {
	int64_t id;
	int64_t manuscript_id; /* a regeneration: the work's first manuscript (its text) */
	aigen_job_kind kind;
	int64_t book_id;      /* a regeneration's work; 0 for publishing */
	unsigned parts;	      /* a regeneration's AIGEN_REGEN_* parts; 0 for publishing */
	int64_t variant;      /* a regeneration's number for its work (1, 2, …): what varies */
	int64_t requested_by; /* the member who asked for a regeneration; 0 for publishing */
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
