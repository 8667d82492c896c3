/* Inside the aigen service: what jobs.c and run.c share. */
#ifndef WL_DOMAIN_AIGEN_JOBS_INTERNAL_H
#define WL_DOMAIN_AIGEN_JOBS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/aigen/jobs.h"

/* Copies s (may be NULL) into dst (cap bytes), cut at a UTF-8 character boundary. */
void aigen_copy_text(char *dst, size_t cap, const char *s);

/* s, or "" for NULL. */
const char *aigen_or_empty(const char *s);

#endif
