/* Books: the published form of a manuscript, and the pure rules about reading one. */
#ifndef WL_DOMAIN_BOOK_H
#define WL_DOMAIN_BOOK_H

#include <stddef.h>
#include <stdint.h>

#define BOOK_TITLE_BYTES	  (200 * 4 + 1)
#define BOOK_AUTHOR_BYTES	  (50 * 4 + 1)
#define BOOK_SUMMARY_BYTES	  (1000 * 4 + 1)
#define BOOK_TAGLINE_BYTES	  (120 * 4 + 1)
#define BOOK_REASON_BYTES	  (300 * 4 + 1)
#define BOOK_GEN_BYTES		  64
#define BOOK_BESTSELLER_THRESHOLD 30

typedef struct book {
	int64_t id;
	int64_t manuscript_id;
	int64_t author_id;
	char title[BOOK_TITLE_BYTES];
	char author_name[BOOK_AUTHOR_BYTES]; /* the pen name */
	char summary[BOOK_SUMMARY_BYTES];
	char tagline[BOOK_TAGLINE_BYTES];
	int64_t price;
	char price_reason[BOOK_REASON_BYTES];
	char cover_mime[32];
	char cover_etag[48];
	int64_t views;
	int bestseller;
	int64_t published_at;
	char gen_summary[BOOK_GEN_BYTES];
	char gen_price[BOOK_GEN_BYTES];
	char gen_cover[BOOK_GEN_BYTES];
} book;

/* --- the access policy ------------------------------------------------------------------ */

typedef enum {
	BOOK_ACCESS_FREE,
	BOOK_ACCESS_AUTHOR,
	BOOK_ACCESS_ADMIN,
	BOOK_ACCESS_OWNED,
	BOOK_ACCESS_SUBSCRIPTION,
	BOOK_ACCESS_LOGIN_REQUIRED,
	BOOK_ACCESS_PURCHASE_REQUIRED,
} book_access_reason;

typedef struct book_access_facts {
	int signed_in;
	int is_author_of_book;
	int is_admin;
	int64_t price;
	int owned;
	int subscribed;
} book_access_facts;

typedef struct book_access {
	int can_read;
	book_access_reason reason;
} book_access;

/*
 * Who may read a book, in this order: nobody anonymous (login_required);
 * the book's author; an admin; anyone signed in when it is free (price 0);
 * its buyer; an active subscriber; else purchase_required. The content
 * endpoint and the detail's `access` both ask this one function.
 */
book_access book_access_decide(const book_access_facts *f);
const char *book_access_reason_name(book_access_reason r);

/* --- views and bestsellers ----------------------------------------------------------------------
 */

/* The UTC day number of a time in ms (views dedupe per member, book and day). */
int64_t book_view_day(int64_t now_ms);

/* A read counts unless the reader is the book's author or an admin. */
int book_view_counts(int is_author_of_book, int is_admin);

/* 1 when a book with views (after counting) becomes a bestseller now. */
int book_bestseller_due(int64_t views, int64_t threshold, int already);

#endif
