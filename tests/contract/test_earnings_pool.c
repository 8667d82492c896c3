/*
 * The earnings core on SQLite with a fake clock and a fake catalogue: sale
 * shares once per ledger entry, the month's subscription pool split by
 * distinct subscriber reads (episode reads under the subscription or a
 * wait-free unlock) at month end exactly once (also by a second process
 * after a restart), and payouts that never exceed what was earned: not
 * with many requests at once, and not when any storage call of a request,
 * a mark-paid or a month's settling fails (every call in turn).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/sqlite/sqlite_repos.h"
#include "domain/earnings/earnings.h"
#include "fakes/fakes.h"
#include "fakes/faults.h"
#include "support/test_env.h"

#define JAN 1767225600000LL /* 2026-01-01T00:00:00Z */
#define FEB 1769904000000LL /* 2026-02-01T00:00:00Z */

typedef struct world {
	char path[600];
	sqlite_db *db;
	fake_clock clock;
	outbox_port outbox;
	earnings_service svc;
	earnings_repo raw;  /* the repository without faults, for the invariants */
	fault_storage fs;   /* over the service's storage when service(w, 1) */
	int64_t authors[3]; /* members: the authors of books 1, 2, 3 */
	int64_t seq;
} world;

static int publish(void *self, uow_tx *tx, domain_event *ev, app_err *err)
{
	world *w = self;

	return outbox_append(&w->outbox, tx, ev, w->clock.now, err);
}

static const event_publisher_vtbl publish_vtbl = {.publish = publish};

/* Books 1..3 by authors[0..2]; members 100+ read by subscription, others do not. */
static int work(int64_t *author_id, char title[EARNINGS_TITLE_MAX], int *by_subscription,
		void *self, int64_t book_id, int64_t reader_id, app_err *err)
{
	world *w = self;

	if (book_id < 1 || book_id > 3)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	*author_id = w->authors[book_id - 1];
	snprintf(title, EARNINGS_TITLE_MAX, "작품 %lld", (long long)book_id);
	*by_subscription = reader_id >= 100;
	return 0;
}

static const earnings_sources_vtbl sources_vtbl = {.work = work};

/* The decorator counts without locks: faults only in single-threaded tests. */
static void service(world *w, int faults)
{
	earnings_deps d = {
	    .repo = sqlite_earnings_repo(w->db),
	    .sources = {.vtbl = &sources_vtbl, .self = w},
	    .uow = sqlite_db_uow(w->db),
	    .events = {.vtbl = &publish_vtbl, .self = w},
	    .clock = fake_clock_port(&w->clock),
	};

	w->raw = d.repo;
	memset(&w->fs, 0, sizeof(w->fs));
	if (faults)
		fault_storage_wrap_earnings(&d, &w->fs);
	earnings_service_init(&w->svc, &d, 70);
}

static void add_authors(world *w)
{
	member_repo members = sqlite_member_repo(w->db);
	uow u = sqlite_db_uow(w->db);
	uow_tx *tx;
	app_err err;

	for (int i = 0; i < 3; i++) {
		member m = {.roles = MEMBER_ROLE_READER | MEMBER_ROLE_AUTHOR, .created_at = 1};

		snprintf(m.email, sizeof(m.email), "author%d@example.com", i);
		snprintf(m.name, sizeof(m.name), "작가");
		snprintf(m.password_hash, sizeof(m.password_hash), "x");
		assert_int_equal(uow_begin(&tx, &u, &err), 0);
		assert_int_equal(member_repo_insert(&members, tx, &m, &err), 0);
		assert_int_equal(uow_commit(tx, &err), 0);
		w->authors[i] = m.id;
	}
}

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	char dir[512];
	app_err err;

	test_tmpdir(dir, sizeof(dir), "earnings");
	snprintf(w->path, sizeof(w->path), "%s/test.db", dir);
	assert_int_equal(sqlite_db_open(&w->db, w->path, &err), 0);
	w->outbox = sqlite_outbox(w->db);
	w->clock.now = JAN + 1000;
	service(w, 0);
	add_authors(w);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;

	sqlite_db_close(w->db);
	free(w);
	return 0;
}

static void spent(world *w, const char *kind, int64_t amount, int64_t book_id, int64_t ledger)
{
	domain_event ev;
	app_err err;

	domain_event_init(&ev, "points.spent");
	domain_event_add_int(&ev, "amount", amount);
	domain_event_add_str(&ev, "kind", kind);
	if (book_id)
		domain_event_add_int(&ev, "bookId", book_id);
	domain_event_add_int(&ev, "ledgerId", ledger);
	ev.created_at = w->clock.now;
	assert_int_equal(earnings_on_spent(&w->svc, &ev, &err), 0);
	domain_event_dispose(&ev);
}

