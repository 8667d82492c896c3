/* The aigen service against fakes: enqueue, claim, run, retries, fallbacks, leases, idempotency. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/aigen_world.h"
#include "support/test_images.h"

static void test_success_publishes_once_with_events_in_order(void **state)
{
	world *w = *state;
	int64_t ms = world_submit(w, "The Library");
	aigen_job j;
	app_err err;
	size_t i;

	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->pub.nbooks, 1);
	assert_int_equal(w->pub.books[0].price, 12300); /* rounded to 100 P */
	assert_string_equal(w->pub.books[0].gen_summary, "gpt-test");
	assert_string_equal(w->pub.books[0].gen_price, "gpt-test");
	assert_string_equal(w->pub.books[0].gen_cover, "img-test");
	assert_string_equal(w->pub.books[0].cover_mime, "image/png");
	assert_int_equal(fake_publishing_ms(&w->pub, ms)->state, PUBLISHING_MS_PUBLISHED);

	j = world_job_of(w, ms);
	assert_int_equal(j.status, AIGEN_JOB_SUCCEEDED);
	assert_int_equal(j.attempts, 1);
	assert_int_equal(j.lease_until, 0);
	assert_string_equal(j.last_error, "");
	assert_string_equal(j.generator, "summary=gpt-test, price=gpt-test, cover=img-test");

	/* ai.generation_completed, then book.published */
	for (i = 0; i < w->outbox.n; i++)
		if (!strcmp(w->outbox.events[i].type, "ai.generation_completed"))
			break;
	assert_true(i + 1 < w->outbox.n);
	assert_string_equal(w->outbox.events[i + 1].type, "book.published");
	assert_int_equal(domain_event_int(&w->outbox.events[i], "manuscriptId", 0), ms);
	assert_string_equal(domain_event_str(&w->outbox.events[i], "coverBy"), "img-test");
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.generation_completed"), 1);

	/* nothing else to do */
	assert_int_equal(aigen_claim(&j, &w->svc, &err), APP_ENOTFOUND);
}

static void test_transient_failure_then_success(void **state)
{
	world *w = *state;
	fake_text_answer fail = {.rc = APP_EUPSTREAM};
	int64_t ms, at = 0;
	aigen_job j;
	app_err err;

	fake_text_push(&w->text, fail);
	ms = world_submit(w, "Second Try");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	j = world_job_of(w, ms);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	assert_int_equal(j.attempts, 1);
	/* equal jitter: ceiling 1000, half + 0.5 * half */
	assert_int_equal(j.next_attempt_at, T0 + 750);
	assert_non_null(strstr(j.last_error, "text (gpt-test)"));
	assert_int_equal(w->pub.nbooks, 0);
	assert_int_equal(fake_publishing_ms(&w->pub, ms)->state, PUBLISHING_MS_GENERATING);

	/* not due yet */
	assert_int_equal(aigen_claim(&j, &w->svc, &err), APP_ENOTFOUND);
	assert_int_equal(aigen_next_due(&at, &w->svc, &err), 0);
	assert_int_equal(at, T0 + 750);
	w->clock.now = T0 + 750;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	j = world_job_of(w, ms);
	assert_int_equal(j.attempts, 2);
	assert_int_equal(j.status, AIGEN_JOB_SUCCEEDED);
	assert_non_null(strstr(j.last_error, "scripted failure")); /* kept for the admin */
	assert_int_equal(w->pub.nbooks, 1);
	assert_string_equal(w->pub.books[0].gen_summary, "gpt-test");
	assert_int_equal(aigen_next_due(&at, &w->svc, &err), APP_ENOTFOUND);
}

