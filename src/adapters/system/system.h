/* System adapters: the real clock and the in-memory login attempt limiter. */
#ifndef WL_SYSTEM_H
#define WL_SYSTEM_H

#include "ports/clock.h"
#include "ports/limiter.h"

clock_port system_clock(void);

/* A limiter shared by all threads; free with system_limiter_free(). */
limiter_port system_limiter_new(void);
void system_limiter_free(limiter_port *l);

#endif
