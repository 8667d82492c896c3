/*
 * The publishing port's contract, on the fake (tests/fakes/fake_aigen.c) and
 * on the app's port over the manuscripts, authors, members and books cores
 * and SQLite: what a manuscript looks like to generation, state changes that
 * join the caller's unit and are idempotent, and one book per manuscript.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "fakes/fake_aigen.h"
#include "support/test_env.h"

static const char TEXT[] =
    "할머니의 책상에는 열리지 않는 서랍이 하나 있었다. 열쇠는 오래전에 잃어버렸다고 했다. "
    "그해 겨울, 서랍이 저절로 열렸다. 안에는 날짜가 적힌 편지 수십 통이 들어 있었다. "
    "모든 편지는 아직 오지 않은 날짜로 적혀 있었다. 나는 첫 번째 편지를 읽었다.";

typedef struct harness {
	publishing_port pub;
	uow uow;
	int64_t ms; /* a submitted manuscript */
	/* owners */
	fake_publishing fake;
	fake_outbox outbox;
	fake_uow fake_uow;
	app *app;
} harness;

static int setup_fake(void **state)
{
	harness *h = calloc(1, sizeof(*h));

	h->fake.outbox = &h->outbox;
	h->pub = fake_publishing_port(&h->fake);
	h->uow = fake_uow_port(&h->fake_uow);
	h->ms = fake_publishing_add(&h->fake, "시간의 서랍", TEXT);
	*state = h;
	return 0;
}

/* The real cores on a fresh database: an approved author "김작가" with a submitted manuscript. */
static int setup_app(void **state)
{
	harness *h = calloc(1, sizeof(*h));
	char dir[512], token[CRYPTO_TOKEN_MAX];
	app_config cfg;
	author_application a;
	manuscript m;
	member author, admin;
	app_err err;

	test_tmpdir(dir, sizeof(dir), "publishing-contract");
	app_config_defaults(&cfg);
	snprintf(cfg.db, sizeof(cfg.db), "%s/wl.db", dir);
	cfg.pwhash_mem_kib = 64;
	cfg.pwhash_ops = 1;
	h->app = calloc(1, sizeof(*h->app));
	assert_int_equal(app_open(h->app, &cfg, &err), 0);
	assert_int_equal(members_create_admin(&admin, &h->app->members, "admin@example.com",
					      "password1", "Admin", &err),
			 0);
	assert_int_equal(members_signup(&author, token, &h->app->members, "author@example.com",
					"password1", "Author", NULL, &err),
			 0);
	assert_int_equal(authors_apply(&a, &h->app->authors, author.id, "김작가", "", "", &err), 0);
	assert_int_equal(authors_approve(NULL, &h->app->authors, admin.id, 1, a.id, &err), 0);
	author_application_dispose(&a);
	assert_int_equal(manuscripts_create(&m, &h->app->manuscripts, author.id, 1, "시간의 서랍",
					    TEXT, strlen(TEXT), &err),
			 0);
	h->ms = m.id;
	manuscript_dispose(&m);
	assert_int_equal(manuscripts_submit(NULL, &h->app->manuscripts, author.id, h->ms, &err), 0);
	h->pub = app_publishing_port(&h->app->publishing);
	h->uow = bus_uow(h->app->bus);
	*state = h;
	return 0;
}

static int teardown(void **state)
{
	harness *h = *state;

	if (h->app) {
		app_close(h->app);
		free(h->app);
	}
	fake_outbox_dispose(&h->outbox);
	free(h);
	return 0;
}

static publishing_ms_state state_of(harness *h)
{
	publishing_manuscript m;
	publishing_ms_state s;
	app_err err;

	assert_int_equal(publishing_load(&m, &h->pub, NULL, h->ms, &err), 0);
	s = m.state;
	publishing_manuscript_dispose(&m);
	return s;
}

/* A unit of its own around one state change; returns the change's code. */
static int mark(harness *h, int generating, int commit)
{
	uow_tx *tx;
	app_err err;
	int rc;

	assert_int_equal(uow_begin(&tx, &h->uow, &err), 0);
	rc = generating ? publishing_mark_generating(&h->pub, tx, h->ms, &err)
			: publishing_mark_failed(&h->pub, tx, h->ms, "the model timed out", &err);
	if (rc || !commit)
		uow_rollback(tx);
	else
		assert_int_equal(uow_commit(tx, &err), 0);
	return rc;
}

