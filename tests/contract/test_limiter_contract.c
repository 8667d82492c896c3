/*
 * The limiter port's contract, on the fake and on the system adapter: take
 * up to max, all rules or none, retry-after, give back, reset, windows that
 * never end early. On the system adapter also: parallel takes of one key
 * get exactly max, and a flood of other keys cannot push a hot key out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/system/system.h"
#include "fakes/fakes.h"

#define WINDOW (15 * 60 * 1000LL)
#define T0     1767225600000LL

typedef struct impl {
	limiter_port port;
	fake_limiter *fake;
	int64_t slack; /* how much later than the window a hit may stop counting */
} impl;

static int setup_fake(void **state)
{
	impl *i = calloc(1, sizeof(*i));

	i->fake = calloc(1, sizeof(*i->fake));
	i->port = fake_limiter_port(i->fake);
	*state = i;
	return 0;
}

static int setup_system(void **state)
{
	impl *i = calloc(1, sizeof(*i));

	i->port = system_limiter_new();
	i->slack = WINDOW / 16 + 1;
	*state = i;
	return 0;
}

static int teardown(void **state)
{
	impl *i = *state;

	if (i->fake)
		free(i->fake);
	else
		system_limiter_free(&i->port);
	free(i);
	return 0;
}

static int take1(impl *i, const char *key, int max, int64_t now, int64_t *retry)
{
	limiter_rule r = {key, max, WINDOW};

	return limiter_take(&i->port, &r, 1, now, retry);
}

static void test_up_to_max_then_refused(void **state)
{
	impl *i = *state;
	int64_t retry;

	for (int k = 0; k < 10; k++)
		assert_int_equal(take1(i, "acct:a", 10, T0 + k, &retry), 0);
	assert_int_equal(take1(i, "acct:a", 10, T0 + 100, &retry), 1);
	assert_true(retry > 0 && retry <= WINDOW + i->slack);
	/* another key is unaffected */
	assert_int_equal(take1(i, "acct:b", 10, T0 + 100, &retry), 0);
}

static void test_all_rules_or_none(void **state)
{
	impl *i = *state;
	limiter_rule both[2] = {{"pair", 10, WINDOW}, {"client", 2, WINDOW}};
	int64_t retry;

	assert_int_equal(limiter_take(&i->port, both, 2, T0, &retry), 0);
	assert_int_equal(limiter_take(&i->port, both, 2, T0 + 1, &retry), 0);
	/* the client is full: the pair must not be counted either */
	for (int k = 0; k < 5; k++)
		assert_int_equal(limiter_take(&i->port, both, 2, T0 + 2, &retry), 2);
	for (int k = 0; k < 8; k++)
		assert_int_equal(take1(i, "pair", 10, T0 + 3, &retry), 0);
	assert_int_equal(take1(i, "pair", 10, T0 + 3, &retry), 1);
}

static void test_give_back_and_reset(void **state)
{
	impl *i = *state;
	int64_t retry;

	for (int k = 0; k < 3; k++)
		assert_int_equal(take1(i, "k", 3, T0 + k, &retry), 0);
	assert_int_equal(take1(i, "k", 3, T0 + 5, &retry), 1);
	limiter_give_back(&i->port, "k", T0 + 1);
	assert_int_equal(take1(i, "k", 3, T0 + 6, &retry), 0);
	assert_int_equal(take1(i, "k", 3, T0 + 7, &retry), 1);
	limiter_reset(&i->port, "k");
	for (int k = 0; k < 3; k++)
		assert_int_equal(take1(i, "k", 3, T0 + 8, &retry), 0);
	/* giving back what was never taken, or an unknown key, changes nothing */
	limiter_give_back(&i->port, "unknown", T0);
	assert_int_equal(take1(i, "k", 3, T0 + 9, &retry), 1);
}

static void test_window_never_ends_early(void **state)
{
	impl *i = *state;
	int64_t retry;

	for (int k = 0; k < 5; k++)
		assert_int_equal(take1(i, "w", 5, T0, &retry), 0);
	assert_int_equal(take1(i, "w", 5, T0 + WINDOW - 1, &retry), 1);
	assert_true(retry >= 1);
	assert_int_equal(take1(i, "w", 5, T0 + WINDOW + i->slack, &retry), 0);
}

typedef struct race {
	limiter_port *port;
	int granted;
	pthread_mutex_t lock;
} race;

static void *racer(void *arg)
{
	race *r = arg;
	limiter_rule rules[2] = {{"victim|attacker", 10, WINDOW}, {"attacker", 50, WINDOW}};
	int64_t retry;

	if (limiter_take(r->port, rules, 2, T0, &retry) == 0) {
		pthread_mutex_lock(&r->lock);
		r->granted++;
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

static void test_parallel_takes_get_exactly_max(void **state)
{
	impl *i = *state;
	race r = {.port = &i->port};
	pthread_t t[100];

	pthread_mutex_init(&r.lock, NULL);
	for (int k = 0; k < 100; k++)
		pthread_create(&t[k], NULL, racer, &r);
	for (int k = 0; k < 100; k++)
		pthread_join(t[k], NULL);
	assert_int_equal(r.granted, 10);
	pthread_mutex_destroy(&r.lock);
}

static void test_a_flood_cannot_evict_a_hot_key(void **state)
{
	impl *i = *state;
	char key[64];
	int64_t retry;

	for (int k = 0; k < 9; k++)
		assert_int_equal(take1(i, "login:victim", 10, T0, &retry), 0);
	/* far more keys than the table holds, each with one hit */
	for (int k = 0; k < 300000; k++) {
		snprintf(key, sizeof(key), "login:flood%d", k);
		take1(i, key, 10, T0 + 1, &retry);
	}
	assert_int_equal(take1(i, "login:victim", 10, T0 + 2, &retry), 0);
	assert_int_equal(take1(i, "login:victim", 10, T0 + 2, &retry), 1);
}

int main(void)
{
#define BOTH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_system, teardown)
	const struct CMUnitTest tests[] = {
	    BOTH(test_up_to_max_then_refused),
	    BOTH(test_all_rules_or_none),
	    BOTH(test_give_back_and_reset),
	    BOTH(test_window_never_ends_early),
	    cmocka_unit_test_setup_teardown(test_parallel_takes_get_exactly_max, setup_system,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_a_flood_cannot_evict_a_hot_key, setup_system,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
