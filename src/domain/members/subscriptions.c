/* The members core's subscriptions: subscribe, cancel, renew, and how a member sees one. */
#include "domain/members/members.h"

#include <stdio.h>
#include <string.h>

#include "domain/common/idempotency.h"
#include "domain/members/members_internal.h"

static int64_t now_ms(members_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

int members_subscription_in(subscription *out, members_service *svc, uow_tx *tx, int64_t member_id,
			    app_err *err)
{
	int rc = subscription_repo_find(out, &svc->d.subscriptions, tx, member_id, err);

	if (rc == APP_ENOTFOUND) {
		memset(out, 0, sizeof(*out));
		out->member_id = member_id;
		return 0;
	}
	return rc;
}

int members_subscription(subscription *out, members_service *svc, int64_t member_id, app_err *err)
{
	return members_subscription_in(out, svc, NULL, member_id, err);
}

int members_subscription_active_in(members_service *svc, uow_tx *tx, int64_t member_id,
				   app_err *err)
{
	subscription s;
	int rc;

	if ((rc = members_subscription_in(&s, svc, tx, member_id, err)))
		return rc;
	return subscription_is_active(&s, now_ms(svc));
}

int members_subscription_active(members_service *svc, int64_t member_id, app_err *err)
{
	return members_subscription_active_in(svc, NULL, member_id, err);
}

static int subscription_event(members_service *svc, uow_tx *tx, const char *type,
			      const subscription *s, const char *reason, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, type);
	domain_event_add_int(&ev, "memberId", s->member_id);
	domain_event_add_int(&ev, "expiresAt", s->expires_at);
	domain_event_add_bool(&ev, "autoRenew", s->auto_renew);
	if (reason)
		domain_event_add_str(&ev, "reason", reason);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* Pays one period and starts or extends s (the member's, as read in tx). */
static int subscribe_in(subscription *s, int64_t *ledger_id, members_service *svc, uow_tx *tx,
			int auto_renew, app_err *err)
{
	int64_t now = now_ms(svc);
	int was_active = subscription_is_active(s, now);
	ledger_entry e;
	int rc;

	rc = members_wallet_spend_in(&e, svc, tx, s->member_id, svc->cfg.subscription_price,
				     LEDGER_SUBSCRIPTION, 0, 0, err);
	if (rc == APP_EINSUFFICIENT) /* the answer names what a subscription costs */
		app_err_extra(err, "subscriptionPrice", svc->cfg.subscription_price);
	if (rc)
		return rc;
	*ledger_id = e.id;
	s->expires_at = subscription_next_expiry(s, now, svc->cfg.subscription_period_ms);
	if (!was_active)
		s->started_at = now;
	s->auto_renew = auto_renew ? 1 : 0;
	s->expired = 0;
	if ((rc = subscription_repo_save(&svc->d.subscriptions, tx, s, err)))
		return rc;
	return subscription_event(svc, tx,
				  was_active ? "subscription.renewed" : "subscription.started", s,
				  was_active ? "extended" : NULL, err);
}

int members_subscribe(subscription *out, members_service *svc, int64_t member_id, int auto_renew,
		      const char *idem_key, app_err *err)
{
	char request[IDEM_REQUEST_MAX];
	int64_t first, ledger_id;
	idem_state state;
	subscription s;
	uow_tx *tx;
	int rc;

	if ((rc = idem_key_check(idem_key, err)))
		return rc;
	snprintf(request, sizeof(request), "autoRenew=%d", auto_renew ? 1 : 0);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = idem_check(&state, &first, &svc->d.idempotency, tx, member_id, "subscription",
			     idem_key, request, err)) ||
	    (rc = members_subscription_in(&s, svc, tx, member_id, err)))
		return uow_finish(tx, rc, err);
	if (state == IDEM_DONE) { /* paid already: the subscription as it stands */
		uow_rollback(tx);
		*out = s;
		return 0;
	}
	if ((rc = subscribe_in(&s, &ledger_id, svc, tx, auto_renew, err)) == 0)
		rc = idem_record(&svc->d.idempotency, tx, member_id, "subscription", idem_key,
				 request, ledger_id, now_ms(svc), err);
	if ((rc = uow_finish(tx, rc, err)))
		return rc;
	*out = s;
	return 0;
}

