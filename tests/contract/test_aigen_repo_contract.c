/*
 * Contract of aigen_job_repo (generation jobs): the same suite runs against
 * the fake (tests/fakes/fake_aigen.c), the SQLite adapter and the PostgreSQL
 * adapter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "adapters/postgres/pg_repos.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "fakes/fake_aigen.h"
#include "support/test_env.h"
#include "support/test_pg.h"

typedef struct harness {
	aigen_job_repo repo;
	fake_aigen_jobs *fake;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	uow uow;
	fake_uow fake_uow;
	uow_tx *tx; /* each test runs in one unit, committed at teardown */
} harness;

static int setup_fake(void **state)
{
	harness *h = calloc(1, sizeof(*h));

	h->uow = fake_uow_port(&h->fake_uow);
	assert_int_equal(uow_begin(&h->tx, &h->uow, NULL), 0);
	assert_non_null(h);
	h->fake = calloc(1, sizeof(*h->fake));
	assert_non_null(h->fake);
	h->repo = fake_aigen_job_repo(h->fake);
	*state = h;
	return 0;
}

static int setup_sqlite(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	char dir[512], path[600];
	app_err err;

	assert_non_null(h);
	test_tmpdir(dir, sizeof(dir), "aigen-contract");
	snprintf(path, sizeof(path), "%s/wl.db", dir);
	assert_int_equal(sqlite_db_open(&h->db, path, &err), 0);
	h->uow = sqlite_db_uow(h->db);
	assert_int_equal(uow_begin(&h->tx, &h->uow, NULL), 0);
	h->repo = sqlite_aigen_job_repo(h->db);
	*state = h;
	return 0;
}

static int setup_pg(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	app_err err;

	assert_non_null(h);
	test_pg_suite_db(&h->pgdb, "aigen_contract");
	assert_int_equal(pg_db_open(&h->pg, h->pgdb.conninfo, &err), 0);
	h->uow = pg_db_uow(h->pg);
	assert_int_equal(uow_begin(&h->tx, &h->uow, NULL), 0);
	h->repo = pg_aigen_job_repo(h->pg);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	harness *h = *state;

	if (h->tx)
		assert_int_equal(uow_commit(h->tx, NULL), 0);
	free(h->fake);
	sqlite_db_close(h->db);
	pg_db_close(h->pg);
	free(h);
	return 0;
}

/* Stores a queued job for manuscript_id due at `due`; returns its id. */
static int64_t put(harness *h, int64_t manuscript_id, int64_t due)
{
	aigen_job j;
	app_err err;

	memset(&j, 0, sizeof(j));
	j.manuscript_id = manuscript_id;
	j.status = AIGEN_JOB_QUEUED;
	j.next_attempt_at = due;
	j.created_at = j.updated_at = 100;
	assert_int_equal(aigen_job_repo_insert(&h->repo, h->tx, &j, &err), 0);
	assert_true(j.id > 0);
	return j.id;
}

static void test_insert_find_and_one_job_per_manuscript(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 7, 1000);
	aigen_job j, dup;
	app_err err;

	assert_int_equal(aigen_job_repo_find(&j, &h->repo, h->tx, id, &err), 0);
	assert_int_equal(j.manuscript_id, 7);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	assert_int_equal(j.attempts, 0);
	assert_int_equal(j.next_attempt_at, 1000);
	assert_int_equal(j.lease_until, 0);
	assert_string_equal(j.last_error, "");
	assert_string_equal(j.generator, "");
	assert_int_equal(j.created_at, 100);
	assert_int_equal(aigen_job_repo_find_by_manuscript(&j, &h->repo, h->tx, 7, &err), 0);
	assert_int_equal(j.id, id);
	assert_int_equal(aigen_job_repo_find_by_manuscript(&j, &h->repo, h->tx, 8, &err),
			 APP_ENOTFOUND);
	assert_int_equal(aigen_job_repo_find(&j, &h->repo, h->tx, id + 100, &err), APP_ENOTFOUND);

	memset(&dup, 0, sizeof(dup));
	dup.manuscript_id = 7;
	dup.status = AIGEN_JOB_QUEUED;
	assert_int_equal(aigen_job_repo_insert(&h->repo, h->tx, &dup, &err), APP_EEXISTS);
}

