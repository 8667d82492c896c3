#include "fakes/fake_earnings.h"
#include "fakes/fakes.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const fake_rows fe_rows = {.size = offsetof(fake_earnings, fail_next),
				  .state_size = sizeof(fake_earnings)};

/* Every call counts and takes the canned failure; writes put the rows on the unit first. */
static int fe_write(fake_earnings *f, uow_tx *tx, app_err *err)
{
	fake_tx_touch(tx, f, &fe_rows);
	f->calls++;
	return fake_take_fail(&f->fail_next, err);
}

static int fe_read(fake_earnings *f, uow_tx *tx, app_err *err)
{
	fake_tx_check(tx);
	f->calls++;
	return fake_take_fail(&f->fail_next, err);
}

static int full(app_err *err)
{
	return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
}

static fake_balance_row *balance_of(fake_earnings *f, int64_t author_id, int make)
{
	for (size_t i = 0; i < f->nbalances; i++)
		if (f->balances[i].author_id == author_id)
			return &f->balances[i];
	if (!make || f->nbalances == FAKE_EARNINGS_CAP)
		return NULL;
	f->balances[f->nbalances] = (fake_balance_row){.author_id = author_id};
	return &f->balances[f->nbalances++];
}

static int fe_record(int *added, void *self, uow_tx *tx, const earning *e, const char *title,
		     app_err *err)
{
	fake_earnings *f = self;
	fake_balance_row *b;
	int rc;

	*added = 0;
	if ((rc = fe_write(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->earnings[i].e.source, e->source))
			return 0; /* recorded before: at-least-once delivery */
	if (f->n == FAKE_EARNINGS_CAP || !(b = balance_of(f, e->author_id, 1)))
		return full(err);
	f->earnings[f->n].e = *e;
	f->earnings[f->n].e.id = (int64_t)f->n + 1;
	snprintf(f->earnings[f->n].title, EARNINGS_TITLE_MAX, "%s", title ? title : "");
	f->n++;
	b->earned += e->amount;
	b->available += e->amount;
	*added = 1;
	return 0;
}

static int fe_income_add(void *self, uow_tx *tx, const char *source, int month, int64_t amount,
			 int64_t now, app_err *err)
{
	fake_earnings *f = self;
	int rc;

	(void)now;
	if ((rc = fe_write(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->nincome; i++)
		if (!strcmp(f->income[i].source, source))
			return 0;
	if (f->nincome == FAKE_EARNINGS_CAP)
		return full(err);
	snprintf(f->income[f->nincome].source, EARNINGS_SOURCE_MAX, "%s", source);
	f->income[f->nincome].month = month;
	f->income[f->nincome++].amount = amount;
	return 0;
}

static int fe_read_add(void *self, uow_tx *tx, int month, int64_t member_id, int64_t book_id,
		       int number, int64_t author_id, app_err *err)
{
	fake_earnings *f = self;
	fake_read_row r = {.month = month,
			   .number = number,
			   .member_id = member_id,
			   .book_id = book_id,
			   .author_id = author_id};
	int rc;

	if ((rc = fe_write(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->nreads; i++) {
		fake_read_row *o = &f->reads[i];

		if (o->month == month && o->member_id == member_id && o->book_id == book_id &&
		    o->number == number)
			return 0;
	}
	if (f->nreads == FAKE_EARNINGS_CAP)
		return full(err);
	f->reads[f->nreads++] = r;
	return 0;
}

static int settled(const fake_earnings *f, int month)
{
	for (size_t i = 0; i < f->nmonths; i++)
		if (f->months[i] == month)
			return 1;
	return 0;
}

/* Puts month into the ascending set out[0..*n) of at most cap. */
static void month_put(int *out, size_t *n, size_t cap, int month)
{
	size_t at = 0;

	while (at < *n && out[at] < month)
		at++;
	if ((at < *n && out[at] == month) || at == cap)
		return;
	if (*n == cap)
		(*n)--;
	memmove(&out[at + 1], &out[at], (*n - at) * sizeof(out[0]));
	out[at] = month;
	(*n)++;
}

static int fe_months_due(int *out, size_t *n, void *self, uow_tx *tx, int before, size_t cap,
			 app_err *err)
{
	fake_earnings *f = self;
	int rc;

	*n = 0;
	if ((rc = fe_read(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->nincome + f->nreads; i++) {
		int m = i < f->nincome ? f->income[i].month : f->reads[i - f->nincome].month;

		if (m < before && !settled(f, m))
			month_put(out, n, cap, m);
	}
	return 0;
}

static int fe_income_of(int64_t *out, void *self, uow_tx *tx, int month, app_err *err)
{
	fake_earnings *f = self;
	int rc;

	*out = 0;
	if ((rc = fe_read(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->nincome; i++)
		if (f->income[i].month == month)
			*out += f->income[i].amount;
	return 0;
}

static int fe_units_of(pool_units *out, size_t *n, void *self, uow_tx *tx, int month, size_t cap,
		       app_err *err)
{
	fake_earnings *f = self;
	pool_units all[FAKE_EARNINGS_CAP];
	size_t m = 0;
	int rc;

	*n = 0;
	if ((rc = fe_read(f, tx, err)))
		return rc;
	for (size_t i = 0; i < f->nreads; i++) {
		const fake_read_row *r = &f->reads[i];
		size_t at = 0;

		if (r->month != month)
			continue;
		while (at < m &&
		       (all[at].book_id < r->book_id ||
			(all[at].book_id == r->book_id && all[at].author_id < r->author_id)))
			at++;
		if (at == m || all[at].book_id != r->book_id || all[at].author_id != r->author_id) {
			memmove(&all[at + 1], &all[at], (m - at) * sizeof(all[0]));
			all[at] = (pool_units){.author_id = r->author_id, .book_id = r->book_id};
			m++;
		}
		all[at].units++;
	}
	*n = m < cap ? m : cap;
	memcpy(out, all, *n * sizeof(all[0]));
	return 0;
}

static int fe_settle(void *self, uow_tx *tx, int month, int64_t income, int64_t distributed,
		     int64_t now, app_err *err)
{
	fake_earnings *f = self;
	int rc;

	(void)income, (void)distributed, (void)now;
	if ((rc = fe_write(f, tx, err)))
		return rc;
	if (settled(f, month))
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "month settle: already exists");
	if (f->nmonths == FAKE_EARNINGS_CAP)
		return full(err);
	f->months[f->nmonths++] = month;
	return 0;
}

static int fe_summary(earnings_summary *out, void *self, uow_tx *tx, int64_t author_id,
		      app_err *err)
{
	fake_earnings *f = self;
	fake_balance_row *b;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fe_read(f, tx, err)))
		return rc;
	if ((b = balance_of(f, author_id, 0))) {
		out->earned = b->earned;
		out->available = b->available;
	}
	for (size_t i = 0; i < f->npayouts; i++) {
		const payout *p = &f->payouts[i];

		if (p->author_id != author_id)
			continue;
		if (p->status == PAYOUT_PAID)
			out->paid_out += p->amount;
		else
			out->requested += p->amount;
	}
	return 0;
}

/* The work's newest title that is not empty. */
static const char *title_of(const fake_earnings *f, int64_t book_id)
{
	for (size_t i = f->n; i-- > 0;)
		if (f->earnings[i].e.book_id == book_id && f->earnings[i].title[0])
			return f->earnings[i].title;
	return "";
}

/* The line of (month, book) in out[0..*n), ordered month down and book up, made when missing. */
static earnings_line *line_at(earnings_line *out, size_t *n, int month, int64_t book_id)
{
	size_t at = 0;

	while (at < *n &&
	       (out[at].month > month || (out[at].month == month && out[at].book_id < book_id)))
		at++;
	if (at < *n && out[at].month == month && out[at].book_id == book_id)
		return &out[at];
	memmove(&out[at + 1], &out[at], (*n - at) * sizeof(out[0]));
	memset(&out[at], 0, sizeof(out[at]));
	out[at].month = month;
	out[at].book_id = book_id;
	(*n)++;
	return &out[at];
}

static int fe_lines(earnings_line *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		    size_t cap, app_err *err)
{
	fake_earnings *f = self;
	earnings_line *all;
	size_t m = 0;
	int rc;

	*n = 0;
	if ((rc = fe_read(f, tx, err)))
		return rc;
	if (!(all = calloc(f->n ? f->n : 1, sizeof(*all))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	for (size_t i = 0; i < f->n; i++) {
		const earning *e = &f->earnings[i].e;
		earnings_line *l;

		if (e->author_id != author_id)
			continue;
		l = line_at(all, &m, e->month, e->book_id);
		snprintf(l->title, sizeof(l->title), "%s", title_of(f, e->book_id));
		l->sales += e->kind == EARNING_SALE ? e->amount : 0;
		l->pool += e->kind == EARNING_POOL ? e->amount : 0;
		l->units += e->units;
	}
	*n = m < cap ? m : cap;
	memcpy(out, all, *n * sizeof(all[0]));
	free(all);
	return 0;
}

static int fe_payout_insert(void *self, uow_tx *tx, payout *p, app_err *err)
{
	fake_earnings *f = self;
	fake_balance_row *b;
	int rc;

	if ((rc = fe_write(f, tx, err)))
		return rc;
	if (!(b = balance_of(f, p->author_id, 0)) || b->available < p->amount)
		return app_err_set(err, APP_EINSUFFICIENT, NULL, NULL, "not that much available");
	if (f->npayouts == FAKE_EARNINGS_CAP)
		return full(err);
	b->available -= p->amount;
	p->id = (int64_t)f->npayouts + 1;
	f->payouts[f->npayouts] = *p;
	f->payouts[f->npayouts].status = PAYOUT_REQUESTED;
	f->payouts[f->npayouts].reference[0] = '\0';
	f->payouts[f->npayouts].paid_by = 0;
	f->payouts[f->npayouts++].paid_at = 0;
	return 0;
}

static int fe_payout_find(payout *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_earnings *f = self;
	int rc;

	if ((rc = fe_read(f, tx, err)))
		return rc;
	if (id < 1 || (size_t)id > f->npayouts)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "payout not found");
	*out = f->payouts[id - 1];
	return 0;
}

static int fe_payouts(payout *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		      payout_status status, int64_t before_id, size_t limit, app_err *err)
{
	fake_earnings *f = self;
	int rc;

	*n = 0;
	if ((rc = fe_read(f, tx, err)))
		return rc;
	for (size_t i = f->npayouts; i-- > 0 && *n < limit;) {
		const payout *p = &f->payouts[i];

		if ((before_id <= 0 || p->id < before_id) &&
		    (author_id == 0 || p->author_id == author_id) &&
		    (status == 0 || p->status == status))
			out[(*n)++] = *p;
	}
	return 0;
}

static int fe_payout_paid(void *self, uow_tx *tx, int64_t id, const char *reference,
			  int64_t admin_id, int64_t now, app_err *err)
{
	fake_earnings *f = self;
	payout *p;
	int rc;

	if ((rc = fe_write(f, tx, err)))
		return rc;
	p = id >= 1 && (size_t)id <= f->npayouts ? &f->payouts[id - 1] : NULL;
	if (!p || p->status != PAYOUT_REQUESTED)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "not requested");
	p->status = PAYOUT_PAID;
	snprintf(p->reference, sizeof(p->reference), "%s", reference);
	p->paid_by = admin_id;
	p->paid_at = now;
	return 0;
}

static const earnings_repo_vtbl fe_vtbl = {
    .record = fe_record,
    .income_add = fe_income_add,
    .read_add = fe_read_add,
    .months_due = fe_months_due,
    .income_of = fe_income_of,
    .units_of = fe_units_of,
    .settle = fe_settle,
    .summary = fe_summary,
    .lines = fe_lines,
    .payout_insert = fe_payout_insert,
    .payout_find = fe_payout_find,
    .payouts = fe_payouts,
    .payout_paid = fe_payout_paid,
};

earnings_repo fake_earnings_repo(fake_earnings *f)
{
	return (earnings_repo){.vtbl = &fe_vtbl, .self = f};
}
