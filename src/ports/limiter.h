/* Attempt limiter: counts failures per key in a sliding window. */
#ifndef WL_PORT_LIMITER_H
#define WL_PORT_LIMITER_H

#include <stdint.h>

typedef struct limiter_port_vtbl {
	/* Number of failures recorded for key within the last window_ms. */
	int (*failures)(void *self, const char *key, int64_t now_ms, int64_t window_ms);
	void (*record_failure)(void *self, const char *key, int64_t now_ms);
	void (*reset)(void *self, const char *key);
} limiter_port_vtbl;

typedef struct limiter_port {
	const limiter_port_vtbl *vtbl;
	void *self;
} limiter_port;

static inline int limiter_failures(const limiter_port *l, const char *key, int64_t now,
				   int64_t window)
{
	return l->vtbl->failures(l->self, key, now, window);
}

static inline void limiter_record_failure(const limiter_port *l, const char *key, int64_t now)
{
	l->vtbl->record_failure(l->self, key, now);
}

static inline void limiter_reset(const limiter_port *l, const char *key)
{
	l->vtbl->reset(l->self, key);
}

#endif
