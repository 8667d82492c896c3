/*
 * The idempotency rule, one for every use case that honours a client's
 * idempotency key (points charge and order, book and episode purchase,
 * wait-free unlock, subscription):
 *
 * - A key is NULL (no key) or 1 to IDEM_KEY_MAX bytes of UTF-8.
 * - The same key by the same member in the same scope for the same request
 *   replays the first result and writes nothing; for another request it is
 *   APP_EINVALID "idempotency_key_reused" and changes nothing.
 * - Another member's key, or another scope, is another request.
 *
 * A use case spells its request as a short canonical text of what makes it
 * that request ("book=12", "amount=5000"), checks in its unit before it
 * writes, and records the key with its result in the same unit:
 *
 *	if ((rc = idem_check(&state, &first, &svc->d.idempotency, tx, member_id,
 *			     "purchase", key, request, err)))
 *		goto fail;
 *	if (state == IDEM_DONE)
 *		return replay(first);
 *	... the writes ...
 *	if ((rc = idem_record(&svc->d.idempotency, tx, member_id, "purchase", key,
 *			      request, ledger_id, now, err)))
 *		goto fail;
 */
#ifndef WL_DOMAIN_IDEMPOTENCY_H
#define WL_DOMAIN_IDEMPOTENCY_H

#include <stdint.h>

#include "domain/common/err.h"
#include "ports/idempotency_repo.h"

#define IDEM_KEY_MAX 200

/* 0 when key is NULL or well-formed, else APP_EINVALID (field "idempotencyKey"). */
int idem_key_check(const char *key, app_err *err);

typedef enum {
	IDEM_FRESH = 0,	    /* no key, or a new one: go on */
	IDEM_IN_FLIGHT = 1, /* recorded without a result yet (an intent): finish it */
	IDEM_DONE = 2,	    /* the same request was done: replay *result */
} idem_state;

/*
 * Applies the rule in the open unit tx: *state and, when IDEM_DONE, *result
 * (the first request's result id). APP_EINVALID for a malformed key, or
 * "idempotency_key_reused" for a key used with another request.
 */
int idem_check(idem_state *state, int64_t *result, const idempotency_repo *r, uow_tx *tx,
	       int64_t member_id, const char *scope, const char *key, const char *request,
	       app_err *err);

/*
 * Records key -> result_id for request in tx; nothing when key is NULL. A
 * result_id of 0 records an intent (IDEM_IN_FLIGHT until it is completed
 * with idempotency_repo_complete()).
 */
int idem_record(const idempotency_repo *r, uow_tx *tx, int64_t member_id, const char *scope,
		const char *key, const char *request, int64_t result_id, int64_t now, app_err *err);

#endif
