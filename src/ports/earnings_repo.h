/*
 * Author earnings (the earnings core): the ledger of each author's share,
 * the month's subscription income and subscriber reads, the settled months,
 * and payouts. Every write is idempotent in storage or guarded: a sale is
 * recorded once per source, a month is settled once, and a payout takes
 * from the author's available balance only while it covers it.
 */
#ifndef WL_PORT_EARNINGS_REPO_H
#define WL_PORT_EARNINGS_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/earnings/earning.h"
#include "ports/uow.h"

typedef struct earnings_summary {
	int64_t earned, requested, paid_out, available;
} earnings_summary;

/* One row of the author's page: a work's sales and pool share in a month. */
typedef struct earnings_line {
	int month;
	int64_t book_id;
	char title[EARNINGS_TITLE_MAX];
	int64_t sales, pool, units;
} earnings_line;

typedef struct earnings_repo_vtbl {
	/* Records e once per e->source (*added 0 when it was there) and adds it to the balance. */
	int (*record)(int *added, void *self, uow_tx *tx, const earning *e, const char *title,
		      app_err *err);
	/* Subscription income of a month, once per source. */
	int (*income_add)(void *self, uow_tx *tx, const char *source, int month, int64_t amount,
			  int64_t now, app_err *err);
	/* A read unit of a month (distinct per member, book, episode and kind). */
	int (*read_add)(void *self, uow_tx *tx, int month, int64_t member_id, int64_t book_id,
			int number, int64_t author_id, app_err *err);
	/* Months before `before` with income or reads and not yet settled, oldest first. */
	int (*months_due)(int *out, size_t *n, void *self, uow_tx *tx, int before, size_t cap,
			  app_err *err);
	int (*income_of)(int64_t *out, void *self, uow_tx *tx, int month, app_err *err);
	/* The month's read units per work. */
	int (*units_of)(pool_units *out, size_t *n, void *self, uow_tx *tx, int month, size_t cap,
			app_err *err);
	/* Marks the month settled. APP_EEXISTS when it was. */
	int (*settle)(void *self, uow_tx *tx, int month, int64_t income, int64_t distributed,
		      int64_t now, app_err *err);
	int (*summary)(earnings_summary *out, void *self, uow_tx *tx, int64_t author_id,
		       app_err *err);
	/* The author's lines, newest month first. */
	int (*lines)(earnings_line *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		     size_t cap, app_err *err);
	/* Takes p->amount from the available balance and records p (sets p->id); APP_EINSUFFICIENT.
	 */
	int (*payout_insert)(void *self, uow_tx *tx, payout *p, app_err *err);
	int (*payout_find)(payout *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* Newest first; author_id 0: everyone's; status 0: any; id < before_id (0: from the
	 * newest). */
	int (*payouts)(payout *out, size_t *n, void *self, uow_tx *tx, int64_t author_id,
		       payout_status status, int64_t before_id, size_t limit, app_err *err);
	/* requested -> paid. APP_ECONFLICT when it was not requested. */
	int (*payout_paid)(void *self, uow_tx *tx, int64_t id, const char *reference,
			   int64_t admin_id, int64_t now, app_err *err);
} earnings_repo_vtbl;

typedef struct earnings_repo {
	const earnings_repo_vtbl *vtbl;
	void *self;
} earnings_repo;

/*
 * What the earnings core asks of the other cores: a work's author and title,
 * and whether a member reads it through the subscription (not as its buyer,
 * author or an admin, nor free).
 */
typedef struct earnings_sources_vtbl {
	int (*work)(int64_t *author_id, char title[EARNINGS_TITLE_MAX], int *by_subscription,
		    void *self, int64_t book_id, int64_t reader_id, app_err *err);
} earnings_sources_vtbl;

typedef struct earnings_sources {
	const earnings_sources_vtbl *vtbl;
	void *self;
} earnings_sources;

static inline int earnings_repo_record(int *added, const earnings_repo *r, uow_tx *tx,
				       const earning *e, const char *title, app_err *err)
{
	return r->vtbl->record(added, r->self, tx, e, title, err);
}
static inline int earnings_repo_income_add(const earnings_repo *r, uow_tx *tx, const char *source,
					   int month, int64_t amount, int64_t now, app_err *err)
{
	return r->vtbl->income_add(r->self, tx, source, month, amount, now, err);
}
static inline int earnings_repo_read_add(const earnings_repo *r, uow_tx *tx, int month,
					 int64_t member_id, int64_t book_id, int number,
					 int64_t author_id, app_err *err)
{
	return r->vtbl->read_add(r->self, tx, month, member_id, book_id, number, author_id, err);
}
static inline int earnings_repo_months_due(int *out, size_t *n, const earnings_repo *r, uow_tx *tx,
					   int before, size_t cap, app_err *err)
{
	return r->vtbl->months_due(out, n, r->self, tx, before, cap, err);
}
static inline int earnings_repo_income_of(int64_t *out, const earnings_repo *r, uow_tx *tx,
					  int month, app_err *err)
{
	return r->vtbl->income_of(out, r->self, tx, month, err);
}
static inline int earnings_repo_units_of(pool_units *out, size_t *n, const earnings_repo *r,
					 uow_tx *tx, int month, size_t cap, app_err *err)
{
	return r->vtbl->units_of(out, n, r->self, tx, month, cap, err);
}
static inline int earnings_repo_settle(const earnings_repo *r, uow_tx *tx, int month,
				       int64_t income, int64_t distributed, int64_t now,
				       app_err *err)
{
	return r->vtbl->settle(r->self, tx, month, income, distributed, now, err);
}
static inline int earnings_repo_summary(earnings_summary *out, const earnings_repo *r, uow_tx *tx,
					int64_t author_id, app_err *err)
{
	return r->vtbl->summary(out, r->self, tx, author_id, err);
}
static inline int earnings_repo_lines(earnings_line *out, size_t *n, const earnings_repo *r,
				      uow_tx *tx, int64_t author_id, size_t cap, app_err *err)
{
	return r->vtbl->lines(out, n, r->self, tx, author_id, cap, err);
}
static inline int earnings_repo_payout_insert(const earnings_repo *r, uow_tx *tx, payout *p,
					      app_err *err)
{
	return r->vtbl->payout_insert(r->self, tx, p, err);
}
static inline int earnings_repo_payout_find(payout *out, const earnings_repo *r, uow_tx *tx,
					    int64_t id, app_err *err)
{
	return r->vtbl->payout_find(out, r->self, tx, id, err);
}
static inline int earnings_repo_payouts(payout *out, size_t *n, const earnings_repo *r, uow_tx *tx,
					int64_t author_id, payout_status status, int64_t before_id,
					size_t limit, app_err *err)
{
	return r->vtbl->payouts(out, n, r->self, tx, author_id, status, before_id, limit, err);
}
static inline int earnings_repo_payout_paid(const earnings_repo *r, uow_tx *tx, int64_t id,
					    const char *reference, int64_t admin_id, int64_t now,
					    app_err *err)
{
	return r->vtbl->payout_paid(r->self, tx, id, reference, admin_id, now, err);
}
static inline int earnings_sources_work(int64_t *author_id, char title[EARNINGS_TITLE_MAX],
					int *by_subscription, const earnings_sources *s,
					int64_t book_id, int64_t reader_id, app_err *err)
{
	return s->vtbl->work(author_id, title, by_subscription, s->self, book_id, reader_id, err);
}

#endif
