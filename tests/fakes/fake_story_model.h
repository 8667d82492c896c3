/*
 * A scripted story model: answers what the test set (sentences with their
 * citations, or a failure code), and keeps a copy of every prompt it was
 * sent so tests can assert what reached the model.
 */
#ifndef WL_TEST_FAKE_STORY_MODEL_H
#define WL_TEST_FAKE_STORY_MODEL_H

#include "ports/story_model.h"

#define FAKE_STORY_SENTENCES 8

typedef struct fake_story_line {
	const char *text; /* NULL: the sentence has no text */
	int64_t episode;
} fake_story_line;

typedef struct fake_story_model {
	fake_story_line lines[FAKE_STORY_SENTENCES];
	size_t n;
	int fail; /* the APP_E* code write() returns instead (0: answer lines) */
	int calls;
	char *last_system, *last_user; /* copies of the last prompts (freed by dispose) */
} fake_story_model;

story_model fake_story_model_port(fake_story_model *f);
/* Scripts the next answers: n lines (copied by pointer; static strings). */
void fake_story_model_say(fake_story_model *f, const fake_story_line *lines, size_t n);
void fake_story_model_dispose(fake_story_model *f);

#endif
