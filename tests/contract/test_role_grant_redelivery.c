/*
 * The author role survives a crash between the approval commit and the
 * role-grant handler. Against a real SQLite database:
 *   1. approve with a bus that has no subscriber: the approval and its
 *      author.approved event are committed, no handler runs (the crash);
 *   2. reopen with the members.role_grant subscriber the app registers;
 *      bus_start() redelivers the event and the role is granted;
 *   3. the event delivered once more (a crash after the handler but before
 *      its delivery mark) changes nothing: the handler is idempotent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/system/system.h"
#include "app/app.h"
#include "adapters/bus/bus.h"
#include "domain/authors/authors.h"
#include "domain/members/members.h"
#include "support/test_env.h"

typedef struct stack {
	sqlite_db *db;
	bus *bus;
	members_service members;
	authors_service authors;
} stack;

/* The app's pieces on the database at path; the role grant only when subscribe. */
static void stack_open(stack *s, const char *path, int subscribe)
{
	members_deps md;
	authors_deps ad;
	app_err err;

	memset(s, 0, sizeof(*s));
	memset(&md, 0, sizeof(md));
	assert_int_equal(sqlite_db_open(&s->db, path, &err), 0);
	assert_int_equal(
	    bus_new(&s->bus, sqlite_outbox(s->db), sqlite_db_uow(s->db), system_clock(), &err), 0);
	md.members = sqlite_member_repo(s->db);
	md.sessions = sqlite_session_repo(s->db);
	md.ledger = sqlite_ledger_repo(s->db);
	md.subscriptions = sqlite_subscription_repo(s->db);
	md.idempotency = sqlite_idempotency_repo(s->db);
	md.uow = bus_uow(s->bus);
	md.events = bus_publisher(s->bus);
	md.clock = system_clock();
	members_service_init(&s->members, &md, NULL);
	ad = (authors_deps){
	    .applications = sqlite_author_application_repo(s->db),
	    .uow = bus_uow(s->bus),
	    .events = bus_publisher(s->bus),
	    .clock = system_clock(),
	};
	authors_service_init(&s->authors, &ad);
	if (subscribe)
		assert_int_equal(app_subscribe_role_grant(s->bus, &s->members, &err), 0);
	assert_int_equal(bus_start(s->bus, &err), 0);
}

static void stack_close(stack *s)
{
	bus_free(s->bus);
	sqlite_db_close(s->db);
}

static unsigned roles_of(stack *s, int64_t member_id)
{
	member m;
	app_err err;

	assert_int_equal(members_get(&m, &s->members, member_id, &err), 0);
	return m.roles;
}

/* A member stored directly, in a unit of its own. */
static void insert_member(stack *s, member *m)
{
	member_repo repo = sqlite_member_repo(s->db);
	uow u = sqlite_db_uow(s->db);
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	assert_int_equal(member_repo_insert(&repo, tx, m, &err), 0);
	assert_int_equal(uow_commit(tx, &err), 0);
}

static size_t undelivered(stack *s)
{
	outbox_port o = sqlite_outbox(s->db);
	domain_event evs[8];
	size_t n;
	app_err err;

	assert_int_equal(
	    outbox_pending(evs, &n, &o, NULL, "members.role_grant", "author.approved", 0, 8, &err),
	    0);
	for (size_t i = 0; i < n; i++)
		domain_event_dispose(&evs[i]);
	return n;
}

static void test_role_granted_after_crash(void **state)
{
	char dir[512], path[600];
	author_application a;
	member m;
	stack s;
	app_err err;
	int64_t reader;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "role-grant");
	snprintf(path, sizeof(path), "%s/wl.db", dir);

	/* 1: the approval commits, no handler runs */
	stack_open(&s, path, 0);
	memset(&m, 0, sizeof(m));
	snprintf(m.email, sizeof(m.email), "writer@example.com");
	snprintf(m.name, sizeof(m.name), "Writer");
	snprintf(m.password_hash, sizeof(m.password_hash), "x");
	m.roles = MEMBER_ROLE_READER;
	insert_member(&s, &m);
	reader = m.id;
	assert_int_equal(authors_apply(&a, &s.authors, reader, "작가", "bio", "link", &err), 0);
	assert_int_equal(authors_approve(NULL, &s.authors, 1, 1, a.id, &err), 0);
	author_application_dispose(&a);
	assert_int_equal(roles_of(&s, reader), MEMBER_ROLE_READER);
	assert_int_equal(undelivered(&s), 1);
	stack_close(&s);

	/* 2: start-up redelivers; the role is granted */
	stack_open(&s, path, 1);
	assert_int_equal(roles_of(&s, reader), MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR);
	assert_int_equal(undelivered(&s), 0);
	stack_close(&s);

	/* 3: delivered again (the mark lost): still exactly reader + author */
	stack_open(&s, path, 0);
	assert_int_equal(sqlite_db_exec(s.db, "DELETE FROM outbox_delivery", &err), 0);
	assert_int_equal(undelivered(&s), 1);
	stack_close(&s);
	stack_open(&s, path, 1);
	assert_int_equal(roles_of(&s, reader), MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR);
	assert_int_equal(undelivered(&s), 0);
	stack_close(&s);

	/* and a restart with nothing pending changes nothing */
	stack_open(&s, path, 1);
	assert_int_equal(roles_of(&s, reader), MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR);
	stack_close(&s);
}

static void test_grant_runs_inline_after_commit(void **state)
{
	char dir[512], path[600];
	author_application a;
	member m;
	stack s;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "role-grant-inline");
	snprintf(path, sizeof(path), "%s/wl.db", dir);
	stack_open(&s, path, 1);
	memset(&m, 0, sizeof(m));
	snprintf(m.email, sizeof(m.email), "w2@example.com");
	snprintf(m.name, sizeof(m.name), "W2");
	snprintf(m.password_hash, sizeof(m.password_hash), "x");
	m.roles = MEMBER_ROLE_READER;
	insert_member(&s, &m);
	assert_int_equal(authors_apply(&a, &s.authors, m.id, "P", "", "", &err), 0);
	/* a rejection grants nothing */
	assert_int_equal(authors_reject(NULL, &s.authors, 1, 1, a.id, "no", &err), 0);
	author_application_dispose(&a);
	assert_int_equal(roles_of(&s, m.id), MEMBER_ROLE_READER);
	assert_int_equal(authors_apply(&a, &s.authors, m.id, "P", "", "", &err), 0);
	/* the synchronous subscriber has run by the time approve returns */
	assert_int_equal(authors_approve(NULL, &s.authors, 1, 1, a.id, &err), 0);
	author_application_dispose(&a);
	assert_int_equal(roles_of(&s, m.id), MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR);
	assert_int_equal(undelivered(&s), 0);
	stack_close(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_role_granted_after_crash),
	    cmocka_unit_test(test_grant_runs_inline_after_commit),
	};

	return cmocka_run_group_tests_name("role grant redelivery", tests, NULL, NULL);
}
