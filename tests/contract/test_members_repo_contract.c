/*
 * One suite, three implementations: every members repository and the outbox
 * must behave the same on the fakes, on SQLite and on PostgreSQL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/postgres/pg_repos.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "fakes/fakes.h"
#include "support/test_env.h"
#include "support/test_pg.h"

typedef struct repos {
	member_repo members;
	session_repo sessions;
	ledger_repo ledger;
	subscription_repo subs;
	idempotency_repo idem;
	outbox_port outbox;
	uow uow;
	/* owners */
	fake_world *world;
	fake_outbox *fake_outbox;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	uow_tx *tx; /* each test runs in one unit, committed at teardown */
} repos;

static int setup_fake(void **state)
{
	repos *r = calloc(1, sizeof(*r));

	r->world = fake_world_new(NULL);
	r->fake_outbox = calloc(1, sizeof(*r->fake_outbox));
	r->members = fake_member_repo(&r->world->members);
	r->sessions = fake_session_repo(&r->world->sessions);
	r->ledger = fake_ledger_repo(&r->world->ledger);
	r->subs = fake_subscription_repo(&r->world->subs);
	r->idem = fake_idempotency_repo(&r->world->idem);
	r->outbox = fake_outbox_port(r->fake_outbox);
	r->uow = fake_uow_port(&r->world->uow);
	assert_int_equal(uow_begin(&r->tx, &r->uow, NULL), 0);
	*state = r;
	return 0;
}

static int setup_sqlite(void **state)
{
	repos *r = calloc(1, sizeof(*r));
	char dir[512], path[600];
	app_err err;

	test_tmpdir(dir, sizeof(dir), "members-contract");
	snprintf(path, sizeof(path), "%s/test.db", dir);
	assert_int_equal(sqlite_db_open(&r->db, path, &err), 0);
	r->members = sqlite_member_repo(r->db);
	r->sessions = sqlite_session_repo(r->db);
	r->ledger = sqlite_ledger_repo(r->db);
	r->subs = sqlite_subscription_repo(r->db);
	r->idem = sqlite_idempotency_repo(r->db);
	r->outbox = sqlite_outbox(r->db);
	r->uow = sqlite_db_uow(r->db);
	assert_int_equal(uow_begin(&r->tx, &r->uow, NULL), 0);
	*state = r;
	return 0;
}

static int setup_pg(void **state)
{
	repos *r = calloc(1, sizeof(*r));
	app_err err;

	test_pg_suite_db(&r->pgdb, "members_contract");
	assert_int_equal(pg_db_open(&r->pg, r->pgdb.conninfo, &err), 0);
	r->members = pg_member_repo(r->pg);
	r->sessions = pg_session_repo(r->pg);
	r->ledger = pg_ledger_repo(r->pg);
	r->subs = pg_subscription_repo(r->pg);
	r->idem = pg_idempotency_repo(r->pg);
	r->outbox = pg_outbox(r->pg);
	r->uow = pg_db_uow(r->pg);
	assert_int_equal(uow_begin(&r->tx, &r->uow, NULL), 0);
	*state = r;
	return 0;
}

static int teardown(void **state)
{
	repos *r = *state;

	if (r->tx)
		assert_int_equal(uow_commit(r->tx, NULL), 0);
	if (r->db)
		sqlite_db_close(r->db);
	pg_db_close(r->pg);
	if (r->fake_outbox) {
		fake_outbox_dispose(r->fake_outbox);
		free(r->fake_outbox);
	}
	fake_world_free(r->world);
	free(r);
	return 0;
}

static member new_member(repos *r, const char *email)
{
	member m;
	app_err err;

	memset(&m, 0, sizeof(m));
	snprintf(m.email, sizeof(m.email), "%s", email);
	snprintf(m.name, sizeof(m.name), "이름");
	snprintf(m.password_hash, sizeof(m.password_hash), "h");
	m.roles = MEMBER_ROLE_READER;
	m.created_at = 1000;
	assert_int_equal(member_repo_insert(&r->members, r->tx, &m, &err), 0);
	assert_true(m.id > 0);
	return m;
}

