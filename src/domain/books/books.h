/*
 * The books core (catalog side): publishing works and their episodes, the
 * catalog and search, the one access decision applied to every channel,
 * purchases of episodes paid through the wallet port, wait-until-free,
 * scheduled publishing, reading progress, the library, rankings, the change
 * log of a work, view counting and bestsellers.
 */
#ifndef WL_DOMAIN_BOOKS_H
#define WL_DOMAIN_BOOKS_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/book.h"
#include "domain/common/err.h"
#include "ports/book_change_repo.h"
#include "ports/book_repo.h"
#include "ports/clock.h"
#include "ports/crypto.h"
#include "ports/episode_repo.h"
#include "ports/events.h"
#include "ports/idempotency_repo.h"
#include "ports/image_generator.h"
#include "ports/image_inspector.h"
#include "ports/image_scaler.h"
#include "ports/reading_repo.h"
#include "ports/uow.h"
#include "ports/view_recorder.h"
#include "ports/wallet.h"

#define BOOKS_QUERY_MAX	       100 /* characters of a search */
#define BOOKS_EXCLUDE_LATEST   3   /* the latest episodes wait-free never opens, by default */
#define BOOKS_EPISODE_PAGE_MAX 100 /* episodes in one list page */

typedef struct books_config {
	int64_t bestseller_threshold; /* default 30 */
	/* a one-episode book's price: 1,000..50,000 P in steps of 100 (0: the default) */
	int64_t price_min, price_max;
	/* an episode's price: 100..500 P in steps of 10 (0: the default) */
	int64_t episode_price_min, episode_price_max;
	int64_t wait_free_exclude_latest; /* as given; books_config_default() says 3 */
	/* a one-episode book of fewer characters is published free and cannot be priced; 0 off */
	int64_t min_sale_chars;
	/* --publish-mode review: a new work is published as a proof (books_accept) */
	int review;
	/* 1 for a genre code of the vocabulary (aigen's); NULL: any well-formed code */
	int (*genre_known)(const char *code);
	/* the age an account needs for its reads to rank (ranking_readers.h): 0 an hour, -1 none */
	int64_t reader_min_age_ms;
} books_config;

books_config books_config_default(void);

typedef struct books_deps {
	book_repo books;
	episode_repo episodes;
	reading_repo reading;
	book_change_repo changes;
	idempotency_repo idempotency;
	wallet_port wallet;
	view_recorder views;
	uow uow;
	event_publisher events;
	clock_port clock;
	crypto_port crypto; /* the keyed hash of client addresses kept with views; cover ETags */
	/* an author's cover is decoded, and renditions made, through these; NULL vtbl: none */
	image_inspector inspector;
	image_scaler scaler;
	/* draws anew an SVG cover stored before renditions (books_cover_renditions); NULL: none */
	image_generator drawer;
} books_deps;

typedef struct books_service {
	books_deps d;
	books_config cfg;
} books_service;

/* cfg NULL: the defaults; price bounds left 0 take their defaults. */
void books_service_init(books_service *svc, const books_deps *deps, const books_config *cfg);

/* Who asks: member_id 0 is anonymous. */
typedef struct books_reader {
	int64_t member_id;
	int is_admin;
	const char *client;   /* the client address (NULL: unknown); only a keyed hash is kept */
	int64_t member_since; /* when the member's account was made (the reader rule); 0 unknown */
} books_reader;

typedef struct books_publish_req {
	int64_t manuscript_id, author_id;
	const char *title, *author_name;
	const char *content;
	size_t content_len;
	const char *summary, *tagline, *price_reason;
	int64_t price; /* a one-episode book's price, or a serial's episode price */
	const unsigned char *cover;
	size_t cover_len;
	const char *cover_mime;
	/* the generator's PNG renditions (NULL: made here from a raster cover, or none) */
	const unsigned char *png_full, *png_thumb;
	size_t png_full_len, png_thumb_len;
	const char *gen_summary, *gen_price, *gen_cover;
	int serial;	   /* a serial work: price is the work's episodePrice */
	const char *genre; /* the generator's suggestion (NULL or ""): recorded as a change */
	book_price_basis price_basis; /* the generator's reason for the price, code "" none */
} books_publish_req;

