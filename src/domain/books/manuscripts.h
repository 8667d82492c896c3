/*
 * The manuscripts part of the books core: an author's drafts with
 * optimistic concurrency and kept revisions, submission for AI generation,
 * and the state changes the generation pipeline makes. Every use case that
 * changes state runs in one unit of work; submission appends
 * manuscript.submitted in that same unit.
 *
 * Someone else's manuscript is answered exactly like a missing one
 * (APP_ENOTFOUND): the owner check is here, not only in the routes.
 */
#ifndef WL_DOMAIN_MANUSCRIPTS_H
#define WL_DOMAIN_MANUSCRIPTS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/manuscript.h"
#include "domain/common/err.h"
#include "ports/book_repo.h"
#include "ports/clock.h"
#include "ports/episode_repo.h"
#include "ports/events.h"
#include "ports/manuscript_repo.h"
#include "ports/uow.h"

typedef struct manuscripts_deps {
	manuscript_repo manuscripts;
	uow uow;
	event_publisher events;
	clock_port clock;
	/* the works episode manuscripts continue (the same core's stores) */
	book_repo books;
	episode_repo episodes;
} manuscripts_deps;

typedef struct manuscripts_service {
	manuscripts_deps d;
} manuscripts_service;

void manuscripts_service_init(manuscripts_service *svc, const manuscripts_deps *deps);

/*
 * Validates a title (trimmed, 1 to 200 characters, one line) and content
 * (at most 2 MiB of valid UTF-8): APP_EINVALID with err->field "title" or
 * "content". On success *title_out is the trimmed title (the caller frees).
 */
int manuscripts_validate(char **title_out, const char *title, const char *content,
			 size_t content_len, app_err *err);

/*
 * Starts a draft (revision 1, kept as the first revision). APP_EFORBIDDEN
 * "not_author" unless is_author (the caller has the author role);
 * APP_EINVALID as manuscripts_validate(). content may be NULL (empty).
 * out (may be NULL) receives the manuscript; the caller disposes it.
 */
int manuscripts_create(manuscript *out, manuscripts_service *svc, int64_t author_id, int is_author,
		       const char *title, const char *content, size_t content_len, app_err *err);

/* What a new manuscript is: a one-text book, a serial's first episode, or a work's next. */
typedef struct manuscripts_new {
	int64_t author_id;
	int is_author;
	const char *title, *content;
	size_t content_len;
	int serial;	 /* starts a serial work */
	int64_t book_id; /* a work of author_id's that this continues; 0 none */
} manuscripts_new;

/*
 * manuscripts_create with the work: APP_EINVALID (field "bookId") when
 * book_id is not a work of the author's, or with serial (a work's next
 * episode is not a new work).
 */
int manuscripts_start(manuscript *out, manuscripts_service *svc, const manuscripts_new *req,
		      app_err *err);

/*
 * The author's manuscripts without content, newest first, ids below
 * before_id (0: from the newest); out has room for limit, the caller
 * disposes each of the *n; *next_before is 0 on the last page.
 * APP_EFORBIDDEN "not_author" unless is_author.
 */
int manuscripts_list(manuscript *out, size_t *n, int64_t *next_before, manuscripts_service *svc,
		     int64_t author_id, int is_author, int64_t before_id, size_t limit,
		     app_err *err);

/* One of member_id's manuscripts with content. APP_ENOTFOUND for anyone else's. */
int manuscripts_get(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
		    app_err *err);

/* 0 when member_id owns manuscript id (its content is not loaded); APP_ENOTFOUND otherwise. */
int manuscripts_check_owner(manuscripts_service *svc, int64_t member_id, int64_t id, app_err *err);

/*
 * Saves a draft edited from revision `revision`: the manuscript moves to
 * revision + 1 and that revision is kept (the newest 21 are: the current and
 * 20 before it). APP_EINVALID as manuscripts_validate(), APP_ENOTFOUND,
 * APP_ECONFLICT "not_draft", or APP_ECONFLICT "revision_conflict" with the
 * extra "currentRevision" when revision is not the current one.
 */
