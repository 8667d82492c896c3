/*
 * Hand-written fakes of the members ports, the unit of work, the outbox,
 * the clock, crypto, payments and the limiter. Each keeps its state in a
 * struct the test can inspect, counts calls, and fails on demand through
 * fail_next (the APP_E* code the next call returns). The contract suites in
 * tests/contract/ run against these and the SQLite adapters alike.
 */
#ifndef WL_TEST_FAKES_H
#define WL_TEST_FAKES_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/idempotency.h"
#include "domain/members/members.h"
#include "fakes/fake_orders.h"
#include "ports/outbox.h"

#define FAKE_CAP 256

/* Returns and clears a pending canned failure (*fail_next: an APP_E* code or 0), setting err. */
int fake_take_fail(int *fail_next, app_err *err);

typedef struct fake_members {
	member rows[FAKE_CAP];
	size_t n;
	int fail_next;
	int calls;
} fake_members;
member_repo fake_member_repo(fake_members *f);

typedef struct fake_session {
	char digest[CRYPTO_DIGEST_HEX];
	int64_t member_id, created_at, expires_at;
	int live;
} fake_session;
typedef struct fake_sessions {
	fake_session rows[FAKE_CAP];
	size_t n;
	int fail_next;
	fake_members *members; /* whose rows find_member reads (fake_world_new wires them) */
} fake_sessions;
session_repo fake_session_repo(fake_sessions *f);

typedef struct fake_ledger {
	ledger_entry rows[FAKE_CAP];
	size_t n;
	int fail_next;
} fake_ledger;
ledger_repo fake_ledger_repo(fake_ledger *f);

typedef struct fake_subscriptions {
	subscription rows[FAKE_CAP];
	size_t n;
	int fail_next;
} fake_subscriptions;
subscription_repo fake_subscription_repo(fake_subscriptions *f);

typedef struct fake_idem_row {
	int64_t member_id, result_id;
	char scope[32], key[IDEM_KEY_MAX + 1], request[IDEM_REQUEST_MAX];
} fake_idem_row;
typedef struct fake_idempotency {
	fake_idem_row rows[FAKE_CAP];
	size_t n;
	int fail_next;
} fake_idempotency;
idempotency_repo fake_idempotency_repo(fake_idempotency *f);

/*
 * A unit of work that counts and honours the port: the writes of a unit
 * that rolls back (or whose commit fails) are dropped. Every fake repository
 * calls fake_tx_touch() before its first write in a unit; the handle then
 * keeps a copy of that fake's rows, rollback puts it back and commit drops
 * it. Units do not nest (asserted), writes need a handle (asserted).
 * fail_begin is the APP_E* code the next begin returns; fail_commit makes
 * the next commit fail (APP_EIO) and roll back.
 */
typedef struct fake_uow {
	int depth, begins, commits, rollbacks;
	int fail_begin, fail_commit;
	int pass_commits; /* commits that still succeed before fail_commit takes effect */
} fake_uow;
uow fake_uow_port(fake_uow *f);

/*
 * How a fake's rows go onto a handle and back: the first size bytes of the
 * fake's state (rows before counters and canned failures, which a rollback
 * leaves alone), and, when the rows own memory, a deep copy and its release.
 */
typedef struct fake_rows {
	size_t size;
	size_t state_size; /* the whole state's, so a copy is a whole struct */
	void (*copy)(void *dst,
		     const void *src); /* dst holds src's bytes; give it its own memory */
	void (*release)(void *rows);   /* frees the memory rows own */
} fake_rows;

/* Before a write of the fake at state in the unit tx (asserted open and a fake's). */
void fake_tx_touch(uow_tx *tx, void *state, const fake_rows *rows);
/* Asserts that tx is NULL or an open unit of a fake_uow (reads take either). */
void fake_tx_check(uow_tx *tx);

