/* The books core's sales: one episode, every remaining one, and unlocks by waiting. */
#include "domain/books/books.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/books/books_internal.h"
#include "domain/common/idempotency.h"

/*
 * The idempotency rule (domain/common/idempotency.h) for a sale: the scope
 * is the kind of request, the request names the work and the episode (0:
 * the whole work).
 */
static void idem_request(char out[IDEM_REQUEST_MAX], int64_t book_id, int64_t number)
{
	if (number)
		snprintf(out, IDEM_REQUEST_MAX, "book=%lld episode=%lld", (long long)book_id,
			 (long long)number);
	else
		snprintf(out, IDEM_REQUEST_MAX, "book=%lld", (long long)book_id);
}

static int already_owned(app_err *err)
{
	return app_err_set(err, APP_ECONFLICT, "already_owned", NULL, "you can already read this");
}

/* The result of an earlier purchase (batch): what it bought and the balance after it. */
static int purchase_replay(books_purchase_result *out, books_service *svc, uow_tx *tx,
			   int64_t member_id, int64_t book_id, int64_t batch, app_err *err)
{
	book_entitlement *ents = malloc(BOOKS_EPISODE_PAGE_MAX * sizeof(*ents));
	int64_t after = 0, last_ledger = batch;
	size_t n = BOOKS_EPISODE_PAGE_MAX;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->book_id = book_id;
	out->batch = batch;
	if (!ents)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	while (rc == 0 && n == BOOKS_EPISODE_PAGE_MAX) {
		rc = episode_repo_batch(ents, &n, &svc->d.episodes, tx, member_id, book_id, batch,
					after, BOOKS_EPISODE_PAGE_MAX, err);
		for (size_t i = 0; rc == 0 && i < n; i++) {
			out->price += ents[i].price;
			out->number = ents[i].number;
			if (ents[i].ledger_id > last_ledger)
				last_ledger = ents[i].ledger_id;
			after = ents[i].number;
		}
		out->count += rc == 0 ? (int64_t)n : 0;
	}
	free(ents);
	if (rc)
		return rc;
	if (out->count != 1)
		out->number = 0;
	return wallet_entry_balance(&out->balance_after, &svc->d.wallet, tx, last_ledger, err);
}

/* An episode to sell: what a purchase needs of it. */
typedef struct sale_item {
	int64_t id, number, price;
} sale_item;

/*
 * Debits the item's price with its ledger row and grants it, in tx: the
 * first episode of a purchase names it (res->batch, its ledger entry), the
 * others join it. episode.purchased for each.
 */
static int sell(books_purchase_result *res, books_service *svc, uow_tx *tx, int64_t member_id,
		const book *b, const sale_item *it, int64_t now, app_err *err)
{
	book_entitlement ent = {0};
	domain_event ev;
	int rc;

	ent.member_id = member_id;
	ent.book_id = b->id;
	ent.number = it->number;
	ent.kind = BOOK_OWN_PURCHASE;
	ent.price = it->price;
	ent.purchased_at = now;
	if ((rc = wallet_spend(&ent.ledger_id, &res->balance_after, &svc->d.wallet, tx, member_id,
			       it->price, b->id, it->number, err)))
		return rc;
	if (!res->batch)
		res->batch = ent.ledger_id;
	ent.batch = res->batch;
	res->price += it->price;
	res->count++;
	res->number = res->count == 1 ? it->number : 0;
	if ((rc = book_repo_grant(&svc->d.books, tx, &ent, err)))
		return rc == APP_EEXISTS ? already_owned(err) : rc;
	domain_event_init(&ev, "episode.purchased");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "number", it->number);
	domain_event_add_int(&ev, "episodeId", it->id);
	domain_event_add_int(&ev, "authorId", b->author_id);
	domain_event_add_int(&ev, "memberId", member_id);
	domain_event_add_int(&ev, "price", it->price);
	domain_event_add_int(&ev, "ledgerId", ent.ledger_id);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

typedef struct sale {
	sale_item *items;
	size_t n, cap;
	int64_t total;
} sale;

static int sale_add(sale *s, const episode *e, app_err *err)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		sale_item *p = realloc(s->items, cap * sizeof(*p));

		if (!p)
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		s->items = p;
		s->cap = cap;
	}
	s->items[s->n++] = (sale_item){e->id, e->number, e->price};
	s->total += e->price;
	return 0;
}

/*
 * Adds the buyable episodes (published, paid, not held) of one page of b
 * after `after` to s; *rows the page's size, *last its last number.
 */
