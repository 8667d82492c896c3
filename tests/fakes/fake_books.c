#include "fakes/fake_books.h"

#include <stddef.h>
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

static void fb_rows_copy(void *dst, const void *src)
{
	fake_books *d = dst;
	const fake_books *f = src;

	for (size_t i = 0; i < f->n; i++) {
		d->rows[i].content = strdup(f->rows[i].content);
		d->rows[i].cover = malloc(f->rows[i].cover_len);
		if (!d->rows[i].content || !d->rows[i].cover)
			abort();
		memcpy(d->rows[i].cover, f->rows[i].cover, f->rows[i].cover_len);
	}
}

static void fb_rows_release(void *rows)
{
	fake_books *f = rows;

	for (size_t i = 0; i < f->n; i++) {
		free(f->rows[i].content);
		free(f->rows[i].cover);
	}
}

static const fake_rows fb_rows = {
    .size = offsetof(fake_books, fail_next),
    .state_size = sizeof(fake_books),
    .copy = fb_rows_copy,
    .release = fb_rows_release,
};

static fake_book_row *row_of(fake_books *f, int64_t id)
{
	return id >= 1 && id <= (int64_t)f->n ? &f->rows[id - 1] : NULL;
}

static int fb_insert(void *self, uow_tx *tx, book *b, const char *content, size_t content_len,
		     const unsigned char *cover, size_t cover_len, app_err *err)
{
	fake_books *f = self;
	fake_book_row *r;
	int rc;

	fake_tx_touch(tx, self, &fb_rows);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].b.manuscript_id == b->manuscript_id) {
			b->id = f->rows[i].b.id;
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "has a book");
		}
	if (f->n == FAKE_BOOKS_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	r = &f->rows[f->n];
	b->id = (int64_t)++f->n;
	b->views = 0;
	b->bestseller = 0;
	r->b = *b;
	r->content = malloc(content_len + 1);
	r->cover = malloc(cover_len);
	if (!r->content || !r->cover)
		abort();
	memcpy(r->content, content, content_len);
	r->content[content_len] = '\0';
	memcpy(r->cover, cover, cover_len);
	r->cover_len = cover_len;
	return 0;
}