static void test_member_insert_find_unique(void **state)
{
	repos *r = *state;
	member m = new_member(r, "kim@example.com"), got, dup;
	app_err err;

	assert_int_equal(member_repo_find_by_id(&got, &r->members, r->tx, m.id, &err), 0);
	assert_string_equal(got.email, "kim@example.com");
	assert_string_equal(got.name, "이름");
	assert_int_equal(got.points, 0);
	assert_int_equal(got.created_at, 1000);
	assert_int_equal(
	    member_repo_find_by_email(&got, &r->members, r->tx, "KIM@example.com", &err), 0);
	assert_int_equal(got.id, m.id);
	assert_int_equal(member_repo_find_by_email(&got, &r->members, r->tx, "x@example.com", &err),
			 APP_ENOTFOUND);
	assert_int_equal(member_repo_find_by_id(&got, &r->members, r->tx, 4242, &err),
			 APP_ENOTFOUND);
	memset(&dup, 0, sizeof(dup));
	snprintf(dup.email, sizeof(dup.email), "Kim@Example.com");
	snprintf(dup.password_hash, sizeof(dup.password_hash), "h");
	assert_int_equal(member_repo_insert(&r->members, r->tx, &dup, &err), APP_EEXISTS);
}

static void test_member_roles_and_balance(void **state)
{
	repos *r = *state;
	member m = new_member(r, "kim@example.com"), got;
	member_totals t;
	int64_t bal;
	app_err err;

	assert_int_equal(member_repo_add_roles(&r->members, r->tx, m.id, MEMBER_ROLE_AUTHOR, &err),
			 0);
	assert_int_equal(member_repo_add_roles(&r->members, r->tx, m.id, MEMBER_ROLE_AUTHOR, &err),
			 0);
	assert_int_equal(member_repo_find_by_id(&got, &r->members, r->tx, m.id, &err), 0);
	assert_int_equal(got.roles, MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR);
	assert_int_equal(member_repo_add_roles(&r->members, r->tx, 999, MEMBER_ROLE_AUTHOR, &err),
			 APP_ENOTFOUND);

	assert_int_equal(member_repo_credit(&bal, &r->members, r->tx, m.id, 500, &err), 0);
	assert_int_equal(bal, 500);
	assert_int_equal(member_repo_debit(&bal, &r->members, r->tx, m.id, 200, &err), 0);
	assert_int_equal(bal, 300);
	assert_int_equal(member_repo_debit(&bal, &r->members, r->tx, m.id, 301, &err),
			 APP_EINSUFFICIENT);
	assert_int_equal(member_repo_debit(&bal, &r->members, r->tx, m.id, 300, &err), 0);
	assert_int_equal(bal, 0);
	assert_int_equal(member_repo_debit(&bal, &r->members, r->tx, 999, 1, &err), APP_ENOTFOUND);
	assert_int_equal(member_repo_credit(&bal, &r->members, r->tx, m.id, 0, &err), APP_EINVALID);
	assert_int_equal(member_repo_debit(&bal, &r->members, r->tx, m.id, -5, &err), APP_EINVALID);
	assert_int_equal(member_repo_credit(&bal, &r->members, r->tx, m.id, 70, &err), 0);
	new_member(r, "lee@example.com");
	assert_int_equal(member_repo_totals(&t, &r->members, r->tx, &err), 0);
	assert_int_equal(t.members, 2);
	assert_int_equal(t.points_outstanding, 70);
}

