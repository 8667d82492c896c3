/*
 * Hit counting per key in bounded memory that other keys cannot flush.
 *
 * The old table probed 16 slots from a public hash, so anyone could compute
 * which keys collide with a victim's and push its counter out. Here a key is
 * known only by a keyed BLAKE2b hash (a random key made at start-up):
 * nobody outside can tell which keys share a set. A set has WAYS entries;
 * a new key takes an empty or expired entry, else the one with the fewest
 * hits in its window. A hot key (a victim's failures, nine of ten) therefore
 * goes only when every other entry of its secret set is at least as hot,
 * which costs an attacker that many real, counted attempts per entry.
 *
 * A window is SLICES slices of window/SLICES; hits are counted per slice,
 * and a hit counts until its slice is SLICES + 1 slices old: never for less
 * than the window, at most one slice more. Memory is fixed whatever comes in.
 */
#include "adapters/system/system.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define SETS	  8192
#define WAYS	  8
#define SLICES	  16
#define RING	  (SLICES + 1)
#define MAX_RULES 4

typedef struct entry {
	uint64_t id[2];	  /* keyed hash of the key; {0, 0}: empty */
	int64_t slice_ms; /* the width of a slice */
	int64_t newest;	  /* the newest slice counted (time / slice_ms) */
	uint32_t hits[RING];
} entry;

typedef struct limiter {
	pthread_mutex_t lock;
	unsigned char key[crypto_generichash_KEYBYTES];
	entry sets[SETS][WAYS];
} limiter;

static void key_id(uint64_t id[2], const limiter *l, const char *key)
{
	unsigned char h[16];

	crypto_generichash(h, sizeof(h), (const unsigned char *)key, strlen(key), l->key,
			   sizeof(l->key));
	memcpy(id, h, sizeof(h));
	if (!id[0] && !id[1])
		id[1] = 1; /* {0, 0} marks an empty entry */
}

/* Moves e's window to now: slices that fell out are emptied. */
static void advance(entry *e, int64_t now)
{
	int64_t at = now / e->slice_ms;

	for (int64_t s = e->newest + 1; s <= at && s <= e->newest + RING; s++)
		e->hits[s % RING] = 0;
	if (at > e->newest)
		e->newest = at;
}

static uint32_t count(const entry *e)
{
	uint32_t n = 0;

	for (int i = 0; i < RING; i++)
		n += e->hits[i];
	return n;
}

/* Milliseconds until e's oldest counted hit stops counting. */
static int64_t retry_after(const entry *e, int64_t now)
{
	for (int64_t s = e->newest - RING + 1; s <= e->newest; s++)
		if (s >= 0 && e->hits[s % RING])
			return (s + RING) * e->slice_ms - now;
	return 0;
}

static int in_list(const entry *e, entry *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (list[i] == e)
			return 1;
	return 0;
}

/*
 * key's entry, advanced to now; NULL when absent and !create. A new one
 * replaces an empty entry, else the coldest (fewest hits, then the least
 * recent) that is not in keep.
 */
static entry *find(limiter *l, const char *key, int64_t window_ms, int64_t now, int create,
		   entry *const *keep, size_t nkeep)
{
	uint64_t id[2];
	entry *set, *victim = NULL;
	uint32_t victim_hits = 0;

	key_id(id, l, key);
	set = l->sets[id[0] % SETS];
	for (int w = 0; w < WAYS; w++) {
		entry *e = &set[w];
		uint32_t n;

		if (e->id[0] == id[0] && e->id[1] == id[1]) {
			advance(e, now);
			return e;
		}
		if (in_list(e, keep, nkeep))
			continue;
		if (e->id[0] || e->id[1])
			advance(e, now);
		n = e->id[0] || e->id[1] ? count(e) : 0;
		if (!victim || n < victim_hits ||
		    (n == victim_hits && e->newest < victim->newest)) {
			victim = e;
			victim_hits = n;
		}
	}
	if (!create || !victim)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->id[0] = id[0];
	victim->id[1] = id[1];
	victim->slice_ms = window_ms / SLICES + (window_ms % SLICES != 0);
	if (victim->slice_ms < 1)
		victim->slice_ms = 1;
	victim->newest = now / victim->slice_ms;
	return victim;
}

static int take_impl(void *self, const limiter_rule *rules, size_t n, int64_t now,
		     int64_t *retry_after_ms)
{
	limiter *l = self;
	entry *taken[MAX_RULES];
	size_t k;

	*retry_after_ms = 0;
	if (n > MAX_RULES)
		n = MAX_RULES;
	pthread_mutex_lock(&l->lock);
	for (k = 0; k < n; k++) {
		entry *e = find(l, rules[k].key, rules[k].window_ms, now, 0, NULL, 0);

		if (e && count(e) >= (uint32_t)rules[k].max) {
			*retry_after_ms = retry_after(e, now);
			pthread_mutex_unlock(&l->lock);
			return (int)k + 1;
		}
	}
	for (k = 0; k < n; k++) {
		entry *e = find(l, rules[k].key, rules[k].window_ms, now, 1, taken, k);

		taken[k] = e;
		if (e)
			e->hits[e->newest % RING]++;
	}
	pthread_mutex_unlock(&l->lock);
	return 0;
}

static void give_back_impl(void *self, const char *key, int64_t taken_at)
{
	limiter *l = self;
	entry *e;

	pthread_mutex_lock(&l->lock);
	e = find(l, key, 0, taken_at, 0, NULL, 0);
	if (e) {
		int64_t s = taken_at / e->slice_ms;

		if (s > e->newest - RING && s <= e->newest && e->hits[s % RING] > 0)
			e->hits[s % RING]--;
	}
	pthread_mutex_unlock(&l->lock);
}

static void reset_impl(void *self, const char *key)
{
	limiter *l = self;
	uint64_t id[2];
	entry *set;

	key_id(id, l, key);
	pthread_mutex_lock(&l->lock);
	set = l->sets[id[0] % SETS];
	for (int w = 0; w < WAYS; w++)
		if (set[w].id[0] == id[0] && set[w].id[1] == id[1])
			memset(&set[w], 0, sizeof(set[w]));
	pthread_mutex_unlock(&l->lock);
}

static const limiter_port_vtbl limiter_vtbl = {
    .take = take_impl,
    .give_back = give_back_impl,
    .reset = reset_impl,
};

limiter_port system_limiter_new(void)
{
	limiter *l;

	if (sodium_init() < 0 || !(l = calloc(1, sizeof(*l))))
		abort();
	pthread_mutex_init(&l->lock, NULL);
	randombytes_buf(l->key, sizeof(l->key));
	return (limiter_port){.vtbl = &limiter_vtbl, .self = l};
}

void system_limiter_free(limiter_port *lp)
{
	limiter *l = lp->self;

	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	sodium_memzero(l->key, sizeof(l->key));
	free(l);
	lp->self = NULL;
}
