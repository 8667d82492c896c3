/*
 * Fault-injecting decorators for the fault sweeps: they wrap real ports and
 * fail the n-th call.
 *
 * fault_storage wraps the storage ports of a members_deps (members, ledger,
 * idempotency, orders, the unit of work and the event publisher) or of an
 * earnings_deps (earnings, the unit of work and the events): every call
 * through any of them counts, and call number fail_at answers fail_rc
 * without reaching storage (a failing COMMIT rolls its unit back, as a real
 * one does).
 *
 * fault_gateway wraps a payment gateway: call number fail_at answers fail_rc
 * (default APP_ETIMEOUT); with after set the call reaches the provider first
 * and only its answer is lost, the case where the caller cannot know.
 */
#ifndef WL_TEST_FAULTS_H
#define WL_TEST_FAULTS_H

#include "domain/earnings/earnings.h"
#include "domain/members/members.h"

typedef struct fault_storage {
	int calls;   /* storage calls made so far */
	int fail_at; /* the call (1-based) that fails; 0: none */
	int fail_rc; /* 0: APP_EUNAVAILABLE */
	int failed;  /* set once it did */
	/* the ports underneath */
	member_repo members;
	ledger_repo ledger;
	idempotency_repo idempotency;
	order_repo orders;
	earnings_repo earnings;
	uow uow;
	event_publisher events;
} fault_storage;

/* Puts decorators over d's storage ports; f keeps the originals and must outlive d. */
void fault_storage_wrap(members_deps *d, fault_storage *f);
/* The same over an earnings_deps (its repository, unit of work and events). */
void fault_storage_wrap_earnings(earnings_deps *d, fault_storage *f);

typedef struct fault_gateway {
	payment_gateway inner;
	int calls, fail_at, fail_rc, after, failed;
} fault_gateway;

payment_gateway fault_gateway_port(fault_gateway *f);

#endif
