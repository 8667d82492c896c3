/*
 * A fake of the OPDS token store: rows in memory, honouring the port's
 * contract (tests/contract/test_opds_tokens_contract.c runs on it and on
 * SQLite): one token per member, digests unique, writes undone with their unit.
 */
#ifndef WL_TEST_FAKE_OPDS_TOKENS_H
#define WL_TEST_FAKE_OPDS_TOKENS_H

#include "fakes/fakes.h"
#include "ports/opds_token_repo.h"

typedef struct fake_opds_token {
	int64_t member_id;
	char digest[CRYPTO_DIGEST_HEX];
	int64_t created_at;
} fake_opds_token;

typedef struct fake_opds_tokens {
	fake_opds_token rows[FAKE_CAP];
	size_t n;
	int fail_next; /* the APP_E* code the next call returns */
	int calls;
} fake_opds_tokens;

opds_token_repo fake_opds_token_repo(fake_opds_tokens *f);

#endif
