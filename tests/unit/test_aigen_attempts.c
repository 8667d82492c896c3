/*
 * How an attempt of the aigen service ends when a generator misbehaves: a
 * cover that does not decode, a provider's Retry-After, a permanent refusal,
 * and a cover that fails while the text was fine (kept, not paid for twice).
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
#include "support/test_images.h"

static int stop_at_once(void *ctx)
{
	(void)ctx;
	return 1;
}

/* A payload that merely starts like a PNG is not a cover: retried, then the offline one. */
static void test_cover_that_does_not_decode_is_not_kept(void **state)
{
	static const unsigned char fake_png[] = "\x89PNG\r\n\x1a\n<html><script>x</script>";
	world *w = *state;
	int64_t ms;

	w->image.bytes = fake_png;
	w->image.nbytes = sizeof(fake_png) - 1;
	w->cfg.max_attempts = 2;
	world_init(w);
	ms = world_submit(w, "Fake Picture");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	assert_non_null(strstr(world_job_of(w, ms).last_error,
			       "image (img-test): the image does not "
			       "decode (PNG"));
	w->clock.now += w->cfg.backoff_max_ms;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->image.calls, 2);
	assert_string_equal(w->pub.books[0].gen_cover, "offline");
	assert_string_equal(w->pub.books[0].cover_mime, "image/svg+xml");
	assert_string_equal(w->pub.books[0].gen_summary, "gpt-test");
}

/* The decoder names the type, the bounds hold, and bytes after the image are not kept. */
static void test_cover_is_checked_by_its_decoder(void **state)
{
	static const char tail[] = "<html>trailing</html>";
	world *w = *state;
	size_t len, tiny_len;
	unsigned char *jpg = test_jpeg(&len, 400, 600, TEST_JPEG_RGB, 0, NULL);
	unsigned char *with_tail = test_append(jpg, len, tail, sizeof(tail) - 1);
	unsigned char *tiny = test_png(&tiny_len, 1, 1, TEST_PNG_RGB, 0, NULL);
	int64_t ms;

	w->cfg.max_attempts = 1;
	world_init(w);
	w->image.bytes = with_tail; /* claimed as image/png */
	w->image.nbytes = len + sizeof(tail) - 1;
	world_submit(w, "Really a JPEG");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_string_equal(w->pub.books[0].cover_mime, "image/jpeg");
	assert_int_equal(w->pub.books[0].cover_len, len);
	assert_string_equal(w->pub.books[0].gen_cover, "img-test");

	w->image.bytes = tiny;
	w->image.nbytes = tiny_len;
	ms = world_submit(w, "Too Small");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_string_equal(w->pub.books[1].gen_cover, "offline");
	assert_non_null(strstr(world_job_of(w, ms).last_error, "1x1 px; each side must be 300"));

	/* an SVG is taken from the built-in generator only */
	w->image.bytes = (const unsigned char *)"<svg xmlns='http://www.w3.org/2000/svg'/>";
	w->image.nbytes = strlen((const char *)w->image.bytes);
	w->image.mime = "image/svg+xml";
	ms = world_submit(w, "Foreign SVG");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_string_equal(w->pub.books[2].gen_cover, "offline");
	assert_non_null(strstr(world_job_of(w, ms).last_error, "neither PNG nor JPEG"));
	free(tiny);
	free(with_tail);
	free(jpg);
}

/* The clock port decides: a provider's pause beyond the backoff delays the next attempt. */
static void test_retry_after_delays_the_next_attempt(void **state)
{
	world *w = *state;
	fake_text_answer limited = {.rc = APP_EUPSTREAM, .retry_after_ms = 20000};
	aigen_job j;
	int64_t ms;
	app_err err;

	fake_text_push(&w->text, limited);
	ms = world_submit(w, "Rate Limited");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	/* the backoff alone would be 750 ms (see test_transient_failure_then_success) */
	assert_int_equal(world_job_of(w, ms).next_attempt_at, T0 + 20000);
	w->clock.now = T0 + 19999;
	assert_int_equal(aigen_claim(&j, &w->svc, &err), APP_ENOTFOUND);
	w->clock.now = T0 + 20000;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->text.calls, 2);

	/* a pause shorter than the backoff does not shorten it; a huge one is capped */
	limited.retry_after_ms = 100;
	fake_text_push(&w->text, limited);
	ms = world_submit(w, "Short Pause");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	assert_int_equal(world_job_of(w, ms).next_attempt_at, w->clock.now + 750);
	w->clock.now += 750;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	limited.retry_after_ms = 36000000; /* ten hours */
	fake_text_push(&w->text, limited);
	ms = world_submit(w, "Long Pause");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	assert_int_equal(world_job_of(w, ms).next_attempt_at, w->clock.now + w->cfg.backoff_max_ms);

	/* the cover's provider is heard the same way */
	w->clock.now += w->cfg.backoff_max_ms;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	w->image.script[w->image.nscript++] = APP_EUPSTREAM;
	w->image.retry_after_ms = 60000;
	ms = world_submit(w, "Image Limited");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	assert_int_equal(world_job_of(w, ms).next_attempt_at, w->clock.now + 60000);
}

