/*
 * Search queries (GET /api/books?q=) on arbitrary bytes, against the real
 * books core and SQLite adapter (FTS5 trigram index for three characters
 * and more, a substring scan below): any text must either be refused as
 * invalid (field q) or answer without a storage error; a book whose title
 * holds the query is found; for plain ASCII queries every book found holds
 * the query in its title, pen name or summary (ignoring ASCII case).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const titles[] = {"시간의 서랍", "The Night Train", "100% \"quoted\" _x_",
				     "NEAR(a b) OR c*", "달빛 우체부"};
#define NTITLES (sizeof(titles) / sizeof(titles[0]))

static app the_app;
static char db_dir[] = "/tmp/wl-fuzz-search-XXXXXX";

static void cleanup(void)
{
	static const char *const files[] = {"wl.db", "wl.db-wal", "wl.db-shm"};
	char path[sizeof(db_dir) + 16];

	app_close(&the_app);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", db_dir, files[i]);
		remove(path);
	}
	remove(db_dir);
}

static void seed(void)
{
	static const unsigned char svg[] = "<svg xmlns='http://www.w3.org/2000/svg'/>";
	app_config cfg;
	member author;
	app_err err;

	if (!mkdtemp(db_dir))
		abort();
	atexit(cleanup);
	app_config_defaults(&cfg);
	snprintf(cfg.db, sizeof(cfg.db), "%s/wl.db", db_dir);
	cfg.pwhash_mem_kib = 8;
	cfg.pwhash_ops = 1;
	app_err_clear(&err);
	if (app_open(&the_app, &cfg, &err) ||
	    members_create_admin(&author, &the_app.members, "author@fuzz.local", "password-1",
				 "작가", &err))
		abort();
	for (size_t i = 0; i < NTITLES; i++) {
		books_publish_req req = {
		    .manuscript_id = (int64_t)i + 1,
		    .author_id = author.id,
		    .title = titles[i],
		    .author_name = i % 2 ? "Pen Name" : "윤서재",
		    .content = "본문",
		    .content_len = strlen("본문"),
		    .summary = i % 2 ? "a summary with 50% off" : "서랍 속의 편지",
		    .price = 1000,
		    .cover = svg,
		    .cover_len = sizeof(svg) - 1,
		    .cover_mime = "image/svg+xml",
		    .gen_summary = "offline",
		    .gen_price = "offline",
		    .gen_cover = "offline",
		};
		if (books_publish(NULL, &the_app.books, &req, &err))
			abort();
	}
}

static int contains_ascii_nocase(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void search(const char *q, book_sort sort)
{
	book found[20];
	book_query query = {.sort = sort, .q = q, .limit = 20};
	book_cursor next;
	size_t n;
	app_err err;
	int rc;

	app_err_clear(&err);
	rc = books_list(found, &n, &next, &the_app.books, &query, &err);
	if (rc) {
		if (rc != APP_EINVALID || strcmp(err.field, "q") != 0)
			abort(); /* a storage error: the query reached SQL in a shape it cannot take
				  */
		return;
	}
	for (size_t i = 0; i < n && is_ascii(q); i++)
		if (!contains_ascii_nocase(found[i].title, q) &&
		    !contains_ascii_nocase(found[i].author_name, q) &&
		    !contains_ascii_nocase(found[i].summary, q))
			abort();
	for (size_t t = 0; t < NTITLES && *q; t++) {
		int seen = 0;

		if (!strstr(titles[t], q))
			continue;
		for (size_t i = 0; i < n; i++)
			seen |= strcmp(found[i].title, titles[t]) == 0;
		if (!seen)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q;

	if (!the_app.db)
		seed();
	if (!(q = malloc(size + 1)))
		return 0;
	memcpy(q, data, size);
	q[size] = '\0'; /* the HTTP layer refuses U+0000: the query ends at the first one */
	search(q, BOOK_SORT_NEW);
	search(q, BOOK_SORT_POPULAR);
	free(q);
	return 0;
}
