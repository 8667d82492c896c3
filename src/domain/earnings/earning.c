#include "domain/earnings/earning.h"

const char *earning_kind_name(earning_kind k)
{
	return k == EARNING_POOL ? "pool" : "sale";
}

const char *payout_status_name(payout_status s)
{
	return s == PAYOUT_PAID ? "paid" : "requested";
}

/* Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

int earnings_month_of(int64_t ms)
{
	int64_t z = (ms >= 0 ? ms : ms - 86399999) / 86400000 + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	return (int)(y * 100 + m);
}

int64_t earnings_month_start(int month)
{
	return days_from_civil(month / 100, month % 100, 1) * 86400000;
}

int earnings_month_next(int month)
{
	return month % 100 == 12 ? (month / 100 + 1) * 100 + 1 : month + 1;
}

int64_t earnings_share(int64_t amount, int percent)
{
	if (amount <= 0 || percent <= 0)
		return 0;
	/* amount * percent would overflow only past 9e16 points; split it anyway */
	return amount / 100 * percent + amount % 100 * percent / 100;
}

void earnings_pool_split(int64_t *out, const pool_units *works, size_t n, int64_t pot)
{
	int64_t total = 0;

	for (size_t i = 0; i < n; i++) {
		out[i] = 0;
		if (works[i].units > 0)
			total += works[i].units;
	}
	if (total <= 0 || pot <= 0)
		return;
	for (size_t i = 0; i < n; i++) {
		int64_t u = works[i].units > 0 ? works[i].units : 0;

		/* floor(pot * u / total) without the product overflowing */
		out[i] = pot / total * u + pot % total * u / total;
	}
}
