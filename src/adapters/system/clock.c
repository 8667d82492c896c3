#include "adapters/system/system.h"

#include <time.h>

static int64_t now_impl(void *self)
{
	struct timespec ts;

	(void)self;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const clock_port_vtbl clock_vtbl = {.now_ms = now_impl};

clock_port system_clock(void)
{
	return (clock_port){.vtbl = &clock_vtbl, .self = NULL};
}
