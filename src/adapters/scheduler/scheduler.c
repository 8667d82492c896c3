#include "adapters/scheduler/scheduler.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct task {
	char name[32];
	int64_t interval_ms, first_ms, due_ms; /* first: after start, 0 for at once */
	scheduler_task fn;
	void *ctx;
} task;

struct scheduler {
	task tasks[SCHEDULER_TASKS_MAX];
	int ntasks;
	pthread_t thread;
	pthread_mutex_t lock; /* guards stopping */
	pthread_cond_t cond;  /* on CLOCK_MONOTONIC */
	int started, stopping;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int scheduler_new(scheduler **out, app_err *err)
{
	scheduler *s = calloc(1, sizeof(*s));
	pthread_condattr_t attr;

	if (!s)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	pthread_mutex_init(&s->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&s->cond, &attr);
	pthread_condattr_destroy(&attr);
	*out = s;
	return 0;
}

int scheduler_add(scheduler *s, const char *name, int64_t interval_ms, int run_at_start,
		  scheduler_task fn, void *ctx, app_err *err)
{
	task *t;

	if (s->started || s->ntasks == SCHEDULER_TASKS_MAX || interval_ms <= 0)
		return app_err_set(err, APP_EINVALID, NULL, NULL, "cannot schedule %s", name);
	t = &s->tasks[s->ntasks++];
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->interval_ms = interval_ms;
	t->first_ms = run_at_start ? 0 : interval_ms;
	t->fn = fn;
	t->ctx = ctx;
	return 0;
}

/* The task due first. */
static task *next_task(scheduler *s)
{
	task *first = &s->tasks[0];

	for (int i = 1; i < s->ntasks; i++)
		if (s->tasks[i].due_ms < first->due_ms)
			first = &s->tasks[i];
	return first;
}

/* Waits until at (monotonic ms) or a stop; 1 when stopping. */
static int wait_until(scheduler *s, int64_t at)
{
	struct timespec ts = {(time_t)(at / 1000), (long)(at % 1000) * 1000000L};
	int stopping;

	pthread_mutex_lock(&s->lock);
	while (!s->stopping && mono_ms() < at)
		if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT)
			break;
	stopping = s->stopping;
	pthread_mutex_unlock(&s->lock);
	return stopping;
}

static void *run(void *arg)
{
	scheduler *s = arg;

	while (s->ntasks > 0) {
		task *t = next_task(s);

		if (wait_until(s, t->due_ms))
			break;
		t->fn(t->ctx);
		/* the next run counts from now: a slow run is never caught up in a burst */
		t->due_ms = mono_ms() + t->interval_ms;
	}
	return NULL;
}

int scheduler_start(scheduler *s, app_err *err)
{
	int64_t now = mono_ms();

	for (int i = 0; i < s->ntasks; i++)
		s->tasks[i].due_ms = now + s->tasks[i].first_ms;
	s->stopping = 0;
	if (pthread_create(&s->thread, NULL, run, s) != 0)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "cannot start the scheduler");
	s->started = 1;
	return 0;
}

void scheduler_stop(scheduler *s)
{
	if (!s || !s->started)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	s->started = 0;
}

void scheduler_free(scheduler *s)
{
	if (!s)
		return;
	scheduler_stop(s);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
