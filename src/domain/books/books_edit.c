/*
 * Editing a work: the fields its author (or an admin) may set, the
 * generator's own suggestions, episode fixes, and the change log that
 * records each of them (book.updated per edit).
 */
#include "domain/books/books.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/books/books_internal.h"
#include "domain/books/manuscript.h"
#include "domain/common/text.h"

#define BOOK_FREE_EPISODES_MAX 10000

int books_change(books_service *svc, uow_tx *tx, int64_t book_id, int64_t by, const char *field,
		 const char *from, const char *to, const char *generated_by, app_err *err)
{
	book_change *c = calloc(1, sizeof(*c)); /* two values of up to 4 KB */
	int rc;

	if (!c)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	c->book_id = book_id;
	c->at = books_now(svc);
	c->by = by;
	snprintf(c->field, sizeof(c->field), "%s", field);
	snprintf(c->from, sizeof(c->from), "%s", from ? from : "");
	snprintf(c->to, sizeof(c->to), "%s", to ? to : "");
	snprintf(c->generated_by, sizeof(c->generated_by), "%s", generated_by ? generated_by : "");
	rc = book_change_repo_append(&svc->d.changes, tx, c, err);
	free(c);
	return rc;
}

/* --- validation ------------------------------------------------------------------------- */

/* A genre code: lower-case ASCII words joined by '_', known to the vocabulary when given. */
static int genre_field(char *dst, const books_service *svc, const char *s, app_err *err)
{
	size_t len = strlen(s);
	int ok = len < BOOK_GENRE_BYTES;

	for (size_t i = 0; ok && i < len; i++)
		ok = (s[i] >= 'a' && s[i] <= 'z') || s[i] == '_';
	if (ok && len && svc->cfg.genre_known)
		ok = svc->cfg.genre_known(s);
	if (!ok)
		return app_err_set(err, APP_EINVALID, "validation_failed", "genre",
				   "genre is not a known genre code");
	memcpy(dst, s, len + 1);
	return 0;
}

static int tags_field(book *b, const books_patch *p, app_err *err)
{
	char tag[BOOK_TAG_BYTES];
	int rc;

	if (p->ntags > BOOK_TAGS_MAX)
		return app_err_set(err, APP_EINVALID, "validation_failed", "tags",
				   "at most %d tags", BOOK_TAGS_MAX);
	b->ntags = 0;
	for (size_t i = 0; i < p->ntags; i++) {
		int dup = 0;

		if ((rc = book_tag_normalize(tag, p->tags[i], err)))
			return rc;
		for (int k = 0; k < b->ntags; k++)
			dup |= !strcmp(b->tags[k], tag);
		if (!dup)
			memcpy(b->tags[b->ntags++], tag, strlen(tag) + 1);
	}
	return 0;
}

