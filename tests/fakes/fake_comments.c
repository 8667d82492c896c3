/* The comment repository in memory. */
#include "fakes/fake_comments.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const fake_rows fc_rows = {.size = offsetof(fake_comments, fail_next),
				  .state_size = sizeof(fake_comments)};

static int fail(fake_comments *f, app_err *err)
{
	f->calls++;
	return fake_take_fail(&f->fail_next, err);
}

static comment *row(fake_comments *f, int64_t id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].id == id)
			return &f->rows[i];
	return NULL;
}

static ptrdiff_t like_at(const fake_comments *f, int64_t comment_id, int64_t member_id)
{
	for (size_t i = 0; i < f->nlikes; i++)
		if (f->likes[i].comment_id == comment_id && f->likes[i].member_id == member_id)
			return (ptrdiff_t)i;
	return -1;
}

static void unlike_at(fake_comments *f, size_t i)
{
	f->likes[i] = f->likes[--f->nlikes];
}

static int visible(const comment *c)
{
	return !c->hidden && !c->deleted;
}

/* The row as the port answers it: visible replies counted, the viewer's like. */
static void answer(comment *out, const fake_comments *f, const comment *c, int64_t viewer)
{
	*out = *c;
	out->replies = 0;
	for (size_t i = 0; i < f->n; i++)
		out->replies += f->rows[i].parent_id == c->id && visible(&f->rows[i]);
	out->liked = viewer > 0 && like_at(f, c->id, viewer) >= 0;
}

/* Before a write of comment id: the unit touched, the canned failure, the row (live: not deleted).
 */
static int writable(comment **c, fake_comments *f, uow_tx *tx, int64_t id, int live, app_err *err)
{
	int rc;

	fake_tx_touch(tx, f, &fc_rows);
	if ((rc = fail(f, err)))
		return rc;
	if (!(*c = row(f, id)) || (live && (*c)->deleted))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
	return 0;
}

