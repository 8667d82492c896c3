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
#include "ports/ebook_writer.h"
#include "ports/episode_repo.h"
#include "ports/limiter.h"
#include "domain/common/event.h"
#include "ports/opds_token_repo.h"
#include "ports/story_model.h"
#include "ports/uow.h"

#define READER_EPISODES_MAX  1000 /* episodes of a work looked at */
#define READER_ASK_LIMIT     30	  /* questions per member in READER_ASK_WINDOW_MS, by default */
#define READER_ASK_WINDOW_MS (10LL * 60 * 1000)

typedef struct reader_deps {
	books_service *books; /* access, progress; not owned */
	episode_repo episodes;
	limiter_port limiter; /* counts questions per member */
	clock_port clock;
	ebook_writer ebooks; /* EPUB */
	opds_token_repo tokens;
	crypto_port crypto; /* tokens and their digests */
	uow uow;
	story_model model; /* writes recaps and answers; vtbl NULL: offline only (not owned) */
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
/* From now on recaps and answers are the model's when it passes the checks (not owned). */
void reader_service_use_model(reader_service *svc, story_model model);

typedef struct reader_recap_view {
	reader_recap recap;
	int64_t upto;	      /* the episode of the reader's progress; 0 before any */
	int64_t next;	      /* the episode to read next (0: none published yet) */
	int due;	      /* shown at the top of next: away a few days or episodes behind */
	const char *made_by;  /* "offline" or the model's name */
	const char *fallback; /* NULL, or why the model's recap was not used (a verdict code) */
} reader_recap_view;

/*
 * The recap for who (signed in) of a work, built from the summaries of the
 * episodes who read (readable and at most upto). Empty before any reading.
 * With a model, the model writes it from those summaries alone; a recap that
 * fails reader_reply_judge() (or a model that fails) gives the offline one
 * with out->fallback saying why. Each member asks the model at most
 * ask_limit times in ten minutes (then: offline, "rate_limited").
 * APP_ENOTFOUND as books_get; APP_EUNAUTH anonymous.
 */
int reader_service_recap(reader_recap_view *out, reader_service *svc, const books_reader *who,
			 int64_t book_id, app_err *err);

typedef struct reader_ask_view {
	reader_answer a; /* the passages (the offline answer), or the refusal */
	int64_t upto;	 /* the progress' episode */
	reader_sentence said[READER_ANSWER_SENTENCES]; /* the model's answer, when used */
	size_t nsaid;
	const char *made_by;  /* "offline" or the model's name */
	const char *fallback; /* NULL, or why the model's answer was not used */
} reader_ask_view;

/*
 * Answers a question from the paragraphs of the episodes who may read and
 * reached: passages with their episode numbers, or out->a.refused when the
 * question is about what lies ahead. With a model and passages, the model
 * answers from the question and those passages alone, each sentence citing
 * a passage's episode; judged as the recap is. APP_EINVALID ("question"),
 * APP_ELIMITED "too_many_requests" past the member's limit, APP_ENOTFOUND,
 * APP_EUNAUTH.
 */
int reader_service_ask(reader_ask_view *out, reader_service *svc, const books_reader *who,
		       int64_t book_id, const char *question, app_err *err);

/*
 * A DRM-free EPUB of what who owns of a work: the episodes bought or unlocked
 * for good and the free ones (the whole work for its author and admins),
 * with the cover, a table of contents and buyer (the member's name) on the
 * title page; labels in lang ("ko" or "en"). *out is malloc'd; *episodes
 * how many are inside. APP_EFORBIDDEN "purchase_required" when who owns no
 * episode of it; APP_ENOTFOUND, APP_EUNAUTH.
 */
int reader_service_epub(void **out, size_t *len, size_t *episodes, reader_service *svc,
			const books_reader *who, const char *buyer, const char *lang,
			int64_t book_id, app_err *err);

/* --- the OPDS catalog (reader_opds.c) ------------------------------------------------- */

#define READER_OPDS_MAX 500 /* works in a catalog */

/*
 * Makes the member a new catalog token (the old one stops working): token
 * is the only copy, *created_at when. APP_EIO, APP_ENOMEM.
 */
int reader_opds_token_new(char token[CRYPTO_TOKEN_MAX], int64_t *created_at, reader_service *svc,
			  int64_t member_id, app_err *err);
/* Revokes the member's token; 0 also when there was none. */
int reader_opds_token_revoke(reader_service *svc, int64_t member_id, app_err *err);
/* The reader's subscriber: member.deleted revokes the member's token. */
int reader_on_event(reader_service *svc, const domain_event *ev, app_err *err);
/* When the member's token was made. APP_ENOTFOUND when they have none. */
int reader_opds_token_created(int64_t *at, reader_service *svc, int64_t member_id, app_err *err);
/* The member a token belongs to. APP_ENOTFOUND for an unknown or revoked token. */
int reader_opds_member(int64_t *member_id, reader_service *svc, const char *token, app_err *err);
/*
 * The works the member owns episodes of (bought or unlocked for good), latest
 * activity first, at most cap (READER_OPDS_MAX). *n how many.
 */
int reader_opds_works(book *out, size_t *n, reader_service *svc, int64_t member_id, size_t cap,
		      app_err *err);

#endif
