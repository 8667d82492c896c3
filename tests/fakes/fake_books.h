/*
 * Fakes of the books core's ports: the book, episode, reading and change
 * repositories (one shared state, as they share one store), the wallet and
 * the view recorder.
 */
#ifndef WL_TEST_FAKE_BOOKS_H
#define WL_TEST_FAKE_BOOKS_H

#include "domain/books/books.h"
#include "fakes/fakes.h"

#define FAKE_BOOKS_CAP	  64
#define FAKE_EPISODES_CAP 128
#define FAKE_CHANGES_CAP  64

typedef struct fake_book_row {
	book b;
	unsigned char *cover;
	size_t cover_len;
	unsigned char *png[2]; /* the renditions, full and thumb; NULL: none */
	size_t png_len[2];
} fake_book_row;

typedef struct fake_episode_row {
	episode e;
	char *content;
} fake_episode_row;

typedef struct fake_timer {
	int64_t member_id, book_id, next_at;
} fake_timer;

/* A work's reader on a day with the reader rule's verdict. */
typedef struct fake_reader {
	book_view v;
	book_reader_verdict verdict;
} fake_reader;

typedef struct fake_books {
	fake_book_row rows[FAKE_BOOKS_CAP];
	size_t n;
	fake_episode_row eps[FAKE_EPISODES_CAP];
	size_t neps;
	book_entitlement ents[FAKE_CAP];
	size_t nents;
	book_view marks[FAKE_CAP];
	size_t nmarks;
	fake_timer timers[64];
	size_t ntimers;
	reading_progress progress[64];
	size_t nprogress;
	book_change changes[FAKE_CHANGES_CAP];
	size_t nchanges;
	fake_reader readers[FAKE_CAP];
	size_t nreaders;
	int fail_next; /* the APP_E* code the next call of any of its ports returns */
} fake_books;
book_repo fake_book_repo(fake_books *f);
episode_repo fake_episode_repo(fake_books *f);
reading_repo fake_reading_repo(fake_books *f);
book_change_repo fake_book_change_repo(fake_books *f);
void fake_books_dispose(fake_books *f);

/* A wallet over a fake_world's members service (balances live there). */
typedef struct fake_wallet {
	members_service *members;
	int subscribed; /* 1: subscribed() says yes; 0: the members core answers */
	int spends;
	int fail_next; /* the APP_E* code the next subscribed() returns */
} fake_wallet;
wallet_port fake_wallet_port(fake_wallet *f);

typedef struct fake_views {
	book_view items[FAKE_CAP];
	size_t n;
} fake_views;
view_recorder fake_view_recorder(fake_views *f);

#endif
