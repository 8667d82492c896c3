/* Fakes of the episode, reading and change repositories, and the library and rankings. */
#include <stdlib.h>
#include <string.h>

#include "fakes/fake_books_internal.h"

static int fe_insert(void *self, uow_tx *tx, episode *e, const char *content, size_t content_len,
		     app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; e->manuscript_id && i < f->neps; i++)
		if (f->eps[i].e.manuscript_id == e->manuscript_id) {
			e->id = f->eps[i].e.id;
			e->number = f->eps[i].e.number;
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "has an episode");
		}
	if (fake_books_episode(f, e->book_id, e->number)) {
		e->id = 0;
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "number taken");
	}
	return fake_books_add_episode(f, e, content, content_len, err);
}

static int fe_find(episode *out, void *self, uow_tx *tx, int64_t book_id, int64_t number,
		   app_err *err)
{
	fake_episode_row *r;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	if (!(r = fake_books_episode(self, book_id, number)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no episode");
	*out = r->e;
	return 0;
}

static int fe_find_held(episode *out, int *hold, void *self, uow_tx *tx, int64_t book_id,
			int64_t number, int64_t member_id, app_err *err)
{
	book_entitlement *e;
	int rc;

	if ((rc = fe_find(out, self, tx, book_id, number, err)))
		return rc;
	e = member_id ? fake_books_ent(self, member_id, book_id, number) : NULL;
	*hold = e ? e->kind : BOOK_OWN_NONE;
	return 0;
}

/* The episodes of book above after, by number, filtered by keep; without summaries. */
static size_t episodes_after(episode *out, fake_books *f, int64_t book_id, int64_t after,
			     size_t limit, int with_unpublished)
{
	size_t n = 0;

	for (int64_t number = after + 1; n < limit; number++) {
		fake_episode_row *r = fake_books_episode(f, book_id, number);
		int64_t more = 0;

		if (!r) { /* a gap: is anything beyond it? */
			for (size_t i = 0; i < f->neps; i++)
				more |=
				    f->eps[i].e.book_id == book_id && f->eps[i].e.number > number;
			if (!more)
				break;
			continue;
		}
		if (!with_unpublished && !r->e.published_at)
			continue;
		out[n] = r->e;
		out[n++].summary[0] = '\0';
	}
	return n;
}

static int fe_list(episode *out, size_t *n, void *self, uow_tx *tx, int64_t book_id, int64_t after,
		   size_t limit, int with_unpublished, app_err *err)
{
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(self, err)))
		return rc;
	*n = episodes_after(out, self, book_id, after, limit, with_unpublished);
	return 0;
}

static int fe_content(char **out, size_t *len, void *self, uow_tx *tx, int64_t book_id,
		      int64_t number, app_err *err)
{
	fake_episode_row *r;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	if (!(r = fake_books_episode(self, book_id, number)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no episode");
	*len = strlen(r->content);
	if (!(*out = strdup(r->content)))
		abort();
	return 0;
}

static fake_episode_row *episode_by_id(fake_books *f, int64_t id)
{
	return id >= 1 && id <= (int64_t)f->neps ? &f->eps[id - 1] : NULL;
}

static int fe_edit(void *self, uow_tx *tx, const episode *e, const char *content,
		   size_t content_len, app_err *err)
{
	fake_episode_row *r = episode_by_id(self, e->id);
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no episode");
	memcpy(r->e.title, e->title, sizeof(r->e.title));
	r->e.price = e->price;
	r->e.own_price = e->own_price;
	r->e.updated_at = e->updated_at;
	if (!content)
		return 0;
	r->e.characters = 0;
	for (size_t i = 0; i < content_len; i++)
		r->e.characters += ((unsigned char)content[i] & 0xC0) != 0x80;
	free(r->content);
	if (!(r->content = malloc(content_len + 1)))
		abort();
	memcpy(r->content, content, content_len);
	r->content[content_len] = '\0';
	return 0;
}

static int fe_follow_price(void *self, uow_tx *tx, int64_t book_id, int64_t price, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->neps; i++)
		if (f->eps[i].e.book_id == book_id && !f->eps[i].e.own_price)
			f->eps[i].e.price = price;
	return 0;
}

static int fe_due(episode *out, size_t *n, void *self, uow_tx *tx, int64_t now, size_t limit,
		  app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->neps; i++) { /* insertion sort by scheduled_at, id */
		const episode *e = &f->eps[i].e;
		size_t k;

		if (e->published_at || !e->scheduled_at || e->scheduled_at > now)
			continue;
		for (k = *n; k > 0 && out[k - 1].scheduled_at > e->scheduled_at; k--)
			if (k < limit)
				out[k] = out[k - 1];
		if (k < limit)
			out[k] = *e;
		if (*n < limit)
			(*n)++;
	}
	return 0;
}

