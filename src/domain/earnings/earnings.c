#include "domain/earnings/earnings.h"

#include <stdio.h>
#include <string.h>

#include "domain/common/text.h"

void earnings_service_init(earnings_service *svc, const earnings_deps *deps, int percent)
{
	svc->d = *deps;
	svc->percent = percent < 0 ? 0 : percent > 100 ? 100 : percent;
}

static int64_t now_ms(earnings_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

/* Runs one idempotent write in a unit of its own. */
static int in_unit(earnings_service *svc,
		   int (*write)(earnings_service *, uow_tx *, void *, app_err *), void *arg,
		   app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, write(svc, tx, arg, err), err);
}

typedef struct sale {
	earning e;
	char title[EARNINGS_TITLE_MAX];
} sale;

static int sale_write(earnings_service *svc, uow_tx *tx, void *arg, app_err *err)
{
	sale *s = arg;
	int added;

	return earnings_repo_record(&added, &svc->d.repo, tx, &s->e, s->title, err);
}

typedef struct income_row {
	char source[EARNINGS_SOURCE_MAX];
	int month;
	int64_t amount;
} income_row;

static int income_write(earnings_service *svc, uow_tx *tx, void *arg, app_err *err)
{
	income_row *in = arg;

	return earnings_repo_income_add(&svc->d.repo, tx, in->source, in->month, in->amount,
					now_ms(svc), err);
}

int earnings_on_spent(earnings_service *svc, const domain_event *ev, app_err *err)
{
	const char *kind = domain_event_str(ev, "kind");
	int64_t ledger = domain_event_int(ev, "ledgerId", 0);
	int64_t amount = domain_event_int(ev, "amount", 0);
	int64_t book = domain_event_int(ev, "bookId", 0);
	int by_sub;
	sale s;
	income_row in;
	int rc;

	if (!kind || ledger <= 0 || amount <= 0)
		return 0;
	if (!strcmp(kind, "subscription")) {
		snprintf(in.source, sizeof(in.source), "ledger:%lld", (long long)ledger);
		in.month = earnings_month_of(ev->created_at);
		in.amount = amount;
		return in_unit(svc, income_write, &in, err);
	}
	if (strcmp(kind, "purchase") != 0 || book <= 0)
		return 0;
	memset(&s, 0, sizeof(s));
	rc = earnings_sources_work(&s.e.author_id, s.title, &by_sub, &svc->d.sources, book, 0, err);
	if (rc == APP_ENOTFOUND)
		return 0; /* a work that is gone earns nobody */
	if (rc)
		return rc;
	s.e.book_id = book;
	s.e.kind = EARNING_SALE;
	s.e.month = earnings_month_of(ev->created_at);
	s.e.gross = amount;
	s.e.amount = earnings_share(amount, svc->percent);
	s.e.created_at = ev->created_at;
	snprintf(s.e.source, sizeof(s.e.source), "ledger:%lld", (long long)ledger);
	return in_unit(svc, sale_write, &s, err);
}

typedef struct read_unit {
	int month, episode;
	int64_t member, book, author;
} read_unit;

static int read_write(earnings_service *svc, uow_tx *tx, void *arg, app_err *err)
{
	read_unit *r = arg;

	return earnings_repo_read_add(&svc->d.repo, tx, r->month, r->member, r->book, r->episode,
				      r->author, err);
}

/*
 * Whether a counted read is a unit of the pool: an episode.viewed names the
 * access it was read under (subscription and wait-free reads share the pool);
 * a book.viewed without one asks whether the reader subscribes now.
 */
static int read_earns(const domain_event *ev, int by_subscription)
{
	const char *reason = domain_event_str(ev, "reason");

	if (!reason)
		return by_subscription;
	return !strcmp(reason, "subscription") || !strcmp(reason, "wait_free");
}

int earnings_on_viewed(earnings_service *svc, const domain_event *ev, app_err *err)
{
	read_unit r = {.member = domain_event_int(ev, "memberId", 0),
		       .book = domain_event_int(ev, "bookId", 0),
		       .episode = (int)domain_event_int(ev, "number", 1)};
	char title[EARNINGS_TITLE_MAX];
	int by_sub = 0, rc;

	if (r.member <= 0 || r.book <= 0 || r.episode <= 0)
		return 0;
	rc = earnings_sources_work(&r.author, title, &by_sub, &svc->d.sources, r.book, r.member,
				   err);
	if (rc == APP_ENOTFOUND || (rc == 0 && !read_earns(ev, by_sub)))
		return 0;
	if (rc)
		return rc;
	r.month = earnings_month_of(ev->created_at);
	return in_unit(svc, read_write, &r, err);
}

/* Settles one month: the pool's authors' part split by read units, in one unit. */
static int settle_month(earnings_service *svc, int month, app_err *err)
{
	pool_units works[512];
	int64_t shares[512], income = 0, pot, given = 0;
	size_t n = 0;
	uow_tx *tx;
	int rc, added;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = earnings_repo_income_of(&income, &svc->d.repo, tx, month, err)) ||
	    (rc = earnings_repo_units_of(works, &n, &svc->d.repo, tx, month, 512, err)))
		goto fail;
	pot = earnings_share(income, svc->percent);
	earnings_pool_split(shares, works, n, pot);
	for (size_t i = 0; i < n; i++) {
		char title[EARNINGS_TITLE_MAX] = "";
		int64_t author;
		int by_sub;
		earning e = {.author_id = works[i].author_id,
			     .book_id = works[i].book_id,
			     .kind = EARNING_POOL,
			     .month = month,
			     .gross = pot,
			     .amount = shares[i],
			     .units = works[i].units,
			     .created_at = now_ms(svc)};

		if (shares[i] <= 0)
			continue;
		snprintf(e.source, sizeof(e.source), "pool:%d:book:%lld", month,
			 (long long)works[i].book_id);
		/* the title for the author's page; a work gone since keeps its share */
		earnings_sources_work(&author, title, &by_sub, &svc->d.sources, works[i].book_id, 0,
				      NULL);
		if ((rc = earnings_repo_record(&added, &svc->d.repo, tx, &e, title, err)))
			goto fail;
		given += shares[i];
	}
	if ((rc = earnings_repo_settle(&svc->d.repo, tx, month, income, given, now_ms(svc), err)))
		goto fail;
	return uow_commit(tx, err);