int members_cancel_renewal(subscription *out, members_service *svc, int64_t member_id, app_err *err)
{
	subscription s;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = members_subscription_in(&s, svc, tx, member_id, err)))
		goto done;
	if (s.expires_at == 0) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "there is no subscription");
		goto done;
	}
	if (s.auto_renew) {
		s.auto_renew = 0;
		if ((rc = subscription_repo_save(&svc->d.subscriptions, tx, &s, err)))
			goto done;
	}
done:
	if ((rc = uow_finish(tx, rc, err)) == 0)
		*out = s;
	return rc;
}

enum { RENEW_SKIPPED, RENEW_RENEWED, RENEW_EXPIRED };

/* One due subscription in its own unit: renew if it can, else expire. */
static int renew_one(int *outcome, members_service *svc, int64_t member_id, int64_t now,
		     app_err *err)
{
	subscription s;
	const char *reason = NULL;
	int renewed = 0;
	uow_tx *tx;
	int rc;

	*outcome = RENEW_SKIPPED;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = subscription_repo_find(&s, &svc->d.subscriptions, tx, member_id, err)))
		goto done;
	if (s.expired || s.expires_at > now) { /* someone else handled it meanwhile */
		uow_rollback(tx);
		return 0;
	}
	if (s.auto_renew) {
		app_err spend_err;

		rc = members_wallet_spend_in(NULL, svc, tx, member_id, svc->cfg.subscription_price,
					     LEDGER_SUBSCRIPTION, 0, 0, &spend_err);
		if (rc == 0) {
			/* Renew from the old expiry, unless the server slept past a whole period.
			 */
			s.expires_at += svc->cfg.subscription_period_ms;
			if (s.expires_at <= now)
				s.expires_at = now + svc->cfg.subscription_period_ms;
			renewed = 1;
		} else if (rc == APP_EINSUFFICIENT) {
			reason = "insufficient_points";
		} else {
			*err = spend_err;
			goto done;
		}
	} else {
		reason = "auto_renew_off";
	}
	if (!renewed)
		s.expired = 1;
	if ((rc = subscription_repo_save(&svc->d.subscriptions, tx, &s, err)))
		goto done;
	rc = subscription_event(svc, tx, renewed ? "subscription.renewed" : "subscription.expired",
				&s, reason, err);
done:
	if ((rc = uow_finish(tx, rc, err)) == 0)
		*outcome = renewed ? RENEW_RENEWED : RENEW_EXPIRED;
	return rc;
}

int members_renew_due(int *renewed, int *expired, members_service *svc, app_err *err)
{
	int64_t ids[64];
	int64_t now = now_ms(svc);
	size_t n;
	int rc, outcome;

	*renewed = *expired = 0;
	do {
		rc = subscription_repo_list_due(ids, &n, &svc->d.subscriptions, NULL, now, 64, err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			if ((rc = renew_one(&outcome, svc, ids[i], now, err)))
				return rc;
			*renewed += outcome == RENEW_RENEWED;
			*expired += outcome == RENEW_EXPIRED;
		}
	} while (n == 64);
	return 0;
}

void members_subscription_view_of(subscription_view *out, members_service *svc,
				  const subscription *s)
{
	out->s = *s;
	out->active = subscription_is_active(s, now_ms(svc));
	out->price = svc->cfg.subscription_price;
}

int members_subscription_view(subscription_view *out, members_service *svc, int64_t member_id,
			      app_err *err)
{
	subscription s;
	int rc;

	if ((rc = members_subscription(&s, svc, member_id, err)))
		return rc;
	members_subscription_view_of(out, svc, &s);
	return 0;
}
