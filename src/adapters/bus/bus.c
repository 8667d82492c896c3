#include "adapters/bus/bus.h"
#include "domain/common/log.h"

#include <assert.h>
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
	/*
	 * Per type: every event up to this id is delivered to this subscriber, so a
	 * sweep asks only after it (not the whole history every second). Never past
	 * the outbox's settled id, below which no event can still appear. Under
	 * bus.sweep_lock.
	 */
	int64_t floor[BUS_MAX_TYPES];
	/* after a failure the sweep waits until retry_at; both under bus.backoff_lock */
	int64_t retry_at;
	int64_t backoff;
} subscriber;

struct bus {
	outbox_port outbox;
	uow raw;
	clock_port clock;
	subscriber subs[BUS_MAX_SUBSCRIBERS];
	int nsubs;
	pthread_mutex_t lock;	    /* guards kicked and stopping */
	pthread_mutex_t sweep_lock; /* one sweep at a time */
	/* subscribers' retry_at and backoff: written by committing threads and the dispatcher */
	pthread_mutex_t backoff_lock;
	pthread_cond_t cond;
	int kicked, stopping, started;
	pthread_t thread;
};

static int handles(const subscriber *s, const char *type)
{
	for (int i = 0; i < s->ntypes; i++)
		if (strcmp(s->types[i], type) == 0)
			return 1;
	return 0;
}

static void log_failure(const char *what, const subscriber *s, const domain_event *ev,
			const app_err *e)
{
	log_line l;

	log_begin(&l, "warn", what);
	log_str(&l, "subscriber", s->name);
	log_int(&l, "event", ev->id);
	log_str(&l, "type", ev->type);
	log_str(&l, "code", e->word);
	log_end(&l);
}

/*
 * Records a delivery's outcome in a unit of its own (a lone write goes
 * through the writer path like any other). A mark that cannot be written is
 * logged: the event is then delivered again (at-least-once).
 */
static void mark(bus *b, const subscriber *s, const domain_event *ev, const char *error)
{
	int64_t now = clock_now_ms(&b->clock);
	uow_tx *tx;
	app_err e;
	int rc;

	app_err_clear(&e);
	if ((rc = uow_begin(&tx, &b->raw, &e)) == 0) {
		rc = error ? outbox_mark_failed(&b->outbox, tx, ev->id, s->name, error, now, &e)
			   : outbox_mark_delivered(&b->outbox, tx, ev->id, s->name, now, &e);
		if (rc)
			uow_rollback(tx);
		else
			rc = uow_commit(tx, &e);
	}
	if (rc)
		log_failure("event delivery mark failed", s, ev, &e);
}

static void backoff_reset(bus *b, subscriber *s)
{
	pthread_mutex_lock(&b->backoff_lock);
	s->backoff = 0;
	pthread_mutex_unlock(&b->backoff_lock);
}

static void backoff_grow(bus *b, subscriber *s, int64_t now)
{
	pthread_mutex_lock(&b->backoff_lock);
	s->backoff = s->backoff ? s->backoff * 2 : 250;
	if (s->backoff > BUS_RETRY_MAX_MS)
		s->backoff = BUS_RETRY_MAX_MS;
	s->retry_at = now + s->backoff;
	pthread_mutex_unlock(&b->backoff_lock);
}

/* 1 when the subscriber's backoff after a failure is over at now; force ends it anyway. */
static int backoff_over(bus *b, subscriber *s, int64_t now, int force)
{
	int over;

	pthread_mutex_lock(&b->backoff_lock);
	if (force)
		s->retry_at = 0;
	over = s->retry_at <= now;
	pthread_mutex_unlock(&b->backoff_lock);
	return over;
}

/* Delivers one event to one subscriber and marks the outcome. */
static int deliver(bus *b, subscriber *s, const domain_event *ev)
{
	app_err e;

	app_err_clear(&e);
	if (s->handler(s->ctx, ev, &e) == 0) {
		mark(b, s, ev, NULL);
		backoff_reset(b, s);
		return 0;
	}
	log_failure("event delivery failed", s, ev, &e);
	mark(b, s, ev, e.msg[0] ? e.msg : e.word);
	backoff_grow(b, s, clock_now_ms(&b->clock));
	return -1;
}

static void kick(bus *b)
{
	pthread_mutex_lock(&b->lock);
	b->kicked = 1;
	pthread_cond_signal(&b->cond);
	pthread_mutex_unlock(&b->lock);
}