/* Writes p's fields into b (a copy of the stored work), validated. */
static int apply_fields(book *b, books_service *svc, const books_patch *p, app_err *err)
{
	const books_config *c = &svc->cfg;
	unsigned f = p->fields;
	int rc = 0;

	if (f & BOOK_FIELD_SUMMARY)
		rc = text_take(b->summary, sizeof(b->summary), p->summary, 1000, 1, 0, "summary",
			       err);
	if (!rc && (f & BOOK_FIELD_TAGLINE))
		rc = text_take(b->tagline, sizeof(b->tagline), p->tagline, 120, 0, 1, "tagline",
			       err);
	if (!rc && (f & BOOK_FIELD_PRICE) && b->episode_count + b->serial > 1)
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "price",
				 "a serial's price is the sum of its episodes: set episodePrice");
	if (!rc && (f & BOOK_FIELD_PRICE) &&
	    !(rc = book_price_check(p->price, c->price_min, c->price_max, 100, "price", err)))
		b->price = p->price;
	if (!rc && (f & BOOK_FIELD_EPISODE_PRICE) &&
	    !(rc = book_price_check(p->episode_price, c->episode_price_min, c->episode_price_max,
				    10, "episodePrice", err)))
		b->episode_price = p->episode_price;
	if (!rc && (f & BOOK_FIELD_FREE_EPISODES)) {
		if (p->free_episodes < 0 || p->free_episodes > BOOK_FREE_EPISODES_MAX)
			rc = app_err_set(err, APP_EINVALID, "validation_failed", "freeEpisodes",
					 "freeEpisodes must be 0 to %d", BOOK_FREE_EPISODES_MAX);
		b->free_episodes = p->free_episodes;
	}
	if (!rc && (f & BOOK_FIELD_WAIT_FREE)) {
		if (!book_wait_free_hours_valid(p->wait_free_hours))
			rc = app_err_set(err, APP_EINVALID, "validation_failed", "waitFreeHours",
					 "waitFreeHours must be 0, 12, 24, 48 or 72");
		b->wait_free_hours = p->wait_free_hours;
	}
	if (!rc && (f & BOOK_FIELD_COMPLETED))
		b->completed = p->completed != 0;
	if (!rc && (f & BOOK_FIELD_HIDDEN) && b->proof && !p->hidden)
		rc = app_err_set(err, APP_ECONFLICT, "not_accepted", "hidden",
				 "a proof goes on sale when you accept it");
	if (!rc && (f & BOOK_FIELD_HIDDEN))
		b->hidden = p->hidden != 0;
	if (!rc && (f & BOOK_FIELD_GENRE))
		rc = genre_field(b->genre, svc, p->genre ? p->genre : "", err);
	if (!rc && (f & BOOK_FIELD_AGE) && !book_age_rating_valid(p->age_rating))
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "ageRating",
				 "ageRating must be all, 12, 15 or 19");
	if (!rc && (f & BOOK_FIELD_AGE))
		snprintf(b->age_rating, sizeof(b->age_rating), "%s", p->age_rating);
	if (!rc && (f & BOOK_FIELD_TAGS))
		rc = tags_field(b, p, err);
	return rc;
}

/* --- changes ---------------------------------------------------------------------------- */

typedef struct field_text {
	unsigned field;
	const char *name;
} field_text;

static const field_text field_names[] = {
    {BOOK_FIELD_SUMMARY, "summary"},
    {BOOK_FIELD_TAGLINE, "tagline"},
    {BOOK_FIELD_PRICE, "price"},
    {BOOK_FIELD_EPISODE_PRICE, "episodePrice"},
    {BOOK_FIELD_FREE_EPISODES, "freeEpisodes"},
    {BOOK_FIELD_WAIT_FREE, "waitFreeHours"},
    {BOOK_FIELD_COMPLETED, "completed"},
    {BOOK_FIELD_GENRE, "genre"},
    {BOOK_FIELD_TAGS, "tags"},
    {BOOK_FIELD_AGE, "ageRating"},
    {BOOK_FIELD_HIDDEN, "hidden"},
};
#define NFIELDS (sizeof(field_names) / sizeof(field_names[0]))

/* A field's value as the change log keeps it (ints in decimal, flags true/false, tags joined). */
static void field_value(char *out, size_t cap, const book *b, unsigned field)
{
	size_t k = 0;

	switch (field) {
	case BOOK_FIELD_SUMMARY:
		snprintf(out, cap, "%s", b->summary);
		break;
	case BOOK_FIELD_TAGLINE:
		snprintf(out, cap, "%s", b->tagline);
		break;
	case BOOK_FIELD_PRICE:
		snprintf(out, cap, "%lld", (long long)b->price);
		break;
	case BOOK_FIELD_EPISODE_PRICE:
		snprintf(out, cap, "%lld", (long long)b->episode_price);
		break;
	case BOOK_FIELD_FREE_EPISODES:
		snprintf(out, cap, "%lld", (long long)b->free_episodes);
		break;
	case BOOK_FIELD_WAIT_FREE:
		snprintf(out, cap, "%lld", (long long)b->wait_free_hours);
		break;
	case BOOK_FIELD_COMPLETED:
	case BOOK_FIELD_HIDDEN:
		snprintf(out, cap, "%s",
			 (field == BOOK_FIELD_HIDDEN ? b->hidden : b->completed) ? "true"
										 : "false");
		break;
	case BOOK_FIELD_GENRE:
		snprintf(out, cap, "%s", b->genre);
		break;
	case BOOK_FIELD_AGE:
		snprintf(out, cap, "%s", b->age_rating);
		break;
	case BOOK_FIELD_TAGS:
		out[0] = '\0';
		for (int i = 0; i < b->ntags && k + 1 < cap; i++)
			k += (size_t)snprintf(out + k, cap - k, "%s%s", i ? "\n" : "", b->tags[i]);
		break;
	}
}

