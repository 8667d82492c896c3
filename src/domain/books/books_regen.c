/*
 * The generator's side of a work after publication: a regeneration applied
 * as changes with generatedBy (books_regenerated_in), and the AI's latest
 * suggestion per part read back from the change log (books_ai_get), so the
 * studio can show it beside the author's value.
 */
#include "domain/books/books.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/books/books_internal.h"

static int per_episode(const book *b)
{
	return b->episode_count + b->serial > 1;
}

/* The price field of a work's price part. */
static const char *price_field(const book *b)
{
	return per_episode(b) ? "episodePrice" : "price";
}

/*
 * The patch of the text parts (summary, tagline) or of the price part, as
 * asked; the price clamped into the work's bounds. A one-episode book too
 * short to be sold keeps its 0 (*kept set).
 */
static int regen_patch(books_patch *p, int *kept, books_service *svc, uow_tx *tx, const book *b,
		       const books_regen_req *r, int price_part, app_err *err)
{
	const books_config *c = &svc->cfg;
	app_err ignored;
	int rc;

	memset(p, 0, sizeof(*p));
	*kept = 0;
	if (!price_part) {
		if (r->parts & BOOKS_PART_SUMMARY) {
			p->fields |= BOOK_FIELD_SUMMARY;
			p->summary = r->summary;
		}
		if (r->parts & BOOKS_PART_TAGLINE) {
			p->fields |= BOOK_FIELD_TAGLINE;
			p->tagline = r->tagline;
		}
		return 0;
	}
	if (!(r->parts & BOOKS_PART_PRICE))
		return 0;
	if (per_episode(b)) {
		p->fields = BOOK_FIELD_EPISODE_PRICE;
		p->episode_price =
		    book_price_clamp(r->price, c->episode_price_min, c->episode_price_max, 10);
		return 0;
	}
	app_err_clear(&ignored);
	p->price = book_price_clamp(r->price, c->price_min, c->price_max, 100);
	rc = books_price_allowed(svc, tx, b, p->price, &ignored);
	if (rc == APP_EINVALID) {
		*kept = 1;
		return 0;
	}
	if (rc)
		return app_err_set(err, rc, NULL, NULL, "%s", ignored.msg);
	p->fields = BOOK_FIELD_PRICE;
	return 0;
}

/* A suggestion that equals the value in place is recorded too: from and to the same. */
static int record_same(books_service *svc, uow_tx *tx, int64_t book_id, const char *field,
		       const char *before, const char *after, const char *generated_by,
		       app_err *err)
{
	if (strcmp(before, after))
		return 0; /* apply_patch recorded the change */
	return books_change(svc, tx, book_id, 0, field, before, after, generated_by, err);
}

static int apply_part(book *b, books_service *svc, uow_tx *tx, const books_regen_req *r,
		      int price_part, app_err *err)
{
	book *old = malloc(sizeof(*old));
	const char *by = price_part ? r->price_by : r->text_by;
	char from[24], to[24], suggested[24];
	books_patch p;
	int rc, kept;

	if (!old)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	*old = *b;
	if ((rc = regen_patch(&p, &kept, svc, tx, b, r, price_part, err)) ||
	    (p.fields && (rc = books_apply_generated_in(b, svc, tx, b->id, &p, by, err))))
		goto out;
	if (p.fields & BOOK_FIELD_SUMMARY)
		rc = record_same(svc, tx, b->id, "summary", old->summary, b->summary, by, err);
	if (!rc && (p.fields & BOOK_FIELD_TAGLINE))
		rc = record_same(svc, tx, b->id, "tagline", old->tagline, b->tagline, by, err);
	if (!rc && (p.fields & (BOOK_FIELD_PRICE | BOOK_FIELD_EPISODE_PRICE))) {
		snprintf(from, sizeof(from), "%lld",
			 (long long)(per_episode(old) ? old->episode_price : old->price));
		snprintf(to, sizeof(to), "%lld",
			 (long long)(per_episode(b) ? b->episode_price : b->price));
		rc = record_same(svc, tx, b->id, price_field(b), from, to, by, err);
	}
	if (!rc && kept) { /* the suggestion is kept in the log; the price stays 0 */
		snprintf(suggested, sizeof(suggested), "%lld",
			 (long long)book_price_clamp(r->price, svc->cfg.price_min,
						     svc->cfg.price_max, 100));
		rc = books_change(svc, tx, b->id, 0, "price", "0", suggested, by, err);
	}
out:
	free(old);
	return rc;
}

