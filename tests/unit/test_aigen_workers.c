/*
 * The AI workers on the real stack (SQLite, the bus, the offline
 * generators): several threads claim and run the jobs of many submitted
 * manuscripts at once; each manuscript gets exactly one book.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/app.h"
#include "support/test_env.h"

enum { MANUSCRIPTS = 12 };

static const char TEXT[] =
    "The village library opened at dawn. Mina walked there every morning before school. "
    "She read every book on the lowest shelf, then the next one. The librarian watched her "
    "and said nothing. One winter the library closed, and Mina kept its keys.";

static void test_workers_publish_each_manuscript_once(void **state)
{
	char dir[512], token[CRYPTO_TOKEN_MAX], title[64];
	int64_t ids[MANUSCRIPTS];
	author_application a;
	member author, admin;
	app_config cfg;
	app *ap = calloc(1, sizeof(*ap));
	book_query q = {.sort = BOOK_SORT_NEW, .limit = 100};
	book *books = calloc(100, sizeof(*books));
	book_cursor next;
	size_t n = 0;
	int done = 0;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "aigen-workers");
	app_config_defaults(&cfg);
	snprintf(cfg.db, sizeof(cfg.db), "%s/wl.db", dir);
	cfg.pwhash_mem_kib = 64;
	cfg.pwhash_ops = 1;
	cfg.ai_workers = 3;
	assert_int_equal(app_open(ap, &cfg, &err), 0);
	assert_int_equal(members_create_admin(&admin, &ap->members, "admin@example.com",
					      "password1", "Admin", &err),
			 0);
	assert_int_equal(members_signup(&author, token, &ap->members, "author@example.com",
					"password1", "Author", NULL, &err),
			 0);
	assert_int_equal(authors_apply(&a, &ap->authors, author.id, "Pen", "", "", &err), 0);
	assert_int_equal(authors_approve(NULL, &ap->authors, admin.id, 1, a.id, &err), 0);
	author_application_dispose(&a);
	assert_int_equal(aigen_workers_start(ap->aigen_workers, &err), 0);
	for (int i = 0; i < MANUSCRIPTS; i++) {
		manuscript m;

		snprintf(title, sizeof(title), "Library %d", i);
		assert_int_equal(manuscripts_create(&m, &ap->manuscripts, author.id, 1, title, TEXT,
						    strlen(TEXT), &err),
				 0);
		ids[i] = m.id;
		manuscript_dispose(&m);
		assert_int_equal(
		    manuscripts_submit(NULL, &ap->manuscripts, author.id, ids[i], &err), 0);
	}
	for (int wait = 0; wait < 3000 && done < MANUSCRIPTS; wait++) {
		done = 0;
		for (int i = 0; i < MANUSCRIPTS; i++) {
			manuscript m;

			assert_int_equal(
			    manuscripts_get(&m, &ap->manuscripts, author.id, ids[i], &err), 0);
			done += m.status == MANUSCRIPT_PUBLISHED;
			manuscript_dispose(&m);
		}
		if (done < MANUSCRIPTS)
			usleep(10000);
	}
	assert_int_equal(done, MANUSCRIPTS);
	assert_int_equal(books_list(books, &n, &next, &ap->books, &q, &err), 0);
	assert_int_equal(n, MANUSCRIPTS); /* one book each, never two */
	app_close(ap);
	free(books);
	free(ap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_workers_publish_each_manuscript_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
