/*
 * One attempt of a generation job (aigen_run): the manuscript is loaded, the
 * text is made (or taken from an earlier attempt that only lacked its
 * cover), the cover is drawn, and the attempt ends in one unit of work:
 * published, queued again, parked, or failed.
 *
 * A regeneration (a job of kind regenerate) runs the same ladder for a
 * published work: the text always (its parts travel together), the cover when
 * asked for, and ends by applying the asked parts to the work; its failure
 * leaves the work and its manuscript as they were.
 *
 * The text and the cover are two parts climbing the same ladder when their
 * generator fails (part_run): a stop parks the job, a transient error retries
 * while attempts remain (no sooner than a provider's Retry-After), then the
 * offline generator stands in, or with fallback none the manuscript fails.
 */
#include "domain/aigen/jobs.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "domain/aigen/jobs_internal.h"
#include "domain/common/money.h"

/* How an attempt ends. */
typedef enum {
	VERDICT_GO = 0, /* every part is there: publish */
	VERDICT_PARK,	/* stopping: back to the queue, the attempt not counted */
	VERDICT_RETRY,	/* a transient failure with attempts left */
	VERDICT_FAIL,	/* final: the job and the manuscript fail */
} verdict;

/* The working state of one attempt; everything owned here is released by attempt_dispose(). */
typedef struct attempt {
	aigen_service *svc;
	aigen_job j;
	publishing_manuscript m;
	aigen_prompts prompts;
	aigen_text_request req;
	aigen_draft gen, fb;
	int gen_usable;		  /* the text generator answered (some parts may be unusable) */
	aigen_result res;	  /* the text, once merged or taken from the job */
	int have_text, text_kept; /* res holds the text; it was kept by an earlier attempt */
	aigen_image_request ireq;
	aigen_image img;
	const char *cover_by;
	char error[AIGEN_JOB_ERROR_MAX];
	int64_t retry_after_ms; /* the longest pause a provider asked for; 0: none */
	aigen_stop_fn stop;
	void *stop_ctx;
	/* the price bounds: a book's, or a serial's episode price (steps of 10 P) */
	int64_t price_min, price_max;
	publishing_work work; /* a regeneration's work */
} attempt;

static void attempt_dispose(attempt *a)
{
	aigen_result_dispose(&a->res);
	aigen_image_dispose(&a->img);
	aigen_draft_dispose(&a->fb);
	aigen_draft_dispose(&a->gen);
	aigen_prompts_dispose(&a->prompts);
	publishing_manuscript_dispose(&a->m);
}

/* --- the end of an attempt --------------------------------------------------------------- */

/*
 * Writes the job's new state (fenced by the lease it was claimed with) in
 * the unit tx. *lost is set when another worker took it over.
 */
static int store(int *lost, aigen_service *svc, uow_tx *tx, const aigen_job *j,
		 int64_t claimed_lease, app_err *err)
{
	int rc = aigen_job_repo_update(&svc->d.jobs, tx, j, AIGEN_JOB_RUNNING, claimed_lease, err);

	*lost = rc == APP_ECONFLICT;
	return rc;
}

/* Ends the unit tx after store() and friends: commit, or roll back on rc. */
static int end_unit(aigen_run_outcome *outcome, uow_tx *tx, int rc, int lost,
		    aigen_run_outcome on_success, app_err *err)
{
	if (rc) {
		uow_rollback(tx);
		if (lost) {
			*outcome = AIGEN_RUN_LOST;
			return 0;
		}
		return rc;
	}
	if ((rc = uow_commit(tx, err)))
		return rc;
	*outcome = on_success;
	return 0;
}

/*
 * Queued again after the backoff, or after the provider's Retry-After when
 * that is longer (capped at backoff_max_ms). A text made in this attempt is
 * kept with the job so that the next one only draws what is missing.
 */
static int schedule_retry(aigen_run_outcome *outcome, attempt *a, app_err *err)
{
	aigen_service *svc = a->svc;
	aigen_job *j = &a->j;
	int64_t lease = j->lease_until, now = aigen_now_ms(svc);
	int64_t delay = aigen_backoff_ms(j->attempts, svc->cfg.backoff_base_ms,
					 svc->cfg.backoff_max_ms, random_unit(&svc->d.random));
	uow_tx *tx;
	int rc, lost = 0;

	if (a->retry_after_ms > delay)
		delay = a->retry_after_ms < svc->cfg.backoff_max_ms ? a->retry_after_ms
								    : svc->cfg.backoff_max_ms;
	j->status = AIGEN_JOB_QUEUED;
	j->next_attempt_at = now + delay;
	j->lease_until = 0;
	j->updated_at = now;
	aigen_copy_text(j->last_error, sizeof(j->last_error), a->error);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if (!(rc = store(&lost, svc, tx, j, lease, err)) && a->have_text && !a->text_kept)
		rc = aigen_job_repo_keep_text(&svc->d.jobs, tx, j->id, &a->res, err);
	return end_unit(outcome, tx, rc, lost, AIGEN_RUN_RETRY, err);
}