static int fe_publish(int *changed, void *self, uow_tx *tx, int64_t episode_id, int64_t at,
		      app_err *err)
{
	fake_episode_row *r = episode_by_id(self, episode_id);
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	*changed = r && !r->e.published_at;
	if (*changed)
		r->e.published_at = r->e.updated_at = at;
	return 0;
}

static int fe_last_number(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int published,
			  app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	*out = 0;
	for (size_t i = 0; i < f->neps; i++)
		if (f->eps[i].e.book_id == book_id && (!published || f->eps[i].e.published_at) &&
		    f->eps[i].e.number > *out)
			*out = f->eps[i].e.number;
	return 0;
}

static int fe_add_views(void *self, uow_tx *tx, int64_t book_id, int64_t number, int64_t n,
			app_err *err)
{
	fake_episode_row *r = fake_books_episode(self, book_id, number);
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	if (!r)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no episode");
	r->e.views += n;
	return 0;
}

static int fe_holds(episode_hold *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int64_t book_id, int64_t after, size_t cap, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->nents; i++) { /* insertion sort by number, the first cap */
		const book_entitlement *e = &f->ents[i];
		size_t k;

		if (e->member_id != member_id || e->book_id != book_id || e->number <= after)
			continue;
		for (k = *n; k > 0 && out[k - 1].number > e->number; k--)
			if (k < cap)
				out[k] = out[k - 1];
		if (k < cap)
			out[k] = (episode_hold){e->number, e->kind};
		if (*n < cap)
			(*n)++;
	}
	return 0;
}

static int fe_hold(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, int64_t number,
		   app_err *err)
{
	book_entitlement *e;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	e = fake_books_ent(self, member_id, book_id, number);
	return e ? e->kind : BOOK_OWN_NONE;
}

static fake_timer *timer_of(fake_books *f, int64_t member_id, int64_t book_id)
{
	for (size_t i = 0; i < f->ntimers; i++)
		if (f->timers[i].member_id == member_id && f->timers[i].book_id == book_id)
			return &f->timers[i];
	return NULL;
}

static int fe_timer_take(int *taken, void *self, uow_tx *tx, int64_t member_id, int64_t book_id,
			 int64_t now, int64_t next_at, app_err *err)
{
	fake_books *f = self;
	fake_timer *t;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	*taken = 0;
	if (!(t = timer_of(f, member_id, book_id))) {
		if (f->ntimers == sizeof(f->timers) / sizeof(f->timers[0]))
			return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
		t = &f->timers[f->ntimers++];
		*t = (fake_timer){member_id, book_id, now};
	}
	if (t->next_at > now)
		return 0;
	t->next_at = next_at;
	*taken = 1;
	return 0;
}

static int fe_timer_next(int64_t *next_at, void *self, uow_tx *tx, int64_t member_id,
			 int64_t book_id, app_err *err)
{
	fake_timer *t;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	t = timer_of(self, member_id, book_id);
	*next_at = t ? t->next_at : 0;
	return 0;
}

static int fe_batch(book_entitlement *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int64_t book_id, int64_t batch, int64_t after, size_t cap, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	/* entitlements of one batch are granted in order of number: scan in order */
	for (size_t i = 0; i < f->nents && *n < cap; i++) {
		const book_entitlement *e = &f->ents[i];

		if (e->member_id == member_id && e->book_id == book_id && e->batch == batch &&
		    e->number > after)
			out[(*n)++] = *e;
	}
	return 0;
}

