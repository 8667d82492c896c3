/* The event bus: dispatch after commit, marks, retries and redelivery across a restart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/system/system.h"
#include "adapters/bus/bus.h"
#include "fakes/fakes.h"
#include "support/test_env.h"

typedef struct recorder {
	atomic_int calls;
	int fail_times; /* fail this many calls first */
	int64_t last_id;
	char last_type[48];
	bus *republish_on; /* when set, publishes "chain.next" from the handler */
} recorder;

static int record(void *ctx, const domain_event *ev, app_err *err)
{
	recorder *r = ctx;

	atomic_fetch_add(&r->calls, 1);
	if (r->fail_times > 0) {
		r->fail_times--;
		return app_err_set(err, APP_EIO, NULL, NULL, "handler failed on purpose");
	}
	r->last_id = ev->id;
	snprintf(r->last_type, sizeof(r->last_type), "%s", ev->type);
	if (r->republish_on && strcmp(ev->type, "chain.first") == 0) {
		uow u = bus_uow(r->republish_on);
		event_publisher p = bus_publisher(r->republish_on);
		domain_event next;
		uow_tx *tx;

		if (uow_begin(&tx, &u, err))
			return -1;
		domain_event_init(&next, "chain.next");
		event_publish(&p, tx, &next, err);
		domain_event_dispose(&next);
		return uow_commit(tx, err);
	}
	return 0;
}

static int publish_one(bus *b, const char *type, int commit)
{
	uow u = bus_uow(b);
	event_publisher p = bus_publisher(b);
	domain_event ev;
	uow_tx *tx;
	app_err err;
	int rc;

	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	domain_event_init(&ev, type);
	domain_event_add_int(&ev, "x", 1);
	rc = event_publish(&p, tx, &ev, &err);
	domain_event_dispose(&ev);
	assert_int_equal(rc, 0);
	if (commit)
		return uow_commit(tx, &err);
	uow_rollback(tx);
	return 0;
}

typedef struct world {
	fake_outbox outbox;
	fake_uow uow;
	fake_clock clock;
	bus *bus;
} world;

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	app_err err;

	w->clock.now = 1000000;
	assert_int_equal(bus_new(&w->bus, fake_outbox_port(&w->outbox), fake_uow_port(&w->uow),
				 fake_clock_port(&w->clock), &err),
			 0);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;

	bus_free(w->bus);
	fake_outbox_dispose(&w->outbox);
	free(w);
	return 0;
}

static const char *const THING[] = {"thing.done", NULL};

static void test_sync_delivery_after_commit_only(void **state)
{
	world *w = *state;
	recorder r = {0};
	app_err err;

	assert_int_equal(bus_subscribe(w->bus, "rec", THING, BUS_SYNC, record, &r, &err), 0);
	publish_one(w->bus, "thing.done", 0); /* rolled back: no delivery */
	assert_int_equal(atomic_load(&r.calls), 0);
	publish_one(w->bus, "other.type", 1);
	assert_int_equal(atomic_load(&r.calls), 0);
	assert_int_equal(publish_one(w->bus, "thing.done", 1), 0);
	assert_int_equal(atomic_load(&r.calls), 1);
	assert_string_equal(r.last_type, "thing.done");
	assert_int_equal(w->outbox.nmarks, 1);
	assert_true(w->outbox.marks[0].delivered);
	assert_string_equal(w->outbox.marks[0].subscriber, "rec");
}

static void test_failed_commit_delivers_nothing(void **state)
{
	world *w = *state;
	recorder r = {0};
	app_err err;

	assert_int_equal(bus_subscribe(w->bus, "rec", THING, BUS_SYNC, record, &r, &err), 0);
	w->uow.fail_commit = 1;
	assert_int_not_equal(publish_one(w->bus, "thing.done", 1), 0);
	assert_int_equal(atomic_load(&r.calls), 0);
}

