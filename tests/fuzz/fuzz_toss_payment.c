/*
 * The Toss adapter's readers on arbitrary bytes: a provider answer is outside
 * input. Whatever comes in, the Payment and error readers must not crash,
 * leak or read out of bounds; what they accept must be consistent (a balance
 * never above the total, no amount below zero) and every string they keep
 * must be NUL-terminated within its buffer and free of control characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/toss/toss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char code[PAYMENT_CODE_MAX], message[PAYMENT_MESSAGE_MAX];
	payment_info p;
	app_err err;

	if (toss_payment_parse(&p, (const char *)data, size, &err) == 0) {
		if (p.total_amount < 0 || p.balance_amount < 0 ||
		    p.balance_amount > p.total_amount || p.status == PAYMENT_UNKNOWN || !p.key[0])
			abort();
		check_text(p.failure_code, sizeof(p.failure_code));
		check_text(p.failure_message, sizeof(p.failure_message));
	}
	toss_error_parse(code, message, (const char *)data, size);
	check_text(code, sizeof(code));
	check_text(message, sizeof(message));
	return 0;
}
