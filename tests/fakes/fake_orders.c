#include "fakes/fake_orders.h"
#include "fakes/fakes.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const fake_rows fo_order_rows = {.size = offsetof(fake_orders, fail_next),
					.state_size = sizeof(fake_orders)};

/* Every call counts and takes the canned failure; writes put the rows on the unit first. */
static int fo_write(fake_orders *f, uow_tx *tx, app_err *err)
{
	fake_tx_touch(tx, f, &fo_order_rows);
	f->calls++;
	return fake_take_fail(&f->fail_next, err);
}

static int fo_read(fake_orders *f, uow_tx *tx, app_err *err)
{
	fake_tx_check(tx);
	f->calls++;
	return fake_take_fail(&f->fail_next, err);
}

static points_order *order_at(fake_orders *f, int64_t id)
{
	return id >= 1 && (size_t)id <= f->n ? &f->orders[id - 1] : NULL;
}

static points_refund *refund_at(fake_orders *f, int64_t id)
{
	return id >= 1 && (size_t)id <= f->nrefunds ? &f->refunds[id - 1] : NULL;
}

static int conflict(app_err *err, const char *msg)
{
	return app_err_set(err, APP_ECONFLICT, NULL, NULL, "%s", msg);
}

static int fo_insert(void *self, uow_tx *tx, points_order *o, app_err *err)
{
	fake_orders *f = self;
	int rc;

	if ((rc = fo_write(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->orders[i].order_id, o->order_id))
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "order id taken");
	if (f->n == FAKE_ORDERS_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	o->id = (int64_t)f->n + 1;
	o->status = ORDER_PENDING;
	o->updated_at = o->created_at;
	f->orders[f->n++] = *o;
	return 0;
}

static int fo_find(points_order *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_orders *f = self;
	points_order *o;
	int rc;

	if ((rc = fo_read(f, tx, err)))
		return rc;
	if (!(o = order_at(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "order not found");
	*out = *o;
	return 0;
}

static int fo_find_by_order_id(points_order *out, void *self, uow_tx *tx, const char *order_id,
			       app_err *err)
{
	fake_orders *f = self;
	int rc;

	if ((rc = fo_read(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->orders[i].order_id, order_id)) {
			*out = f->orders[i];
			return 0;
		}
	return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "order not found");
}

static int fo_list(points_order *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		   order_status status, int64_t before_id, size_t limit, app_err *err)
{
	fake_orders *f = self;
	int rc;

	*n = 0;
	if ((rc = fo_read(f, tx, err)))
		return rc;
	for (size_t i = f->n; i-- > 0 && *n < limit;) {
		const points_order *o = &f->orders[i];

		if ((before_id <= 0 || o->id < before_id) &&
		    (!member_id || o->member_id == member_id) && (!status || o->status == status))
			out[(*n)++] = *o;
	}
	return 0;
}

static int fo_list_unsettled(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
			     int64_t after_id, size_t limit, app_err *err)
{
	fake_orders *f = self;
	int rc;

	*n = 0;
	if ((rc = fo_read(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->n && *n < limit; i++)
		if (f->orders[i].status == ORDER_PENDING && f->orders[i].id > after_id &&
		    f->orders[i].settle_after <= now)
			ids[(*n)++] = f->orders[i].id;
	return 0;
}

static int fo_hold(void *self, uow_tx *tx, int64_t id, const char *payment_key,
		   int64_t settle_after, int64_t now, app_err *err)
{
	fake_orders *f = self;
	points_order *o;
	int rc;

	if ((rc = fo_write(f, tx, err)))
		return rc;
	o = order_at(f, id);
	if (!o || o->status != ORDER_PENDING ||
	    (*o->payment_key && (!payment_key || strcmp(o->payment_key, payment_key))))
		return conflict(err, "the order is not pending or has another payment");
	snprintf(o->payment_key, sizeof(o->payment_key), "%s", payment_key ? payment_key : "");
	o->settle_after = settle_after;
	o->updated_at = now;
	return 0;
}

static int fo_mark_paid(void *self, uow_tx *tx, const points_order *p, app_err *err)
{
	fake_orders *f = self;
	points_order *o;
	int rc;

	if ((rc = fo_write(f, tx, err)))
		return rc;
	if (!(o = order_at(f, p->id)) || o->status != ORDER_PENDING)
		return conflict(err, "the order is no longer pending");
	o->status = ORDER_PAID;
	snprintf(o->payment_key, sizeof(o->payment_key), "%s", p->payment_key);
	snprintf(o->method, sizeof(o->method), "%s", p->method);
	o->ledger_id = p->ledger_id;
	o->paid_at = o->updated_at = p->paid_at;
	o->settle_after = 0;
	return 0;
}

static int fo_close(void *self, uow_tx *tx, int64_t id, order_status status, const char *code,
		    int64_t now, app_err *err)
{
	fake_orders *f = self;
	points_order *o;
	int rc;

	if ((rc = fo_write(f, tx, err)))
		return rc;
	if (!(o = order_at(f, id)) || o->status != ORDER_PENDING)
		return conflict(err, "the order is no longer pending");
	o->status = status;
	snprintf(o->failure_code, sizeof(o->failure_code), "%s", code);
	o->updated_at = now;
	o->settle_after = 0;
	return 0;
}

static int fo_add_refunded(void *self, uow_tx *tx, int64_t id, int64_t amount, int64_t now,
			   app_err *err)
{
	fake_orders *f = self;
	points_order *o;
	int rc;

	if ((rc = fo_write(f, tx, err)))
		return rc;
	o = order_at(f, id);
	if (!o || (o->status != ORDER_PAID && o->status != ORDER_PARTIALLY_REFUNDED) ||
	    o->refunded + amount > o->amount)
		return conflict(err, "the refund exceeds what the order has left");
	o->refunded += amount;
	o->status = o->refunded == o->amount ? ORDER_REFUNDED : ORDER_PARTIALLY_REFUNDED;
	o->updated_at = now;
	return 0;
}

static int fo_refund_insert(void *self, uow_tx *tx, points_refund *r, app_err *err)
{
	fake_orders *f = self;
	int rc;

	if ((rc = fo_write(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->nrefunds; i++)
		if (f->refunds[i].order_id == r->order_id && f->refunds[i].status == REFUND_PENDING)
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "a refund is pending");
	if (f->nrefunds == FAKE_ORDERS_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	r->id = (int64_t)f->nrefunds + 1;
	r->status = REFUND_PENDING;
	f->refunds[f->nrefunds++] = *r;
	return 0;
}

static int fo_refund_find(points_refund *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_orders *f = self;
	points_refund *r;
	int rc;

	if ((rc = fo_read(f, tx, err)))
		return rc;
	if (!(r = refund_at(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "refund not found");
	*out = *r;
	return 0;
}

static int fo_refunds_unsettled(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now,
				int64_t after_id, size_t limit, app_err *err)
{
	fake_orders *f = self;
	int rc;

	*n = 0;
	if ((rc = fo_read(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->nrefunds && *n < limit; i++)
		if (f->refunds[i].status == REFUND_PENDING && f->refunds[i].id > after_id &&
		    f->refunds[i].settle_after <= now)
			ids[(*n)++] = f->refunds[i].id;
	return 0;
}

static int fo_refund_hold(void *self, uow_tx *tx, int64_t id, int64_t settle_after, int64_t now,
			  app_err *err)
{
	fake_orders *f = self;
	points_refund *r;
	int rc;

	if ((rc = fo_write(f, tx, err)))
		return rc;
	if (!(r = refund_at(f, id)) || r->status != REFUND_PENDING)
		return conflict(err, "the refund is no longer pending");
	r->settle_after = settle_after;
	r->updated_at = now;
	return 0;
}

static int fo_refund_settle(void *self, uow_tx *tx, const points_refund *s, app_err *err)
{
	fake_orders *f = self;
	points_refund *r;
	int rc;

	if ((rc = fo_write(f, tx, err)))
		return rc;
	if (!(r = refund_at(f, s->id)) || r->status != REFUND_PENDING)
		return conflict(err, "the refund is no longer pending");
	r->status = s->status;
	snprintf(r->cancel_key, sizeof(r->cancel_key), "%s", s->cancel_key);
	snprintf(r->failure_code, sizeof(r->failure_code), "%s", s->failure_code);
	r->reversal_id = s->reversal_id;
	r->updated_at = s->updated_at;
	r->settle_after = 0;
	return 0;
}

static int fo_refunds_of(points_refund *out, size_t *n, void *self, uow_tx *tx, int64_t order_id,
			 size_t cap, app_err *err)
{
	fake_orders *f = self;
	int rc;

	*n = 0;
	if ((rc = fo_read(f, tx, err)))
		return rc;
	for (size_t i = f->nrefunds; i-- > 0 && *n < cap;)
		if (f->refunds[i].order_id == order_id)
			out[(*n)++] = f->refunds[i];
	return 0;
}

static const order_repo_vtbl fo_vtbl = {
    .insert = fo_insert,
    .find = fo_find,
    .find_by_order_id = fo_find_by_order_id,
    .list = fo_list,
    .list_unsettled = fo_list_unsettled,
    .hold = fo_hold,
    .mark_paid = fo_mark_paid,
    .close = fo_close,
    .add_refunded = fo_add_refunded,
    .refund_insert = fo_refund_insert,
    .refund_find = fo_refund_find,
    .refunds_unsettled = fo_refunds_unsettled,
    .refund_hold = fo_refund_hold,
    .refund_settle = fo_refund_settle,
    .refunds_of = fo_refunds_of,
};

order_repo fake_order_repo(fake_orders *f)
{
	return (order_repo){.vtbl = &fo_vtbl, .self = f};
}