static void test_failing_handler_is_retried_by_drain(void **state)
{
	world *w = *state;
	recorder r = {.fail_times = 1};
	app_err err;

	assert_int_equal(bus_subscribe(w->bus, "rec", THING, BUS_SYNC, record, &r, &err), 0);
	assert_int_equal(publish_one(w->bus, "thing.done", 1), 0);
	assert_int_equal(atomic_load(&r.calls), 1);
	assert_false(w->outbox.marks[0].delivered);
	assert_int_equal(bus_drain(w->bus, &err), 0);
	assert_int_equal(atomic_load(&r.calls), 2);
	assert_true(w->outbox.marks[0].delivered);
	assert_int_equal(bus_drain(w->bus, &err), 0);
	assert_int_equal(atomic_load(&r.calls), 2); /* delivered once, not again */
}

/*
 * A sweep reads only after what is delivered: the history is not asked again every
 * second (it was, from the first event on), and an event that failed is still retried.
 */
static void test_sweeps_start_after_the_delivered(void **state)
{
	world *w = *state;
	recorder r = {0};
	app_err err;

	assert_int_equal(bus_subscribe(w->bus, "rec", THING, BUS_SYNC, record, &r, &err), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(publish_one(w->bus, "thing.done", 1), 0);
	assert_int_equal(publish_one(w->bus, "other.thing", 1), 0); /* id 4, another type */
	assert_int_equal(atomic_load(&r.calls), 3);
	assert_int_equal(bus_drain(w->bus, &err), 0);
	assert_int_equal(bus_drain(w->bus, &err), 0);
	assert_int_equal(w->outbox.last_after, 3);
	r.fail_times = 1;
	assert_int_equal(publish_one(w->bus, "thing.done", 1), 0); /* id 5 fails inline */
	assert_int_equal(publish_one(w->bus, "thing.done", 1), 0); /* id 6 */
	assert_int_equal(atomic_load(&r.calls), 5);
	assert_int_equal(r.last_id, 6);
	assert_int_equal(bus_drain(w->bus, &err), 0); /* 5 again, from after 3 */
	assert_int_equal(atomic_load(&r.calls), 6);
	assert_int_equal(r.last_id, 5);
	assert_int_equal(w->outbox.last_after, 3);
	assert_int_equal(bus_drain(w->bus, &err), 0); /* all delivered: nothing is asked again */
	assert_int_equal(bus_drain(w->bus, &err), 0);
	assert_int_equal(atomic_load(&r.calls), 6);
	assert_int_equal(w->outbox.last_after, 6);
}

static void test_events_published_by_handlers_are_delivered(void **state)
{
	world *w = *state;
	static const char *const FIRST[] = {"chain.first", NULL};
	static const char *const NEXT[] = {"chain.next", NULL};
	recorder first = {.republish_on = NULL}, next = {0};
	app_err err;

	first.republish_on = w->bus;
	assert_int_equal(bus_subscribe(w->bus, "first", FIRST, BUS_SYNC, record, &first, &err), 0);
	assert_int_equal(bus_subscribe(w->bus, "next", NEXT, BUS_SYNC, record, &next, &err), 0);
	assert_int_equal(publish_one(w->bus, "chain.first", 1), 0);
	assert_int_equal(atomic_load(&first.calls), 1);
	assert_int_equal(atomic_load(&next.calls), 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "chain.next"), 1);
}

/* A handler whose own unit of work rolls back (its use case failed). */
typedef struct rollbacker {
	bus *b;
	atomic_int calls;
	char seen[64];
} rollbacker;

static int roll_back_own_unit(void *ctx, const domain_event *ev, app_err *err)
{
	rollbacker *r = ctx;
	uow u = bus_uow(r->b);
	const char *s = domain_event_str(ev, "s");
	uow_tx *tx;

	atomic_fetch_add(&r->calls, 1);
	snprintf(r->seen, sizeof(r->seen), "%s", s ? s : "(none)");
	if (uow_begin(&tx, &u, err) == 0)
		uow_rollback(tx);
	return 0;
}

static int publish_with_text(bus *b, const char *type, const char *text, int count)
{
	uow u = bus_uow(b);
	event_publisher p = bus_publisher(b);
	domain_event ev;
	uow_tx *tx;
	app_err err;
	int rc = 0;

	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	for (int i = 0; i < count && rc == 0; i++) {
		domain_event_init(&ev, type);
		domain_event_add_str(&ev, "s", text);
		rc = event_publish(&p, tx, &ev, &err);
		domain_event_dispose(&ev);
	}
	assert_int_equal(rc, 0);
	return uow_commit(tx, &err);
}

