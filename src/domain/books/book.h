/*
 * Books: the published form of a manuscript. Every book is a work made of
 * one or more episodes (회차); a book published from one manuscript is a work
 * with one episode. The pure rules about reading, pricing, wait-until-free
 * and scheduling live here.
 */
#ifndef WL_DOMAIN_BOOK_H
#define WL_DOMAIN_BOOK_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"

#define BOOK_TITLE_BYTES	  (200 * 4 + 1)
#define BOOK_AUTHOR_BYTES	  (50 * 4 + 1)
#define BOOK_SUMMARY_BYTES	  (1000 * 4 + 1)
#define BOOK_TAGLINE_BYTES	  (120 * 4 + 1)
#define BOOK_REASON_BYTES	  (300 * 4 + 1)
#define BOOK_GEN_BYTES		  64
#define BOOK_BESTSELLER_THRESHOLD 30
#define BOOK_TAGS_MAX		  10 /* tags of a book */
#define BOOK_TAG_CHARS		  20 /* characters of a tag */
#define BOOK_TAG_BYTES		  (BOOK_TAG_CHARS * 4 + 1)
#define BOOK_GENRE_BYTES	  24 /* a genre code (aigen's vocabulary) and its NUL */
#define BOOK_AGE_BYTES		  4  /* "all", "12", "15", "19" */
#define BOOK_CLIENT_BYTES	  33 /* a client address key: 32 hex digits and a NUL */

#define BOOK_CODE_BYTES 24 /* a code of the generator's vocabulary and its NUL */

/*
 * Why a work costs what it does, as a code and its parameters that clients
 * render in the reader's language: "length" (reading time in minutes and a
 * length class: flash, short, novella, novel), "short_free" (too short to be
 * sold: free), or "" (none given).
 */
typedef struct book_price_basis {
	char code[BOOK_CODE_BYTES];
	int64_t minutes;
	char length_class[BOOK_CODE_BYTES];
} book_price_basis;

typedef struct book {
	int64_t id;
	int64_t manuscript_id; /* the first episode's */
	int64_t author_id;
	char title[BOOK_TITLE_BYTES];
	char author_name[BOOK_AUTHOR_BYTES]; /* the pen name */
	char summary[BOOK_SUMMARY_BYTES];
	char tagline[BOOK_TAGLINE_BYTES];
	int64_t price; /* the sum of the prices of its published paid episodes */
	char price_reason[BOOK_REASON_BYTES];
	char cover_mime[32];
	char cover_etag[48];
	int64_t views; /* the sum over its episodes */
	int bestseller;
	int64_t published_at;
	char gen_summary[BOOK_GEN_BYTES];
	char gen_tagline[BOOK_GEN_BYTES];
	char gen_price[BOOK_GEN_BYTES];
	char gen_cover[BOOK_GEN_BYTES];
	/* the work */
	int serial;		 /* started as a serial, or has more than one episode */
	int64_t episode_count;	 /* published episodes */
	int64_t free_episodes;	 /* episodes 1..free_episodes are free */
	int64_t episode_price;	 /* what a new episode costs unless it has its own */
	int64_t wait_free_hours; /* 0: off; else one unlock per member per this many hours */
	int completed;
	char genre[BOOK_GENRE_BYTES]; /* "" or a genre code */
	char tags[BOOK_TAGS_MAX][BOOK_TAG_BYTES];
	int ntags;
	char age_rating[BOOK_AGE_BYTES]; /* "all", "12", "15", "19" */
	int hidden;			 /* withdrawn: not listed, not sold; owners keep theirs */
	int proof; /* awaiting its author's acceptance (hidden meanwhile, its author's alone) */
	int64_t updated_at; /* when its latest episode was published */
	book_price_basis price_basis;
} book;

#define EPISODE_SUMMARY_BYTES BOOK_SUMMARY_BYTES

/*
 * An episode of a work. Numbers start at 1 and never change. An episode is
 * published (published_at set), scheduled (scheduled_at set, published_at 0)
 * or waiting for its generation (neither).
 */
typedef struct episode {
	int64_t id;
	int64_t book_id;
	int64_t number;
	int64_t manuscript_id; /* 0 when none (seeded data) */
	char title[BOOK_TITLE_BYTES];
	int64_t price;
	int own_price; /* the author set it: it does not follow the work's episodePrice */
	int64_t characters;
	int64_t views;
	char summary[EPISODE_SUMMARY_BYTES]; /* short, for recaps; not the work's blurb */
	char gen_summary[BOOK_GEN_BYTES];
	int64_t scheduled_at; /* 0: none */
	int64_t published_at; /* 0: not (yet) published */
	int64_t created_at, updated_at;
} episode;

/* 1 when the episode costs nothing: among the free first ones, or priced 0. */
int episode_is_free(const episode *e, int64_t free_episodes);

