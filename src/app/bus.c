#include "app/bus.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BUS_MAX_SUBSCRIBERS 16
#define BUS_MAX_TYPES	    8
#define BUS_BATCH	    64
#define BUS_SWEEP_MS	    1000
/* The sweep leaves a synchronous subscriber's fresh events to the inline path. */
#define BUS_SYNC_GRACE_MS 2000
#define BUS_RETRY_MAX_MS  30000

typedef struct subscriber {
	char name[48];
	const char *types[BUS_MAX_TYPES + 1];
	int ntypes;
	bus_mode mode;
	bus_handler handler;
	void *ctx;
	int64_t retry_at; /* after a failure, the sweep waits until then */
	int64_t backoff;
} subscriber;

struct bus {
	outbox_port outbox;
	uow raw;
	clock_port clock;
	subscriber subs[BUS_MAX_SUBSCRIBERS];
	int nsubs;
	pthread_mutex_t lock; /* guards kicked, stopping, and sweeps (one at a time) */
	pthread_mutex_t sweep_lock;
	pthread_cond_t cond;
	int kicked, stopping, started;
	pthread_t thread;
};

/* Events appended by this thread's open unit of work, in order. */
typedef struct pending_list {
	domain_event *evs;
	size_t n, cap;
	int depth;
	int dispatching;
} pending_list;

static _Thread_local pending_list tls;

static void pending_clear(void)
{
	for (size_t i = 0; i < tls.n; i++)
		domain_event_dispose(&tls.evs[i]);
	tls.n = 0;
	if (tls.depth == 0 && !tls.dispatching) {
		free(tls.evs);
		tls.evs = NULL;
		tls.cap = 0;
	}
}

static int pending_push(const domain_event *ev, app_err *err)
{
	if (tls.n == tls.cap) {
		size_t cap = tls.cap ? tls.cap * 2 : 8;
		domain_event *p = realloc(tls.evs, cap * sizeof(*p));

		if (!p)
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		tls.evs = p;
		tls.cap = cap;
	}
	if (domain_event_copy(&tls.evs[tls.n], ev))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	tls.n++;
	return 0;
}

static int handles(const subscriber *s, const char *type)
{
	for (int i = 0; i < s->ntypes; i++)
		if (strcmp(s->types[i], type) == 0)
			return 1;
	return 0;
}

static void log_failure(const subscriber *s, const domain_event *ev, const app_err *e)
{
	fprintf(stderr,
		"{\"level\":\"warn\",\"msg\":\"event delivery failed\",\"subscriber\":\"%s\","
		"\"event\":%lld,\"type\":\"%s\",\"code\":\"%s\"}\n",
		s->name, (long long)ev->id, ev->type, e->word);
}

/* Delivers one event to one subscriber and marks the outcome. */
static int deliver(bus *b, subscriber *s, const domain_event *ev)
{
	app_err e;
	int64_t now;

	app_err_clear(&e);
	if (s->handler(s->ctx, ev, &e) == 0) {
		outbox_mark_delivered(&b->outbox, ev->id, s->name, clock_now_ms(&b->clock), NULL);
		s->backoff = 0;
		return 0;
	}
	now = clock_now_ms(&b->clock);
	log_failure(s, ev, &e);
	outbox_mark_failed(&b->outbox, ev->id, s->name, e.msg[0] ? e.msg : e.word, now, NULL);
	s->backoff = s->backoff ? s->backoff * 2 : 250;
	if (s->backoff > BUS_RETRY_MAX_MS)
		s->backoff = BUS_RETRY_MAX_MS;
	s->retry_at = now + s->backoff;
	return -1;
}