/*
 * A synchronous subscriber whose own unit rolls back must not free the
 * events being dispatched (a heap use-after-free under ASan before the unit
 * of work became a value): the next subscriber still reads the event.
 */
static void test_handler_rollback_keeps_the_event_being_dispatched(void **state)
{
	world *w = *state;
	rollbacker first = {.b = w->bus}, second = {.b = w->bus};
	app_err err;

	assert_int_equal(
	    bus_subscribe(w->bus, "first", THING, BUS_SYNC, roll_back_own_unit, &first, &err), 0);
	assert_int_equal(
	    bus_subscribe(w->bus, "second", THING, BUS_SYNC, roll_back_own_unit, &second, &err), 0);
	assert_int_equal(publish_with_text(w->bus, "thing.done", "a text field", 1), 0);
	assert_int_equal(atomic_load(&first.calls), 1);
	assert_int_equal(atomic_load(&second.calls), 1);
	assert_string_equal(second.seen, "a text field");
}

/* ...and the unit's other events are still delivered inline, not lost until a sweep. */
static void test_handler_rollback_loses_no_inline_delivery(void **state)
{
	world *w = *state;
	rollbacker r = {.b = w->bus};
	app_err err;

	assert_int_equal(
	    bus_subscribe(w->bus, "rec", THING, BUS_SYNC, roll_back_own_unit, &r, &err), 0);
	assert_int_equal(publish_with_text(w->bus, "thing.done", "x", 3), 0);
	assert_int_equal(atomic_load(&r.calls), 3);
	assert_int_equal(fake_outbox_count(&w->outbox, "thing.done"), 3);
}

static void open_db(sqlite_db **db, const char *path)
{
	app_err err;

	assert_int_equal(sqlite_db_open(db, path, &err), 0);
}

static void test_redelivery_across_restart_on_sqlite(void **state)
{
	char dir[512], path[600];
	recorder r = {0};
	sqlite_db *db;
	bus *b;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "bus-restart");
	snprintf(path, sizeof(path), "%s/bus.db", dir);

	/* first life: the event commits, then the process "dies" before any handler */
	open_db(&db, path);
	assert_int_equal(bus_new(&b, sqlite_outbox(db), sqlite_db_uow(db), system_clock(), &err),
			 0);
	assert_int_equal(publish_one(b, "thing.done", 1), 0);
	bus_free(b);
	sqlite_db_close(db);

	/* second life: start-up redelivers it */
	open_db(&db, path);
	assert_int_equal(bus_new(&b, sqlite_outbox(db), sqlite_db_uow(db), system_clock(), &err),
			 0);
	assert_int_equal(bus_subscribe(b, "rec", THING, BUS_SYNC, record, &r, &err), 0);
	assert_int_equal(bus_start(b, &err), 0);
	assert_int_equal(atomic_load(&r.calls), 1);
	assert_string_equal(r.last_type, "thing.done");
	bus_free(b);
	sqlite_db_close(db);

	/* third life: it was marked, so nothing comes again */
	open_db(&db, path);
	assert_int_equal(bus_new(&b, sqlite_outbox(db), sqlite_db_uow(db), system_clock(), &err),
			 0);
	assert_int_equal(bus_subscribe(b, "rec", THING, BUS_SYNC, record, &r, &err), 0);
	assert_int_equal(bus_start(b, &err), 0);
	assert_int_equal(atomic_load(&r.calls), 1);
	bus_free(b);
	sqlite_db_close(db);
}

