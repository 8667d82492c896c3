#include "fakes/fake_authors.h"
#include "fakes/fakes.h"

#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static int take_fail(fake_authors *f, app_err *err)
{
	int rc = f->fail_next;

	f->calls++;
	f->fail_next = 0;
	if (rc)
		app_err_set(err, rc, NULL, NULL, "canned failure");
	return rc;
}

static author_application *row(fake_authors *f, int64_t id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].id == id)
			return &f->rows[i];
	return NULL;
}

static void fa_rows_copy(void *dst, const void *src)
{
	fake_authors *d = dst;
	const fake_authors *f = src;

	for (size_t i = 0; i < f->n; i++)
		if (author_application_copy(&d->rows[i], &f->rows[i]))
			abort();
}

static void fa_rows_release(void *rows)
{
	fake_authors *f = rows;

	for (size_t i = 0; i < f->n; i++)
		author_application_dispose(&f->rows[i]);
}

static const fake_rows fa_rows = {
    .size = offsetof(fake_authors, fail_next),
    .state_size = sizeof(fake_authors),
    .copy = fa_rows_copy,
    .release = fa_rows_release,
};

static int copy_out(author_application *out, const author_application *a, app_err *err)
{
	if (author_application_copy(out, a))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	return 0;
}

static int fa_insert(void *self, uow_tx *tx, author_application *a, app_err *err)
{
	fake_authors *f = self;
	int rc;

	fake_tx_touch(tx, self, &fa_rows);
	if ((rc = take_fail(f, err)))
		return rc;
	if (f->n == FAKE_AUTHORS_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].member_id == a->member_id &&
		    author_app_blocks_new(f->rows[i].status))
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "live application exists");
	a->id = f->n ? f->rows[f->n - 1].id + 1 : 1;
	if ((rc = copy_out(&f->rows[f->n], a, err)))
		return rc;
	f->n++;
	return 0;
}

static int fa_find(author_application *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_authors *f = self;
	author_application *a;
	int rc;

	fake_tx_check(tx);
	if ((rc = take_fail(f, err)))
		return rc;
	if (!(a = row(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "application not found");
	return copy_out(out, a, err);
}

static int fa_find_latest(author_application *out, void *self, uow_tx *tx, int64_t member_id,
			  app_err *err)
{
	fake_authors *f = self;
	int rc;

	fake_tx_check(tx);
	if ((rc = take_fail(f, err)))
		return rc;
	for (size_t i = f->n; i-- > 0;)
		if (f->rows[i].member_id == member_id)
			return copy_out(out, &f->rows[i], err);
	return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "application not found");
}

static int fa_decide(void *self, uow_tx *tx, const author_application *a, app_err *err)
{
	fake_authors *f = self;
	author_application *cur, next;
	int rc;

	fake_tx_touch(tx, self, &fa_rows);
	if ((rc = take_fail(f, err)))
		return rc;
	if (!(cur = row(f, a->id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "application not found");
	if (cur->status != AUTHOR_APP_PENDING)
		return app_err_set(err, APP_ECONFLICT, "not_pending", NULL, "not pending");
	if ((rc = copy_out(&next, cur, err)))
		return rc;
	next.status = a->status;
	next.decided_by = a->decided_by;
	next.decided_at = a->decided_at;
	free(next.reason);
	next.reason = a->reason ? strdup(a->reason) : NULL;
	if (a->reason && !next.reason) {
		author_application_dispose(&next);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	author_application_dispose(cur);
	*cur = next;
	return 0;
}

static int fa_list(author_application *out, size_t *n, void *self, uow_tx *tx,
		   author_app_status status, int64_t before_id, size_t limit, app_err *err)
{
	fake_authors *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = take_fail(f, err)))
		return rc;
	for (size_t i = f->n; i-- > 0 && *n < limit;) {
		const author_application *a = &f->rows[i];

		if ((status && a->status != status) || (before_id > 0 && a->id >= before_id))
			continue;
		if ((rc = copy_out(&out[*n], a, err))) {
			while (*n > 0)
				author_application_dispose(&out[--*n]);
			return rc;
		}
		(*n)++;
	}
	return 0;
}

static const author_application_repo_vtbl fa_vtbl = {
    .insert = fa_insert,
    .find = fa_find,
    .find_latest = fa_find_latest,
    .decide = fa_decide,
    .list = fa_list,
};

author_application_repo fake_author_application_repo(fake_authors *f)
{
	return (author_application_repo){.vtbl = &fa_vtbl, .self = f};
}

void fake_authors_dispose(fake_authors *f)
{
	fa_rows_release(f);
	f->n = 0;
}
