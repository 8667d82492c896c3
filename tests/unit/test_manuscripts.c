/* The manuscripts core against fakes: drafts, revisions, submission and the status machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/books/manuscripts.h"
#include "fakes/fake_manuscripts.h"
#include "fakes/fakes.h"

#define AUTHOR 10
#define OTHER  11

typedef struct world {
	fake_manuscripts repo;
	fake_uow uow;
	fake_outbox outbox;
	fake_clock clock;
	manuscripts_service svc;
} world;

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	manuscripts_deps d;

	assert_non_null(w);
	w->clock.now = 1700000000000LL;
	d = (manuscripts_deps){
	    .manuscripts = fake_manuscript_repo(&w->repo),
	    .uow = fake_uow_port(&w->uow),
	    .events = fake_publisher(&w->outbox),
	    .clock = fake_clock_port(&w->clock),
	};
	manuscripts_service_init(&w->svc, &d);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;

	fake_manuscripts_dispose(&w->repo);
	fake_outbox_dispose(&w->outbox);
	free(w);
	return 0;
}

static char *repeat(const char *c, size_t n)
{
	size_t len = strlen(c);
	char *s = malloc(len * n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, c, len);
	s[len * n] = '\0';
	return s;
}

static int64_t create_ok(world *w, const char *content)
{
	manuscript m;
	int64_t id;
	app_err err;

	assert_int_equal(
	    manuscripts_create(&m, &w->svc, AUTHOR, 1, "Title", content, strlen(content), &err), 0);
	id = m.id;
	manuscript_dispose(&m);
	return id;
}

static int save(world *w, int64_t who, int64_t id, const char *content, int64_t revision,
		app_err *err)
{
	app_err_clear(err);
	return manuscripts_save(NULL, &w->svc, who, id, "Title", content, strlen(content), revision,
				err);
}

/* A draft with enough content, submitted. */
static int64_t submitted(world *w)
{
	char *text = repeat("글", 100);
	int64_t id = create_ok(w, text);
	app_err err;

	assert_int_equal(manuscripts_submit(NULL, &w->svc, AUTHOR, id, &err), 0);
	free(text);
	return id;
}

static void test_create_draft(void **state)
{
	world *w = *state;
	manuscript m;
	manuscript_revision r;
	app_err err;

	assert_int_equal(
	    manuscripts_create(&m, &w->svc, AUTHOR, 1, "  나의 첫 소설  ", "본문", 6, &err), 0);
	assert_true(m.id > 0);
	assert_int_equal(m.author_id, AUTHOR);
	assert_string_equal(m.title, "나의 첫 소설");
	assert_string_equal(m.content, "본문");
	assert_int_equal(m.content_len, 6);
	assert_int_equal(m.revision, 1);
	assert_int_equal(m.status, MANUSCRIPT_DRAFT);
	assert_int_equal(m.book_id, 0);
	assert_null(m.error);
	assert_int_equal(m.created_at, w->clock.now);
	assert_int_equal(m.updated_at, w->clock.now);
	assert_int_equal(w->uow.commits, 1);
	/* revision 1 is kept */
	assert_int_equal(manuscripts_revision(&r, &w->svc, AUTHOR, m.id, 1, &err), 0);
	assert_string_equal(r.content, "본문");
	assert_int_equal(r.chars, 2);
	manuscript_revision_dispose(&r);
	manuscript_dispose(&m);
	/* NULL content is an empty draft */
	assert_int_equal(manuscripts_create(&m, &w->svc, AUTHOR, 1, "t", NULL, 0, &err), 0);
	assert_int_equal(m.content_len, 0);
	assert_string_equal(m.content, "");
	manuscript_dispose(&m);
	/* no events for drafts */
	assert_int_equal(w->outbox.n, 0);
}