/*
 * Records each field of mask that differs between old and b as a change and
 * names them in book.updated; *changed the fields that did change.
 */
static int record_changes(unsigned *changed, books_service *svc, uow_tx *tx, const book *old,
			  const book *b, unsigned mask, int64_t by, const char *generated_by,
			  app_err *err)
{
	char *from = malloc(BOOK_CHANGE_VALUE_BYTES), *to = malloc(BOOK_CHANGE_VALUE_BYTES);
	char names[256] = "";
	domain_event ev;
	int rc = 0;

	*changed = 0;
	if (!from || !to)
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	for (size_t i = 0; rc == 0 && i < NFIELDS; i++) {
		if (!(mask & field_names[i].field))
			continue;
		field_value(from, BOOK_CHANGE_VALUE_BYTES, old, field_names[i].field);
		field_value(to, BOOK_CHANGE_VALUE_BYTES, b, field_names[i].field);
		if (!strcmp(from, to))
			continue;
		*changed |= field_names[i].field;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 names[0] ? "," : "", field_names[i].name);
		rc = books_change(svc, tx, b->id, by, field_names[i].name, from, to, generated_by,
				  err);
	}
	free(from);
	free(to);
	if (rc || !*changed)
		return rc;
	domain_event_init(&ev, "book.updated");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "authorId", b->author_id);
	domain_event_add_int(&ev, "by", by);
	domain_event_add_str(&ev, "fields", names);
	if (generated_by && *generated_by)
		domain_event_add_str(&ev, "generatedBy", generated_by);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* Stores what changed in b: the work, the episodes' prices, and what follows from them. */
static int store_changes(book *b, books_service *svc, uow_tx *tx, unsigned changed, app_err *err)
{
	episode e;
	int rc;

	if ((rc = book_repo_update(&svc->d.books, tx, b, changed, err)))
		return rc;
	if ((changed & BOOK_FIELD_EPISODE_PRICE) &&
	    (rc = episode_repo_follow_price(&svc->d.episodes, tx, b->id, b->episode_price, err)))
		return rc;
	if (changed & BOOK_FIELD_PRICE) { /* a one-episode book's price is its episode's */
		if ((rc = episode_repo_find(&e, &svc->d.episodes, tx, b->id, 1, err)))
			return rc;
		e.price = b->price;
		e.own_price = 1;
		e.updated_at = books_now(svc);
		if ((rc = episode_repo_edit(&svc->d.episodes, tx, &e, NULL, 0, err)))
			return rc;
	}
	return book_repo_refresh(b, &svc->d.books, tx, b->id, err);
}

/*
 * A one-episode book of characters priced at price: APP_EINVALID
 * "too_short_to_sell" (field, with the minimum and the length) when it would be
 * on sale shorter than cfg.min_sale_chars.
 */
static int sale_length(const books_service *svc, int64_t characters, int64_t price,
		       const char *field, app_err *err)
{
	long long min = (long long)svc->cfg.min_sale_chars;

	if (min <= 0 || price <= 0 || characters >= min)
		return 0;
	app_err_set(err, APP_EINVALID, "too_short_to_sell", field,
		    "a book on sale needs at least %lld characters and this text has %lld: "
		    "keep it that long, or it stays free",
		    min, (long long)characters);
	app_err_extra(err, "minimum", min);
	app_err_extra(err, "characters", (long long)characters);
	return APP_EINVALID;
}

int books_price_allowed(books_service *svc, uow_tx *tx, const book *b, int64_t price, app_err *err)
{
	episode e;
	int rc;

	if (svc->cfg.min_sale_chars <= 0 || b->episode_count + b->serial > 1)
		return 0;
	if ((rc = episode_repo_find(&e, &svc->d.episodes, tx, b->id, 1, err)))
		return rc;
	return sale_length(svc, e.characters, price, "price", err);
}

/*
 * Applies p to the stored work in tx, records and stores what changed; *out
 * the result. who NULL: the generator (no check, by 0); else its author or an
 * admin, anyone else is told the work does not exist.
 */
