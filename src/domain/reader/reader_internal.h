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

/* Readable and reached: the only episodes whose words a recap or an answer may use. */
int reader_reached(const work_view *w, size_t i);

/*
 * Loads the texts of every episode of w into eps[w->n] (texts[i] malloc'd,
 * freed by the caller even on failure), readable as reader_reached() says.
 */
int reader_load_texts(reader_episode *eps, char **texts, reader_service *svc, const work_view *w,
		      app_err *err);

/* 1 when the member is past ask_limit calls of what ("ask", "recap") in ten minutes (*retry ms). */
int reader_limited(int64_t *retry, reader_service *svc, const char *what, int64_t member_id);

/*
 * The model's turn (reader_model.c). Each replaces the offline result in out
 * when the model's reply passes reader_reply_judge(), and otherwise leaves it
 * with out->fallback set; a failing model is a fallback, not an error (only
 * APP_ENOMEM and storage errors return non-zero).
 */
int reader_model_recap(reader_recap_view *out, reader_service *svc, const work_view *w,
		       int64_t member_id, const reader_summary *src, size_t m, app_err *err);
int reader_model_answer(reader_ask_view *out, reader_service *svc, const work_view *w,
			const char *question, const reader_episode *eps, app_err *err);

/* Copies n bytes of s into out (cap bytes), cut at a character boundary with "…" when long. */
void reader_copy_cut(char *out, size_t cap, const char *s, size_t n);

#endif
