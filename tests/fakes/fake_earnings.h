/*
 * A hand-written fake of the earnings repository (ports/earnings_repo.h),
 * honouring the port like the others in fakes.h: rows roll back with their
 * unit, fail_next fails the next call with that APP_E* code. The contract
 * suite in tests/contract/ holds it and the SQLite adapter to one behaviour.
 */
#ifndef WL_TEST_FAKE_EARNINGS_H
#define WL_TEST_FAKE_EARNINGS_H

#include <stddef.h>

#include "ports/earnings_repo.h"

#define FAKE_EARNINGS_CAP 128

typedef struct fake_earning_row {
	earning e;
	char title[EARNINGS_TITLE_MAX];
} fake_earning_row;

typedef struct fake_income_row {
	char source[EARNINGS_SOURCE_MAX];
	int month;
	int64_t amount;
} fake_income_row;

typedef struct fake_read_row {
	int month, number; /* the episode */
	int64_t member_id, book_id, author_id;
} fake_read_row;

typedef struct fake_balance_row {
	int64_t author_id, earned, available;
} fake_balance_row;

typedef struct fake_earnings {
	fake_earning_row earnings[FAKE_EARNINGS_CAP];
	size_t n;
	fake_income_row income[FAKE_EARNINGS_CAP];
	size_t nincome;
	fake_read_row reads[FAKE_EARNINGS_CAP];
	size_t nreads;
	int months[FAKE_EARNINGS_CAP]; /* settled */
	size_t nmonths;
	fake_balance_row balances[FAKE_EARNINGS_CAP];
	size_t nbalances;
	payout payouts[FAKE_EARNINGS_CAP];
	size_t npayouts;
	int fail_next;
	int calls;
} fake_earnings;

earnings_repo fake_earnings_repo(fake_earnings *f);

#endif
