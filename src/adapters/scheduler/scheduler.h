/*
 * The scheduler: one thread that runs periodic tasks, each every interval
 * (the views flush every second, subscription renewals and the session
 * purge every --scheduler-interval; later scheduled episodes). Tasks run one
 * at a time, in the scheduler's thread, in the order they fall due; a task
 * that runs long delays the others, never itself twice.
 */
#ifndef WL_SCHEDULER_H
#define WL_SCHEDULER_H

#include <stdint.h>

#include "domain/common/err.h"

#define SCHEDULER_TASKS_MAX 8

typedef struct scheduler scheduler;

typedef void (*scheduler_task)(void *ctx);

int scheduler_new(scheduler **out, app_err *err);

/*
 * Adds a task before scheduler_start(): fn(ctx) every interval_ms (> 0),
 * the first run at once when run_at_start, else after one interval.
 * APP_EINVALID when started or full.
 */
int scheduler_add(scheduler *s, const char *name, int64_t interval_ms, int run_at_start,
		  scheduler_task fn, void *ctx, app_err *err);

/* Starts the thread. APP_ENOMEM when it cannot. */
int scheduler_start(scheduler *s, app_err *err);

/* Stops and joins the thread; a task running finishes first. NULL and not started are fine. */
void scheduler_stop(scheduler *s);
void scheduler_free(scheduler *s);

#endif
