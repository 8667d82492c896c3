#include "fakes/fake_books.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fakes/fake_books_internal.h"

int fake_books_fail(fake_books *f, app_err *err)
{
	int rc = f->fail_next;

	f->fail_next = 0;
	if (rc)
		app_err_set(err, rc, NULL, NULL, "canned failure");
	return rc;
}

void fake_books_rank(book *out, void *extra, size_t each, size_t *n, size_t limit, const book *b,
		     const void *x,
		     int (*before)(const book *a, const void *ax, const book *b, const void *bx))
{
	char *e = extra;
	size_t k = *n;

	for (; k > 0 && before(b, x, &out[k - 1], e + (k - 1) * each); k--)
		if (k < limit) {
			out[k] = out[k - 1];
			memcpy(e + k * each, e + (k - 1) * each, each);
		}
	if (k < limit) {
		out[k] = *b;
		memcpy(e + k * each, x, each);
	}
	if (*n < limit)
		(*n)++;
}

/* A copy of len bytes (NULL stays NULL); aborts when out of memory. */
static unsigned char *fb_dup(const unsigned char *data, size_t len)
{
	unsigned char *p;

	if (!data)
		return NULL;
	if (!(p = malloc(len ? len : 1)))
		abort();
	memcpy(p, data, len);
	return p;
}

static void fb_rows_copy(void *dst, const void *src)
{
	fake_books *d = dst;
	const fake_books *f = src;

	for (size_t i = 0; i < f->n; i++) {
		d->rows[i].cover = malloc(f->rows[i].cover_len);
		if (!d->rows[i].cover)
			abort();
		memcpy(d->rows[i].cover, f->rows[i].cover, f->rows[i].cover_len);
		for (int k = 0; k < 2; k++)
			d->rows[i].png[k] = fb_dup(f->rows[i].png[k], f->rows[i].png_len[k]);
	}
	for (size_t i = 0; i < f->neps; i++)
		if (!(d->eps[i].content = strdup(f->eps[i].content)))
			abort();
}

static void fb_rows_release(void *rows)
{
	fake_books *f = rows;

	for (size_t i = 0; i < f->n; i++) {
		free(f->rows[i].cover);
		free(f->rows[i].png[0]);
		free(f->rows[i].png[1]);
	}
	for (size_t i = 0; i < f->neps; i++)
		free(f->eps[i].content);
}

const fake_rows fake_books_rows = {
    .size = offsetof(fake_books, fail_next),
    .state_size = sizeof(fake_books),
    .copy = fb_rows_copy,
    .release = fb_rows_release,
};

fake_book_row *fake_books_row(fake_books *f, int64_t id)
{
	return id >= 1 && id <= (int64_t)f->n ? &f->rows[id - 1] : NULL;
}

fake_episode_row *fake_books_episode(fake_books *f, int64_t book_id, int64_t number)
{
	for (size_t i = 0; i < f->neps; i++)
		if (f->eps[i].e.book_id == book_id && f->eps[i].e.number == number)
			return &f->eps[i];
	return NULL;
}

