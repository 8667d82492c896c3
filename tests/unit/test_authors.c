/* The authors core against fakes: the application state machine and its rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "domain/authors/authors.h"
#include "fakes/fake_authors.h"
#include "fakes/fakes.h"

typedef struct world {
	fake_authors apps;
	fake_uow uow;
	fake_outbox outbox;
	fake_clock clock;
	authors_service svc;
} world;

static int setup(void **state)
{
	world *w = calloc(1, sizeof(*w));
	authors_deps d;

	assert_non_null(w);
	w->clock.now = 1700000000000LL;
	d = (authors_deps){
	    .applications = fake_author_application_repo(&w->apps),
	    .uow = fake_uow_port(&w->uow),
	    .events = fake_publisher(&w->outbox),
	    .clock = fake_clock_port(&w->clock),
	};
	authors_service_init(&w->svc, &d);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	world *w = *state;

	fake_authors_dispose(&w->apps);
	fake_outbox_dispose(&w->outbox);
	free(w);
	return 0;
}

/* A string of n copies of the UTF-8 character c. */
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

static int64_t apply_ok(world *w, int64_t member_id, const char *pen)
{
	author_application a;
	int64_t id;
	app_err err;

	assert_int_equal(authors_apply(&a, &w->svc, member_id, pen, "bio", "https://x.io", &err),
			 0);
	id = a.id;
	author_application_dispose(&a);
	return id;
}

static void expect_invalid(world *w, const char *pen, const char *bio, const char *portfolio,
			   const char *field)
{
	author_application a;
	app_err err;

	app_err_clear(&err);
	assert_int_equal(authors_apply(&a, &w->svc, 1, pen, bio, portfolio, &err), APP_EINVALID);
	assert_string_equal(err.word, "validation_failed");
	assert_string_equal(err.field, field);
}

static void test_apply_records_pending_and_event(void **state)
{
	world *w = *state;
	author_application a;
	const domain_event *ev;
	app_err err;

	assert_int_equal(authors_apply(&a, &w->svc, 7, "  김작가 \n", " 소개 ", "my blog", &err),
			 0);
	assert_true(a.id > 0);
	assert_int_equal(a.member_id, 7);
	assert_string_equal(a.pen_name, "김작가");
	assert_string_equal(a.bio, "소개");
	assert_string_equal(a.portfolio, "my blog");
	assert_int_equal(a.status, AUTHOR_APP_PENDING);
	assert_null(a.reason);
	assert_int_equal(a.created_at, w->clock.now);
	assert_int_equal(a.decided_at, 0);
	author_application_dispose(&a);

	assert_int_equal(w->uow.begins, 1);
	assert_int_equal(w->uow.commits, 1);
	assert_int_equal(w->uow.depth, 0);
	assert_int_equal(fake_outbox_count(&w->outbox, "author.applied"), 1);
	ev = &w->outbox.events[0];
	assert_int_equal(domain_event_int(ev, "memberId", 0), 7);
	assert_int_equal(domain_event_int(ev, "applicationId", 0), w->apps.rows[0].id);
	assert_string_equal(domain_event_str(ev, "penName"), "김작가");
}

static void test_apply_validation(void **state)
{
	world *w = *state;
	char *s50 = repeat("가", 50), *s51 = repeat("가", 51);
	char *b2000 = repeat("나", 2000), *b2001 = repeat("a", 2001);
	author_application a;
	app_err err;

	expect_invalid(w, NULL, "", "", "penName");
	expect_invalid(w, "", "", "", "penName");
	expect_invalid(w, "   \t ", "", "", "penName");
	expect_invalid(w, s51, "", "", "penName");
	expect_invalid(w, "bad\xff", "", "", "penName");
	expect_invalid(w, "two\nlines", "", "", "penName");
	expect_invalid(w, "pen", b2001, "", "bio");
	expect_invalid(w, "pen", "\xc0\xaf", "", "bio");
	expect_invalid(w, "pen", NULL, "", "bio");
	expect_invalid(w, "pen", "", b2001, "portfolio");
	expect_invalid(w, "pen", "", NULL, "portfolio");
	assert_int_equal(w->uow.begins, 0);
	assert_int_equal(w->outbox.n, 0);

	/* the limits themselves are fine; bio and portfolio may be empty */
	assert_int_equal(authors_apply(&a, &w->svc, 1, s50, b2000, b2000, &err), 0);
	author_application_dispose(&a);
	assert_int_equal(authors_apply(NULL, &w->svc, 2, "p", "", "", &err), 0);
	free(s50);
	free(s51);
	free(b2000);
	free(b2001);
}

