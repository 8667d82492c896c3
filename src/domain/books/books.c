#include "domain/books/books.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"

void books_service_init(books_service *svc, const books_deps *deps, const books_config *cfg)
{
	svc->d = *deps;
	svc->cfg.bestseller_threshold = BOOK_BESTSELLER_THRESHOLD;
	if (cfg)
		svc->cfg = *cfg;
}

static int64_t now_ms(books_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

/* Copies s into a fixed buffer; APP_EINVALID when it does not fit or is empty. */
static int copy_field(char *dst, size_t cap, const char *s, const char *field, int required,
		      app_err *err)
{
	size_t len = s ? strlen(s) : 0;

	if ((required && len == 0) || len >= cap || (s && !text_utf8_valid(s, len)))
		return app_err_set(err, APP_EINVALID, NULL, field, "%s is missing or invalid",
				   field);
	memcpy(dst, s ? s : "", len + 1);
	return 0;
}

/* FNV-1a over the cover: a strong validator for its ETag. */
static void cover_etag(char out[48], const unsigned char *data, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ data[i]) * 1099511628211ULL;
	snprintf(out, 48, "\"%016llx-%zx\"", (unsigned long long)h, len);
}

int books_publish_in(book *out, books_service *svc, uow_tx *tx, const books_publish_req *req,
		     app_err *err)
{
	book b;
	domain_event ev;
	int rc;

	memset(&b, 0, sizeof(b));
	b.manuscript_id = req->manuscript_id;
	b.author_id = req->author_id;
	b.price = req->price;
	if (req->manuscript_id <= 0 || req->author_id <= 0 || req->price < 0 || !req->content ||
	    !req->cover || req->cover_len == 0)
		return app_err_set(err, APP_EINVALID, NULL, NULL,
				   "a book needs its manuscript, "
				   "author, text, price and cover");
	if ((rc = copy_field(b.title, sizeof(b.title), req->title, "title", 1, err)) ||
	    (rc = copy_field(b.author_name, sizeof(b.author_name), req->author_name, "authorName",
			     1, err)) ||
	    (rc = copy_field(b.summary, sizeof(b.summary), req->summary, "summary", 1, err)) ||
	    (rc = copy_field(b.tagline, sizeof(b.tagline), req->tagline, "tagline", 0, err)) ||
	    (rc = copy_field(b.price_reason, sizeof(b.price_reason), req->price_reason,
			     "priceReason", 0, err)) ||
	    (rc = copy_field(b.cover_mime, sizeof(b.cover_mime), req->cover_mime, "coverMime", 1,
			     err)) ||
	    (rc = copy_field(b.gen_summary, sizeof(b.gen_summary), req->gen_summary, "generatedBy",
			     1, err)) ||
	    (rc = copy_field(b.gen_price, sizeof(b.gen_price), req->gen_price, "generatedBy", 1,
			     err)) ||
	    (rc = copy_field(b.gen_cover, sizeof(b.gen_cover), req->gen_cover, "generatedBy", 1,
			     err)))
		return rc;
	cover_etag(b.cover_etag, req->cover, req->cover_len);
	b.published_at = now_ms(svc);

	/* idempotent in storage: a second insert writes nothing and names the first book */
	rc = book_repo_insert(&svc->d.books, tx, &b, req->content, req->content_len, req->cover,
			      req->cover_len, err);
	if (rc == APP_EEXISTS) { /* published before: the same book, no second event */
		if ((rc = book_repo_find(&b, &svc->d.books, tx, b.id, err)))
			return rc;
		if (out)
			*out = b;
		return 0;
	}
	if (rc)
		return rc;
	domain_event_init(&ev, "book.published");
	domain_event_add_int(&ev, "bookId", b.id);
	domain_event_add_int(&ev, "manuscriptId", b.manuscript_id);
	domain_event_add_int(&ev, "authorId", b.author_id);
	domain_event_add_str(&ev, "title", b.title);
	domain_event_add_int(&ev, "price", b.price);
	if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
		return rc;
	if (out)
		*out = b;
	return 0;
}