static void viewed(world *w, int64_t reader, int64_t book_id)
{
	domain_event ev;
	app_err err;

	domain_event_init(&ev, "book.viewed");
	domain_event_add_int(&ev, "memberId", reader);
	domain_event_add_int(&ev, "bookId", book_id);
	ev.created_at = w->clock.now;
	assert_int_equal(earnings_on_viewed(&w->svc, &ev, &err), 0);
	domain_event_dispose(&ev);
}

/* An episode.viewed as the books core publishes it: the access the read was counted under. */
static void episode_viewed(world *w, int64_t reader, int64_t book_id, int number,
			   const char *reason)
{
	domain_event ev;
	app_err err;

	domain_event_init(&ev, "episode.viewed");
	domain_event_add_int(&ev, "bookId", book_id);
	domain_event_add_int(&ev, "number", number);
	domain_event_add_int(&ev, "memberId", reader);
	domain_event_add_str(&ev, "reason", reason);
	ev.created_at = w->clock.now;
	assert_int_equal(earnings_on_viewed(&w->svc, &ev, &err), 0);
	domain_event_dispose(&ev);
}

static earnings_summary summary(world *w, int who)
{
	earnings_page *pg = calloc(1, sizeof(*pg));
	earnings_summary s;
	app_err err;

	assert_int_equal(earnings_page_of(pg, &w->svc, w->authors[who], &err), 0);
	s = pg->summary;
	free(pg);
	return s;
}

static void test_a_sale_earns_its_share_once(void **state)
{
	world *w = *state;

	spent(w, "purchase", 999, 1, 11);
	spent(w, "purchase", 999, 1, 11); /* delivered again */
	spent(w, "purchase", 3000, 2, 12);
	spent(w, "purchase", 500, 99, 13); /* a work that is gone */
	assert_int_equal(summary(w, 0).earned, 699);
	assert_int_equal(summary(w, 0).available, 699);
	assert_int_equal(summary(w, 1).earned, 2100);
	assert_int_equal(summary(w, 2).earned, 0);
}

static void test_the_pool_is_shared_by_subscriber_reads_at_month_end_once(void **state)
{
	world *w = *state;
	earnings_page *pg = calloc(1, sizeof(*pg));
	int months;
	app_err err;

	spent(w, "subscription", 9900, 0, 21);
	spent(w, "subscription", 9900, 0, 22);
	spent(w, "subscription", 9900, 0, 22); /* again */
	/* book 1: three subscribers (one twice); book 2: one; book 3: a non-subscriber only */
	viewed(w, 100, 1);
	viewed(w, 100, 1);
	viewed(w, 101, 1);
	viewed(w, 102, 1);
	viewed(w, 100, 2);
	viewed(w, 5, 3);
	assert_int_equal(earnings_settle_due(&months, &w->svc, &err), 0);
	assert_int_equal(months, 0); /* January is not over */
	w->clock.now = FEB + 5;
	assert_int_equal(earnings_settle_due(&months, &w->svc, &err), 0);
	assert_int_equal(months, 1);
	/* pool 19,800; authors' part floor(19,800 * 70%) = 13,860; units 3 and 1 */
	assert_int_equal(summary(w, 0).earned, 10395);
	assert_int_equal(summary(w, 1).earned, 3465);
	assert_int_equal(summary(w, 2).earned, 0);
	assert_int_equal(earnings_settle_due(&months, &w->svc, &err), 0);
	assert_int_equal(months, 0);
	/* a restart: another process, the same file, nothing twice */
	sqlite_db_close(w->db);
	assert_int_equal(sqlite_db_open(&w->db, w->path, &err), 0);
	w->outbox = sqlite_outbox(w->db);
	service(w, 0);
	assert_int_equal(earnings_settle_due(&months, &w->svc, &err), 0);
	assert_int_equal(months, 0);
	assert_int_equal(summary(w, 0).earned, 10395);
	assert_int_equal(earnings_page_of(pg, &w->svc, w->authors[0], &err), 0);
	assert_int_equal(pg->nlines, 1);
	assert_int_equal(pg->lines[0].month, 202601);
	assert_int_equal(pg->lines[0].pool, 10395);
	assert_int_equal(pg->lines[0].units, 3);
	assert_string_equal(pg->lines[0].title, "작품 1");
	free(pg);
}

/*
 * Episode reads: each episode a subscriber or a wait-free unlock reads is a
 * unit once a month (the reason recorded at the read, not the reader's
 * subscription when the event arrives); owned and free reads earn no pool.
 */