/*
 * Registers a work with its first episode (book.published and
 * episode.published), in a unit of its own, or (the _in form) in the
 * caller's open unit tx. Idempotent in storage: a manuscript that already
 * has a book gets that book back, and nothing is written, no event (one book
 * per manuscript, ever); the caller's unit goes on. The generator's
 * suggestions (genre, episode price) are recorded in the change log with
 * generatedBy. APP_EINVALID for missing parts.
 */
int books_publish(book *out, books_service *svc, const books_publish_req *req, app_err *err);
int books_publish_in(book *out, books_service *svc, uow_tx *tx, const books_publish_req *req,
		     app_err *err);

typedef struct books_episode_req {
	int64_t manuscript_id, author_id, book_id;
	int64_t number; /* reserved when the manuscript was submitted */
	const char *title;
	const char *content;
	size_t content_len;
	const char *summary, *gen_summary; /* the episode's own short summary */
	int64_t publish_at;		   /* 0: now; a later time schedules it */
} books_episode_req;

/*
 * Registers a later episode of a work in the caller's unit tx: published now
 * (episode.published, the work's price and updatedAt move) or, when
 * publish_at is still ahead, scheduled (nothing visible, no event, until
 * books_publish_due). It costs the work's episodePrice. Idempotent per
 * manuscript (*out the existing episode). APP_ENOTFOUND for another's work,
 * APP_EINVALID for missing parts.
 */
int books_publish_episode_in(episode *out, books_service *svc, uow_tx *tx,
			     const books_episode_req *req, app_err *err);

/*
 * Publishes the scheduled episodes that are due, in one unit of work each
 * batch (episode.published with each): *n how many. Run by the scheduler
 * every second and at start-up, so a restart catches up.
 */
int books_publish_due(size_t *n, books_service *svc, app_err *err);

/*
 * A book and what who may do with its first episode. APP_ENOTFOUND, also
 * for a hidden work the caller holds nothing of (its author and admins see it).
 */
int books_get(book *out, book_access *access, books_service *svc, const books_reader *who,
	      int64_t id, app_err *err);

/*
 * A page of the catalog into out (room for q->limit). *next is the cursor of
 * the following page, {0, 0} on the last. APP_EINVALID for a too long query.
 */
int books_list(book *out, size_t *n, book_cursor *next, books_service *svc, const book_query *q,
	       app_err *err);

/*
 * The first episode's text (books_read_episode of number 1), for the
 * one-text endpoints. *content is malloc'd.
 */
int books_read(char **content, size_t *len, book *out, books_service *svc, const books_reader *who,
	       int64_t id, app_err *err);

/* An episode as a caller sees it in a list or on its page. */
typedef struct books_episode_view {
	episode e;
	book_access access;
	int free;	      /* episode_is_free */
	int64_t wait_free_at; /* when who may unlock it by waiting; 0 not eligible */
} books_episode_view;

/*
 * A page of the work's episodes numbered above after (at most limit, capped
 * at BOOKS_EPISODE_PAGE_MAX) with their access for who: published ones, and
 * the scheduled ones too for the author. *more 1 when there are more.
 * APP_ENOTFOUND as books_get.
 */
int books_episodes(books_episode_view *out, size_t *n, int *more, book *b, books_service *svc,
		   const books_reader *who, int64_t book_id, int64_t after, size_t limit,
		   app_err *err);

/*
 * One episode with its access and its neighbours as who sees them (0: none).
 * APP_ENOTFOUND, also for an unpublished episode unless who is its author.
 */
int books_episode(books_episode_view *out, int64_t *prev, int64_t *next, book *b,
		  books_service *svc, const books_reader *who, int64_t book_id, int64_t number,
		  app_err *err);

/*
 * The text of an episode when access allows it, and a view counted (once per
 * member, episode and UTC day; never the author's or an admin's) with the
 * access reason and a keyed hash of the client address. APP_EUNAUTH for
 * anonymous readers, APP_EFORBIDDEN "purchase_required" with extras price,
 * balance, subscriptionPrice (and waitFreeAt when the episode can be
 * unlocked by waiting: 0 now or later). *content is malloc'd.
 */
