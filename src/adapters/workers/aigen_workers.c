#include "adapters/workers/aigen_workers.h"
#include "domain/common/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define AIGEN_WORKERS_MAX 64
#define AIGEN_POLL_MS	  1000 /* expired leases and anything missed are seen this often */
#define AIGEN_MIN_WAIT_MS 10   /* never spin when a due job was taken by another worker */

static const double duration_buckets[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
#define NBUCKETS (sizeof(duration_buckets) / sizeof(duration_buckets[0]))

struct aigen_workers {
	aigen_service *svc;
	int nthreads, started;
	pthread_t threads[AIGEN_WORKERS_MAX];
	pthread_mutex_t lock; /* guards wakes, the condition and the histogram */
	pthread_cond_t cond;
	unsigned long wakes; /* grows on every wake: a worker sleeps only if it did not move */
	atomic_int stopping;
	/* attempt durations */
	unsigned long long buckets[NBUCKETS + 1]; /* last: +Inf */
	unsigned long long count;
	double sum;
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *outcome_name(aigen_run_outcome o)
{
	switch (o) {
	case AIGEN_RUN_SUCCEEDED:
		return "succeeded";
	case AIGEN_RUN_RETRY:
		return "retry";
	case AIGEN_RUN_FAILED:
		return "failed";
	case AIGEN_RUN_PARKED:
		return "parked";
	case AIGEN_RUN_LOST:
		return "lost";
	}
	return "unknown";
}

static void observe(aigen_workers *w, double seconds)
{
	size_t i = 0;

	while (i < NBUCKETS && seconds > duration_buckets[i])
		i++;
	pthread_mutex_lock(&w->lock);
	w->buckets[i]++;
	w->count++;
	w->sum += seconds;
	pthread_mutex_unlock(&w->lock);
}

static int should_stop(void *ctx)
{
	return atomic_load(&((aigen_workers *)ctx)->stopping);
}

/* Claims and runs one job; 1 when there was one. */
static int work_once(aigen_workers *w)
{
	aigen_run_outcome outcome = 0;
	aigen_job j, after;
	log_line l;
	double started;
	app_err err;
	int rc;

	app_err_clear(&err);
	rc = aigen_claim(&j, w->svc, &err);
	if (rc == APP_ENOTFOUND)
		return 0;
	if (rc) {
		log_error("ai job claim failed", &err);
		return 0;
	}
	started = mono_s();
	app_err_clear(&err);
	rc = aigen_run(&outcome, w->svc, &j, should_stop, w, &err);
	if (rc) {
		log_begin(&l, "error", "ai job failed to record");
		log_int(&l, "job", j.id);
		log_int(&l, "manuscript", j.manuscript_id);
		log_str(&l, "detail", err.msg);
		log_end(&l);
		return 1;
	}
	if (outcome != AIGEN_RUN_PARKED && outcome != AIGEN_RUN_LOST)
		observe(w, mono_s() - started);
	memset(&after, 0, sizeof(after));
	if ((outcome == AIGEN_RUN_RETRY || outcome == AIGEN_RUN_FAILED ||
	     outcome == AIGEN_RUN_SUCCEEDED) &&
	    aigen_get(&after, w->svc, j.id, NULL) != 0)
		memset(&after, 0, sizeof(after));
	log_begin(&l, outcome == AIGEN_RUN_FAILED ? "warn" : "info", "ai job");
	log_int(&l, "job", j.id);
	log_int(&l, "manuscript", j.manuscript_id);
	if (j.kind == AIGEN_JOB_REGENERATE)
		log_int(&l, "book", j.book_id);
	log_int(&l, "attempt", j.attempts);
	log_str(&l, "outcome", outcome_name(outcome));
	log_double(&l, "ms", (mono_s() - started) * 1e3);
	log_str(&l, "lastError", after.last_error);
	log_end(&l);
	return 1;
}

/* How long to sleep: until the next queued job is due, at most the poll period. */
static int64_t wait_ms(aigen_workers *w)
{
	int64_t at, now, d = AIGEN_POLL_MS;

	if (aigen_next_due(&at, w->svc, NULL) == 0) {
		now = aigen_now_ms(w->svc);
		if (at - now < d)
			d = at - now;
	}
	return d < AIGEN_MIN_WAIT_MS ? AIGEN_MIN_WAIT_MS : d;
}

static void *worker(void *arg)
{
	aigen_workers *w = arg;

	while (!atomic_load(&w->stopping)) {
		unsigned long seen;
		struct timespec ts;
		int64_t ms;

		pthread_mutex_lock(&w->lock);
		seen = w->wakes;
		pthread_mutex_unlock(&w->lock);
		if (work_once(w))
			continue;
		ms = wait_ms(w);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)(ms / 1000);
		ts.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&w->lock);
		while (w->wakes == seen && !atomic_load(&w->stopping))
			if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) == ETIMEDOUT)
				break;
		pthread_mutex_unlock(&w->lock);
	}
	return NULL;
}