static void test_episode_reads_under_subscription_or_wait_free_share_the_pool(void **state)
{
	world *w = *state;
	int months;
	app_err err;

	spent(w, "subscription", 9900, 0, 41);
	episode_viewed(w, 5, 1, 1, "subscription");
	episode_viewed(w, 5, 1, 2, "subscription");
	episode_viewed(w, 5, 1, 2, "subscription"); /* the same episode again this month */
	episode_viewed(w, 6, 1, 3, "wait_free");
	episode_viewed(w, 7, 1, 4, "owned");
	episode_viewed(w, 100, 2, 1, "free"); /* a subscriber reading a free episode */
	episode_viewed(w, 9, 2, 5, "wait_free");
	episode_viewed(w, 9, 3, 1, "author");
	episode_viewed(w, 9, 99, 1, "subscription"); /* a work that is gone */
	w->clock.now = FEB + 5;
	assert_int_equal(earnings_settle_due(&months, &w->svc, &err), 0);
	assert_int_equal(months, 1);
	/* authors' part floor(9,900 * 70%) = 6,930; units 3 (book 1) and 1 (book 2) */
	assert_int_equal(summary(w, 0).earned, 5197);
	assert_int_equal(summary(w, 1).earned, 1732);
	assert_int_equal(summary(w, 2).earned, 0);
}
#define RACERS 32

typedef struct racer {
	world *w;
	int64_t amount, id;
	int rc;
} racer;

static void *request(void *arg)
{
	racer *r = arg;
	payout p;
	app_err err;

	r->rc = earnings_request_payout(&p, &r->w->svc, r->w->authors[1], r->amount, &err);
	return NULL;
}

static void *mark(void *arg)
{
	racer *r = arg;
	payout p;
	app_err err;

	r->rc = earnings_mark_paid(&p, &r->w->svc, 1, r->id, "KB 123-456", &err);
	return NULL;
}

/* Runs fn on RACERS threads at once; returns how many succeeded and what they asked. */
static int race(racer *rs, void *(*fn)(void *), int64_t *granted)
{
	pthread_t t[RACERS];
	int ok = 0;

	for (int i = 0; i < RACERS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, fn, &rs[i]), 0);
	for (int i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		assert_true(rs[i].rc == 0 || rs[i].rc == APP_ECONFLICT);
		ok += rs[i].rc == 0;
		*granted += rs[i].rc == 0 ? rs[i].amount : 0;
	}
	return ok;
}

/* Counts the events of type in the outbox. */
static size_t events_of(world *w, const char *type)
{
	domain_event evs[64];
	size_t n;
	app_err err;

	assert_int_equal(outbox_list(evs, &n, &w->outbox, NULL, 0, type, 64, &err), 0);
	for (size_t i = 0; i < n; i++)
		domain_event_dispose(&evs[i]);
	return n;
}

/*
 * The books of authors[who] add up: earned = available + requested + paid
 * out, each part what its payout rows say, one event per request and per
 * payment; returns the summary.
 */
static earnings_summary books_add_up(world *w, int who)
{
	earnings_summary s;
	payout rows[64];
	int64_t req = 0, paid = 0;
	size_t n, npaid = 0;
	app_err err;

	assert_int_equal(earnings_repo_summary(&s, &w->raw, NULL, w->authors[who], &err), 0);
	assert_int_equal(
	    earnings_repo_payouts(rows, &n, &w->raw, NULL, w->authors[who], 0, 0, 64, &err), 0);
	for (size_t i = 0; i < n; i++) {
		req += rows[i].status == PAYOUT_REQUESTED ? rows[i].amount : 0;
		paid += rows[i].status == PAYOUT_PAID ? rows[i].amount : 0;
		npaid += rows[i].status == PAYOUT_PAID;
	}
	assert_true(s.available >= 0);
	assert_int_equal(s.earned, s.available + s.requested + s.paid_out);
	assert_int_equal(s.requested, req);
	assert_int_equal(s.paid_out, paid);
	assert_int_equal(events_of(w, "payout.requested"), n);
	assert_int_equal(events_of(w, "payout.paid"), npaid);
	return s;
}