/* Stores a regeneration of book_id for its manuscript 7; returns the job. */
static aigen_job put_regen(harness *h, int64_t book_id, int64_t variant)
{
	aigen_job j;
	app_err err;

	memset(&j, 0, sizeof(j));
	j.kind = AIGEN_JOB_REGENERATE;
	j.manuscript_id = 7;
	j.book_id = book_id;
	j.parts = AIGEN_REGEN_TAGLINE | AIGEN_REGEN_COVER;
	j.variant = variant;
	j.requested_by = 42;
	j.status = AIGEN_JOB_QUEUED;
	j.next_attempt_at = 500;
	j.created_at = j.updated_at = 100;
	assert_int_equal(aigen_job_repo_insert(&h->repo, h->tx, &j, &err), 0);
	return j;
}

static void test_regenerations_beside_the_publishing_job(void **state)
{
	harness *h = *state;
	int64_t publish = put(h, 7, 1000), count = -1;
	aigen_job first = put_regen(h, 70, 1), j, pending;
	int has = -1;
	app_err err;

	/* a manuscript's publishing job stays its one, whatever regenerations it has */
	assert_int_equal(aigen_job_repo_find_by_manuscript(&j, &h->repo, h->tx, 7, &err), 0);
	assert_int_equal(j.id, publish);
	assert_int_equal(j.kind, AIGEN_JOB_PUBLISH);
	assert_int_equal(aigen_job_repo_find(&j, &h->repo, h->tx, first.id, &err), 0);
	assert_int_equal(j.kind, AIGEN_JOB_REGENERATE);
	assert_int_equal(j.book_id, 70);
	assert_int_equal(j.parts, AIGEN_REGEN_TAGLINE | AIGEN_REGEN_COVER);
	assert_int_equal(j.variant, 1);
	assert_int_equal(j.requested_by, 42);
	assert_int_equal(
	    aigen_job_repo_regenerations(&count, &pending, &has, &h->repo, h->tx, 70, &err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(has, 1);
	assert_int_equal(pending.id, first.id);
	/* the claim takes it like any job: the regeneration is due first */
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 600, 9000, &err), 0);
	assert_int_equal(j.id, first.id);
	assert_int_equal(j.kind, AIGEN_JOB_REGENERATE);
	assert_int_equal(
	    aigen_job_repo_regenerations(&count, &pending, &has, &h->repo, h->tx, 70, &err), 0);
	assert_int_equal(has, 1); /* running is pending too */
	j.status = AIGEN_JOB_SUCCEEDED;
	j.lease_until = 0;
	assert_int_equal(aigen_job_repo_update(&h->repo, h->tx, &j, AIGEN_JOB_RUNNING, 9000, &err),
			 0);
	assert_int_equal(
	    aigen_job_repo_regenerations(&count, &pending, &has, &h->repo, h->tx, 70, &err), 0);
	assert_int_equal(count, 1);
	assert_int_equal(has, 0);
	put_regen(h, 70, 2);
	put_regen(h, 71, 1);
	assert_int_equal(
	    aigen_job_repo_regenerations(&count, &pending, &has, &h->repo, h->tx, 70, &err), 0);
	assert_int_equal(count, 2);
	assert_int_equal(has, 1);
	assert_int_equal(pending.variant, 2);
	assert_int_equal(
	    aigen_job_repo_regenerations(&count, &pending, &has, &h->repo, h->tx, 72, &err), 0);
	assert_int_equal(count, 0);
	assert_int_equal(has, 0);
}

