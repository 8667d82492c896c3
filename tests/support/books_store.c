#include "support/books_store.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/test_env.h"

static void add_members(books_store *c)
{
	static const char *const emails[] = {"author@example.com", "reader@example.com",
					     "other@example.com"};
	int64_t *ids[] = {&c->author, &c->reader, &c->other};
	member m;
	app_err err;

	for (size_t i = 0; i < 3; i++) {
		memset(&m, 0, sizeof(m));
		snprintf(m.email, sizeof(m.email), "%s", emails[i]);
		snprintf(m.password_hash, sizeof(m.password_hash), "h");
		m.created_at = 1000;
		assert_int_equal(member_repo_insert(&c->members, c->tx, &m, &err), 0);
		*ids[i] = m.id;
	}
}

books_store *books_store_fake(void)
{
	books_store *c = calloc(1, sizeof(*c));

	c->uow = fake_uow_port(&c->fake_uow);
	assert_int_equal(uow_begin(&c->tx, &c->uow, NULL), 0);
	c->fake = calloc(1, sizeof(*c->fake));
	c->world = fake_world_new(NULL);
	c->books = fake_book_repo(c->fake);
	c->episodes = fake_episode_repo(c->fake);
	c->reading = fake_reading_repo(c->fake);
	c->changes = fake_book_change_repo(c->fake);
	c->members = fake_member_repo(&c->world->members);
	add_members(c);
	return c;
}

books_store *books_store_sqlite(const char *name)
{
	books_store *c = calloc(1, sizeof(*c));
	char dir[512], path[600];
	app_err err;

	test_tmpdir(dir, sizeof(dir), name);
	snprintf(path, sizeof(path), "%s/books.db", dir);
	assert_int_equal(sqlite_db_open(&c->db, path, &err), 0);
	c->uow = sqlite_db_uow(c->db);
	assert_int_equal(uow_begin(&c->tx, &c->uow, NULL), 0);
	c->books = sqlite_book_repo(c->db);
	c->episodes = sqlite_episode_repo(c->db);
	c->reading = sqlite_reading_repo(c->db);
	c->changes = sqlite_book_change_repo(c->db);
	c->members = sqlite_member_repo(c->db);
	add_members(c);
	return c;
}

books_store *books_store_pg(const char *name)
{
	books_store *c = calloc(1, sizeof(*c));
	app_err err;

	test_pg_suite_db(&c->pgdb, name);
	assert_int_equal(pg_db_open(&c->pg, c->pgdb.conninfo, &err), 0);
	c->uow = pg_db_uow(c->pg);
	assert_int_equal(uow_begin(&c->tx, &c->uow, NULL), 0);
	c->books = pg_book_repo(c->pg);
	c->episodes = pg_episode_repo(c->pg);
	c->reading = pg_reading_repo(c->pg);
	c->changes = pg_book_change_repo(c->pg);
	c->members = pg_member_repo(c->pg);
	add_members(c);
	return c;
}

void books_store_free(books_store *c)
{
	if (c->tx)
		assert_int_equal(uow_commit(c->tx, NULL), 0);
	if (c->fake) {
		fake_books_dispose(c->fake);
		free(c->fake);
	}
	fake_world_free(c->world);
	sqlite_db_close(c->db);
	pg_db_close(c->pg);
	free(c);
}

book books_store_add(books_store *c, int64_t ms, const char *title, const char *summary)
{
	static const unsigned char cover[] = {0x89, 'P', 'N', 'G', 0, 1, 2};
	book b;
	app_err err;

	memset(&b, 0, sizeof(b));
	b.manuscript_id = ms;
	b.author_id = c->author;
	snprintf(b.title, sizeof(b.title), "%s", title);
	snprintf(b.author_name, sizeof(b.author_name), "윤서재");
	snprintf(b.summary, sizeof(b.summary), "%s", summary);
	snprintf(b.tagline, sizeof(b.tagline), "한 줄");
	b.price = 1000 + 100 * ms;
	b.episode_price = 300;
	snprintf(b.price_reason, sizeof(b.price_reason), "길이");
	snprintf(b.cover_mime, sizeof(b.cover_mime), "image/png");
	snprintf(b.cover_etag, sizeof(b.cover_etag), "\"e%lld\"", (long long)ms);
	b.published_at = 1000 + ms;
	snprintf(b.gen_summary, sizeof(b.gen_summary), "offline");
	snprintf(b.gen_price, sizeof(b.gen_price), "gpt");
	snprintf(b.gen_cover, sizeof(b.gen_cover), "offline");
	assert_int_equal(book_repo_insert(&c->books, c->tx, &b, "본문 text", strlen("본문 text"),
					  cover, sizeof(cover), &err),
			 0);
	assert_true(b.id > 0);
	return b;
}

episode books_store_episode(books_store *c, int64_t book_id, int64_t number, int64_t price,
			    int64_t published_at, int64_t scheduled_at)
{
	char text[64];
	episode e;
	app_err err;

	memset(&e, 0, sizeof(e));
	e.book_id = book_id;
	e.number = number;
	e.manuscript_id = 1000 * book_id + number;
	snprintf(e.title, sizeof(e.title), "%lld화", (long long)number);
	snprintf(e.summary, sizeof(e.summary), "%lld화 요약", (long long)number);
	e.price = price;
	e.published_at = published_at;
	e.scheduled_at = scheduled_at;
	e.created_at = published_at ? published_at : 1;
	snprintf(text, sizeof(text), "%lld화 본문입니다", (long long)number);
	assert_int_equal(episode_repo_insert(&c->episodes, c->tx, &e, text, strlen(text), &err), 0);
	assert_true(e.id > 0);
	return e;
}

int books_store_setup_fake(void **state)
{
	*state = books_store_fake();
	return 0;
}

int books_store_setup_sqlite(void **state)
{
	*state = books_store_sqlite("books-contract");
	return 0;
}

int books_store_setup_pg(void **state)
{
	*state = books_store_pg("books_contract");
	return 0;
}

int books_store_teardown(void **state)
{
	books_store_free(*state);
	return 0;
}
