/*
 * Wallet port: what the books core needs of a member's money, implemented
 * by the app with the members core inside the caller's unit of work.
 */
#ifndef WL_PORT_WALLET_H
#define WL_PORT_WALLET_H

#include <stdint.h>

#include "domain/common/err.h"

typedef struct wallet_vtbl {
	/*
	 * Debits amount for book_id in the open unit of work, with its ledger row
	 * and points.spent; writes the ledger id and balance after.
	 * APP_EINSUFFICIENT (extras price, balance) when short.
	 */
	int (*spend)(int64_t *ledger_id, int64_t *balance_after, void *self, int64_t member_id,
		     int64_t amount, int64_t book_id, app_err *err);
	/* The balance after a recorded ledger entry (for idempotent replays). */
	int (*entry_balance)(int64_t *balance_after, void *self, int64_t ledger_id, app_err *err);
	int (*balance)(int64_t *out, void *self, int64_t member_id, app_err *err);
	/* 1 when the member's subscription is active now. */
	int (*subscribed)(void *self, int64_t member_id);
	int64_t (*subscription_price)(void *self);
} wallet_vtbl;

typedef struct wallet_port {
	const wallet_vtbl *vtbl;
	void *self;
} wallet_port;

static inline int wallet_spend(int64_t *ledger_id, int64_t *balance_after, const wallet_port *w,
			       int64_t member_id, int64_t amount, int64_t book_id, app_err *err)
{
	return w->vtbl->spend(ledger_id, balance_after, w->self, member_id, amount, book_id, err);
}
static inline int wallet_entry_balance(int64_t *balance_after, const wallet_port *w,
				       int64_t ledger_id, app_err *err)
{
	return w->vtbl->entry_balance(balance_after, w->self, ledger_id, err);
}
static inline int wallet_balance(int64_t *out, const wallet_port *w, int64_t member_id,
				 app_err *err)
{
	return w->vtbl->balance(out, w->self, member_id, err);
}
static inline int wallet_subscribed(const wallet_port *w, int64_t member_id)
{
	return w->vtbl->subscribed(w->self, member_id);
}
static inline int64_t wallet_subscription_price(const wallet_port *w)
{
	return w->vtbl->subscription_price(w->self);
}

#endif