static void test_all_attempts_fail_offline_fills_in(void **state)
{
	world *w = *state;
	int64_t ms;
	aigen_job j;

	w->text.fallback = (fake_text_answer){.rc = APP_ETIMEOUT};
	w->image.fallback_rc = APP_EUPSTREAM;
	ms = world_submit(w, "Unlucky");
	for (int i = 1; i < 4; i++) {
		assert_int_equal(world_step(w, &j), AIGEN_RUN_RETRY);
		assert_int_equal(j.attempts, i);
		w->clock.now += w->cfg.backoff_max_ms;
	}
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->text.calls, 4);
	assert_int_equal(w->image.calls, 1); /* the image is not tried while the text can retry */
	assert_int_equal(w->pub.nbooks, 1);
	assert_string_equal(w->pub.books[0].gen_summary, "offline");
	assert_string_equal(w->pub.books[0].gen_price, "offline");
	assert_string_equal(w->pub.books[0].gen_cover, "offline");
	assert_string_equal(w->pub.books[0].cover_mime, "image/svg+xml");
	assert_non_null(strstr(w->pub.books[0].cover_head, "<svg"));
	assert_true(w->pub.books[0].price >= 1000 && w->pub.books[0].price <= 50000);
	j = world_job_of(w, ms);
	assert_int_equal(j.status, AIGEN_JOB_SUCCEEDED);
	assert_int_equal(j.attempts, 4);
	assert_string_equal(j.generator, "offline");
	assert_non_null(strstr(j.last_error, "text (gpt-test)"));
	assert_non_null(strstr(j.last_error, "image (img-test)"));
	assert_int_equal(fake_publishing_ms(&w->pub, ms)->state, PUBLISHING_MS_PUBLISHED);
}

static void test_fallback_is_per_part(void **state)
{
	world *w = *state;
	fake_text_answer bad = fake_text_ok(3000);
	aigen_job j;
	int64_t ms;

	bad.tagline = "   "; /* summary + tagline unusable, price and cover prompt fine */
	w->text.fallback = bad;
	w->cfg.max_attempts = 2;
	world_init(w);
	ms = world_submit(w, "Half Good");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	assert_non_null(strstr(world_job_of(w, ms).last_error, "tagline"));
	w->clock.now += w->cfg.backoff_max_ms;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_string_equal(w->pub.books[0].gen_summary, "offline");
	assert_string_equal(w->pub.books[0].gen_price, "gpt-test");
	assert_string_equal(w->pub.books[0].gen_cover, "img-test");
	assert_int_equal(w->pub.books[0].price, 3000);
	assert_string_equal(w->pub.books[0].price_reason, "A medium-length novel.");
	j = world_job_of(w, ms);
	assert_string_equal(j.generator, "summary=offline, price=gpt-test, cover=img-test");
}

static void test_image_failure_falls_back_to_svg(void **state)
{
	world *w = *state;

	w->image.fallback_rc = APP_EUPSTREAM;
	w->cfg.max_attempts = 1;
	world_init(w);
	world_submit(w, "No Picture");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_string_equal(w->pub.books[0].gen_summary, "gpt-test");
	assert_string_equal(w->pub.books[0].gen_cover, "offline");
	assert_string_equal(w->pub.books[0].cover_mime, "image/svg+xml");
}

static void test_fallback_none_fails_then_retry_publishes(void **state)
{
	world *w = *state;
	fake_pub_manuscript *m;
	aigen_job j;
	int64_t ms;
	int queued = -1;
	app_err err;

	w->cfg.fallback = AIGEN_FALLBACK_NONE;
	w->cfg.max_attempts = 2;
	world_init(w);
	w->text.fallback = (fake_text_answer){.rc = APP_EUPSTREAM};
	ms = world_submit(w, "Strict");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	w->clock.now += w->cfg.backoff_max_ms;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_FAILED);
	assert_int_equal(w->pub.nbooks, 0);
	m = fake_publishing_ms(&w->pub, ms);
	assert_int_equal(m->state, PUBLISHING_MS_FAILED);
	assert_non_null(strstr(m->error, "text (gpt-test)"));
	j = world_job_of(w, ms);
	assert_int_equal(j.status, AIGEN_JOB_FAILED);
	assert_int_equal(j.attempts, 2);
	assert_string_equal(j.last_error, m->error);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.generation_failed"), 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.generation_completed"), 0);

	/* a redelivered old manuscript.submitted does not undo the failure */
	assert_int_equal(aigen_enqueue(&j, &queued, &w->svc, ms, &err), 0);
	assert_int_equal(queued, 0);
	assert_int_equal(j.status, AIGEN_JOB_FAILED);

	/* the owner retries (the manuscripts core puts it back in submitted) and the model answers
	 */
	m->state = PUBLISHING_MS_SUBMITTED;
	w->text.fallback = fake_text_ok(5000);
	assert_int_equal(aigen_enqueue(&j, &queued, &w->svc, ms, &err), 0);
	assert_int_equal(queued, 1);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	assert_int_equal(j.attempts, 0);
	assert_int_equal(world_step(w, &j), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(j.attempts, 1);
	assert_int_equal(w->pub.nbooks, 1);
	assert_int_equal(m->state, PUBLISHING_MS_PUBLISHED);
	assert_int_equal(world_job_of(w, ms).status, AIGEN_JOB_SUCCEEDED);
}

