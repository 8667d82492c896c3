/*
 * Books repository: published works, their first episode's text and cover,
 * entitlements per episode, view marks, the library and rankings.
 */
#ifndef WL_PORT_BOOK_REPO_H
#define WL_PORT_BOOK_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/books/book.h"
#include "domain/books/ranking_readers.h"
#include "domain/common/err.h"
#include "ports/uow.h"

typedef enum {
	BOOK_SORT_NEW,
	BOOK_SORT_POPULAR,
	BOOK_SORT_BESTSELLERS,
	BOOK_SORT_UPDATED, /* latest episode first ("최신 연재") */
} book_sort;

/* Position after the last item of a page; {0, 0} starts from the top. */
typedef struct book_cursor {
	int64_t views; /* for popular and bestsellers; updated_at for updated */
	int64_t id;
} book_cursor;

enum { BOOK_ANY_STATE = 0, BOOK_ONGOING = 1, BOOK_COMPLETED = 2 };

typedef struct book_query {
	book_sort sort;
	const char *q;	   /* substring of title, pen name or summary; NULL: all */
	int64_t author_id; /* 0: any */
	book_cursor after;
	size_t limit;
	const char *genre; /* NULL: any */
	const char *tag;   /* NULL: any */
	int completed;	   /* BOOK_ANY_STATE (0), BOOK_ONGOING or BOOK_COMPLETED */
	int with_hidden;   /* hidden works too (the author's own list; the admin's: no proofs) */
	int no_ai_covers;  /* leave out works whose cover a generator made (not for author_id) */
} book_query;

/* An entitlement to one episode of a book. */
typedef struct book_entitlement {
	int64_t id; /* grows with time */
	int64_t member_id, book_id, price, ledger_id, purchased_at;
	int64_t number; /* the episode */
	int kind;	/* book_own_kind; 0 is taken as a purchase */
	int64_t batch;	/* one purchase's entitlements share it (its last ledger entry); 0 none */
} book_entitlement;

/* A counted view: member read episode number of book on day (book_view_day). */
typedef struct book_view {
	int64_t member_id, book_id, day;
	int64_t number;			/* the episode */
	book_access_reason reason;	/* what it was read under */
	char client[BOOK_CLIENT_BYTES]; /* keyed hash of the client address; "" unknown */
	int64_t at;			/* when, ms */
	int64_t member_since;		/* when the reader's account was made; 0 unknown */
} book_view;

/* A work's readers on some days: counted ones and the excluded, by why (ranking_readers.h). */
typedef struct book_reader_counts {
	int64_t counted, new_accounts, crowded_addresses;
} book_reader_counts;

/* The library's extra columns of a book (see library). */
typedef struct book_shelf {
	int64_t purchased_at;	/* the first purchase; 0 none */
	int64_t owned_episodes; /* bought or unlocked */
	int64_t last_read;	/* the episode of the reading progress; 0 none */
	int64_t last_read_at;	/* 0 none */
	int64_t new_episodes;	/* published episodes after last_read */
	int64_t activity_at;	/* the later of the last entitlement and the last read */
} book_shelf;

/* A position in the library: activity time, then book id (both descending). */
typedef struct book_shelf_cursor {
	int64_t at, book_id;
} book_shelf_cursor;

typedef enum { BOOK_PERIOD_DAY, BOOK_PERIOD_WEEK, BOOK_PERIOD_MONTH } book_period;

/* Which image of a cover: the one stored, or one of its PNG renditions. */
typedef enum {
	BOOK_COVER_ORIGINAL = 0, /* SVG, PNG or JPEG, as the generator or the author gave it */
	BOOK_COVER_FULL = 1,	 /* PNG 600 x 900 */
	BOOK_COVER_THUMB = 2,	 /* PNG 300 x 450 */
} book_cover_size;

/* A cover to store: the image, its media type and ETag, its PNG renditions (NULL: none). */
typedef struct book_cover_files {
	const unsigned char *data;
	size_t len;
	const char *mime, *etag;
	const unsigned char *full, *thumb;
	size_t full_len, thumb_len;
} book_cover_files;

