/*
 * Author applications: a member asks to become an author. The state machine
 * is pending -> approved | rejected; only a pending application is decided.
 */
#ifndef WL_DOMAIN_AUTHOR_APPLICATION_H
#define WL_DOMAIN_AUTHOR_APPLICATION_H

#include <stdint.h>

#include "domain/common/err.h"

#define AUTHOR_PEN_NAME_MAX  50	  /* characters, after trimming */
#define AUTHOR_BIO_MAX	     2000 /* characters */
#define AUTHOR_PORTFOLIO_MAX 2000 /* characters: a link or free text */
#define AUTHOR_REASON_MAX    500  /* characters, after trimming */

typedef enum {
	AUTHOR_APP_PENDING = 1,
	AUTHOR_APP_APPROVED = 2,
	AUTHOR_APP_REJECTED = 3,
} author_app_status;

/*
 * One application. The strings are owned by the struct and freed by
 * author_application_dispose(); reason is NULL until rejected.
 */
typedef struct author_application {
	int64_t id;
	int64_t member_id;
	char pen_name[AUTHOR_PEN_NAME_MAX * 4 + 1];
	char *bio;
	char *portfolio;
	author_app_status status;
	char *reason;
	int64_t decided_by; /* the admin; 0 while pending */
	int64_t created_at;
	int64_t decided_at; /* 0 while pending */
} author_application;

/* Frees the strings (a may be NULL or zeroed) and zeroes a. */
void author_application_dispose(author_application *a);

/* Deep copy into dst (not yet holding strings); APP_ENOMEM leaves dst zeroed. */
int author_application_copy(author_application *dst, const author_application *src);

/* "pending", "approved", "rejected". */
const char *author_app_status_name(author_app_status s);

/* APP_EINVALID (field "status") for another word. */
int author_app_status_parse(author_app_status *out, const char *s, app_err *err);

/*
 * 1 when a member whose latest application is in status s may not apply
 * again (pending or approved); a rejected member may.
 */
int author_app_blocks_new(author_app_status s);

/*
 * Decides a pending application: to is AUTHOR_APP_APPROVED or
 * AUTHOR_APP_REJECTED; reason (rejection only) is copied. APP_ECONFLICT
 * "not_pending" when a is not pending; APP_ENOMEM. a is unchanged on failure.
 */
int author_application_decide(author_application *a, author_app_status to, const char *reason,
			      int64_t decided_by, int64_t now, app_err *err);

#endif
