#include "domain/aigen/jobs.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AIGEN_DEFAULT_LEASE_MS	 (10LL * 60 * 1000)
#define AIGEN_DEFAULT_BACKOFF_MS 1000
#define AIGEN_DEFAULT_MAX_MS	 (5LL * 60 * 1000)

aigen_config aigen_config_default(void)
{
	aigen_config c = {
	    .max_attempts = 4,
	    .backoff_base_ms = AIGEN_DEFAULT_BACKOFF_MS,
	    .backoff_max_ms = AIGEN_DEFAULT_MAX_MS,
	    .lease_ms = AIGEN_DEFAULT_LEASE_MS,
	    .price_min = 1000,
	    .price_max = 50000,
	    .fallback = AIGEN_FALLBACK_OFFLINE,
	};
	return c;
}

void aigen_service_init(aigen_service *svc, const aigen_deps *deps, const aigen_config *cfg)
{
	svc->d = *deps;
	svc->cfg = cfg ? *cfg : aigen_config_default();
	assert(svc->cfg.price_min <= svc->cfg.price_max);
	assert(svc->cfg.max_attempts >= 1);
	if (svc->cfg.lease_ms <= 0)
		svc->cfg.lease_ms = AIGEN_DEFAULT_LEASE_MS;
	if (svc->cfg.backoff_max_ms <= 0)
		svc->cfg.backoff_max_ms = AIGEN_DEFAULT_MAX_MS;
}

void publishing_manuscript_dispose(publishing_manuscript *m)
{
	if (!m)
		return;
	free(m->title);
	free(m->pen_name);
	free(m->content);
	memset(m, 0, sizeof(*m));
}

