#include "app/publishing.h"

#include <stdlib.h>
#include <string.h>

static publishing_ms_state state_of(manuscript_status s)
{
	switch (s) {
	case MANUSCRIPT_SUBMITTED:
		return PUBLISHING_MS_SUBMITTED;
	case MANUSCRIPT_GENERATING:
		return PUBLISHING_MS_GENERATING;
	case MANUSCRIPT_PUBLISHED:
		return PUBLISHING_MS_PUBLISHED;
	case MANUSCRIPT_FAILED:
		return PUBLISHING_MS_FAILED;
	case MANUSCRIPT_DRAFT:
	default:
		return PUBLISHING_MS_OTHER;
	}
}

/* The pen name of the author's approved application, else the member's name. */
static char *pen_name_of(app_publishing *p, int64_t author_id)
{
	author_application a;
	member m;
	char *s = NULL;

	memset(&a, 0, sizeof(a));
	if (authors_profile(&a, p->authors, author_id, NULL) == 0) {
		s = strdup(a.pen_name);
		author_application_dispose(&a);
		return s;
	}
	if (members_get(&m, p->members, author_id, NULL) == 0)
		return strdup(m.name);
	return strdup("");
}

static int load(publishing_manuscript *out, void *self, int64_t manuscript_id, app_err *err)
{
	app_publishing *p = self;
	manuscript m;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	if ((rc = manuscripts_load(&m, p->manuscripts, manuscript_id, err)))
		return rc;
	out->id = m.id;
	out->author_id = m.author_id;
	out->book_id = m.book_id;
	out->state = state_of(m.status);
	out->title = strdup(m.title);
	out->pen_name = pen_name_of(p, m.author_id);
	/* the manuscript's text moves over: no second copy of up to 2 MiB */
	out->content = m.content;
	out->content_len = m.content_len;
	m.content = NULL;
	manuscript_dispose(&m);
	if (!out->title || !out->pen_name || !out->content) {
		publishing_manuscript_dispose(out);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	return 0;
}

static int mark_generating(void *self, int64_t manuscript_id, app_err *err)
{
	return manuscripts_mark_generating(((app_publishing *)self)->manuscripts, manuscript_id,
					   err);
}

static int mark_failed(void *self, int64_t manuscript_id, const char *error, app_err *err)
{
	return manuscripts_mark_failed(((app_publishing *)self)->manuscripts, manuscript_id, error,
				       err);
}

static int publish(int64_t *book_id, void *self, const publishing_book *b, app_err *err)
{
	app_publishing *p = self;
	books_publish_req req = {
	    .manuscript_id = b->manuscript_id,
	    .author_id = b->author_id,
	    .title = b->title,
	    .author_name = b->pen_name,
	    .content = b->content,
	    .content_len = b->content_len,
	    .summary = b->summary,
	    .tagline = b->tagline,
	    .price_reason = b->price_reason,
	    .price = b->price,
	    .cover = b->cover,
	    .cover_len = b->cover_len,
	    .cover_mime = b->cover_mime,
	    .gen_summary = b->gen_summary,
	    .gen_price = b->gen_price,
	    .gen_cover = b->gen_cover,
	};
	book *out = malloc(sizeof(*out)); /* large: keep it off small stacks */
	int rc;

	if (!out)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	rc = books_publish(out, p->books, &req, err);
	if (rc == 0)
		*book_id = out->id;
	free(out);
	return rc;
}

static const publishing_port_vtbl app_publishing_vtbl = {
    .load = load,
    .mark_generating = mark_generating,
    .mark_failed = mark_failed,
    .publish = publish,
};

publishing_port app_publishing_port(app_publishing *p)
{
	return (publishing_port){&app_publishing_vtbl, p};
}