static void test_only_authors_create_and_list(void **state)
{
	world *w = *state;
	manuscript m, out[2];
	int64_t next;
	size_t n;
	app_err err;

	app_err_clear(&err);
	assert_int_equal(manuscripts_create(&m, &w->svc, AUTHOR, 0, "t", "c", 1, &err),
			 APP_EFORBIDDEN);
	assert_string_equal(err.word, "not_author");
	/* refused before validation: a reader learns nothing else */
	app_err_clear(&err);
	assert_int_equal(manuscripts_create(&m, &w->svc, AUTHOR, 0, NULL, NULL, 0, &err),
			 APP_EFORBIDDEN);
	assert_string_equal(err.word, "not_author");
	app_err_clear(&err);
	assert_int_equal(manuscripts_list(out, &n, &next, &w->svc, AUTHOR, 0, 0, 2, &err),
			 APP_EFORBIDDEN);
	assert_string_equal(err.word, "not_author");
	assert_int_equal(w->repo.n, 0);
	assert_int_equal(w->uow.begins, 0);
}

static void expect_invalid(world *w, const char *title, const char *content, size_t len,
			   const char *field)
{
	manuscript m;
	app_err err;

	app_err_clear(&err);
	assert_int_equal(manuscripts_create(&m, &w->svc, AUTHOR, 1, title, content, len, &err),
			 APP_EINVALID);
	assert_string_equal(err.word, "validation_failed");
	assert_string_equal(err.field, field);
}

static void test_validation(void **state)
{
	world *w = *state;
	char *t200 = repeat("제", 200), *t201 = repeat("제", 201);
	char *big = repeat("a", MANUSCRIPT_CONTENT_MAX + 1);
	manuscript m;
	app_err err;

	expect_invalid(w, NULL, "", 0, "title");
	expect_invalid(w, "", "", 0, "title");
	expect_invalid(w, " \t\n ", "", 0, "title");
	expect_invalid(w, t201, "", 0, "title");
	expect_invalid(w, "a\nb", "", 0, "title");
	expect_invalid(w, "bad \xed\xa0\x80", "", 0, "title"); /* a surrogate */
	expect_invalid(w, "t", big, MANUSCRIPT_CONTENT_MAX + 1, "content");
	expect_invalid(w, "t", "ok \xff", 4, "content");
	expect_invalid(w, "t", "\xe2\x82", 2, "content"); /* truncated sequence */
	expect_invalid(w, "t", "\xc0\x80", 2, "content"); /* overlong NUL */
	assert_int_equal(w->repo.n, 0);

	/* the limits themselves are fine: 200 characters, exactly 2 MiB */
	assert_int_equal(
	    manuscripts_create(&m, &w->svc, AUTHOR, 1, t200, big, MANUSCRIPT_CONTENT_MAX, &err), 0);
	assert_int_equal(m.content_len, MANUSCRIPT_CONTENT_MAX);
	manuscript_dispose(&m);
	/* saves validate the same way */
	assert_int_equal(save(w, AUTHOR, w->repo.rows[0].id, "\xff", 1, &err), APP_EINVALID);
	assert_string_equal(err.field, "content");
	assert_int_equal(
	    manuscripts_save(NULL, &w->svc, AUTHOR, w->repo.rows[0].id, "", "x", 1, 1, &err),
	    APP_EINVALID);
	assert_string_equal(err.field, "title");
	free(t200);
	free(t201);
	free(big);
}

