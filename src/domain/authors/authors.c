#include "domain/authors/authors.h"

#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"

void authors_service_init(authors_service *svc, const authors_deps *deps)
{
	svc->d = *deps;
}

static int64_t now_ms(authors_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

/*
 * Trims s into *out under the one text rule (text_take): min (0 or 1)..max
 * characters of valid UTF-8, one line when single_line. The caller frees *out.
 */
static int text_field(char **out, const char *s, const char *field, size_t min, size_t max,
		      int single_line, app_err *err)
{
	size_t cap;
	int rc;

	*out = NULL;
	if (!s)
		return app_err_set(err, APP_EINVALID, NULL, field, "%s is required", field);
	/* A cheap bound first: max characters never take more than 4 bytes each. */
	if ((cap = strlen(s) + 1) > max * 4 + 64)
		return app_err_set(err, APP_EINVALID, NULL, field,
				   "%s must have at most %zu characters", field, max);
	if (!(*out = malloc(cap)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = text_take(*out, cap, s, max, min > 0, single_line, field, err))) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

int authors_apply(author_application *out, authors_service *svc, int64_t member_id,
		  const char *pen_name, const char *bio, const char *portfolio, app_err *err)
{
	author_application a, latest;
	char *pen = NULL;
	domain_event ev;
	uow_tx *tx = NULL;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = text_field(&pen, pen_name, "penName", 1, AUTHOR_PEN_NAME_MAX, 1, err)) ||
	    (rc = text_field(&a.bio, bio, "bio", 0, AUTHOR_BIO_MAX, 0, err)) ||
	    (rc =
		 text_field(&a.portfolio, portfolio, "portfolio", 0, AUTHOR_PORTFOLIO_MAX, 0, err)))
		goto out;
	memcpy(a.pen_name, pen, strlen(pen) + 1);
	a.member_id = member_id;
	a.status = AUTHOR_APP_PENDING;
	a.created_at = now_ms(svc);

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		goto out;
	rc = author_application_repo_find_latest(&latest, &svc->d.applications, tx, member_id, err);
	if (rc == 0) {
		int blocks = author_app_blocks_new(latest.status);

		author_application_dispose(&latest);
		if (blocks) {
			rc = APP_EEXISTS;
			goto exists;
		}
	} else if (rc != APP_ENOTFOUND) {
		goto fail;
	}
	rc = author_application_repo_insert(&svc->d.applications, tx, &a, err);
exists:
	if (rc == APP_EEXISTS)
		rc = app_err_set(err, APP_EEXISTS, "application_exists", NULL,
				 "a pending or approved application exists");
	if (rc)
		goto fail;
	domain_event_init(&ev, "author.applied");
	domain_event_add_int(&ev, "applicationId", a.id);
	domain_event_add_int(&ev, "memberId", member_id);
	domain_event_add_str(&ev, "penName", a.pen_name);
	if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
		goto fail;
	if ((rc = uow_commit(tx, err)))
		goto out;
	if (out) {
		*out = a;
		memset(&a, 0, sizeof(a));
	}
	goto out;
fail:
	uow_rollback(tx);
out:
	free(pen);
	author_application_dispose(&a);
	return rc;
}

int authors_my_application(author_application *out, authors_service *svc, int64_t member_id,
			   app_err *err)
{
	int rc =
	    author_application_repo_find_latest(out, &svc->d.applications, NULL, member_id, err);

	if (rc == APP_ENOTFOUND)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no author application");
	return rc;
}

static int require_admin(int is_admin, app_err *err)
{
	if (!is_admin)
		return app_err_set(err, APP_EFORBIDDEN, "forbidden", NULL,
				   "this needs the admin role");
	return 0;
}

int authors_list(author_application *out, size_t *n, int64_t *next_before, authors_service *svc,
		 int is_admin, author_app_status status, int64_t before_id, size_t limit,
		 app_err *err)
{
	int rc;

	*n = 0;
	*next_before = 0;
	if ((rc = require_admin(is_admin, err)))
		return rc;
	rc = author_application_repo_list(out, n, &svc->d.applications, NULL, status, before_id,
					  limit, err);
	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

/* The decision and its event in one unit of work. */
static int decide(author_application *out, authors_service *svc, int64_t admin_id, int is_admin,
		  int64_t application_id, author_app_status to, const char *reason, app_err *err)
{
	author_application a;
	domain_event ev;
	uow_tx *tx = NULL;
	int rc;

	memset(&a, 0, sizeof(a));
	if ((rc = require_admin(is_admin, err)))
		return rc;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = author_application_repo_find(&a, &svc->d.applications, tx, application_id, err);
	if (rc == APP_ENOTFOUND)
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such application");
	if (rc)
		goto fail;
	if ((rc = author_application_decide(&a, to, reason, admin_id, now_ms(svc), err)))
		goto fail;
	rc = author_application_repo_decide(&svc->d.applications, tx, &a, err);
	if (rc == APP_ECONFLICT) /* decided by someone else meanwhile */
		rc = app_err_set(err, APP_ECONFLICT, "not_pending", NULL,
				 "the application is no longer pending");
	if (rc)
		goto fail;
	domain_event_init(&ev, to == AUTHOR_APP_APPROVED ? "author.approved" : "author.rejected");
	domain_event_add_int(&ev, "applicationId", a.id);
	domain_event_add_int(&ev, "memberId", a.member_id);
	if (to == AUTHOR_APP_APPROVED)
		domain_event_add_str(&ev, "penName", a.pen_name);
	else
		domain_event_add_str(&ev, "reason", a.reason);
	domain_event_add_int(&ev, "decidedBy", admin_id);
	if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
		goto fail;
	/* On commit the bus hands author.approved to the members core (role grant). */
	if ((rc = uow_commit(tx, err)))
		goto out;
	if (out) {
		*out = a;
		return 0;
	}
	goto out;
fail:
	uow_rollback(tx);
out:
	author_application_dispose(&a);
	return rc;
}

int authors_approve(author_application *out, authors_service *svc, int64_t admin_id, int is_admin,
		    int64_t application_id, app_err *err)
{
	return decide(out, svc, admin_id, is_admin, application_id, AUTHOR_APP_APPROVED, NULL, err);
}

int authors_reject(author_application *out, authors_service *svc, int64_t admin_id, int is_admin,
		   int64_t application_id, const char *reason, app_err *err)
{
	char *r = NULL;
	int rc;

	if ((rc = require_admin(is_admin, err)))
		return rc;
	if ((rc = text_field(&r, reason, "reason", 1, AUTHOR_REASON_MAX, 0, err)))
		return rc;
	rc = decide(out, svc, admin_id, is_admin, application_id, AUTHOR_APP_REJECTED, r, err);
	free(r);
	return rc;
}

int authors_profile_in(author_application *out, authors_service *svc, uow_tx *tx, int64_t member_id,
		       app_err *err)
{
	int rc = author_application_repo_find_latest(out, &svc->d.applications, tx, member_id, err);

	if (rc == 0 && out->status != AUTHOR_APP_APPROVED) {
		author_application_dispose(out);
		rc = APP_ENOTFOUND;
	}
	if (rc == APP_ENOTFOUND)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such author");
	return rc;
}

int authors_profile(author_application *out, authors_service *svc, int64_t member_id, app_err *err)
{
	return authors_profile_in(out, svc, NULL, member_id, err);
}