/*
 * The editable fields of a book (update writes them all, and the price
 * reason and generatedBy of each part with them).
 */
enum {
	BOOK_FIELD_SUMMARY = 1u << 0,
	BOOK_FIELD_TAGLINE = 1u << 1,
	BOOK_FIELD_PRICE = 1u << 2,
	BOOK_FIELD_EPISODE_PRICE = 1u << 3,
	BOOK_FIELD_FREE_EPISODES = 1u << 4,
	BOOK_FIELD_WAIT_FREE = 1u << 5,
	BOOK_FIELD_COMPLETED = 1u << 6,
	BOOK_FIELD_GENRE = 1u << 7,
	BOOK_FIELD_TAGS = 1u << 8,
	BOOK_FIELD_AGE = 1u << 9,
	BOOK_FIELD_HIDDEN = 1u << 10,
};

typedef struct book_repo_vtbl {
	/*
	 * Stores b (id set on return) with its first episode (number 1, title
	 * b->title, price b->price, following the work's price when b->serial),
	 * the episode's text and the cover. APP_EEXISTS when the manuscript
	 * already has a book (b->id is then the existing one).
	 */
	int (*insert)(void *self, uow_tx *tx, book *b, const char *content, size_t content_len,
		      const unsigned char *cover, size_t cover_len, app_err *err);
	int (*find)(book *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* Books matching query into out (capacity query->limit); *n found. Hidden ones never. */
	int (*list)(book *out, size_t *n, void *self, uow_tx *tx, const book_query *query,
		    app_err *err);
	/* The first episode's text; *out is malloc'd (NUL-terminated), the caller frees. */
	int (*content)(char **out, size_t *len, void *self, uow_tx *tx, int64_t id, app_err *err);
	/*
	 * The cover's bytes in size (*data malloc'd, the caller frees), its
	 * media type and the ETag of the cover. APP_ENOTFOUND for no book, or
	 * a rendition the cover does not have (covers stored before renditions).
	 */
	int (*cover)(unsigned char **data, size_t *len, char mime[32], char etag[48], void *self,
		     uow_tx *tx, int64_t id, book_cover_size size, app_err *err);
	/*
	 * Replaces a book's cover, its renditions, media type and ETag (the
	 * book's cover_mime and cover_etag). APP_ENOTFOUND.
	 */
	int (*set_cover)(void *self, uow_tx *tx, int64_t book_id, const book_cover_files *c,
			 app_err *err);
	/*
	 * Up to limit ids, ascending and above after, of the books whose cover
	 * has no PNG rendition (stored before renditions, or one that could not
	 * be made); *n how many.
	 */
	int (*lacking_renditions)(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t after,
				  size_t limit, app_err *err);
	/* Records a view mark; *counted is 1 when it is new (member, episode, day not seen). */
	int (*mark_view)(int *counted, void *self, uow_tx *tx, const book_view *v, app_err *err);
	/* Adds n views to the book; writes its new total. */
	int (*add_views)(int64_t *total, void *self, uow_tx *tx, int64_t book_id, int64_t n,
			 app_err *err);
	/* Sets the bestseller flag; *changed is 1 when it was not set before. */
	int (*mark_bestseller)(int *changed, void *self, uow_tx *tx, int64_t book_id, app_err *err);
	/* APP_EEXISTS when the member already holds that episode. */
	int (*grant)(void *self, uow_tx *tx, const book_entitlement *e, app_err *err);
	/* 1 when the member holds any episode of the book, 0 when not, negative on failure. */
	int (*owns)(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, app_err *err);
	/* The member's earliest entitlement of the book. APP_ENOTFOUND. */
	int (*entitlement)(book_entitlement *out, void *self, uow_tx *tx, int64_t member_id,
			   int64_t book_id, app_err *err);
	/*
	 * Every book the member holds an episode of or has read, latest activity
	 * first, after cursor ({0, 0}: from the top), into out and shelf
	 * (capacity limit); *n found. Hidden works stay for members who hold some.
	 */
	int (*library)(book *out, book_shelf *shelf, size_t *n, void *self, uow_tx *tx,
		       int64_t member_id, book_shelf_cursor after, size_t limit, app_err *err);
	/* Writes the fields of b named by the BOOK_FIELD_* mask. APP_ENOTFOUND. */
	int (*update)(void *self, uow_tx *tx, const book *b, unsigned fields, app_err *err);
	/*
	 * Recomputes what the episodes decide (price, episode count, updated at,
	 * serial once there is a second episode) and writes the fresh book to out
	 * (may be NULL). APP_ENOTFOUND.
	 */
	int (*refresh)(book *out, void *self, uow_tx *tx, int64_t book_id, app_err *err);
	/*
	 * Books by distinct readers of their episodes on days first_day..last_day,
	 * most first (ties: newer book first), visible ones only, at most limit;
	 * no_ai_covers leaves out those whose cover a generator made (gen_cover).
	 */
	int (*rankings)(book *out, int64_t *readers, size_t *n, void *self, uow_tx *tx,
			int64_t first_day, int64_t last_day, int no_ai_covers, size_t limit,
			app_err *err);
	/* The counted readers the work had on day from client (the keyed hash of an address). */
	int (*readers_from)(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t day,
			    const char *client, app_err *err);
	/*
	 * Keeps the verdict on v's reader (its work, day, member and client);
	 * the first verdict of a member, work and day stands (*added 0 after).
	 */
	int (*reader_add)(int *added, void *self, uow_tx *tx, const book_view *v,
			  book_reader_verdict verdict, app_err *err);
	/*
	 * Distinct readers of the work on days first_day..last_day: counted, and
	 * the excluded (never counted on those days) by their first verdict.
	 */
	int (*reader_counts)(book_reader_counts *out, void *self, uow_tx *tx, int64_t book_id,
			     int64_t first_day, int64_t last_day, app_err *err);
	/*
	 * The works that had excluded readers on days first_day..last_day, with
	 * their counts as reader_counts makes them, most excluded first (ties:
	 * newer book first), hidden ones too, at most limit.
	 */
	int (*exclusions)(book *out, book_reader_counts *counts, size_t *n, void *self, uow_tx *tx,
			  int64_t first_day, int64_t last_day, size_t limit, app_err *err);
} book_repo_vtbl;

typedef struct book_repo {
	const book_repo_vtbl *vtbl;
	void *self;
} book_repo;

static inline int book_repo_insert(const book_repo *r, uow_tx *tx, book *b, const char *content,
				   size_t content_len, const unsigned char *cover, size_t cover_len,
				   app_err *err)
{
	return r->vtbl->insert(r->self, tx, b, content, content_len, cover, cover_len, err);
}
static inline int book_repo_find(book *out, const book_repo *r, uow_tx *tx, int64_t id,
				 app_err *err)
{
	return r->vtbl->find(out, r->self, tx, id, err);
}
static inline int book_repo_list(book *out, size_t *n, const book_repo *r, uow_tx *tx,
				 const book_query *q, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, q, err);
}
static inline int book_repo_content(char **out, size_t *len, const book_repo *r, uow_tx *tx,
				    int64_t id, app_err *err)
{
	return r->vtbl->content(out, len, r->self, tx, id, err);
}
static inline int book_repo_cover(unsigned char **data, size_t *len, char mime[32], char etag[48],
				  const book_repo *r, uow_tx *tx, int64_t id, book_cover_size size,
				  app_err *err)
{
	return r->vtbl->cover(data, len, mime, etag, r->self, tx, id, size, err);
}
static inline int book_repo_set_cover(const book_repo *r, uow_tx *tx, int64_t book_id,
				      const book_cover_files *c, app_err *err)
{
	return r->vtbl->set_cover(r->self, tx, book_id, c, err);
}
static inline int book_repo_lacking_renditions(int64_t *ids, size_t *n, const book_repo *r,
					       uow_tx *tx, int64_t after, size_t limit,
					       app_err *err)
{
	return r->vtbl->lacking_renditions(ids, n, r->self, tx, after, limit, err);
}
static inline int book_repo_mark_view(int *counted, const book_repo *r, uow_tx *tx,
				      const book_view *v, app_err *err)
{
	return r->vtbl->mark_view(counted, r->self, tx, v, err);
}
static inline int book_repo_add_views(int64_t *total, const book_repo *r, uow_tx *tx,
				      int64_t book_id, int64_t n, app_err *err)
{
	return r->vtbl->add_views(total, r->self, tx, book_id, n, err);
}
static inline int book_repo_mark_bestseller(int *changed, const book_repo *r, uow_tx *tx,
					    int64_t book_id, app_err *err)
{
	return r->vtbl->mark_bestseller(changed, r->self, tx, book_id, err);
}
static inline int book_repo_grant(const book_repo *r, uow_tx *tx, const book_entitlement *e,
				  app_err *err)
{
	return r->vtbl->grant(r->self, tx, e, err);
}
static inline int book_repo_owns(const book_repo *r, uow_tx *tx, int64_t member_id, int64_t book_id,
				 app_err *err)
{
	return r->vtbl->owns(r->self, tx, member_id, book_id, err);
}
static inline int book_repo_entitlement(book_entitlement *out, const book_repo *r, uow_tx *tx,
					int64_t member_id, int64_t book_id, app_err *err)
{
	return r->vtbl->entitlement(out, r->self, tx, member_id, book_id, err);
}
static inline int book_repo_library(book *out, book_shelf *shelf, size_t *n, const book_repo *r,
				    uow_tx *tx, int64_t member_id, book_shelf_cursor after,
				    size_t limit, app_err *err)
{
	return r->vtbl->library(out, shelf, n, r->self, tx, member_id, after, limit, err);
}
static inline int book_repo_update(const book_repo *r, uow_tx *tx, const book *b, unsigned fields,
				   app_err *err)
{
	return r->vtbl->update(r->self, tx, b, fields, err);
}
static inline int book_repo_refresh(book *out, const book_repo *r, uow_tx *tx, int64_t book_id,
				    app_err *err)
{
	return r->vtbl->refresh(out, r->self, tx, book_id, err);
}
static inline int book_repo_rankings(book *out, int64_t *readers, size_t *n, const book_repo *r,
				     uow_tx *tx, int64_t first_day, int64_t last_day,
				     int no_ai_covers, size_t limit, app_err *err)
{
	return r->vtbl->rankings(out, readers, n, r->self, tx, first_day, last_day, no_ai_covers,
				 limit, err);
}

static inline int book_repo_readers_from(int64_t *out, const book_repo *r, uow_tx *tx,
					 int64_t book_id, int64_t day, const char *client,
					 app_err *err)
{
	return r->vtbl->readers_from(out, r->self, tx, book_id, day, client, err);
}
static inline int book_repo_reader_add(int *added, const book_repo *r, uow_tx *tx,
				       const book_view *v, book_reader_verdict verdict,
				       app_err *err)
{
	return r->vtbl->reader_add(added, r->self, tx, v, verdict, err);
}
static inline int book_repo_reader_counts(book_reader_counts *out, const book_repo *r, uow_tx *tx,
					  int64_t book_id, int64_t first_day, int64_t last_day,
					  app_err *err)
{
	return r->vtbl->reader_counts(out, r->self, tx, book_id, first_day, last_day, err);
}
static inline int book_repo_exclusions(book *out, book_reader_counts *counts, size_t *n,
				       const book_repo *r, uow_tx *tx, int64_t first_day,
				       int64_t last_day, size_t limit, app_err *err)
{
	return r->vtbl->exclusions(out, counts, n, r->self, tx, first_day, last_day, limit, err);
}

#endif
