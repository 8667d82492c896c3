/*
 * System adapters: the real clock, the in-memory attempt limiter, jitter
 * randomness, and the password hashing pool.
 */
#ifndef WL_SYSTEM_H
#define WL_SYSTEM_H

#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/limiter.h"
#include "ports/random.h"

clock_port system_clock(void);

/* Uniform [0, 1] values for backoff jitter; stateless port, per-thread generator. */
random_port system_random(void);

/*
 * A limiter shared by all threads, in fixed memory (about 7 MB), keyed by a
 * secret hash so that no key can be made to push out another; free with
 * system_limiter_free().
 */
limiter_port system_limiter_new(void);
void system_limiter_free(limiter_port *l);

/* The password hashing pool: threads hash at once, queue more wait, the rest are APP_EBUSY. */
typedef struct system_pwpool_config {
	int threads; /* default: the CPUs */
	int queue;   /* default: 8 per thread */
	int nice;    /* the threads' priority, default 10 (lower than the HTTP workers) */
} system_pwpool_config;
system_pwpool_config system_pwpool_config_default(void);

/*
 * A crypto port that runs inner's password hash and verify on the pool
 * (inner stays the caller's, and must outlive the pool). Free with
 * system_pwpool_free(), which finishes the calls already queued.
 */
int system_pwpool_new(crypto_port *out, crypto_port inner, const system_pwpool_config *cfg,
		      app_err *err);
void system_pwpool_free(crypto_port *c);

#endif
