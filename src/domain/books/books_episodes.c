/* The books core's episodes: access per episode, lists, reading, publishing and schedules. */
#include "domain/books/books.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/books/books_internal.h"

void books_caller_init(books_caller *c, const books_reader *who, const book *b)
{
	memset(c, 0, sizeof(*c));
	c->who = who;
	c->signed_in = who && who->member_id > 0;
	c->is_author = c->signed_in && b && who->member_id == b->author_id;
	c->is_admin = c->signed_in && who->is_admin;
	c->subscribed = -1;
	c->timer_next = -1;
	c->latest = -1;
}

int books_load_visible(book *b, books_caller *c, books_service *svc, uow_tx *tx, int64_t id,
		       const books_reader *who, app_err *err)
{
	int rc = book_repo_find(b, &svc->d.books, tx, id, err);

	books_caller_init(c, who, rc ? NULL : b);
	if (rc == 0 && b->proof && !c->is_author) /* a proof is its author's alone */
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	if (rc || !b->hidden || c->is_author || c->is_admin)
		return rc;
	/* a withdrawn work stays for those who hold some of it, and is gone for the rest */
	rc = c->signed_in ? book_repo_owns(&svc->d.books, tx, who->member_id, id, err) : 0;
	if (rc < 0)
		return rc;
	return rc ? 0 : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
}

/* The facts only storage knows, looked up once per caller and only when they matter. */
static int subscribed(int *out, books_caller *c, books_service *svc, uow_tx *tx, app_err *err)
{
	int rc;

	/* a lookup that fails is a failure to answer, never "not subscribed" */
	if (c->subscribed < 0 &&
	    (rc = wallet_subscribed(&c->subscribed, &svc->d.wallet, tx, c->who->member_id, err)))
		return rc;
	*out = c->subscribed;
	return 0;
}

/* When c may next unlock an eligible episode of b by waiting (now when the timer is due). */
static int wait_free_at(int64_t *out, books_caller *c, books_service *svc, uow_tx *tx,
			const book *b, const episode *e, int hold, app_err *err)
{
	int64_t now = books_now(svc);
	int rc;

	*out = 0;
	if (!c->signed_in || c->is_author || hold || b->wait_free_hours <= 0)
		return 0;
	if (c->latest < 0 &&
	    (rc = episode_repo_last_number(&c->latest, &svc->d.episodes, tx, b->id, 1, err)))
		return rc;
	if (!book_wait_free_eligible(b, e, hold, c->latest, svc->cfg.wait_free_exclude_latest))
		return 0;
	if (c->timer_next < 0 && (rc = episode_repo_timer_next(&c->timer_next, &svc->d.episodes, tx,
							       c->who->member_id, b->id, err)))
		return rc;
	*out = c->timer_next > now ? c->timer_next : now;
	return 0;
}

int books_decide(books_episode_view *out, books_caller *c, books_service *svc, uow_tx *tx,
		 const book *b, const episode *e, int hold, app_err *err)
{
	book_access_facts f = {0};
	int rc;

	f.signed_in = c->signed_in;
	f.is_author_of_book = c->is_author;
	f.is_admin = c->is_admin;
	f.price = e->price;
	f.number = e->number;
	f.free_episodes = b->free_episodes;
	f.unpublished = e->published_at == 0;
	f.hidden = b->hidden;
	out->free = episode_is_free(e, b->free_episodes);
	out->wait_free_at = 0;
	if (f.signed_in && !f.unpublished && !c->is_author && !c->is_admin &&
	    !(out->free && !b->hidden)) {
		if (hold < 0 && (hold = episode_repo_hold(&svc->d.episodes, tx, c->who->member_id,
							  b->id, e->number, err)) < 0)
			return hold;
		f.owned = hold;
		if (!hold && !b->hidden && (rc = subscribed(&f.subscribed, c, svc, tx, err)))
			return rc;
	}
	out->access = book_access_decide(&f);
	if (!out->access.can_read && out->access.exists)
		return wait_free_at(&out->wait_free_at, c, svc, tx, b, e, f.owned, err);
	return 0;
}

int books_episode_published_event(books_service *svc, uow_tx *tx, const book *b, const episode *e,
				  app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "episode.published");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "episodeId", e->id);
	domain_event_add_int(&ev, "number", e->number);
	domain_event_add_int(&ev, "authorId", b->author_id);
	domain_event_add_str(&ev, "title", e->title);
	domain_event_add_int(&ev, "price", e->price);
	domain_event_add_bool(&ev, "free", episode_is_free(e, b->free_episodes));
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* --- lists and pages -------------------------------------------------------------------- */