static void test_sessions(void **state)
{
	repos *r = *state;
	member m = new_member(r, "kim@example.com");
	int64_t id, exp, n;
	app_err err;

	assert_int_equal(session_repo_insert(&r->sessions, r->tx, "d1", m.id, 10, 100, &err), 0);
	assert_int_equal(session_repo_insert(&r->sessions, r->tx, "d2", m.id, 10, 200, &err), 0);
	assert_int_equal(session_repo_insert(&r->sessions, r->tx, "d1", m.id, 10, 300, &err),
			 APP_EEXISTS);
	assert_int_equal(session_repo_find(&id, &exp, &r->sessions, r->tx, "d1", &err), 0);
	assert_int_equal(id, m.id);
	assert_int_equal(exp, 100);
	assert_int_equal(session_repo_count_active(&n, &r->sessions, r->tx, 50, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(session_repo_purge_expired(&n, &r->sessions, r->tx, 100, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(session_repo_find(&id, &exp, &r->sessions, r->tx, "d1", &err),
			 APP_ENOTFOUND);
	assert_int_equal(session_repo_remove(&r->sessions, r->tx, "d2", &err), 0);
	assert_int_equal(session_repo_remove(&r->sessions, r->tx, "d2", &err), 0);
	assert_int_equal(session_repo_find(&id, &exp, &r->sessions, r->tx, "d2", &err),
			 APP_ENOTFOUND);
}

/* The session and its member in one lookup: the member's row as find_by_id gives it. */
static void test_session_find_member(void **state)
{
	repos *r = *state;
	member m = new_member(r, "kim@example.com"), other = new_member(r, "lee@example.com"), got,
	       byid;
	int64_t exp = 0;
	app_err err;

	assert_int_equal(member_repo_add_roles(&r->members, r->tx, m.id, MEMBER_ROLE_AUTHOR, &err),
			 0);
	assert_int_equal(session_repo_insert(&r->sessions, r->tx, "d1", m.id, 10, 100, &err), 0);
	assert_int_equal(session_repo_insert(&r->sessions, r->tx, "d2", other.id, 10, 200, &err),
			 0);
	assert_int_equal(session_repo_find_member(&got, &exp, &r->sessions, r->tx, "d1", &err), 0);
	assert_int_equal(member_repo_find_by_id(&byid, &r->members, r->tx, m.id, &err), 0);
	assert_int_equal(exp, 100);
	assert_int_equal(got.id, m.id);
	assert_string_equal(got.email, "kim@example.com");
	assert_string_equal(got.name, byid.name);
	assert_string_equal(got.password_hash, byid.password_hash);
	assert_int_equal(got.roles, byid.roles);
	assert_true(got.roles & MEMBER_ROLE_AUTHOR);
	assert_int_equal(got.points, byid.points);
	assert_int_equal(got.created_at, byid.created_at);
	assert_int_equal(got.deleted_at, 0);
	assert_int_equal(session_repo_find_member(&got, &exp, &r->sessions, r->tx, "d2", &err), 0);
	assert_int_equal(got.id, other.id);
	assert_int_equal(exp, 200);
	assert_int_equal(session_repo_find_member(&got, &exp, &r->sessions, r->tx, "nope", &err),
			 APP_ENOTFOUND);
	assert_int_equal(session_repo_remove(&r->sessions, r->tx, "d1", &err), 0);
	assert_int_equal(session_repo_find_member(&got, &exp, &r->sessions, r->tx, "d1", &err),
			 APP_ENOTFOUND);
}

static void test_session_prune(void **state)
{
	repos *r = *state;
	member m = new_member(r, "kim@example.com"), other = new_member(r, "lee@example.com");
	const char *digests[] = {"s1", "s2", "s3", "s4", "s5"};
	int64_t id, exp;
	app_err err;

	for (int i = 0; i < 5; i++)
		assert_int_equal(
		    session_repo_insert(&r->sessions, r->tx, digests[i], m.id, 10 + i, 1000, &err),
		    0);
	assert_int_equal(session_repo_insert(&r->sessions, r->tx, "o1", other.id, 1, 1000, &err),
			 0);
	/* keep 3: the one named (even the oldest) and the two newest others */
	assert_int_equal(session_repo_prune(&r->sessions, r->tx, m.id, "s1", 3, &err), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(
		    session_repo_find(&id, &exp, &r->sessions, r->tx, digests[i], &err),
		    i == 0 || i >= 3 ? 0 : APP_ENOTFOUND);
	assert_int_equal(session_repo_find(&id, &exp, &r->sessions, r->tx, "o1", &err), 0);
	assert_int_equal(session_repo_prune(&r->sessions, r->tx, m.id, "s5", 1, &err), 0);
	assert_int_equal(session_repo_find(&id, &exp, &r->sessions, r->tx, "s5", &err), 0);
	assert_int_equal(session_repo_find(&id, &exp, &r->sessions, r->tx, "s4", &err),
			 APP_ENOTFOUND);
}

static void test_ledger(void **state)
{
	repos *r = *state;
	member a = new_member(r, "a@example.com"), b = new_member(r, "b@example.com");
	ledger_entry e, out[10];
	size_t n;
	app_err err;

	for (int i = 1; i <= 4; i++) {
		memset(&e, 0, sizeof(e));
		e.member_id = i % 2 ? a.id : b.id;
		e.kind = i == 4 ? LEDGER_PURCHASE : LEDGER_CHARGE;
		e.amount = i == 4 ? -100 : i * 1000;
		e.balance_after = i * 1000;
		e.book_id = i == 4 ? 77 : 0;
		e.created_at = i;
		assert_int_equal(ledger_repo_append(&r->ledger, r->tx, &e, &err), 0);
	}
	assert_int_equal(ledger_repo_find(&e, &r->ledger, r->tx, e.id, &err), 0);
	assert_int_equal(e.kind, LEDGER_PURCHASE);
	assert_int_equal(e.book_id, 77);
	assert_int_equal(e.amount, -100);
	assert_int_equal(ledger_repo_find(&e, &r->ledger, r->tx, 999, &err), APP_ENOTFOUND);
	assert_int_equal(ledger_repo_list(out, &n, &r->ledger, r->tx, a.id, 0, 10, &err), 0);
	assert_int_equal(n, 2);
	assert_true(out[0].id > out[1].id);
	assert_int_equal(out[0].amount, 3000);
	assert_int_equal(out[1].book_id, 0);
	assert_int_equal(ledger_repo_list(out, &n, &r->ledger, r->tx, b.id, 0, 1, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].amount, -100);
	assert_int_equal(ledger_repo_list(out, &n, &r->ledger, r->tx, b.id, out[0].id, 10, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].amount, 2000);
}

static void test_subscriptions(void **state)
{
	repos *r = *state;
	member a = new_member(r, "a@example.com"), b = new_member(r, "b@example.com");
	subscription s = {.member_id = a.id, .started_at = 1, .expires_at = 100, .auto_renew = 1};
	int64_t ids[4];
	size_t n;
	app_err err;

	assert_int_equal(subscription_repo_find(&s, &r->subs, r->tx, b.id, &err), APP_ENOTFOUND);
	assert_int_equal(subscription_repo_save(&r->subs, r->tx, &s, &err), 0);
	s = (subscription){.member_id = b.id, .started_at = 1, .expires_at = 50};
	assert_int_equal(subscription_repo_save(&r->subs, r->tx, &s, &err), 0);
	assert_int_equal(subscription_repo_list_due(ids, &n, &r->subs, r->tx, 49, 4, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(subscription_repo_list_due(ids, &n, &r->subs, r->tx, 100, 4, &err), 0);
	assert_int_equal(n, 2);
	s.expired = 1;
	assert_int_equal(subscription_repo_save(&r->subs, r->tx, &s, &err), 0);
	assert_int_equal(subscription_repo_list_due(ids, &n, &r->subs, r->tx, 100, 4, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], a.id);
	assert_int_equal(subscription_repo_find(&s, &r->subs, r->tx, a.id, &err), 0);
	assert_int_equal(s.expires_at, 100);
	assert_int_equal(s.auto_renew, 1);
	assert_int_equal(s.expired, 0);
}

static void test_idempotency(void **state)
{
	repos *r = *state;
	idem_entry e;
	app_err err;

	assert_int_equal(idempotency_repo_find(&e, &r->idem, r->tx, 1, "charge", "k", &err),
			 APP_ENOTFOUND);
	assert_int_equal(
	    idempotency_repo_insert(&r->idem, r->tx, 1, "charge", "k", "amount=1", 42, 0, &err), 0);
	assert_int_equal(
	    idempotency_repo_insert(&r->idem, r->tx, 1, "charge", "k", "amount=1", 43, 0, &err),
	    APP_EEXISTS);
	assert_int_equal(
	    idempotency_repo_insert(&r->idem, r->tx, 1, "purchase", "k", "book=1", 44, 0, &err), 0);
	assert_int_equal(
	    idempotency_repo_insert(&r->idem, r->tx, 2, "charge", "k", "amount=2", 45, 0, &err), 0);
	assert_int_equal(idempotency_repo_find(&e, &r->idem, r->tx, 1, "charge", "k", &err), 0);
	assert_int_equal(e.result_id, 42);
	assert_string_equal(e.request, "amount=1");
	assert_int_equal(idempotency_repo_find(&e, &r->idem, r->tx, 2, "charge", "k", &err), 0);
	assert_int_equal(e.result_id, 45);
	assert_string_equal(e.request, "amount=2");
}

/* An intent (result 0) is completed once, or removed; a finished key is neither. */
static void test_idempotency_in_flight(void **state)
{
	repos *r = *state;
	idem_entry e;
	app_err err;

	assert_int_equal(
	    idempotency_repo_insert(&r->idem, r->tx, 1, "charge", "a", "amount=5", 0, 0, &err), 0);
	assert_int_equal(idempotency_repo_find(&e, &r->idem, r->tx, 1, "charge", "a", &err), 0);
	assert_int_equal(e.result_id, 0);
	assert_int_equal(idempotency_repo_complete(&r->idem, r->tx, 1, "charge", "a", 7, &err), 0);
	assert_int_equal(idempotency_repo_complete(&r->idem, r->tx, 1, "charge", "a", 8, &err),
			 APP_ENOTFOUND);
	assert_int_equal(idempotency_repo_complete(&r->idem, r->tx, 1, "charge", "none", 8, &err),
			 APP_ENOTFOUND);
	assert_int_equal(idempotency_repo_remove(&r->idem, r->tx, 1, "charge", "a", &err), 0);
	assert_int_equal(idempotency_repo_find(&e, &r->idem, r->tx, 1, "charge", "a", &err), 0);
	assert_int_equal(e.result_id, 7);

	assert_int_equal(
	    idempotency_repo_insert(&r->idem, r->tx, 1, "charge", "b", "amount=5", 0, 0, &err), 0);
	assert_int_equal(idempotency_repo_remove(&r->idem, r->tx, 1, "charge", "b", &err), 0);
	assert_int_equal(idempotency_repo_find(&e, &r->idem, r->tx, 1, "charge", "b", &err),
			 APP_ENOTFOUND);
	assert_int_equal(idempotency_repo_remove(&r->idem, r->tx, 1, "charge", "b", &err), 0);
}

static void test_outbox(void **state)
{
	repos *r = *state;
	domain_event ev, out[8];
	int64_t failures, ids[3], last = -1;
	size_t n;
	app_err err;

	assert_int_equal(outbox_settled_id(&last, &r->outbox, r->tx, "a.happened", &err), 0);
	assert_int_equal(last, 0); /* none yet */
	for (int i = 0; i < 3; i++) {
		domain_event_init(&ev, i == 1 ? "b.happened" : "a.happened");
		domain_event_add_int(&ev, "n", i);
		domain_event_add_str(&ev, "who", "김");
		domain_event_add_bool(&ev, "flag", 1);
		assert_int_equal(outbox_append(&r->outbox, r->tx, &ev, 500 + i, &err), 0);
		assert_true(ev.id > 0);
		ids[i] = ev.id;
		domain_event_dispose(&ev);
	}
	/* one writer at a time: the latest id; PostgreSQL's commits may land out of id order */
	assert_int_equal(outbox_settled_id(&last, &r->outbox, r->tx, "a.happened", &err), 0);
	assert_int_equal(last, r->pg ? 0 : ids[2]);
	assert_int_equal(outbox_settled_id(&last, &r->outbox, r->tx, "b.happened", &err), 0);
	assert_int_equal(last, r->pg ? 0 : ids[1]);
	assert_int_equal(outbox_settled_id(&last, &r->outbox, r->tx, "c.happened", &err), 0);
	assert_int_equal(last, 0);
	assert_int_equal(outbox_pending(out, &n, &r->outbox, r->tx, "s1", "a.happened", 0, 8, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(domain_event_int(&out[0], "n", -1), 0);
	assert_string_equal(domain_event_str(&out[0], "who"), "김");
	assert_int_equal(domain_event_int(&out[0], "flag", -1), 1);
	assert_int_equal(out[0].created_at, 500);
	assert_int_equal(outbox_mark_failed(&r->outbox, r->tx, out[0].id, "s1", "boom", 1, &err),
			 0);
	assert_int_equal(outbox_mark_delivered(&r->outbox, r->tx, out[1].id, "s1", 1, &err), 0);
	for (size_t i = 0; i < n; i++)
		domain_event_dispose(&out[i]);
	assert_int_equal(outbox_pending(out, &n, &r->outbox, r->tx, "s1", "a.happened", 0, 8, &err),
			 0);
	assert_int_equal(n, 1); /* failed stays pending, delivered is gone */
	assert_int_equal(domain_event_int(&out[0], "n", -1), 0);
	domain_event_dispose(&out[0]);
	assert_int_equal(outbox_pending(out, &n, &r->outbox, r->tx, "s2", "a.happened", 0, 8, &err),
			 0);
	assert_int_equal(n, 2); /* marks are per subscriber */
	for (size_t i = 0; i < n; i++)
		domain_event_dispose(&out[i]);
	assert_int_equal(
	    outbox_pending_count(&failures, &r->outbox, r->tx, "s1", "a.happened", &err), 0);
	assert_int_equal(failures, 1);
	assert_int_equal(
	    outbox_pending_count(&failures, &r->outbox, r->tx, "s2", "a.happened", &err), 0);
	assert_int_equal(failures, 2);
	assert_int_equal(outbox_pending_count(&failures, &r->outbox, r->tx, "s2", "none", &err), 0);
	assert_int_equal(failures, 0);
	assert_int_equal(outbox_failures(&failures, &r->outbox, r->tx, &err), 0);
	assert_int_equal(failures, 1);
	assert_int_equal(outbox_list(out, &n, &r->outbox, r->tx, 0, NULL, 8, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(out[1].type, "b.happened");
	for (size_t i = 0; i < n; i++)
		domain_event_dispose(&out[i]);
	assert_int_equal(outbox_list(out, &n, &r->outbox, r->tx, 1, "a.happened", 8, &err), 0);
	assert_int_equal(n, 1);
	domain_event_dispose(&out[0]);
}

int main(void)
{
#define EACH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_sqlite, teardown),                            \
	    cmocka_unit_test_setup_teardown(f, setup_pg, teardown)
	const struct CMUnitTest tests[] = {
	    EACH(test_member_insert_find_unique),
	    EACH(test_member_roles_and_balance),
	    EACH(test_sessions),
	    EACH(test_session_find_member),
	    EACH(test_session_prune),
	    EACH(test_ledger),
	    EACH(test_subscriptions),
	    EACH(test_idempotency),
	    EACH(test_idempotency_in_flight),
	    EACH(test_outbox),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