/* Shutting down: back to the queue, the interrupted attempt not counted. */
static int park(aigen_run_outcome *outcome, aigen_service *svc, aigen_job *j, app_err *err)
{
	int64_t lease = j->lease_until, now = aigen_now_ms(svc);
	uow_tx *tx;
	int rc, lost = 0;

	j->status = AIGEN_JOB_QUEUED;
	j->attempts = j->attempts > 0 ? j->attempts - 1 : 0;
	j->next_attempt_at = now;
	j->lease_until = 0;
	j->updated_at = now;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = store(&lost, svc, tx, j, lease, err);
	return end_unit(outcome, tx, rc, lost, AIGEN_RUN_PARKED, err);
}

/*
 * Opens the unit that ends the job for good (succeeded or failed): its new
 * state and no kept text any more. On failure the unit is already closed.
 */
static int begin_final(uow_tx **tx, int *lost, aigen_service *svc, aigen_job *j,
		       aigen_job_status status, app_err *err)
{
	int64_t lease = j->lease_until;
	int rc;

	j->status = status;
	j->lease_until = 0;
	j->updated_at = aigen_now_ms(svc);
	*lost = 0;
	if ((rc = uow_begin(tx, &svc->d.uow, err))) {
		*tx = NULL;
		return rc;
	}
	if ((rc = store(lost, svc, *tx, j, lease, err)) ||
	    (rc = aigen_job_repo_drop_text(&svc->d.jobs, *tx, j->id, err)))
		return rc;
	return 0;
}

/*
 * Final failure: the job fails and, when mark_manuscript, the manuscript too
 * (with ai.generation_failed), in one unit.
 */
static int finish_failed(aigen_run_outcome *outcome, aigen_service *svc, aigen_job *j,
			 const char *error, int mark_manuscript, app_err *err)
{
	domain_event ev;
	uow_tx *tx = NULL;
	int rc, lost;

	aigen_copy_text(j->last_error, sizeof(j->last_error), error);
	if ((rc = begin_final(&tx, &lost, svc, j, AIGEN_JOB_FAILED, err)))
		goto end;
	if (mark_manuscript &&
	    (rc = publishing_mark_failed(&svc->d.publishing, tx, j->manuscript_id, error, err)))
		goto end;
	domain_event_init(&ev, "ai.generation_failed");
	domain_event_add_int(&ev, "jobId", j->id);
	domain_event_add_int(&ev, "manuscriptId", j->manuscript_id);
	if (j->kind == AIGEN_JOB_REGENERATE)
		domain_event_add_int(&ev, "bookId", j->book_id);
	domain_event_add_int(&ev, "attempts", j->attempts);
	domain_event_add_str(&ev, "error", j->last_error);
	rc = event_publish_owned(&svc->d.events, tx, &ev, err);
end:
	return tx ? end_unit(outcome, tx, rc, lost, AIGEN_RUN_FAILED, err) : rc;
}

/* The manuscript already has its book (a redelivery or a re-run): the job is done. */
static int finish_already(aigen_run_outcome *outcome, aigen_service *svc, aigen_job *j,
			  app_err *err)
{
	uow_tx *tx = NULL;
	int lost, rc = begin_final(&tx, &lost, svc, j, AIGEN_JOB_SUCCEEDED, err);

	return tx ? end_unit(outcome, tx, rc, lost, AIGEN_RUN_SUCCEEDED, err) : rc;
}

static int completed_event(aigen_service *svc, uow_tx *tx, const aigen_job *j,
			   const aigen_result *res, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "ai.generation_completed");
	domain_event_add_int(&ev, "jobId", j->id);
	domain_event_add_int(&ev, "manuscriptId", j->manuscript_id);
	domain_event_add_int(&ev, "attempts", j->attempts);
	domain_event_add_int(&ev, "price", res->price);
	domain_event_add_str(&ev, "summaryBy", res->generated_by_summary);
	domain_event_add_str(&ev, "priceBy", res->generated_by_price);
	domain_event_add_str(&ev, "coverBy", res->generated_by_cover);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/*
 * Success: the job's new state, ai.generation_completed and the book
 * (book.published) in one unit, so none exists without the others. A book
 * that exists already (a re-run) is named by the publishing port without a
 * write; when COMMIT fails nothing is written at all and the job stays
 * running until its lease ends.
 */