static const episode_repo_vtbl fe_vtbl = {
    .insert = fe_insert,
    .find = fe_find,
    .find_held = fe_find_held,
    .list = fe_list,
    .content = fe_content,
    .edit = fe_edit,
    .follow_price = fe_follow_price,
    .due = fe_due,
    .publish = fe_publish,
    .last_number = fe_last_number,
    .add_views = fe_add_views,
    .holds = fe_holds,
    .hold = fe_hold,
    .timer_take = fe_timer_take,
    .timer_next = fe_timer_next,
    .batch = fe_batch,
};

episode_repo fake_episode_repo(fake_books *f)
{
	return (episode_repo){.vtbl = &fe_vtbl, .self = f};
}

/* --- reading progress ----------------------------------------------------------------- */

static reading_progress *progress_of(fake_books *f, int64_t member_id, int64_t book_id)
{
	for (size_t i = 0; i < f->nprogress; i++)
		if (f->progress[i].member_id == member_id && f->progress[i].book_id == book_id)
			return &f->progress[i];
	return NULL;
}

static int fr_put(void *self, uow_tx *tx, const reading_progress *p, app_err *err)
{
	fake_books *f = self;
	reading_progress *row;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	if (!(row = progress_of(f, p->member_id, p->book_id))) {
		if (f->nprogress == sizeof(f->progress) / sizeof(f->progress[0]))
			return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
		row = &f->progress[f->nprogress++];
	}
	*row = *p;
	return 0;
}

static int fr_get(reading_progress *out, void *self, uow_tx *tx, int64_t member_id, int64_t book_id,
		  app_err *err)
{
	reading_progress *p;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(self, err)))
		return rc;
	if (!(p = progress_of(self, member_id, book_id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "not read");
	*out = *p;
	return 0;
}

/* 1 when (at, id) comes after the cursor in a descending list ({0, 0}: the top). */
static int below(int64_t at, int64_t id, int64_t cur_at, int64_t cur_id)
{
	if (cur_at == 0 && cur_id == 0)
		return 1;
	return at < cur_at || (at == cur_at && id < cur_id);
}

/* A hidden work is on a member's lists only while they hold some of it. */
static int listed_for(fake_books *f, const book *b, int64_t member_id)
{
	return !b->hidden || fake_books_ent(f, member_id, b->id, -1);
}

static int fr_list(reading_progress *out, book *books, size_t *n, void *self, uow_tx *tx,
		   int64_t member_id, reading_cursor after, size_t limit, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->nprogress; i++) { /* insertion sort, newest first */
		const reading_progress *p = &f->progress[i];
		const book *b = &fake_books_row(f, p->book_id)->b;
		size_t k;

		if (p->member_id != member_id || !listed_for(f, b, member_id) ||
		    !below(p->updated_at, p->book_id, after.at, after.book_id))
			continue;
		for (k = *n; k > 0 && !below(p->updated_at, p->book_id, out[k - 1].updated_at,
					     out[k - 1].book_id);
		     k--)
			if (k < limit) {
				out[k] = out[k - 1];
				books[k] = books[k - 1];
			}
		if (k < limit) {
			out[k] = *p;
			books[k] = *b;
		}
		if (*n < limit)
			(*n)++;
	}
	return 0;
}

static const reading_repo_vtbl fr_vtbl = {.put = fr_put, .get = fr_get, .list = fr_list};

reading_repo fake_reading_repo(fake_books *f)
{
	return (reading_repo){.vtbl = &fr_vtbl, .self = f};
}

/* --- the library and rankings --------------------------------------------------------- */

/* The shelf columns of book for member; 0 when the book is not on the member's shelf. */
static int shelf_of(book_shelf *s, fake_books *f, const book *b, int64_t member_id)
{
	reading_progress *p = progress_of(f, member_id, b->id);

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < f->nents; i++) {
		const book_entitlement *e = &f->ents[i];

		if (e->member_id != member_id || e->book_id != b->id)
			continue;
		s->owned_episodes++;
		if (e->kind == BOOK_OWN_PURCHASE &&
		    (!s->purchased_at || e->purchased_at < s->purchased_at))
			s->purchased_at = e->purchased_at;
		if (e->purchased_at > s->activity_at)
			s->activity_at = e->purchased_at;
	}
	if (p) {
		s->last_read = p->number;
		s->last_read_at = p->updated_at;
		if (p->updated_at > s->activity_at)
			s->activity_at = p->updated_at;
	}
	for (size_t i = 0; i < f->neps; i++)
		s->new_episodes += f->eps[i].e.book_id == b->id && f->eps[i].e.published_at &&
				   f->eps[i].e.number > s->last_read;
	return (s->owned_episodes || p) && listed_for(f, b, member_id);
}

