#include "fakes/fake_manuscripts.h"
#include "fakes/fakes.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int take_fail(fake_manuscripts *f, app_err *err)
{
	int rc = f->fail_next;

	f->calls++;
	f->fail_next = 0;
	if (rc)
		app_err_set(err, rc, NULL, NULL, "canned failure");
	return rc;
}

static manuscript *row(fake_manuscripts *f, int64_t id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].id == id)
			return &f->rows[i];
	return NULL;
}

static void fm_rows_copy(void *dst, const void *src)
{
	fake_manuscripts *d = dst;
	const fake_manuscripts *f = src;

	for (size_t i = 0; i < f->n; i++)
		if (manuscript_copy(&d->rows[i], &f->rows[i]))
			abort();
	for (size_t i = 0; i < f->nrevs; i++)
		if (manuscript_revision_copy(&d->revs[i], &f->revs[i]))
			abort();
}

static void fm_rows_release(void *rows)
{
	fake_manuscripts *f = rows;

	for (size_t i = 0; i < f->n; i++)
		manuscript_dispose(&f->rows[i]);
	for (size_t i = 0; i < f->nrevs; i++)
		manuscript_revision_dispose(&f->revs[i]);
}

static const fake_rows fm_rows = {
    .size = offsetof(fake_manuscripts, fail_next),
    .state_size = sizeof(fake_manuscripts),
    .copy = fm_rows_copy,
    .release = fm_rows_release,
};

static int nomem(app_err *err)
{
	return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
}

