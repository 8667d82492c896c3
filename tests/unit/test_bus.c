/* The event bus: dispatch after commit, marks, retries and redelivery across a restart. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/system/system.h"
#include "app/bus.h"
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

		uow_begin(&u, err);
		domain_event_init(&next, "chain.next");
		event_publish(&p, &next, err);
		domain_event_dispose(&next);
		return uow_commit(&u, err);
	}
	return 0;
}

static int publish_one(bus *b, const char *type, int commit)
{
	uow u = bus_uow(b);
	event_publisher p = bus_publisher(b);
	domain_event ev;
	app_err err;
	int rc;

	assert_int_equal(uow_begin(&u, &err), 0);
	domain_event_init(&ev, type);
	domain_event_add_int(&ev, "x", 1);
	rc = event_publish(&p, &ev, &err);
	domain_event_dispose(&ev);
	assert_int_equal(rc, 0);
	if (commit)
		return uow_commit(&u, &err);
	uow_rollback(&u);
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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sync_delivery_after_commit_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_commit_delivers_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failing_handler_is_retried_by_drain, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_events_published_by_handlers_are_delivered, setup,
					    teardown),
	    cmocka_unit_test(test_redelivery_across_restart_on_sqlite),
	    cmocka_unit_test(test_async_subscriber_runs_on_dispatcher),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