/*
 * After a commit: the unit's events (owned here, taken off its handle before
 * COMMIT) go to the synchronous subscribers in this thread, and the
 * dispatcher is woken for the asynchronous ones. A handler's own unit has
 * its own handle and list: whatever it commits or rolls back leaves these
 * events alone.
 */
static void dispatch_committed(bus *b, const event_list *evs)
{
	int wake = 0;

	for (size_t i = 0; i < evs->n; i++)
		for (int k = 0; k < b->nsubs; k++) {
			subscriber *s = &b->subs[k];

			if (!handles(s, evs->items[i].type))
				continue;
			if (s->mode == BUS_ASYNC)
				wake = 1;
			else
				deliver(b, s, &evs->items[i]);
		}
	if (wake)
		kick(b);
}

/* Delivers all pending events of one subscriber; fresh ones only when include_fresh. */
static void sweep_subscriber(bus *b, subscriber *s, int include_fresh)
{
	domain_event evs[BUS_BATCH];
	int64_t now = clock_now_ms(&b->clock);

	if (!backoff_over(b, s, now, include_fresh))
		return;
	for (int t = 0; t < s->ntypes; t++) {
		int64_t after = s->floor[t], settled, upto;
		int first = 1;
		size_t n;

		/* settled first: what the next read finds delivered is delivered up to it */
		if (outbox_settled_id(&settled, &b->outbox, NULL, s->types[t], NULL))
			return;
		do {
			int failed = 0;

			if (outbox_pending(evs, &n, &b->outbox, NULL, s->name, s->types[t], after,
					   BUS_BATCH, NULL))
				return;
			/* the first batch: all before its first event is delivered */
			upto = n ? evs[0].id - 1 : settled;
			if (first && upto > settled)
				upto = settled;
			if (first && upto > s->floor[t])
				s->floor[t] = upto;
			first = 0;
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
	for (int k = 0; k < b->nsubs; k++)
		sweep_subscriber(b, &b->subs[k], include_fresh);
	pthread_mutex_unlock(&b->sweep_lock);
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

static int bus_uow_begin(uow_tx **tx, void *self, app_err *err)
{
	bus *b = self;

	return uow_begin(tx, &b->raw, err);
}

static int bus_uow_commit(void *self, uow_tx *tx, app_err *err)
{
	bus *b = self;
	event_list evs = event_list_take(&tx->pending);
	int rc = b->raw.vtbl->commit(b->raw.self, tx, err); /* tx ends here */

	if (rc == 0)
		dispatch_committed(b, &evs);
	event_list_dispose(&evs);
	return rc;
}

static void bus_uow_rollback(void *self, uow_tx *tx)
{
	bus *b = self;

	event_list_dispose(&tx->pending);
	b->raw.vtbl->rollback(b->raw.self, tx);
}

static const uow_vtbl bus_uow_vtbl = {
    .begin = bus_uow_begin,
    .commit = bus_uow_commit,
    .rollback = bus_uow_rollback,
};

uow bus_uow(bus *b)
{
	return (uow){.vtbl = &bus_uow_vtbl, .self = b};
}

static int bus_publish(void *self, uow_tx *tx, domain_event *ev, app_err *err)
{
	bus *b = self;
	int rc;

	assert(tx->ends.vtbl == &bus_uow_vtbl); /* a unit from bus_uow(), so it is dispatched */
	if ((rc = outbox_append(&b->outbox, tx, ev, clock_now_ms(&b->clock), err)))
		return rc;
	if (event_list_push(&tx->pending, ev))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	return 0;
}

static const event_publisher_vtbl bus_pub_vtbl = {.publish = bus_publish};

event_publisher bus_publisher(bus *b)
{
	return (event_publisher){.vtbl = &bus_pub_vtbl, .self = b};
}

int64_t bus_backlog(bus *b)
{
	int64_t total = 0, n;

	for (int k = 0; k < b->nsubs; k++)
		for (int t = 0; t < b->subs[k].ntypes; t++)
			if (outbox_pending_count(&n, &b->outbox, NULL, b->subs[k].name,
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
	pthread_mutex_init(&b->backoff_lock, NULL);
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
	sweep(b, 1); /* every backoff is over now */
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
	pthread_mutex_destroy(&b->backoff_lock);
	pthread_mutex_destroy(&b->sweep_lock);
	pthread_mutex_destroy(&b->lock);
	free(b);
}