fail:
	uow_rollback(tx);
	return rc == APP_EEXISTS ? 0 : rc; /* settled by another pass meanwhile */
}

int earnings_settle_due(int *months, earnings_service *svc, app_err *err)
{
	int due[64];
	size_t n;
	int rc;

	*months = 0;
	if ((rc = earnings_repo_months_due(due, &n, &svc->d.repo, NULL,
					   earnings_month_of(now_ms(svc)), 64, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = settle_month(svc, due[i], err)))
			return rc;
		(*months)++;
	}
	return 0;
}

int earnings_page_of(earnings_page *out, earnings_service *svc, int64_t author_id, app_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = earnings_repo_summary(&out->summary, &svc->d.repo, NULL, author_id, err)) ||
	    (rc = earnings_repo_lines(out->lines, &out->nlines, &svc->d.repo, NULL, author_id,
				      sizeof(out->lines) / sizeof(out->lines[0]), err)))
		return rc;
	return earnings_repo_payouts(out->payouts, &out->npayouts, &svc->d.repo, NULL, author_id, 0,
				     0, sizeof(out->payouts) / sizeof(out->payouts[0]), err);
}

static int payout_write(earnings_service *svc, uow_tx *tx, void *arg, app_err *err)
{
	payout *p = arg;
	domain_event ev;
	int rc = earnings_repo_payout_insert(&svc->d.repo, tx, p, err);

	if (rc == APP_EINSUFFICIENT)
		return app_err_set(err, APP_ECONFLICT, "exceeds_available", "amount",
				   "%lld points is more than is available to withdraw",
				   (long long)p->amount);
	if (rc)
		return rc;
	domain_event_init(&ev, "payout.requested");
	domain_event_add_int(&ev, "payoutId", p->id);
	domain_event_add_int(&ev, "authorId", p->author_id);
	domain_event_add_int(&ev, "amount", p->amount);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

int earnings_request_payout(payout *out, earnings_service *svc, int64_t author_id, int64_t amount,
			    app_err *err)
{
	if (amount < EARNINGS_PAYOUT_MIN)
		return app_err_set(err, APP_EINVALID, NULL, "amount",
				   "a payout is at least %d points", EARNINGS_PAYOUT_MIN);
	memset(out, 0, sizeof(*out));
	out->author_id = author_id;
	out->amount = amount;
	out->status = PAYOUT_REQUESTED;
	out->requested_at = now_ms(svc);
	return in_unit(svc, payout_write, out, err);
}

int earnings_payouts(payout *out, size_t *n, int64_t *next_before, earnings_service *svc,
		     payout_status status, int64_t before, size_t limit, app_err *err)
{
	int rc = earnings_repo_payouts(out, n, &svc->d.repo, NULL, 0, status, before, limit, err);

	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

typedef struct paid {
	int64_t id, admin, at;
	char reference[EARNINGS_REFERENCE_MAX + 1];
} paid;

static int paid_write(earnings_service *svc, uow_tx *tx, void *arg, app_err *err)
{
	paid *p = arg;
	domain_event ev;
	int rc =
	    earnings_repo_payout_paid(&svc->d.repo, tx, p->id, p->reference, p->admin, p->at, err);

	if (rc == APP_ECONFLICT)
		return app_err_set(err, APP_ECONFLICT, "already_paid", NULL,
				   "this payout has been marked paid already");
	if (rc)
		return rc;
	domain_event_init(&ev, "payout.paid");
	domain_event_add_int(&ev, "payoutId", p->id);
	domain_event_add_int(&ev, "adminId", p->admin);
	domain_event_add_str(&ev, "reference", p->reference);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

int earnings_mark_paid(payout *out, earnings_service *svc, int64_t admin_id, int64_t id,
		       const char *reference, app_err *err)
{
	paid p = {.id = id, .admin = admin_id, .at = now_ms(svc)};
	size_t len = reference ? strlen(reference) : 0;
	int rc;

	if (len == 0 || len > EARNINGS_REFERENCE_MAX || !text_utf8_valid(reference, len))
		return app_err_set(err, APP_EINVALID, NULL, "reference",
				   "reference must have 1 to %d bytes of text",
				   EARNINGS_REFERENCE_MAX);
	memcpy(p.reference, reference, len + 1);
	if ((rc = earnings_repo_payout_find(out, &svc->d.repo, NULL, id, err)))
		return rc == APP_ENOTFOUND
			   ? app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such payout")
			   : rc;
	if ((rc = in_unit(svc, paid_write, &p, err)))
		return rc;
	/* what the unit wrote: no read after it that could fail a payment that was made */
	out->status = PAYOUT_PAID;
	memcpy(out->reference, p.reference, len + 1);
	out->paid_by = admin_id;
	out->paid_at = p.at;
	return 0;
}
