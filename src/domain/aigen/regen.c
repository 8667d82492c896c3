/*
 * Asking the generator again for parts of a published work (aigen_regenerate):
 * a job of kind regenerate on the same queue and workers as publishing. The
 * run itself is run.c's, which applies the result through the publishing port.
 */
#include "domain/aigen/jobs.h"

#include <stdio.h>
#include <string.h>

/* The pending regeneration, the author's cover: the refusals of the header comment. */
static int refusal(const publishing_work *w, int has_pending, unsigned parts,
		   int replace_authors_cover, app_err *err)
{
	if (has_pending)
		return app_err_set(err, APP_ECONFLICT, "regeneration_queued", NULL,
				   "a regeneration of this work is already queued");
	if ((parts & AIGEN_REGEN_COVER) && w->authors_cover && !replace_authors_cover)
		return app_err_set(err, APP_ECONFLICT, "authors_cover", "parts",
				   "the cover is your own: say replaceAuthorsCover to have "
				   "the generator draw a new one");
	return 0;
}

static int queued_event(aigen_service *svc, uow_tx *tx, const aigen_job *j, app_err *err)
{
	char names[64] = "";
	domain_event ev;

	for (unsigned bit = 1; bit & AIGEN_REGEN_ALL; bit <<= 1)
		if (j->parts & bit)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 names[0] ? "," : "", aigen_regen_part_name(bit));
	domain_event_init(&ev, "ai.regeneration_queued");
	domain_event_add_int(&ev, "jobId", j->id);
	domain_event_add_int(&ev, "bookId", j->book_id);
	domain_event_add_int(&ev, "by", j->requested_by);
	domain_event_add_str(&ev, "parts", names);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

static int regenerate_in(aigen_job *j, aigen_service *svc, uow_tx *tx, int64_t member_id,
			 int64_t book_id, unsigned parts, int replace_authors_cover, app_err *err)
{
	publishing_work w;
	aigen_job pending;
	int64_t count = 0, now = aigen_now_ms(svc);
	int has_pending = 0, rc;

	if ((rc = publishing_load_work(&w, &svc->d.publishing, tx, book_id, err)))
		return rc;
	if (w.author_id != member_id)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	if ((rc = aigen_job_repo_regenerations(&count, &pending, &has_pending, &svc->d.jobs, tx,
					       book_id, err)) ||
	    (rc = refusal(&w, has_pending, parts, replace_authors_cover, err)))
		return rc;
	memset(j, 0, sizeof(*j));
	j->kind = AIGEN_JOB_REGENERATE;
	j->manuscript_id = w.manuscript_id;
	j->book_id = book_id;
	j->parts = parts;
	j->variant = count + 1;
	j->requested_by = member_id;
	j->status = AIGEN_JOB_QUEUED;
	j->next_attempt_at = now;
	j->created_at = j->updated_at = now;
	if ((rc = aigen_job_repo_insert(&svc->d.jobs, tx, j, err)))
		return rc;
	return queued_event(svc, tx, j, err);
}

int aigen_regenerate(aigen_job *out, aigen_service *svc, int64_t member_id, int64_t book_id,
		     unsigned parts, int replace_authors_cover, app_err *err)
{
	aigen_job j;
	uow_tx *tx;
	int rc;

	if (member_id <= 0)
		return app_err_set(err, APP_EUNAUTH, "unauthenticated", NULL, "sign in first");
	if (!parts || (parts & ~(unsigned)AIGEN_REGEN_ALL))
		return app_err_set(err, APP_EINVALID, "validation_failed", "parts",
				   "parts must name summary, tagline, price or cover");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = regenerate_in(&j, svc, tx, member_id, book_id, parts, replace_authors_cover, err);
	if ((rc = uow_finish(tx, rc, err)) == 0 && out)
		*out = j;
	return rc;
}
