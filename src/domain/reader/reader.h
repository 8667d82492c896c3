/*
 * The reader's AI (reader core): the recap of what a reader read
 * ("지난 이야기") and questions asked of the story. Both see a work only
 * through the books core's one access decision and the reader's progress:
 * an episode counts when the reader may read it and has reached it (its
 * number at most the one of their progress). Texts are read through the
 * episode repository, so asking counts no view.
 */
#ifndef WL_DOMAIN_READER_H
#define WL_DOMAIN_READER_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/books.h"
#include "domain/common/err.h"
#include "domain/reader/reader_rules.h"
#include "ports/clock.h"
#include "ports/episode_repo.h"
#include "ports/limiter.h"

#define READER_EPISODES_MAX  1000 /* episodes of a work looked at */
#define READER_ASK_LIMIT     30	  /* questions per member in READER_ASK_WINDOW_MS, by default */
#define READER_ASK_WINDOW_MS (10LL * 60 * 1000)

typedef struct reader_deps {
	books_service *books; /* access, progress; not owned */
	episode_repo episodes;
	limiter_port limiter; /* counts questions per member */
	clock_port clock;
} reader_deps;

typedef struct reader_config {
	int ask_limit; /* questions per member in ten minutes; 0: no limit */
} reader_config;

typedef struct reader_service {
	reader_deps d;
	reader_config cfg;
} reader_service;

/* cfg NULL: the defaults. */
void reader_service_init(reader_service *svc, const reader_deps *deps, const reader_config *cfg);

typedef struct reader_recap_view {
	reader_recap recap;
	int64_t upto;	     /* the episode of the reader's progress; 0 before any */
	int64_t next;	     /* the episode to read next (0: none published yet) */
	int due;	     /* shown at the top of next: away a few days or episodes behind */
	const char *made_by; /* "offline" */
} reader_recap_view;

/*
 * The recap for who (signed in) of a work, built from the summaries of the
 * episodes who read (readable and at most upto). Empty before any reading.
 * APP_ENOTFOUND as books_get; APP_EUNAUTH anonymous.
 */
int reader_service_recap(reader_recap_view *out, reader_service *svc, const books_reader *who,
			 int64_t book_id, app_err *err);

/*
 * Answers a question from the paragraphs of the episodes who may read and
 * reached (*upto: the progress' episode): passages with their episode
 * numbers, or out->refused when the question is about what lies ahead.
 * APP_EINVALID ("question"), APP_ELIMITED "too_many_requests" past the
 * member's limit, APP_ENOTFOUND, APP_EUNAUTH.
 */
int reader_service_ask(reader_answer *out, int64_t *upto, reader_service *svc,
		       const books_reader *who, int64_t book_id, const char *question,
		       app_err *err);

#endif
