#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/image/image_codec.h"
#include "adapters/llm_offline/llm_offline.h"
#include "support/aigen_world.h"

static const char TEXT[] =
    "The village library opened at dawn. Mina walked there every morning before school. "
    "She read every book on the lowest shelf, then the next one. The librarian watched her "
    "and said nothing. One winter the library closed, and Mina kept its keys.";

void world_init(world *w)
{
	aigen_deps d = {
	    .jobs = fake_aigen_job_repo(&w->jobs),
	    .text = fake_text_generator(&w->text),
	    .text_offline = offline_text_generator_new(),
	    .image = fake_image_generator(&w->image),
	    .image_offline = offline_image_generator_new(),
	    .inspector = image_codec_inspector(),
	    .publishing = fake_publishing_port(&w->pub),
	    .uow = fake_uow_port(&w->uow),
	    .events = fake_publisher(&w->outbox),
	    .clock = fake_clock_port(&w->clock),
	    .random = fake_random_port(&w->rnd),
	};

	aigen_service_init(&w->svc, &d, &w->cfg);
}

int world_setup(void **state)
{
	world *w = calloc(1, sizeof(*w));

	assert_non_null(w);
	snprintf(w->text.name, sizeof(w->text.name), "gpt-test");
	snprintf(w->image.name, sizeof(w->image.name), "img-test");
	w->text.fallback = fake_text_ok(12345);
	w->pub.outbox = &w->outbox;
	w->clock.now = T0;
	w->rnd.value = 0.5;
	w->cfg = aigen_config_default();
	world_init(w);
	*state = w;
	return 0;
}

int world_teardown(void **state)
{
	world *w = *state;

	fake_outbox_dispose(&w->outbox);
	free(w);
	return 0;
}

/* Queues a job for a new submitted manuscript; returns the manuscript id. */
int64_t world_submit(world *w, const char *title)
{
	int64_t id = fake_publishing_add(&w->pub, title, TEXT);
	aigen_job j;
	int queued = 0;
	app_err err;

	assert_int_equal(aigen_enqueue(&j, &queued, &w->svc, id, &err), 0);
	assert_int_equal(queued, 1);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	return id;
}

/* Claims the due job and runs it; returns the outcome. */
aigen_run_outcome world_step(world *w, aigen_job *claimed)
{
	aigen_run_outcome outcome = 0;
	aigen_job j;
	app_err err;

	assert_int_equal(aigen_claim(&j, &w->svc, &err), 0);
	assert_int_equal(j.status, AIGEN_JOB_RUNNING);
	if (claimed)
		*claimed = j;
	assert_int_equal(aigen_run(&outcome, &w->svc, &j, NULL, NULL, &err), 0);
	assert_int_equal(w->uow.depth, 0);
	return outcome;
}

aigen_job world_job_of(world *w, int64_t manuscript_id)
{
	aigen_job j;
	app_err err;

	assert_int_equal(
	    aigen_job_repo_find_by_manuscript(&j, &w->svc.d.jobs, NULL, manuscript_id, &err), 0);
	return j;
}
