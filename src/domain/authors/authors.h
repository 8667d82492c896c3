/*
 * The authors core: applications to become an author, their decision by an
 * admin, and the public author profile. Every use case that changes state
 * runs in one unit of work and appends its event (author.applied,
 * author.approved, author.rejected) in that same unit. Granting the author
 * role is not done here: the members core does it on author.approved.
 */
#ifndef WL_DOMAIN_AUTHORS_H
#define WL_DOMAIN_AUTHORS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/authors/application.h"
#include "domain/common/err.h"
#include "ports/author_application_repo.h"
#include "ports/clock.h"
#include "ports/events.h"
#include "ports/uow.h"

typedef struct authors_deps {
	author_application_repo applications;
	uow uow;
	event_publisher events;
	clock_port clock;
} authors_deps;

typedef struct authors_service {
	authors_deps d;
} authors_service;

void authors_service_init(authors_service *svc, const authors_deps *deps);

/*
 * Files an application of member_id. Text is trimmed; penName must have 1 to
 * 50 characters, bio and portfolio at most 2000, all valid UTF-8
 * (APP_EINVALID, err->field names the field). APP_EEXISTS
 * "application_exists" when the member has a pending or approved one.
 * out (may be NULL) receives the application; the caller disposes it.
 */
int authors_apply(author_application *out, authors_service *svc, int64_t member_id,
		  const char *pen_name, const char *bio, const char *portfolio, app_err *err);

/* The member's newest application. APP_ENOTFOUND when there is none. */
int authors_my_application(author_application *out, authors_service *svc, int64_t member_id,
			   app_err *err);

/*
 * Applications for the admin list: status 0 for any, newest first, ids
 * below before_id (0: from the newest). out has room for limit; the caller
 * disposes each of the *n. *next_before is 0 on the last page.
 * APP_EFORBIDDEN when is_admin is 0.
 */
int authors_list(author_application *out, size_t *n, int64_t *next_before, authors_service *svc,
		 int is_admin, author_app_status status, int64_t before_id, size_t limit,
		 app_err *err);

/*
 * Approves a pending application (admin_id decides). APP_EFORBIDDEN when
 * is_admin is 0, APP_ENOTFOUND, APP_ECONFLICT "not_pending".
 * out (may be NULL) receives the decided application.
 */
int authors_approve(author_application *out, authors_service *svc, int64_t admin_id, int is_admin,
		    int64_t application_id, app_err *err);

/*
 * Rejects a pending application with a reason of 1 to 500 characters
 * (APP_EINVALID field "reason"); otherwise as authors_approve().
 */
int authors_reject(author_application *out, authors_service *svc, int64_t admin_id, int is_admin,
		   int64_t application_id, const char *reason, app_err *err);

/*
 * The public profile of an author: the member's approved application (pen
 * name, bio). APP_ENOTFOUND when member_id is not an approved author.
 */
int authors_profile(author_application *out, authors_service *svc, int64_t member_id, app_err *err);
/* The same, read in the caller's unit tx (or NULL). */
int authors_profile_in(author_application *out, authors_service *svc, uow_tx *tx, int64_t member_id,
		       app_err *err);

#endif
