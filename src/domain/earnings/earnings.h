/*
 * The earnings core: the author's share of every sale and of each month's
 * subscription pool (the formula is in earning.h and the README), the
 * author's page, and payouts. It learns of sales, subscriptions and reads
 * from events (at least once: every handler is idempotent in storage).
 */
#ifndef WL_DOMAIN_EARNINGS_H
#define WL_DOMAIN_EARNINGS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/event.h"
#include "domain/earnings/earning.h"
#include "ports/clock.h"
#include "ports/earnings_repo.h"
#include "ports/events.h"
#include "ports/uow.h"

typedef struct earnings_deps {
	earnings_repo repo;
	earnings_sources sources;
	uow uow;
	event_publisher events;
	clock_port clock;
} earnings_deps;

typedef struct earnings_service {
	earnings_deps d;
	int percent; /* the author's share, 0..100 */
} earnings_service;

void earnings_service_init(earnings_service *svc, const earnings_deps *deps, int percent);

/*
 * points.spent: a purchase of a work (bookId) earns its author the share; a
 * subscription payment goes into its month's pool. Idempotent per ledger id.
 */
int earnings_on_spent(earnings_service *svc, const domain_event *ev, app_err *err);

/*
 * episode.viewed (bookId, number, memberId, reason): a read under the
 * subscription or a wait-free unlock is a unit of the month's pool for the
 * work, once per member and episode a month. A book.viewed without a reason
 * counts for episode 1 when the reader subscribes.
 */
int earnings_on_viewed(earnings_service *svc, const domain_event *ev, app_err *err);

/*
 * The scheduler's pass: settles every month before the current one that is
 * not settled yet (once: a settled month is recorded with its shares in one
 * unit). *months counts the months settled.
 */
int earnings_settle_due(int *months, earnings_service *svc, app_err *err);

typedef struct earnings_page {
	earnings_summary summary;
	earnings_line lines[240];
	size_t nlines;
	payout payouts[50];
	size_t npayouts;
} earnings_page;

/* Everything the author's page shows. */
int earnings_page_of(earnings_page *out, earnings_service *svc, int64_t author_id, app_err *err);

/*
 * Requests a payout of amount (EARNINGS_PAYOUT_MIN .. available).
 * APP_EINVALID (amount), APP_ECONFLICT "exceeds_available". Two requests at
 * once never take more than the balance.
 */
int earnings_request_payout(payout *out, earnings_service *svc, int64_t author_id, int64_t amount,
			    app_err *err);

int earnings_payouts(payout *out, size_t *n, int64_t *next_before, earnings_service *svc,
		     payout_status status, int64_t before, size_t limit, app_err *err);

/* An admin marks a requested payout paid with a bank reference. APP_ECONFLICT "already_paid". */
int earnings_mark_paid(payout *out, earnings_service *svc, int64_t admin_id, int64_t id,
		       const char *reference, app_err *err);

#endif