int books_publish(book *out, books_service *svc, const books_publish_req *req, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = books_publish_in(out, svc, tx, req, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

static int access_of(book_access *out, books_service *svc, const books_reader *who, const book *b,
		     app_err *err)
{
	book_access_facts f = {0};
	int owns = 0;

	f.signed_in = who && who->member_id > 0;
	f.is_author_of_book = f.signed_in && who->member_id == b->author_id;
	f.is_admin = f.signed_in && who->is_admin;
	f.price = b->price;
	if (f.signed_in && !f.is_author_of_book && !f.is_admin && b->price > 0) {
		int rc;

		owns = book_repo_owns(&svc->d.books, NULL, who->member_id, b->id, err);
		if (owns < 0)
			return owns;
		f.owned = owns;
		/* a lookup that fails is a failure to answer, never "not subscribed" */
		if (!owns && (rc = wallet_subscribed(&f.subscribed, &svc->d.wallet, NULL,
						     who->member_id, err)))
			return rc;
	}
	*out = book_access_decide(&f);
	return 0;
}

int books_get(book *out, book_access *access, books_service *svc, const books_reader *who,
	      int64_t id, app_err *err)
{
	int rc = book_repo_find(out, &svc->d.books, NULL, id, err);

	if (rc)
		return rc;
	return access ? access_of(access, svc, who, out, err) : 0;
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
		next->views = out[*n - 1].views;
	}
	return 0;
}

int books_read(char **content, size_t *len, book *out, books_service *svc, const books_reader *who,
	       int64_t id, app_err *err)
{
	book_access a;
	int64_t balance = 0;
	int rc;

	if ((rc = books_get(out, &a, svc, who, id, err)))
		return rc;
	if (!a.can_read) {
		if (a.reason == BOOK_ACCESS_LOGIN_REQUIRED)
			return app_err_set(err, APP_EUNAUTH, "unauthenticated", NULL,
					   "sign in to read this book");
		if ((rc = wallet_balance(&balance, &svc->d.wallet, NULL, who->member_id, err)))
			return rc;
		app_err_set(err, APP_EFORBIDDEN, "purchase_required", NULL,
			    "buy this book or subscribe to read it");
		app_err_extra(err, "price", out->price);
		app_err_extra(err, "balance", balance);
		app_err_extra(err, "subscriptionPrice", wallet_subscription_price(&svc->d.wallet));
		return APP_EFORBIDDEN;
	}
	if ((rc = book_repo_content(content, len, &svc->d.books, NULL, id, err)))
		return rc;
	if (book_view_counts(a.reason == BOOK_ACCESS_AUTHOR, a.reason == BOOK_ACCESS_ADMIN)) {
		book_view v = {who->member_id, id, book_view_day(now_ms(svc))};

		/* A lost view is not worth failing a read for: the reader has the text. */
		view_recorder_record(&svc->d.views, &v, NULL);
	}
	return 0;
}

/* The result of an earlier purchase with the same key. */
static int purchase_replay(books_purchase_result *out, books_service *svc, uow_tx *tx,
			   int64_t member_id, int64_t ledger_id, int64_t book_id, app_err *err)
{
	book_entitlement e;
	int rc;

	if ((rc = book_repo_entitlement(&e, &svc->d.books, tx, member_id, book_id, err)))
		return rc;
	out->book_id = e.book_id;
	out->price = e.price;
	if (ledger_id > 0)
		return wallet_entry_balance(&out->balance_after, &svc->d.wallet, tx, ledger_id,
					    err);
	return wallet_balance(&out->balance_after, &svc->d.wallet, tx, member_id, err);
}

int books_purchase(books_purchase_result *out, books_service *svc, int64_t member_id,
		   int64_t book_id, const char *idem_key, app_err *err)
{
	char scope[40];
	book_entitlement ent;
	domain_event ev;
	int64_t first;
	uow_tx *tx;
	book b;
	int rc;

	if (idem_key && (!*idem_key || strlen(idem_key) > 200))
		return app_err_set(err, APP_EINVALID, NULL, "Idempotency-Key",
				   "Idempotency-Key must have 1 to 200 characters");
	/* a key is per book: the same key on another book is another request */
	snprintf(scope, sizeof(scope), "purchase:%lld", (long long)book_id);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if (idem_key) {
		rc = idempotency_repo_find(&first, &svc->d.idempotency, tx, member_id, scope,
					   idem_key, err);
		if (rc == 0) {
			rc = purchase_replay(out, svc, tx, member_id, first, book_id, err);
			uow_rollback(tx);
			return rc;
		}
		if (rc != APP_ENOTFOUND)
			goto fail;
	}
	if ((rc = book_repo_find(&b, &svc->d.books, tx, book_id, err)))
		goto fail;
	rc = book_repo_owns(&svc->d.books, tx, member_id, book_id, err);
	if (rc < 0)
		goto fail;
	if (rc == 1 || b.author_id == member_id) {
		rc = app_err_set(err, APP_ECONFLICT, "already_owned", NULL,
				 "you can already read this book");
		goto fail;
	}
	memset(&ent, 0, sizeof(ent));
	ent.member_id = member_id;
	ent.book_id = book_id;
	ent.price = b.price;
	ent.purchased_at = now_ms(svc);
	out->book_id = book_id;
	out->price = b.price;
	if (b.price > 0) {
		rc = wallet_spend(&ent.ledger_id, &out->balance_after, &svc->d.wallet, tx,
				  member_id, b.price, book_id, err);
		if (rc)
			goto fail;
	} else if ((rc = wallet_balance(&out->balance_after, &svc->d.wallet, tx, member_id, err))) {
		goto fail;
	}
	if ((rc = book_repo_grant(&svc->d.books, tx, &ent, err)))
		goto fail;
	if (idem_key &&
	    (rc = idempotency_repo_insert(&svc->d.idempotency, tx, member_id, scope, idem_key,
					  ent.ledger_id, ent.purchased_at, err)))
		goto fail;
	domain_event_init(&ev, "book.purchased");
	domain_event_add_int(&ev, "bookId", book_id);
	domain_event_add_int(&ev, "memberId", member_id);
	domain_event_add_int(&ev, "price", b.price);
	if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
		goto fail;
	return uow_commit(tx, err);
fail:
	uow_rollback(tx);
	return rc;
}

int books_library(book *out, book_entitlement *ents, size_t *n, int64_t *next_before,
		  books_service *svc, int64_t member_id, int64_t before, size_t limit, app_err *err)
{
	int rc =
	    book_repo_library(out, ents, n, &svc->d.books, NULL, member_id, before, limit, err);

	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? ents[*n - 1].id : 0;
	return 0;
}

int books_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], books_service *svc,
		int64_t id, app_err *err)
{
	return book_repo_cover(data, len, mime, etag, &svc->d.books, NULL, id, err);
}

