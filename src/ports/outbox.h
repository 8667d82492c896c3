/*
 * Outbox store: the durable event log the bus reads and marks. Events are
 * appended inside a use case's unit of work (see events.h); deliveries are
 * marked per subscriber so each subscriber sees every event at least once.
 */
#ifndef WL_PORT_OUTBOX_H
#define WL_PORT_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"
#include "domain/common/event.h"

typedef struct outbox_port_vtbl {
	/* Appends in the current unit of work; sets ev->id and ev->created_at. */
	int (*append)(void *self, uow_tx *tx, domain_event *ev, int64_t now, app_err *err);
	/*
	 * Events of type with id > after_id not yet delivered to subscriber,
	 * oldest first, at most limit. The caller disposes each out[i].
	 */
	int (*pending)(domain_event *out, size_t *n, void *self, uow_tx *tx, const char *subscriber,
		       const char *type, int64_t after_id, size_t limit, app_err *err);
	/*
	 * An id at and below which every event of type that will ever exist is
	 * stored already: with one writer at a time and ids in commit order
	 * (SQLite) the latest id; 0 when none, or when the store cannot say
	 * (ids handed out before commits that may land out of order).
	 */
	int (*settled_id)(int64_t *out, void *self, uow_tx *tx, const char *type, app_err *err);
	int (*mark_delivered)(void *self, uow_tx *tx, int64_t event_id, const char *subscriber,
			      int64_t now, app_err *err);
	/* Records a failed attempt (attempts + 1, last error). */
	int (*mark_failed)(void *self, uow_tx *tx, int64_t event_id, const char *subscriber,
			   const char *error, int64_t now, app_err *err);
	/* The event log: id > after_id, type filter when type != NULL, oldest first. */
	int (*list)(domain_event *out, size_t *n, void *self, uow_tx *tx, int64_t after_id,
		    const char *type, size_t limit, app_err *err);
	/* Failed delivery attempts recorded so far (for metrics). */
	int (*failures)(int64_t *out, void *self, uow_tx *tx, app_err *err);
	/* Events of type not yet delivered to subscriber (for metrics). */
	int (*pending_count)(int64_t *out, void *self, uow_tx *tx, const char *subscriber,
			     const char *type, app_err *err);
} outbox_port_vtbl;

typedef struct outbox_port {
	const outbox_port_vtbl *vtbl;
	void *self;
} outbox_port;

static inline int outbox_append(const outbox_port *o, uow_tx *tx, domain_event *ev, int64_t now,
				app_err *err)
{
	return o->vtbl->append(o->self, tx, ev, now, err);
}
static inline int outbox_pending(domain_event *out, size_t *n, const outbox_port *o, uow_tx *tx,
				 const char *subscriber, const char *type, int64_t after_id,
				 size_t limit, app_err *err)
{
	return o->vtbl->pending(out, n, o->self, tx, subscriber, type, after_id, limit, err);
}
static inline int outbox_settled_id(int64_t *out, const outbox_port *o, uow_tx *tx,
				    const char *type, app_err *err)
{
	return o->vtbl->settled_id(out, o->self, tx, type, err);
}
static inline int outbox_mark_delivered(const outbox_port *o, uow_tx *tx, int64_t event_id,
					const char *subscriber, int64_t now, app_err *err)
{
	return o->vtbl->mark_delivered(o->self, tx, event_id, subscriber, now, err);
}
static inline int outbox_mark_failed(const outbox_port *o, uow_tx *tx, int64_t event_id,
				     const char *subscriber, const char *error, int64_t now,
				     app_err *err)
{
	return o->vtbl->mark_failed(o->self, tx, event_id, subscriber, error, now, err);
}
static inline int outbox_list(domain_event *out, size_t *n, const outbox_port *o, uow_tx *tx,
			      int64_t after_id, const char *type, size_t limit, app_err *err)
{
	return o->vtbl->list(out, n, o->self, tx, after_id, type, limit, err);
}
static inline int outbox_failures(int64_t *out, const outbox_port *o, uow_tx *tx, app_err *err)
{
	return o->vtbl->failures(out, o->self, tx, err);
}

static inline int outbox_pending_count(int64_t *out, const outbox_port *o, uow_tx *tx,
				       const char *subscriber, const char *type, app_err *err)
{
	return o->vtbl->pending_count(out, o->self, tx, subscriber, type, err);
}

#endif
