/*
 * The community core: readers coming back and talking. Follows of works and
 * authors, notifications (made from events, one per member per cause, at the
 * moment the event happened: a scheduled episode's at its publish time),
 * their daily digest mail (at most one per member per UTC day, with a link
 * that unsubscribes without signing in).
 *
 * Every write runs in one unit of work; event handlers are idempotent
 * (redelivery adds nothing).
 */
#ifndef WL_DOMAIN_COMMUNITY_H
#define WL_DOMAIN_COMMUNITY_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/common/event.h"
#include "domain/community/comment.h"
#include "domain/community/notification.h"
#include "domain/community/review.h"
#include "ports/clock.h"
#include "ports/comment_repo.h"
#include "ports/community_directory.h"
#include "ports/crypto.h"
#include "ports/events.h"
#include "ports/follow_repo.h"
#include "ports/limiter.h"
#include "ports/mail_queue.h"
#include "ports/notification_repo.h"
#include "ports/review_repo.h"
#include "ports/uow.h"

#define COMMUNITY_DAY_MS     (24LL * 3600 * 1000)
#define COMMUNITY_DIGEST_MAX 50 /* notifications one digest lists */

typedef struct community_config {
	int64_t digest_delay_ms; /* a notification waits this long for others; default 15 min */
	const char *public_url; /* links in mail ("https://library.example"), owned by the caller */
	int write_limit;	/* comment and review writes per member in 10 minutes; 0: none */
} community_config;

typedef struct community_deps {
	follow_repo follows;
	notification_repo notes;
	review_repo reviews;
	comment_repo comments;
	limiter_port limiter;
	community_directory dir;
	mail_queue mail;
	uow uow;
	event_publisher events;
	clock_port clock;
	crypto_port crypto;
} community_deps;

typedef struct community_service {
	community_deps d;
	community_config cfg;
} community_service;

void community_service_init(community_service *svc, const community_deps *deps,
			    const community_config *cfg);

/* --- follows ------------------------------------------------------------------------------ */

/*
 * Follows (on) or unfollows a work that anyone may see or an author
 * (APP_ENOTFOUND otherwise; an author cannot follow themself: APP_EINVALID).
 * Idempotent. *following and *followers say where it stands after.
 */
int community_follow(int *following, int64_t *followers, community_service *svc, int64_t member_id,
		     follow_kind kind, int64_t target, int on, app_err *err);

/* Where member_id (0: anonymous) stands; APP_ENOTFOUND for a target nobody may see. */
int community_follow_state(int *following, int64_t *followers, community_service *svc,
			   int64_t member_id, follow_kind kind, int64_t target, app_err *err);

/* The member's follows, newest first; *next_before is 0 at the end. */
int community_follows(follow *out, size_t *n, int64_t *next_before, community_service *svc,
		      int64_t member_id, int64_t before, size_t limit, app_err *err);

/* --- notifications --------------------------------------------------------------------------- */

int community_notifications(notification *out, size_t *n, int64_t *next_before, int64_t *unread,
			    community_service *svc, int64_t member_id, int unread_only,
			    int64_t before, size_t limit, app_err *err);

int community_unread(int64_t *unread, community_service *svc, int64_t member_id, app_err *err);

/*
 * Marks the notification id (up_to 0) or all up to up_to read; neither
 * given is APP_EINVALID. *unread is what is left.
 */
int community_mark_read(int64_t *unread, community_service *svc, int64_t member_id, int64_t id,
			int64_t up_to, app_err *err);

/* The member's mail settings (digest off, Korean, until saved). */
int community_settings(notify_settings *out, community_service *svc, int64_t member_id,
		       app_err *err);

/* Turns the daily digest on or off; lang "ko" or "en" (NULL: keep). */
int community_settings_save(notify_settings *out, community_service *svc, int64_t member_id,
			    int email_digest, const char *lang, app_err *err);

/*
 * The mail's unsubscribe link: the digest goes off for the member whose
 * token it is. APP_EINVALID "invalid_token" for an unknown token.
 */
int community_unsubscribe(community_service *svc, const char *token, app_err *err);

/*
 * Makes the notifications an event calls for: episode.published (followers
 * of the work and of its author), book.published (followers of the author),
 * author.approved / author.rejected (the applicant), comment.replied (the
 * comment's writer), member.deleted (removes the member's follows and
 * notifications). Other types are ignored. Idempotent.
 */
int community_on_event(community_service *svc, const domain_event *ev, app_err *err);