static void test_owner_check_on_every_verb(void **state)
{
	world *w = *state;
	int64_t id = create_ok(w, "mine");
	manuscript m;
	manuscript_revision revs[4], r;
	int64_t next;
	size_t n;
	app_err err;

	assert_int_equal(manuscripts_get(&m, &w->svc, OTHER, id, &err), APP_ENOTFOUND);
	assert_int_equal(save(w, OTHER, id, "theirs", 1, &err), APP_ENOTFOUND);
	assert_int_equal(manuscripts_delete(&w->svc, OTHER, id, &err), APP_ENOTFOUND);
	assert_int_equal(manuscripts_submit(&m, &w->svc, OTHER, id, &err), APP_ENOTFOUND);
	assert_int_equal(manuscripts_retry(&m, &w->svc, OTHER, id, &err), APP_ENOTFOUND);
	assert_int_equal(manuscripts_revisions(revs, &n, &next, &w->svc, OTHER, id, 0, 4, &err),
			 APP_ENOTFOUND);
	assert_int_equal(manuscripts_revision(&r, &w->svc, OTHER, id, 1, &err), APP_ENOTFOUND);
	/* the answer is the same as for a manuscript that does not exist */
	assert_string_equal(err.word, "not_found");
	assert_int_equal(manuscripts_get(&m, &w->svc, AUTHOR, id + 100, &err), APP_ENOTFOUND);
	assert_string_equal(err.word, "not_found");
	/* nothing changed */
	assert_int_equal(manuscripts_get(&m, &w->svc, AUTHOR, id, &err), 0);
	assert_string_equal(m.content, "mine");
	assert_int_equal(m.revision, 1);
	manuscript_dispose(&m);
	assert_int_equal(w->outbox.n, 0);
}

