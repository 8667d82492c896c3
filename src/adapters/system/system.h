/* System adapters: the real clock, the in-memory login attempt limiter, jitter randomness. */
#ifndef WL_SYSTEM_H
#define WL_SYSTEM_H

#include "ports/clock.h"
#include "ports/limiter.h"
#include "ports/random.h"

clock_port system_clock(void);

/* Uniform [0, 1] values for backoff jitter; stateless port, per-thread generator. */
random_port system_random(void);

/* A limiter shared by all threads; free with system_limiter_free(). */
limiter_port system_limiter_new(void);
void system_limiter_free(limiter_port *l);

#endif
