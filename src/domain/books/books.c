#include "domain/books/books.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/books/books_internal.h"
#include "domain/common/text.h"

books_config books_config_default(void)
{
	books_config c = {
	    .bestseller_threshold = BOOK_BESTSELLER_THRESHOLD,
	    .price_min = 1000,
	    .price_max = 50000,
	    .episode_price_min = 100,
	    .episode_price_max = 500,
	    .wait_free_exclude_latest = BOOKS_EXCLUDE_LATEST,
	    .reader_min_age_ms = BOOK_READER_MIN_AGE_MS,
	};
	return c;
}

void books_service_init(books_service *svc, const books_deps *deps, const books_config *cfg)
{
	books_config d = books_config_default();

	svc->d = *deps;
	svc->cfg = cfg ? *cfg : d;
	if (svc->cfg.price_max == 0) {
		svc->cfg.price_min = d.price_min;
		svc->cfg.price_max = d.price_max;
	}
	if (svc->cfg.episode_price_max == 0) {
		svc->cfg.episode_price_min = d.episode_price_min;
		svc->cfg.episode_price_max = d.episode_price_max;
	}
	if (svc->cfg.bestseller_threshold == 0)
		svc->cfg.bestseller_threshold = d.bestseller_threshold;
	if (svc->cfg.reader_min_age_ms == 0)
		svc->cfg.reader_min_age_ms = d.reader_min_age_ms;
}

int64_t books_now(books_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

int books_too_short(const books_service *svc, const char *text, size_t len)
{
	return svc->cfg.min_sale_chars > 0 &&
	       (int64_t)text_utf8_chars(text, len) < svc->cfg.min_sale_chars;
}

int books_copy_field(char *dst, size_t cap, const char *s, const char *field, int required,
		     app_err *err)
{
	size_t len = s ? strlen(s) : 0;

	if ((required && len == 0) || len >= cap || (s && !text_utf8_valid(s, len)))
		return app_err_set(err, APP_EINVALID, NULL, field, "%s is missing or invalid",
				   field);
	memcpy(dst, s ? s : "", len + 1);
	return 0;
}

/* The work as the request describes it (b zeroed by the caller). */
static int work_of(book *b, books_service *svc, const books_publish_req *req, app_err *err)
{
	int rc;

	if (req->manuscript_id <= 0 || req->author_id <= 0 || req->price < 0 || !req->content ||
	    !req->cover || req->cover_len == 0)
		return app_err_set(err, APP_EINVALID, NULL, NULL,
				   "a book needs its manuscript, "
				   "author, text, price and cover");
	b->manuscript_id = req->manuscript_id;
	b->author_id = req->author_id;
	b->serial = req->serial != 0;
	/* a serial's episodes cost episodePrice; a one-episode book keeps its own price */
	b->episode_price = book_price_clamp(req->price, svc->cfg.episode_price_min,
					    svc->cfg.episode_price_max, 10);
	b->price = b->serial ? b->episode_price : req->price;
	snprintf(b->age_rating, sizeof(b->age_rating), "all");
	b->price_basis = req->price_basis;
	b->price_basis.code[sizeof(b->price_basis.code) - 1] = '\0';
	b->price_basis.length_class[sizeof(b->price_basis.length_class) - 1] = '\0';
	/* --publish-mode review: the work waits, hidden, for its author to accept it */
	b->proof = b->hidden = svc->cfg.review != 0;
	if (!b->serial && books_too_short(svc, req->content, req->content_len)) {
		b->price = 0; /* too short to be sold: published free */
		snprintf(b->price_basis.code, sizeof(b->price_basis.code), "short_free");
	}
	/* a code from the generator's vocabulary; anything else is no suggestion */
	if (req->genre && strlen(req->genre) < sizeof(b->genre))
		memcpy(b->genre, req->genre, strlen(req->genre) + 1);
	if ((rc = books_copy_field(b->title, sizeof(b->title), req->title, "title", 1, err)) ||
	    (rc = books_copy_field(b->author_name, sizeof(b->author_name), req->author_name,
				   "authorName", 1, err)) ||
	    (rc = books_copy_field(b->summary, sizeof(b->summary), req->summary, "summary", 1,
				   err)) ||
	    (rc = books_copy_field(b->tagline, sizeof(b->tagline), req->tagline, "tagline", 0,
				   err)) ||
	    (rc = books_copy_field(b->price_reason, sizeof(b->price_reason), req->price_reason,
				   "priceReason", 0, err)) ||
	    (rc = books_copy_field(b->cover_mime, sizeof(b->cover_mime), req->cover_mime,
				   "coverMime", 1, err)) ||
	    (rc = books_copy_field(b->gen_summary, sizeof(b->gen_summary), req->gen_summary,
				   "generatedBy", 1, err)) ||
	    (rc = books_copy_field(b->gen_price, sizeof(b->gen_price), req->gen_price,
				   "generatedBy", 1, err)) ||
	    (rc = books_copy_field(b->gen_cover, sizeof(b->gen_cover), req->gen_cover,
				   "generatedBy", 1, err)))
		return rc;
	/* the generator writes the tagline with the blurb */
	if (b->tagline[0])
		memcpy(b->gen_tagline, b->gen_summary, sizeof(b->gen_tagline));
	books_cover_etag(b->cover_etag, svc, req->cover, req->cover_len);
	b->published_at = books_now(svc);
	return 0;
}

/*
 * What the generator suggested for the new work, in its change log with
 * generatedBy: the blurb and the genre (the summary part), the price or the
 * serial's episode price (the price part).
 */
static int record_suggestions(books_service *svc, uow_tx *tx, const book *b, app_err *err)
{
	char price[24];
	int rc;

	snprintf(price, sizeof(price), "%lld",
		 (long long)(b->serial ? b->episode_price : b->price));
	if ((rc =
		 books_change(svc, tx, b->id, 0, "summary", "", b->summary, b->gen_summary, err)) ||
	    (b->tagline[0] && (rc = books_change(svc, tx, b->id, 0, "tagline", "", b->tagline,
						 b->gen_tagline, err))) ||
	    (b->genre[0] &&
	     (rc = books_change(svc, tx, b->id, 0, "genre", "", b->genre, b->gen_summary, err))))
		return rc;
	return books_change(svc, tx, b->id, 0, b->serial ? "episodePrice" : "price", "", price,
			    b->gen_price, err);
}

/* A proof: the manuscript has its book (book.proof_ready), nobody else knows of it yet. */
static int proof_event(books_service *svc, uow_tx *tx, const book *b, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "book.proof_ready");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "manuscriptId", b->manuscript_id);
	domain_event_add_int(&ev, "authorId", b->author_id);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

