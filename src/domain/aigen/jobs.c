#include "domain/aigen/jobs.h"

#include "domain/aigen/jobs_internal.h"

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
	    .episode_price_min = 100,
	    .episode_price_max = 500,
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
	if (svc->cfg.episode_price_max <= 0) {
		svc->cfg.episode_price_min = 100;
		svc->cfg.episode_price_max = 500;
	}
	assert(svc->cfg.episode_price_min <= svc->cfg.episode_price_max);
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

int64_t aigen_now_ms(aigen_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

void aigen_copy_text(char *dst, size_t cap, const char *s)
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

const char *aigen_or_empty(const char *s)
{
	return s ? s : "";
}

void aigen_generator_describe(char *out, size_t cap, const char *summary_by, const char *price_by,
			      const char *cover_by)
{
	char buf[AIGEN_JOB_GENERATOR_MAX * 2];

	summary_by = aigen_or_empty(summary_by);
	price_by = aigen_or_empty(price_by);
	cover_by = aigen_or_empty(cover_by);
	if (!strcmp(summary_by, price_by) && !strcmp(price_by, cover_by))
		snprintf(buf, sizeof(buf), "%s", summary_by);
	else
		snprintf(buf, sizeof(buf), "summary=%s, price=%s, cover=%s", summary_by, price_by,
			 cover_by);
	if (cap)
		aigen_copy_text(out, cap, buf);
}

/* --- enqueue, claim, recover, list ------------------------------------------------------- */

int aigen_enqueue(aigen_job *out, int *queued, aigen_service *svc, int64_t manuscript_id,
		  app_err *err)
{
	publishing_manuscript m;
	aigen_job j;
	int64_t now = aigen_now_ms(svc), lease;
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
	int64_t now = aigen_now_ms(svc);
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = aigen_job_repo_claim(out, &svc->d.jobs, tx, now, now + svc->cfg.lease_ms, err);
	return uow_finish(tx, rc, err);
}

int aigen_get(aigen_job *out, aigen_service *svc, int64_t id, app_err *err)
{
	return aigen_job_repo_find(out, &svc->d.jobs, NULL, id, err);
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
	rc = aigen_job_repo_release_running(&count, &svc->d.jobs, tx, aigen_now_ms(svc), err);
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
