/* Clock port: wall time in milliseconds since the Unix epoch (UTC). */
#ifndef WL_PORT_CLOCK_H
#define WL_PORT_CLOCK_H

#include <stdint.h>

typedef struct clock_port_vtbl {
	int64_t (*now_ms)(void *self);
} clock_port_vtbl;

typedef struct clock_port {
	const clock_port_vtbl *vtbl;
	void *self;
} clock_port;

static inline int64_t clock_now_ms(const clock_port *c)
{
	return c->vtbl->now_ms(c->self);
}

#endif