/* Latest activity, then newest, first. */
static int more_recent(const book *a, const void *ax, const book *b, const void *bx)
{
	const book_shelf *x = ax, *y = bx;

	return !below(x->activity_at, a->id, y->activity_at, b->id);
}

int fake_books_library(book *out, book_shelf *shelf, size_t *n, void *self, uow_tx *tx,
		       int64_t member_id, book_shelf_cursor after, size_t limit, app_err *err)
{
	fake_books *f = self;
	book_shelf s;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++) {
		const book *b = &f->rows[i].b;

		if (shelf_of(&s, f, b, member_id) &&
		    below(s.activity_at, b->id, after.at, after.book_id))
			fake_books_rank(out, shelf, sizeof(*shelf), n, limit, b, &s, more_recent);
	}
	return 0;
}

/* Distinct members the reader rule counted reading book on days first..last. */
static int64_t readers_of(fake_books *f, int64_t book_id, int64_t first, int64_t last)
{
	int64_t n = 0;

	for (size_t i = 0; i < f->nreaders; i++) {
		const book_view *v = &f->readers[i].v;
		int seen = 0;

		if (v->book_id != book_id || f->readers[i].verdict != BOOK_READER_COUNTED ||
		    v->day < first || v->day > last)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = f->readers[j].v.book_id == book_id &&
			       f->readers[j].verdict == BOOK_READER_COUNTED &&
			       f->readers[j].v.member_id == v->member_id &&
			       f->readers[j].v.day >= first && f->readers[j].v.day <= last;
		n += !seen;
	}
	return n;
}

/* Most readers, then newest, first. */
static int more_readers(const book *a, const void *ax, const book *b, const void *bx)
{
	int64_t x = *(const int64_t *)ax, y = *(const int64_t *)bx;

	return x > y || (x == y && a->id > b->id);
}

int fake_books_rankings(book *out, int64_t *readers, size_t *n, void *self, uow_tx *tx,
			int64_t first_day, int64_t last_day, int no_ai_covers, size_t limit,
			app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++) {
		const book *b = &f->rows[i].b;
		int64_t r = readers_of(f, b->id, first_day, last_day);

		if (r && !b->hidden && !(no_ai_covers && b->gen_cover[0]))
			fake_books_rank(out, readers, sizeof(*readers), n, limit, b, &r,
					more_readers);
	}
	return 0;
}

/* --- the change log --------------------------------------------------------------------- */

static int fc_append(void *self, uow_tx *tx, book_change *c, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	if (f->nchanges == FAKE_CHANGES_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	c->id = (int64_t)f->nchanges + 1;
	f->changes[f->nchanges++] = *c;
	return 0;
}

static int fc_list(book_change *out, size_t *n, void *self, uow_tx *tx, int64_t book_id,
		   int64_t before_id, size_t limit, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = f->nchanges; i-- > 0 && *n < limit;)
		if (f->changes[i].book_id == book_id &&
		    (before_id <= 0 || f->changes[i].id < before_id))
			out[(*n)++] = f->changes[i];
	return 0;
}

static int fc_last_generated(book_change *out, void *self, uow_tx *tx, int64_t book_id,
			     const char *field, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = f->nchanges; i-- > 0;)
		if (f->changes[i].book_id == book_id && !strcmp(f->changes[i].field, field) &&
		    f->changes[i].generated_by[0]) {
			*out = f->changes[i];
			return 0;
		}
	return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no suggestion");
}

static const book_change_repo_vtbl fc_vtbl = {
    .append = fc_append,
    .list = fc_list,
    .last_generated = fc_last_generated,
};

book_change_repo fake_book_change_repo(fake_books *f)
{
	return (book_change_repo){.vtbl = &fc_vtbl, .self = f};
}