static void test_async_subscriber_runs_on_dispatcher(void **state)
{
	char dir[512], path[600];
	recorder r = {0};
	sqlite_db *db;
	bus *b;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "bus-async");
	snprintf(path, sizeof(path), "%s/bus.db", dir);
	open_db(&db, path);
	assert_int_equal(bus_new(&b, sqlite_outbox(db), sqlite_db_uow(db), system_clock(), &err),
			 0);
	assert_int_equal(bus_subscribe(b, "slow", THING, BUS_ASYNC, record, &r, &err), 0);
	assert_int_equal(bus_start(b, &err), 0);
	assert_int_equal(publish_one(b, "thing.done", 1), 0);
	for (int i = 0; i < 300 && atomic_load(&r.calls) == 0; i++)
		usleep(10000);
	assert_int_equal(atomic_load(&r.calls), 1);
	bus_free(b);
	sqlite_db_close(db);
}

/* Fails its first `fail_times` calls (counted atomically), then records. */
typedef struct flaky {
	atomic_int calls, failures_left, delivered;
} flaky;

static int flaky_handler(void *ctx, const domain_event *ev, app_err *err)
{
	flaky *f = ctx;

	(void)ev;
	atomic_fetch_add(&f->calls, 1);
	if (atomic_fetch_sub(&f->failures_left, 1) > 0)
		return app_err_set(err, APP_EIO, NULL, NULL, "failing on purpose");
	atomic_fetch_add(&f->delivered, 1);
	return 0;
}

typedef struct committer {
	bus *bus;
	int units;
} committer;

static void *commit_units(void *arg)
{
	committer *c = arg;

	for (int i = 0; i < c->units; i++)
		if (publish_one(c->bus, "thing.done", 1) != 0)
			abort();
	return NULL;
}

/*
 * Request threads deliver inline (and back a failing subscriber off) while
 * the dispatcher sweeps the same subscriber: its backoff is shared state
 * (a data race under ThreadSanitizer before it had a lock). Every event is
 * delivered in the end, once the handler recovers.
 */
static void test_concurrent_commits_and_sweeps_deliver_everything(void **state)
{
	enum { THREADS = 8, UNITS = 20 };
	char dir[512], path[600];
	pthread_t th[THREADS];
	committer c[THREADS];
	recorder r = {0};
	flaky f;
	sqlite_db *db;
	bus *b;
	app_err err;

	(void)state;
	atomic_init(&f.calls, 0);
	atomic_init(&f.failures_left, THREADS * UNITS / 2);
	atomic_init(&f.delivered, 0);
	test_tmpdir(dir, sizeof(dir), "bus-concurrent");
	snprintf(path, sizeof(path), "%s/bus.db", dir);
	open_db(&db, path);
	assert_int_equal(bus_new(&b, sqlite_outbox(db), sqlite_db_uow(db), system_clock(), &err),
			 0);
	assert_int_equal(bus_subscribe(b, "flaky", THING, BUS_SYNC, flaky_handler, &f, &err), 0);
	/* an asynchronous subscriber too: every commit wakes the dispatcher to sweep */
	assert_int_equal(bus_subscribe(b, "slow", THING, BUS_ASYNC, record, &r, &err), 0);
	assert_int_equal(bus_start(b, &err), 0);
	for (int i = 0; i < THREADS; i++) {
		c[i] = (committer){b, UNITS};
		assert_int_equal(pthread_create(&th[i], NULL, commit_units, &c[i]), 0);
	}
	for (int i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	assert_int_equal(bus_drain(b, &err), 0);
	assert_int_equal(bus_backlog(b), 0);
	assert_true(atomic_load(&f.delivered) >= THREADS * UNITS);
	assert_true(atomic_load(&f.calls) >= THREADS * UNITS + THREADS * UNITS / 2);
	assert_true(atomic_load(&r.calls) >= THREADS * UNITS);
	bus_free(b);
	sqlite_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sync_delivery_after_commit_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_commit_delivers_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failing_handler_is_retried_by_drain, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_sweeps_start_after_the_delivered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_events_published_by_handlers_are_delivered, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_handler_rollback_keeps_the_event_being_dispatched,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_handler_rollback_loses_no_inline_delivery, setup,
					    teardown),
	    cmocka_unit_test(test_redelivery_across_restart_on_sqlite),
	    cmocka_unit_test(test_async_subscriber_runs_on_dispatcher),
	    cmocka_unit_test(test_concurrent_commits_and_sweeps_deliver_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