static void test_claim_takes_the_due_job_first(void **state)
{
	harness *h = *state;
	int64_t late = put(h, 1, 3000), early = put(h, 2, 2000), tie = put(h, 3, 2000);
	aigen_job j;
	app_err err;

	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 1999, 9999, &err),
			 APP_ENOTFOUND);
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 2500, 9000, &err), 0);
	assert_int_equal(j.id, early);
	assert_int_equal(j.status, AIGEN_JOB_RUNNING);
	assert_int_equal(j.attempts, 1);
	assert_int_equal(j.lease_until, 9000);
	assert_int_equal(j.updated_at, 2500);
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 2500, 9000, &err), 0);
	assert_int_equal(j.id, tie);
	/* the running ones are held until their lease ends */
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 2600, 9000, &err),
			 APP_ENOTFOUND);
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 3000, 9100, &err), 0);
	assert_int_equal(j.id, late);
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 9000, 20000, &err),
			 APP_ENOTFOUND);
	/* a lease that ended: taken over, one more attempt */
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 9001, 20000, &err), 0);
	assert_int_equal(j.id, early);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(j.lease_until, 20000);
	assert_int_equal(aigen_job_repo_find(&j, &h->repo, h->tx, early, &err), 0);
	assert_int_equal(j.status, AIGEN_JOB_RUNNING);
	assert_int_equal(j.attempts, 2);
}

static void test_update_is_fenced_by_status_and_lease(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 1, 0);
	aigen_job j, got;
	app_err err;

	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 10, 500, &err), 0);
	j.status = AIGEN_JOB_QUEUED;
	j.next_attempt_at = 700;
	j.lease_until = 0;
	j.updated_at = 20;
	snprintf(j.last_error, sizeof(j.last_error), "text (gpt): 서버 오류 500");
	snprintf(j.generator, sizeof(j.generator), "gpt-4o-mini");
	/* a stale lease or status does not write */
	assert_int_equal(aigen_job_repo_update(&h->repo, h->tx, &j, AIGEN_JOB_RUNNING, 499, &err),
			 APP_ECONFLICT);
	assert_int_equal(aigen_job_repo_update(&h->repo, h->tx, &j, AIGEN_JOB_QUEUED, 500, &err),
			 APP_ECONFLICT);
	assert_int_equal(aigen_job_repo_update(&h->repo, h->tx, &j, AIGEN_JOB_RUNNING, 500, &err),
			 0);
	assert_int_equal(aigen_job_repo_find(&got, &h->repo, h->tx, id, &err), 0);
	assert_int_equal(got.status, AIGEN_JOB_QUEUED);
	assert_int_equal(got.attempts, 1);
	assert_int_equal(got.next_attempt_at, 700);
	assert_int_equal(got.lease_until, 0);
	assert_int_equal(got.updated_at, 20);
	assert_string_equal(got.last_error, "text (gpt): 서버 오류 500");
	assert_string_equal(got.generator, "gpt-4o-mini");
	/* the same write again: the guard no longer holds */
	assert_int_equal(aigen_job_repo_update(&h->repo, h->tx, &j, AIGEN_JOB_RUNNING, 500, &err),
			 APP_ECONFLICT);
	j.id = id + 50;
	assert_int_equal(aigen_job_repo_update(&h->repo, h->tx, &j, AIGEN_JOB_QUEUED, 0, &err),
			 APP_ENOTFOUND);
}

