/*
 * Wallet port: what the books core needs of a member's money, implemented
 * with the members core. Writes join the caller's unit of work (tx); reads
 * take it inside a unit and NULL outside one.
 */
#ifndef WL_PORT_WALLET_H
#define WL_PORT_WALLET_H

#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct wallet_vtbl {
	/*
	 * Debits amount for episode `number` of book_id in the caller's unit tx
	 * (never NULL), with its ledger row (naming both) and points.spent;
	 * writes the ledger id and the balance after. APP_EINSUFFICIENT (extras
	 * price, balance) when short.
	 */
	int (*spend)(int64_t *ledger_id, int64_t *balance_after, void *self, uow_tx *tx,
		     int64_t member_id, int64_t amount, int64_t book_id, int64_t number,
		     app_err *err);
	/* The balance after a recorded ledger entry (for idempotent replays). */
	int (*entry_balance)(int64_t *balance_after, void *self, uow_tx *tx, int64_t ledger_id,
			     app_err *err);
	int (*balance)(int64_t *out, void *self, uow_tx *tx, int64_t member_id, app_err *err);
	/*
	 * *active is 1 when the member's subscription is active now. A lookup that
	 * fails is an error, never "not subscribed".
	 */
	int (*subscribed)(int *active, void *self, uow_tx *tx, int64_t member_id, app_err *err);
	int64_t (*subscription_price)(void *self);
} wallet_vtbl;

typedef struct wallet_port {
	const wallet_vtbl *vtbl;
	void *self;
} wallet_port;

static inline int wallet_spend(int64_t *ledger_id, int64_t *balance_after, const wallet_port *w,
			       uow_tx *tx, int64_t member_id, int64_t amount, int64_t book_id,
			       int64_t number, app_err *err)
{
	assert(tx);
	return w->vtbl->spend(ledger_id, balance_after, w->self, tx, member_id, amount, book_id,
			      number, err);
}
static inline int wallet_entry_balance(int64_t *balance_after, const wallet_port *w, uow_tx *tx,
				       int64_t ledger_id, app_err *err)
{
	return w->vtbl->entry_balance(balance_after, w->self, tx, ledger_id, err);
}
static inline int wallet_balance(int64_t *out, const wallet_port *w, uow_tx *tx, int64_t member_id,
				 app_err *err)
{
	return w->vtbl->balance(out, w->self, tx, member_id, err);
}
static inline int wallet_subscribed(int *active, const wallet_port *w, uow_tx *tx,
				    int64_t member_id, app_err *err)
{
	return w->vtbl->subscribed(active, w->self, tx, member_id, err);
}
static inline int64_t wallet_subscription_price(const wallet_port *w)
{
	return w->vtbl->subscription_price(w->self);
}

#endif
