/* Shared by the Toss adapter's files. */
#ifndef WL_ADAPTER_TOSS_INTERNAL_H
#define WL_ADAPTER_TOSS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ports/payment_gateway.h"

/* "DONE" -> PAYMENT_DONE ...; PAYMENT_UNKNOWN for any other word. */
payment_status toss_status_parse(const char *s);

/* Copies s into out (cap bytes) without control characters, cut at a character boundary. */
void toss_copy_text(char *out, size_t cap, const char *s);

/* ISO 8601 with seconds and an offset ("2024-01-01T11:31:51+09:00") to ms; -1 if not one. */
int toss_time_parse(int64_t *ms, const char *s);

#endif