static void test_non_transient_error_is_final(void **state)
{
	world *w = *state;

	w->cfg.fallback = AIGEN_FALLBACK_NONE;
	world_init(w);
	w->text.fallback = (fake_text_answer){.rc = APP_EINVALID};
	world_submit(w, "Refused");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_FAILED);
	assert_int_equal(w->text.calls, 1);
}

static void test_price_out_of_bounds_is_clamped(void **state)
{
	world *w = *state;
	static const struct {
		int64_t proposed, expected;
	} cases[] = {{10000000, 50000}, {-5, 1000}, {1249, 1200}, {1250, 1300}, {999, 1000}};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char title[32];

		w->text.fallback = fake_text_ok(cases[i].proposed);
		snprintf(title, sizeof(title), "Price %zu", i);
		world_submit(w, title);
		assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
		assert_int_equal(w->pub.books[i].price, cases[i].expected);
		assert_string_equal(w->pub.books[i].gen_price, "gpt-test");
	}
}

static void test_expired_lease_is_taken_over(void **state)
{
	world *w = *state;
	aigen_run_outcome outcome = 0;
	aigen_job first, second;
	int64_t ms = world_submit(w, "Crashed Worker");
	app_err err;

	assert_int_equal(aigen_claim(&first, &w->svc, &err), 0);
	assert_int_equal(first.lease_until, T0 + w->cfg.lease_ms);
	/* held: nobody else takes it */
	w->clock.now = T0 + w->cfg.lease_ms;
	assert_int_equal(aigen_claim(&second, &w->svc, &err), APP_ENOTFOUND);
	/* the worker died: after its lease the job is taken up again */
	w->clock.now = T0 + w->cfg.lease_ms + 1;
	assert_int_equal(aigen_claim(&second, &w->svc, &err), 0);
	assert_int_equal(second.id, first.id);
	assert_int_equal(second.attempts, 2);

	/* the old worker wakes up: fenced out, nothing published */
	assert_int_equal(aigen_run(&outcome, &w->svc, &first, NULL, NULL, &err), 0);
	assert_int_equal(outcome, AIGEN_RUN_LOST);
	assert_int_equal(w->pub.nbooks, 0);
	assert_int_equal(aigen_run(&outcome, &w->svc, &second, NULL, NULL, &err), 0);
	assert_int_equal(outcome, AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->pub.nbooks, 1);
	assert_int_equal(world_job_of(w, ms).status, AIGEN_JOB_SUCCEEDED);
}

static void test_recover_requeues_running_jobs(void **state)
{
	world *w = *state;
	aigen_job j;
	size_t n = 0;
	int64_t ms = world_submit(w, "Restarted");
	app_err err;

	assert_int_equal(aigen_claim(&j, &w->svc, &err), 0);
	/* the process died; a new one starts */
	assert_int_equal(aigen_recover(&n, &w->svc, &err), 0);
	assert_int_equal(n, 1);
	j = world_job_of(w, ms);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	assert_int_equal(j.lease_until, 0);
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->pub.nbooks, 1);
}

static void test_running_the_same_job_twice_publishes_once(void **state)
{
	world *w = *state;
	aigen_run_outcome outcome = 0;
	aigen_job j, again;
	int64_t ms = world_submit(w, "Twice");
	int queued = -1;
	app_err err;

	assert_int_equal(world_step(w, &j), AIGEN_RUN_SUCCEEDED);
	/* the same claim run again (a duplicate delivery to a worker) */
	assert_int_equal(aigen_run(&outcome, &w->svc, &j, NULL, NULL, &err), 0);
	assert_int_equal(outcome, AIGEN_RUN_LOST);
	/* manuscript.submitted redelivered: the job is done, nothing is queued */
	assert_int_equal(aigen_enqueue(&again, &queued, &w->svc, ms, &err), 0);
	assert_int_equal(queued, 0);
	assert_int_equal(again.id, j.id);
	assert_int_equal(aigen_claim(&again, &w->svc, &err), APP_ENOTFOUND);
	assert_int_equal(w->pub.nbooks, 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "book.published"), 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.generation_completed"), 1);
}

