/*
 * The aigen service over fakes, for its tests: a job repository, publishing,
 * scripted generators, the real offline generators and the real image
 * decoder, a unit of work, an outbox, a clock at T0 and random 0.5.
 */
#ifndef WL_TEST_AIGEN_WORLD_H
#define WL_TEST_AIGEN_WORLD_H

#include <stdint.h>

#include "fakes/fake_aigen.h"

#define T0 1700000000000LL

typedef struct world {
	fake_aigen_jobs jobs;
	fake_publishing pub;
	fake_text_gen text;
	fake_image_gen image;
	fake_uow uow;
	fake_outbox outbox;
	fake_clock clock;
	fake_random rnd;
	aigen_config cfg;
	aigen_service svc;
} world;

/* (Re)builds w->svc from w's fakes and w->cfg. */
void world_init(world *w);
/* cmocka setup and teardown: a world with "gpt-test" and "img-test" that answer well. */
int world_setup(void **state);
int world_teardown(void **state);
/* Queues a job for a new submitted manuscript; returns the manuscript id. */
int64_t world_submit(world *w, const char *title);
/* Claims the due job and runs it (claimed may be NULL); returns the outcome. */
aigen_run_outcome world_step(world *w, aigen_job *claimed);
aigen_job world_job_of(world *w, int64_t manuscript_id);

#endif
