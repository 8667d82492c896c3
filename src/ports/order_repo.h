/*
 * Points orders and their refunds (the members core). Every state change is
 * conditional on the state it leaves, so that whoever settles an order first
 * (the browser's confirm, a webhook, the reconciliation pass) wins and the
 * others see APP_ECONFLICT: the points are credited once.
 */
#ifndef WL_PORT_ORDER_REPO_H
#define WL_PORT_ORDER_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/members/order.h"
#include "ports/uow.h"

typedef struct order_repo_vtbl {
	/* Sets o->id. APP_EEXISTS when o->order_id is taken. */
	int (*insert)(void *self, uow_tx *tx, points_order *o, app_err *err);
	int (*find)(points_order *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	int (*find_by_order_id)(points_order *out, void *self, uow_tx *tx, const char *order_id,
				app_err *err);
	/*
	 * Up to limit orders with id < before_id (0: from the newest), newest
	 * first; member_id 0 means everyone's, status 0 any status.
	 */
	int (*list)(points_order *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    order_status status, int64_t before_id, size_t limit, app_err *err);
	/* Ids of pending orders with settle_after <= now and id > after_id, oldest first. */
	int (*list_unsettled)(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
			      int64_t after_id, size_t limit, app_err *err);
	/*
	 * Before a confirm goes out: keeps the payment key (the first one only:
	 * APP_ECONFLICT "payment_key_mismatch" for another) and holds the order
	 * for the call until settle_after. APP_ECONFLICT when no longer pending.
	 */
	int (*hold)(void *self, uow_tx *tx, int64_t id, const char *payment_key,
		    int64_t settle_after, int64_t now, app_err *err);
	/*
	 * pending -> paid, with o's payment_key, method, ledger_id and paid_at.
	 * APP_ECONFLICT when the order is no longer pending.
	 */
	int (*mark_paid)(void *self, uow_tx *tx, const points_order *o, app_err *err);
	/* pending -> failed or canceled with a failure code. APP_ECONFLICT when not pending. */
	int (*close)(void *self, uow_tx *tx, int64_t id, order_status status, const char *code,
		     int64_t now, app_err *err);
	/*
	 * refunded += amount, status partially_refunded or refunded. APP_ECONFLICT
	 * when the order is not paid or the refunds would exceed its amount.
	 */
	int (*add_refunded)(void *self, uow_tx *tx, int64_t id, int64_t amount, int64_t now,
			    app_err *err);

	/* Sets r->id. APP_EEXISTS when the order already has a pending refund. */
	int (*refund_insert)(void *self, uow_tx *tx, points_refund *r, app_err *err);
	int (*refund_find)(points_refund *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* Ids of pending refunds with settle_after <= now and id > after_id, oldest first. */
	int (*refunds_unsettled)(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
				 int64_t after_id, size_t limit, app_err *err);
	/* Holds a pending refund for a cancel call until settle_after. */
	int (*refund_hold)(void *self, uow_tx *tx, int64_t id, int64_t settle_after, int64_t now,
			   app_err *err);
	/*
	 * pending -> r->status (done or failed) with its cancel_key, failure_code
	 * and reversal_id. APP_ECONFLICT when the refund is no longer pending.
	 */
	int (*refund_settle)(void *self, uow_tx *tx, const points_refund *r, app_err *err);
	/* The order's refunds, newest first, at most cap. */
	int (*refunds_of)(points_refund *out, size_t *n, void *self, uow_tx *tx, int64_t order_id,
			  size_t cap, app_err *err);
} order_repo_vtbl;

typedef struct order_repo {
	const order_repo_vtbl *vtbl;
	void *self;
} order_repo;

static inline int order_repo_insert(const order_repo *r, uow_tx *tx, points_order *o, app_err *err)
{
	return r->vtbl->insert(r->self, tx, o, err);
}
static inline int order_repo_find(points_order *out, const order_repo *r, uow_tx *tx, int64_t id,
				  app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, err);
}
static inline int order_repo_find_by_order_id(points_order *out, const order_repo *r, uow_tx *tx,
					      const char *order_id, app_err *err)
{
	return r->vtbl->find_by_order_id(out, r->self, tx, order_id, err);
}
static inline int order_repo_list(points_order *out, size_t *n, const order_repo *r, uow_tx *tx,
				  int64_t member_id, order_status status, int64_t before_id,
				  size_t limit, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, member_id, status, before_id, limit, err);
}
static inline int order_repo_list_unsettled(int64_t *ids, size_t *n, const order_repo *r,
					    uow_tx *tx, int64_t now, int64_t after_id, size_t limit,
					    app_err *err)
{
	return r->vtbl->list_unsettled(ids, n, r->self, tx, now, after_id, limit, err);
}
static inline int order_repo_hold(const order_repo *r, uow_tx *tx, int64_t id,
				  const char *payment_key, int64_t settle_after, int64_t now,
				  app_err *err)
{
	return r->vtbl->hold(r->self, tx, id, payment_key, settle_after, now, err);
}
static inline int order_repo_mark_paid(const order_repo *r, uow_tx *tx, const points_order *o,
				       app_err *err)
{
	return r->vtbl->mark_paid(r->self, tx, o, err);
}
static inline int order_repo_close(const order_repo *r, uow_tx *tx, int64_t id, order_status st,
				   const char *code, int64_t now, app_err *err)
{
	return r->vtbl->close(r->self, tx, id, st, code, now, err);
}
static inline int order_repo_add_refunded(const order_repo *r, uow_tx *tx, int64_t id,
					  int64_t amount, int64_t now, app_err *err)
{
	return r->vtbl->add_refunded(r->self, tx, id, amount, now, err);
}
static inline int order_repo_refund_insert(const order_repo *r, uow_tx *tx, points_refund *rf,
					   app_err *err)
{
	return r->vtbl->refund_insert(r->self, tx, rf, err);
}
static inline int order_repo_refund_find(points_refund *out, const order_repo *r, uow_tx *tx,
					 int64_t id, app_err *err)
{
	return r->vtbl->refund_find(out, r->self, tx, id, err);
}
static inline int order_repo_refunds_unsettled(int64_t *ids, size_t *n, const order_repo *r,
					       uow_tx *tx, int64_t now, int64_t after_id,
					       size_t limit, app_err *err)
{
	return r->vtbl->refunds_unsettled(ids, n, r->self, tx, now, after_id, limit, err);
}
static inline int order_repo_refund_hold(const order_repo *r, uow_tx *tx, int64_t id,
					 int64_t settle_after, int64_t now, app_err *err)
{
	return r->vtbl->refund_hold(r->self, tx, id, settle_after, now, err);
}
static inline int order_repo_refund_settle(const order_repo *r, uow_tx *tx, const points_refund *rf,
					   app_err *err)
{
	return r->vtbl->refund_settle(r->self, tx, rf, err);
}
static inline int order_repo_refunds_of(points_refund *out, size_t *n, const order_repo *r,
					uow_tx *tx, int64_t order_id, size_t cap, app_err *err)
{
	return r->vtbl->refunds_of(out, n, r->self, tx, order_id, cap, err);
}

#endif
