/* Random port: uniform numbers for jitter (not for secrets: see crypto.h). */
#ifndef WL_PORT_RANDOM_H
#define WL_PORT_RANDOM_H

typedef struct random_port_vtbl {
	/* A uniform value in [0, 1]. Safe to call from several threads. */
	double (*unit)(void *self);
} random_port_vtbl;

typedef struct random_port {
	const random_port_vtbl *vtbl;
	void *self;
} random_port;

static inline double random_unit(const random_port *r)
{
	return r->vtbl->unit(r->self);
}

#endif
