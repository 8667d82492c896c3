/*
 * Hand-written fake of the manuscripts repository: manuscripts and revisions
 * in memory (deep copies), a call counter and a canned failure (fail_next:
 * the APP_E* code the next call returns). Honest to the contract in
 * tests/contract/test_manuscripts_repo_contract.c.
 */
#ifndef WL_TEST_FAKE_MANUSCRIPTS_H
#define WL_TEST_FAKE_MANUSCRIPTS_H

#include <stddef.h>
#include <stdint.h>

#include "ports/manuscript_repo.h"

#define FAKE_MANUSCRIPTS_CAP 128
#define FAKE_REVISIONS_CAP   1024

typedef struct fake_manuscripts {
	manuscript rows[FAKE_MANUSCRIPTS_CAP];
	size_t n;
	int64_t next_id;
	manuscript_revision revs[FAKE_REVISIONS_CAP];
	size_t nrevs;
	int fail_next;
	int calls;
} fake_manuscripts;

manuscript_repo fake_manuscript_repo(fake_manuscripts *f);
/* Frees every row and revision. */
void fake_manuscripts_dispose(fake_manuscripts *f);

#endif
