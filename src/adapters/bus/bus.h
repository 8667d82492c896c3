/*
 * The in-process event bus over the transactional outbox.
 *
 * Use cases publish through bus_publisher() in a unit of work begun from
 * bus_uow(): the events are rows of the outbox in that same transaction and
 * wait on the unit's handle. After that unit commits, synchronous
 * subscribers run in the committing thread and asynchronous ones on the
 * bus's dispatcher thread; a unit that rolls back (or whose COMMIT fails)
 * dispatches nothing. Each delivery is marked per subscriber; whatever was
 * not marked (a crash, a failing handler) is delivered again by the
 * dispatcher and at start-up. Delivery is at-least-once: handlers must be
 * idempotent. A handler may run units of its own (their events are
 * dispatched when they commit); it never sees the unit it was called from.
 */
#ifndef WL_BUS_H
#define WL_BUS_H

#include "domain/common/event.h"
#include "ports/clock.h"
#include "ports/events.h"
#include "ports/outbox.h"
#include "ports/uow.h"

typedef struct bus bus;

typedef int (*bus_handler)(void *ctx, const domain_event *ev, app_err *err);

typedef enum { BUS_SYNC = 0, BUS_ASYNC = 1 } bus_mode;

/* raw_uow is the storage's unit of work; the bus wraps it. */
int bus_new(bus **out, outbox_port outbox, uow raw_uow, clock_port clock, app_err *err);

/*
 * Registers a subscriber before bus_start(). name is the durable identity of
 * its delivery marks: never rename a subscriber. types ends with NULL.
 */
int bus_subscribe(bus *b, const char *name, const char *const *types, bus_mode mode,
		  bus_handler handler, void *ctx, app_err *err);

event_publisher bus_publisher(bus *b);
uow bus_uow(bus *b);

/* Delivers everything still pending (start-up redelivery), then starts the dispatcher. */
int bus_start(bus *b, app_err *err);

/* Delivers everything pending to every subscriber, in this thread. */
int bus_drain(bus *b, app_err *err);

/* Deliveries still owed: events not yet marked for a subscriber that handles them. */
int64_t bus_backlog(bus *b);

/* Stops the dispatcher thread (pending deliveries stay in the outbox). */
void bus_stop(bus *b);
void bus_free(bus *b);

#endif
