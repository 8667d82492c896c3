/* Shared inside the reader rules. */
#ifndef WL_DOMAIN_READER_INTERNAL_H
#define WL_DOMAIN_READER_INTERNAL_H

#include <stddef.h>

/* Copies n bytes of s into out (cap bytes), cut at a character boundary with "…" when long. */
void reader_copy_cut(char *out, size_t cap, const char *s, size_t n);

#endif
