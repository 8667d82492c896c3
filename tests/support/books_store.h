/*
 * The books core's stores for contract tests: every repository of the core
 * on the fakes, on SQLite or on PostgreSQL, three members, and one open unit of work each
 * test writes in (committed when the store is freed).
 */
#ifndef WL_TEST_BOOKS_STORE_H
#define WL_TEST_BOOKS_STORE_H

#include "adapters/postgres/pg_repos.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "fakes/fake_books.h"
#include "support/test_pg.h"

typedef struct books_store {
	book_repo books;
	episode_repo episodes;
	reading_repo reading;
	book_change_repo changes;
	member_repo members;
	fake_books *fake;
	fake_world *world;
	sqlite_db *db;
	pg_db *pg;
	test_pg pgdb;
	int64_t author, reader, other;
	uow uow;
	fake_uow fake_uow;
	uow_tx *tx;
} books_store;

books_store *books_store_fake(void);
books_store *books_store_sqlite(const char *name);
/* On the suite's PostgreSQL database (test_pg_suite_db), emptied first. */
books_store *books_store_pg(const char *name);
void books_store_free(books_store *c);

/* Stores a one-episode book of manuscript ms by the author (its text "본문 text"). */
book books_store_add(books_store *c, int64_t ms, const char *title, const char *summary);

/* Stores episode number of book (published at published_at, or scheduled when that is 0). */
episode books_store_episode(books_store *c, int64_t book_id, int64_t number, int64_t price,
			    int64_t published_at, int64_t scheduled_at);

/* cmocka setup and teardown over the three stores. */
int books_store_setup_fake(void **state);
int books_store_setup_sqlite(void **state);
int books_store_setup_pg(void **state);
int books_store_teardown(void **state);

#endif
