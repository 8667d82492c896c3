/* Members: accounts, roles, the points ledger and the monthly subscription. */
#ifndef WL_DOMAIN_MEMBER_H
#define WL_DOMAIN_MEMBER_H

#include <stdint.h>

#define MEMBER_EMAIL_MAX      254
#define MEMBER_NAME_MAX	      50 /* characters */
#define MEMBER_PASSWORD_MIN   8
#define MEMBER_PASSWORD_MAX   256 /* bytes */
#define MEMBER_BAN_REASON_MAX 200 /* characters */

enum {
	MEMBER_ROLE_READER = 1u << 0,
	MEMBER_ROLE_AUTHOR = 1u << 1,
	MEMBER_ROLE_ADMIN = 1u << 2,
};

typedef struct member {
	int64_t id;
	char email[MEMBER_EMAIL_MAX + 1];
	char name[MEMBER_NAME_MAX * 4 + 1];
	char password_hash[160];
	unsigned roles;
	int64_t points;
	int64_t created_at;
	int64_t banned_until; /* 0: not banned; community writes are refused until then */
	char ban_reason[MEMBER_BAN_REASON_MAX * 4 + 1];
	int64_t deleted_at; /* 0: a live account; else anonymised, kept for the ledger */
} member;

typedef enum {
	LEDGER_CHARGE = 1,
	LEDGER_PURCHASE = 2,
	LEDGER_SUBSCRIPTION = 3,
	LEDGER_REFUND = 4,	    /* points taken back for a refund through the provider */
	LEDGER_REFUND_REVERSED = 5, /* given back: the provider refused that refund */
} ledger_kind;

typedef struct ledger_entry {
	int64_t id;
	int64_t member_id;
	ledger_kind kind;
	int64_t amount; /* signed: +charge, -spend */
	int64_t balance_after;
	int64_t book_id;  /* 0: none */
	int64_t order_id; /* the points order a charge or refund belongs to; 0: none */
	int64_t created_at;
	int64_t episode; /* the episode a purchase paid for; 0: none */
} ledger_entry;

typedef struct subscription {
	int64_t member_id;
	int64_t started_at;
	int64_t expires_at; /* 0: never subscribed */
	int auto_renew;
	int expired; /* the scheduler has closed it; a new subscribe reopens */
} subscription;

const char *ledger_kind_name(ledger_kind k);
/* The kind a name stands for (ledger_kind_name's inverse); an unknown name is a charge. */
ledger_kind ledger_kind_parse(const char *s);

/* Active at now: subscribed and not yet expired. */
int subscription_is_active(const subscription *s, int64_t now_ms);

/*
 * The expiry after paying for one more period at now: an active subscription
 * is extended from its expiry, a lapsed one starts again from now.
 */
int64_t subscription_next_expiry(const subscription *s, int64_t now_ms, int64_t period_ms);

#endif
