/*
 * Failure counting per key in a fixed-size open-addressing table. Each slot
 * keeps the timestamps of the most recent failures in a ring; a full table
 * evicts the slot whose newest failure is oldest, so memory stays bounded
 * whatever an attacker sends.
 */
#include "adapters/system/system.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS	4096
#define RING	64
#define KEY_MAX 280

typedef struct slot {
	char key[KEY_MAX];
	int64_t at[RING];
	unsigned n;   /* failures recorded (ring head = n % RING) */
	int64_t last; /* newest failure */
} slot;

typedef struct limiter {
	pthread_mutex_t lock;
	slot slots[SLOTS];
} limiter;

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* The slot of key, or NULL; with create, claims a slot (evicting if needed). */
static slot *find(limiter *l, const char *key, int create)
{
	uint64_t h = hash(key);
	slot *victim = NULL;

	for (unsigned i = 0; i < 16; i++) {
		slot *s = &l->slots[(h + i) % SLOTS];

		if (s->key[0] && strncmp(s->key, key, KEY_MAX - 1) == 0)
			return s;
		if (!victim || !s->key[0] || (victim->key[0] && s->last < victim->last))
			victim = s;
	}
	if (!create)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	strncpy(victim->key, key, KEY_MAX - 1);
	return victim;
}

static int failures_impl(void *self, const char *key, int64_t now, int64_t window)
{
	limiter *l = self;
	int count = 0;
	slot *s;

	pthread_mutex_lock(&l->lock);
	s = find(l, key, 0);
	if (s) {
		unsigned have = s->n < RING ? s->n : RING;

		for (unsigned i = 0; i < have; i++)
			if (s->at[i] > now - window)
				count++;
	}
	pthread_mutex_unlock(&l->lock);
	return count;
}

static void record_impl(void *self, const char *key, int64_t now)
{
	limiter *l = self;
	slot *s;

	pthread_mutex_lock(&l->lock);
	s = find(l, key, 1);
	s->at[s->n % RING] = now;
	s->n++;
	s->last = now;
	pthread_mutex_unlock(&l->lock);
}

static void reset_impl(void *self, const char *key)
{
	limiter *l = self;
	slot *s;

	pthread_mutex_lock(&l->lock);
	if ((s = find(l, key, 0)))
		memset(s->at, 0, sizeof(s->at)), s->n = 0;
	pthread_mutex_unlock(&l->lock);
}

static const limiter_port_vtbl limiter_vtbl = {
    .failures = failures_impl,
    .record_failure = record_impl,
    .reset = reset_impl,
};

limiter_port system_limiter_new(void)
{
	limiter *l = calloc(1, sizeof(*l));

	if (!l)
		abort();
	pthread_mutex_init(&l->lock, NULL);
	return (limiter_port){&limiter_vtbl, l};
}

void system_limiter_free(limiter_port *lp)
{
	limiter *l = lp->self;

	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	free(l);
	lp->self = NULL;
}
