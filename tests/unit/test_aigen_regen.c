/*
 * Regenerations against fakes: a job of kind regenerate on the same queue,
 * the asked parts applied through the publishing port, the variant sent to
 * the generator, one pending per work, the author's cover, refusals that
 * queue nothing, and a failure that leaves the work and its manuscript alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/aigen_world.h"

#define AUTHOR 1 /* fake_publishing_add's author */

/* A published work of a new manuscript; returns its book id. */
static int64_t published(world *w, const char *title)
{
	int64_t ms = world_submit(w, title);

	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(fake_publishing_ms(&w->pub, ms)->state, PUBLISHING_MS_PUBLISHED);
	return fake_publishing_ms(&w->pub, ms)->book_id;
}

static void test_regeneration_applies_the_asked_parts(void **state)
{
	world *w = *state;
	int64_t id = published(w, "The Drawer");
	fake_pub_book *b = &w->pub.books[0];
	fake_text_answer again = fake_text_ok(4200);
	int64_t ms = b->manuscript_id;
	char summary[sizeof(b->summary)];
	aigen_job j, claimed;
	app_err err;

	snprintf(summary, sizeof(summary), "%s", b->summary);
	again.tagline = "A second hook.";
	fake_text_push(&w->text, again);
	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id,
					  AIGEN_REGEN_TAGLINE | AIGEN_REGEN_PRICE, 0, &err),
			 0);
	assert_int_equal(j.kind, AIGEN_JOB_REGENERATE);
	assert_int_equal(j.book_id, id);
	assert_int_equal(j.manuscript_id, ms);
	assert_int_equal(j.variant, 1);
	assert_int_equal(j.requested_by, AUTHOR);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.regeneration_queued"), 1);

	assert_int_equal(world_step(w, &claimed), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(claimed.id, j.id);
	assert_int_equal(w->text.last_variant, 1);
	assert_int_equal(w->image.calls, 1); /* no cover asked: none drawn again */
	assert_int_equal(w->pub.regenerations, 1);
	assert_int_equal(w->pub.regen_parts, AIGEN_REGEN_TAGLINE | AIGEN_REGEN_PRICE);
	assert_string_equal(b->tagline, "A second hook.");
	assert_int_equal(b->price, 4200);
	assert_string_equal(b->summary, summary); /* not asked for */
	assert_int_equal(w->pub.nbooks, 1);	  /* no second book */
	assert_int_equal(fake_publishing_ms(&w->pub, ms)->state, PUBLISHING_MS_PUBLISHED);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.regeneration_completed"), 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.generation_completed"), 1);
	assert_int_equal(aigen_get(&j, &w->svc, j.id, &err), 0);
	assert_int_equal(j.status, AIGEN_JOB_SUCCEEDED);

	/* the publishing job is still the manuscript's one */
	assert_int_equal(world_job_of(w, ms).kind, AIGEN_JOB_PUBLISH);
}

static void test_one_pending_per_work_and_the_next_variant(void **state)
{
	world *w = *state;
	int64_t id = published(w, "One at a Time");
	size_t jobs;
	aigen_job j;
	app_err err;

	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id, AIGEN_REGEN_TAGLINE, 0, &err),
			 0);
	jobs = w->jobs.n;
	app_err_clear(&err);
	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id, AIGEN_REGEN_SUMMARY, 0, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "regeneration_queued");
	assert_int_equal(w->jobs.n, jobs);
	/* still pending while it runs: taken, not finished */
	assert_int_equal(aigen_claim(&j, &w->svc, &err), 0);
	assert_int_equal(aigen_regenerate(NULL, &w->svc, AUTHOR, id, AIGEN_REGEN_SUMMARY, 0, &err),
			 APP_ECONFLICT);
	{
		aigen_run_outcome o;

		assert_int_equal(aigen_run(&o, &w->svc, &j, NULL, NULL, &err), 0);
		assert_int_equal(o, AIGEN_RUN_SUCCEEDED);
	}
	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id, AIGEN_REGEN_TAGLINE, 0, &err),
			 0);
	assert_int_equal(j.variant, 2);
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->text.last_variant, 2);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.regeneration_queued"), 2);
}