int fake_books_add_episode(fake_books *f, episode *e, const char *content, size_t len, app_err *err)
{
	fake_episode_row *r;

	if (f->neps == FAKE_EPISODES_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	r = &f->eps[f->neps];
	e->id = (int64_t)++f->neps;
	e->characters = 0;
	for (size_t i = 0; i < len; i++)
		e->characters += ((unsigned char)content[i] & 0xC0) != 0x80;
	e->updated_at = e->created_at;
	r->e = *e;
	if (!(r->content = malloc(len + 1)))
		abort();
	memcpy(r->content, content, len);
	r->content[len] = '\0';
	return 0;
}

static int fb_insert(void *self, uow_tx *tx, book *b, const char *content, size_t content_len,
		     const unsigned char *cover, size_t cover_len, app_err *err)
{
	fake_books *f = self;
	fake_book_row *r;
	episode e = {0};
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].b.manuscript_id == b->manuscript_id) {
			b->id = f->rows[i].b.id;
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "has a book");
		}
	if (f->n == FAKE_BOOKS_CAP || f->neps == FAKE_EPISODES_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	r = &f->rows[f->n];
	b->id = (int64_t)++f->n;
	b->views = 0;
	b->bestseller = 0;
	b->episode_count = 1;
	b->updated_at = b->published_at;
	if (!b->age_rating[0])
		memcpy(b->age_rating, "all", 4);
	r->b = *b;
	r->png[0] = r->png[1] = NULL;
	r->png_len[0] = r->png_len[1] = 0;
	if (!(r->cover = malloc(cover_len)))
		abort();
	memcpy(r->cover, cover, cover_len);
	r->cover_len = cover_len;
	e.book_id = b->id;
	e.number = 1;
	e.manuscript_id = b->manuscript_id;
	memcpy(e.title, b->title, sizeof(e.title));
	e.price = b->serial ? b->episode_price : b->price;
	e.own_price = !b->serial;
	memcpy(e.summary, b->summary, sizeof(e.summary));
	memcpy(e.gen_summary, b->gen_summary, sizeof(e.gen_summary));
	e.published_at = e.created_at = b->published_at;
	return fake_books_add_episode(f, &e, content, content_len, err);
}