int books_published_events(books_service *svc, uow_tx *tx, const book *b, app_err *err)
{
	domain_event ev;
	episode e;
	int rc;

	domain_event_init(&ev, "book.published");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "manuscriptId", b->manuscript_id);
	domain_event_add_int(&ev, "authorId", b->author_id);
	domain_event_add_str(&ev, "title", b->title);
	domain_event_add_int(&ev, "price", b->price);
	domain_event_add_bool(&ev, "serial", b->serial);
	if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
		return rc;
	if ((rc = episode_repo_find(&e, &svc->d.episodes, tx, b->id, 1, err)))
		return rc;
	return books_episode_published_event(svc, tx, b, &e, err);
}

int books_publish_in(book *out, books_service *svc, uow_tx *tx, const books_publish_req *req,
		     app_err *err)
{
	book *b = calloc(1, sizeof(*b)); /* 8 KB: off small worker stacks */
	int rc;

	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = work_of(b, svc, req, err)))
		goto out;
	/* idempotent in storage: a second insert writes nothing and names the first book */
	rc = book_repo_insert(&svc->d.books, tx, b, req->content, req->content_len, req->cover,
			      req->cover_len, err);
	if (rc == APP_EEXISTS) { /* published before: the same book, no second event */
		rc = book_repo_find(b, &svc->d.books, tx, b->id, err);
		goto out;
	}
	if (rc || (rc = books_cover_store_in(svc, tx, b, req, err)) ||
	    (rc = book_repo_refresh(b, &svc->d.books, tx, b->id, err)) ||
	    (rc = record_suggestions(svc, tx, b, err)))
		goto out;
	rc = b->proof ? proof_event(svc, tx, b, err) : books_published_events(svc, tx, b, err);
out:
	if (rc == 0 && out)
		*out = *b;
	free(b);
	return rc;
}

int books_publish(book *out, books_service *svc, const books_publish_req *req, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, books_publish_in(out, svc, tx, req, err), err);
}

int books_get(book *out, book_access *access, books_service *svc, const books_reader *who,
	      int64_t id, app_err *err)
{
	books_episode_view v;
	books_caller c;
	int rc;

	if ((rc = books_load_visible(out, &c, svc, NULL, id, who, err)) || !access)
		return rc;
	if (!c.signed_in) { /* the first episode is published with its book: no need to look */
		*access = (book_access){0, BOOK_ACCESS_LOGIN_REQUIRED, 1};
		return 0;
	}
	if ((rc = episode_repo_find(&v.e, &svc->d.episodes, NULL, id, 1, err)) ||
	    (rc = books_decide(&v, &c, svc, NULL, out, &v.e, -1, err)))
		return rc;
	*access = v.access;
	return 0;
}