/*
 * One digest pass: every member whose digest is due gets one mail with their
 * unread notifications (at most one per UTC day, the mail queued in the
 * same unit that marks them mailed). *sent counts the digests.
 */
int community_digest_pass(int *sent, community_service *svc, app_err *err);

/* --- reviews and moderation ----------------------------------------------------------- */

/*
 * Writes or replaces member_id's review of a work anyone may see: rating
 * 1..5 (APP_EINVALID), text up to REVIEW_TEXT_MAX characters. APP_EFORBIDDEN
 * "not_read" before the member read the work, "own_work" for its author,
 * "banned" while a ban runs; APP_ELIMITED past the write limit. *created 1
 * for a first review.
 */
int community_review_save(review *out, int *created, community_service *svc, int64_t member_id,
			  int64_t book_id, int rating, const char *text, app_err *err);
int community_review_own(review *out, community_service *svc, int64_t member_id, int64_t book_id,
			 app_err *err);
/* Takes the review back (its rating with it); allowed while banned. APP_ENOTFOUND. */
int community_review_delete(community_service *svc, int64_t member_id, int64_t book_id,
			    app_err *err);
/* Visible reviews newest first, their count and average rating (times 100). */
int community_reviews(review *out, size_t *n, int64_t *next_before, int64_t *count,
		      int64_t *avg_x100, community_service *svc, int64_t book_id, int64_t before,
		      size_t limit, app_err *err);
/* Reports a review or a comment (one report per member per target; not one's own: APP_EINVALID). */
int community_report(community_service *svc, int64_t member_id, report_kind kind, int64_t target_id,
		     const char *reason, app_err *err);
/* The admin's queue: open reports, newest first. */
int community_reports(report *out, size_t *n, int64_t *next_before, community_service *svc,
		      int64_t before, size_t limit, app_err *err);
/* Hides (or restores) a review; its open reports close. */
int community_review_hide(community_service *svc, int64_t review_id, int hidden, app_err *err);
/* Closes one report without acting. APP_ENOTFOUND when it is not open. */
int community_report_dismiss(community_service *svc, int64_t report_id, app_err *err);
/* book.viewed / episode.viewed: the member read the work (may review it). Idempotent. */
int community_on_read(community_service *svc, const domain_event *ev, app_err *err);

/* --- comments ------------------------------------------------------------------------------ */

/*
 * Posts a comment on a published episode of a work anyone may see
 * (APP_ENOTFOUND otherwise), or a reply (parent_id) to a visible comment on
 * it, never to a reply (APP_EINVALID parentId). Text 1..COMMENT_TEXT_MAX
 * characters. A reply to another member's comment notifies them
 * (comment.replied). APP_EFORBIDDEN "banned", APP_ELIMITED.
 */
int community_comment_post(comment *out, community_service *svc, int64_t member_id, int64_t book_id,
			   int64_t number, int64_t parent_id, const char *text, int spoiler,
			   app_err *err);
/*
 * Changes one's own comment: text (NULL: keep), spoiler (-1: keep; one of
 * them given, else APP_EINVALID). APP_EFORBIDDEN for another's and while
 * banned, APP_ENOTFOUND once deleted, APP_ELIMITED.
 */
int community_comment_edit(comment *out, community_service *svc, int64_t member_id, int64_t id,
			   const char *text, int spoiler, app_err *err);
/* Deletes one's own comment (allowed while banned); one with replies stays, textless. */
int community_comment_delete(community_service *svc, int64_t member_id, int64_t id, app_err *err);
/*
 * Likes (on) or unlikes a visible comment, once per member (idempotent);
 * not one's own (APP_EINVALID "own_comment"), not while banned. *likes after.
 */
int community_comment_like(int *liked, int64_t *likes, community_service *svc, int64_t member_id,
			   int64_t id, int on, app_err *err);
/*
 * Hides (or restores) a comment: the work's author or an admin
 * (APP_EFORBIDDEN otherwise). Its open reports close.
 */
int community_comment_hide(community_service *svc, int64_t member_id, int64_t id, int hidden,
			   app_err *err);
/*
 * A page of an episode's comments (or of one comment's replies) as q says
 * (with_hidden and viewer are set here: hidden ones for the work's author
 * and admins, who get *moderates 1), at most COMMENT_PAGE_MAX; *count the
 * episode's visible comments and replies.
 */
int community_comments(comment *out, size_t *n, int64_t *count, int *moderates,
		       community_service *svc, int64_t viewer, comment_query *q, size_t limit,
		       app_err *err);

#endif
