/*
 * The payment provider is asked outside any unit of work and outside the
 * writer lock: while a slow provider thinks, other writes go on. Against the
 * real SQLite adapter and its writer lock (asked inside a unit, the provider
 * would hold that lock and the sign-up below would wait until the provider
 * gives up, which fails the test).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adapters/bus/bus.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/system/system.h"
#include "fakes/fakes.h"
#include "support/test_env.h"

/* A provider that holds every charge until released, or gives up after 30 s (a failure). */
typedef struct slow_provider {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int entered, released, timed_out;
} slow_provider;

static int slow_charge(char ref[PAYMENT_REF_MAX], void *self, int64_t member_id, int64_t amount,
		       const char *key, app_err *err)
{
	slow_provider *p = self;
	struct timespec until;

	(void)amount;
	(void)key;
	(void)err;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 30;
	pthread_mutex_lock(&p->lock);
	p->entered = 1;
	pthread_cond_broadcast(&p->cond);
	while (!p->released && !p->timed_out)
		if (pthread_cond_timedwait(&p->cond, &p->lock, &until) == ETIMEDOUT)
			p->timed_out = 1;
	pthread_mutex_unlock(&p->lock);
	snprintf(ref, PAYMENT_REF_MAX, "slow-%lld", (long long)member_id);
	return 0;
}

static const payment_port_vtbl slow_vtbl = {.charge = slow_charge};

typedef struct stack {
	sqlite_db *db;
	bus *bus;
	fake_crypto crypto;
	fake_limiter limiter;
	slow_provider provider;
	members_service members;
} stack;

typedef struct charger {
	stack *s;
	int64_t member_id;
	int rc;
} charger;

static void *charge_thread(void *arg)
{
	charger *c = arg;
	app_err err;

	c->rc = members_charge(NULL, NULL, &c->s->members, c->member_id, 5000, "slow-1", &err);
	return NULL;
}

static void stack_open(stack *s)
{
	char dir[512], path[600];
	members_deps d;
	app_err err;

	memset(s, 0, sizeof(*s));
	test_tmpdir(dir, sizeof(dir), "slow-provider");
	snprintf(path, sizeof(path), "%s/wl.db", dir);
	assert_int_equal(sqlite_db_open(&s->db, path, &err), 0);
	assert_int_equal(
	    bus_new(&s->bus, sqlite_outbox(s->db), sqlite_db_uow(s->db), system_clock(), &err), 0);
	pthread_mutex_init(&s->provider.lock, NULL);
	pthread_cond_init(&s->provider.cond, NULL);
	d = (members_deps){
	    .members = sqlite_member_repo(s->db),
	    .sessions = sqlite_session_repo(s->db),
	    .ledger = sqlite_ledger_repo(s->db),
	    .subscriptions = sqlite_subscription_repo(s->db),
	    .idempotency = sqlite_idempotency_repo(s->db),
	    .uow = bus_uow(s->bus),
	    .events = bus_publisher(s->bus),
	    .clock = system_clock(),
	    .crypto = fake_crypto_port(&s->crypto),
	    .payments = (payment_port){.vtbl = &slow_vtbl, .self = &s->provider},
	    .limiter = fake_limiter_port(&s->limiter),
	};
	members_service_init(&s->members, &d, NULL);
}

static void provider_wait_entered(slow_provider *p)
{
	pthread_mutex_lock(&p->lock);
	while (!p->entered)
		pthread_cond_wait(&p->cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
}

static void provider_release(slow_provider *p)
{
	pthread_mutex_lock(&p->lock);
	p->released = 1;
	pthread_cond_broadcast(&p->cond);
	pthread_mutex_unlock(&p->lock);
}

static void test_writes_go_on_while_the_provider_thinks(void **state)
{
	char token[CRYPTO_TOKEN_MAX];
	member buyer, other, after;
	ledger_entry ledger[4];
	int64_t next;
	size_t n;
	charger c;
	pthread_t th;
	stack s;
	app_err err;

	(void)state;
	stack_open(&s);
	assert_int_equal(members_signup(&buyer, token, &s.members, "buyer@example.com", "password1",
					"Buyer", NULL, &err),
			 0);
	c = (charger){.s = &s, .member_id = buyer.id, .rc = -1};
	assert_int_equal(pthread_create(&th, NULL, charge_thread, &c), 0);
	provider_wait_entered(&s.provider);

	/* the provider holds the charge: a sign-up and a grant (units, the writer lock) commit */
	assert_int_equal(members_signup(&other, token, &s.members, "other@example.com", "password1",
					"Other", NULL, &err),
			 0);
	assert_int_equal(members_grant_role(&s.members, other.id, MEMBER_ROLE_AUTHOR, &err), 0);

	provider_release(&s.provider);
	pthread_join(th, NULL);
	assert_false(s.provider.timed_out);
	assert_int_equal(c.rc, 0);
	assert_int_equal(members_get(&after, &s.members, buyer.id, &err), 0);
	assert_int_equal(after.points, 5000);
	assert_int_equal(members_ledger(ledger, &n, &next, &s.members, buyer.id, 0, 4, &err), 0);
	assert_int_equal(n, 1);
	/* the key replays the committed outcome */
	assert_int_equal(members_charge(NULL, NULL, &s.members, buyer.id, 5000, "slow-1", &err), 0);
	assert_int_equal(members_get(&after, &s.members, buyer.id, &err), 0);
	assert_int_equal(after.points, 5000);
	bus_free(s.bus);
	sqlite_db_close(s.db);
	pthread_cond_destroy(&s.provider.cond);
	pthread_mutex_destroy(&s.provider.lock);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_writes_go_on_while_the_provider_thinks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