int manuscripts_save(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
		     const char *title, const char *content, size_t content_len, int64_t revision,
		     app_err *err);

/* Deletes a draft and its revisions. APP_ENOTFOUND, APP_ECONFLICT "not_draft". */
int manuscripts_delete(manuscripts_service *svc, int64_t member_id, int64_t id, app_err *err);

/*
 * Submits a draft: status submitted and manuscript.submitted (manuscriptId,
 * authorId, title) in one unit. APP_ENOTFOUND, APP_ECONFLICT "not_draft",
 * APP_EINVALID (field "content") below 100 characters of content.
 */
int manuscripts_submit(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
		       app_err *err);

/*
 * manuscripts_submit with a time: an episode of a work (a manuscript with a
 * book id) is published at publish_at (ms; 0 as soon as it is generated),
 * which must lie in the future, within a year (APP_EINVALID "publishAt");
 * a work's first manuscript takes none. An episode's number is reserved
 * here: the next after the work's episodes and the ones already submitted.
 */
int manuscripts_submit_at(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
			  int64_t publish_at, app_err *err);

/*
 * Asks for generation again after a failure: failed -> submitted, the error
 * cleared, and manuscript.submitted (with retry true) published again.
 * APP_ENOTFOUND, APP_ECONFLICT "not_failed" in any other status.
 */
int manuscripts_retry(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
		      app_err *err);

/*
 * Kept revisions of one of member_id's manuscripts without content, newest
 * first, below before_revision (0: from the newest); out has room for limit;
 * *next_before is 0 on the last page. APP_ENOTFOUND for anyone else's.
 */
int manuscripts_revisions(manuscript_revision *out, size_t *n, int64_t *next_before,
			  manuscripts_service *svc, int64_t member_id, int64_t id,
			  int64_t before_revision, size_t limit, app_err *err);

/* One kept revision with content. APP_ENOTFOUND for anyone else's or a dropped one. */
int manuscripts_revision(manuscript_revision *out, manuscripts_service *svc, int64_t member_id,
			 int64_t id, int64_t revision, app_err *err);

/*
 * For the generation pipeline (never for a route: no owner check): a
 * manuscript with its content. APP_ENOTFOUND. The _in form reads in the
 * caller's unit tx (or NULL).
 */
int manuscripts_load(manuscript *out, manuscripts_service *svc, int64_t id, app_err *err);
int manuscripts_load_in(manuscript *out, manuscripts_service *svc, uow_tx *tx, int64_t id,
			app_err *err);

/*
 * State changes of the generation pipeline, each in its own unit of work,
 * or (the _in forms) in the caller's open unit tx. Asking for the state the manuscript is already
 * in succeeds without change (at-least-once delivery), except published
 * with another book id. Any transition manuscript_can_transition() refuses
 * is APP_ECONFLICT; APP_ENOTFOUND when absent.
 *   generating: from submitted.
 *   published:  from submitted or generating; sets book_id (> 0).
 *   failed:     from submitted or generating; error (kept up to 500 bytes).
 */
int manuscripts_mark_generating(manuscripts_service *svc, int64_t id, app_err *err);
int manuscripts_mark_generating_in(manuscripts_service *svc, uow_tx *tx, int64_t id, app_err *err);
int manuscripts_mark_published(manuscripts_service *svc, int64_t id, int64_t book_id, app_err *err);
int manuscripts_mark_published_in(manuscripts_service *svc, uow_tx *tx, int64_t id, int64_t book_id,
				  app_err *err);
int manuscripts_mark_failed(manuscripts_service *svc, int64_t id, const char *error, app_err *err);
int manuscripts_mark_failed_in(manuscripts_service *svc, uow_tx *tx, int64_t id, const char *error,
			       app_err *err);

#endif