/* Decides a page of episodes with one lookup of c's holds. */
static int decide_page(books_episode_view *out, books_caller *c, books_service *svc, const book *b,
		       int64_t after, size_t n, app_err *err)
{
	episode_hold *holds = NULL;
	size_t nholds = 0, k = 0;
	int rc = 0;

	if (c->signed_in && !c->is_author && !c->is_admin && n) {
		if (!(holds = calloc(n, sizeof(*holds))))
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		if ((rc = episode_repo_holds(holds, &nholds, &svc->d.episodes, NULL,
					     c->who->member_id, b->id, after, n, err)))
			goto out;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		int hold = BOOK_OWN_NONE;

		while (k < nholds && holds[k].number < out[i].e.number)
			k++;
		if (k < nholds && holds[k].number == out[i].e.number)
			hold = holds[k].kind;
		rc = books_decide(&out[i], c, svc, NULL, b, &out[i].e, hold, err);
	}
out:
	free(holds);
	return rc;
}

int books_episodes(books_episode_view *out, size_t *n, int *more, book *b, books_service *svc,
		   const books_reader *who, int64_t book_id, int64_t after, size_t limit,
		   app_err *err)
{
	episode *rows = NULL;
	books_caller c;
	int rc;

	*n = 0;
	*more = 0;
	if (limit > BOOKS_EPISODE_PAGE_MAX)
		limit = BOOKS_EPISODE_PAGE_MAX;
	if ((rc = books_load_visible(b, &c, svc, NULL, book_id, who, err)) || limit == 0)
		return rc;
	/* one more than asked tells whether a next page exists */
	if (!(rows = malloc((limit + 1) * sizeof(*rows))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = episode_repo_list(rows, n, &svc->d.episodes, NULL, book_id, after, limit + 1,
				    c.is_author, err)))
		goto out;
	*more = *n > limit;
	if (*more)
		*n = limit;
	for (size_t i = 0; i < *n; i++)
		out[i].e = rows[i];
	rc = decide_page(out, &c, svc, b, after, *n, err);
out:
	free(rows);
	if (rc)
		*n = 0;
	return rc;
}

/* The numbers around e that c may see (published ones; the author sees every one). */
static int neighbours(int64_t *prev, int64_t *next, books_caller *c, books_service *svc,
		      const episode *e, app_err *err)
{
	episode *rows = malloc(2 * sizeof(*rows));
	size_t n;
	int rc;

	*prev = *next = 0;
	if (!rows)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	rc = episode_repo_list(rows, &n, &svc->d.episodes, NULL, e->book_id, e->number, 1,
			       c->is_author, err);
	if (rc == 0 && n)
		*next = rows[0].number;
	/* walking back: numbers are dense but an unpublished one may sit in between */
	for (int64_t k = e->number - 1; rc == 0 && k >= 1 && !*prev; k--) {
		rc = episode_repo_find(&rows[1], &svc->d.episodes, NULL, e->book_id, k, err);
		if (rc == APP_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc == 0 && (rows[1].published_at || c->is_author))
			*prev = k;
	}
	free(rows);
	return rc;
}

int books_episode(books_episode_view *out, int64_t *prev, int64_t *next, book *b,
		  books_service *svc, const books_reader *who, int64_t book_id, int64_t number,
		  app_err *err)
{
	books_caller c;
	int hold, rc;

	if ((rc = books_load_visible(b, &c, svc, NULL, book_id, who, err)))
		return rc;
	/* the episode and the reader's hold of it in one lookup (an author or admin holds none) */
	if ((rc = episode_repo_find_held(
		 &out->e, &hold, &svc->d.episodes, NULL, book_id, number,
		 c.signed_in && !c.is_author && !c.is_admin ? who->member_id : 0, err)) ||
	    (rc = books_decide(out, &c, svc, NULL, b, &out->e, hold, err)))
		return rc;
	if (!out->access.exists)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such episode");
	return prev ? neighbours(prev, next, &c, svc, &out->e, err) : 0;
}

/* The refusal of a locked episode, naming what it costs and what the reader has. */
static int refuse(books_service *svc, const books_caller *c, const books_episode_view *v,
		  app_err *err)
{
	int64_t balance = 0;
	int rc;

	if (v->access.reason == BOOK_ACCESS_LOGIN_REQUIRED)
		return app_err_set(err, APP_EUNAUTH, "unauthenticated", NULL,
				   "sign in to read this episode");
	if ((rc = wallet_balance(&balance, &svc->d.wallet, NULL, c->who->member_id, err)))
		return rc;
	app_err_set(err, APP_EFORBIDDEN, "purchase_required", NULL,
		    "buy this episode or subscribe to read it");
	app_err_extra(err, "price", v->e.price);
	app_err_extra(err, "balance", balance);
	app_err_extra(err, "subscriptionPrice", wallet_subscription_price(&svc->d.wallet));
	if (v->wait_free_at)
		app_err_extra(err, "waitFreeAt", v->wait_free_at);
	return APP_EFORBIDDEN;
}

/* Queues the counted view of v by c, with the access reason and the client's keyed hash. */
static void record_view(books_service *svc, const books_caller *c, const books_episode_view *v)
{
	book_view view = {0};
	char text[96];

	view.member_id = c->who->member_id;
	view.book_id = v->e.book_id;
	view.number = v->e.number;
	view.at = books_now(svc);
	view.day = book_view_day(view.at);
	view.reason = v->access.reason;
	view.member_since = c->who->member_since;
	if (c->who->client && *c->who->client && svc->d.crypto.vtbl) {
		/* the day is part of the text: one address's key changes every day */
		snprintf(text, sizeof(text), "%lld|%s", (long long)view.day, c->who->client);
		crypto_keyed_digest(view.client, &svc->d.crypto, text);
	}
	/* A lost view is not worth failing a read for: the reader has the text. */
	view_recorder_record(&svc->d.views, &view, NULL);
}