static void test_apply_again_only_after_rejection(void **state)
{
	world *w = *state;
	author_application a;
	int64_t first = apply_ok(w, 1, "One"), second;
	app_err err;

	/* pending: no second application */
	app_err_clear(&err);
	assert_int_equal(authors_apply(&a, &w->svc, 1, "Two", "", "", &err), APP_EEXISTS);
	assert_string_equal(err.word, "application_exists");
	assert_int_equal(w->uow.rollbacks, 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "author.applied"), 1);

	/* rejected: may apply again */
	assert_int_equal(authors_reject(NULL, &w->svc, 99, 1, first, "not yet", &err), 0);
	second = apply_ok(w, 1, "Two");
	assert_true(second > first);

	/* approved: no more */
	assert_int_equal(authors_approve(NULL, &w->svc, 99, 1, second, &err), 0);
	app_err_clear(&err);
	assert_int_equal(authors_apply(&a, &w->svc, 1, "Three", "", "", &err), APP_EEXISTS);
	assert_string_equal(err.word, "application_exists");
}

static void test_approve(void **state)
{
	world *w = *state;
	author_application a;
	int64_t id = apply_ok(w, 5, "Pen");
	const domain_event *ev;
	app_err err;

	app_err_clear(&err);
	assert_int_equal(authors_approve(&a, &w->svc, 2, 0, id, &err), APP_EFORBIDDEN);
	assert_string_equal(err.word, "forbidden");
	assert_int_equal(authors_approve(&a, &w->svc, 2, 1, id + 50, &err), APP_ENOTFOUND);

	w->clock.now += 1000;
	assert_int_equal(authors_approve(&a, &w->svc, 2, 1, id, &err), 0);
	assert_int_equal(a.status, AUTHOR_APP_APPROVED);
	assert_int_equal(a.decided_by, 2);
	assert_int_equal(a.decided_at, w->clock.now);
	assert_null(a.reason);
	author_application_dispose(&a);
	assert_int_equal(fake_outbox_count(&w->outbox, "author.approved"), 1);
	ev = &w->outbox.events[w->outbox.n - 1];
	assert_string_equal(ev->type, "author.approved");
	assert_int_equal(domain_event_int(ev, "memberId", 0), 5);
	assert_int_equal(domain_event_int(ev, "applicationId", 0), id);
	assert_int_equal(domain_event_int(ev, "decidedBy", 0), 2);

	/* only pending can be decided */
	app_err_clear(&err);
	assert_int_equal(authors_approve(&a, &w->svc, 2, 1, id, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_pending");
	app_err_clear(&err);
	assert_int_equal(authors_reject(&a, &w->svc, 2, 1, id, "late", &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_pending");
	assert_int_equal(fake_outbox_count(&w->outbox, "author.approved"), 1);
	assert_int_equal(fake_outbox_count(&w->outbox, "author.rejected"), 0);
}

static void test_reject(void **state)
{
	world *w = *state;
	author_application a;
	int64_t id = apply_ok(w, 5, "Pen");
	char *r500 = repeat("이", 500), *r501 = repeat("이", 501);
	app_err err;

	app_err_clear(&err);
	assert_int_equal(authors_reject(&a, &w->svc, 2, 0, id, "x", &err), APP_EFORBIDDEN);
	assert_int_equal(authors_reject(&a, &w->svc, 2, 1, id, NULL, &err), APP_EINVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(authors_reject(&a, &w->svc, 2, 1, id, "  ", &err), APP_EINVALID);
	assert_string_equal(err.field, "reason");
	assert_int_equal(authors_reject(&a, &w->svc, 2, 1, id, r501, &err), APP_EINVALID);
	assert_int_equal(authors_reject(&a, &w->svc, 2, 1, id + 9, "why", &err), APP_ENOTFOUND);

	assert_int_equal(authors_reject(&a, &w->svc, 2, 1, id, r500, &err), 0);
	assert_int_equal(a.status, AUTHOR_APP_REJECTED);
	assert_string_equal(a.reason, r500);
	author_application_dispose(&a);
	assert_int_equal(fake_outbox_count(&w->outbox, "author.rejected"), 1);
	assert_string_equal(domain_event_str(&w->outbox.events[w->outbox.n - 1], "reason"), r500);
	app_err_clear(&err);
	assert_int_equal(authors_approve(&a, &w->svc, 2, 1, id, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_pending");
	free(r500);
	free(r501);
}

static void test_state_machine_rules(void **state)
{
	author_application a;
	app_err err;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.status = AUTHOR_APP_PENDING;
	assert_true(author_app_blocks_new(AUTHOR_APP_PENDING));
	assert_true(author_app_blocks_new(AUTHOR_APP_APPROVED));
	assert_false(author_app_blocks_new(AUTHOR_APP_REJECTED));
	assert_int_equal(author_application_decide(&a, AUTHOR_APP_PENDING, NULL, 1, 2, &err),
			 APP_EINVALID);
	assert_int_equal(author_application_decide(&a, AUTHOR_APP_REJECTED, "r", 1, 2, &err), 0);
	assert_int_equal(a.status, AUTHOR_APP_REJECTED);
	assert_int_equal(author_application_decide(&a, AUTHOR_APP_APPROVED, NULL, 1, 3, &err),
			 APP_ECONFLICT);
	assert_int_equal(a.status, AUTHOR_APP_REJECTED);
	assert_int_equal(a.decided_at, 2);
	author_application_dispose(&a);

	assert_string_equal(author_app_status_name(AUTHOR_APP_APPROVED), "approved");
	assert_int_equal(author_app_status_parse(&a.status, "rejected", &err), 0);
	assert_int_equal(a.status, AUTHOR_APP_REJECTED);
	assert_int_equal(author_app_status_parse(&a.status, "nope", &err), APP_EINVALID);
	assert_string_equal(err.field, "status");
}

static void test_list_admin_only_and_paged(void **state)
{
	world *w = *state;
	author_application out[4];
	int64_t ids[5], next;
	size_t n;
	app_err err;

	for (int i = 0; i < 5; i++)
		ids[i] = apply_ok(w, i + 1, "P");
	assert_int_equal(authors_approve(NULL, &w->svc, 9, 1, ids[1], &err), 0);
	assert_int_equal(authors_list(out, &n, &next, &w->svc, 0, 0, 0, 4, &err), APP_EFORBIDDEN);
	assert_int_equal(n, 0);

	assert_int_equal(authors_list(out, &n, &next, &w->svc, 1, AUTHOR_APP_PENDING, 0, 2, &err),
			 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, ids[4]);
	assert_int_equal(out[1].id, ids[3]);
	assert_int_equal(next, ids[3]);
	author_application_dispose(&out[0]);
	author_application_dispose(&out[1]);
	assert_int_equal(
	    authors_list(out, &n, &next, &w->svc, 1, AUTHOR_APP_PENDING, next, 2, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].id, ids[2]);
	assert_int_equal(out[1].id, ids[0]);
	author_application_dispose(&out[0]);
	author_application_dispose(&out[1]);
	assert_int_equal(
	    authors_list(out, &n, &next, &w->svc, 1, AUTHOR_APP_PENDING, next, 2, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(next, 0);

	assert_int_equal(authors_list(out, &n, &next, &w->svc, 1, 0, 0, 4, &err), 0);
	assert_int_equal(n, 4);
	assert_int_equal(next, out[3].id);
	for (size_t i = 0; i < n; i++)
		author_application_dispose(&out[i]);
}

static void test_my_application_and_profile(void **state)
{
	world *w = *state;
	author_application a;
	int64_t first, second;
	app_err err;

	assert_int_equal(authors_my_application(&a, &w->svc, 3, &err), APP_ENOTFOUND);
	assert_int_equal(authors_profile(&a, &w->svc, 3, &err), APP_ENOTFOUND);
	first = apply_ok(w, 3, "First");
	assert_int_equal(authors_my_application(&a, &w->svc, 3, &err), 0);
	assert_int_equal(a.id, first);
	author_application_dispose(&a);
	/* pending and rejected are not authors */
	assert_int_equal(authors_profile(&a, &w->svc, 3, &err), APP_ENOTFOUND);
	assert_int_equal(authors_reject(NULL, &w->svc, 9, 1, first, "no", &err), 0);
	assert_int_equal(authors_profile(&a, &w->svc, 3, &err), APP_ENOTFOUND);
	second = apply_ok(w, 3, "Second");
	assert_int_equal(authors_approve(NULL, &w->svc, 9, 1, second, &err), 0);
	assert_int_equal(authors_my_application(&a, &w->svc, 3, &err), 0);
	assert_int_equal(a.id, second);
	author_application_dispose(&a);
	assert_int_equal(authors_profile(&a, &w->svc, 3, &err), 0);
	assert_string_equal(a.pen_name, "Second");
	assert_string_equal(a.bio, "bio");
	author_application_dispose(&a);
}

static void test_failures_roll_back(void **state)
{
	world *w = *state;
	author_application a;
	int64_t id;
	app_err err;

	/* the repository fails: nothing is published, the unit rolls back */
	w->apps.fail_next = APP_EIO;
	assert_int_equal(authors_apply(&a, &w->svc, 1, "P", "", "", &err), APP_EIO);
	assert_int_equal(w->uow.rollbacks, 1);
	assert_int_equal(w->outbox.n, 0);

	/* the outbox fails: the application must not stand without its event */
	w->outbox.fail_next = APP_EIO;
	assert_int_equal(authors_apply(&a, &w->svc, 1, "P", "", "", &err), APP_EIO);
	assert_int_equal(w->uow.rollbacks, 2);

	/* begin fails */
	w->uow.fail_begin = APP_EIO;
	assert_int_equal(authors_apply(&a, &w->svc, 2, "P", "", "", &err), APP_EIO);
	assert_int_equal(w->apps.n, 0); /* the failed units left nothing behind */

	/* the commit fails: the caller sees the failure and gets nothing */
	assert_int_equal(authors_apply(&a, &w->svc, 2, "P", "", "", &err), 0);
	id = a.id;
	author_application_dispose(&a);
	w->uow.fail_commit = 1;
	memset(&a, 0, sizeof(a));
	assert_int_equal(authors_approve(&a, &w->svc, 9, 1, id, &err), APP_EIO);
	assert_int_equal(a.id, 0);
	assert_int_equal(w->uow.depth, 0);
	assert_int_equal(w->apps.rows[0].status, AUTHOR_APP_PENDING); /* the decision was dropped */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_apply_records_pending_and_event, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_apply_validation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_apply_again_only_after_rejection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_approve, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_reject, setup, teardown),
	    cmocka_unit_test(test_state_machine_rules),
	    cmocka_unit_test_setup_teardown(test_list_admin_only_and_paged, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_my_application_and_profile, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failures_roll_back, setup, teardown),
	};

	return cmocka_run_group_tests_name("authors core", tests, NULL, NULL);
}
