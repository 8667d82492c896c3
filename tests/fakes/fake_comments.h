/*
 * A fake of the comment repository: rows and likes in memory, honouring the
 * port's contract (tests/contract/test_comments_repo_contract.c runs on it
 * and on SQLite). A writer's name is the one the comment was stored with.
 */
#ifndef WL_TEST_FAKE_COMMENTS_H
#define WL_TEST_FAKE_COMMENTS_H

#include "fakes/fakes.h"
#include "ports/comment_repo.h"

#define FAKE_COMMENTS_CAP 64

typedef struct fake_comment_like {
	int64_t comment_id, member_id;
} fake_comment_like;

typedef struct fake_comments {
	comment rows[FAKE_COMMENTS_CAP];
	size_t n;
	fake_comment_like likes[FAKE_CAP];
	size_t nlikes;
	int fail_next;
	int calls;
} fake_comments;

comment_repo fake_comment_repo(fake_comments *f);

#endif
