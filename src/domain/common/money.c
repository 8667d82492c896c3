#include "domain/common/money.h"

#include <assert.h>

int64_t money_clamp(int64_t price, int64_t min, int64_t max, int64_t step)
{
	int64_t p, rem, r;

	assert(min <= max && step >= 1);
	p = price < min ? min : price > max ? max : price;
	/* round half away from zero to a multiple of step */
	rem = p % step;
	if (rem * 2 >= step)
		r = p - rem + step;
	else if (rem * 2 <= -step)
		r = p - rem - step;
	else
		r = p - rem;
	if (r > max)
		r -= step;
	if (r < min)
		r += step;
	return r >= min && r <= max ? r : p;
}