static void test_already_published_manuscript_is_not_published_again(void **state)
{
	world *w = *state;
	int64_t ms = world_submit(w, "Done Before");

	/* e.g. a crash after the book but before anything else: the manuscript has its book */
	fake_publishing_ms(&w->pub, ms)->state = PUBLISHING_MS_PUBLISHED;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->text.calls, 0);
	assert_int_equal(w->pub.publishes, 0);
	assert_int_equal(world_job_of(w, ms).status, AIGEN_JOB_SUCCEEDED);
}

static int stop_now(void *ctx)
{
	(void)ctx;
	return 1;
}

static void test_stopping_parks_the_job(void **state)
{
	world *w = *state;
	aigen_run_outcome outcome = 0;
	int64_t ms = world_submit(w, "Parked");
	aigen_job j;
	app_err err;

	assert_int_equal(aigen_claim(&j, &w->svc, &err), 0);
	assert_int_equal(aigen_run(&outcome, &w->svc, &j, stop_now, NULL, &err), 0);
	assert_int_equal(outcome, AIGEN_RUN_PARKED);
	j = world_job_of(w, ms);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	assert_int_equal(j.attempts, 0);
	assert_int_equal(w->pub.nbooks, 0);
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
}

static void test_missing_manuscript_fails_the_job(void **state)
{
	world *w = *state;
	aigen_job j;
	int queued = 0;
	app_err err;

	assert_int_equal(aigen_enqueue(&j, &queued, &w->svc, 42, &err), 0);
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_FAILED);
	assert_int_equal(world_job_of(w, 42).status, AIGEN_JOB_FAILED);
	assert_int_equal(aigen_enqueue(&j, &queued, &w->svc, 0, &err), APP_EINVALID);
}

static void test_storage_failure_leaves_the_job_to_its_lease(void **state)
{
	world *w = *state;
	aigen_run_outcome outcome = 0;
	int64_t ms = world_submit(w, "Disk Full");
	aigen_job j;
	app_err err;

	assert_int_equal(aigen_claim(&j, &w->svc, &err), 0);
	w->pub.fail_publish = APP_EIO;
	assert_int_equal(aigen_run(&outcome, &w->svc, &j, NULL, NULL, &err), APP_EIO);
	/* the unit is rolled back (with SQLite the job is running again; this fake cannot undo) */
	assert_int_equal(w->uow.depth, 0);
	assert_true(w->uow.rollbacks > 0);
	assert_int_equal(w->pub.nbooks, 0);
	assert_int_equal(world_job_of(w, ms).manuscript_id, ms);
}

/*
 * The success unit's COMMIT fails (busy, I/O): nothing is published outside
 * that unit (before, the book was published again on its own and the job
 * recorded in a second unit), the job stays to its lease.
 */
static void test_commit_failure_publishes_nothing_outside_the_unit(void **state)
{
	world *w = *state;
	aigen_run_outcome outcome = 0;
	int64_t ms = world_submit(w, "Busy Disk");
	aigen_job j;
	app_err err;

	assert_int_equal(aigen_claim(&j, &w->svc, &err), 0);
	w->uow.pass_commits = 1; /* the manuscript becomes generating */
	w->uow.fail_commit = 1;	 /* then the success unit's COMMIT fails */
	assert_int_not_equal(aigen_run(&outcome, &w->svc, &j, NULL, NULL, &err), 0);
	assert_int_equal(w->uow.depth, 0);
	assert_int_equal(w->pub.publishes, 1); /* once, inside the unit that failed */
	assert_int_equal(w->pub.nbooks, 0);
	assert_int_equal(fake_outbox_count(&w->outbox, "book.published"), 0);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.generation_completed"), 0);
	assert_int_equal(world_job_of(w, ms).status, AIGEN_JOB_RUNNING);
}

