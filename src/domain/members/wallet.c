/* The points wallet of the members core: charges, spending, the ledger. */
#include "domain/members/members.h"

#include <stdio.h>
#include <string.h>

#include "domain/common/idempotency.h"
#include "domain/members/members_internal.h"

#define CHARGE_SCOPE "charge"

static int64_t now_ms(members_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

/*
 * Step 1 of a charge with a key: in a unit of its own, the rule for key, and
 * the intent recorded under it (result 0) when it is new. *state says what
 * follows.
 */
static int charge_intent(idem_state *state, int64_t *first, members_service *svc, int64_t member_id,
			 const char *key, const char *request, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = idem_check(state, first, &svc->d.idempotency, tx, member_id, CHARGE_SCOPE, key,
			request, err);
	if (rc == 0 && *state == IDEM_FRESH)
		rc = idem_record(&svc->d.idempotency, tx, member_id, CHARGE_SCOPE, key, request, 0,
				 now_ms(svc), err);
	return uow_finish(tx, rc, err);
}

/* The provider refused: the intent goes, so the key may be tried again. */
static void charge_forget(members_service *svc, int64_t member_id, const char *key)
{
	uow_tx *tx;

	if (!key || uow_begin(&tx, &svc->d.uow, NULL))
		return; /* the intent stays in flight; a retry with the key finishes it */
	uow_finish(
	    tx,
	    idempotency_repo_remove(&svc->d.idempotency, tx, member_id, CHARGE_SCOPE, key, NULL),
	    NULL);
}

static int charged_event(members_service *svc, uow_tx *tx, const ledger_entry *e, const char *ref,
			 app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "points.charged");
	domain_event_add_int(&ev, "memberId", e->member_id);
	domain_event_add_int(&ev, "amount", e->amount);
	domain_event_add_int(&ev, "balanceAfter", e->balance_after);
	domain_event_add_int(&ev, "ledgerId", e->id);
	domain_event_add_str(&ev, "paymentRef", ref);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/*
 * Step 3: the outcome of the payment the provider took, in one unit: the
 * credit, its ledger row, the key's result and points.charged. A request
 * with the same key that finished first is replayed instead.
 */
static int charge_outcome(ledger_entry *e, members_service *svc, int64_t member_id, int64_t amount,
			  const char *key, const char *request, const char *ref, app_err *err)
{
	idem_state state;
	int64_t first;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = idem_check(&state, &first, &svc->d.idempotency, tx, member_id, CHARGE_SCOPE, key,
			request, err);
	if (rc == 0 && state == IDEM_DONE) {
		rc = ledger_repo_find(e, &svc->d.ledger, tx, first, err);
		uow_rollback(tx); /* nothing was written */
		return rc;
	}
	memset(e, 0, sizeof(*e));
	e->member_id = member_id;
	e->kind = LEDGER_CHARGE;
	e->amount = amount;
	e->created_at = now_ms(svc);
	if (rc ||
	    (rc = member_repo_credit(&e->balance_after, &svc->d.members, tx, member_id, amount,
				     err)) ||
	    (rc = ledger_repo_append(&svc->d.ledger, tx, e, err)))
		return uow_finish(tx, rc, err);
	rc = state == IDEM_IN_FLIGHT ? idempotency_repo_complete(&svc->d.idempotency, tx, member_id,
								 CHARGE_SCOPE, key, e->id, err)
				     : idem_record(&svc->d.idempotency, tx, member_id, CHARGE_SCOPE,
						   key, request, e->id, e->created_at, err);
	return uow_finish(tx, rc ? rc : charged_event(svc, tx, e, ref, err), err);
}

int members_charge(int64_t *balance, ledger_entry *entry, members_service *svc, int64_t member_id,
		   int64_t amount, const char *idem_key, app_err *err)
{
	char ref[PAYMENT_REF_MAX], request[IDEM_REQUEST_MAX], key[IDEM_KEY_MAX + 32];
	idem_state state = IDEM_FRESH;
	ledger_entry e;
	int64_t first;
	int rc;

	if (amount < MEMBERS_CHARGE_MIN || amount > MEMBERS_CHARGE_MAX)
		return app_err_set(err, APP_EINVALID, NULL, "amount",
				   "amount must be between %d and %d points", MEMBERS_CHARGE_MIN,
				   MEMBERS_CHARGE_MAX);
	if ((rc = idem_key_check(idem_key, err)))
		return rc;
	snprintf(request, sizeof(request), "amount=%lld", (long long)amount);
	/* 1: the intent; 2: the provider, outside any unit and the writer lock; 3: the outcome */
	if (idem_key &&
	    (rc = charge_intent(&state, &first, svc, member_id, idem_key, request, err)))
		return rc;
	/*
	 * The provider always gets a key, so a retried call is never billed twice:
	 * the member's key made the member's (keys are per member here, per
	 * merchant there), or one of its own.
	 */
	if (idem_key) {
		snprintf(key, sizeof(key), "m%lld-%s", (long long)member_id, idem_key);
	} else {
		char token[CRYPTO_TOKEN_MAX];

		if ((rc = crypto_token_new(token, &svc->d.crypto, err)))
			return rc;
		snprintf(key, sizeof(key), "auto-%s", token);
	}
	if (state == IDEM_DONE)
		rc = ledger_repo_find(&e, &svc->d.ledger, NULL, first, err);
	else if ((rc = payment_charge(ref, &svc->d.payments, member_id, amount, key, err)))
		charge_forget(svc, member_id, idem_key);
	else
		rc = charge_outcome(&e, svc, member_id, amount, idem_key, request, ref, err);
	if (rc)
		return rc;
	if (balance)
		*balance = e.balance_after;
	if (entry)
		*entry = e;
	return 0;
}

int members_wallet_spend_in(ledger_entry *entry, members_service *svc, uow_tx *tx,
			    int64_t member_id, int64_t amount, ledger_kind kind, int64_t book_id,
			    int64_t number, app_err *err)
{
	ledger_entry e;
	domain_event ev;
	member m;
	int rc;

	if (amount <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "amount", "amount must be positive");
	memset(&e, 0, sizeof(e));
	rc = member_repo_debit(&e.balance_after, &svc->d.members, tx, member_id, amount, err);
	if (rc == APP_EINSUFFICIENT) {
		int64_t bal;

		/* the answer names the balance: a lookup that fails is the error, not 0 points */
		if ((rc = member_repo_find_by_id(&m, &svc->d.members, tx, member_id, err)))
			return rc;
		bal = m.points;
		app_err_set(err, APP_EINSUFFICIENT, "insufficient_points", NULL,
			    "%lld points are needed, the balance is %lld", (long long)amount,
			    (long long)bal);
		app_err_extra(err, "price", amount);
		app_err_extra(err, "balance", bal);
		return APP_EINSUFFICIENT;
	}
	if (rc)
		return rc;
	e.member_id = member_id;
	e.kind = kind;
	e.amount = -amount;
	e.book_id = book_id;
	e.episode = number;
	e.created_at = now_ms(svc);
	if ((rc = ledger_repo_append(&svc->d.ledger, tx, &e, err)))
		return rc;
	domain_event_init(&ev, "points.spent");
	domain_event_add_int(&ev, "memberId", member_id);
	domain_event_add_int(&ev, "amount", amount);
	domain_event_add_int(&ev, "balanceAfter", e.balance_after);
	domain_event_add_str(&ev, "kind", ledger_kind_name(kind));
	if (book_id)
		domain_event_add_int(&ev, "bookId", book_id);
	if (number)
		domain_event_add_int(&ev, "episode", number);
	domain_event_add_int(&ev, "ledgerId", e.id);
	if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
		return rc;
	if (entry)
		*entry = e;
	return 0;
}

int members_ledger(ledger_entry *out, size_t *n, int64_t *next_before, members_service *svc,
		   int64_t member_id, int64_t before_id, size_t limit, app_err *err)
{
	int rc = ledger_repo_list(out, n, &svc->d.ledger, NULL, member_id, before_id, limit, err);

	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

int members_ledger_entry_in(ledger_entry *out, members_service *svc, uow_tx *tx, int64_t id,
			    app_err *err)
{
	return ledger_repo_find(out, &svc->d.ledger, tx, id, err);
}

int members_ledger_entry(ledger_entry *out, members_service *svc, int64_t id, app_err *err)
{
	return members_ledger_entry_in(out, svc, NULL, id, err);
}