/* --- the access policy ------------------------------------------------------------------ */

typedef enum {
	BOOK_ACCESS_FREE,
	BOOK_ACCESS_AUTHOR,
	BOOK_ACCESS_ADMIN,
	BOOK_ACCESS_OWNED,
	BOOK_ACCESS_SUBSCRIPTION,
	BOOK_ACCESS_LOGIN_REQUIRED,
	BOOK_ACCESS_PURCHASE_REQUIRED,
	BOOK_ACCESS_WAIT_FREE,
} book_access_reason;

/* Kinds of entitlement a member holds for an episode. */
typedef enum {
	BOOK_OWN_NONE = 0,
	BOOK_OWN_PURCHASE = 1,	/* bought */
	BOOK_OWN_WAIT_FREE = 2, /* unlocked by waiting */
} book_own_kind;

/* What the decision is made from; gathered by the core, zero for "no". */
typedef struct book_access_facts {
	int signed_in;
	int is_author_of_book;
	int is_admin;
	int64_t price; /* the episode's */
	int owned;     /* a book_own_kind */
	int subscribed;
	int64_t number;	       /* the episode's; 0 for none */
	int64_t free_episodes; /* the work's */
	int unpublished;       /* scheduled, or still being generated */
	int hidden;	       /* the work is withdrawn */
} book_access_facts;

typedef struct book_access {
	int can_read;
	book_access_reason reason;
	int exists; /* 0: the caller must not learn the episode exists (answer 404) */
} book_access;

/*
 * The one access decision for a member and an episode; every channel (lists,
 * text, search, feeds, recaps, exports) asks it. In order: an unpublished
 * episode exists for its author alone; nobody anonymous (login_required);
 * the author; an admin; of a hidden work only what the member owns or
 * unlocked; a free episode (number <= free_episodes, or price 0) for
 * anyone signed in; bought (owned); unlocked by waiting (wait_free); an
 * active subscriber; else purchase_required.
 */
book_access book_access_decide(const book_access_facts *f);
const char *book_access_reason_name(book_access_reason r);

/* --- prices ------------------------------------------------------------------------------- */

/*
 * Clamps price into min..max and rounds it to the nearest multiple of step
 * (half away from zero), staying inside the bounds (unrounded when no
 * multiple lies there). step 100 for books, 10 for episodes.
 */
int64_t book_price_clamp(int64_t price, int64_t min, int64_t max, int64_t step);

/* APP_EINVALID (field) unless price lies in min..max and is a multiple of step. */
int book_price_check(int64_t price, int64_t min, int64_t max, int64_t step, const char *field,
		     app_err *err);

/* --- wait until free --------------------------------------------------------------------- */

/* The waitFreeHours a work may have: 0 (off), 12, 24, 48 or 72. */
int book_wait_free_hours_valid(int64_t hours);

/*
 * 1 when a paid episode can be unlocked by waiting: the work has wait-free
 * on, the episode is published, not free, not owned, and not among the
 * latest exclude_latest episodes (latest_number is the highest published).
 */
int book_wait_free_eligible(const book *b, const episode *e, int owned, int64_t latest_number,
			    int64_t exclude_latest);

/* When the next unlock after one at unlocked_at is due. */
int64_t book_wait_free_next(int64_t unlocked_at, int64_t hours);

/* --- scheduling ----------------------------------------------------------------------------- */

#define BOOK_SCHEDULE_MAX_MS (366LL * 24 * 3600 * 1000) /* publishAt at most a year ahead */

/* APP_EINVALID ("publishAt") unless now < at <= now + a year. */
int book_schedule_check(int64_t at, int64_t now, app_err *err);

/* --- views and bestsellers ----------------------------------------------------------------------
 */

/* The UTC day number of a time in ms (views dedupe per member, episode and day). */
int64_t book_view_day(int64_t now_ms);

/* A read counts unless the reader is the book's author or an admin. */
int book_view_counts(int is_author_of_book, int is_admin);

/* 1 when a book with count honest readers (after counting) becomes a bestseller now. */
int book_bestseller_due(int64_t count, int64_t threshold, int already);

/* --- work fields --------------------------------------------------------------------------------
 */

/* 1 for "all", "12", "15", "19". */
int book_age_rating_valid(const char *s);

/*
 * Checks a tag (1..20 characters of UTF-8, trimmed, one line, no comma) and
 * writes it trimmed to out. APP_EINVALID (field "tags").
 */
int book_tag_normalize(char out[BOOK_TAG_BYTES], const char *tag, app_err *err);

/*
 * A book's tags as storage keeps them beside its other columns: one a line.
 * book_tags_join writes b's into out (cap bytes; the tags that do not fit
 * are left out); book_tags_parse reads s (NULL: none) into b.
 */
void book_tags_join(char *out, size_t cap, const book *b);
void book_tags_parse(book *b, const char *s);

#endif