static int finish_success(aigen_run_outcome *outcome, attempt *a, app_err *err)
{
	const publishing_manuscript *m = &a->m;
	const aigen_result *res = &a->res;
	publishing_book b = {
	    .manuscript_id = m->id,
	    .author_id = m->author_id,
	    .title = m->title,
	    .pen_name = m->pen_name,
	    .content = m->content,
	    .content_len = m->content_len,
	    .summary = res->summary,
	    .tagline = res->tagline,
	    .price_reason = res->price_reason,
	    .price = res->price,
	    .cover = a->img.data,
	    .cover_len = a->img.len,
	    .cover_mime = a->img.mime,
	    .png_full = a->img.png_full.data,
	    .png_full_len = a->img.png_full.len,
	    .png_thumb = a->img.png_thumb.data,
	    .png_thumb_len = a->img.png_thumb.len,
	    .gen_summary = res->generated_by_summary,
	    .gen_price = res->generated_by_price,
	    .gen_cover = res->generated_by_cover,
	    .serial = m->serial,
	    .genre = res->genre,
	    .price_basis = res->price_basis,
	};
	int64_t book_id = 0;
	uow_tx *tx = NULL;
	int rc, lost;

	if (a->error[0])
		aigen_copy_text(a->j.last_error, sizeof(a->j.last_error), a->error);
	if (!(rc = begin_final(&tx, &lost, a->svc, &a->j, AIGEN_JOB_SUCCEEDED, err)) &&
	    !(rc = completed_event(a->svc, tx, &a->j, res, err)))
		rc = publishing_publish(&book_id, &a->svc->d.publishing, tx, &b, err);
	return tx ? end_unit(outcome, tx, rc, lost, AIGEN_RUN_SUCCEEDED, err) : rc;
}

/*
 * Success for a later episode of a work: its own short summary (the work's
 * blurb, price and cover stay), the job and the episode in one unit.
 */
static int finish_episode(aigen_run_outcome *outcome, attempt *a, app_err *err)
{
	const publishing_manuscript *m = &a->m;
	publishing_episode e = {
	    .manuscript_id = m->id,
	    .author_id = m->author_id,
	    .book_id = m->work_id,
	    .number = m->episode_number,
	    .title = m->title,
	    .content = m->content,
	    .content_len = m->content_len,
	    .summary = a->res.summary,
	    .gen_summary = a->res.generated_by_summary,
	    .publish_at = m->publish_at,
	};
	uow_tx *tx = NULL;
	int rc, lost;

	if (a->error[0])
		aigen_copy_text(a->j.last_error, sizeof(a->j.last_error), a->error);
	if (!(rc = begin_final(&tx, &lost, a->svc, &a->j, AIGEN_JOB_SUCCEEDED, err)) &&
	    !(rc = completed_event(a->svc, tx, &a->j, &a->res, err)))
		rc = publishing_publish_episode(&a->svc->d.publishing, tx, &e, err);
	return tx ? end_unit(outcome, tx, rc, lost, AIGEN_RUN_SUCCEEDED, err) : rc;
}

/*
 * Success of a regeneration: the job's new state, ai.regeneration_completed
 * and the asked parts applied to the work, in one unit.
 */
static int finish_regenerated(aigen_run_outcome *outcome, attempt *a, app_err *err)
{
	const aigen_result *res = &a->res;
	publishing_regen g = {
	    .book_id = a->j.book_id,
	    .parts = a->j.parts,
	    .summary = res->summary,
	    .tagline = res->tagline,
	    .price_reason = res->price_reason,
	    .price = res->price,
	    .price_basis = res->price_basis,
	    .text_by = res->generated_by_summary,
	    .price_by = res->generated_by_price,
	    .cover_by = res->generated_by_cover,
	    .cover = (a->j.parts & AIGEN_REGEN_COVER) ? &a->img : NULL,
	};
	domain_event ev;
	uow_tx *tx = NULL;
	int rc, lost;

	if (a->error[0])
		aigen_copy_text(a->j.last_error, sizeof(a->j.last_error), a->error);
	domain_event_init(&ev, "ai.regeneration_completed");
	domain_event_add_int(&ev, "jobId", a->j.id);
	domain_event_add_int(&ev, "bookId", a->j.book_id);
	domain_event_add_int(&ev, "attempts", a->j.attempts);
	domain_event_add_str(&ev, "textBy", res->generated_by_summary);
	if (!(rc = begin_final(&tx, &lost, a->svc, &a->j, AIGEN_JOB_SUCCEEDED, err)) &&
	    !(rc = event_publish_owned(&a->svc->d.events, tx, &ev, err)))
		rc = publishing_apply_regenerated(&a->svc->d.publishing, tx, &g, err);
	return tx ? end_unit(outcome, tx, rc, lost, AIGEN_RUN_SUCCEEDED, err) : rc;
}