/* Who made the parts, and the price's reason, as the work keeps them. */
static int regen_marks(book *b, books_service *svc, uow_tx *tx, const books_regen_req *r,
		       app_err *err)
{
	if (r->parts & BOOKS_PART_SUMMARY)
		snprintf(b->gen_summary, sizeof(b->gen_summary), "%s", r->text_by);
	if (r->parts & BOOKS_PART_TAGLINE)
		snprintf(b->gen_tagline, sizeof(b->gen_tagline), "%s", r->text_by);
	if (r->parts & BOOKS_PART_PRICE)
		snprintf(b->gen_price, sizeof(b->gen_price), "%s", r->price_by);
	/* a work too short to be sold keeps saying so */
	if ((r->parts & BOOKS_PART_PRICE) && strcmp(b->price_basis.code, "short_free")) {
		snprintf(b->price_reason, sizeof(b->price_reason), "%s",
			 r->price_reason ? r->price_reason : "");
		b->price_basis = r->price_basis;
		b->price_basis.code[sizeof(b->price_basis.code) - 1] = '\0';
		b->price_basis.length_class[sizeof(b->price_basis.length_class) - 1] = '\0';
	}
	return book_repo_update(&svc->d.books, tx, b, 0, err);
}

int books_regenerated_in(book *out, books_service *svc, uow_tx *tx, const books_regen_req *req,
			 app_err *err)
{
	book *b = malloc(sizeof(*b));
	int rc;

	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((req->parts & (BOOKS_PART_SUMMARY | BOOKS_PART_TAGLINE)) && !req->text_by)
		rc = app_err_set(err, APP_EINVALID, NULL, "summary", "the text has no generator");
	else if ((req->parts & BOOKS_PART_PRICE) && !req->price_by)
		rc = app_err_set(err, APP_EINVALID, NULL, "price", "the price has no generator");
	else
		rc = book_repo_find(b, &svc->d.books, tx, req->book_id, err);
	if (rc || (rc = apply_part(b, svc, tx, req, 0, err)) ||
	    (rc = apply_part(b, svc, tx, req, 1, err)) || (rc = regen_marks(b, svc, tx, req, err)))
		goto out;
	if (req->parts & BOOKS_PART_COVER)
		rc = books_cover_generated_in(b, svc, tx, req, err);
	else
		rc = book_repo_refresh(b, &svc->d.books, tx, b->id, err);
out:
	if (rc == 0 && out)
		*out = *b;
	free(b);
	return rc;
}

int books_work_in(book *out, books_service *svc, uow_tx *tx, int64_t id, app_err *err)
{
	return book_repo_find(out, &svc->d.books, tx, id, err);
}

int books_episode_text_in(char **text, size_t *len, books_service *svc, uow_tx *tx, int64_t book_id,
			  int64_t number, app_err *err)
{
	return episode_repo_content(text, len, &svc->d.episodes, tx, book_id, number, err);
}

/* --- the AI's side -------------------------------------------------------------------------- */

static int last_of(books_ai_part *out, books_service *svc, int64_t book_id, const char *field,
		   book_change *c, app_err *err)
{
	int rc = book_change_repo_last_generated(c, &svc->d.changes, NULL, book_id, field, err);

	memset(out, 0, sizeof(*out));
	if (rc == APP_ENOTFOUND) {
		app_err_clear(err);
		return 0;
	}
	if (rc)
		return rc;
	out->present = 1;
	snprintf(out->value, sizeof(out->value), "%s", c->to);
	snprintf(out->generated_by, sizeof(out->generated_by), "%s", c->generated_by);
	out->at = c->at;
	return 0;
}

int books_ai_get(books_ai *out, books_service *svc, const books_reader *who, const book *b,
		 app_err *err)
{
	book_change *c;
	int rc;

	if (!who || who->member_id <= 0 || (!who->is_admin && who->member_id != b->author_id))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	if (!(c = malloc(sizeof(*c))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	memset(out, 0, sizeof(*out));
	out->per_episode = per_episode(b);
	if (!(rc = last_of(&out->summary, svc, b->id, "summary", c, err)) &&
	    !(rc = last_of(&out->tagline, svc, b->id, "tagline", c, err)) &&
	    !(rc = last_of(&out->price, svc, b->id, price_field(b), c, err)))
		rc = last_of(&out->cover, svc, b->id, "cover", c, err);
	free(c);
	/* a cover the generator drew at publication is in no change: the work says who */
	if (rc == 0 && !out->cover.present && b->gen_cover[0]) {
		out->cover.present = 1;
		snprintf(out->cover.value, sizeof(out->cover.value), "%s", b->cover_etag);
		snprintf(out->cover.generated_by, sizeof(out->cover.generated_by), "%s",
			 b->gen_cover);
		out->cover.at = b->published_at;
	}
	return rc;
}
