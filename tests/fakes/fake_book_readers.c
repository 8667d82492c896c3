/* The books fake's readers: one verdict per work, member and day. */
#include <string.h>

#include "fakes/fake_books_internal.h"

int fake_books_readers_from(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t day,
			    const char *client, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*out = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->nreaders; i++) {
		const fake_reader *r = &f->readers[i];

		*out += r->v.book_id == book_id && r->v.day == day &&
			!strcmp(r->v.client, client) && r->verdict == BOOK_READER_COUNTED;
	}
	return 0;
}

int fake_books_reader_add(int *added, void *self, uow_tx *tx, const book_view *v,
			  book_reader_verdict verdict, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_touch(tx, self, &fake_books_rows);
	*added = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->nreaders; i++)
		if (f->readers[i].v.book_id == v->book_id && f->readers[i].v.day == v->day &&
		    f->readers[i].v.member_id == v->member_id)
			return 0;
	if (f->nreaders == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	f->readers[f->nreaders++] = (fake_reader){.v = *v, .verdict = verdict};
	*added = 1;
	return 0;
}

int fake_books_counted(const fake_books *f, int64_t book_id, int64_t member_id, int64_t first,
		       int64_t last)
{
	for (size_t i = 0; i < f->nreaders; i++) {
		const fake_reader *r = &f->readers[i];

		if (r->v.book_id == book_id && r->v.member_id == member_id && r->v.day >= first &&
		    r->v.day <= last && r->verdict == BOOK_READER_COUNTED)
			return 1;
	}
	return 0;
}

/* 1 when reader i is the first of its member, work and verdict on the days first..last. */
static int first_of(const fake_books *f, size_t i, int64_t first, int64_t last)
{
	const fake_reader *r = &f->readers[i];

	for (size_t j = 0; j < i; j++) {
		const fake_reader *o = &f->readers[j];

		if (o->v.book_id == r->v.book_id && o->v.member_id == r->v.member_id &&
		    o->verdict == r->verdict && o->v.day >= first && o->v.day <= last)
			return 0;
	}
	return 1;
}

int fake_books_reader_counts(book_reader_counts *out, void *self, uow_tx *tx, int64_t book_id,
			     int64_t first_day, int64_t last_day, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	memset(out, 0, sizeof(*out));
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->nreaders; i++) {
		const fake_reader *r = &f->readers[i];

		if (r->v.book_id != book_id || r->v.day < first_day || r->v.day > last_day ||
		    !first_of(f, i, first_day, last_day))
			continue;
		if (r->verdict == BOOK_READER_COUNTED)
			out->counted++;
		else if (!fake_books_counted(f, book_id, r->v.member_id, first_day, last_day))
			*(r->verdict == BOOK_READER_NEW_ACCOUNT ? &out->new_accounts
								: &out->crowded_addresses) += 1;
	}
	return 0;
}

static int64_t excluded(const book_reader_counts *c)
{
	return c->new_accounts + c->crowded_addresses;
}

/* Most excluded, then newest, first. */
static int more_excluded(const book *a, const void *ax, const book *b, const void *bx)
{
	int64_t x = excluded(ax), y = excluded(bx);

	return x > y || (x == y && a->id > b->id);
}

int fake_books_exclusions(book *out, book_reader_counts *counts, size_t *n, void *self, uow_tx *tx,
			  int64_t first_day, int64_t last_day, size_t limit, app_err *err)
{
	fake_books *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_books_fail(f, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++) {
		book_reader_counts c;

		if ((rc = fake_books_reader_counts(&c, f, tx, f->rows[i].b.id, first_day, last_day,
						   err)))
			return rc;
		if (excluded(&c))
			fake_books_rank(out, counts, sizeof(*counts), n, limit, &f->rows[i].b, &c,
					more_excluded);
	}
	return 0;
}
