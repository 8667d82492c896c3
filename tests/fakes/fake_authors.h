/*
 * Hand-written fake of the author applications repository: rows in memory
 * (deep copies), a call counter and a canned failure (fail_next: the APP_E*
 * code the next call returns). Honest to the contract in
 * tests/contract/test_authors_repo_contract.c.
 */
#ifndef WL_TEST_FAKE_AUTHORS_H
#define WL_TEST_FAKE_AUTHORS_H

#include <stddef.h>

#include "ports/author_application_repo.h"

#define FAKE_AUTHORS_CAP 256

typedef struct fake_authors {
	author_application rows[FAKE_AUTHORS_CAP];
	size_t n;
	int fail_next;
	int calls;
} fake_authors;

author_application_repo fake_author_application_repo(fake_authors *f);
/* Frees the rows. */
void fake_authors_dispose(fake_authors *f);

#endif