static int apply_patch(book *out, books_service *svc, uow_tx *tx, int64_t book_id,
		       const books_reader *who, const books_patch *p, const char *generated_by,
		       app_err *err)
{
	book *old = malloc(sizeof(*old)), *b = malloc(sizeof(*b));
	unsigned changed = 0;
	int rc;

	if (!old || !b) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if ((rc = book_repo_find(old, &svc->d.books, tx, book_id, err)))
		goto out;
	if (who && !who->is_admin && old->author_id != who->member_id) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
		goto out;
	}
	*b = *old;
	if ((p->fields & BOOK_FIELD_PRICE) &&
	    (rc = books_price_allowed(svc, tx, old, p->price, err)))
		goto out;
	if ((rc = apply_fields(b, svc, p, err)) ||
	    (rc = record_changes(&changed, svc, tx, old, b, p->fields, who ? who->member_id : 0,
				 generated_by, err)))
		goto out;
	/* what the author wrote is no longer the generator's */
	if (who && (changed & BOOK_FIELD_SUMMARY))
		b->gen_summary[0] = '\0';
	if (who && (changed & BOOK_FIELD_TAGLINE))
		b->gen_tagline[0] = '\0';
	if (who && (changed & (BOOK_FIELD_PRICE | BOOK_FIELD_EPISODE_PRICE)))
		b->gen_price[0] = '\0';
	if ((changed & BOOK_FIELD_PRICE) && !strcmp(b->price_basis.code, "short_free"))
		memset(&b->price_basis, 0, sizeof(b->price_basis));
	if (changed)
		rc = store_changes(b, svc, tx, changed, err);
out:
	if (rc == 0 && out)
		*out = *b;
	free(old);
	free(b);
	return rc;
}

int books_update(book *out, books_service *svc, const books_reader *who, int64_t book_id,
		 const books_patch *patch, app_err *err)
{
	uow_tx *tx;
	int rc;

	if (!who || who->member_id <= 0)
		return app_err_set(err, APP_EUNAUTH, "unauthenticated", NULL, "sign in first");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = apply_patch(out, svc, tx, book_id, who, patch, NULL, err);
	return uow_finish(tx, rc, err);
}

int books_apply_generated_in(book *out, books_service *svc, uow_tx *tx, int64_t book_id,
			     const books_patch *patch, const char *generated_by, app_err *err)
{
	return apply_patch(out, svc, tx, book_id, NULL, patch, generated_by, err);
}

/* --- episodes ----------------------------------------------------------------------------- */

/* Applies an episode patch to e of b (validated); *what the change log entries to write. */
static int episode_fields(episode *e, const book *b, books_service *svc,
			  const books_episode_patch *p, app_err *err)
{
	const books_config *c = &svc->cfg;
	int one = b->episode_count + b->serial <= 1;
	int rc = 0;

	if (p->title)
		rc = manuscript_title(e->title, sizeof(e->title), p->title, err);
	if (!rc && p->content &&
	    (p->content_len > MANUSCRIPT_CONTENT_MAX ||
	     !text_utf8_valid(p->content, p->content_len) ||
	     text_utf8_chars(p->content, p->content_len) < MANUSCRIPT_SUBMIT_MIN))
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "content",
				 "content must be %d characters to 2 MiB of UTF-8",
				 MANUSCRIPT_SUBMIT_MIN);
	if (!rc && p->has_price) {
		/* a one-episode book is priced like a book, an episode of a serial like one */
		rc = one ? book_price_check(p->price, c->price_min, c->price_max, 100, "price", err)
			 : book_price_check(p->price, c->episode_price_min, c->episode_price_max,
					    10, "price", err);
		e->price = p->price;
		e->own_price = 1;
	}
	return rc;
}

