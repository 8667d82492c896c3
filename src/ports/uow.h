/*
 * Unit of work: the writes a use case makes between uow_begin() and
 * uow_commit() land together or not at all.
 *
 * A unit is a value, not thread state (the shape of git's ref_transaction):
 * uow_begin() hands out a handle that the use case passes to every
 * repository call and to the event publisher. Events published in the unit
 * wait on the handle and reach subscribers only after COMMIT succeeded.
 *
 *	uow_tx *tx;
 *
 *	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
 *		return rc;
 *	if ((rc = thing_repo_insert(&svc->d.things, tx, &t, err)) ||
 *	    (rc = event_publish_owned(&svc->d.events, tx, &ev, err))) {
 *		uow_rollback(tx);
 *		return rc;
 *	}
 *	return uow_commit(tx, err); // ends the unit whatever the outcome
 *
 * Rules (misuse is a programming error and asserted by the implementations):
 * - Units do not nest. A use case that must join another core's writes calls
 *   that core's `_in(tx, ...)` form with its own handle; the `_in` form never
 *   begins, commits or rolls back.
 * - Every write takes the handle of an open unit, a lone write too. Reads take
 *   the handle inside a unit (they see its writes) and NULL outside one.
 * - uow_commit() and uow_rollback() end the unit: the handle is gone after
 *   either. uow_rollback(NULL) does nothing, for cleanup paths.
 * - A handle belongs to the thread that began it, and no call to anything
 *   outside the process (payment provider, LLM, SMTP) happens while it is
 *   open: record the intent, call out, then commit the outcome.
 */
#ifndef WL_PORT_UOW_H
#define WL_PORT_UOW_H

#include <assert.h>
#include <stddef.h>

#include "domain/common/err.h"
#include "domain/common/event.h"

typedef struct uow_tx uow_tx;

typedef struct uow_vtbl {
	/* Opens a unit: *tx is its handle. */
	int (*begin)(uow_tx **tx, void *self, app_err *err);
	/* Commits and ends the unit; when COMMIT fails the unit is rolled back. */
	int (*commit)(void *self, uow_tx *tx, app_err *err);
	/* Rolls back and ends the unit. */
	void (*rollback)(void *self, uow_tx *tx);
} uow_vtbl;

typedef struct uow {
	const uow_vtbl *vtbl;
	void *self;
} uow;

/*
 * The part of a handle every implementation shares (an implementation embeds
 * it as the first member of its own handle). Cores never look inside.
 */
struct uow_tx {
	uow ends;	    /* the unit of work that began it: commit and rollback go there */
	event_list pending; /* published in this unit, in order: dispatched after commit */
};

static inline int uow_begin(uow_tx **tx, const uow *u, app_err *err)
{
	int rc = u->vtbl->begin(tx, u->self, err);

	if (rc == 0)
		(*tx)->ends = *u;
	return rc;
}

static inline int uow_commit(uow_tx *tx, app_err *err)
{
	assert(tx);
	return tx->ends.vtbl->commit(tx->ends.self, tx, err);
}

static inline void uow_rollback(uow_tx *tx)
{
	if (tx)
		tx->ends.vtbl->rollback(tx->ends.self, tx);
}

/*
 * The tail of a use case: commits tx when rc is 0 (then the commit's result
 * is the answer), else rolls it back and answers rc.
 */
static inline int uow_finish(uow_tx *tx, int rc, app_err *err)
{
	if (rc) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

#endif