static int fb_find(book *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_books *f = self;
	fake_book_row *r;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	if (!(r = fake_books_row(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	*out = r->b;
	return 0;
}

static int contains(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL; /* ASCII case-insensitive, like the store */
}

static int has_tag(const book *b, const char *tag)
{
	for (int i = 0; i < b->ntags; i++)
		if (!strcmp(b->tags[i], tag))
			return 1;
	return 0;
}

/* The sort key of b: views (popular, bestsellers) or updated_at (updated). */
static int64_t key_of(const book *b, const book_query *q)
{
	return q->sort == BOOK_SORT_UPDATED ? b->updated_at : b->views;
}

static int matches(const book *b, const book_query *q)
{
	if (q->author_id)
		return b->author_id == q->author_id && (!b->hidden || q->with_hidden) &&
		       (q->after.id == 0 || b->id < q->after.id);
	if ((b->hidden && (!q->with_hidden || b->proof)) ||
	    (q->sort == BOOK_SORT_BESTSELLERS && !b->bestseller) ||
	    (q->no_ai_covers && b->gen_cover[0]))
		return 0;
	if (q->q && !contains(b->title, q->q) && !contains(b->author_name, q->q) &&
	    !contains(b->summary, q->q))
		return 0;
	if ((q->genre && *q->genre && strcmp(b->genre, q->genre)) ||
	    (q->tag && *q->tag && !has_tag(b, q->tag)) ||
	    (q->completed != BOOK_ANY_STATE && b->completed != (q->completed == BOOK_COMPLETED)))
		return 0;
	if (q->after.id == 0)
		return 1;
	if (q->sort == BOOK_SORT_NEW)
		return b->id < q->after.id;
	return key_of(b, q) < q->after.views ||
	       (key_of(b, q) == q->after.views && b->id < q->after.id);
}

/* Orders like the real store: newest first, or the sort key then id descending. */
static int before(const book *a, const book *b, const book_query *q)
{
	if (q->sort == BOOK_SORT_NEW || q->author_id)
		return a->id > b->id;
	return key_of(a, q) > key_of(b, q) || (key_of(a, q) == key_of(b, q) && a->id > b->id);
}

static int fb_list(book *out, size_t *n, void *self, uow_tx *tx, const book_query *q, app_err *err)
{
	fake_books *f = self;
	book *all;
	size_t m = 0;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
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
	fake_episode_row *r = fake_books_episode(self, id, 1);

	fake_tx_check(tx);
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	*len = strlen(r->content);
	if (!(*out = strdup(r->content)))
		abort();
	return 0;
}

static int fb_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], void *self,
		    uow_tx *tx, int64_t id, book_cover_size size, app_err *err)
{
	fake_book_row *r = fake_books_row(self, id);
	int k = size == BOOK_COVER_THUMB;

	fake_tx_check(tx);
	*data = NULL;
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	if (size != BOOK_COVER_ORIGINAL && !r->png[k])
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no rendition");
	*data = size == BOOK_COVER_ORIGINAL ? fb_dup(r->cover, r->cover_len)
					    : fb_dup(r->png[k], r->png_len[k]);
	*len = size == BOOK_COVER_ORIGINAL ? r->cover_len : r->png_len[k];
	snprintf(mime, 32, "%s", size == BOOK_COVER_ORIGINAL ? r->b.cover_mime : "image/png");
	memcpy(etag, r->b.cover_etag, 48);
	return 0;
}

static int fb_set_cover(void *self, uow_tx *tx, int64_t book_id, const book_cover_files *c,
			app_err *err)
{
	fake_book_row *r;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	if (!(r = fake_books_row(self, book_id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	free(r->cover);
	free(r->png[0]);
	free(r->png[1]);
	r->cover = fb_dup(c->data, c->len);
	r->cover_len = c->len;
	r->png[0] = fb_dup(c->full, c->full_len);
	r->png_len[0] = c->full_len;
	r->png[1] = fb_dup(c->thumb, c->thumb_len);
	r->png_len[1] = c->thumb_len;
	snprintf(r->b.cover_mime, sizeof(r->b.cover_mime), "%s", c->mime);
	snprintf(r->b.cover_etag, sizeof(r->b.cover_etag), "%s", c->etag);
	return 0;
}

static int fb_lacking_renditions(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t after,
				 size_t limit, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->n && *n < limit; i++)
		if (f->rows[i].b.id > after && !f->rows[i].png[0])
			ids[(*n)++] = f->rows[i].b.id;
	return 0;
}

static int fb_mark_view(int *counted, void *self, uow_tx *tx, const book_view *v, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	*counted = 0;
	for (size_t i = 0; i < f->nmarks; i++)
		if (f->marks[i].member_id == v->member_id && f->marks[i].book_id == v->book_id &&
		    f->marks[i].number == v->number && f->marks[i].day == v->day)
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
	fake_book_row *r = fake_books_row(self, book_id);
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	r->b.views += n;
	*total = r->b.views;
	return 0;
}

static int fb_mark_bestseller(int *changed, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	fake_book_row *r = fake_books_row(self, book_id);

	fake_tx_touch(tx, self, &fake_books_rows);
	(void)err;
	*changed = r && !r->b.bestseller;
	if (r)
		r->b.bestseller = 1;
	return 0;
}

book_entitlement *fake_books_ent(fake_books *f, int64_t member_id, int64_t book_id, int64_t number)
{
	for (size_t i = 0; i < f->nents; i++)
		if (f->ents[i].member_id == member_id && f->ents[i].book_id == book_id &&
		    (number < 0 || f->ents[i].number == number))
			return &f->ents[i];
	return NULL;
}

static int fb_grant(void *self, uow_tx *tx, const book_entitlement *e, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	if (fake_books_ent(f, e->member_id, e->book_id, e->number))
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "owned");
	if (f->nents == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	f->ents[f->nents] = *e;
	f->ents[f->nents].id = (int64_t)f->nents + 1;
	if (!f->ents[f->nents].kind)
		f->ents[f->nents].kind = BOOK_OWN_PURCHASE;
	f->nents++;
	return 0;
}

static int fb_owns(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, app_err *err)
{
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	return fake_books_ent(self, member_id, book_id, -1) != NULL;
}

static int fb_entitlement(book_entitlement *out, void *self, uow_tx *tx, int64_t member_id,
			  int64_t book_id, app_err *err)
{
	book_entitlement *e = fake_books_ent(self, member_id, book_id, -1);

	fake_tx_check(tx);
	if (!e)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "not owned");
	*out = *e;
	return 0;
}

static int fb_update(void *self, uow_tx *tx, const book *b, unsigned fields, app_err *err)
{
	fake_book_row *r = fake_books_row(self, b->id);
	book *t;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	(void)fields;
	if ((rc = fake_books_fail(self, err)))
		return rc;
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	t = &r->b;
	memcpy(t->summary, b->summary, sizeof(t->summary));
	memcpy(t->tagline, b->tagline, sizeof(t->tagline));
	memcpy(t->genre, b->genre, sizeof(t->genre));
	memcpy(t->tags, b->tags, sizeof(t->tags));
	memcpy(t->age_rating, b->age_rating, sizeof(t->age_rating));
	t->ntags = b->ntags;
	t->price = b->price;
	t->episode_price = b->episode_price;
	t->free_episodes = b->free_episodes;
	t->wait_free_hours = b->wait_free_hours;
	t->completed = b->completed;
	t->hidden = b->hidden;
	t->proof = b->proof;
	t->published_at = b->published_at;
	memcpy(t->price_reason, b->price_reason, sizeof(t->price_reason));
	memcpy(t->gen_summary, b->gen_summary, sizeof(t->gen_summary));
	memcpy(t->gen_tagline, b->gen_tagline, sizeof(t->gen_tagline));
	memcpy(t->gen_price, b->gen_price, sizeof(t->gen_price));
	memcpy(t->gen_cover, b->gen_cover, sizeof(t->gen_cover));
	t->price_basis = b->price_basis;
	return 0;
}

static int fb_refresh(book *out, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	fake_books *f = self;
	fake_book_row *r = fake_books_row(f, book_id);
	int64_t count = 0, all = 0, price = 0, latest = 0;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no book");
	for (size_t i = 0; i < f->neps; i++) {
		const episode *e = &f->eps[i].e;

		if (e->book_id != book_id)
			continue;
		all++;
		if (e->published_at > latest)
			latest = e->published_at;
		if (!e->published_at)
			continue;
		count++;
		if (e->number > r->b.free_episodes)
			price += e->price;
	}
	r->b.price = price;
	r->b.episode_count = count;
	if (latest)
		r->b.updated_at = latest;
	r->b.serial = r->b.serial || all > 1;
	if (out)
		*out = r->b;
	return 0;
}

static const book_repo_vtbl fb_vtbl = {
    .insert = fb_insert,
    .find = fb_find,
    .list = fb_list,
    .content = fb_content,
    .cover = fb_cover,
    .set_cover = fb_set_cover,
    .lacking_renditions = fb_lacking_renditions,
    .mark_view = fb_mark_view,
    .add_views = fb_add_views,
    .mark_bestseller = fb_mark_bestseller,
    .grant = fb_grant,
    .owns = fb_owns,
    .entitlement = fb_entitlement,
    .library = fake_books_library,
    .update = fb_update,
    .refresh = fb_refresh,
    .rankings = fake_books_rankings,
    .readers_from = fake_books_readers_from,
    .reader_add = fake_books_reader_add,
    .reader_counts = fake_books_reader_counts,
    .exclusions = fake_books_exclusions,
};

book_repo fake_book_repo(fake_books *f)
{
	return (book_repo){.vtbl = &fb_vtbl, .self = f};
}

void fake_books_dispose(fake_books *f)
{
	fb_rows_release(f);
	f->n = 0;
	f->neps = 0;
}

/* --- wallet over the members core ------------------------------------------------------- */

static int fw_spend(int64_t *ledger_id, int64_t *balance_after, void *self, uow_tx *tx,
		    int64_t member_id, int64_t amount, int64_t book_id, int64_t number,
		    app_err *err)
{
	fake_wallet *f = self;
	ledger_entry e;
	int rc = members_wallet_spend_in(&e, f->members, tx, member_id, amount, LEDGER_PURCHASE,
					 book_id, number, err);

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
	int rc = f->fail_next;

	fake_tx_check(tx);
	f->fail_next = 0;
	if (rc)
		return app_err_set(err, rc, NULL, NULL, "canned failure");
	if (f->subscribed) {
		*active = 1;
		return 0;
	}
	if ((rc = members_subscription_active_in(f->members, tx, member_id, err)) < 0)
		return rc;
	*active = rc;
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
	return (wallet_port){.vtbl = &fw_vtbl, .self = f};
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
	return (view_recorder){.vtbl = &fv_vtbl, .self = f};
}
