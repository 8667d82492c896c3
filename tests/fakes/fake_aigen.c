#include "fakes/fake_aigen.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int take_fail(int *fail_next, app_err *err)
{
	int rc = *fail_next;

	*fail_next = 0;
	if (rc)
		app_err_set(err, rc, NULL, NULL, "canned failure");
	return rc;
}

/* --- jobs ---------------------------------------------------------------------------------- */

static aigen_job *job_find(fake_aigen_jobs *f, int64_t id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].id == id)
			return &f->rows[i];
	return NULL;
}

static const fake_rows fj_rows = {.size = offsetof(fake_aigen_jobs, fail_next),
				  .state_size = sizeof(fake_aigen_jobs)};
static const fake_rows fp_rows = {.size = offsetof(fake_publishing, publishes),
				  .state_size = sizeof(fake_publishing)};

static int fj_insert(void *self, uow_tx *tx, aigen_job *j, app_err *err)
{
	fake_aigen_jobs *f = self;
	int rc;

	fake_tx_touch(tx, self, &fj_rows);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; j->kind == AIGEN_JOB_PUBLISH && i < f->n; i++)
		if (f->rows[i].kind == AIGEN_JOB_PUBLISH &&
		    f->rows[i].manuscript_id == j->manuscript_id)
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "job exists");
	if (f->n == FAKE_AIGEN_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	j->id = (int64_t)f->n + 1;
	f->rows[f->n++] = *j;
	return 0;
}

static int fj_find(aigen_job *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_aigen_jobs *f = self;
	aigen_job *j;
	int rc;

	fake_tx_check(tx);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (!(j = job_find(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such job");
	*out = *j;
	return 0;
}

static int fj_find_by_manuscript(aigen_job *out, void *self, uow_tx *tx, int64_t manuscript_id,
				 app_err *err)
{
	fake_aigen_jobs *f = self;
	int rc;

	fake_tx_check(tx);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].kind == AIGEN_JOB_PUBLISH &&
		    f->rows[i].manuscript_id == manuscript_id) {
			*out = f->rows[i];
			return 0;
		}
	return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such job");
}

static int fj_regenerations(int64_t *count, aigen_job *pending, int *has_pending, void *self,
			    uow_tx *tx, int64_t book_id, app_err *err)
{
	fake_aigen_jobs *f = self;
	int rc;

	fake_tx_check(tx);
	f->calls++;
	*count = 0;
	*has_pending = 0;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++) {
		const aigen_job *j = &f->rows[i];

		if (j->kind != AIGEN_JOB_REGENERATE || j->book_id != book_id)
			continue;
		++*count;
		if (j->status == AIGEN_JOB_QUEUED || j->status == AIGEN_JOB_RUNNING) {
			*pending = *j;
			*has_pending = 1;
		}
	}
	return 0;
}

static int due(const aigen_job *j, int64_t now)
{
	return (j->status == AIGEN_JOB_QUEUED && j->next_attempt_at <= now) ||
	       (j->status == AIGEN_JOB_RUNNING && j->lease_until < now);
}

static int fj_claim(aigen_job *out, void *self, uow_tx *tx, int64_t now, int64_t lease_until,
		    app_err *err)
{
	fake_aigen_jobs *f = self;
	aigen_job *best = NULL;
	int rc;

	fake_tx_touch(tx, self, &fj_rows);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++) {
		aigen_job *j = &f->rows[i];

		if (due(j, now) &&
		    (!best || j->next_attempt_at < best->next_attempt_at ||
		     (j->next_attempt_at == best->next_attempt_at && j->id < best->id)))
			best = j;
	}
	if (!best)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no job is due");
	best->status = AIGEN_JOB_RUNNING;
	best->attempts++;
	best->lease_until = lease_until;
	best->updated_at = now;
	*out = *best;
	return 0;
}

static int fj_update(void *self, uow_tx *tx, const aigen_job *j, aigen_job_status from,
		     int64_t from_lease, app_err *err)
{
	fake_aigen_jobs *f = self;
	aigen_job *row;
	int rc;

	fake_tx_touch(tx, self, &fj_rows);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (!(row = job_find(f, j->id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such job");
	if (row->status != from || row->lease_until != from_lease)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "the job changed meanwhile");
	row->status = j->status;
	row->attempts = j->attempts;
	row->next_attempt_at = j->next_attempt_at;
	row->lease_until = j->lease_until;
	snprintf(row->last_error, sizeof(row->last_error), "%s", j->last_error);
	snprintf(row->generator, sizeof(row->generator), "%s", j->generator);
	row->updated_at = j->updated_at;
	return 0;
}

static int fj_release_running(size_t *n, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	fake_aigen_jobs *f = self;
	int rc;

	fake_tx_touch(tx, self, &fj_rows);
	*n = 0;
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++) {
		aigen_job *j = &f->rows[i];

		if (j->status != AIGEN_JOB_RUNNING)
			continue;
		j->status = AIGEN_JOB_QUEUED;
		j->lease_until = 0;
		j->next_attempt_at = now;
		j->updated_at = now;
		(*n)++;
	}
	return 0;
}

static int fj_next_due(int64_t *at, void *self, uow_tx *tx, app_err *err)
{
	fake_aigen_jobs *f = self;
	int found = 0, rc;

	fake_tx_check(tx);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].status == AIGEN_JOB_QUEUED &&
		    (!found || f->rows[i].next_attempt_at < *at)) {
			*at = f->rows[i].next_attempt_at;
			found = 1;
		}
	return found ? 0 : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no job is queued");
}

