#include "domain/authors/application.h"

#include <stdlib.h>
#include <string.h>

void author_application_dispose(author_application *a)
{
	if (!a)
		return;
	free(a->bio);
	free(a->portfolio);
	free(a->reason);
	memset(a, 0, sizeof(*a));
}

static int dup_or_null(char **out, const char *s)
{
	*out = NULL;
	if (!s)
		return 0;
	*out = strdup(s);
	return *out ? 0 : APP_ENOMEM;
}

int author_application_copy(author_application *dst, const author_application *src)
{
	*dst = *src;
	dst->bio = dst->portfolio = dst->reason = NULL;
	if (dup_or_null(&dst->bio, src->bio) || dup_or_null(&dst->portfolio, src->portfolio) ||
	    dup_or_null(&dst->reason, src->reason)) {
		author_application_dispose(dst);
		return APP_ENOMEM;
	}
	return 0;
}

const char *author_app_status_name(author_app_status s)
{
	switch (s) {
	case AUTHOR_APP_APPROVED:
		return "approved";
	case AUTHOR_APP_REJECTED:
		return "rejected";
	default:
		return "pending";
	}
}

int author_app_status_parse(author_app_status *out, const char *s, app_err *err)
{
	if (s && strcmp(s, "pending") == 0)
		*out = AUTHOR_APP_PENDING;
	else if (s && strcmp(s, "approved") == 0)
		*out = AUTHOR_APP_APPROVED;
	else if (s && strcmp(s, "rejected") == 0)
		*out = AUTHOR_APP_REJECTED;
	else
		return app_err_set(err, APP_EINVALID, NULL, "status",
				   "status must be pending, approved or rejected");
	return 0;
}

int author_app_blocks_new(author_app_status s)
{
	return s == AUTHOR_APP_PENDING || s == AUTHOR_APP_APPROVED;
}

int author_application_decide(author_application *a, author_app_status to, const char *reason,
			      int64_t decided_by, int64_t now, app_err *err)
{
	char *r = NULL;

	if (to != AUTHOR_APP_APPROVED && to != AUTHOR_APP_REJECTED)
		return app_err_set(err, APP_EINVALID, NULL, "status", "not a decision");
	if (a->status != AUTHOR_APP_PENDING)
		return app_err_set(err, APP_ECONFLICT, "not_pending", NULL,
				   "the application is already %s",
				   author_app_status_name(a->status));
	if (to == AUTHOR_APP_REJECTED && reason && !(r = strdup(reason)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	free(a->reason);
	a->reason = r;
	a->status = to;
	a->decided_by = decided_by;
	a->decided_at = now;
	return 0;
}
