#include "app/publishing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/aigen/job.h"

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

/*
 * *out: the pen name of the author's approved application, else the
 * member's name (the caller frees it). A lookup that fails is the error.
 */
static int pen_name_of(char **out, app_publishing *p, uow_tx *tx, int64_t author_id, app_err *err)
{
	author_application a;
	member m;
	int rc;

	*out = NULL;
	memset(&a, 0, sizeof(a));
	rc = authors_profile_in(&a, p->authors, tx, author_id, err);
	if (rc == 0) {
		*out = strdup(a.pen_name);
		author_application_dispose(&a);
	} else if (rc != APP_ENOTFOUND) {
		return rc;
	} else if ((rc = members_get_in(&m, p->members, tx, author_id, err)) == 0) {
		*out = strdup(m.name);
	} else if (rc != APP_ENOTFOUND) {
		return rc;
	} else {
		*out = strdup("");
	}
	return *out ? 0 : app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
}

/*
 * Once m is published as its work's first episode, the text generation reads
 * is that episode's as it stands (its author may have edited it since): into
 * out, replacing the manuscript's. A work without the episode keeps it.
 */
static int current_text(publishing_manuscript *out, app_publishing *p, uow_tx *tx,
			const manuscript *m, app_err *err)
{
	char *text;
	size_t len;
	int rc;

	if (m->status != MANUSCRIPT_PUBLISHED || m->book_id <= 0 || m->episode_number > 1)
		return 0;
	rc = books_episode_text_in(&text, &len, p->books, tx, m->book_id, 1, err);
	if (rc == APP_ENOTFOUND) {
		app_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	free(out->content);
	out->content = text;
	out->content_len = len;
	return 0;
}

static int load(publishing_manuscript *out, void *self, uow_tx *tx, int64_t manuscript_id,
		app_err *err)
{
	app_publishing *p = self;
	manuscript m;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&m, 0, sizeof(m));
	if ((rc = manuscripts_load_in(&m, p->manuscripts, tx, manuscript_id, err)))
		return rc;
	if ((rc = pen_name_of(&out->pen_name, p, tx, m.author_id, err))) {
		manuscript_dispose(&m);
		return rc;
	}
	out->id = m.id;
	out->author_id = m.author_id;
	out->book_id = m.book_id;
	out->state = state_of(m.status);
	out->serial = m.serial;
	/* a work's later episodes are numbered from 2 when submitted */
	out->work_id = m.episode_number > 1 ? m.book_id : 0;
	out->episode_number = m.episode_number;
	out->publish_at = m.publish_at;
	out->title = strdup(m.title);
	/* the manuscript's text moves over: no second copy of up to 2 MiB */
	out->content = m.content;
	out->content_len = m.content_len;
	m.content = NULL;
	if (!out->title || !out->pen_name || !out->content)
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	else
		rc = current_text(out, p, tx, &m, err);
	manuscript_dispose(&m);
	if (rc)
		publishing_manuscript_dispose(out);
	return rc;
}

static int mark_generating(void *self, uow_tx *tx, int64_t manuscript_id, app_err *err)
{
	return manuscripts_mark_generating_in(((app_publishing *)self)->manuscripts, tx,
					      manuscript_id, err);
}

static int mark_failed(void *self, uow_tx *tx, int64_t manuscript_id, const char *error,
		       app_err *err)
{
	return manuscripts_mark_failed_in(((app_publishing *)self)->manuscripts, tx, manuscript_id,
					  error, err);
}

/* The generator's reason for a price, as the books core keeps it. */
static book_price_basis basis_of(const aigen_price_basis *in)
{
	book_price_basis out = {.minutes = in->minutes};

	snprintf(out.code, sizeof(out.code), "%s", in->code);
	snprintf(out.length_class, sizeof(out.length_class), "%s", in->length_class);
	return out;
}

