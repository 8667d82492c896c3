/* Shared by the books core's files: the caller's facts, gathered once per request. */
#ifndef WL_DOMAIN_BOOKS_INTERNAL_H
#define WL_DOMAIN_BOOKS_INTERNAL_H

#include "domain/books/books.h"

/*
 * Who asks, with what the access decision needs looked up at most once per
 * request (a subscription, the wait-free timer, the latest episode).
 */
typedef struct books_caller {
	const books_reader *who;
	int signed_in, is_author, is_admin;
	int subscribed;	    /* -1 not looked up yet */
	int64_t timer_next; /* -1 not looked up yet; 0 never started */
	int64_t latest;	    /* -1 not looked up yet */
} books_caller;

int64_t books_now(books_service *svc);

/* Starts a caller for who (may be NULL: anonymous) reading b. */
void books_caller_init(books_caller *c, const books_reader *who, const book *b);

/*
 * Loads book id as c's reader may see it: APP_ENOTFOUND for a hidden work the
 * reader holds nothing of (its author and admins see it). c is initialised.
 */
int books_load_visible(book *b, books_caller *c, books_service *svc, uow_tx *tx, int64_t id,
		       const books_reader *who, app_err *err);

/*
 * Decides c's access to e of b: out->access, ->free and ->wait_free_at (the
 * time c may unlock e by waiting, 0 when not eligible). hold is what c holds
 * of e (a book_own_kind), or -1 to look it up.
 */
int books_decide(books_episode_view *out, books_caller *c, books_service *svc, uow_tx *tx,
		 const book *b, const episode *e, int hold, app_err *err);

/* book.published and the first episode's episode.published for b in tx. */
int books_published_events(books_service *svc, uow_tx *tx, const book *b, app_err *err);

/* episode.published for e of b in tx. */
int books_episode_published_event(books_service *svc, uow_tx *tx, const book *b, const episode *e,
				  app_err *err);

/* Copies s into a fixed buffer; APP_EINVALID (field) when it does not fit, is empty or not UTF-8.
 */
int books_copy_field(char *dst, size_t cap, const char *s, const char *field, int required,
		     app_err *err);

/* Appends one change of b's field (values as text) in tx. */
int books_change(books_service *svc, uow_tx *tx, int64_t book_id, int64_t by, const char *field,
		 const char *from, const char *to, const char *generated_by, app_err *err);

/* 1 when a one-episode book of this text is too short to be sold (cfg.min_sale_chars). */
int books_too_short(const books_service *svc, const char *text, size_t len);

/*
 * APP_EINVALID "too_short_to_sell" (field price, extras minimum and
 * characters) when b is a one-episode book too short to be sold at price
 * (cfg.min_sale_chars): it keeps its price of 0.
 */
int books_price_allowed(books_service *svc, uow_tx *tx, const book *b, int64_t price, app_err *err);

/*
 * Replaces the cover of b (the stored work, refreshed on return) with the
 * one a regeneration drew, in tx: renditions made when it sent none, the
 * change of "cover" (ETag before and after) with its generatedBy, book.updated.
 * APP_EINVALID when req has no cover.
 */
int books_cover_generated_in(book *b, books_service *svc, uow_tx *tx, const books_regen_req *req,
			     app_err *err);

/* The strong ETag of a cover's bytes: 128 bits of its content digest, in quotes. */
void books_cover_etag(char out[48], books_service *svc, const unsigned char *data, size_t len);

/*
 * Stores the renditions of a new work's cover in tx: the generator's, or
 * made from its raster cover. Nothing for an SVG cover without them.
 */
int books_cover_store_in(books_service *svc, uow_tx *tx, const book *b,
			 const books_publish_req *req, app_err *err);

#endif