static int publish(harness *h, int64_t *book_id, int commit)
{
	static const unsigned char cover[] = "<svg xmlns='http://www.w3.org/2000/svg'/>";
	publishing_book b = {
	    .manuscript_id = h->ms,
	    .author_id = 0,
	    .title = "시간의 서랍",
	    .pen_name = "김작가",
	    .content = TEXT,
	    .content_len = strlen(TEXT),
	    .summary = "서랍이 열렸다.",
	    .tagline = "기다리는 법",
	    .price_reason = "길이 기준",
	    .price = 1000,
	    .cover = cover,
	    .cover_len = sizeof(cover) - 1,
	    .cover_mime = "image/svg+xml",
	    .gen_summary = "offline",
	    .gen_price = "offline",
	    .gen_cover = "offline",
	};
	publishing_manuscript m;
	uow_tx *tx;
	app_err err;
	int rc;

	assert_int_equal(publishing_load(&m, &h->pub, NULL, h->ms, &err), 0);
	b.author_id = m.author_id;
	publishing_manuscript_dispose(&m);
	assert_int_equal(uow_begin(&tx, &h->uow, &err), 0);
	rc = publishing_publish(book_id, &h->pub, tx, &b, &err);
	if (rc || !commit)
		uow_rollback(tx);
	else
		assert_int_equal(uow_commit(tx, &err), 0);
	return rc;
}

static void test_load_shows_what_generation_needs(void **state)
{
	harness *h = *state;
	publishing_manuscript m;
	app_err err;

	assert_int_equal(publishing_load(&m, &h->pub, NULL, h->ms, &err), 0);
	assert_int_equal(m.id, h->ms);
	assert_int_equal(m.state, PUBLISHING_MS_SUBMITTED);
	assert_string_equal(m.title, "시간의 서랍");
	assert_string_equal(m.pen_name, "김작가");
	assert_int_equal(m.content_len, strlen(TEXT));
	assert_memory_equal(m.content, TEXT, m.content_len);
	assert_int_equal(m.book_id, 0);
	publishing_manuscript_dispose(&m);
	assert_int_equal(publishing_load(&m, &h->pub, NULL, 424242, &err), APP_ENOTFOUND);
}

static void test_state_changes_join_the_unit_and_repeat_harmlessly(void **state)
{
	harness *h = *state;

	assert_int_equal(mark(h, 1, 0), 0); /* rolled back: still submitted */
	assert_int_equal(state_of(h), PUBLISHING_MS_SUBMITTED);
	assert_int_equal(mark(h, 1, 1), 0);
	assert_int_equal(mark(h, 1, 1), 0); /* redelivered */
	assert_int_equal(state_of(h), PUBLISHING_MS_GENERATING);
	assert_int_equal(mark(h, 0, 1), 0);
	assert_int_equal(mark(h, 0, 1), 0);
	assert_int_equal(state_of(h), PUBLISHING_MS_FAILED);
	assert_int_equal(mark(h, 1, 1), APP_ECONFLICT); /* a failed one does not go back */
}

static void test_one_book_per_manuscript(void **state)
{
	harness *h = *state;
	int64_t first = 0, again = 0, rolled = 0;
	publishing_manuscript m;
	app_err err;

	assert_int_equal(publish(h, &rolled, 0), 0); /* rolled back: no book */
	assert_int_equal(state_of(h), PUBLISHING_MS_SUBMITTED);
	assert_int_equal(publish(h, &first, 1), 0);
	assert_true(first > 0);
	assert_int_equal(publish(h, &again, 1), 0);
	assert_int_equal(again, first);
	assert_int_equal(publishing_load(&m, &h->pub, NULL, h->ms, &err), 0);
	assert_int_equal(m.state, PUBLISHING_MS_PUBLISHED);
	assert_int_equal(m.book_id, first);
	publishing_manuscript_dispose(&m);
	assert_int_equal(mark(h, 0, 1), APP_ECONFLICT); /* a published one cannot fail */
}

int main(void)
{
#define BOTH(f)                                                                                    \
	cmocka_unit_test_setup_teardown(f, setup_fake, teardown),                                  \
	    cmocka_unit_test_setup_teardown(f, setup_app, teardown)
	const struct CMUnitTest tests[] = {
	    BOTH(test_load_shows_what_generation_needs),
	    BOTH(test_state_changes_join_the_unit_and_repeat_harmlessly),
	    BOTH(test_one_book_per_manuscript),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