static int collect_page(sale *s, size_t *rows, int64_t *last, episode *page, episode_hold *holds,
			books_service *svc, uow_tx *tx, int64_t member_id, const book *b,
			int64_t after, app_err *err)
{
	size_t nholds = 0, k = 0;
	int rc;

	/* the holds within this page are at most a page: only published episodes are held */
	if ((rc = episode_repo_list(page, rows, &svc->d.episodes, tx, b->id, after,
				    BOOKS_EPISODE_PAGE_MAX, 0, err)) ||
	    (rc = episode_repo_holds(holds, &nholds, &svc->d.episodes, tx, member_id, b->id, after,
				     BOOKS_EPISODE_PAGE_MAX, err)))
		return rc;
	for (size_t i = 0; i < *rows && rc == 0; i++) {
		while (k < nholds && holds[k].number < page[i].number)
			k++;
		if (!episode_is_free(&page[i], b->free_episodes) &&
		    !(k < nholds && holds[k].number == page[i].number))
			rc = sale_add(s, &page[i], err);
	}
	*last = *rows ? page[*rows - 1].number : after;
	return rc;
}

/* Every buyable episode of b for member, and their total. */
static int collect(sale *s, books_service *svc, uow_tx *tx, int64_t member_id, const book *b,
		   app_err *err)
{
	episode *page = malloc(BOOKS_EPISODE_PAGE_MAX * sizeof(*page));
	episode_hold *holds = malloc(BOOKS_EPISODE_PAGE_MAX * sizeof(*holds));
	size_t rows = BOOKS_EPISODE_PAGE_MAX;
	int64_t after = 0;
	int rc = 0;

	if (!page || !holds)
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	while (rc == 0 && rows == BOOKS_EPISODE_PAGE_MAX)
		rc = collect_page(s, &rows, &after, page, holds, svc, tx, member_id, b, after, err);
	free(page);
	free(holds);
	return rc;
}

/* 402 naming the whole price and the balance, before any debit. */
static int afford(books_service *svc, uow_tx *tx, int64_t member_id, int64_t total, app_err *err)
{
	int64_t balance;
	int rc;

	if ((rc = wallet_balance(&balance, &svc->d.wallet, tx, member_id, err)))
		return rc;
	if (balance >= total)
		return 0;
	app_err_set(err, APP_EINSUFFICIENT, "insufficient_points", NULL,
		    "%lld points are needed, the balance is %lld", (long long)total,
		    (long long)balance);
	app_err_extra(err, "price", total);
	app_err_extra(err, "balance", balance);
	return APP_EINSUFFICIENT;
}

/* Sells every remaining paid episode of b at their sum, in tx. */
static int sell_all(books_purchase_result *res, books_service *svc, uow_tx *tx, int64_t member_id,
		    const book *b, app_err *err)
{
	int64_t now = books_now(svc);
	sale s = {0};
	int rc;

	if ((rc = collect(&s, svc, tx, member_id, b, err)))
		goto out;
	if (s.n == 0) {
		rc = already_owned(err);
		goto out;
	}
	if ((rc = afford(svc, tx, member_id, s.total, err)))
		goto out;
	for (size_t i = 0; i < s.n && rc == 0; i++)
		rc = sell(res, svc, tx, member_id, b, &s.items[i], now, err);
out:
	free(s.items);
	return rc;
}

/* Sells episode number of b, unless it is free, held or unpublished (404). */
static int sell_episode(books_purchase_result *res, books_service *svc, uow_tx *tx,
			int64_t member_id, const book *b, int64_t number, app_err *err)
{
	episode *e = malloc(sizeof(*e));
	sale_item it;
	int rc;

	if (!e)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = episode_repo_find(e, &svc->d.episodes, tx, b->id, number, err)))
		goto out;
	if (!e->published_at) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such episode");
		goto out;
	}
	rc = episode_is_free(e, b->free_episodes)
		 ? BOOK_OWN_PURCHASE
		 : episode_repo_hold(&svc->d.episodes, tx, member_id, b->id, number, err);
	if (rc > 0)
		rc = already_owned(err);
	if (rc)
		goto out;
	it = (sale_item){e->id, e->number, e->price};
	rc = sell(res, svc, tx, member_id, b, &it, books_now(svc), err);
out:
	free(e);
	return rc;
}