static void kick(bus *b)
{
	pthread_mutex_lock(&b->lock);
	b->kicked = 1;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

/* After the outermost commit: run synchronous subscribers, wake the dispatcher. */
static void dispatch_committed(bus *b)
{
	int wake = 0;

	if (tls.dispatching)
		return; /* the outer loop below picks up what handlers publish */
	tls.dispatching = 1;
	for (size_t i = 0; i < tls.n; i++) {
		domain_event ev = tls.evs[i]; /* handlers may grow tls.evs */

		for (int k = 0; k < b->nsubs; k++) {
			subscriber *s = &b->subs[k];

			if (!handles(s, ev.type))
				continue;
			if (s->mode == BUS_ASYNC)
				wake = 1;
			else
				deliver(b, s, &ev);
		}
	}
	tls.dispatching = 0;
	pending_clear();
	if (wake)
		kick(b);
}

/* Delivers all pending events of one subscriber; fresh ones only when include_fresh. */
static void sweep_subscriber(bus *b, subscriber *s, int include_fresh)
{
	domain_event evs[BUS_BATCH];
	int64_t now = clock_now_ms(&b->clock);

	if (s->retry_at > now && !include_fresh)
		return;
	for (int t = 0; t < s->ntypes; t++) {
		int64_t after = 0;
		size_t n;

		do {
			int failed = 0;

			if (outbox_pending(evs, &n, &b->outbox, s->name, s->types[t], after,
					   BUS_BATCH, NULL))
				return;
			for (size_t i = 0; i < n; i++) {
				int fresh = evs[i].created_at > now - BUS_SYNC_GRACE_MS;

				after = evs[i].id;
				if (!failed && (include_fresh || s->mode == BUS_ASYNC || !fresh))
					failed = deliver(b, s, &evs[i]) != 0;
				domain_event_dispose(&evs[i]);
			}
			if (failed)
				return; /* keep order: retry from here after the backoff */
		} while (n == BUS_BATCH);
	}
}

static void sweep(bus *b, int include_fresh)
{
	pthread_mutex_lock(&b->sweep_lock);
	tls.dispatching = 1;
	for (int k = 0; k < b->nsubs; k++)
		sweep_subscriber(b, &b->subs[k], include_fresh);
	tls.dispatching = 0;
	pthread_mutex_unlock(&b->sweep_lock);
	/* handlers' own events, published while sweeping */
	dispatch_committed(b);
}

static void *dispatcher(void *arg)
{
	bus *b = arg;

	for (;;) {
		struct timespec ts;

		pthread_mutex_lock(&b->lock);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += BUS_SWEEP_MS / 1000;
		while (!b->kicked && !b->stopping)
			if (pthread_cond_timedwait(&b->cond, &b->lock, &ts) == ETIMEDOUT)
				break;
		b->kicked = 0;
		if (b->stopping) {
			pthread_mutex_unlock(&b->lock);
			break;
		}
		pthread_mutex_unlock(&b->lock);
		sweep(b, 0);
	}
	return NULL;
}

/* --- the wrapped unit of work and publisher ---------------------------------------- */

static int bus_uow_begin(void *self, app_err *err)
{
	bus *b = self;
	int rc = uow_begin(&b->raw, err);

	if (rc == 0)
		tls.depth++;
	return rc;
}

static int bus_uow_commit(void *self, app_err *err)
{
	bus *b = self;
	int rc = uow_commit(&b->raw, err);

	if (--tls.depth > 0)
		return rc;
	if (rc) {
		pending_clear();
		return rc;
	}
	dispatch_committed(b);
	return 0;
}

static void bus_uow_rollback(void *self)
{
	bus *b = self;

	uow_rollback(&b->raw);
	if (--tls.depth == 0)
		pending_clear();
}

static const uow_vtbl bus_uow_vtbl = {
    .begin = bus_uow_begin,
    .commit = bus_uow_commit,
    .rollback = bus_uow_rollback,
};

uow bus_uow(bus *b)
{
	return (uow){&bus_uow_vtbl, b};
}

static int bus_publish(void *self, domain_event *ev, app_err *err)
{
	bus *b = self;
	int rc;

	if (tls.depth == 0) { /* no unit open: the event is its own unit */
		if ((rc = bus_uow_begin(b, err)))
			return rc;
		if ((rc = bus_publish(b, ev, err))) {
			bus_uow_rollback(b);
			return rc;
		}
		return bus_uow_commit(b, err);
	}
	if ((rc = outbox_append(&b->outbox, ev, clock_now_ms(&b->clock), err)))
		return rc;
	return pending_push(ev, err);
}

static const event_publisher_vtbl bus_pub_vtbl = {.publish = bus_publish};

event_publisher bus_publisher(bus *b)
{
	return (event_publisher){&bus_pub_vtbl, b};
}

int64_t bus_backlog(bus *b)
{
	int64_t total = 0, n;

	for (int k = 0; k < b->nsubs; k++)
		for (int t = 0; t < b->subs[k].ntypes; t++)
			if (outbox_pending_count(&n, &b->outbox, b->subs[k].name,
						 b->subs[k].types[t], NULL) == 0)
				total += n;
	return total;
}

/* --- life cycle ------------------------------------------------------------------------ */

int bus_new(bus **out, outbox_port outbox, uow raw_uow, clock_port clock, app_err *err)
{
	bus *b = calloc(1, sizeof(*b));

	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	b->outbox = outbox;
	b->raw = raw_uow;
	b->clock = clock;
	pthread_mutex_init(&b->lock, NULL);
	pthread_mutex_init(&b->sweep_lock, NULL);
	pthread_cond_init(&b->cond, NULL);
	*out = b;
	return 0;
}

int bus_subscribe(bus *b, const char *name, const char *const *types, bus_mode mode,
		  bus_handler handler, void *ctx, app_err *err)
{
	subscriber *s;

	if (b->started || b->nsubs == BUS_MAX_SUBSCRIBERS)
		return app_err_set(err, APP_EINVALID, NULL, NULL, "cannot subscribe %s", name);
	s = &b->subs[b->nsubs++];
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	for (; types[s->ntypes] && s->ntypes < BUS_MAX_TYPES; s->ntypes++)
		s->types[s->ntypes] = types[s->ntypes];
	s->mode = mode;
	s->handler = handler;
	s->ctx = ctx;
	return 0;
}

int bus_drain(bus *b, app_err *err)
{
	(void)err;
	for (int k = 0; k < b->nsubs; k++)
		b->subs[k].retry_at = 0;
	sweep(b, 1);
	return 0;
}

int bus_start(bus *b, app_err *err)
{
	int rc = bus_drain(b, err);

	if (rc)
		return rc;
	if (pthread_create(&b->thread, NULL, dispatcher, b) != 0)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "cannot start the bus dispatcher");
	b->started = 1;
	return 0;
}

void bus_stop(bus *b)
{
	if (!b || !b->started)
		return;
	pthread_mutex_lock(&b->lock);
	b->stopping = 1;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
	b->started = 0;
}

void bus_free(bus *b)
{
	if (!b)
		return;
	bus_stop(b);
	pthread_cond_destroy(&b->cond);
	pthread_mutex_destroy(&b->sweep_lock);
	pthread_mutex_destroy(&b->lock);
	free(b);
}
