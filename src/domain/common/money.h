/* Money rules shared by the cores: points are integers (1 P = 1 KRW). */
#ifndef WL_DOMAIN_MONEY_H
#define WL_DOMAIN_MONEY_H

#include <stdint.h>

/*
 * Clamps price into min..max, then rounds it to the nearest multiple of step
 * (half away from zero: with step 100, 1250 -> 1300 and 1249 -> 1200),
 * staying inside the bounds. When no multiple of step lies in min..max the
 * clamped value is returned unrounded. Asserts min <= max and step >= 1.
 */
int64_t money_clamp(int64_t price, int64_t min, int64_t max, int64_t step);

#endif
