/* A books core on fakes: members (balances, ledger, clock, outbox), the books stores, a wallet. */
#ifndef WL_TEST_FAKE_BOOKS_WORLD_H
#define WL_TEST_FAKE_BOOKS_WORLD_H

#include "fakes/fake_books.h"

typedef struct books_world {
	fake_world *m; /* members: balances, ledger, clock, uow, outbox */
	fake_books books;
	fake_wallet wallet;
	fake_views views;
	books_service svc;
} books_world;

/* Allocates a world with cfg (NULL: the defaults); the clock is the fake world's. */
books_world *books_world_new(const books_config *cfg);
void books_world_free(books_world *w);

#endif