static void test_authors_cover_is_replaced_only_when_said(void **state)
{
	world *w = *state;
	int64_t id = published(w, "My Own Cover");
	fake_pub_book *b = &w->pub.books[0];
	size_t jobs = w->jobs.n;
	aigen_job j;
	app_err err;

	b->authors_cover = 1;
	app_err_clear(&err);
	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id,
					  AIGEN_REGEN_SUMMARY | AIGEN_REGEN_COVER, 0, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "authors_cover");
	assert_string_equal(err.field, "parts");
	assert_int_equal(w->jobs.n, jobs);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.regeneration_queued"), 0);
	/* the other parts alone are fine */
	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id, AIGEN_REGEN_SUMMARY, 0, &err),
			 0);
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(b->authors_cover, 1);
	/* said: the generator draws a new one */
	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id, AIGEN_REGEN_COVER, 1, &err), 0);
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->image.calls, 2);
	assert_int_equal(b->authors_cover, 0);
	assert_string_equal(b->cover_by, "img-test");
}

static void test_refusals_queue_nothing(void **state)
{
	world *w = *state;
	int64_t id = published(w, "Not Yours");
	size_t jobs = w->jobs.n;
	app_err err;

	assert_int_equal(
	    aigen_regenerate(NULL, &w->svc, AUTHOR + 1, id, AIGEN_REGEN_TAGLINE, 0, &err),
	    APP_ENOTFOUND);
	assert_int_equal(
	    aigen_regenerate(NULL, &w->svc, AUTHOR, id + 99, AIGEN_REGEN_TAGLINE, 0, &err),
	    APP_ENOTFOUND);
	assert_int_equal(aigen_regenerate(NULL, &w->svc, AUTHOR, id, 0, 0, &err), APP_EINVALID);
	assert_string_equal(err.field, "parts");
	assert_int_equal(aigen_regenerate(NULL, &w->svc, AUTHOR, id, 1u << 7, 0, &err),
			 APP_EINVALID);
	assert_int_equal(aigen_regenerate(NULL, &w->svc, 0, id, AIGEN_REGEN_TAGLINE, 0, &err),
			 APP_EUNAUTH);
	/* storage that fails: nothing queued either */
	w->jobs.fail_next = APP_EIO;
	assert_int_equal(aigen_regenerate(NULL, &w->svc, AUTHOR, id, AIGEN_REGEN_TAGLINE, 0, &err),
			 APP_EIO);
	assert_int_equal(w->jobs.n, jobs);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.regeneration_queued"), 0);
}

static void test_failed_regeneration_leaves_the_work_alone(void **state)
{
	world *w = *state;
	int64_t id = published(w, "Stays As It Was");
	fake_pub_book *b = &w->pub.books[0];
	int64_t ms = b->manuscript_id, price = b->price;
	aigen_job j;
	app_err err;

	w->cfg.fallback = AIGEN_FALLBACK_NONE;
	world_init(w);
	fake_text_push(&w->text, (fake_text_answer){.rc = APP_EFORBIDDEN});
	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id, AIGEN_REGEN_PRICE, 0, &err), 0);
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_FAILED);
	assert_int_equal(aigen_get(&j, &w->svc, j.id, &err), 0);
	assert_int_equal(j.status, AIGEN_JOB_FAILED);
	assert_int_equal(w->pub.regenerations, 0);
	assert_int_equal(b->price, price);
	assert_int_equal(fake_publishing_ms(&w->pub, ms)->state, PUBLISHING_MS_PUBLISHED);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.generation_failed"), 1);
	/* and the work may be asked again */
	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id, AIGEN_REGEN_PRICE, 0, &err), 0);
	assert_int_equal(j.variant, 2);
}

static void test_apply_failure_rolls_the_job_back(void **state)
{
	world *w = *state;
	int64_t id = published(w, "Rolled Back");
	aigen_job j, claimed;
	aigen_run_outcome o;
	app_err err;

	assert_int_equal(aigen_regenerate(&j, &w->svc, AUTHOR, id, AIGEN_REGEN_TAGLINE, 0, &err),
			 0);
	w->pub.fail_publish = APP_EIO;
	assert_int_equal(aigen_claim(&claimed, &w->svc, &err), 0);
	assert_int_equal(aigen_run(&o, &w->svc, &claimed, NULL, NULL, &err), APP_EIO);
	/* the unit rolled back: still running under its lease, nothing completed */
	assert_int_equal(aigen_get(&j, &w->svc, j.id, &err), 0);
	assert_int_equal(j.status, AIGEN_JOB_RUNNING);
	assert_int_equal(fake_outbox_count(&w->outbox, "ai.regeneration_completed"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_regeneration_applies_the_asked_parts, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_one_pending_per_work_and_the_next_variant,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_authors_cover_is_replaced_only_when_said,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_refusals_queue_nothing, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_failed_regeneration_leaves_the_work_alone,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_apply_failure_rolls_the_job_back, world_setup,
					    world_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