static int fm_insert(void *self, uow_tx *tx, manuscript *m, app_err *err)
{
	fake_manuscripts *f = self;
	manuscript copy;
	int rc;

	fake_tx_touch(tx, self, &fm_rows);
	if ((rc = take_fail(f, err)))
		return rc;
	if (f->n == FAKE_MANUSCRIPTS_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	if (manuscript_copy(&copy, m))
		return nomem(err);
	if (!copy.content && !(copy.content = calloc(1, 1))) {
		manuscript_dispose(&copy);
		return nomem(err);
	}
	copy.id = m->id = ++f->next_id;
	f->rows[f->n++] = copy;
	return 0;
}

static int fm_find(manuscript *out, void *self, uow_tx *tx, int64_t id, int with_content,
		   app_err *err)
{
	fake_manuscripts *f = self;
	manuscript *m;
	int rc;

	fake_tx_check(tx);
	if ((rc = take_fail(f, err)))
		return rc;
	if (!(m = row(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "manuscript not found");
	if (manuscript_copy(out, m))
		return nomem(err);
	if (!with_content) {
		free(out->content);
		out->content = NULL;
		out->content_len = 0;
	}
	return 0;
}

static int fm_list(manuscript *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		   int64_t before_id, size_t limit, app_err *err)
{
	fake_manuscripts *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = take_fail(f, err)))
		return rc;
	for (size_t i = f->n; i-- > 0 && *n < limit;) {
		manuscript *m = &f->rows[i];

		if (m->author_id != author_id || (before_id > 0 && m->id >= before_id))
			continue;
		if (manuscript_copy(&out[*n], m)) {
			while (*n > 0)
				manuscript_dispose(&out[--*n]);
			return nomem(err);
		}
		free(out[*n].content);
		out[*n].content = NULL;
		out[*n].content_len = 0;
		(*n)++;
	}
	return 0;
}

static int fm_save_draft(void *self, uow_tx *tx, const manuscript *m, int64_t expected_revision,
			 app_err *err)
{
	fake_manuscripts *f = self;
	manuscript *cur;
	char *c;
	int rc;

	fake_tx_touch(tx, self, &fm_rows);
	if ((rc = take_fail(f, err)))
		return rc;
	if (!(cur = row(f, m->id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "manuscript not found");
	if (cur->status != MANUSCRIPT_DRAFT || cur->revision != expected_revision)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "the manuscript changed");
	if (!(c = malloc(m->content_len + 1)))
		return nomem(err);
	if (m->content_len)
		memcpy(c, m->content, m->content_len);
	c[m->content_len] = '\0';
	free(cur->content);
	cur->content = c;
	cur->content_len = m->content_len;
	memcpy(cur->title, m->title, sizeof(cur->title));
	cur->revision = m->revision;
	cur->updated_at = m->updated_at;
	return 0;
}

static int fm_set_status(void *self, uow_tx *tx, const manuscript *m, manuscript_status from,
			 app_err *err)
{
	fake_manuscripts *f = self;
	manuscript *cur;
	char *e = NULL;
	int rc;

	fake_tx_touch(tx, self, &fm_rows);
	if ((rc = take_fail(f, err)))
		return rc;
	if (!(cur = row(f, m->id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "manuscript not found");
	if (cur->status != from)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "the manuscript changed");
	if (m->error && !(e = strdup(m->error)))
		return nomem(err);
	free(cur->error);
	cur->error = e;
	cur->status = m->status;
	cur->book_id = m->book_id;
	cur->episode_number = m->episode_number;
	cur->publish_at = m->publish_at;
	cur->updated_at = m->updated_at;
	return 0;
}

static int fm_last_episode(int64_t *out, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	fake_manuscripts *f = self;
	int rc;

	fake_tx_check(tx);
	if ((rc = take_fail(f, err)))
		return rc;
	*out = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].book_id == book_id && f->rows[i].episode_number > *out)
			*out = f->rows[i].episode_number;
	return 0;
}

static void drop_revision(fake_manuscripts *f, size_t i)
{
	manuscript_revision_dispose(&f->revs[i]);
	memmove(&f->revs[i], &f->revs[i + 1], (f->nrevs - i - 1) * sizeof(f->revs[0]));
	f->nrevs--;
}

static int fm_remove(void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_manuscripts *f = self;
	manuscript *m;
	int rc;

	fake_tx_touch(tx, self, &fm_rows);
	if ((rc = take_fail(f, err)))
		return rc;
	if (!(m = row(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "manuscript not found");
	manuscript_dispose(m);
	memmove(m, m + 1, (size_t)(&f->rows[f->n] - (m + 1)) * sizeof(*m));
	f->n--;
	for (size_t i = f->nrevs; i-- > 0;)
		if (f->revs[i].manuscript_id == id)
			drop_revision(f, i);
	return 0;
}

static int fm_add_revision(void *self, uow_tx *tx, const manuscript_revision *r, size_t keep,
			   app_err *err)
{
	fake_manuscripts *f = self;
	size_t count = 0;
	int rc;

	fake_tx_touch(tx, self, &fm_rows);
	if ((rc = take_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->nrevs; i++)
		if (f->revs[i].manuscript_id == r->manuscript_id &&
		    f->revs[i].revision == r->revision)
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "revision exists");
	if (f->nrevs == FAKE_REVISIONS_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	if (manuscript_revision_copy(&f->revs[f->nrevs], r))
		return nomem(err);
	if (!f->revs[f->nrevs].content && !(f->revs[f->nrevs].content = calloc(1, 1)))
		return nomem(err);
	f->nrevs++;
	/* Revisions of one manuscript are appended in increasing order: drop the oldest. */
	for (size_t i = f->nrevs; i-- > 0;)
		if (f->revs[i].manuscript_id == r->manuscript_id && ++count > keep)
			drop_revision(f, i);
	return 0;
}

static int fm_list_revisions(manuscript_revision *out, size_t *n, void *self, uow_tx *tx,
			     int64_t manuscript_id, int64_t before_revision, size_t limit,
			     app_err *err)
{
	fake_manuscripts *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = take_fail(f, err)))
		return rc;
	for (size_t i = f->nrevs; i-- > 0 && *n < limit;) {
		const manuscript_revision *r = &f->revs[i];

		if (r->manuscript_id != manuscript_id ||
		    (before_revision > 0 && r->revision >= before_revision))
			continue;
		out[*n] = *r;
		out[*n].content = NULL;
		out[*n].content_len = 0;
		(*n)++;
	}
	return 0;
}

static int fm_find_revision(manuscript_revision *out, void *self, uow_tx *tx, int64_t manuscript_id,
			    int64_t revision, app_err *err)
{
	fake_manuscripts *f = self;
	int rc;

	fake_tx_check(tx);
	if ((rc = take_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->nrevs; i++)
		if (f->revs[i].manuscript_id == manuscript_id && f->revs[i].revision == revision)
			return manuscript_revision_copy(out, &f->revs[i]) ? nomem(err) : 0;
	return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "revision not found");
}

static const manuscript_repo_vtbl fm_vtbl = {
    .insert = fm_insert,
    .find = fm_find,
    .list = fm_list,
    .save_draft = fm_save_draft,
    .set_status = fm_set_status,
    .last_episode = fm_last_episode,
    .remove = fm_remove,
    .add_revision = fm_add_revision,
    .list_revisions = fm_list_revisions,
    .find_revision = fm_find_revision,
};

manuscript_repo fake_manuscript_repo(fake_manuscripts *f)
{
	return (manuscript_repo){.vtbl = &fm_vtbl, .self = f};
}

void fake_manuscripts_dispose(fake_manuscripts *f)
{
	fm_rows_release(f);
	f->n = f->nrevs = 0;
}