int aigen_workers_new(aigen_workers **out, aigen_service *svc, int threads, app_err *err)
{
	aigen_workers *w;

	if (threads < 1 || threads > AIGEN_WORKERS_MAX)
		return app_err_set(err, APP_EINVALID, NULL, "aiWorkers",
				   "AI workers must be 1 to %d", AIGEN_WORKERS_MAX);
	if (!(w = calloc(1, sizeof(*w))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	w->svc = svc;
	w->nthreads = threads;
	atomic_init(&w->stopping, 0);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	*out = w;
	return 0;
}

int aigen_workers_start(aigen_workers *w, app_err *err)
{
	size_t recovered = 0;
	int rc;

	if ((rc = aigen_recover(&recovered, w->svc, err)))
		return rc;
	if (recovered) {
		log_line l;

		log_begin(&l, "info", "ai jobs taken up again after a restart");
		log_int(&l, "count", (long long)recovered);
		log_end(&l);
	}
	atomic_store(&w->stopping, 0);
	for (int i = 0; i < w->nthreads; i++) {
		if (pthread_create(&w->threads[i], NULL, worker, w) != 0) {
			aigen_workers_stop(w, NULL);
			return app_err_set(err, APP_ENOMEM, NULL, NULL,
					   "cannot start the AI workers");
		}
		w->started = i + 1;
	}
	return 0;
}

void aigen_workers_wake(aigen_workers *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->wakes++;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void aigen_workers_stop(aigen_workers *w, void (*cancel)(void))
{
	if (!w || !w->started)
		return;
	pthread_mutex_lock(&w->lock);
	atomic_store(&w->stopping, 1);
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
	if (cancel)
		cancel();
	for (int i = 0; i < w->started; i++)
		pthread_join(w->threads[i], NULL);
	w->started = 0;
}

void aigen_workers_free(aigen_workers *w)
{
	if (!w)
		return;
	aigen_workers_stop(w, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* manuscript.submitted (first or retry) -> the job is queued and a worker woken. */
int aigen_workers_on_submitted(void *ctx, const domain_event *ev, app_err *err)
{
	aigen_workers *w = ctx;
	int64_t manuscript_id = domain_event_int(ev, "manuscriptId", 0);
	int queued = 0, rc;

	if (manuscript_id <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "manuscriptId",
				   "manuscript.submitted without a manuscriptId");
	if ((rc = aigen_enqueue(NULL, &queued, w->svc, manuscript_id, err)))
		return rc;
	if (queued)
		aigen_workers_wake(w);
	return 0;
}

int aigen_workers_on_regeneration(void *ctx, const domain_event *ev, app_err *err)
{
	(void)ev;
	(void)err;
	aigen_workers_wake(ctx);
	return 0;
}

static size_t append(char *buf, size_t cap, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static size_t append(char *buf, size_t cap, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (len + 1 >= cap)
		return len;
	va_start(ap, fmt);
	n = vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return len;
	return len + (size_t)n >= cap ? cap - 1 : len + (size_t)n;
}

size_t aigen_workers_metrics(char *buf, size_t cap, aigen_workers *w)
{
	int64_t counts[AIGEN_JOB_STATUS_COUNT];
	unsigned long long buckets[NBUCKETS + 1], count, cumulative = 0;
	double sum;
	size_t len = 0;

	if (!w || cap == 0)
		return 0;
	buf[0] = '\0';
	len = append(buf, cap, len, "# TYPE wl_ai_jobs gauge\n");
	if (aigen_counts(counts, w->svc, NULL) == 0)
		for (int s = 0; s < AIGEN_JOB_STATUS_COUNT; s++)
			len =
			    append(buf, cap, len, "wl_ai_jobs{state=\"%s\"} %lld\n",
				   aigen_job_status_str((aigen_job_status)s), (long long)counts[s]);
	pthread_mutex_lock(&w->lock);
	memcpy(buckets, w->buckets, sizeof(buckets));
	count = w->count;
	sum = w->sum;
	pthread_mutex_unlock(&w->lock);
	len = append(buf, cap, len, "# TYPE wl_ai_job_duration_seconds histogram\n");
	for (size_t i = 0; i < NBUCKETS; i++) {
		cumulative += buckets[i];
		len = append(buf, cap, len, "wl_ai_job_duration_seconds_bucket{le=\"%g\"} %llu\n",
			     duration_buckets[i], cumulative);
	}
	len = append(buf, cap, len,
		     "wl_ai_job_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		     "wl_ai_job_duration_seconds_sum %.6f\n"
		     "wl_ai_job_duration_seconds_count %llu\n",
		     count, sum, count);
	return len;
}
