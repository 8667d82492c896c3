/* Fakes of the books core's ports: the book repository, the wallet and the view recorder. */
#ifndef WL_TEST_FAKE_BOOKS_H
#define WL_TEST_FAKE_BOOKS_H

#include "domain/books/books.h"
#include "fakes/fakes.h"

#define FAKE_BOOKS_CAP 64

typedef struct fake_book_row {
	book b;
	char *content;
	unsigned char *cover;
	size_t cover_len;
} fake_book_row;

typedef struct fake_books {
	fake_book_row rows[FAKE_BOOKS_CAP];
	size_t n;
	book_entitlement ents[FAKE_CAP];
	size_t nents;
	book_view marks[FAKE_CAP];
	size_t nmarks;
	int fail_next;
} fake_books;
book_repo fake_book_repo(fake_books *f);
void fake_books_dispose(fake_books *f);

/* A wallet over a fake_world's members service (balances live there). */
typedef struct fake_wallet {
	members_service *members;
	int subscribed; /* what subscribed() answers */
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