/* --- the parts ----------------------------------------------------------------------------- */

/* "what (generator): message", the message of e or its machine word. */
static void describe_failure(char *out, size_t cap, const char *what, const char *name,
			     const app_err *e)
{
	char buf[AIGEN_JOB_ERROR_MAX];

	snprintf(buf, sizeof(buf), "%s (%s): %s", what, aigen_or_empty(name),
		 e->msg[0]    ? e->msg
		 : e->word[0] ? e->word
			      : app_err_default_word(e->code));
	aigen_copy_text(out, cap, buf);
}

/* Appends "; " + s to out (cap bytes). */
static void append_text(char *out, size_t cap, const char *s)
{
	char buf[AIGEN_JOB_ERROR_MAX * 2 + 4]; /* both whole, and "; " */

	if (!*out) {
		aigen_copy_text(out, cap, s);
		return;
	}
	snprintf(buf, sizeof(buf), "%s; %s", out, s);
	aigen_copy_text(out, cap, buf);
}

static int stopping(const attempt *a)
{
	return a->stop && a->stop(a->stop_ctx);
}

/* A part of the book that a generator makes and the offline one can stand in for. */
typedef struct part {
	const char *what, *fallback_what; /* "text", "fallback text" */
	const char *name, *fallback_name; /* the generators' names */
	int (*primary)(attempt *a, app_err *e);
	int (*fallback)(attempt *a, app_err *e);
} part;

/* The ladder of the header comment. *fell_back is set when the fallback made the part. */
static verdict part_run(int *fell_back, attempt *a, const part *p)
{
	char what[AIGEN_JOB_ERROR_MAX];
	app_err e;
	int rc;

	*fell_back = 0;
	app_err_clear(&e);
	if ((rc = p->primary(a, &e)) == 0)
		return VERDICT_GO;
	if (stopping(a)) /* interrupted by shutdown: not an attempt */
		return VERDICT_PARK;
	describe_failure(what, sizeof(what), p->what, p->name, &e);
	append_text(a->error, sizeof(a->error), what);
	if (app_err_extra_get(&e, "retryAfterMs", 0) > a->retry_after_ms)
		a->retry_after_ms = app_err_extra_get(&e, "retryAfterMs", 0);
	/* anything but a transient failure (an authentication refusal, say) is final at once */
	if (aigen_should_retry(a->j.attempts, a->svc->cfg.max_attempts, rc))
		return VERDICT_RETRY;
	if (a->svc->cfg.fallback == AIGEN_FALLBACK_NONE)
		return VERDICT_FAIL;
	app_err_clear(&e);
	if (p->fallback(a, &e)) {
		describe_failure(what, sizeof(what), p->fallback_what, p->fallback_name, &e);
		append_text(a->error, sizeof(a->error), what);
		return VERDICT_FAIL;
	}
	*fell_back = 1;
	return VERDICT_GO;
}

/* The text generator's answer, validated part by part. */
static int text_primary(attempt *a, app_err *e)
{
	aigen_service *svc = a->svc;
	int rc = aigen_prompts_build(&a->prompts, a->m.title, a->m.pen_name, a->m.content,
				     a->m.content_len, a->price_min, a->price_max, e);

	a->req.system_prompt = a->prompts.system;
	a->req.user_prompt = a->prompts.user;
	if (rc)
		return rc;
	if ((rc = text_generator_generate(&a->gen, &svc->d.text, &a->req, e))) {
		aigen_draft_dispose(&a->gen);
		return rc;
	}
	a->gen_usable = 1;
	/* a bad answer is worth a retry; its good parts are kept for the merge */
	return aigen_draft_validate(&a->gen, e) ? APP_EUPSTREAM : 0;
}

static int text_fallback(attempt *a, app_err *e)
{
	return text_generator_generate(&a->fb, &a->svc->d.text_offline, &a->req, e);
}