/* Outbox: appended events in memory, delivery marks per subscriber. */
typedef struct fake_mark {
	int64_t event_id;
	char subscriber[48];
	int delivered, attempts;
} fake_mark;
typedef struct fake_outbox {
	domain_event events[FAKE_CAP];
	size_t n;
	fake_mark marks[FAKE_CAP * 4];
	size_t nmarks;
	int fail_next;
	int64_t last_after; /* the after_id of the latest pending() */
} fake_outbox;
outbox_port fake_outbox_port(fake_outbox *f);
void fake_outbox_dispose(fake_outbox *f);
/* Number of events of type (NULL: all). */
size_t fake_outbox_count(const fake_outbox *f, const char *type);

/* An event publisher straight into a fake outbox (no bus). */
event_publisher fake_publisher(fake_outbox *f);

typedef struct fake_clock {
	int64_t now;
} fake_clock;
clock_port fake_clock_port(fake_clock *f);

/* "hash:" + password; tokens "token-N"; digest "digest-" + token. */
typedef struct fake_crypto {
	int tokens, hashes, verifies;
	int fail_next;	      /* the next hash */
	int fail_verify_next; /* the next verify (e.g. APP_EBUSY) */
} fake_crypto;
crypto_port fake_crypto_port(fake_crypto *f);

/*
 * A provider that honours the key as the real ones do: a key it has taken
 * (one of the last FAKE_PAYMENT_KEYS) answers its first reference and
 * charges nothing again. With uow set, a charge asked while one of its
 * units is open is counted in charged_in_unit (the core must not).
 */
#define FAKE_PAYMENT_KEYS 64
typedef struct fake_payments {
	int charges;
	int64_t charged;
	int fail_next;
	const fake_uow *uow;
	int charged_in_unit;
	struct {
		char key[IDEM_KEY_MAX + 1], ref[PAYMENT_REF_MAX];
	} keys[FAKE_PAYMENT_KEYS];
	size_t nkeys;
} fake_payments;
payment_port fake_payment_port(fake_payments *f);

#define FAKE_LIMITER_ROWS 128
#define FAKE_LIMITER_HITS 256
typedef struct fake_limiter_row {
	char key[300];
	int64_t at[FAKE_LIMITER_HITS];
	int n;
} fake_limiter_row;
typedef struct fake_limiter {
	fake_limiter_row rows[FAKE_LIMITER_ROWS];
	size_t n;
	int takes;
} fake_limiter;
limiter_port fake_limiter_port(fake_limiter *f);

/* Everything a members_service needs, wired to fakes. */
/* Account tokens in memory. */
typedef struct fake_account_tokens {
	account_token rows[FAKE_CAP];
	size_t n;
	int fail_next;
} fake_account_tokens;
account_token_repo fake_account_token_repo(fake_account_tokens *f);

/* The account mails the members core asked for, with their raw tokens. */
typedef struct fake_account_mail_row {
	char kind[24], to[MEMBER_EMAIL_MAX + 1], token[CRYPTO_TOKEN_MAX], lang[8];
	int64_t member_id;
} fake_account_mail_row;
typedef struct fake_account_mails {
	fake_account_mail_row rows[FAKE_CAP];
	size_t n;
	int fail_next;
} fake_account_mails;
account_mail fake_account_mail_port(fake_account_mails *f);

typedef struct fake_world {
	fake_members members;
	fake_sessions sessions;
	fake_ledger ledger;
	fake_subscriptions subs;
	fake_idempotency idem;
	fake_uow uow;
	fake_outbox outbox;
	fake_clock clock;
	fake_crypto crypto;
	fake_payments payments;
	fake_limiter limiter;
	fake_orders orders;
	payment_gateway gateway; /* the development gateway unless a test sets another */
	fake_account_tokens tokens;
	fake_account_mails mails;
	members_service svc;
} fake_world;

/* Allocates a world (it is large) with a service using cfg (NULL: defaults). */
fake_world *fake_world_new(const members_config *cfg);
void fake_world_free(fake_world *w);

#endif