int books_list(book *out, size_t *n, book_cursor *next, books_service *svc, const book_query *q,
	       app_err *err)
{
	book_query query = *q;
	int rc;

	*n = 0;
	memset(next, 0, sizeof(*next));
	if (query.q && !*query.q)
		query.q = NULL;
	if (query.q && (!text_utf8_valid(query.q, strlen(query.q)) ||
			text_utf8_chars(query.q, strlen(query.q)) > BOOKS_QUERY_MAX))
		return app_err_set(err, APP_EINVALID, NULL, "q",
				   "the search must be valid text of at most %d characters",
				   BOOKS_QUERY_MAX);
	if (query.limit == 0)
		return 0;
	if ((rc = book_repo_list(out, n, &svc->d.books, NULL, &query, err)))
		return rc;
	if (*n == query.limit) {
		next->id = out[*n - 1].id;
		next->views =
		    query.sort == BOOK_SORT_UPDATED ? out[*n - 1].updated_at : out[*n - 1].views;
	}
	return 0;
}

int books_read(char **content, size_t *len, book *out, books_service *svc, const books_reader *who,
	       int64_t id, app_err *err)
{
	books_episode_view v;

	return books_read_episode(content, len, &v, out, svc, who, id, 1, err);
}

/* The first day of the UTC period ending today. */
static int64_t period_first(book_period period, int64_t today)
{
	return today - (period == BOOK_PERIOD_DAY ? 1 : period == BOOK_PERIOD_WEEK ? 7 : 30) + 1;
}

int books_rankings(book *out, int64_t *readers, size_t *n, books_service *svc, book_period period,
		   int no_ai_covers, size_t limit, app_err *err)
{
	int64_t today = book_view_day(books_now(svc));

	*n = 0;
	if (limit == 0)
		return 0;
	return book_repo_rankings(out, readers, n, &svc->d.books, NULL, period_first(period, today),
				  today, no_ai_covers, limit, err);
}

int books_reader_counts(book_reader_counts *out, books_service *svc, const books_reader *who,
			int64_t book_id, book_period period, app_err *err)
{
	int64_t today = book_view_day(books_now(svc));
	book b;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = book_repo_find(&b, &svc->d.books, NULL, book_id, err)))
		return rc;
	if (!who->is_admin && (who->member_id <= 0 || who->member_id != b.author_id))
		return app_err_set(err, APP_EFORBIDDEN, NULL, NULL,
				   "only the work's author and admins see its readers");
	return book_repo_reader_counts(out, &svc->d.books, NULL, book_id,
				       period_first(period, today), today, err);
}

int books_reader_exclusions(book *out, book_reader_counts *counts, size_t *n, books_service *svc,
			    const books_reader *who, book_period period, size_t limit, app_err *err)
{
	int64_t today = book_view_day(books_now(svc));

	*n = 0;
	if (!who->is_admin)
		return app_err_set(err, APP_EFORBIDDEN, NULL, NULL,
				   "only admins see the exclusions of every work");
	if (limit == 0)
		return 0;
	return book_repo_exclusions(out, counts, n, &svc->d.books, NULL,
				    period_first(period, today), today, limit, err);
}

/* The reader rule's verdict on v's reader, kept once per work, member and day. */
static int judge_reader(books_service *svc, uow_tx *tx, const book_view *v, app_err *err)
{
	int64_t from = 0, min_age = svc->cfg.reader_min_age_ms < 0 ? 0 : svc->cfg.reader_min_age_ms;
	int added, rc;

	if (v->client[0] && (rc = book_repo_readers_from(&from, &svc->d.books, tx, v->book_id,
							 v->day, v->client, err)))
		return rc;
	return book_repo_reader_add(
	    &added, &svc->d.books, tx, v,
	    book_reader_judge(v->member_since, v->at, min_age, v->client, from), err);
}

/* --- views ------------------------------------------------------------------------------ */

typedef struct book_tally {
	int64_t book_id, number, count;
} book_tally;

static int tally_cmp(const void *a, const void *b)
{
	const book_tally *x = a, *y = b;

	if (x->book_id != y->book_id)
		return x->book_id < y->book_id ? -1 : 1;
	return x->number < y->number ? -1 : x->number > y->number;
}

