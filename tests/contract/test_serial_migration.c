/*
 * A database made by the schema before serial works migrates: every book
 * becomes a one-episode work with its text, its buyers keep it, its views
 * stay counted (its readers may review it), and the books core reads it as
 * before. Later migrations that carry rows over are tested here too, and the
 * PNG renditions the covers stored before them get once the app has opened it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/sqlite/sqlite_repos.h"
#include "app/app.h"
#include "adapters/sqlite/sqlite_schema.h"
#include "support/test_env.h"

/* The rows a running server of the previous version would have written. */
static const char OLD_ROWS[] =
    "INSERT INTO members(id, email, name, password_hash, roles, points, created_at) VALUES"
    " (1, 'author@example.com', 'A', 'h', 3, 0, 1), (2, 'reader@example.com', 'R', 'h', 1,"
    " 3800, 1), (3, 'other@example.com', 'O', 'h', 1, 0, 1);"
    "INSERT INTO ledger(id, member_id, kind, amount, balance_after, book_id, created_at)"
    " VALUES (1, 2, 'charge', 5000, 5000, NULL, 10), (2, 2, 'purchase', -1200, 3800, 1, 11);"
    "INSERT INTO manuscripts(id, author_id, title, content, revision, status, book_id,"
    " created_at, updated_at) VALUES (7, 1, '시간의 서랍', '할머니의 서랍', 1, 'published', 1, 5,"
    " 6), (8, 1, '초고', '', 1, 'draft', NULL, 7, 7);"
    "INSERT INTO books(id, manuscript_id, author_id, title, author_name, summary, tagline,"
    " price, price_reason, cover_mime, cover_etag, views, bestseller, published_at,"
    " gen_summary, gen_price, gen_cover) VALUES (1, 7, 1, '시간의 서랍', '윤서재', '서랍 이야기',"
    " '한 줄', 1200, '길이', 'image/svg+xml', '\"e\"', 2, 0, 6, 'offline', 'offline',"
    " 'offline'), (2, 9, 1, '무료 책', '윤서재', '무료', '', 0, '', 'image/svg+xml', '\"f\"', 0, 0,"
    " 8, 'offline', 'offline', 'offline');"
    "INSERT INTO book_contents(book_id, content) VALUES (1, '할머니의 책상에는 서랍이 있었다.'),"
    " (2, '무료로 읽는 이야기');"
    "INSERT INTO book_covers(book_id, data) VALUES (1, x'3c7376672f3e'), (2, x'3c7376672f3e');"
    "INSERT INTO book_entitlements(id, member_id, book_id, price, ledger_id, purchased_at)"
    " VALUES (1, 2, 1, 1200, 2, 11);"
    "INSERT INTO book_views(book_id, member_id, day) VALUES (1, 2, 20000);";