static int purchased_event(books_service *svc, uow_tx *tx, int64_t member_id, const book *b,
			   const books_purchase_result *res, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "book.purchased");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "memberId", member_id);
	domain_event_add_int(&ev, "authorId", b->author_id);
	domain_event_add_int(&ev, "price", res->price);
	domain_event_add_int(&ev, "episodes", res->count);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/*
 * A purchase in one unit: the key first (a replay writes nothing), then the
 * work as member may see it, then the sale (number 0: every remaining one).
 */
static int purchase(books_purchase_result *out, books_service *svc, int64_t member_id,
		    int64_t book_id, int64_t number, const char *key, app_err *err)
{
	books_reader who = {.member_id = member_id}; /* the caller keeps a pointer to it */
	char request[IDEM_REQUEST_MAX];
	idem_state state;
	books_caller c;
	int64_t first;
	uow_tx *tx;
	book *b = malloc(sizeof(*b));
	int rc;

	memset(out, 0, sizeof(*out));
	out->book_id = book_id;
	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	idem_request(request, book_id, number);
	if ((rc = idem_key_check(key, err)) || (rc = uow_begin(&tx, &svc->d.uow, err)))
		goto out;
	rc = idem_check(&state, &first, &svc->d.idempotency, tx, member_id, "purchase", key,
			request, err);
	if (rc == 0 && state == IDEM_DONE) {
		rc = purchase_replay(out, svc, tx, member_id, book_id, first, err);
		goto fail; /* nothing to write */
	}
	if (rc || (rc = books_load_visible(b, &c, svc, tx, book_id, &who, err)))
		goto fail;
	if (b->hidden || c.is_author) { /* not on sale; the author reads it anyway */
		rc = b->hidden ? app_err_set(err, APP_ENOTFOUND, NULL, NULL, "not on sale")
			       : already_owned(err);
		goto fail;
	}
	if (number) {
		rc = sell_episode(out, svc, tx, member_id, b, number, err);
	} else if ((rc = sell_all(out, svc, tx, member_id, b, err)) == 0) {
		rc = purchased_event(svc, tx, member_id, b, out, err);
	}
	if (rc || (rc = idem_record(&svc->d.idempotency, tx, member_id, "purchase", key, request,
				    out->batch, books_now(svc), err)))
		goto fail;
	rc = uow_commit(tx, err);
	goto out;
fail:
	uow_rollback(tx);
out:
	free(b);
	return rc;
}

int books_purchase(books_purchase_result *out, books_service *svc, int64_t member_id,
		   int64_t book_id, const char *idem_key, app_err *err)
{
	return purchase(out, svc, member_id, book_id, 0, idem_key, err);
}

int books_purchase_episode(books_purchase_result *out, books_service *svc, int64_t member_id,
			   int64_t book_id, int64_t number, const char *idem_key, app_err *err)
{
	if (number < 1)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such episode");
	return purchase(out, svc, member_id, book_id, number, idem_key, err);
}

int books_purchased(int64_t *numbers, size_t *n, books_service *svc, int64_t member_id,
		    int64_t book_id, int64_t batch, size_t cap, app_err *err)
{
	book_entitlement *ents = malloc(BOOKS_EPISODE_PAGE_MAX * sizeof(*ents));
	size_t got = BOOKS_EPISODE_PAGE_MAX;
	int64_t after = 0;
	int rc = 0;

	*n = 0;
	if (!ents)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	while (rc == 0 && got == BOOKS_EPISODE_PAGE_MAX && *n < cap) {
		rc = episode_repo_batch(ents, &got, &svc->d.episodes, NULL, member_id, book_id,
					batch, after, BOOKS_EPISODE_PAGE_MAX, err);
		for (size_t i = 0; rc == 0 && i < got && *n < cap; i++)
			numbers[(*n)++] = after = ents[i].number;
	}
	free(ents);
	return rc;
}

/* --- wait until free ---------------------------------------------------------------------- */

static int not_eligible(app_err *err, const char *why)
{
	return app_err_set(err, APP_ECONFLICT, "not_eligible", NULL, "%s", why);
}

