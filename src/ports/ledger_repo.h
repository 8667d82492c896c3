/* Points ledger repository: append-only. */
#ifndef WL_PORT_LEDGER_REPO_H
#define WL_PORT_LEDGER_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"
#include "domain/members/member.h"

typedef struct ledger_repo_vtbl {
	/* Sets e->id; ids grow with time. */
	int (*append)(void *self, uow_tx *tx, ledger_entry *e, app_err *err);
	int (*find)(ledger_entry *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/*
	 * Up to limit entries of member with id < before_id (0: from the newest),
	 * newest first, into out (capacity limit). Writes the count to *n.
	 */
	int (*list)(ledger_entry *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int64_t before_id, size_t limit, app_err *err);
} ledger_repo_vtbl;

typedef struct ledger_repo {
	const ledger_repo_vtbl *vtbl;
	void *self;
} ledger_repo;

static inline int ledger_repo_append(const ledger_repo *r, uow_tx *tx, ledger_entry *e,
				     app_err *err)
{
	return r->vtbl->append(r->self, tx, e, err);
}
static inline int ledger_repo_find(ledger_entry *out, const ledger_repo *r, uow_tx *tx, int64_t id,
				   app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, err);
}
static inline int ledger_repo_list(ledger_entry *out, size_t *n, const ledger_repo *r, uow_tx *tx,
				   int64_t member_id, int64_t before_id, size_t limit, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, member_id, before_id, limit, err);
}

#endif
