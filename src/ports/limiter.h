/*
 * Attempt limiter: counts hits per key in a sliding window. A hit is taken
 * before the work it limits (a password check), so that any number of
 * parallel attempts gets at most `max` of them done, and given back when
 * the attempt turns out not to count (a correct password, an overload).
 */
#ifndef WL_PORT_LIMITER_H
#define WL_PORT_LIMITER_H

#include <stddef.h>
#include <stdint.h>

/* At most max hits on key within window_ms. */
typedef struct limiter_rule {
	const char *key;
	int max;
	int64_t window_ms;
} limiter_rule;

typedef struct limiter_port_vtbl {
	/*
	 * All or nothing, atomically: when every rule's key has fewer than its
	 * max hits within its window, records one hit at now on each and
	 * returns 0; otherwise records nothing and returns the index + 1 of the
	 * first rule that is full, with *retry_after_ms until it frees a hit.
	 */
	int (*take)(void *self, const limiter_rule *rules, size_t n, int64_t now,
		    int64_t *retry_after_ms);
	/* Removes one hit of key taken at taken_at (when it is still counted). */
	void (*give_back)(void *self, const char *key, int64_t taken_at);
	/* Forgets every hit of key. */
	void (*reset)(void *self, const char *key);
} limiter_port_vtbl;

typedef struct limiter_port {
	const limiter_port_vtbl *vtbl;
	void *self;
} limiter_port;

static inline int limiter_take(const limiter_port *l, const limiter_rule *rules, size_t n,
			       int64_t now, int64_t *retry_after_ms)
{
	return l->vtbl->take(l->self, rules, n, now, retry_after_ms);
}

static inline void limiter_give_back(const limiter_port *l, const char *key, int64_t taken_at)
{
	l->vtbl->give_back(l->self, key, taken_at);
}

static inline void limiter_reset(const limiter_port *l, const char *key)
{
	l->vtbl->reset(l->self, key);
}

#endif
