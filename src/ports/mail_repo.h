/* Mail outbox repository: messages waiting for the relay, durable until sent. */
#ifndef WL_PORT_MAIL_REPO_H
#define WL_PORT_MAIL_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/mail/mail_item.h"
#include "ports/uow.h"

typedef struct mail_counts {
	int64_t queued, sent, failed;
	int64_t oldest_queued_at; /* 0: none queued */
} mail_counts;

typedef struct mail_repo_vtbl {
	/* Sets m->id. */
	int (*insert)(void *self, uow_tx *tx, mail_item *m, app_err *err);
	/*
	 * Queued messages due at now (next_attempt_at <= now) and not leased,
	 * oldest first, at most cap: each is leased until now + lease_ms in tx.
	 * The caller disposes out[i].
	 */
	int (*claim_due)(mail_item *out, size_t *n, void *self, uow_tx *tx, int64_t now,
			 int64_t lease_ms, size_t cap, app_err *err);
	/* Records the outcome of one attempt: status, attempts, next_attempt_at, last_error. */
	int (*record)(void *self, uow_tx *tx, const mail_item *m, app_err *err);
	int (*find)(mail_item *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	int (*counts)(mail_counts *out, void *self, uow_tx *tx, app_err *err);
} mail_repo_vtbl;

typedef struct mail_repo {
	const mail_repo_vtbl *vtbl;
	void *self;
} mail_repo;

static inline int mail_repo_insert(const mail_repo *r, uow_tx *tx, mail_item *m, app_err *err)
{
	return r->vtbl->insert(r->self, tx, m, err);
}
static inline int mail_repo_claim_due(mail_item *out, size_t *n, const mail_repo *r, uow_tx *tx,
				      int64_t now, int64_t lease_ms, size_t cap, app_err *err)
{
	return r->vtbl->claim_due(out, n, r->self, tx, now, lease_ms, cap, err);
}
static inline int mail_repo_record(const mail_repo *r, uow_tx *tx, const mail_item *m, app_err *err)
{
	return r->vtbl->record(r->self, tx, m, err);
}
static inline int mail_repo_find(mail_item *out, const mail_repo *r, uow_tx *tx, int64_t id,
				 app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, err);
}
static inline int mail_repo_counts(mail_counts *out, const mail_repo *r, uow_tx *tx, app_err *err)
{
	return r->vtbl->counts(out, r->self, tx, err);
}

#endif
