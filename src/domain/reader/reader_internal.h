/* Shared inside the reader rules. */
#ifndef WL_DOMAIN_READER_INTERNAL_H
#define WL_DOMAIN_READER_INTERNAL_H

#include <stddef.h>

#include "domain/reader/reader.h"

/* A work's published episodes as who sees them, and who's progress in it. */
typedef struct work_view {
	book b;
	books_episode_view *v;
	size_t n;
	reading_progress p; /* p.number 0: never read */
} work_view;

/* Fills w for a signed-in who (APP_EUNAUTH otherwise); reader_work_dispose() frees it. */
int reader_gather(work_view *w, reader_service *svc, const books_reader *who, int64_t book_id,
		  app_err *err);
void reader_work_dispose(work_view *w);

/* Copies n bytes of s into out (cap bytes), cut at a character boundary with "…" when long. */
void reader_copy_cut(char *out, size_t cap, const char *s, size_t n);

#endif