static int publish(int64_t *book_id, void *self, uow_tx *tx, const publishing_book *b, app_err *err)
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
	    .png_full = b->png_full,
	    .png_full_len = b->png_full_len,
	    .png_thumb = b->png_thumb,
	    .png_thumb_len = b->png_thumb_len,
	    .gen_summary = b->gen_summary,
	    .gen_price = b->gen_price,
	    .gen_cover = b->gen_cover,
	    .serial = b->serial,
	    .genre = b->genre,
	    .price_basis = basis_of(&b->price_basis),
	};
	book *out = malloc(sizeof(*out)); /* large: keep it off small stacks */
	int rc;

	if (!out)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	rc = books_publish_in(out, p->books, tx, &req, err);
	if (rc == 0)
		*book_id = out->id;
	free(out);
	return rc;
}

static int publish_episode(void *self, uow_tx *tx, const publishing_episode *e, app_err *err)
{
	app_publishing *p = self;
	books_episode_req req = {
	    .manuscript_id = e->manuscript_id,
	    .author_id = e->author_id,
	    .book_id = e->book_id,
	    .number = e->number,
	    .title = e->title,
	    .content = e->content,
	    .content_len = e->content_len,
	    .summary = e->summary,
	    .gen_summary = e->gen_summary,
	    .publish_at = e->publish_at,
	};
	int rc = books_publish_episode_in(NULL, p->books, tx, &req, err);

	/* the manuscript is done when its episode exists, published or scheduled */
	return rc ? rc
		  : manuscripts_mark_published_in(p->manuscripts, tx, e->manuscript_id, e->book_id,
						  err);
}

static int load_work(publishing_work *out, void *self, uow_tx *tx, int64_t book_id, app_err *err)
{
	book *b = malloc(sizeof(*b));
	int rc;

	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = books_work_in(b, ((app_publishing *)self)->books, tx, book_id, err)) == 0)
		*out = (publishing_work){
		    .id = b->id,
		    .author_id = b->author_id,
		    .manuscript_id = b->manuscript_id,
		    .per_episode = b->episode_count + b->serial > 1,
		    /* no generator made the cover there is: its author gave it */
		    .authors_cover = !b->gen_cover[0] && b->cover_etag[0],
		};
	free(b);
	return rc;
}

/* The aigen core's parts and the books core's are the same four, named apart. */
static unsigned books_parts(unsigned parts)
{
	return ((parts & AIGEN_REGEN_SUMMARY) ? BOOKS_PART_SUMMARY : 0) |
	       ((parts & AIGEN_REGEN_TAGLINE) ? BOOKS_PART_TAGLINE : 0) |
	       ((parts & AIGEN_REGEN_PRICE) ? BOOKS_PART_PRICE : 0) |
	       ((parts & AIGEN_REGEN_COVER) ? BOOKS_PART_COVER : 0);
}

static int apply_regenerated(void *self, uow_tx *tx, const publishing_regen *r, app_err *err)
{
	books_regen_req req = {
	    .book_id = r->book_id,
	    .parts = books_parts(r->parts),
	    .summary = r->summary,
	    .tagline = r->tagline,
	    .price_reason = r->price_reason,
	    .price = r->price,
	    .price_basis = basis_of(&r->price_basis),
	    .text_by = r->text_by,
	    .price_by = r->price_by,
	    .cover_by = r->cover_by,
	};
	const aigen_image *img = r->cover;

	if (img) {
		req.cover = img->data;
		req.cover_len = img->len;
		req.cover_mime = img->mime;
		req.png_full = img->png_full.data;
		req.png_full_len = img->png_full.len;
		req.png_thumb = img->png_thumb.data;
		req.png_thumb_len = img->png_thumb.len;
	}
	return books_regenerated_in(NULL, ((app_publishing *)self)->books, tx, &req, err);
}

static const publishing_port_vtbl app_publishing_vtbl = {
    .load = load,
    .mark_generating = mark_generating,
    .mark_failed = mark_failed,
    .publish = publish,
    .publish_episode = publish_episode,
    .load_work = load_work,
    .apply_regenerated = apply_regenerated,
};

publishing_port app_publishing_port(app_publishing *p)
{
	return (publishing_port){.vtbl = &app_publishing_vtbl, .self = p};
}
