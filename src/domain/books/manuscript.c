#include "domain/books/manuscript.h"

#include <stdlib.h>
#include <string.h>

void manuscript_dispose(manuscript *m)
{
	if (!m)
		return;
	free(m->content);
	free(m->error);
	memset(m, 0, sizeof(*m));
}

void manuscript_revision_dispose(manuscript_revision *r)
{
	if (!r)
		return;
	free(r->content);
	memset(r, 0, sizeof(*r));
}

/* A copy of len bytes plus a NUL; NULL stays NULL. */
static int bytes_dup(char **out, const char *s, size_t len)
{
	*out = NULL;
	if (!s)
		return 0;
	if (!(*out = malloc(len + 1)))
		return APP_ENOMEM;
	memcpy(*out, s, len);
	(*out)[len] = '\0';
	return 0;
}

int manuscript_copy(manuscript *dst, const manuscript *src)
{
	*dst = *src;
	dst->content = dst->error = NULL;
	if (bytes_dup(&dst->content, src->content, src->content_len) ||
	    bytes_dup(&dst->error, src->error, src->error ? strlen(src->error) : 0)) {
		manuscript_dispose(dst);
		return APP_ENOMEM;
	}
	return 0;
}

int manuscript_revision_copy(manuscript_revision *dst, const manuscript_revision *src)
{
	*dst = *src;
	dst->content = NULL;
	if (bytes_dup(&dst->content, src->content, src->content_len)) {
		manuscript_revision_dispose(dst);
		return APP_ENOMEM;
	}
	return 0;
}

static const char *const status_names[] = {
    [MANUSCRIPT_DRAFT] = "draft",	    [MANUSCRIPT_SUBMITTED] = "submitted",
    [MANUSCRIPT_GENERATING] = "generating", [MANUSCRIPT_PUBLISHED] = "published",
    [MANUSCRIPT_FAILED] = "failed",
};

const char *manuscript_status_name(manuscript_status s)
{
	if (s < MANUSCRIPT_DRAFT || s > MANUSCRIPT_FAILED)
		return "draft";
	return status_names[s];
}

int manuscript_status_parse(manuscript_status *out, const char *s, app_err *err)
{
	for (int i = MANUSCRIPT_DRAFT; s && i <= MANUSCRIPT_FAILED; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (manuscript_status)i;
			return 0;
		}
	return app_err_set(err, APP_EINVALID, NULL, "status", "unknown manuscript status");
}

int manuscript_can_transition(manuscript_status from, manuscript_status to)
{
	switch (from) {
	case MANUSCRIPT_DRAFT:
		return to == MANUSCRIPT_SUBMITTED;
	case MANUSCRIPT_SUBMITTED:
		return to == MANUSCRIPT_GENERATING || to == MANUSCRIPT_PUBLISHED ||
		       to == MANUSCRIPT_FAILED;
	case MANUSCRIPT_GENERATING:
		return to == MANUSCRIPT_PUBLISHED || to == MANUSCRIPT_FAILED;
	case MANUSCRIPT_FAILED:
		return to == MANUSCRIPT_SUBMITTED;
	default:
		return 0;
	}
}
