/*
 * The books core (catalog side): publishing a generated book, the catalog
 * and search, the access policy applied to details and text, purchases
 * paid through the wallet port, view counting and bestsellers.
 */
#ifndef WL_DOMAIN_BOOKS_H
#define WL_DOMAIN_BOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/book.h"
#include "domain/common/err.h"
#include "ports/book_repo.h"
#include "ports/clock.h"
#include "ports/events.h"
#include "ports/idempotency_repo.h"
#include "ports/uow.h"
#include "ports/view_recorder.h"
#include "ports/wallet.h"

#define BOOKS_QUERY_MAX 100 /* characters of a search */

typedef struct books_config {
	int64_t bestseller_threshold; /* default 30 */
} books_config;

typedef struct books_deps {
	book_repo books;
	idempotency_repo idempotency;
	wallet_port wallet;
	view_recorder views;
	uow uow;
	event_publisher events;
	clock_port clock;
} books_deps;

typedef struct books_service {
	books_deps d;
	books_config cfg;
} books_service;

void books_service_init(books_service *svc, const books_deps *deps, const books_config *cfg);

/* Who asks: member_id 0 is anonymous. */
typedef struct books_reader {
	int64_t member_id;
	int is_admin;
} books_reader;

typedef struct books_publish_req {
	int64_t manuscript_id, author_id;
	const char *title, *author_name;
	const char *content;
	size_t content_len;
	const char *summary, *tagline, *price_reason;
	int64_t price;
	const unsigned char *cover;
	size_t cover_len;
	const char *cover_mime;
	const char *gen_summary, *gen_price, *gen_cover;
} books_publish_req;

/*
 * Registers the book of a manuscript and appends book.published, in a unit
 * of its own, or (the _in form) in the caller's open unit tx. Idempotent in
 * storage: a manuscript that already has a book gets that book back, and
 * nothing is written, no event (one book per manuscript, ever); the caller's
 * unit goes on. APP_EINVALID for missing parts.
 */
int books_publish(book *out, books_service *svc, const books_publish_req *req, app_err *err);
int books_publish_in(book *out, books_service *svc, uow_tx *tx, const books_publish_req *req,
		     app_err *err);

/* A book and what who may do with it. APP_ENOTFOUND. */
int books_get(book *out, book_access *access, books_service *svc, const books_reader *who,
	      int64_t id, app_err *err);

/*
 * A page of the catalog into out (room for q->limit). *next is the cursor of
 * the following page, {0, 0} on the last. APP_EINVALID for a too long query.
 */
int books_list(book *out, size_t *n, book_cursor *next, books_service *svc, const book_query *q,
	       app_err *err);

/*
 * The text, when access allows, and a view counted by the rules (once per
 * member, book and UTC day; never the author's or an admin's). APP_EUNAUTH
 * for anonymous readers, APP_EFORBIDDEN "purchase_required" with extras
 * price, balance and subscriptionPrice. *content is malloc'd.
 */
int books_read(char **content, size_t *len, book *out, books_service *svc, const books_reader *who,
	       int64_t id, app_err *err);

typedef struct books_purchase_result {
	int64_t book_id, price, balance_after;
} books_purchase_result;

/*
 * Buys a book: debit, entitlement, ledger row and book.purchased in one unit
 * of work. APP_EINSUFFICIENT (extras price, balance), APP_ECONFLICT
 * "already_owned", APP_ENOTFOUND. With an idempotency key a repeated request
 * returns the first result.
 */
int books_purchase(books_purchase_result *out, books_service *svc, int64_t member_id,
		   int64_t book_id, const char *idem_key, app_err *err);

/* The member's purchased books, newest purchase first; *next_before 0 on the last page. */
int books_library(book *out, book_entitlement *ents, size_t *n, int64_t *next_before,
		  books_service *svc, int64_t member_id, int64_t before, size_t limit,
		  app_err *err);

/* The cover image; *data is malloc'd. APP_ENOTFOUND. */
int books_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], books_service *svc,
		int64_t id, app_err *err);

/*
 * Writes gathered views in one unit of work: new marks count, totals grow,
 * book.viewed per counted view and book.bestseller_selected once when a
 * book reaches the threshold. *counted is the number of views that counted.
 */
int books_flush_views(size_t *counted, books_service *svc, const book_view *views, size_t n,
		      app_err *err);

#endif