static int episode_changes(books_service *svc, uow_tx *tx, const episode *old, const episode *e,
			   const books_episode_patch *p, int64_t by, app_err *err)
{
	char field[48], from[32], to[32];
	int rc = 0;

	if (p->title && strcmp(old->title, e->title)) {
		snprintf(field, sizeof(field), "episodes/%lld/title", (long long)e->number);
		rc = books_change(svc, tx, e->book_id, by, field, old->title, e->title, NULL, err);
	}
	if (!rc && p->content) { /* the text itself stays out of the log: its length says enough */
		snprintf(field, sizeof(field), "episodes/%lld/content", (long long)e->number);
		snprintf(from, sizeof(from), "%lld", (long long)old->characters);
		snprintf(to, sizeof(to), "%lld", (long long)e->characters);
		rc = books_change(svc, tx, e->book_id, by, field, from, to, NULL, err);
	}
	if (!rc && p->has_price && old->price != e->price) {
		snprintf(field, sizeof(field), "episodes/%lld/price", (long long)e->number);
		snprintf(from, sizeof(from), "%lld", (long long)old->price);
		snprintf(to, sizeof(to), "%lld", (long long)e->price);
		rc = books_change(svc, tx, e->book_id, by, field, from, to, NULL, err);
	}
	return rc;
}

static int episode_updated_event(books_service *svc, uow_tx *tx, const book *b, const episode *e,
				 int64_t by, app_err *err)
{
	domain_event ev;
	char names[64];

	snprintf(names, sizeof(names), "episodes/%lld", (long long)e->number);
	domain_event_init(&ev, "book.updated");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "authorId", b->author_id);
	domain_event_add_int(&ev, "by", by);
	domain_event_add_str(&ev, "fields", names);
	domain_event_add_int(&ev, "number", e->number);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* The edit in tx: old and e (room for two episodes), b the work. */
static int episode_edit_in(episode *old, episode *e, book *b, books_service *svc, uow_tx *tx,
			   const books_reader *who, int64_t book_id, int64_t number,
			   const books_episode_patch *p, app_err *err)
{
	int rc;

	if ((rc = book_repo_find(b, &svc->d.books, tx, book_id, err)))
		return rc;
	if (!who || b->author_id != who->member_id)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	if ((rc = episode_repo_find(old, &svc->d.episodes, tx, book_id, number, err)))
		return rc;
	*e = *old;
	if ((rc = episode_fields(e, b, svc, p, err)))
		return rc;
	e->updated_at = books_now(svc);
	if (p->content)
		e->characters = (int64_t)text_utf8_chars(p->content, p->content_len);
	/* a one-episode book on sale keeps the length a sale needs; owners keep it meanwhile */
	if (b->episode_count + b->serial <= 1 && (p->content || p->has_price) &&
	    (rc = sale_length(svc, e->characters, e->price, p->content ? "content" : "price", err)))
		return rc;
	if ((rc = episode_repo_edit(&svc->d.episodes, tx, e, p->content, p->content_len, err)) ||
	    (rc = episode_changes(svc, tx, old, e, p, who->member_id, err)) ||
	    (rc = book_repo_refresh(b, &svc->d.books, tx, book_id, err)))
		return rc;
	return episode_updated_event(svc, tx, b, e, who->member_id, err);
}

int books_episode_update(episode *out, books_service *svc, const books_reader *who, int64_t book_id,
			 int64_t number, const books_episode_patch *patch, app_err *err)
{
	episode *e = malloc(2 * sizeof(*e));
	book *b = malloc(sizeof(*b));
	uow_tx *tx = NULL;
	int rc;

	if (!e || !b) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		goto out;
	if ((rc = episode_edit_in(&e[0], &e[1], b, svc, tx, who, book_id, number, patch, err))) {
		uow_rollback(tx);
		goto out;
	}
	if ((rc = uow_commit(tx, err)) == 0 && out)
		*out = e[1];
out:
	free(e);
	free(b);
	return rc;
}

int books_history(book_change *out, size_t *n, int64_t *next_before, books_service *svc,
		  const books_reader *who, int64_t book_id, int64_t before, size_t limit,
		  app_err *err)
{
	book *b = malloc(sizeof(*b));
	int rc;

	*n = 0;
	*next_before = 0;
	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	rc = book_repo_find(b, &svc->d.books, NULL, book_id, err);
	if (rc == 0 &&
	    (!who || who->member_id <= 0 || (!who->is_admin && b->author_id != who->member_id)))
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	free(b);
	if (rc || (rc = book_change_repo_list(out, n, &svc->d.changes, NULL, book_id, before, limit,
					      err)))
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}