static void test_payouts_never_exceed_the_earnings(void **state)
{
	static const int64_t asks[] = {1000, 1500, 2500, 4000};
	world *w = *state;
	racer rs[RACERS];
	payout p, rows[RACERS];
	size_t n;
	int64_t next, granted = 0;
	app_err err;

	spent(w, "purchase", 10000, 2, 31); /* 7,000 for authors[1] */
	assert_int_equal(earnings_request_payout(&p, &w->svc, w->authors[1], 999, &err),
			 APP_EINVALID);
	assert_int_equal(earnings_request_payout(&p, &w->svc, w->authors[1], 7001, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "exceeds_available");
	for (int i = 0; i < RACERS; i++)
		rs[i] = (racer){.w = w, .amount = asks[i % 4]};
	assert_true(race(rs, request, &granted) >= 2);
	assert_true(granted <= 7000);
	assert_true(7000 - granted < 1000); /* stopped only when nothing more fitted */
	assert_int_equal(books_add_up(w, 1).available, 7000 - granted);
	assert_int_equal(summary(w, 1).requested, granted);
	assert_int_equal(
	    earnings_payouts(rows, &n, &next, &w->svc, PAYOUT_REQUESTED, 0, RACERS, &err), 0);
	assert_int_equal(earnings_mark_paid(&p, &w->svc, 1, rows[0].id, "", &err), APP_EINVALID);
	/* everyone marks the same payout paid at once: once */
	for (int i = 0; i < RACERS; i++)
		rs[i] = (racer){.w = w, .id = rows[0].id, .amount = rows[0].amount};
	next = 0;
	assert_int_equal(race(rs, mark, &next), 1);
	assert_int_equal(earnings_mark_paid(&p, &w->svc, 1, rows[0].id, "again", &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "already_paid");
	assert_int_equal(earnings_repo_payout_find(&p, &w->raw, NULL, rows[0].id, &err), 0);
	assert_int_equal(p.status, PAYOUT_PAID);
	assert_string_equal(p.reference, "KB 123-456");
	assert_int_equal(books_add_up(w, 1).paid_out, rows[0].amount);
	assert_int_equal(summary(w, 1).earned, 7000);
}

/* Fails the n-th storage call from now (0: none); fs.failed tells whether one was. */
static void fail_call(world *w, int n)
{
	w->fs.fail_at = n ? w->fs.calls + n : 0;
	w->fs.failed = 0;
}

static void test_a_failing_storage_call_of_a_payout_changes_nothing(void **state)
{
	world *w = *state;
	payout p, rows[16];
	int64_t ids[16], requested = 0;
	size_t n, nids = 0;
	int rc, sweeps = 0;
	app_err err;

	spent(w, "purchase", 10000, 2, 31); /* 7,000 for authors[1] */
	service(w, 1);
	for (int at = 1;; at++, sweeps++) {
		fail_call(w, at);
		rc = earnings_request_payout(&p, &w->svc, w->authors[1], 1000, &err);
		assert_int_equal(rc != 0, w->fs.failed);
		requested += rc == 0 ? 1000 : 0;
		assert_int_equal(books_add_up(w, 1).requested, requested);
		if (!w->fs.failed)
			break;
	}
	assert_true(sweeps >= 3); /* begin, the insert, the event, the commit */
	assert_int_equal(
	    earnings_repo_payouts(rows, &n, &w->raw, NULL, 0, PAYOUT_REQUESTED, 0, 16, &err), 0);
	for (size_t i = 0; i < n; i++)
		ids[nids++] = rows[i].id;
	for (int at = 1; nids > 0; at++) {
		int64_t id = ids[nids - 1];

		fail_call(w, at);
		rc = earnings_mark_paid(&p, &w->svc, 1, id, "KB 9", &err);
		assert_int_equal(rc != 0, w->fs.failed);
		assert_int_equal(earnings_repo_payout_find(&p, &w->raw, NULL, id, &err), 0);
		assert_int_equal(p.status == PAYOUT_PAID, rc == 0);
		books_add_up(w, 1);
		if (rc == 0) /* a request or the payment: the next payout sweeps again */
			nids--, at = 0;
		if (!w->fs.failed && nids == 0)
			break;
	}
	fail_call(w, 0);
	assert_int_equal(books_add_up(w, 1).paid_out, requested);
	assert_int_equal(summary(w, 1).earned, 7000);
}

static void test_a_failing_storage_call_settles_the_month_once_later(void **state)
{
	world *w = *state;
	int months, rc, at;
	app_err err;

	spent(w, "subscription", 9900, 0, 21);
	viewed(w, 100, 1);
	viewed(w, 101, 2);
	w->clock.now = FEB + 5;
	service(w, 1);
	for (at = 1;; at++) {
		fail_call(w, at);
		rc = earnings_settle_due(&months, &w->svc, &err);
		assert_int_equal(rc != 0, w->fs.failed);
		/* all of the month or none of it */
		assert_int_equal(books_add_up(w, 0).earned, rc ? 0 : 3465);
		assert_int_equal(books_add_up(w, 1).earned, rc ? 0 : 3465);
		if (rc == 0)
			break;
		assert_int_equal(months, 0);
	}
	assert_true(at >= 4);
	assert_int_equal(months, 1);
	fail_call(w, 0);
	assert_int_equal(earnings_settle_due(&months, &w->svc, &err), 0);
	assert_int_equal(months, 0);
	books_add_up(w, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_a_sale_earns_its_share_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_the_pool_is_shared_by_subscriber_reads_at_month_end_once, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_episode_reads_under_subscription_or_wait_free_share_the_pool, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_payouts_never_exceed_the_earnings, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_a_failing_storage_call_of_a_payout_changes_nothing,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		test_a_failing_storage_call_settles_the_month_once_later, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
