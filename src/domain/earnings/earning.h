/*
 * Author earnings: the author's share of every sale, and of the month's
 * subscription pool. Integer points throughout; every division rounds down
 * and the remainder stays with the platform.
 *
 *   sale      share = floor(price * percent / 100)
 *   pool(M)   = the subscription payments made in month M (UTC)
 *   authors   = floor(pool(M) * percent / 100)
 *   units(w)  = distinct (subscriber, episode of w) read by subscription in M
 *               + wait-free unlocks of w's episodes in M
 *   earn(w)   = floor(authors * units(w) / sum of units(v) over every work v)
 */
#ifndef WL_DOMAIN_EARNING_H
#define WL_DOMAIN_EARNING_H

#include <stddef.h>
#include <stdint.h>

#define EARNINGS_PAYOUT_MIN	 1000 /* points: smaller requests are refused */
#define EARNINGS_SOURCE_MAX	 64
#define EARNINGS_REFERENCE_MAX	 100 /* bytes of a payout's bank reference */
#define EARNINGS_DEFAULT_PERCENT 70
#define EARNINGS_TITLE_MAX	 804 /* a work's title: 200 characters of UTF-8 */

typedef enum { EARNING_SALE = 1, EARNING_POOL } earning_kind;

typedef struct earning {
	int64_t id;
	int64_t author_id;
	int64_t book_id;
	earning_kind kind;
	int month;			  /* yyyymm, UTC */
	int64_t gross;			  /* what the reader paid, or the pool's part for authors */
	int64_t amount;			  /* the author's points */
	int64_t units;			  /* pool: the work's read units that month */
	char source[EARNINGS_SOURCE_MAX]; /* unique: "ledger:12", "pool:202612:book:9" */
	int64_t created_at;
} earning;

typedef enum { PAYOUT_REQUESTED = 1, PAYOUT_PAID } payout_status;

typedef struct payout {
	int64_t id;
	int64_t author_id;
	int64_t amount;
	payout_status status;
	char reference[EARNINGS_REFERENCE_MAX + 1];
	int64_t paid_by;
	int64_t requested_at, paid_at;
} payout;

/* One work's read units in a month, with its author (for the pool). */
typedef struct pool_units {
	int64_t author_id, book_id, units;
} pool_units;

const char *earning_kind_name(earning_kind k);
const char *payout_status_name(payout_status s);

/* The UTC month of ms as yyyymm (202612), and the first millisecond of a month. */
int earnings_month_of(int64_t ms);
int64_t earnings_month_start(int month);
int earnings_month_next(int month);

/* floor(amount * percent / 100); 0 for amounts or percents below 0. */
int64_t earnings_share(int64_t amount, int percent);

/*
 * Splits pot among works by their units: out[i] = floor(pot * units[i] /
 * total). Nothing is split (all zero) when no work has units.
 */
void earnings_pool_split(int64_t *out, const pool_units *works, size_t n, int64_t pot);

#endif
