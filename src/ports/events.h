/*
 * Event publisher: appends an event to the outbox inside the caller's open
 * unit of work (tx, never NULL). It is dispatched to subscribers only after
 * that unit commits; a unit that rolls back takes its events with it.
 */
#ifndef WL_PORT_EVENTS_H
#define WL_PORT_EVENTS_H

#include "domain/common/err.h"
#include "domain/common/event.h"
#include "ports/uow.h"

typedef struct event_publisher_vtbl {
	/* Sets ev->id and ev->created_at. */
	int (*publish)(void *self, uow_tx *tx, domain_event *ev, app_err *err);
} event_publisher_vtbl;

typedef struct event_publisher {
	const event_publisher_vtbl *vtbl;
	void *self;
} event_publisher;

/* An event whose building failed (ev->error) is refused with that code. */
static inline int event_publish(const event_publisher *p, uow_tx *tx, domain_event *ev,
				app_err *err)
{
	assert(tx); /* an event belongs to the unit that changed the state */
	if (ev->error)
		return app_err_set(err, ev->error, NULL, NULL, "cannot build event %s", ev->type);
	return p->vtbl->publish(p->self, tx, ev, err);
}

/* Publishes ev (built by the caller) and disposes it, whether or not it was published. */
static inline int event_publish_owned(const event_publisher *p, uow_tx *tx, domain_event *ev,
				      app_err *err)
{
	int rc = event_publish(p, tx, ev, err);

	domain_event_dispose(ev);
	return rc;
}

#endif
