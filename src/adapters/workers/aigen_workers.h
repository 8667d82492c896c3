/*
 * AI generation workers: threads that claim due jobs from the aigen service
 * and run them. They wake at once when a job is queued (aigen_workers_wake,
 * called by the "aigen.enqueue" subscriber), when the next retry is due, and
 * at least every poll period (an expired lease, a job queued elsewhere).
 * Stopping lets each worker finish its current step; a job it has not
 * finished goes back to the queue (parked) and is taken up on the next start.
 */
#ifndef WL_AIGEN_WORKERS_H
#define WL_AIGEN_WORKERS_H

#include <stddef.h>

#include "domain/aigen/jobs.h"

typedef struct aigen_workers aigen_workers;

/* Makes the (not yet running) workers of svc; svc must outlive them. */
int aigen_workers_new(aigen_workers **out, aigen_service *svc, int threads, app_err *err);

/*
 * Re-queues the jobs a dead process left running, then starts the threads.
 * APP_ENOMEM when a thread cannot start (those started are stopped again).
 */
int aigen_workers_start(aigen_workers *w, app_err *err);

/* Something was queued: idle workers look now. Safe before start and from any thread. */
void aigen_workers_wake(aigen_workers *w);

/*
 * Stops and joins the threads (current jobs finish or are parked); NULL is
 * fine. cancel (may be NULL) runs after the workers are told to stop and
 * before they are joined: it interrupts calls in flight.
 */
void aigen_workers_stop(aigen_workers *w, void (*cancel)(void));
void aigen_workers_free(aigen_workers *w);

/*
 * The handler of manuscript.submitted (ctx is the workers; the app
 * subscribes it as "aigen.enqueue", synchronous): the job is queued in its
 * own unit of work and the workers are woken. Idempotent under redelivery
 * (see aigen_enqueue).
 */
int aigen_workers_on_submitted(void *ctx, const domain_event *ev, app_err *err);

/*
 * The handler of ai.regeneration_queued (ctx is the workers, subscribed as
 * "aigen.regenerate", synchronous): the job is queued already (in the unit
 * that asked for it); the workers are woken.
 */
int aigen_workers_on_regeneration(void *ctx, const domain_event *ev, app_err *err);

/*
 * Appends the jobs-by-state gauge (wl_ai_jobs{state}) and the attempt
 * duration histogram (wl_ai_job_duration_seconds) in Prometheus text format
 * to buf (cap bytes); returns the length written.
 */
size_t aigen_workers_metrics(char *buf, size_t cap, aigen_workers *w);

#endif