/*
 * The text: kept by an earlier attempt, or asked for and merged part by part
 * with the fallback's. Returns a storage failure; *v says how it went.
 */
static int run_text(verdict *v, attempt *a, app_err *err)
{
	aigen_service *svc = a->svc;
	const part p = {
	    .what = "text",
	    .fallback_what = "fallback text",
	    .name = text_generator_name(&svc->d.text),
	    .fallback_name = text_generator_name(&svc->d.text_offline),
	    .primary = text_primary,
	    .fallback = text_fallback,
	};
	char what[AIGEN_JOB_ERROR_MAX];
	int rc, fell_back;
	app_err e;

	rc = aigen_job_repo_kept_text(&a->res, &svc->d.jobs, NULL, a->j.id, err);
	if (rc != APP_ENOTFOUND) {
		a->have_text = a->text_kept = rc == 0;
		*v = VERDICT_GO;
		return rc;
	}
	a->req = (aigen_text_request){
	    .title = a->m.title,
	    .pen_name = a->m.pen_name,
	    .content = a->m.content,
	    .content_len = a->m.content_len,
	    .price_min = a->price_min,
	    .price_max = a->price_max,
	    .variant = a->j.variant,
	};
	if ((*v = part_run(&fell_back, a, &p)) != VERDICT_GO)
		return 0;
	app_err_clear(&e);
	if (aigen_result_merge(&a->res, a->gen_usable ? &a->gen : NULL, p.name,
			       fell_back ? &a->fb : NULL, p.fallback_name, a->price_min,
			       a->price_max, &e)) {
		describe_failure(what, sizeof(what), "text", p.name, &e);
		append_text(a->error, sizeof(a->error), what);
		*v = VERDICT_FAIL;
		return 0;
	}
	if (a->m.serial) /* the price its draft suggested, rounded to 10 P within the bounds */
		a->res.price = money_clamp(
		    !strcmp(a->res.generated_by_price, p.name) && a->gen_usable ? a->gen.price
										: a->fb.price,
		    a->price_min, a->price_max, 10);
	a->have_text = 1;
	return 0;
}

/* Draws the cover with g and checks what came back (aigen_cover_check). */
static int draw_cover(attempt *a, const image_generator *g, app_err *e)
{
	aigen_service *svc = a->svc;
	int builtin = g->vtbl == svc->d.image_offline.vtbl && g->self == svc->d.image_offline.self;
	int rc = image_generator_generate(&a->img, g, &a->ireq, e);

	if (rc == 0)
		rc = aigen_cover_check(&a->img, &svc->d.inspector, builtin, e);
	if (rc)
		aigen_image_dispose(&a->img);
	return rc;
}

static int cover_primary(attempt *a, app_err *e)
{
	return draw_cover(a, &a->svc->d.image, e);
}

static int cover_fallback(attempt *a, app_err *e)
{
	return draw_cover(a, &a->svc->d.image_offline, e);
}

static verdict run_cover(attempt *a)
{
	aigen_service *svc = a->svc;
	const part p = {
	    .what = "image",
	    .fallback_what = "fallback image",
	    .name = image_generator_name(&svc->d.image),
	    .fallback_name = image_generator_name(&svc->d.image_offline),
	    .primary = cover_primary,
	    .fallback = cover_fallback,
	};
	verdict v;
	int fell_back;

	a->ireq = (aigen_image_request){
	    .title = a->m.title,
	    .pen_name = a->m.pen_name,
	    .cover_prompt = a->res.cover_prompt,
	    .genre = a->res.genre,
	    .motifs = a->res.motifs,
	    .nmotifs = a->res.nmotifs,
	};
	if ((v = part_run(&fell_back, a, &p)) == VERDICT_GO)
		aigen_result_set_cover_by(&a->res, fell_back ? p.fallback_name : p.name);
	return v;
}

/* --- one attempt ------------------------------------------------------------------------- */

/* The manuscript is being generated, in a unit of its own (idempotent). */
static int mark_generating(aigen_service *svc, int64_t manuscript_id, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(
	    tx, publishing_mark_generating(&svc->d.publishing, tx, manuscript_id, err), err);
}

/*
 * A regeneration: the work and its text. The manuscript stays published; a
 * work priced per episode is suggested an episode price. When the work or
 * its text is gone the job fails (*done).
 */