/* A refused key is not retried: the offline generator at once, or with none the failure. */
static void test_authentication_failure_is_not_retried(void **state)
{
	world *w = *state;
	int64_t ms;

	w->text.fallback = (fake_text_answer){.rc = APP_EUNAUTH};
	ms = world_submit(w, "Bad Key");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->text.calls, 1);
	assert_int_equal(world_job_of(w, ms).attempts, 1);
	assert_string_equal(w->pub.books[0].gen_summary, "offline");
	assert_string_equal(w->pub.books[0].gen_cover, "img-test");

	w->image.fallback_rc = APP_EFORBIDDEN;
	w->text.fallback = fake_text_ok(5000);
	ms = world_submit(w, "Forbidden Images");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->image.calls, 2);
	assert_string_equal(w->pub.books[1].gen_summary, "gpt-test");
	assert_string_equal(w->pub.books[1].gen_cover, "offline");

	w->cfg.fallback = AIGEN_FALLBACK_NONE;
	world_init(w);
	w->image.fallback_rc = 0;
	w->text.fallback = (fake_text_answer){.rc = APP_EFORBIDDEN};
	ms = world_submit(w, "Strict And Refused");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_FAILED);
	assert_int_equal(world_job_of(w, ms).attempts, 1);
	assert_int_equal(fake_publishing_ms(&w->pub, ms)->state, PUBLISHING_MS_FAILED);
}

/* When only the cover fails, the next attempt takes the text kept with the job. */
static void test_cover_only_failure_keeps_the_text(void **state)
{
	world *w = *state;
	fake_text_answer first = fake_text_ok(4200);
	int64_t ms;

	first.summary = "The summary the first attempt paid for, kept with its job.";
	fake_text_push(&w->text, first);
	w->text.fallback = fake_text_ok(9900); /* what a second text call would say */
	w->image.script[w->image.nscript++] = APP_ETIMEOUT;
	w->image.script[w->image.nscript++] = APP_EUPSTREAM;
	ms = world_submit(w, "Slow Painter");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	assert_non_null(strstr(world_job_of(w, ms).last_error, "image (img-test)"));
	assert_int_equal(w->jobs.texts[0].job_id, world_job_of(w, ms).id);
	w->clock.now += w->cfg.backoff_max_ms;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	w->clock.now += w->cfg.backoff_max_ms;
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_SUCCEEDED);
	assert_int_equal(w->text.calls, 1);
	assert_int_equal(w->image.calls, 3);
	assert_string_equal(w->pub.books[0].summary, first.summary);
	assert_int_equal(w->pub.books[0].price, 4200);
	assert_string_equal(w->pub.books[0].gen_summary, "gpt-test");
	assert_string_equal(w->pub.books[0].gen_cover, "img-test");
	assert_string_equal(world_job_of(w, ms).generator,
			    "summary=gpt-test, price=gpt-test, cover=img-test");
	/* done: nothing is kept any more */
	assert_int_equal(w->jobs.texts[0].job_id, 0);
}

/* The kept text also survives a stop, and goes when the job fails for good. */
static void test_kept_text_across_a_park_and_a_final_failure(void **state)
{
	world *w = *state;
	aigen_run_outcome outcome = 0;
	aigen_job j;
	app_err err;
	int64_t ms;

	w->cfg.fallback = AIGEN_FALLBACK_NONE;
	w->cfg.max_attempts = 2;
	world_init(w);
	w->image.fallback_rc = APP_EUPSTREAM;
	ms = world_submit(w, "Never A Cover");
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_RETRY);
	w->clock.now += w->cfg.backoff_max_ms;
	assert_int_equal(aigen_claim(&j, &w->svc, &err), 0);
	assert_int_equal(aigen_run(&outcome, &w->svc, &j, stop_at_once, NULL, &err), 0);
	assert_int_equal(outcome, AIGEN_RUN_PARKED);
	assert_int_equal(w->jobs.texts[0].job_id, j.id);
	assert_int_equal(world_step(w, NULL), AIGEN_RUN_FAILED);
	assert_int_equal(w->text.calls, 1);
	assert_int_equal(w->jobs.texts[0].job_id, 0);
	assert_int_equal(fake_publishing_ms(&w->pub, ms)->state, PUBLISHING_MS_FAILED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_cover_that_does_not_decode_is_not_kept,
					    world_setup, world_teardown),
	    cmocka_unit_test_setup_teardown(test_cover_is_checked_by_its_decoder, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_retry_after_delays_the_next_attempt, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_authentication_failure_is_not_retried, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_cover_only_failure_keeps_the_text, world_setup,
					    world_teardown),
	    cmocka_unit_test_setup_teardown(test_kept_text_across_a_park_and_a_final_failure,
					    world_setup, world_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
