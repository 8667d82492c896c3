/*
 * --publish-mode review against fakes: a new work is a proof (hidden, its
 * author's alone, book.proof_ready and no book.published), the author
 * accepts it once (book.published then, its time the acceptance's), and a
 * work on sale is no proof. A proof's next episode is written but submitted
 * only once the work is on sale.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/books/manuscripts.h"
#include "fakes/fake_books_world.h"
#include "fakes/fake_manuscripts.h"

#define AUTHOR 7

static book publish(books_world *w, int64_t manuscript_id)
{
	book b;
	app_err err;

	assert_int_equal(
	    books_world_publish(&b, w, manuscript_id, AUTHOR, 2000, "본문입니다.", &err), 0);
	return b;
}

static void test_a_proof_waits_for_its_author(void **state)
{
	books_config cfg = books_config_default();
	books_world *w;
	books_reader as_author = {.member_id = AUTHOR}, anon = {0},
		     admin = {.member_id = 99, .is_admin = 1}, other = {.member_id = AUTHOR + 1};
	books_patch unhide = {.fields = BOOK_FIELD_HIDDEN, .hidden = 0};
	book b, got;
	app_err err;

	(void)state;
	cfg.review = 1;
	w = books_world_new(&cfg);
	b = publish(w, 1);
	assert_true(b.proof);
	assert_true(b.hidden);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.published"), 0);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.proof_ready"), 1);
	assert_int_equal(books_get(&got, NULL, &w->svc, &anon, b.id, &err), APP_ENOTFOUND);
	assert_int_equal(books_get(&got, NULL, &w->svc, &admin, b.id, &err), APP_ENOTFOUND);
	assert_int_equal(books_get(&got, NULL, &w->svc, &as_author, b.id, &err), 0);
	assert_int_equal(books_update(&got, &w->svc, &as_author, b.id, &unhide, &err),
			 APP_ECONFLICT);
	assert_string_equal(err.word, "not_accepted");

	assert_int_equal(books_accept(&got, &w->svc, &other, b.id, &err), APP_ENOTFOUND);
	w->m->clock.now += 5000;
	assert_int_equal(books_accept(&got, &w->svc, &as_author, b.id, &err), 0);
	assert_false(got.proof);
	assert_false(got.hidden);
	assert_int_equal(got.published_at, w->m->clock.now);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.published"), 1);
	assert_int_equal(books_get(&got, NULL, &w->svc, &anon, b.id, &err), 0);
	app_err_clear(&err);
	assert_int_equal(books_accept(&got, &w->svc, &as_author, b.id, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_proof");
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.published"), 1);
	books_world_free(w);
}

static void test_auto_mode_publishes_at_once(void **state)
{
	books_world *w = books_world_new(NULL);
	books_reader as_author = {.member_id = AUTHOR};
	book b = publish(w, 1), got;
	app_err err;

	(void)state;
	assert_false(b.proof);
	assert_false(b.hidden);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "book.published"), 1);
	assert_int_equal(books_accept(&got, &w->svc, &as_author, b.id, &err), APP_ECONFLICT);
	books_world_free(w);
}

static const char EPISODE[] = "다음 날 아침, 서랍은 다시 열리지 않았다. 할머니의 편지는 책상 위에 "
			      "그대로 놓여 있었고, 나는 그 편지를 몇 번이고 다시 읽었다. 창밖으로 "
			      "첫눈이 내리기 시작했다. 나는 편지를 접어 주머니에 넣고 문을 나섰다.";

static void test_a_proofs_next_episode_waits_for_the_acceptance(void **state)
{
	books_config cfg = books_config_default();
	books_world *w;
	books_reader as_author = {.member_id = AUTHOR};
	fake_manuscripts *fm = calloc(1, sizeof(*fm));
	manuscripts_service ms;
	manuscripts_new req = {.author_id = AUTHOR,
			       .is_author = 1,
			       .title = "2화",
			       .content = EPISODE,
			       .content_len = strlen(EPISODE)};
	manuscript m, got;
	size_t events;
	book b;
	app_err err;

	(void)state;
	cfg.review = 1;
	w = books_world_new(&cfg);
	manuscripts_service_init(&ms, &(manuscripts_deps){.manuscripts = fake_manuscript_repo(fm),
							  .uow = w->svc.d.uow,
							  .events = w->svc.d.events,
							  .clock = w->svc.d.clock,
							  .books = w->svc.d.books,
							  .episodes = w->svc.d.episodes});
	b = publish(w, 1);
	assert_true(b.proof);
	req.book_id = b.id;
	assert_int_equal(manuscripts_start(&m, &ms, &req, &err), 0); /* written meanwhile */
	events = fake_outbox_count(&w->m->outbox, "manuscript.submitted");
	assert_int_equal(manuscripts_submit(NULL, &ms, AUTHOR, m.id, &err), APP_ECONFLICT);
	assert_string_equal(err.word, "not_accepted");
	assert_int_equal(fake_outbox_count(&w->m->outbox, "manuscript.submitted"), events);
	assert_int_equal(manuscripts_load(&got, &ms, m.id, &err), 0);
	assert_int_equal(got.status, MANUSCRIPT_DRAFT);
	manuscript_dispose(&got);

	assert_int_equal(books_accept(&b, &w->svc, &as_author, b.id, &err), 0);
	assert_int_equal(manuscripts_submit(&got, &ms, AUTHOR, m.id, &err), 0);
	assert_int_equal(got.status, MANUSCRIPT_SUBMITTED);
	assert_int_equal(got.episode_number, 2);
	assert_int_equal(fake_outbox_count(&w->m->outbox, "manuscript.submitted"), events + 1);
	manuscript_dispose(&got);
	manuscript_dispose(&m);
	fake_manuscripts_dispose(fm);
	free(fm);
	books_world_free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_a_proof_waits_for_its_author),
	    cmocka_unit_test(test_auto_mode_publishes_at_once),
	    cmocka_unit_test(test_a_proofs_next_episode_waits_for_the_acceptance),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