int books_read_episode(char **content, size_t *len, books_episode_view *out, book *b,
		       books_service *svc, const books_reader *who, int64_t book_id, int64_t number,
		       app_err *err);

typedef struct books_purchase_result {
	int64_t book_id, price, balance_after;
	int64_t number; /* the episode bought (one-episode purchases); 0 for a whole work */
	int64_t count;	/* episodes bought */
	int64_t batch;	/* names the purchase's entitlements (books_purchased) */
} books_purchase_result;

/*
 * Buys every published paid episode of a work the member does not hold yet,
 * in one unit of work at the sum of their prices: per episode a debit with
 * its ledger row and its entitlement, then book.purchased and
 * episode.purchased per episode. APP_EINSUFFICIENT (extras price, balance),
 * APP_ECONFLICT "already_owned" when nothing is left, APP_ENOTFOUND (also a
 * hidden work). With an idempotency key a repeated request returns the first
 * result.
 */
int books_purchase(books_purchase_result *out, books_service *svc, int64_t member_id,
		   int64_t book_id, const char *idem_key, app_err *err);

/*
 * Buys one episode: debit, ledger row, entitlement, episode.purchased.
 * APP_EINSUFFICIENT, APP_ECONFLICT "already_owned" (also when it is free or
 * the member's own), APP_ENOTFOUND. Idempotency as books_purchase.
 */
int books_purchase_episode(books_purchase_result *out, books_service *svc, int64_t member_id,
			   int64_t book_id, int64_t number, const char *idem_key, app_err *err);

/* The episode numbers of a purchase (result->batch), in order; at most cap. */
int books_purchased(int64_t *numbers, size_t *n, books_service *svc, int64_t member_id,
		    int64_t book_id, int64_t batch, size_t cap, app_err *err);

typedef struct books_wait_free_result {
	int64_t book_id, number, next_at;
} books_wait_free_result;

/*
 * Unlocks a paid episode for good by waiting: one per member and work every
 * waitFreeHours, the timer starting now; no points move;
 * episode.unlocked_wait_free. APP_ECONFLICT "not_ready" (extra availableAt,
 * ms) while the timer runs, "not_eligible" when wait-free is off or the
 * episode is free, held, or among the latest ones; APP_ENOTFOUND.
 * Idempotency as books_purchase.
 */
int books_wait_free(books_wait_free_result *out, books_service *svc, int64_t member_id,
		    int64_t book_id, int64_t number, const char *idem_key, app_err *err);

/* A library row: a book and the member's shelf columns. */
int books_library(book *out, book_shelf *shelf, size_t *n, book_shelf_cursor *next,
		  books_service *svc, int64_t member_id, book_shelf_cursor after, size_t limit,
		  app_err *err);

/*
 * Saves where who stopped reading a work: an episode who may read (the text
 * is not needed), a paragraph anchor >= 0, a percent 0..100. APP_EINVALID,
 * APP_ENOTFOUND, APP_EFORBIDDEN "purchase_required" when the episode is not
 * open to who.
 */
int books_progress_put(reading_progress *out, books_service *svc, const books_reader *who,
		       int64_t book_id, int64_t number, int64_t anchor, int64_t percent,
		       app_err *err);
/* The member's progress in one work. APP_ENOTFOUND when not read. */
int books_progress_get(reading_progress *out, books_service *svc, int64_t member_id,
		       int64_t book_id, app_err *err);
int books_progress_list(reading_progress *out, book *books, size_t *n, reading_cursor *next,
			books_service *svc, int64_t member_id, reading_cursor after, size_t limit,
			app_err *err);

/*
 * Books by distinct readers in the UTC period ending today, most first (at
 * most limit): the readers the reader rule counts (ranking_readers.h);
 * no_ai_covers leaves out works whose cover a generator made.
 */
int books_rankings(book *out, int64_t *readers, size_t *n, books_service *svc, book_period period,
		   int no_ai_covers, size_t limit, app_err *err);

/*
 * A work's readers in the UTC period ending today: the counted ones and the
 * excluded, by why; for the work's author and admins (APP_EFORBIDDEN
 * otherwise, APP_ENOTFOUND for no such work).
 */