/* Why e of b cannot be unlocked by c now, or 0 when it can. */
static int wait_free_refusal(books_episode_view *v, books_caller *c, books_service *svc, uow_tx *tx,
			     const book *b, app_err *err)
{
	int rc;

	if ((rc = books_decide(v, c, svc, tx, b, &v->e, -1, err)))
		return rc;
	if (!v->access.exists)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such episode");
	if (b->wait_free_hours <= 0)
		return not_eligible(err, "this work does not open episodes by waiting");
	if (v->access.reason == BOOK_ACCESS_FREE || v->access.reason == BOOK_ACCESS_AUTHOR ||
	    v->access.reason == BOOK_ACCESS_ADMIN)
		return not_eligible(err, "this episode is free to you");
	if (v->access.reason == BOOK_ACCESS_OWNED || v->access.reason == BOOK_ACCESS_WAIT_FREE)
		return not_eligible(err, "you hold this episode already");
	/* a subscriber may still unlock it for good; wait_free_at was not asked then */
	if (v->access.can_read &&
	    (rc = episode_repo_last_number(&c->latest, &svc->d.episodes, tx, b->id, 1, err)))
		return rc;
	if (!book_wait_free_eligible(b, &v->e, 0, c->latest, svc->cfg.wait_free_exclude_latest))
		return not_eligible(err, "the latest episodes do not open by waiting");
	return 0;
}

static int unlocked_event(books_service *svc, uow_tx *tx, int64_t member_id, const book *b,
			  const episode *e, int64_t next_at, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "episode.unlocked_wait_free");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "number", e->number);
	domain_event_add_int(&ev, "episodeId", e->id);
	domain_event_add_int(&ev, "authorId", b->author_id);
	domain_event_add_int(&ev, "memberId", member_id);
	domain_event_add_int(&ev, "price", e->price);
	domain_event_add_int(&ev, "nextAt", next_at);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* Takes the timer and grants e in tx; APP_ECONFLICT "not_ready" while the timer runs. */
static int unlock(books_wait_free_result *out, books_service *svc, uow_tx *tx, int64_t member_id,
		  const book *b, const episode *e, app_err *err)
{
	book_entitlement ent = {0};
	int64_t now = books_now(svc), next_at = book_wait_free_next(now, b->wait_free_hours);
	int taken = 0, rc;

	if ((rc = episode_repo_timer_take(&taken, &svc->d.episodes, tx, member_id, b->id, now,
					  next_at, err)))
		return rc;
	if (!taken) {
		int64_t at = 0;

		if ((rc =
			 episode_repo_timer_next(&at, &svc->d.episodes, tx, member_id, b->id, err)))
			return rc;
		app_err_set(err, APP_ECONFLICT, "not_ready", NULL,
			    "the next episode opens by waiting later");
		app_err_extra(err, "availableAt", at);
		return APP_ECONFLICT;
	}
	ent.member_id = member_id;
	ent.book_id = b->id;
	ent.number = e->number;
	ent.kind = BOOK_OWN_WAIT_FREE;
	ent.purchased_at = now;
	if ((rc = book_repo_grant(&svc->d.books, tx, &ent, err)))
		return rc == APP_EEXISTS ? not_eligible(err, "you hold this episode already") : rc;
	*out = (books_wait_free_result){b->id, e->number, next_at};
	return unlocked_event(svc, tx, member_id, b, e, next_at, err);
}

int books_wait_free(books_wait_free_result *out, books_service *svc, int64_t member_id,
		    int64_t book_id, int64_t number, const char *idem_key, app_err *err)
{
	books_reader who = {.member_id = member_id}; /* the caller keeps a pointer to it */
	books_episode_view v;
	char request[IDEM_REQUEST_MAX];
	idem_state state;
	books_caller c;
	int64_t first;
	uow_tx *tx;
	book *b = malloc(sizeof(*b));
	int rc;

	memset(out, 0, sizeof(*out));
	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	idem_request(request, book_id, number);
	if ((rc = idem_key_check(idem_key, err)) || (rc = uow_begin(&tx, &svc->d.uow, err)))
		goto out;
	if ((rc = books_load_visible(b, &c, svc, tx, book_id, &who, err)))
		goto fail;
	rc = idem_check(&state, &first, &svc->d.idempotency, tx, member_id, "wait-free", idem_key,
			request, err);
	if (rc == 0 && state == IDEM_DONE) { /* the unlock happened: the same answer */
		*out = (books_wait_free_result){book_id, number,
						book_wait_free_next(first, b->wait_free_hours)};
		goto fail;
	}
	if (rc || (rc = episode_repo_find(&v.e, &svc->d.episodes, tx, book_id, number, err)) ||
	    (rc = wait_free_refusal(&v, &c, svc, tx, b, err)) ||
	    (rc = unlock(out, svc, tx, member_id, b, &v.e, err)) ||
	    (rc = idem_record(&svc->d.idempotency, tx, member_id, "wait-free", idem_key, request,
			      books_now(svc), books_now(svc), err)))
		goto fail;
	rc = uow_commit(tx, err);
	goto out;
fail:
	uow_rollback(tx);
out:
	free(b);
	return rc;
}