static int64_t now_ms(aigen_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

/* Copies s into dst (cap bytes), cut at a UTF-8 character boundary when too long. */
static void copy_text(char *dst, size_t cap, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (len >= cap) {
		len = cap - 1;
		while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
			len--;
	}
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
}

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

void aigen_generator_describe(char *out, size_t cap, const char *summary_by, const char *price_by,
			      const char *cover_by)
{
	char buf[AIGEN_JOB_GENERATOR_MAX * 2];

	summary_by = or_empty(summary_by);
	price_by = or_empty(price_by);
	cover_by = or_empty(cover_by);
	if (!strcmp(summary_by, price_by) && !strcmp(price_by, cover_by))
		snprintf(buf, sizeof(buf), "%s", summary_by);
	else
		snprintf(buf, sizeof(buf), "summary=%s, price=%s, cover=%s", summary_by, price_by,
			 cover_by);
	if (cap)
		copy_text(out, cap, buf);
}

/* --- enqueue, claim, recover, list ------------------------------------------------------- */

int aigen_enqueue(aigen_job *out, int *queued, aigen_service *svc, int64_t manuscript_id,
		  app_err *err)
{
	publishing_manuscript m;
	aigen_job j;
	int64_t now = now_ms(svc), lease;
	uow_tx *tx;
	int rc, q = 0, again;

	if (queued)
		*queued = 0;
	if (manuscript_id <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "manuscriptId",
				   "a manuscript id is required");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = aigen_job_repo_find_by_manuscript(&j, &svc->d.jobs, tx, manuscript_id, err);
	if (rc == APP_ENOTFOUND) {
		memset(&j, 0, sizeof(j));
		j.manuscript_id = manuscript_id;
		j.status = AIGEN_JOB_QUEUED;
		j.next_attempt_at = now;
		j.created_at = j.updated_at = now;
		if ((rc = aigen_job_repo_insert(&svc->d.jobs, tx, &j, err)))
			goto fail;
		q = 1;
	} else if (rc) {
		goto fail;
	} else if (j.status == AIGEN_JOB_FAILED) {
		/* a redelivered old event must not undo a failure: only the owner's retry does */
		memset(&m, 0, sizeof(m));
		rc = publishing_load(&m, &svc->d.publishing, tx, manuscript_id, err);
		again = rc == 0 && m.state == PUBLISHING_MS_SUBMITTED;
		publishing_manuscript_dispose(&m);
		if (rc && rc != APP_ENOTFOUND)
			goto fail;
		if (again) {
			assert(aigen_job_can_transition(j.status, AIGEN_JOB_QUEUED));
			lease = j.lease_until;
			j.status = AIGEN_JOB_QUEUED;
			j.attempts = 0;
			j.next_attempt_at = now;
			j.lease_until = 0;
			j.updated_at = now;
			if ((rc = aigen_job_repo_update(&svc->d.jobs, tx, &j, AIGEN_JOB_FAILED,
							lease, err)))
				goto fail;
			q = 1;
		}
	}
	if ((rc = uow_commit(tx, err)))
		return rc;
	if (queued)
		*queued = q;
	if (out)
		*out = j;
	return 0;
fail:
	uow_rollback(tx);
	return rc;
}

int aigen_claim(aigen_job *out, aigen_service *svc, app_err *err)
{
	int64_t now = now_ms(svc);
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = aigen_job_repo_claim(out, &svc->d.jobs, tx, now, now + svc->cfg.lease_ms, err);
	if (rc) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int aigen_next_due(int64_t *at, aigen_service *svc, app_err *err)
{
	return aigen_job_repo_next_due(at, &svc->d.jobs, NULL, err);
}

int aigen_recover(size_t *n, aigen_service *svc, app_err *err)
{
	size_t count = 0;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = aigen_job_repo_release_running(&count, &svc->d.jobs, tx, now_ms(svc), err);
	if (rc) {
		uow_rollback(tx);
		return rc;
	}
	if ((rc = uow_commit(tx, err)))
		return rc;
	if (n)
		*n = count;
	return 0;
}

int aigen_list(aigen_job *out, size_t *n, int64_t *next_before, aigen_service *svc, int status,
	       int64_t before_id, size_t limit, app_err *err)
{
	int rc = aigen_job_repo_list(out, n, &svc->d.jobs, NULL, status, before_id, limit, err);

	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

int aigen_counts(int64_t out[AIGEN_JOB_STATUS_COUNT], aigen_service *svc, app_err *err)
{
	return aigen_job_repo_counts(out, &svc->d.jobs, NULL, err);
}

/* --- run: the end of an attempt ---------------------------------------------------------- */

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

static int schedule_retry(aigen_run_outcome *outcome, aigen_service *svc, aigen_job *j,
			  const char *error, app_err *err)
{
	int64_t lease = j->lease_until, now = now_ms(svc);
	int64_t delay = aigen_backoff_ms(j->attempts, svc->cfg.backoff_base_ms,
					 svc->cfg.backoff_max_ms, random_unit(&svc->d.random));
	uow_tx *tx;
	int rc, lost = 0;

	j->status = AIGEN_JOB_QUEUED;
	j->next_attempt_at = now + delay;
	j->lease_until = 0;
	j->updated_at = now;
	copy_text(j->last_error, sizeof(j->last_error), error);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = store(&lost, svc, tx, j, lease, err);
	return end_unit(outcome, tx, rc, lost, AIGEN_RUN_RETRY, err);
}

/* Shutting down: back to the queue, the interrupted attempt not counted. */
static int park(aigen_run_outcome *outcome, aigen_service *svc, aigen_job *j, app_err *err)
{
	int64_t lease = j->lease_until, now = now_ms(svc);
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
 * Final failure: the job fails and, when mark_manuscript, the manuscript too
 * (with ai.generation_failed), in one unit.
 */
static int finish_failed(aigen_run_outcome *outcome, aigen_service *svc, aigen_job *j,
			 const char *error, int mark_manuscript, app_err *err)
{
	int64_t lease = j->lease_until, now = now_ms(svc);
	domain_event ev;
	uow_tx *tx;
	int rc, lost = 0;

	j->status = AIGEN_JOB_FAILED;
	j->lease_until = 0;
	j->updated_at = now;
	copy_text(j->last_error, sizeof(j->last_error), error);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = store(&lost, svc, tx, j, lease, err)))
		goto end;
	if (mark_manuscript &&
	    (rc = publishing_mark_failed(&svc->d.publishing, tx, j->manuscript_id, error, err)))
		goto end;
	domain_event_init(&ev, "ai.generation_failed");
	domain_event_add_int(&ev, "jobId", j->id);
	domain_event_add_int(&ev, "manuscriptId", j->manuscript_id);
	domain_event_add_int(&ev, "attempts", j->attempts);
	domain_event_add_str(&ev, "error", j->last_error);
	rc = event_publish_owned(&svc->d.events, tx, &ev, err);
end:
	return end_unit(outcome, tx, rc, lost, AIGEN_RUN_FAILED, err);
}

/* The manuscript already has its book (a redelivery or a re-run): the job is done. */
static int finish_already(aigen_run_outcome *outcome, aigen_service *svc, aigen_job *j,
			  app_err *err)
{
	int64_t lease = j->lease_until, now = now_ms(svc);
	uow_tx *tx;
	int rc, lost = 0;

	j->status = AIGEN_JOB_SUCCEEDED;
	j->lease_until = 0;
	j->updated_at = now;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = store(&lost, svc, tx, j, lease, err);
	return end_unit(outcome, tx, rc, lost, AIGEN_RUN_SUCCEEDED, err);
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
static int finish_success(aigen_run_outcome *outcome, aigen_service *svc, aigen_job *j,
			  const publishing_manuscript *m, const aigen_result *res,
			  const aigen_image *cover, const char *error, app_err *err)
{
	int64_t lease = j->lease_until, now = now_ms(svc), book_id = 0;
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
	    .cover = cover->data,
	    .cover_len = cover->len,
	    .cover_mime = cover->mime,
	    .gen_summary = res->generated_by_summary,
	    .gen_price = res->generated_by_price,
	    .gen_cover = res->generated_by_cover,
	};
	uow_tx *tx;
	int rc, lost = 0;

	j->status = AIGEN_JOB_SUCCEEDED;
	j->lease_until = 0;
	j->updated_at = now;
	if (error && *error)
		copy_text(j->last_error, sizeof(j->last_error), error);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if (!(rc = store(&lost, svc, tx, j, lease, err)) &&
	    !(rc = completed_event(svc, tx, j, res, err)))
		rc = publishing_publish(&book_id, &svc->d.publishing, tx, &b, err);
	return end_unit(outcome, tx, rc, lost, AIGEN_RUN_SUCCEEDED, err);
}

/* --- run: one attempt -------------------------------------------------------------------- */

/* "what (generator): message", the message of e or its machine word. */
static void describe_failure(char *out, size_t cap, const char *what, const char *name,
			     const app_err *e)
{
	char buf[AIGEN_JOB_ERROR_MAX];

	snprintf(buf, sizeof(buf), "%s (%s): %s", what, or_empty(name),
		 e->msg[0]    ? e->msg
		 : e->word[0] ? e->word
			      : app_err_default_word(e->code));
	copy_text(out, cap, buf);
}

/* Appends "; " + s to out (cap bytes). */
static void append_text(char *out, size_t cap, const char *s)
{
	char buf[AIGEN_JOB_ERROR_MAX * 2];

	if (!*out) {
		copy_text(out, cap, s);
		return;
	}
	snprintf(buf, sizeof(buf), "%s; %s", out, s);
	copy_text(out, cap, buf);
}

static int stopping(aigen_stop_fn stop, void *ctx)
{
	return stop && stop(ctx);
}

/* The manuscript is being generated, in a unit of its own (idempotent). */
static int mark_generating(aigen_service *svc, int64_t manuscript_id, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = publishing_mark_generating(&svc->d.publishing, tx, manuscript_id, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

/* Draws the cover with g and checks what came back (aigen_cover_check). */
static int draw_cover(aigen_image *img, aigen_service *svc, const image_generator *g,
		      const aigen_image_request *req, app_err *err)
{
	int builtin = g->vtbl == svc->d.image_offline.vtbl && g->self == svc->d.image_offline.self;
	int rc = image_generator_generate(img, g, req, err);

	if (rc == 0)
		rc = aigen_cover_check(img, &svc->d.inspector, builtin, err);
	if (rc)
		aigen_image_dispose(img);
	return rc;
}

int aigen_run(aigen_run_outcome *outcome, aigen_service *svc, const aigen_job *job,
	      aigen_stop_fn stop, void *stop_ctx, app_err *err)
{
	const char *text_name = text_generator_name(&svc->d.text);
	const char *image_name = image_generator_name(&svc->d.image);
	const char *offline_text = text_generator_name(&svc->d.text_offline);
	const char *offline_image = image_generator_name(&svc->d.image_offline);
	const char *cover_by = image_name;
	int64_t min = svc->cfg.price_min, max = svc->cfg.price_max;
	int none = svc->cfg.fallback == AIGEN_FALLBACK_NONE;
	publishing_manuscript m;
	aigen_prompts prompts;
	aigen_text_request req;
	aigen_image_request ireq;
	aigen_draft gen, fb;
	aigen_image img;
	aigen_result res;
	aigen_job j = *job;
	char error[AIGEN_JOB_ERROR_MAX] = "", what[AIGEN_JOB_ERROR_MAX];
	int rc, text_rc = 0, gen_usable = 0;
	app_err e;

	assert(job->status == AIGEN_JOB_RUNNING);
	memset(&m, 0, sizeof(m));
	memset(&prompts, 0, sizeof(prompts));
	memset(&gen, 0, sizeof(gen));
	memset(&fb, 0, sizeof(fb));
	memset(&img, 0, sizeof(img));
	memset(&res, 0, sizeof(res));
	*outcome = 0;
	aigen_generator_describe(j.generator, sizeof(j.generator), text_name, text_name,
				 image_name);

	rc = publishing_load(&m, &svc->d.publishing, NULL, j.manuscript_id, err);
	if (rc == APP_ENOTFOUND) {
		rc = finish_failed(outcome, svc, &j, "the manuscript no longer exists", 0, err);
		goto out;
	}
	if (rc)
		goto out;
	if (m.state == PUBLISHING_MS_PUBLISHED) {
		rc = finish_already(outcome, svc, &j, err);
		goto out;
	}
	if (m.state != PUBLISHING_MS_SUBMITTED && m.state != PUBLISHING_MS_GENERATING) {
		rc = finish_failed(outcome, svc, &j, "the manuscript is not awaiting generation", 0,
				   err);
		goto out;
	}
	if ((rc = mark_generating(svc, m.id, err)))
		goto out;

	/* text: the primary generator, its answer validated part by part */
	app_err_clear(&e);
	text_rc = aigen_prompts_build(&prompts, m.title, m.pen_name, m.content, m.content_len, min,
				      max, &e);
	req = (aigen_text_request){
	    .title = m.title,
	    .pen_name = m.pen_name,
	    .content = m.content,
	    .content_len = m.content_len,
	    .system_prompt = prompts.system,
	    .user_prompt = prompts.user,
	    .price_min = min,
	    .price_max = max,
	};
	if (text_rc == 0) {
		text_rc = text_generator_generate(&gen, &svc->d.text, &req, &e);
		if (text_rc == 0) {
			gen_usable = 1;
			if (aigen_draft_validate(&gen, &e) != 0) /* a bad answer is worth a retry */
				text_rc = APP_EUPSTREAM;
		} else {
			aigen_draft_dispose(&gen);
		}
	}
	if (text_rc && stopping(stop, stop_ctx)) { /* interrupted by shutdown: not an attempt */
		rc = park(outcome, svc, &j, err);
		goto out;
	}
	if (text_rc) {
		describe_failure(error, sizeof(error), "text", text_name, &e);
		if (aigen_should_retry(j.attempts, svc->cfg.max_attempts, text_rc)) {
			rc = schedule_retry(outcome, svc, &j, error, err);
			goto out;
		}
		if (none) {
			rc = finish_failed(outcome, svc, &j, error, 1, err);
			goto out;
		}
		app_err_clear(&e);
		if (text_generator_generate(&fb, &svc->d.text_offline, &req, &e)) {
			describe_failure(what, sizeof(what), "fallback text", offline_text, &e);
			append_text(error, sizeof(error), what);
			rc = finish_failed(outcome, svc, &j, error, 1, err);
			goto out;
		}
	}
	app_err_clear(&e);
	if (aigen_result_merge(&res, gen_usable ? &gen : NULL, text_name, text_rc ? &fb : NULL,
			       offline_text, min, max, &e)) {
		describe_failure(what, sizeof(what), "text", text_name, &e);
		append_text(error, sizeof(error), what);
		rc = finish_failed(outcome, svc, &j, error, 1, err);
		goto out;
	}
	if (stopping(stop, stop_ctx)) {
		rc = park(outcome, svc, &j, err);
		goto out;
	}

	/* the cover: the primary image generator, else the offline one */
	ireq = (aigen_image_request){
	    .title = m.title,
	    .pen_name = m.pen_name,
	    .cover_prompt = res.cover_prompt,
	    .genre = res.genre,
	    .motifs = res.motifs,
	    .nmotifs = res.nmotifs,
	};
	app_err_clear(&e);
	rc = draw_cover(&img, svc, &svc->d.image, &ireq, &e);
	if (rc && stopping(stop, stop_ctx)) {
		rc = park(outcome, svc, &j, err);
		goto out;
	}
	if (rc) {
		describe_failure(what, sizeof(what), "image", image_name, &e);
		append_text(error, sizeof(error), what);
		if (aigen_should_retry(j.attempts, svc->cfg.max_attempts, rc)) {
			rc = schedule_retry(outcome, svc, &j, error, err);
			goto out;
		}
		if (none) {
			rc = finish_failed(outcome, svc, &j, error, 1, err);
			goto out;
		}
		app_err_clear(&e);
		if (draw_cover(&img, svc, &svc->d.image_offline, &ireq, &e)) {
			describe_failure(what, sizeof(what), "fallback image", offline_image, &e);
			append_text(error, sizeof(error), what);
			rc = finish_failed(outcome, svc, &j, error, 1, err);
			goto out;
		}
		cover_by = offline_image;
	}
	aigen_result_set_cover_by(&res, cover_by);
	aigen_generator_describe(j.generator, sizeof(j.generator), res.generated_by_summary,
				 res.generated_by_price, res.generated_by_cover);
	rc = finish_success(outcome, svc, &j, &m, &res, &img, error, err);
out:
	aigen_result_dispose(&res);
	aigen_image_dispose(&img);
	aigen_draft_dispose(&fb);
	aigen_draft_dispose(&gen);
	aigen_prompts_dispose(&prompts);
	publishing_manuscript_dispose(&m);
	return rc;
}