int books_reader_counts(book_reader_counts *out, books_service *svc, const books_reader *who,
			int64_t book_id, book_period period, app_err *err);

/*
 * The works that had excluded readers in the UTC period ending today, most
 * excluded first (at most limit, hidden ones too), with their counts as
 * books_reader_counts makes them; for admins (APP_EFORBIDDEN otherwise).
 */
int books_reader_exclusions(book *out, book_reader_counts *counts, size_t *n, books_service *svc,
			    const books_reader *who, book_period period, size_t limit,
			    app_err *err);

/* --- editing a work (books_edit.c) ------------------------------------------------------ */

/* A PATCH of a work: each field applies when its has_ flag is set. */
typedef struct books_patch {
	unsigned fields; /* BOOK_FIELD_* present */
	const char *summary, *tagline, *genre, *age_rating;
	int64_t price, episode_price, free_episodes, wait_free_hours;
	int completed, hidden;
	const char *const *tags; /* ntags of them */
	size_t ntags;
} books_patch;

/*
 * Applies a patch by its author or an admin (who): each field that changes
 * is validated, recorded as a change and in one book.updated event; owners
 * keep what they hold when a work is hidden. APP_ENOTFOUND (also for anyone
 * else), APP_EINVALID naming the field (price only for one-episode books).
 */
int books_update(book *out, books_service *svc, const books_reader *who, int64_t book_id,
		 const books_patch *patch, app_err *err);

/*
 * Applies the generator's own suggestions (fields of patch) in the caller's
 * unit, recorded as changes with generated_by and by 0. For the publishing
 * pipeline and regeneration; no owner check.
 */
int books_apply_generated_in(book *out, books_service *svc, uow_tx *tx, int64_t book_id,
			     const books_patch *patch, const char *generated_by, app_err *err);

/* The parts of a work a generator makes (books_regen_req.parts). */
enum {
	BOOKS_PART_SUMMARY = 1u << 0,
	BOOKS_PART_TAGLINE = 1u << 1,
	BOOKS_PART_PRICE = 1u << 2, /* the price, or a serial's episodePrice */
	BOOKS_PART_COVER = 1u << 3,
};

/* What a regeneration made for a work; nothing owned. */
typedef struct books_regen_req {
	int64_t book_id;
	unsigned parts; /* BOOKS_PART_*: only these are applied */
	const char *summary, *tagline, *price_reason;
	int64_t price; /* clamped here to the work's bounds (episode ones for a serial) */
	book_price_basis price_basis;
	const char *text_by, *price_by, *cover_by; /* generatedBy per part */
	const unsigned char *cover;
	size_t cover_len;
	const char *cover_mime;
	const unsigned char *png_full, *png_thumb; /* NULL: made from a raster cover, or none */
	size_t png_full_len, png_thumb_len;
} books_regen_req;

/*
 * Applies a regeneration in the caller's unit: each asked part is recorded
 * as a change with its generatedBy and by 0, also when the value stays (the
 * change log holds the generator's latest suggestion per field: books_ai),
 * with book.updated; the price reason, its basis and generatedBy follow the
 * parts. A one-episode book too short to be sold keeps its price of 0 (the
 * suggestion is still recorded). *out (may be NULL) the work after.
 * APP_ENOTFOUND, APP_EINVALID for a part that fails validation.
 */
int books_regenerated_in(book *out, books_service *svc, uow_tx *tx, const books_regen_req *req,
			 app_err *err);

/*
 * Its author accepts a proof (--publish-mode review): the work goes on sale
 * now (publishedAt), recorded as the change of "proof", and book.published
 * fires once, whatever the number of accepts at once. APP_ENOTFOUND for
 * anyone else, APP_ECONFLICT "not_proof" for a work on sale.
 */
int books_accept(book *out, books_service *svc, const books_reader *who, int64_t book_id,
		 app_err *err);

/* A work as stored, hidden ones too, for the ports of other cores (no access check). */
int books_work_in(book *out, books_service *svc, uow_tx *tx, int64_t id, app_err *err);