typedef struct book_tally {
	int64_t book_id, count;
} book_tally;

int books_flush_views(size_t *counted, books_service *svc, const book_view *views, size_t n,
		      app_err *err)
{
	book_tally *tally = NULL;
	size_t ntally = 0;
	domain_event ev;
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
		int is_new = 0;
		size_t k;

		if ((rc = book_repo_mark_view(&is_new, &svc->d.books, tx, &views[i], err)))
			goto fail;
		if (!is_new)
			continue;
		(*counted)++;
		for (k = 0; k < ntally && tally[k].book_id != views[i].book_id; k++)
			;
		if (k == ntally)
			tally[ntally++].book_id = views[i].book_id;
		tally[k].count++;
		domain_event_init(&ev, "book.viewed");
		domain_event_add_int(&ev, "bookId", views[i].book_id);
		domain_event_add_int(&ev, "memberId", views[i].member_id);
		if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
			goto fail;
	}
	for (size_t k = 0; k < ntally; k++) {
		int64_t total;
		int changed = 0;

		if ((rc = book_repo_add_views(&total, &svc->d.books, tx, tally[k].book_id,
					      tally[k].count, err)))
			goto fail;
		if (!book_bestseller_due(total, svc->cfg.bestseller_threshold, 0))
			continue;
		if ((rc = book_repo_mark_bestseller(&changed, &svc->d.books, tx, tally[k].book_id,
						    err)))
			goto fail;
		if (!changed)
			continue;
		domain_event_init(&ev, "book.bestseller_selected");
		domain_event_add_int(&ev, "bookId", tally[k].book_id);
		domain_event_add_int(&ev, "views", total);
		if ((rc = event_publish_owned(&svc->d.events, tx, &ev, err)))
			goto fail;
	}
	rc = uow_commit(tx, err);
	goto out;
fail:
	uow_rollback(tx);
	*counted = 0;
out:
	free(tally);
	return rc;
}