static void test_save_optimistic_concurrency(void **state)
{
	world *w = *state;
	int64_t id = create_ok(w, "v1");
	manuscript m;
	manuscript_revision r;
	app_err err;

	w->clock.now += 5000;
	assert_int_equal(manuscripts_save(&m, &w->svc, AUTHOR, id, " New title ", "v2", 2, 1, &err),
			 0);
	assert_int_equal(m.revision, 2);
	assert_string_equal(m.title, "New title");
	assert_string_equal(m.content, "v2");
	assert_int_equal(m.updated_at, w->clock.now);
	assert_true(m.created_at < m.updated_at);
	manuscript_dispose(&m);

	/* the second tab still edits revision 1 */
	assert_int_equal(save(w, AUTHOR, id, "tab two", 1, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "revision_conflict");
	assert_int_equal(err.nextra, 1);
	assert_string_equal(err.extra_name[0], "currentRevision");
	assert_int_equal(err.extra[0], 2);
	/* a revision from the future is as wrong */
	assert_int_equal(save(w, AUTHOR, id, "tab two", 9, &err), APP_ECONFLICT);
	assert_int_equal(err.extra[0], 2);
	/* nothing was lost: both revisions kept, the current one unchanged */
	assert_int_equal(manuscripts_get(&m, &w->svc, AUTHOR, id, &err), 0);
	assert_string_equal(m.content, "v2");
	manuscript_dispose(&m);
	assert_int_equal(manuscripts_revision(&r, &w->svc, AUTHOR, id, 1, &err), 0);
	assert_string_equal(r.content, "v1");
	manuscript_revision_dispose(&r);
	/* the other tab reloads and saves on top */
	assert_int_equal(save(w, AUTHOR, id, "tab two", 2, &err), 0);
	assert_int_equal(manuscripts_revision(&r, &w->svc, AUTHOR, id, 3, &err), 0);
	assert_string_equal(r.content, "tab two");
	manuscript_revision_dispose(&r);
}

static void test_revisions_keep_the_last_21(void **state)
{
	world *w = *state;
	int64_t id = create_ok(w, "rev 1"), next;
	manuscript_revision revs[30], r;
	char text[32];
	size_t n;
	app_err err;

	for (int64_t rev = 1; rev < 30; rev++) {
		snprintf(text, sizeof(text), "rev %lld", (long long)rev + 1);
		assert_int_equal(save(w, AUTHOR, id, text, rev, &err), 0);
	}
	assert_int_equal(manuscripts_revisions(revs, &n, &next, &w->svc, AUTHOR, id, 0, 30, &err),
			 0);
	assert_int_equal(n, MANUSCRIPT_REVISIONS_KEPT); /* revisions 30 .. 10 */
	assert_int_equal(next, 0);
	assert_int_equal(revs[0].revision, 30);
	assert_int_equal(revs[n - 1].revision, 10);
	assert_int_equal(revs[0].chars, 6);
	assert_null(revs[0].content);
	for (size_t i = 0; i < n; i++)
		manuscript_revision_dispose(&revs[i]);
	assert_int_equal(manuscripts_revision(&r, &w->svc, AUTHOR, id, 9, &err), APP_ENOTFOUND);
	assert_int_equal(manuscripts_revision(&r, &w->svc, AUTHOR, id, 10, &err), 0);
	assert_string_equal(r.content, "rev 10");
	manuscript_revision_dispose(&r);

	/* pages */
	assert_int_equal(manuscripts_revisions(revs, &n, &next, &w->svc, AUTHOR, id, 0, 5, &err),
			 0);
	assert_int_equal(n, 5);
	assert_int_equal(next, 26);
	assert_int_equal(manuscripts_revisions(revs, &n, &next, &w->svc, AUTHOR, id, next, 5, &err),
			 0);
	assert_int_equal(revs[0].revision, 25);
}

static void test_submit(void **state)
{
	world *w = *state;
	char *c99 = repeat("가", 99), *c100 = repeat("가", 100);
	int64_t id = create_ok(w, c99);
	manuscript m;
	const domain_event *ev;
	app_err err;

	/* 99 characters (297 bytes) are not enough: characters count, not bytes */
	app_err_clear(&err);
	assert_int_equal(manuscripts_submit(&m, &w->svc, AUTHOR, id, &err), APP_EINVALID);
	assert_string_equal(err.word, "validation_failed");
	assert_string_equal(err.field, "content");
	assert_int_equal(w->outbox.n, 0);
	assert_int_equal(save(w, AUTHOR, id, c100, 1, &err), 0);

	assert_int_equal(manuscripts_submit(&m, &w->svc, AUTHOR, id, &err), 0);
	assert_int_equal(m.status, MANUSCRIPT_SUBMITTED);
	assert_int_equal(m.revision, 2);
	assert_string_equal(m.content, c100);
	manuscript_dispose(&m);
	assert_int_equal(fake_outbox_count(&w->outbox, "manuscript.submitted"), 1);
	ev = &w->outbox.events[0];
	assert_int_equal(domain_event_int(ev, "manuscriptId", 0), id);
	assert_int_equal(domain_event_int(ev, "authorId", 0), AUTHOR);
	assert_string_equal(domain_event_str(ev, "title"), "Title");

	/* locked: no edit, delete or second submission */
	assert_int_equal(save(w, AUTHOR, id, "late edit", 2, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_draft");
	app_err_clear(&err);
	assert_int_equal(manuscripts_delete(&w->svc, AUTHOR, id, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_draft");
	app_err_clear(&err);
	assert_int_equal(manuscripts_submit(&m, &w->svc, AUTHOR, id, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_draft");
	assert_int_equal(fake_outbox_count(&w->outbox, "manuscript.submitted"), 1);
	free(c99);
	free(c100);
}

static void test_delete_draft(void **state)
{
	world *w = *state;
	int64_t id = create_ok(w, "x"), keep = create_ok(w, "y");
	manuscript m;
	manuscript_revision r;
	app_err err;

	assert_int_equal(manuscripts_delete(&w->svc, AUTHOR, id, &err), 0);
	assert_int_equal(manuscripts_get(&m, &w->svc, AUTHOR, id, &err), APP_ENOTFOUND);
	assert_int_equal(manuscripts_revision(&r, &w->svc, AUTHOR, id, 1, &err), APP_ENOTFOUND);
	assert_int_equal(manuscripts_delete(&w->svc, AUTHOR, id, &err), APP_ENOTFOUND);
	assert_int_equal(manuscripts_get(&m, &w->svc, AUTHOR, keep, &err), 0);
	manuscript_dispose(&m);
}

static void test_pipeline_status_machine(void **state)
{
	world *w = *state;
	int64_t draft = create_ok(w, "short"), id = submitted(w);
	manuscript m;
	app_err err;

	/* a draft is not the pipeline's */
	assert_int_equal(manuscripts_mark_generating(&w->svc, draft, &err), APP_ECONFLICT);
	assert_int_equal(manuscripts_mark_published(&w->svc, draft, 1, &err), APP_ECONFLICT);
	assert_int_equal(manuscripts_mark_failed(&w->svc, draft, "x", &err), APP_ECONFLICT);
	assert_int_equal(manuscripts_mark_generating(&w->svc, id + 100, &err), APP_ENOTFOUND);

	assert_int_equal(manuscripts_mark_generating(&w->svc, id, &err), 0);
	assert_int_equal(manuscripts_mark_generating(&w->svc, id, &err), 0); /* redelivered */
	assert_int_equal(manuscripts_mark_failed(&w->svc, id, "model timed out", &err), 0);
	assert_int_equal(manuscripts_mark_failed(&w->svc, id, "other", &err), 0);
	assert_int_equal(manuscripts_mark_generating(&w->svc, id, &err), APP_ECONFLICT);
	assert_int_equal(manuscripts_get(&m, &w->svc, AUTHOR, id, &err), 0);
	assert_int_equal(m.status, MANUSCRIPT_FAILED);
	assert_string_equal(m.error, "model timed out");
	manuscript_dispose(&m);

	/* the owner retries: submitted again, error cleared, event again */
	assert_int_equal(manuscripts_retry(&m, &w->svc, AUTHOR, id, &err), 0);
	assert_int_equal(m.status, MANUSCRIPT_SUBMITTED);
	assert_null(m.error);
	manuscript_dispose(&m);
	assert_int_equal(fake_outbox_count(&w->outbox, "manuscript.submitted"), 2);
	assert_int_equal(domain_event_int(&w->outbox.events[w->outbox.n - 1], "retry", 0), 1);
	app_err_clear(&err);
	assert_int_equal(manuscripts_retry(&m, &w->svc, AUTHOR, id, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_failed");

	assert_int_equal(manuscripts_mark_published(&w->svc, id, 0, &err), APP_EINVALID);
	assert_int_equal(manuscripts_mark_published(&w->svc, id, 42, &err), 0);
	assert_int_equal(manuscripts_mark_published(&w->svc, id, 42, &err), 0);
	assert_int_equal(manuscripts_mark_published(&w->svc, id, 43, &err), APP_ECONFLICT);
	assert_int_equal(manuscripts_mark_failed(&w->svc, id, "late", &err), APP_ECONFLICT);
	assert_int_equal(manuscripts_load(&m, &w->svc, id, &err), 0);
	assert_int_equal(m.status, MANUSCRIPT_PUBLISHED);
	assert_int_equal(m.book_id, 42);
	assert_non_null(m.content);
	manuscript_dispose(&m);
	app_err_clear(&err);
	assert_int_equal(manuscripts_retry(&m, &w->svc, AUTHOR, id, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_failed");
	assert_int_equal(manuscripts_retry(&m, &w->svc, AUTHOR, draft, &err), APP_ECONFLICT);
	assert_int_equal(w->uow.depth, 0);
}

static void test_transition_table(void **state)
{
	manuscript_status s;
	app_err err;

	(void)state;
	assert_true(manuscript_can_transition(MANUSCRIPT_DRAFT, MANUSCRIPT_SUBMITTED));
	assert_false(manuscript_can_transition(MANUSCRIPT_DRAFT, MANUSCRIPT_PUBLISHED));
	assert_true(manuscript_can_transition(MANUSCRIPT_SUBMITTED, MANUSCRIPT_GENERATING));
	assert_true(manuscript_can_transition(MANUSCRIPT_SUBMITTED, MANUSCRIPT_FAILED));
	assert_true(manuscript_can_transition(MANUSCRIPT_GENERATING, MANUSCRIPT_PUBLISHED));
	assert_false(manuscript_can_transition(MANUSCRIPT_GENERATING, MANUSCRIPT_DRAFT));
	assert_true(manuscript_can_transition(MANUSCRIPT_FAILED, MANUSCRIPT_SUBMITTED));
	assert_false(manuscript_can_transition(MANUSCRIPT_FAILED, MANUSCRIPT_PUBLISHED));
	assert_false(manuscript_can_transition(MANUSCRIPT_PUBLISHED, MANUSCRIPT_FAILED));
	assert_false(manuscript_can_transition(MANUSCRIPT_PUBLISHED, MANUSCRIPT_DRAFT));
	for (int i = MANUSCRIPT_DRAFT; i <= MANUSCRIPT_FAILED; i++) {
		assert_int_equal(manuscript_status_parse(&s, manuscript_status_name(i), &err), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(manuscript_status_parse(&s, "deleted", &err), APP_EINVALID);
}

static void test_failed_error_is_bounded(void **state)
{
	world *w = *state;
	int64_t id = submitted(w);
	char *long_error = repeat("오", 400); /* 1200 bytes */
	manuscript m;
	app_err err;

	assert_int_equal(manuscripts_mark_failed(&w->svc, id, long_error, &err), 0);
	assert_int_equal(manuscripts_load(&m, &w->svc, id, &err), 0);
	assert_true(strlen(m.error) <= MANUSCRIPT_ERROR_MAX);
	assert_int_equal(strlen(m.error) % 3, 0); /* cut between characters */
	assert_memory_equal(m.error, long_error, strlen(m.error));
	manuscript_dispose(&m);
	free(long_error);
}

static void test_list_own_paged(void **state)
{
	world *w = *state;
	manuscript out[3];
	int64_t a = create_ok(w, "a"), b = create_ok(w, "b"), c = create_ok(w, "c"), next;
	size_t n;
	app_err err;

	assert_int_equal(manuscripts_create(NULL, &w->svc, OTHER, 1, "theirs", "x", 1, &err), 0);
	assert_int_equal(manuscripts_list(out, &n, &next, &w->svc, AUTHOR, 1, 0, 2, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, c);
	assert_int_equal(out[1].id, b);
	assert_null(out[0].content);
	assert_int_equal(next, b);
	manuscript_dispose(&out[0]);
	manuscript_dispose(&out[1]);
	assert_int_equal(manuscripts_list(out, &n, &next, &w->svc, AUTHOR, 1, next, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(out[0].id, a);
	assert_int_equal(next, 0);
	manuscript_dispose(&out[0]);
}

static void test_failures_roll_back(void **state)
{
	world *w = *state;
	char *text = repeat("x", 120);
	int64_t id = create_ok(w, text);
	manuscript m;
	app_err err;

	/* the repository fails mid-save: the unit rolls back */
	w->repo.fail_next = APP_EIO;
	assert_int_equal(save(w, AUTHOR, id, "y", 1, &err), APP_EIO);
	assert_int_equal(w->uow.rollbacks, 1);
	/* the event cannot be appended: the submission fails with it */
	w->outbox.fail_next = APP_EIO;
	assert_int_equal(manuscripts_submit(&m, &w->svc, AUTHOR, id, &err), APP_EIO);
	assert_int_equal(w->uow.rollbacks, 2);
	/* the commit fails: the caller gets the code and nothing else */
	w->uow.fail_commit = 1;
	memset(&m, 0, sizeof(m));
	assert_int_equal(manuscripts_create(&m, &w->svc, AUTHOR, 1, "t", "c", 1, &err), APP_EIO);
	assert_int_equal(m.id, 0);
	assert_null(m.content);
	assert_int_equal(w->uow.depth, 0);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_draft, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_only_authors_create_and_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_owner_check_on_every_verb, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_save_optimistic_concurrency, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_revisions_keep_the_last_21, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_submit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_delete_draft, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_pipeline_status_machine, setup, teardown),
	    cmocka_unit_test(test_transition_table),
	    cmocka_unit_test_setup_teardown(test_failed_error_is_bounded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_list_own_paged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failures_roll_back, setup, teardown),
	};

	return cmocka_run_group_tests_name("manuscripts core", tests, NULL, NULL);
}