static int fj_list(aigen_job *out, size_t *n, void *self, uow_tx *tx, int status, int64_t before_id,
		   size_t limit, app_err *err)
{
	fake_aigen_jobs *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	/* ids grow with insertion: walk backwards for newest first */
	for (size_t i = f->n; i > 0 && *n < limit; i--) {
		const aigen_job *j = &f->rows[i - 1];

		if ((status < 0 || (int)j->status == status) &&
		    (before_id <= 0 || j->id < before_id))
			out[(*n)++] = *j;
	}
	return 0;
}

static int fj_counts(int64_t out[AIGEN_JOB_STATUS_COUNT], void *self, uow_tx *tx, app_err *err)
{
	fake_aigen_jobs *f = self;
	int rc;

	fake_tx_check(tx);
	memset(out, 0, sizeof(int64_t) * AIGEN_JOB_STATUS_COUNT);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		out[f->rows[i].status]++;
	return 0;
}

static fake_kept_text *kept_find(fake_aigen_jobs *f, int64_t id)
{
	for (size_t i = 0; i < FAKE_AIGEN_TEXTS; i++)
		if (f->texts[i].job_id == id)
			return &f->texts[i];
	return NULL;
}

static int fj_keep_text(void *self, uow_tx *tx, int64_t id, const aigen_result *t, app_err *err)
{
	fake_aigen_jobs *f = self;
	fake_kept_text *k;
	int rc;

	fake_tx_touch(tx, self, &fj_rows);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (!job_find(f, id))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such job");
	if (!(k = kept_find(f, id)) && !(k = kept_find(f, 0)))
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	memset(k, 0, sizeof(*k));
	k->job_id = id;
	snprintf(k->summary, sizeof(k->summary), "%s", t->summary ? t->summary : "");
	snprintf(k->tagline, sizeof(k->tagline), "%s", t->tagline ? t->tagline : "");
	snprintf(k->price_reason, sizeof(k->price_reason), "%s",
		 t->price_reason ? t->price_reason : "");
	snprintf(k->cover_prompt, sizeof(k->cover_prompt), "%s",
		 t->cover_prompt ? t->cover_prompt : "");
	k->fixed = *t;
	k->fixed.summary = k->fixed.tagline = k->fixed.price_reason = k->fixed.cover_prompt = NULL;
	return 0;
}

