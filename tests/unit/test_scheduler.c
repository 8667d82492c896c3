/* The scheduler runs each task on time, one at a time, and stops with the task in hand finished. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include "adapters/scheduler/scheduler.h"

typedef struct counter {
	atomic_int runs, running, overlap;
} counter;

static void tick(void *ctx)
{
	counter *c = ctx;

	if (atomic_fetch_add(&c->running, 1) != 0)
		atomic_fetch_add(&c->overlap, 1);
	atomic_fetch_add(&c->runs, 1);
	usleep(2000);
	atomic_fetch_sub(&c->running, 1);
}

static void test_tasks_run_at_their_intervals(void **state)
{
	counter fast = {0}, slow = {0}, later = {0};
	scheduler *s;
	app_err err;

	(void)state;
	assert_int_equal(scheduler_new(&s, &err), 0);
	assert_int_equal(scheduler_add(s, "fast", 10, 1, tick, &fast, &err), 0);
	assert_int_equal(scheduler_add(s, "slow", 100000, 1, tick, &slow, &err), 0);
	assert_int_equal(scheduler_add(s, "later", 100000, 0, tick, &later, &err), 0);
	assert_int_equal(scheduler_add(s, "bad", 0, 1, tick, &later, &err), APP_EINVALID);
	assert_int_equal(scheduler_start(s, &err), 0);
	assert_int_equal(scheduler_add(s, "late", 10, 1, tick, &later, &err), APP_EINVALID);
	for (int i = 0; i < 500 && atomic_load(&fast.runs) < 5; i++)
		usleep(10000);
	scheduler_free(s); /* stops: the task in hand finishes */
	assert_true(atomic_load(&fast.runs) >= 5);
	assert_int_equal(atomic_load(&slow.runs), 1);  /* at start, then not due again */
	assert_int_equal(atomic_load(&later.runs), 0); /* first due after its interval */
	assert_int_equal(atomic_load(&fast.running), 0);
	assert_int_equal(atomic_load(&fast.overlap), 0);
}

static void test_stop_without_start(void **state)
{
	scheduler *s;
	app_err err;

	(void)state;
	assert_int_equal(scheduler_new(&s, &err), 0);
	scheduler_stop(s);
	scheduler_free(s);
	scheduler_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tasks_run_at_their_intervals),
	    cmocka_unit_test(test_stop_without_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
