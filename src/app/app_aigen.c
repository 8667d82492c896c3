/* The AI generation part of the composition root: generators, the aigen core, its workers. */
#include "app/app.h"

#include <stdio.h>
#include <string.h>

#include "adapters/image/image_codec.h"
#include "adapters/llm_http/llm_http.h"
#include "adapters/llm_offline/llm_offline.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/system/system.h"

/* The longest a reader waits on the story model (--llm-timeout when shorter). */
#define APP_STORY_TIMEOUT_MS 15000L

/* book.published -> the manuscript is published with its book (idempotent in the core). */
static int mark_published(void *ctx, const domain_event *ev, app_err *err)
{
	int64_t manuscript_id = domain_event_int(ev, "manuscriptId", 0);
	int64_t book_id = domain_event_int(ev, "bookId", 0);

	if (manuscript_id <= 0 || book_id <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "manuscriptId",
				   "book.published without manuscriptId and bookId");
	return manuscripts_mark_published(ctx, manuscript_id, book_id, err);
}

int app_subscribe_manuscript_published(bus *b, manuscripts_service *manuscripts, app_err *err)
{
	/* a proof is its manuscript's book already: the manuscript is published with it */
	static const char *const types[] = {"book.published", "book.proof_ready", NULL};

	return bus_subscribe(b, "manuscripts.published", types, BUS_SYNC, mark_published,
			     manuscripts, err);
}

/* The primary generators of --ai openai; the offline ones stay as the fallback. */
static int open_llm(app *a, app_err *err)
{
	llm_http_config lc;
	int rc;

	if ((rc = llm_http_global_init(err)))
		return rc;
	a->llm_http_inited = 1;
	llm_http_config_defaults(&lc);
	lc.base_url = a->cfg.llm_base_url;
	lc.api_key = a->cfg.llm_api_key[0] ? a->cfg.llm_api_key : NULL;
	lc.model = a->cfg.llm_model;
	lc.image_model = a->cfg.image_model[0] ? a->cfg.image_model : NULL;
	lc.total_timeout_ms = (long)a->cfg.llm_timeout_s * 1000;
	/*
	 * The adapter's own retries only ride out a hiccup (and honour
	 * Retry-After); the aigen core's attempts with backoff do the rest.
	 */
	lc.max_retries = 1;
	if (a->cfg.ai_backoff_ms > 0 && a->cfg.ai_backoff_ms < lc.backoff_ms)
		lc.backoff_ms = (long)a->cfg.ai_backoff_ms;
	if ((rc = llm_http_text_new(&a->ai_text, &lc, err)))
		return rc;
	/* a reader waits on the story model: one attempt within a shorter budget */
	lc.max_retries = 0;
	if (lc.total_timeout_ms > APP_STORY_TIMEOUT_MS)
		lc.total_timeout_ms = APP_STORY_TIMEOUT_MS;
	if ((rc = llm_http_story_new(&a->story_model, &lc, err)))
		return rc;
	reader_service_use_model(&a->reader, a->story_model);
	lc.total_timeout_ms = (long)a->cfg.llm_timeout_s * 1000;
	lc.max_retries = 1;
	if (lc.image_model && (rc = llm_http_image_new(&a->ai_image, &lc, err)))
		return rc;
	return 0;
}

int app_aigen_open(app *a, app_err *err)
{
	static const char *const submitted[] = {"manuscript.submitted", NULL};
	static const char *const regenerate[] = {"ai.regeneration_queued", NULL};
	aigen_config ac = aigen_config_default();
	aigen_deps d;
	int rc;

	/* covers need a font for Korean: say so at start-up, not at the first submission */
	if ((rc = offline_cover_check(err)))
		return rc;
	a->ai_text_offline = offline_text_generator_new();
	a->ai_image_offline = offline_image_generator_new();
	a->ai_text = a->ai_text_offline;
	a->ai_image = a->ai_image_offline;
	if (!strcmp(a->cfg.ai, "openai") && (rc = open_llm(a, err)))
		return rc;

	a->publishing = (app_publishing){
	    .manuscripts = &a->manuscripts,
	    .authors = &a->authors,
	    .members = &a->members,
	    .books = &a->books,
	};
	ac.max_attempts = a->cfg.ai_attempts;
	ac.backoff_base_ms = a->cfg.ai_backoff_ms;
	ac.price_min = a->cfg.price_min;
	ac.price_max = a->cfg.price_max;
	ac.episode_price_min = a->cfg.episode_price_min;
	ac.episode_price_max = a->cfg.episode_price_max;
	ac.fallback =
	    !strcmp(a->cfg.ai_fallback, "none") ? AIGEN_FALLBACK_NONE : AIGEN_FALLBACK_OFFLINE;
	d = (aigen_deps){
	    .jobs = sqlite_aigen_job_repo(a->db),
	    .text = a->ai_text,
	    .text_offline = a->ai_text_offline,
	    .image = a->ai_image,
	    .image_offline = a->ai_image_offline,
	    .inspector = image_codec_inspector(),
	    .publishing = app_publishing_port(&a->publishing),
	    .uow = bus_uow(a->bus),
	    .events = bus_publisher(a->bus),
	    .clock = a->clock,
	    .random = system_random(),
	};
	aigen_service_init(&a->aigen, &d, &ac);
	if ((rc = aigen_workers_new(&a->aigen_workers, &a->aigen, a->cfg.ai_workers, err)))
		return rc;
	if ((rc = bus_subscribe(a->bus, "aigen.enqueue", submitted, BUS_SYNC,
				aigen_workers_on_submitted, a->aigen_workers, err)) ||
	    (rc = bus_subscribe(a->bus, "aigen.regenerate", regenerate, BUS_SYNC,
				aigen_workers_on_regeneration, a->aigen_workers, err)))
		return rc;
	return app_subscribe_manuscript_published(a->bus, &a->manuscripts, err);
}

void app_aigen_close(app *a)
{
	/* a provider that hangs must not hold the shutdown: interrupt its calls */
	aigen_workers_stop(a->aigen_workers, a->llm_http_inited ? llm_http_cancel : NULL);
	aigen_workers_free(a->aigen_workers);
	a->aigen_workers = NULL;
	/* the offline generators are stateless; only a primary of our own is destroyed */
	if (a->ai_text.vtbl && a->ai_text.vtbl != a->ai_text_offline.vtbl)
		a->ai_text.vtbl->destroy(a->ai_text.self);
	if (a->ai_image.vtbl && a->ai_image.vtbl != a->ai_image_offline.vtbl)
		a->ai_image.vtbl->destroy(a->ai_image.self);
	if (a->story_model.vtbl) {
		reader_service_use_model(&a->reader, (story_model){0});
		a->story_model.vtbl->destroy(a->story_model.self);
		memset(&a->story_model, 0, sizeof(a->story_model));
	}
	memset(&a->ai_text, 0, sizeof(a->ai_text));
	memset(&a->ai_image, 0, sizeof(a->ai_image));
	if (a->llm_http_inited) {
		llm_http_global_cleanup();
		a->llm_http_inited = 0;
	}
}
