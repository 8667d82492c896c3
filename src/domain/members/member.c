#include "domain/members/member.h"

#include <string.h>

const char *ledger_kind_name(ledger_kind k)
{
	switch (k) {
	case LEDGER_CHARGE:
		return "charge";
	case LEDGER_PURCHASE:
		return "purchase";
	case LEDGER_SUBSCRIPTION:
		return "subscription";
	case LEDGER_REFUND:
		return "refund";
	case LEDGER_REFUND_REVERSED:
		return "refund_reversed";
	}
	return "unknown";
}

ledger_kind ledger_kind_parse(const char *s)
{
	static const ledger_kind kinds[] = {LEDGER_PURCHASE, LEDGER_SUBSCRIPTION, LEDGER_REFUND,
					    LEDGER_REFUND_REVERSED};

	for (size_t i = 0; s && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(s, ledger_kind_name(kinds[i])) == 0)
			return kinds[i];
	return LEDGER_CHARGE;
}

int subscription_is_active(const subscription *s, int64_t now_ms)
{
	return s->expires_at > now_ms && !s->expired;
}

int64_t subscription_next_expiry(const subscription *s, int64_t now_ms, int64_t period_ms)
{
	int64_t from = subscription_is_active(s, now_ms) ? s->expires_at : now_ms;

	return from + period_ms;
}