static int fb_find(book *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_books *f = self;
	fake_book_row *r;
	int rc;

	fake_tx_check(tx);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (!(r = row_of(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	*out = r->b;
	return 0;
}

static int contains(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL; /* ASCII case-insensitive, like the store */
}

static int matches(const book *b, const book_query *q)
{
	if (q->author_id && b->author_id != q->author_id)
		return 0;
	if (q->sort == BOOK_SORT_BESTSELLERS && !b->bestseller)
		return 0;
	if (q->q && !contains(b->title, q->q) && !contains(b->author_name, q->q) &&
	    !contains(b->summary, q->q))
		return 0;
	if (q->after.id == 0)
		return 1;
	if (q->sort == BOOK_SORT_NEW || q->author_id)
		return b->id < q->after.id;
	return b->views < q->after.views || (b->views == q->after.views && b->id < q->after.id);
}

/* Orders like the real store: newest first, or views then id descending. */
static int before(const book *a, const book *b, const book_query *q)
{
	if (q->sort == BOOK_SORT_NEW || q->author_id)
		return a->id > b->id;
	return a->views > b->views || (a->views == b->views && a->id > b->id);
}

static int fb_list(book *out, size_t *n, void *self, uow_tx *tx, const book_query *q, app_err *err)
{
	fake_books *f = self;
	book *all;
	size_t m = 0;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (!(all = malloc((f->n + 1) * sizeof(*all))))
		abort();
	for (size_t i = 0; i < f->n; i++) { /* insertion sort of the matches */
		size_t k = m++;

		if (!matches(&f->rows[i].b, q)) {
			m--;
			continue;
		}
		for (; k > 0 && before(&f->rows[i].b, &all[k - 1], q); k--)
			all[k] = all[k - 1];
		all[k] = f->rows[i].b;
	}
	for (; *n < m && *n < q->limit; (*n)++)
		out[*n] = all[*n];
	free(all);
	return 0;
}

static int fb_content(char **out, size_t *len, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_book_row *r = row_of(self, id);

	fake_tx_check(tx);
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	*len = strlen(r->content);
	*out = strdup(r->content);
	return *out ? 0 : APP_ENOMEM;
}

static int fb_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], void *self,
		    uow_tx *tx, int64_t id, app_err *err)
{
	fake_book_row *r = row_of(self, id);

	fake_tx_check(tx);
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	*data = malloc(r->cover_len);
	if (!*data)
		abort();
	memcpy(*data, r->cover, r->cover_len);
	*len = r->cover_len;
	memcpy(mime, r->b.cover_mime, 32);
	memcpy(etag, r->b.cover_etag, 48);
	return 0;
}

static int fb_mark_view(int *counted, void *self, uow_tx *tx, const book_view *v, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_touch(tx, self, &fb_rows);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	*counted = 0;
	for (size_t i = 0; i < f->nmarks; i++)
		if (f->marks[i].member_id == v->member_id && f->marks[i].book_id == v->book_id &&
		    f->marks[i].day == v->day)
			return 0;
	if (f->nmarks == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	f->marks[f->nmarks++] = *v;
	*counted = 1;
	return 0;
}

static int fb_add_views(int64_t *total, void *self, uow_tx *tx, int64_t book_id, int64_t n,
			app_err *err)
{
	fake_book_row *r = row_of(self, book_id);

	fake_tx_touch(tx, self, &fb_rows);
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	r->b.views += n;
	*total = r->b.views;
	return 0;
}

static int fb_mark_bestseller(int *changed, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	fake_book_row *r = row_of(self, book_id);

	fake_tx_touch(tx, self, &fb_rows);
	(void)err;
	*changed = r && !r->b.bestseller;
	if (r)
		r->b.bestseller = 1;
	return 0;
}

static book_entitlement *ent_of(fake_books *f, int64_t member_id, int64_t book_id)
{
	for (size_t i = 0; i < f->nents; i++)
		if (f->ents[i].member_id == member_id && f->ents[i].book_id == book_id)
			return &f->ents[i];
	return NULL;
}

static int fb_grant(void *self, uow_tx *tx, const book_entitlement *e, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_touch(tx, self, &fb_rows);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (ent_of(f, e->member_id, e->book_id))
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "owned");
	if (f->nents == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	f->ents[f->nents] = *e;
	f->ents[f->nents].id = (int64_t)f->nents + 1;
	f->nents++;
	return 0;
}

static int fb_owns(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, app_err *err)
{
	fake_tx_check(tx);
	(void)err;
	return ent_of(self, member_id, book_id) != NULL;
}

static int fb_entitlement(book_entitlement *out, void *self, uow_tx *tx, int64_t member_id,
			  int64_t book_id, app_err *err)
{
	book_entitlement *e = ent_of(self, member_id, book_id);

	fake_tx_check(tx);
	if (!e)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "not owned");
	*out = *e;
	return 0;
}

static int fb_library(book *out, book_entitlement *ents, size_t *n, void *self, uow_tx *tx,
		      int64_t member_id, int64_t before_id, size_t limit, app_err *err)
{
	fake_books *f = self;

	fake_tx_check(tx);
	(void)err;
	*n = 0;
	for (size_t i = f->nents; i-- > 0 && *n < limit;) {
		book_entitlement *e = &f->ents[i];

		if (e->member_id != member_id || (before_id > 0 && e->id >= before_id))
			continue;
		out[*n] = row_of(f, e->book_id)->b;
		ents[(*n)++] = *e;
	}
	return 0;
}

static const book_repo_vtbl fb_vtbl = {
    .insert = fb_insert,
    .find = fb_find,
    .list = fb_list,
    .content = fb_content,
    .cover = fb_cover,
    .mark_view = fb_mark_view,
    .add_views = fb_add_views,
    .mark_bestseller = fb_mark_bestseller,
    .grant = fb_grant,
    .owns = fb_owns,
    .entitlement = fb_entitlement,
    .library = fb_library,
};

book_repo fake_book_repo(fake_books *f)
{
	return (book_repo){&fb_vtbl, f};
}

void fake_books_dispose(fake_books *f)
{
	fb_rows_release(f);
	f->n = 0;
}

/* --- wallet over the members core ------------------------------------------------------- */

static int fw_spend(int64_t *ledger_id, int64_t *balance_after, void *self, uow_tx *tx,
		    int64_t member_id, int64_t amount, int64_t book_id, app_err *err)
{
	fake_wallet *f = self;
	ledger_entry e;
	int rc = members_wallet_spend_in(&e, f->members, tx, member_id, amount, LEDGER_PURCHASE,
					 book_id, err);

	if (rc)
		return rc;
	f->spends++;
	*ledger_id = e.id;
	*balance_after = e.balance_after;
	return 0;
}

static int fw_entry_balance(int64_t *out, void *self, uow_tx *tx, int64_t ledger_id, app_err *err)
{
	fake_wallet *f = self;
	ledger_entry e;
	int rc = members_ledger_entry_in(&e, f->members, tx, ledger_id, err);

	if (rc == 0)
		*out = e.balance_after;
	return rc;
}

static int fw_balance(int64_t *out, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	fake_wallet *f = self;
	member m;
	int rc = members_get_in(&m, f->members, tx, member_id, err);

	if (rc == 0)
		*out = m.points;
	return rc;
}

static int fw_subscribed(int *active, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	fake_wallet *f = self;
	int rc;

	(void)member_id;
	fake_tx_check(tx);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	*active = f->subscribed;
	return 0;
}

static int64_t fw_price(void *self)
{
	return ((fake_wallet *)self)->members->cfg.subscription_price;
}

static const wallet_vtbl fw_vtbl = {
    .spend = fw_spend,
    .entry_balance = fw_entry_balance,
    .balance = fw_balance,
    .subscribed = fw_subscribed,
    .subscription_price = fw_price,
};

wallet_port fake_wallet_port(fake_wallet *f)
{
	return (wallet_port){&fw_vtbl, f};
}

static int fv_record(void *self, const book_view *v, app_err *err)
{
	fake_views *f = self;

	if (f->n == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	f->items[f->n++] = *v;
	return 0;
}

static const view_recorder_vtbl fv_vtbl = {.record = fv_record};

view_recorder fake_view_recorder(fake_views *f)
{
	return (view_recorder){&fv_vtbl, f};
}