static int fc_insert(void *self, uow_tx *tx, comment *c, app_err *err)
{
	fake_comments *f = self;
	comment *r;
	int rc;

	fake_tx_touch(tx, self, &fc_rows);
	if ((rc = fail(f, err)))
		return rc;
	if (f->n == FAKE_COMMENTS_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	r = &f->rows[f->n];
	*r = *c;
	r->id = f->n ? f->rows[f->n - 1].id + 1 : 1;
	r->likes = r->replies = 0;
	r->hidden = r->deleted = r->liked = 0;
	r->spoiler = c->spoiler ? 1 : 0;
	r->updated_at = r->created_at;
	f->n++;
	c->id = r->id;
	return 0;
}

static int fc_find(comment *out, void *self, uow_tx *tx, int64_t id, int64_t viewer, app_err *err)
{
	fake_comments *f = self;
	comment *c;
	int rc;

	fake_tx_check(tx);
	if ((rc = fail(f, err)))
		return rc;
	if (!(c = row(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
	answer(out, f, c, viewer);
	return 0;
}

static int fc_update(void *self, uow_tx *tx, int64_t id, const char *text, int spoiler, int64_t now,
		     app_err *err)
{
	comment *c;
	int rc = writable(&c, self, tx, id, 1, err);

	if (rc)
		return rc;
	snprintf(c->text, sizeof(c->text), "%s", text);
	c->spoiler = spoiler ? 1 : 0;
	c->updated_at = now;
	return 0;
}

/* Deletes c: no text, no likes. */
static void erase(fake_comments *f, comment *c, int64_t now)
{
	c->text[0] = '\0';
	c->spoiler = 0;
	c->likes = 0;
	c->deleted = 1;
	(void)now;
	for (size_t i = f->nlikes; i-- > 0;)
		if (f->likes[i].comment_id == c->id)
			unlike_at(f, i);
}

static int fc_remove(void *self, uow_tx *tx, int64_t id, int64_t now, app_err *err)
{
	comment *c;
	int rc = writable(&c, self, tx, id, 1, err);

	if (rc)
		return rc;
	erase(self, c, now);
	return 0;
}

static int fc_set_hidden(void *self, uow_tx *tx, int64_t id, int hidden, int64_t now, app_err *err)
{
	comment *c;
	int rc = writable(&c, self, tx, id, 0, err);

	(void)now;
	if (rc)
		return rc;
	c->hidden = hidden ? 1 : 0;
	return 0;
}

/* In the page q asks for: its episode and parent, hidden and deleted rules, the cursor. */
static int listed(const fake_comments *f, const comment *c, const comment_query *q)
{
	comment a;

	if (c->book_id != q->book_id || c->number != q->number || c->parent_id != q->parent_id ||
	    (c->hidden && !q->with_hidden))
		return 0;
	answer(&a, f, c, 0);
	if (c->deleted && a.replies == 0)
		return 0;
	if (q->parent_id)
		return c->id > q->after_id;
	if (!q->before_id)
		return 1;
	if (q->sort == COMMENT_SORT_BEST)
		return c->likes < q->before_likes ||
		       (c->likes == q->before_likes && c->id < q->before_id);
	return c->id < q->before_id;
}

/* 1 when a comes after b in q's order. */
static int after(const comment *a, const comment *b, const comment_query *q)
{
	if (q->parent_id)
		return a->id > b->id;
	if (q->sort == COMMENT_SORT_BEST && a->likes != b->likes)
		return a->likes < b->likes;
	return a->id < b->id;
}

static int fc_list(comment *out, size_t *n, void *self, uow_tx *tx, const comment_query *q,
		   size_t cap, app_err *err)
{
	fake_comments *f = self;
	const comment *prev = NULL;
	int rc;

	*n = 0;
	fake_tx_check(tx);
	if ((rc = fail(f, err)))
		return rc;
	/* the next in q's order after the last one taken, until the page is full */
	while (*n < cap) {
		const comment *next = NULL;

		for (size_t i = 0; i < f->n; i++) {
			const comment *c = &f->rows[i];

			if (listed(f, c, q) && (!prev || after(c, prev, q)) &&
			    (!next || after(next, c, q)))
				next = c;
		}
		if (!next)
			break;
		answer(&out[(*n)++], f, next, q->viewer);
		prev = next;
	}
	return 0;
}

static int fc_count(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t number,
		    app_err *err)
{
	fake_comments *f = self;
	int rc;

	*out = 0;
	fake_tx_check(tx);
	if ((rc = fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++) {
		const comment *c = &f->rows[i], *p = c->parent_id ? row(f, c->parent_id) : NULL;

		if (c->book_id == book_id && c->number == number && visible(c) &&
		    (!c->parent_id || (p && !p->hidden)))
			(*out)++;
	}
	return 0;
}

static int fc_like(int *changed, int64_t *likes, void *self, uow_tx *tx, int64_t id,
		   int64_t member_id, int on, int64_t now, app_err *err)
{
	fake_comments *f = self;
	comment *c;
	ptrdiff_t at;
	int rc = writable(&c, f, tx, id, 0, err);

	(void)now;
	if (rc)
		return rc;
	at = like_at(f, id, member_id);
	*changed = on ? at < 0 : at >= 0;
	if (*changed && on) {
		if (f->nlikes == FAKE_CAP)
			return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
		f->likes[f->nlikes++] = (fake_comment_like){id, member_id};
		c->likes++;
	} else if (*changed) {
		unlike_at(f, (size_t)at);
		c->likes--;
	}
	*likes = c->likes;
	return 0;
}

static int fc_remove_member(void *self, uow_tx *tx, int64_t member_id, int64_t now, app_err *err)
{
	fake_comments *f = self;
	int rc;

	fake_tx_touch(tx, self, &fc_rows);
	if ((rc = fail(f, err)))
		return rc;
	for (size_t i = f->nlikes; i-- > 0;)
		if (f->likes[i].member_id == member_id) {
			row(f, f->likes[i].comment_id)->likes--;
			unlike_at(f, i);
		}
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].member_id == member_id && !f->rows[i].deleted)
			erase(f, &f->rows[i], now);
	return 0;
}

static const comment_repo_vtbl fc_vtbl = {
    .insert = fc_insert,
    .find = fc_find,
    .update = fc_update,
    .remove = fc_remove,
    .set_hidden = fc_set_hidden,
    .list = fc_list,
    .count = fc_count,
    .like = fc_like,
    .remove_member = fc_remove_member,
};

comment_repo fake_comment_repo(fake_comments *f)
{
	return (comment_repo){.vtbl = &fc_vtbl, .self = f};
}