/* A database at schema version `version` holding `rows`. */
static void make_database(const char *path, int version, const char *rows)
{
	sqlite3 *h;
	char sql[64];

	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	for (int v = 0; v < version; v++)
		assert_int_equal(sqlite3_exec(h, sqlite_schema[v], NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", version);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, rows, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

static void make_old_database(const char *path)
{
	make_database(path, SQLITE_SCHEMA_SERIAL - 1, OLD_ROWS);
}

static void test_old_books_become_one_episode_works(void **state)
{
	char dir[512], path[600], *text;
	book_entitlement ents[2];
	episode_hold holds[2];
	sqlite_db *db;
	episode e;
	book b;
	size_t len, n;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "serial-migration");
	snprintf(path, sizeof(path), "%s/old.db", dir);
	make_old_database(path);
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	assert_int_equal(sqlite_db_ready(db, &err), 0);
	book_repo books = sqlite_book_repo(db);
	episode_repo episodes = sqlite_episode_repo(db);

	assert_int_equal(book_repo_find(&b, &books, NULL, 1, &err), 0);
	assert_int_equal(b.episode_count, 1);
	assert_false(b.serial);
	assert_int_equal(b.price, 1200);
	assert_int_equal(b.episode_price, 500); /* the price brought into the episode bounds */
	assert_int_equal(b.updated_at, 6);
	assert_int_equal(b.views, 2);
	assert_string_equal(b.age_rating, "all");
	assert_false(b.hidden);
	assert_string_equal(b.gen_tagline,
			    "offline"); /* migration 24: the blurb's maker wrote it */
	assert_int_equal(book_repo_find(&b, &books, NULL, 2, &err), 0);
	assert_string_equal(b.gen_tagline, ""); /* no tagline, no maker */
	assert_int_equal(episode_repo_find(&e, &episodes, NULL, 1, 1, &err), 0);
	assert_string_equal(e.title, "시간의 서랍");
	assert_int_equal(e.price, 1200);
	assert_true(e.own_price);
	assert_int_equal(e.published_at, 6);
	assert_int_equal(e.manuscript_id, 7);
	assert_int_equal(e.views, 2);
	assert_int_equal(e.characters, 18);
	assert_int_equal(episode_repo_content(&text, &len, &episodes, NULL, 1, 1, &err), 0);
	assert_string_equal(text, "할머니의 책상에는 서랍이 있었다.");
	free(text);
	assert_int_equal(book_repo_content(&text, &len, &books, NULL, 2, &err), 0);
	assert_string_equal(text, "무료로 읽는 이야기");
	free(text);
	/* the buyer holds episode 1, paid by the old ledger entry */
	assert_int_equal(episode_repo_hold(&episodes, NULL, 2, 1, 1, &err), BOOK_OWN_PURCHASE);
	assert_int_equal(episode_repo_hold(&episodes, NULL, 3, 1, 1, &err), BOOK_OWN_NONE);
	assert_int_equal(episode_repo_holds(holds, &n, &episodes, NULL, 2, 1, 0, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(episode_repo_batch(ents, &n, &episodes, NULL, 2, 1, 2, 0, 2, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(ents[0].ledger_id, 2);
	assert_int_equal(ents[0].purchased_at, 11);
	assert_int_equal(book_repo_owns(&books, NULL, 2, 1, &err), 1);
	sqlite_db_close(db);
}

static void test_old_view_marks_and_manuscripts_carry_over(void **state)
{
	char dir[512], path[600];
	sqlite_db *db;
	manuscript m;
	book_view v = {.member_id = 2, .book_id = 1, .day = 20000, .number = 1, .at = 1};
	uow u;
	uow_tx *tx;
	int counted, read;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "serial-migration-views");
	snprintf(path, sizeof(path), "%s/old.db", dir);
	make_old_database(path);
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	book_repo books = sqlite_book_repo(db);
	manuscript_repo ms = sqlite_manuscript_repo(db);
	review_repo reviews = sqlite_review_repo(db);

	u = sqlite_db_uow(db);
	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	/* the old mark of that day counts as episode 1's: reading again is no new view */
	assert_int_equal(book_repo_mark_view(&counted, &books, tx, &v, &err), 0);
	assert_false(counted);
	v.day++;
	assert_int_equal(book_repo_mark_view(&counted, &books, tx, &v, &err), 0);
	assert_true(counted);
	assert_int_equal(uow_commit(tx, &err), 0);
	/* the reader of book 1 may review it; nobody has read book 2 */
	assert_int_equal(review_has_read(&read, &reviews, NULL, 2, 1, &err), 0);
	assert_true(read);
	assert_int_equal(review_has_read(&read, &reviews, NULL, 2, 2, &err), 0);
	assert_false(read);
	assert_int_equal(manuscript_repo_find(&m, &ms, NULL, 7, 0, &err), 0);
	assert_int_equal(m.episode_number, 1);
	assert_int_equal(m.book_id, 1);
	assert_false(m.serial);
	manuscript_dispose(&m);
	assert_int_equal(manuscript_repo_find(&m, &ms, NULL, 8, 0, &err), 0);
	assert_int_equal(m.episode_number, 0);
	manuscript_dispose(&m);
	sqlite_db_close(db);
}

/* Reports kept before migration 21 name their comment's episode; a review's has none. */
static void test_old_reports_name_the_comments_episode(void **state)
{
	static const char rows[] =
	    "INSERT INTO members(id, email, name, password_hash, roles, points, created_at) VALUES"
	    " (1, 'a@example.com', 'A', 'h', 1, 0, 1), (2, 'b@example.com', 'B', 'h', 1, 0, 1);"
	    "INSERT INTO comments(id, book_id, number, member_id, text, created_at, updated_at)"
	    " VALUES (5, 1, 3, 1, '3화 댓글', 1, 1);"
	    "INSERT INTO reports(id, target_kind, target_id, reporter_id, book_id, reason,"
	    " created_at) VALUES (1, 'comment', 5, 2, 1, '스포일러', 2),"
	    " (2, 'review', 9, 2, 1, '별점 테러', 3);";
	char dir[512], path[600];
	report out[4];
	sqlite_db *db;
	size_t n;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "reports-migration");
	snprintf(path, sizeof(path), "%s/old.db", dir);
	make_database(path, 20, rows);
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	review_repo reviews = sqlite_review_repo(db);

	assert_int_equal(review_reports_open(out, &n, &reviews, NULL, 0, 4, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].kind, REPORT_REVIEW); /* newest first */
	assert_int_equal(out[0].episode, 0);
	assert_int_equal(out[1].kind, REPORT_COMMENT);
	assert_int_equal(out[1].episode, 3);
	sqlite_db_close(db);
}

/* The bytes of a file of the test fixtures (the caller frees them). */
static unsigned char *fixture(size_t *len, const char *name)
{
	char path[600];
	unsigned char *data;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/../integration/fixtures/%s", WL_TEST_DATA, name);
	assert_non_null(f = fopen(path, "rb"));
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	assert_true((n = ftell(f)) > 0);
	rewind(f);
	assert_non_null(data = malloc((size_t)n));
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return data;
}

/* A PNG's width and height, from its IHDR. */
static void png_size(const unsigned char *p, size_t len, unsigned *w, unsigned *h)
{
	assert_true(len > 24);
	assert_memory_equal(p, "\x89PNG", 4);
	*w = (unsigned)p[16] << 24 | (unsigned)p[17] << 16 | (unsigned)p[18] << 8 | p[19];
	*h = (unsigned)p[20] << 24 | (unsigned)p[21] << 16 | (unsigned)p[22] << 8 | p[23];
}

/* Book id's cover rendition of size: its width and height; the cover's ETag in etag. */
static void rendition(app *a, int64_t id, book_cover_size size, char etag[48], unsigned *w,
		      unsigned *h)
{
	unsigned char *data;
	char mime[32];
	size_t len;
	app_err err;

	assert_int_equal(books_cover(&data, &len, mime, etag, &a->books, id, size, &err), 0);
	assert_string_equal(mime, "image/png");
	png_size(data, len, w, h);
	free(data);
}

/*
 * Covers from before migration 17 have no PNG renditions. Once the app opens
 * the database, the covers pass gives them theirs: a raster cover is scaled
 * and stays as it was; an SVG the offline generator drew is drawn anew (SVG
 * and PNGs), recorded as the generator's change of "cover".
 */
static void test_covers_from_before_renditions_get_them(void **state)
{
	char dir[512], path[600], etag[48], mime[32];
	unsigned char *png, *data;
	book_change changes[8];
	books_reader as_author = {.member_id = 1};
	app_config cfg;
	app *a = calloc(1, sizeof(*a));
	sqlite3 *h;
	sqlite3_stmt *st;
	size_t len, png_len, n, made;
	int64_t next;
	unsigned w, ht;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "cover-renditions-migration");
	snprintf(path, sizeof(path), "%s/old.db", dir);
	/* book 1: the offline SVG; book 2: a PNG, put in below */
	make_old_database(path);
	png = fixture(&png_len, "cover-300x450.png");
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "UPDATE books SET cover_mime = 'image/png' WHERE id = 2",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, "UPDATE book_covers SET data = ?1 WHERE book_id = 2",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_blob(st, 1, png, (int)png_len, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(h);

	app_config_defaults(&cfg);
	snprintf(cfg.db, sizeof(cfg.db), "%s", path);
	cfg.pwhash_mem_kib = 64;
	cfg.pwhash_ops = 1;
	assert_int_equal(app_open(a, &cfg, &err), 0);
	assert_int_equal(books_cover(&data, &len, mime, etag, &a->books, 1, BOOK_COVER_FULL, &err),
			 APP_ENOTFOUND); /* none yet: the pass makes them */

	assert_int_equal(books_cover_renditions(&made, &a->books, &err), 0);
	assert_int_equal(made, 2);
	rendition(a, 1, BOOK_COVER_FULL, etag, &w, &ht);
	assert_true(w == 600 && ht == 900);
	assert_string_not_equal(etag, "\"e\""); /* drawn anew: a new cover, a new version */
	rendition(a, 1, BOOK_COVER_THUMB, etag, &w, &ht);
	assert_true(w == 300 && ht == 450);
	assert_int_equal(books_history(changes, &n, &next, &a->books, &as_author, 1, 0, 8, &err),
			 0);
	assert_true(n >= 1);
	assert_string_equal(changes[0].field, "cover");
	assert_string_equal(changes[0].from, "\"e\"");
	assert_string_equal(changes[0].to, etag);
	assert_string_equal(changes[0].generated_by, "offline");

	rendition(a, 2, BOOK_COVER_FULL, etag, &w, &ht);
	assert_true(w == 600 && ht == 900);
	assert_string_equal(etag, "\"f\""); /* scaled: the same cover */
	assert_int_equal(
	    books_cover(&data, &len, mime, etag, &a->books, 2, BOOK_COVER_ORIGINAL, &err), 0);
	assert_int_equal(len, png_len);
	assert_memory_equal(data, png, len);
	free(data);
	assert_int_equal(books_history(changes, &n, &next, &a->books, &as_author, 2, 0, 8, &err),
			 0);
	assert_int_equal(n, 0);

	assert_int_equal(books_cover_renditions(&made, &a->books, &err), 0);
	assert_int_equal(made, 0); /* nothing left */
	app_close(a);
	free(a);
	free(png);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_old_books_become_one_episode_works),
	    cmocka_unit_test(test_old_view_marks_and_manuscripts_carry_over),
	    cmocka_unit_test(test_old_reports_name_the_comments_episode),
	    cmocka_unit_test(test_covers_from_before_renditions_get_them),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