static int regen_prepare(int *done, aigen_run_outcome *outcome, attempt *a, app_err *err)
{
	aigen_service *svc = a->svc;
	int rc = publishing_load_work(&a->work, &svc->d.publishing, NULL, a->j.book_id, err);

	if (rc == 0)
		rc = publishing_load(&a->m, &svc->d.publishing, NULL, a->j.manuscript_id, err);
	*done = rc != 0;
	if (rc == APP_ENOTFOUND)
		return finish_failed(outcome, svc, &a->j, "the work or its text no longer exists",
				     0, err);
	if (rc)
		return rc;
	a->m.serial = a->work.per_episode; /* the price bounds and step of the work's price */
	a->m.work_id = 0;		   /* a work's own parts, not an episode's */
	a->price_min = a->m.serial ? svc->cfg.episode_price_min : svc->cfg.price_min;
	a->price_max = a->m.serial ? svc->cfg.episode_price_max : svc->cfg.price_max;
	return 0;
}

/*
 * Loads the manuscript and marks it generating. When there is nothing to
 * generate (gone, published already, in another state) the job ends here
 * and *done is set.
 */
static int run_prepare(int *done, aigen_run_outcome *outcome, attempt *a, app_err *err)
{
	int rc;

	if (a->j.kind == AIGEN_JOB_REGENERATE)
		return regen_prepare(done, outcome, a, err);
	rc = publishing_load(&a->m, &a->svc->d.publishing, NULL, a->j.manuscript_id, err);
	*done = 1;
	if (rc == APP_ENOTFOUND)
		return finish_failed(outcome, a->svc, &a->j, "the manuscript no longer exists", 0,
				     err);
	if (rc)
		return rc;
	if (a->m.state == PUBLISHING_MS_PUBLISHED)
		return finish_already(outcome, a->svc, &a->j, err);
	if (a->m.state != PUBLISHING_MS_SUBMITTED && a->m.state != PUBLISHING_MS_GENERATING)
		return finish_failed(outcome, a->svc, &a->j,
				     "the manuscript is not awaiting generation", 0, err);
	*done = 0;
	a->price_min = a->m.serial ? a->svc->cfg.episode_price_min : a->svc->cfg.price_min;
	a->price_max = a->m.serial ? a->svc->cfg.episode_price_max : a->svc->cfg.price_max;
	return mark_generating(a->svc, a->m.id, err);
}

static int settle(aigen_run_outcome *outcome, attempt *a, verdict v, app_err *err)
{
	switch (v) {
	case VERDICT_PARK:
		return park(outcome, a->svc, &a->j, err);
	case VERDICT_RETRY:
		return schedule_retry(outcome, a, err);
	case VERDICT_FAIL: /* a failed regeneration leaves the work and its manuscript alone */
		return finish_failed(outcome, a->svc, &a->j, a->error,
				     a->j.kind == AIGEN_JOB_PUBLISH, err);
	case VERDICT_GO:
		break;
	}
	aigen_generator_describe(a->j.generator, sizeof(a->j.generator),
				 a->res.generated_by_summary, a->res.generated_by_price,
				 a->res.generated_by_cover);
	if (a->j.kind == AIGEN_JOB_REGENERATE)
		return finish_regenerated(outcome, a, err);
	return a->m.work_id ? finish_episode(outcome, a, err) : finish_success(outcome, a, err);
}

int aigen_run(aigen_run_outcome *outcome, aigen_service *svc, const aigen_job *job,
	      aigen_stop_fn stop, void *stop_ctx, app_err *err)
{
	const char *text_name = text_generator_name(&svc->d.text);
	attempt a = {.svc = svc, .j = *job, .stop = stop, .stop_ctx = stop_ctx};
	verdict v = VERDICT_GO;
	int rc, done;

	assert(job->status == AIGEN_JOB_RUNNING);
	*outcome = 0;
	aigen_generator_describe(a.j.generator, sizeof(a.j.generator), text_name, text_name,
				 image_generator_name(&svc->d.image));
	if ((rc = run_prepare(&done, outcome, &a, err)) || done)
		goto out;
	if ((rc = run_text(&v, &a, err)))
		goto out;
	if (v == VERDICT_GO && stopping(&a))
		v = VERDICT_PARK;
	/* a later episode has the work's cover; a regeneration draws one when asked */
	if (v == VERDICT_GO && !a.m.work_id &&
	    (job->kind == AIGEN_JOB_PUBLISH || (job->parts & AIGEN_REGEN_COVER)))
		v = run_cover(&a);
	rc = settle(outcome, &a, v, err);
out:
	attempt_dispose(&a);
	return rc;
}