/* Sorts the counted views and folds them into one row per (book, episode); *n shrinks. */
static void tally_fold(book_tally *t, size_t *n)
{
	size_t k = 0;

	qsort(t, *n, sizeof(*t), tally_cmp);
	for (size_t i = 0; i < *n; i++) {
		if (k && t[k - 1].book_id == t[i].book_id && t[k - 1].number == t[i].number)
			t[k - 1].count += t[i].count;
		else
			t[k++] = t[i];
	}
	*n = k;
}

static int viewed_events(books_service *svc, uow_tx *tx, const book_view *v, app_err *err)
{
	domain_event ev;
	int rc;

	domain_event_init(&ev, "book.viewed");
	domain_event_add_int(&ev, "bookId", v->book_id);
	domain_event_add_int(&ev, "memberId", v->member_id);
	if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
		return rc;
	domain_event_init(&ev, "episode.viewed");
	domain_event_add_int(&ev, "bookId", v->book_id);
	domain_event_add_int(&ev, "number", v->number);
	domain_event_add_int(&ev, "memberId", v->member_id);
	domain_event_add_str(&ev, "reason", book_access_reason_name(v->reason));
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/*
 * Adds count views to a book and selects it as a bestseller once its honest readers (members the
 * reader rule counted, on any day) reach the threshold. Views bound readers from above, so the
 * readers are counted only once the views could be enough and the book is not one already.
 */
static int add_book_views(books_service *svc, uow_tx *tx, int64_t book_id, int64_t count,
			  app_err *err)
{
	int64_t threshold = svc->cfg.bestseller_threshold, total;
	book_reader_counts readers;
	domain_event ev;
	int changed = 0, rc;
	book b;

	if ((rc = book_repo_add_views(&total, &svc->d.books, tx, book_id, count, err)))
		return rc;
	if (!book_bestseller_due(total, threshold, 0))
		return 0;
	if ((rc = book_repo_find(&b, &svc->d.books, tx, book_id, err)) || b.bestseller)
		return rc;
	if ((rc = book_repo_reader_counts(&readers, &svc->d.books, tx, book_id, 0, INT64_MAX, err)))
		return rc;
	if (!book_bestseller_due(readers.counted, threshold, 0))
		return 0;
	if ((rc = book_repo_mark_bestseller(&changed, &svc->d.books, tx, book_id, err)) || !changed)
		return rc;
	domain_event_init(&ev, "book.bestseller_selected");
	domain_event_add_int(&ev, "bookId", book_id);
	domain_event_add_int(&ev, "views", total);
	domain_event_add_int(&ev, "readers", readers.counted);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* The totals of the folded tally: each episode's, then each book's (consecutive rows). */
static int add_totals(books_service *svc, uow_tx *tx, const book_tally *t, size_t nt, app_err *err)
{
	int64_t count = 0;
	int rc;

	for (size_t k = 0; k < nt; k++) {
		if ((rc = episode_repo_add_views(&svc->d.episodes, tx, t[k].book_id, t[k].number,
						 t[k].count, err)))
			return rc;
		count += t[k].count;
		if (k + 1 < nt && t[k + 1].book_id == t[k].book_id)
			continue;
		if ((rc = add_book_views(svc, tx, t[k].book_id, count, err)))
			return rc;
		count = 0;
	}
	return 0;
}

int books_flush_views(size_t *counted, books_service *svc, const book_view *views, size_t n,
		      app_err *err)
{
	book_tally *tally = NULL;
	size_t ntally = 0;
	uow_tx *tx = NULL;
	int rc;

	*counted = 0;
	if (n == 0)
		return 0;
	if (!(tally = calloc(n, sizeof(*tally))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		goto out;
	for (size_t i = 0; i < n; i++) {
		book_view v = views[i];
		int is_new = 0;

		if (v.number <= 0) /* a view of a book is one of its first episode */
			v.number = 1;
		if ((rc = book_repo_mark_view(&is_new, &svc->d.books, tx, &v, err)))
			goto fail;
		if (!is_new)
			continue;
		(*counted)++;
		tally[ntally++] = (book_tally){v.book_id, v.number, 1};
		if ((rc = judge_reader(svc, tx, &v, err)) || (rc = viewed_events(svc, tx, &v, err)))
			goto fail;
	}
	tally_fold(tally, &ntally);
	if ((rc = add_totals(svc, tx, tally, ntally, err)))
		goto fail;
	rc = uow_commit(tx, err);
	goto out;
fail:
	uow_rollback(tx);
	*counted = 0;
out:
	free(tally);
	return rc;
}
