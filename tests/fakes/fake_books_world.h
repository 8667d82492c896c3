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

/*
 * Publishes a one-episode work of author_id from manuscript_id with content
 * (an SVG cover, the offline generator named for every part, a "length"
 * price basis of 2 minutes) into *out; books_publish's answer.
 */
int books_world_publish(book *out, books_world *w, int64_t manuscript_id, int64_t author_id,
			int64_t price, const char *content, app_err *err);

#endif
