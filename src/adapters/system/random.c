/* The random port for jitter: a per-thread xorshift64* seeded from the time and the thread. */
#include "adapters/system/system.h"

#include <stdint.h>
#include <time.h>

static _Thread_local uint64_t state;

static uint64_t next(void)
{
	if (state == 0) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		/* the address of the thread-local differs per thread */
		state = ((uint64_t)ts.tv_sec * 1000000007ULL) ^ (uint64_t)ts.tv_nsec ^
			(uint64_t)(uintptr_t)&state;
		if (state == 0)
			state = 0x9E3779B97F4A7C15ULL;
	}
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 2685821657736338717ULL;
}

static double unit(void *self)
{
	(void)self;
	/* 53 random bits over 2^53 - 1: both ends reachable */
	return (double)(next() >> 11) / 9007199254740991.0;
}

static const random_port_vtbl vtbl = {.unit = unit};

random_port system_random(void)
{
	return (random_port){.vtbl = &vtbl, .self = NULL};
}