/*
 * The text of episode number of work book_id as it stands now (its author's
 * edits included), for the ports of other cores (no access check): *text is
 * malloc'd and NUL-terminated, the caller frees it. APP_ENOTFOUND.
 */
int books_episode_text_in(char **text, size_t *len, books_service *svc, uow_tx *tx, int64_t book_id,
			  int64_t number, app_err *err);

/* A generator's latest suggestion for a part of a work. */
typedef struct books_ai_part {
	int present;
	char value[BOOK_CHANGE_VALUE_BYTES]; /* text; a price in decimal; a cover's ETag */
	char generated_by[BOOK_GEN_BYTES];
	int64_t at;
} books_ai_part;

/*
 * The AI's side of a work beside the author's values: per part the latest
 * suggestion (from the change log), and for the price the generator's
 * reason (the work's priceReason and priceBasis, which an author's price
 * does not replace).
 */
typedef struct books_ai {
	books_ai_part summary, tagline, price, cover;
	int per_episode; /* price is a suggested episodePrice */
} books_ai;

/* The AI's side of work b for its author or an admin (APP_ENOTFOUND for anyone else). */
int books_ai_get(books_ai *out, books_service *svc, const books_reader *who, const book *b,
		 app_err *err);

typedef struct books_episode_patch {
	const char *title;   /* NULL: unchanged */
	const char *content; /* NULL: unchanged */
	size_t content_len;
	int has_price;
	int64_t price;
} books_episode_patch;

/*
 * Edits an episode by its work's author: a text edit keeps its number and
 * every reader's access; a price change (its own from then on) applies to
 * later purchases. Recorded as changes and book.updated. APP_ENOTFOUND,
 * APP_EINVALID.
 */
int books_episode_update(episode *out, books_service *svc, const books_reader *who, int64_t book_id,
			 int64_t number, const books_episode_patch *patch, app_err *err);

/* The work's changes, newest first, ids below before (0: the newest). Author or admin. */
int books_history(book_change *out, size_t *n, int64_t *next_before, books_service *svc,
		  const books_reader *who, int64_t book_id, int64_t before, size_t limit,
		  app_err *err);

/* --- covers (books_cover.c) -------------------------------------------------------------- */

#define BOOKS_COVER_MAX_BYTES (2u * 1024 * 1024) /* an author's cover: at most 2 MiB, */
#define BOOKS_COVER_MIN_SIDE  300		 /* 300 to 4,000 px a side */
#define BOOKS_COVER_MAX_SIDE  4000

/*
 * The cover image, or one of its PNG renditions; *data is malloc'd.
 * APP_ENOTFOUND, also for a rendition the cover lacks (stored before
 * renditions existed).
 */
int books_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], books_service *svc,
		int64_t id, book_cover_size size, app_err *err);

/*
 * Gives every cover stored before renditions its PNG renditions: a raster
 * one is scaled (the cover itself stays); an SVG one a generator drew is
 * drawn anew by d.drawer, its SVG and PNGs replacing it (a change of "cover"
 * with the drawer's name, book.updated). A cover that does not decode, an
 * SVG without a drawer or one that changed meanwhile is left as it is.
 * *made how many got renditions. Storage errors fail it.
 */
int books_cover_renditions(size_t *made, books_service *svc, app_err *err);

/*
 * The author's own cover (data, len bytes, sent as mime): decoded completely
 * under the bounds above (APP_EINVALID "image": not PNG or JPEG, does not
 * decode, out of bounds, or not the mime said), stored with PNG renditions,
 * recorded as a change of "cover" (ETag before and after) with book.updated.
 * *out the work after. APP_ENOTFOUND for anyone but its author.
 */
int books_cover_upload(book *out, books_service *svc, const books_reader *who, int64_t book_id,
		       const unsigned char *data, size_t len, const char *mime, app_err *err);

/*
 * Writes gathered views in one unit of work: new marks count, the book's and
 * the episode's totals grow, book.viewed and episode.viewed per counted view,
 * and book.bestseller_selected once when a book's honest readers (the reader rule's counted
 * members, any day) reach the threshold.
 * *counted is the number of views that counted.
 */
int books_flush_views(size_t *counted, books_service *svc, const book_view *views, size_t n,
		      app_err *err);

#endif
