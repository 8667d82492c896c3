/*
 * A hand-written fake of the points order repository (ports/order_repo.h),
 * honouring the port like the others in fakes.h: rows roll back with their
 * unit, fail_next fails the next call with that APP_E* code. The contract
 * suite in tests/contract/ holds it and the SQLite adapter to one behaviour.
 */
#ifndef WL_TEST_FAKE_ORDERS_H
#define WL_TEST_FAKE_ORDERS_H

#include <stddef.h>

#include "ports/order_repo.h"

#define FAKE_ORDERS_CAP 256

typedef struct fake_orders {
	points_order orders[FAKE_ORDERS_CAP];
	size_t n;
	points_refund refunds[FAKE_ORDERS_CAP];
	size_t nrefunds;
	int fail_next;
	int calls;
} fake_orders;

order_repo fake_order_repo(fake_orders *f);

#endif