static int fj_kept_text(aigen_result *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_aigen_jobs *f = self;
	const fake_kept_text *k;
	int rc;

	fake_tx_check(tx);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (!(k = kept_find(f, id)) || id == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no text kept");
	*out = k->fixed;
	out->summary = strdup(k->summary);
	out->tagline = strdup(k->tagline);
	out->price_reason = strdup(k->price_reason);
	out->cover_prompt = strdup(k->cover_prompt);
	if (!out->summary || !out->tagline || !out->price_reason || !out->cover_prompt) {
		aigen_result_dispose(out);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	return 0;
}

static int fj_drop_text(void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_aigen_jobs *f = self;
	fake_kept_text *k;
	int rc;

	fake_tx_touch(tx, self, &fj_rows);
	f->calls++;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (id != 0 && (k = kept_find(f, id)))
		memset(k, 0, sizeof(*k));
	return 0;
}

static const aigen_job_repo_vtbl fj_vtbl = {
    .insert = fj_insert,
    .find = fj_find,
    .find_by_manuscript = fj_find_by_manuscript,
    .regenerations = fj_regenerations,
    .claim = fj_claim,
    .update = fj_update,
    .release_running = fj_release_running,
    .next_due = fj_next_due,
    .list = fj_list,
    .counts = fj_counts,
    .keep_text = fj_keep_text,
    .kept_text = fj_kept_text,
    .drop_text = fj_drop_text,
};

aigen_job_repo fake_aigen_job_repo(fake_aigen_jobs *f)
{
	return (aigen_job_repo){.vtbl = &fj_vtbl, .self = f};
}

/* --- publishing ---------------------------------------------------------------------------- */

fake_pub_manuscript *fake_publishing_ms(fake_publishing *f, int64_t id)
{
	for (size_t i = 0; i < f->nms; i++)
		if (f->ms[i].id == id)
			return &f->ms[i];
	return NULL;
}

int64_t fake_publishing_add(fake_publishing *f, const char *title, const char *content)
{
	fake_pub_manuscript *m = &f->ms[f->nms++];

	memset(m, 0, sizeof(*m));
	m->id = (int64_t)f->nms;
	m->author_id = 1;
	m->state = PUBLISHING_MS_SUBMITTED;
	snprintf(m->title, sizeof(m->title), "%s", title);
	snprintf(m->pen_name, sizeof(m->pen_name), "김작가");
	m->content = content;
	return m->id;
}

static char *dup_or_null(const char *s, int *nomem)
{
	char *d = strdup(s ? s : "");

	if (!d)
		*nomem = 1;
	return d;
}

static int fp_load(publishing_manuscript *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_pub_manuscript *m = fake_publishing_ms(self, id);
	int nomem = 0;

	fake_tx_check(tx);
	memset(out, 0, sizeof(*out));
	if (!m)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such manuscript");
	out->id = m->id;
	out->author_id = m->author_id;
	out->book_id = m->book_id;
	out->state = m->state;
	out->serial = m->serial;
	out->work_id = m->work_id;
	out->episode_number = m->episode_number;
	out->publish_at = m->publish_at;
	out->title = dup_or_null(m->title, &nomem);
	out->pen_name = dup_or_null(m->pen_name, &nomem);
	out->content = dup_or_null(m->content, &nomem);
	out->content_len = out->content ? strlen(out->content) : 0;
	if (nomem) {
		publishing_manuscript_dispose(out);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	return 0;
}

static int fp_mark(fake_publishing *f, uow_tx *tx, int64_t id, publishing_ms_state to,
		   const char *error, app_err *err)
{
	fake_pub_manuscript *m = fake_publishing_ms(f, id);

	fake_tx_touch(tx, f, &fp_rows);
	if (!m)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such manuscript");
	if (m->state == to)
		return 0;
	if (m->state != PUBLISHING_MS_SUBMITTED && m->state != PUBLISHING_MS_GENERATING)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "bad transition");
	m->state = to;
	if (error)
		snprintf(m->error, sizeof(m->error), "%s", error);
	return 0;
}

static int fp_mark_generating(void *self, uow_tx *tx, int64_t id, app_err *err)
{
	return fp_mark(self, tx, id, PUBLISHING_MS_GENERATING, NULL, err);
}

static int fp_mark_failed(void *self, uow_tx *tx, int64_t id, const char *error, app_err *err)
{
	return fp_mark(self, tx, id, PUBLISHING_MS_FAILED, error, err);
}

static int fp_publish(int64_t *book_id, void *self, uow_tx *tx, const publishing_book *b,
		      app_err *err)
{
	fake_publishing *f = self;
	fake_pub_manuscript *m = fake_publishing_ms(f, b->manuscript_id);
	fake_pub_book *bk;
	domain_event ev;
	int rc;

	fake_tx_touch(tx, f, &fp_rows);
	f->publishes++;
	if ((rc = take_fail(&f->fail_publish, err)))
		return rc;
	for (size_t i = 0; i < f->nbooks; i++)
		if (f->books[i].manuscript_id == b->manuscript_id) {
			*book_id = f->books[i].id; /* one book per manuscript, ever */
			return 0;
		}
	if (!b->summary || !b->cover || !b->cover_len || !b->gen_summary || !b->gen_price ||
	    !b->gen_cover)
		return app_err_set(err, APP_EINVALID, NULL, NULL, "a book needs every part");
	bk = &f->books[f->nbooks++];
	memset(bk, 0, sizeof(*bk));
	bk->id = 100 + (int64_t)f->nbooks;
	bk->manuscript_id = b->manuscript_id;
	bk->price = b->price;
	snprintf(bk->summary, sizeof(bk->summary), "%s", b->summary);
	snprintf(bk->tagline, sizeof(bk->tagline), "%s", b->tagline ? b->tagline : "");
	snprintf(bk->price_reason, sizeof(bk->price_reason), "%s",
		 b->price_reason ? b->price_reason : "");
	snprintf(bk->cover_mime, sizeof(bk->cover_mime), "%s", b->cover_mime);
	snprintf(bk->gen_summary, sizeof(bk->gen_summary), "%s", b->gen_summary);
	snprintf(bk->gen_price, sizeof(bk->gen_price), "%s", b->gen_price);
	snprintf(bk->gen_cover, sizeof(bk->gen_cover), "%s", b->gen_cover);
	bk->cover_len = b->cover_len;
	bk->serial = b->serial;
	snprintf(bk->genre, sizeof(bk->genre), "%s", b->genre ? b->genre : "");
	memcpy(bk->cover_head, b->cover,
	       b->cover_len < sizeof(bk->cover_head) - 1 ? b->cover_len
							 : sizeof(bk->cover_head) - 1);
	/* the manuscripts core marks it published on book.published */
	if (m) {
		m->state = PUBLISHING_MS_PUBLISHED;
		m->book_id = bk->id;
	}
	if (f->outbox) {
		event_publisher pub = fake_publisher(f->outbox);

		domain_event_init(&ev, "book.published");
		domain_event_add_int(&ev, "bookId", bk->id);
		domain_event_add_int(&ev, "manuscriptId", bk->manuscript_id);
		rc = event_publish(&pub, tx, &ev, err);
		domain_event_dispose(&ev);
		if (rc)
			return rc;
	}
	*book_id = bk->id;
	return 0;
}

static int fp_publish_episode(void *self, uow_tx *tx, const publishing_episode *e, app_err *err)
{
	fake_publishing *f = self;
	fake_pub_manuscript *m = fake_publishing_ms(f, e->manuscript_id);
	fake_pub_episode *ep;
	int rc;

	fake_tx_touch(tx, f, &fp_rows);
	f->publishes++;
	if ((rc = take_fail(&f->fail_publish, err)))
		return rc;
	for (size_t i = 0; i < f->nepisodes; i++)
		if (f->episodes[i].manuscript_id == e->manuscript_id)
			return 0; /* one episode per manuscript, ever */
	if (!e->summary || !e->content || e->number < 2 || f->nepisodes == FAKE_AIGEN_CAP)
		return app_err_set(err, APP_EINVALID, NULL, NULL, "an episode needs every part");
	ep = &f->episodes[f->nepisodes++];
	memset(ep, 0, sizeof(*ep));
	ep->manuscript_id = e->manuscript_id;
	ep->book_id = e->book_id;
	ep->number = e->number;
	ep->publish_at = e->publish_at;
	snprintf(ep->summary, sizeof(ep->summary), "%s", e->summary);
	snprintf(ep->gen_summary, sizeof(ep->gen_summary), "%s",
		 e->gen_summary ? e->gen_summary : "");
	if (m)
		m->state = PUBLISHING_MS_PUBLISHED;
	return 0;
}

static fake_pub_book *fp_book(fake_publishing *f, int64_t id)
{
	for (size_t i = 0; i < f->nbooks; i++)
		if (f->books[i].id == id)
			return &f->books[i];
	return NULL;
}

static int fp_load_work(publishing_work *out, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	fake_publishing *f = self;
	fake_pub_book *b = fp_book(f, book_id);
	fake_pub_manuscript *m = b ? fake_publishing_ms(f, b->manuscript_id) : NULL;

	fake_tx_check(tx);
	if (!b)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	*out = (publishing_work){
	    .id = b->id,
	    .author_id = m ? m->author_id : 0,
	    .manuscript_id = b->manuscript_id,
	    .per_episode = b->serial,
	    .authors_cover = b->authors_cover,
	};
	return 0;
}

static int fp_apply_regenerated(void *self, uow_tx *tx, const publishing_regen *r, app_err *err)
{
	fake_publishing *f = self;
	fake_pub_book *b = fp_book(f, r->book_id);
	int rc;

	fake_tx_touch(tx, f, &fp_rows);
	f->regenerations++;
	if ((rc = take_fail(&f->fail_publish, err)))
		return rc;
	if (!b)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	f->regen_parts = r->parts;
	if (r->parts & AIGEN_REGEN_SUMMARY)
		snprintf(b->summary, sizeof(b->summary), "%s", r->summary);
	if (r->parts & AIGEN_REGEN_TAGLINE)
		snprintf(b->tagline, sizeof(b->tagline), "%s", r->tagline);
	if (r->parts & AIGEN_REGEN_PRICE) {
		b->price = r->price;
		snprintf(b->price_reason, sizeof(b->price_reason), "%s", r->price_reason);
	}
	if (r->parts & AIGEN_REGEN_COVER) {
		if (!r->cover || !r->cover->len)
			return app_err_set(err, APP_EINVALID, NULL, NULL, "a cover was asked for");
		b->cover_len = r->cover->len;
		b->authors_cover = 0;
		snprintf(b->cover_by, sizeof(b->cover_by), "%s", r->cover_by);
	}
	return 0;
}

static const publishing_port_vtbl fp_vtbl = {
    .load = fp_load,
    .mark_generating = fp_mark_generating,
    .mark_failed = fp_mark_failed,
    .publish = fp_publish,
    .publish_episode = fp_publish_episode,
    .load_work = fp_load_work,
    .apply_regenerated = fp_apply_regenerated,
};

publishing_port fake_publishing_port(fake_publishing *f)
{
	return (publishing_port){.vtbl = &fp_vtbl, .self = f};
}
