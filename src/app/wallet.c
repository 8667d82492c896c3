#include "app/wallet.h"

static int spend(int64_t *ledger_id, int64_t *balance_after, void *self, uow_tx *tx,
		 int64_t member_id, int64_t amount, int64_t book_id, int64_t number, app_err *err)
{
	ledger_entry e;
	int rc = members_wallet_spend_in(&e, self, tx, member_id, amount, LEDGER_PURCHASE, book_id,
					 number, err);

	if (rc)
		return rc;
	*ledger_id = e.id;
	*balance_after = e.balance_after;
	return 0;
}

static int entry_balance(int64_t *balance_after, void *self, uow_tx *tx, int64_t ledger_id,
			 app_err *err)
{
	ledger_entry e;
	int rc = members_ledger_entry_in(&e, self, tx, ledger_id, err);

	if (rc == 0)
		*balance_after = e.balance_after;
	return rc;
}

static int balance(int64_t *out, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	member m;
	int rc = members_get_in(&m, self, tx, member_id, err);

	if (rc == 0)
		*out = m.points;
	return rc;
}

static int subscribed(int *active, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	int rc = members_subscription_active_in(self, tx, member_id, err);

	if (rc < 0)
		return rc;
	*active = rc;
	return 0;
}

static int64_t subscription_price(void *self)
{
	return ((members_service *)self)->cfg.subscription_price;
}

static const wallet_vtbl members_wallet_vtbl = {
    .spend = spend,
    .entry_balance = entry_balance,
    .balance = balance,
    .subscribed = subscribed,
    .subscription_price = subscription_price,
};

wallet_port app_wallet(members_service *members)
{
	return (wallet_port){.vtbl = &members_wallet_vtbl, .self = members};
}
