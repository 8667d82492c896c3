/*
 * Event publisher: appends an event to the outbox inside the current unit of
 * work. It is dispatched to subscribers only after that unit commits.
 */
#ifndef WL_PORT_EVENTS_H
#define WL_PORT_EVENTS_H

#include "domain/common/err.h"
#include "domain/common/event.h"

typedef struct event_publisher_vtbl {
	/* Sets ev->id and ev->created_at. */
	int (*publish)(void *self, domain_event *ev, app_err *err);
} event_publisher_vtbl;

typedef struct event_publisher {
	const event_publisher_vtbl *vtbl;
	void *self;
} event_publisher;

static inline int event_publish(const event_publisher *p, domain_event *ev, app_err *err)
{
	return p->vtbl->publish(p->self, ev, err);
}

/* Publishes ev (built by the caller) and disposes it, whether or not it was published. */
static inline int event_publish_owned(const event_publisher *p, domain_event *ev, app_err *err)
{
	int rc = event_publish(p, ev, err);

	domain_event_dispose(ev);
	return rc;
}

#endif