static void test_list_and_counts(void **state)
{
	world *w = *state;
	int64_t counts[AIGEN_JOB_STATUS_COUNT], next = -1;
	aigen_job items[2];
	size_t n = 0;
	app_err err;

	world_submit(w, "One");
	world_submit(w, "Two");
	world_submit(w, "Three");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(aigen_counts(counts, &w->svc, &err), 0);
	assert_int_equal(counts[AIGEN_JOB_QUEUED], 2);
	assert_int_equal(counts[AIGEN_JOB_SUCCEEDED], 1);
	assert_int_equal(aigen_list(items, &n, &next, &w->svc, -1, 0, 2, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].id, 3);
	assert_int_equal(next, 2);
	assert_int_equal(aigen_list(items, &n, &next, &w->svc, -1, next, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(next, 0);
	assert_int_equal(aigen_list(items, &n, &next, &w->svc, AIGEN_JOB_SUCCEEDED, 0, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, 1);
}

static void test_generator_describe(void **state)
{
	char out[AIGEN_JOB_GENERATOR_MAX], small[8];

	(void)state;
	aigen_generator_describe(out, sizeof(out), "offline", "offline", "offline");
	assert_string_equal(out, "offline");
	aigen_generator_describe(out, sizeof(out), "gpt", "gpt", "offline");
	assert_string_equal(out, "summary=gpt, price=gpt, cover=offline");
	aigen_generator_describe(small, sizeof(small), "모델모델", "모델모델", "모델모델");
	assert_string_equal(small, "모델"); /* cut at a character boundary */
}

/* A serial's first episode: the price is the work's episodePrice, in its bounds by 10 P. */
static void test_serial_first_episode_suggests_an_episode_price(void **state)
{
	world *w = *state;
	int64_t id;

	fake_text_push(&w->text, fake_text_ok(254));
	id = world_submit(w, "연재");
	fake_publishing_ms(&w->pub, id)->serial = 1;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->pub.nbooks, 1);
	assert_true(w->pub.books[0].serial);
	assert_int_equal(w->pub.books[0].price, 250); /* not the 100-step rounding of a book */
	fake_text_push(&w->text, fake_text_ok(9000));
	id = world_submit(w, "연재 둘");
	fake_publishing_ms(&w->pub, id)->serial = 1;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->pub.books[1].price, 500);
}

/* A later episode: its own summary, no cover, the work's price; scheduled when asked. */
static void test_later_episode_gets_a_summary_and_no_cover(void **state)
{
	world *w = *state;
	int64_t id = world_submit(w, "3화");
	fake_pub_manuscript *m = fake_publishing_ms(&w->pub, id);
	aigen_job j;
	app_err err;

	m->work_id = 101;
	m->book_id = 101;
	m->episode_number = 3;
	m->publish_at = T0 + 3600000;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->image.calls, 0);
	assert_int_equal(w->pub.nbooks, 0);
	assert_int_equal(w->pub.nepisodes, 1);
	assert_int_equal(w->pub.episodes[0].book_id, 101);
	assert_int_equal(w->pub.episodes[0].number, 3);
	assert_int_equal(w->pub.episodes[0].publish_at, T0 + 3600000);
	assert_true(strlen(w->pub.episodes[0].summary) > 0);
	assert_string_equal(w->pub.episodes[0].gen_summary, "gpt-test");
	assert_int_equal(m->state, PUBLISHING_MS_PUBLISHED);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.generation_completed"), 1);
	/* asked again (a redelivery): the episode is there once */
	assert_int_equal(aigen_enqueue(&j, NULL, &w->svc, id, &err), 0);
	assert_int_equal(w->pub.nepisodes, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_success_publishes_once_with_events_in_order,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_transient_failure_then_success, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_all_attempts_fail_offline_fills_in, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_fallback_is_per_part, world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_image_failure_falls_back_to_svg, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_fallback_none_fails_then_retry_publishes,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_non_transient_error_is_final, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_price_out_of_bounds_is_clamped, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_expired_lease_is_taken_over, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_recover_requeues_running_jobs, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_running_the_same_job_twice_publishes_once,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(
		test_already_published_manuscript_is_not_published_again, world_setup,
		world_teardown),
	    cmocka_unit_test_setup_teardown(test_stopping_parks_the_job, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_missing_manuscript_fails_the_job, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_storage_failure_leaves_the_job_to_its_lease,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_commit_failure_publishes_nothing_outside_the_unit,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_list_and_counts, world_setup, world_teardown),
	    cmocka_unit_test(test_generator_describe),
	    cmocka_unit_test_setup_teardown(test_serial_first_episode_suggests_an_episode_price,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_later_episode_gets_a_summary_and_no_cover,
					    world_setup, world_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