int books_read_episode(char **content, size_t *len, books_episode_view *out, book *b,
		       books_service *svc, const books_reader *who, int64_t book_id, int64_t number,
		       app_err *err)
{
	books_caller c;
	int rc;

	*content = NULL;
	if ((rc = books_episode(out, NULL, NULL, b, svc, who, book_id, number, err)))
		return rc;
	books_caller_init(&c, who, b);
	if (!out->access.can_read)
		return refuse(svc, &c, out, err);
	if ((rc = episode_repo_content(content, len, &svc->d.episodes, NULL, book_id, number, err)))
		return rc;
	if (book_view_counts(out->access.reason == BOOK_ACCESS_AUTHOR,
			     out->access.reason == BOOK_ACCESS_ADMIN))
		record_view(svc, &c, out);
	return 0;
}

/* --- publishing --------------------------------------------------------------------------- */

int books_publish_episode_in(episode *out, books_service *svc, uow_tx *tx,
			     const books_episode_req *req, app_err *err)
{
	episode *e = calloc(1, sizeof(*e));
	int64_t now = books_now(svc);
	book *b = malloc(sizeof(*b));
	int rc;

	if (!e || !b) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if (req->manuscript_id <= 0 || req->number < 1 || !req->content) {
		rc = app_err_set(err, APP_EINVALID, NULL, NULL,
				 "an episode needs its manuscript, number and text");
		goto out;
	}
	if ((rc = book_repo_find(b, &svc->d.books, tx, req->book_id, err)))
		goto out;
	if (b->author_id != req->author_id) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
		goto out;
	}
	e->book_id = b->id;
	e->number = req->number;
	e->manuscript_id = req->manuscript_id;
	e->price = b->episode_price;
	e->created_at = now;
	if ((rc = books_copy_field(e->title, sizeof(e->title), req->title, "title", 1, err)) ||
	    (rc = books_copy_field(e->summary, sizeof(e->summary), req->summary, "summary", 0,
				   err)) ||
	    (rc = books_copy_field(e->gen_summary, sizeof(e->gen_summary), req->gen_summary,
				   "generatedBy", 0, err)))
		goto out;
	if (req->publish_at > now)
		e->scheduled_at = req->publish_at; /* exists for its author alone until then */
	else
		e->published_at = now;
	rc = episode_repo_insert(&svc->d.episodes, tx, e, req->content, req->content_len, err);
	if (rc == APP_EEXISTS && e->id) { /* the manuscript's episode: registered before */
		rc = episode_repo_find(e, &svc->d.episodes, tx, b->id, e->number, err);
		goto out;
	}
	if (rc || (rc = book_repo_refresh(b, &svc->d.books, tx, b->id, err)) || !e->published_at)
		goto out;
	rc = books_episode_published_event(svc, tx, b, e, err);
out:
	if (rc == 0 && out)
		*out = *e;
	free(e);
	free(b);
	return rc;
}

#define DUE_BATCH 32

/* Publishes one batch of due episodes in one unit; *n how many. */
static int publish_batch(size_t *n, books_service *svc, episode *due, book *b, app_err *err)
{
	int64_t now = books_now(svc);
	size_t ndue = 0;
	uow_tx *tx;
	int rc;

	*n = 0;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = episode_repo_due(due, &ndue, &svc->d.episodes, tx, now, DUE_BATCH, err)))
		goto fail;
	for (size_t i = 0; i < ndue; i++) {
		int changed = 0;

		if ((rc =
			 episode_repo_publish(&changed, &svc->d.episodes, tx, due[i].id, now, err)))
			goto fail;
		if (!changed)
			continue;
		due[i].published_at = now;
		if ((rc = book_repo_refresh(b, &svc->d.books, tx, due[i].book_id, err)) ||
		    (rc = books_episode_published_event(svc, tx, b, &due[i], err)))
			goto fail;
		(*n)++;
	}
	if ((rc = uow_commit(tx, err)))
		*n = 0;
	return rc;
fail:
	uow_rollback(tx);
	*n = 0;
	return rc;
}

int books_publish_due(size_t *n, books_service *svc, app_err *err)
{
	episode *due = malloc(DUE_BATCH * sizeof(*due));
	book *b = malloc(sizeof(*b));
	size_t got = DUE_BATCH;
	int rc = 0;

	*n = 0;
	if (!due || !b)
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	/* a full batch may have more behind it (say after a long stop) */
	while (rc == 0 && got == DUE_BATCH) {
		rc = publish_batch(&got, svc, due, b, err);
		*n += got;
		if (got < DUE_BATCH)
			break;
	}
	free(due);
	free(b);
	return rc;
}