static void test_release_running_and_next_due(void **state)
{
	harness *h = *state;
	int64_t at = 0;
	size_t n = 99;
	aigen_job j;
	app_err err;

	assert_int_equal(aigen_job_repo_next_due(&at, &h->repo, h->tx, &err), APP_ENOTFOUND);
	assert_int_equal(aigen_job_repo_release_running(&n, &h->repo, h->tx, 50, &err), 0);
	assert_int_equal(n, 0);
	put(h, 1, 100);
	put(h, 2, 400);
	put(h, 3, 300);
	assert_int_equal(aigen_job_repo_next_due(&at, &h->repo, h->tx, &err), 0);
	assert_int_equal(at, 100);
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 1000, 5000, &err), 0);
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 1000, 5000, &err), 0);
	assert_int_equal(aigen_job_repo_next_due(&at, &h->repo, h->tx, &err), 0);
	assert_int_equal(at, 400);
	assert_int_equal(aigen_job_repo_release_running(&n, &h->repo, h->tx, 1200, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(aigen_job_repo_next_due(&at, &h->repo, h->tx, &err), 0);
	assert_int_equal(at, 400);
	assert_int_equal(aigen_job_repo_find_by_manuscript(&j, &h->repo, h->tx, 1, &err), 0);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	assert_int_equal(j.lease_until, 0);
	assert_int_equal(j.next_attempt_at, 1200);
	assert_int_equal(j.attempts, 1); /* the interrupted attempt stays counted */
}

static void test_list_pages_and_counts(void **state)
{
	harness *h = *state;
	int64_t ids[5], counts[AIGEN_JOB_STATUS_COUNT];
	aigen_job out[5], j;
	size_t n;
	app_err err;

	for (int i = 0; i < 5; i++)
		ids[i] = put(h, 10 + i, 0);
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 5, 100, &err), 0);
	assert_int_equal(j.id, ids[0]);
	j.status = AIGEN_JOB_FAILED;
	j.lease_until = 0;
	assert_int_equal(aigen_job_repo_update(&h->repo, h->tx, &j, AIGEN_JOB_RUNNING, 100, &err),
			 0);
	assert_int_equal(aigen_job_repo_claim(&j, &h->repo, h->tx, 5, 100, &err), 0);

	assert_int_equal(aigen_job_repo_list(out, &n, &h->repo, h->tx, -1, 0, 3, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].id, ids[4]);
	assert_int_equal(out[2].id, ids[2]);
	assert_int_equal(aigen_job_repo_list(out, &n, &h->repo, h->tx, -1, ids[2], 3, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, ids[1]);
	assert_int_equal(out[0].status, AIGEN_JOB_RUNNING);
	assert_int_equal(out[1].status, AIGEN_JOB_FAILED);
	assert_int_equal(
	    aigen_job_repo_list(out, &n, &h->repo, h->tx, AIGEN_JOB_QUEUED, 0, 5, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(
	    aigen_job_repo_list(out, &n, &h->repo, h->tx, AIGEN_JOB_SUCCEEDED, 0, 5, &err), 0);
	assert_int_equal(n, 0);

	assert_int_equal(aigen_job_repo_counts(counts, &h->repo, h->tx, &err), 0);
	assert_int_equal(counts[AIGEN_JOB_QUEUED], 3);
	assert_int_equal(counts[AIGEN_JOB_RUNNING], 1);
	assert_int_equal(counts[AIGEN_JOB_SUCCEEDED], 0);
	assert_int_equal(counts[AIGEN_JOB_FAILED], 1);
}

/* A validated text with every field set, Korean included. */
static aigen_result a_text(const char *summary)
{
	aigen_result t = {
	    .summary = strdup(summary),
	    .tagline = strdup("모든 책은 문이다"),
	    .price = 4500,
	    .price_reason = strdup("약 1시간 분량의 단편"),
	    .cover_prompt = strdup("a lantern in the stacks, \"quoted\""),
	    .genre = "fantasy",
	    .price_basis = {.code = "length", .minutes = 62, .length_class = "short"},
	    .motifs = {"moon", "book"},
	    .nmotifs = 2,
	    .generated_by_summary = "gpt-test",
	    .generated_by_price = "offline",
	    .generated_by_cover_prompt = "gpt-test",
	};

	assert_non_null(t.summary);
	return t;
}

static void test_kept_text(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 21, 0), other = put(h, 22, 0);
	aigen_result t = a_text("밤의 도서관을 걷는 배달부의 이야기."), got = {0};
	app_err err;

	assert_int_equal(aigen_job_repo_kept_text(&got, &h->repo, h->tx, id, &err), APP_ENOTFOUND);
	assert_int_equal(aigen_job_repo_keep_text(&h->repo, h->tx, id, &t, &err), 0);
	assert_int_equal(aigen_job_repo_kept_text(&got, &h->repo, h->tx, id, &err), 0);
	assert_string_equal(got.summary, t.summary);
	assert_string_equal(got.tagline, t.tagline);
	assert_int_equal(got.price, 4500);
	assert_string_equal(got.price_reason, t.price_reason);
	assert_string_equal(got.cover_prompt, t.cover_prompt);
	assert_string_equal(got.genre, "fantasy");
	assert_string_equal(got.price_basis.code, "length");
	assert_int_equal(got.price_basis.minutes, 62);
	assert_string_equal(got.price_basis.length_class, "short");
	assert_int_equal(got.nmotifs, 2);
	assert_string_equal(got.motifs[1], "book");
	assert_string_equal(got.generated_by_summary, "gpt-test");
	assert_string_equal(got.generated_by_price, "offline");
	assert_string_equal(got.generated_by_cover_prompt, "gpt-test");
	aigen_result_dispose(&got);
	/* one per job: another job has none, a second keep replaces */
	assert_int_equal(aigen_job_repo_kept_text(&got, &h->repo, h->tx, other, &err),
			 APP_ENOTFOUND);
	aigen_result_dispose(&t);
	t = a_text("A second, different summary of the book.");
	assert_int_equal(aigen_job_repo_keep_text(&h->repo, h->tx, id, &t, &err), 0);
	assert_int_equal(aigen_job_repo_kept_text(&got, &h->repo, h->tx, id, &err), 0);
	assert_string_equal(got.summary, "A second, different summary of the book.");
	aigen_result_dispose(&got);
	/* dropped: gone; dropping again or for a job with none is fine */
	assert_int_equal(aigen_job_repo_drop_text(&h->repo, h->tx, id, &err), 0);
	assert_int_equal(aigen_job_repo_kept_text(&got, &h->repo, h->tx, id, &err), APP_ENOTFOUND);
	assert_int_equal(aigen_job_repo_drop_text(&h->repo, h->tx, id, &err), 0);
	assert_int_equal(aigen_job_repo_drop_text(&h->repo, h->tx, other, &err), 0);
	/* no such job */
	assert_int_equal(aigen_job_repo_keep_text(&h->repo, h->tx, id + 1000, &t, &err),
			 APP_ENOTFOUND);
	aigen_result_dispose(&t);
}

/* A kept text is a write like any other: a rolled-back unit keeps nothing. */
static void test_kept_text_follows_the_unit(void **state)
{
	harness *h = *state;
	int64_t id = put(h, 31, 0);
	aigen_result t = a_text("Kept only if the unit commits, never otherwise."), got = {0};
	uow_tx *tx;
	app_err err;

	assert_int_equal(uow_commit(h->tx, &err), 0);
	h->tx = NULL;
	assert_int_equal(uow_begin(&tx, &h->uow, &err), 0);
	assert_int_equal(aigen_job_repo_keep_text(&h->repo, tx, id, &t, &err), 0);
	uow_rollback(tx);
	assert_int_equal(aigen_job_repo_kept_text(&got, &h->repo, NULL, id, &err), APP_ENOTFOUND);
	assert_int_equal(uow_begin(&tx, &h->uow, &err), 0);
	assert_int_equal(aigen_job_repo_keep_text(&h->repo, tx, id, &t, &err), 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	assert_int_equal(aigen_job_repo_kept_text(&got, &h->repo, NULL, id, &err), 0);
	assert_string_equal(got.summary, t.summary);
	aigen_result_dispose(&got);
	aigen_result_dispose(&t);
}

#define EACH(t)                                                                                    \
	cmocka_unit_test_prestate_setup_teardown(t, setup_fake, teardown, NULL),                   \
	    cmocka_unit_test_prestate_setup_teardown(t, setup_sqlite, teardown, NULL),             \
	    cmocka_unit_test_prestate_setup_teardown(t, setup_pg, teardown, NULL)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    EACH(test_insert_find_and_one_job_per_manuscript),
	    EACH(test_regenerations_beside_the_publishing_job),
	    EACH(test_claim_takes_the_due_job_first),
	    EACH(test_update_is_fenced_by_status_and_lease),
	    EACH(test_release_running_and_next_due),
	    EACH(test_list_pages_and_counts),
	    EACH(test_kept_text),
	    EACH(test_kept_text_follows_the_unit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
