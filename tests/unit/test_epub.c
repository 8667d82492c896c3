/*
 * EPUB writer: a 12-episode work with a PNG cover passes epubcheck (Debian's)
 * with no error or warning (the integration test checks one with the offline
 * SVG cover, downloaded over HTTP: a run is slow, so one each); the archive
 * opens with "mimetype" first and stored; the title page carries the buyer;
 * only the episodes given are inside; text is escaped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "adapters/epub/epub.h"
#include "adapters/llm_offline/llm_offline.h"
#include "support/test_env.h"
#include "support/test_images.h"

#define N_EPISODES 12

static char texts[N_EPISODES][2048];
static char titles[N_EPISODES][64];
static ebook_chapter chapters[N_EPISODES];

static void make_work(void)
{
	for (int i = 0; i < N_EPISODES; i++) {
		snprintf(titles[i], sizeof(titles[i]), "우체국의 밤 <%d> & \"편지\"", i + 1);
		snprintf(texts[i], sizeof(texts[i]),
			 "%d화의 첫 문단이다. 달빛이 우체국 창을 넘었다.\n\n"
			 "  \"누구세요?\" 해진이 물었다. <b>태그</b> & 앰퍼샌드\x01\n"
			 "마지막 문단, 번호 %d.\r\n",
			 i + 1, i + 1);
		chapters[i] =
		    (ebook_chapter){.number = i + 1, .title = titles[i], .text = texts[i]};
	}
}

static ebook_doc doc_of(size_t n, const ebook_chapter *ch)
{
	return (ebook_doc){.identifier = "urn:walking-library:book:7:member:42",
			   .title = "달빛 <우체국>",
			   .author = "김하늘 & 친구",
			   .lang = "ko",
			   .buyer = "홍길동",
			   .summary = "밤마다 편지가 도착하는 우체국 이야기.",
			   .modified = 1764633600000LL,
			   .chapters = ch,
			   .n = n};
}

static char *write_file(const void *data, size_t len, const char *name)
{
	static char path[600];
	char dir[512];
	FILE *f;

	test_tmpdir(dir, sizeof(dir), name);
	snprintf(path, sizeof(path), "%s/book.epub", dir);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

/* Runs epubcheck; returns its exit status and fails on any ERROR or WARNING line. */
static void assert_epubcheck_clean(const char *path)
{
	char cmd[800], line[2048];
	int errors = 0, clean = 0, status;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "java -jar /usr/share/java/epubcheck.jar '%s' 2>&1", path);
	assert_non_null(p = popen(cmd, "r"));
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, "ERROR") || strstr(line, "WARNING") || strstr(line, "FATAL")) {
			fprintf(stderr, "epubcheck: %s", line);
			errors++;
		}
		clean += strstr(line, "No errors or warnings detected") != NULL;
	}
	status = pclose(p);
	assert_int_equal(errors, 0);
	assert_int_equal(clean, 1);
	assert_int_equal(status, 0);
}

static char *entry(zip_t *z, const char *name)
{
	zip_stat_t st;
	zip_file_t *f;
	char *buf;

	if (zip_stat(z, name, 0, &st) < 0)
		return NULL;
	assert_non_null(buf = calloc(1, st.size + 1));
	assert_non_null(f = zip_fopen(z, name, 0));
	assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	return buf;
}

static zip_t *open_bytes(void *data, size_t len)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z;

	zip_error_init(&ze);
	assert_non_null(src = zip_source_buffer_create(data, len, 0, &ze));
	assert_non_null(z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze));
	zip_error_fini(&ze);
	return z;
}

static void assert_package(void *data, size_t len, size_t n)
{
	zip_t *z = open_bytes(data, len);
	zip_stat_t st;
	char *s, name[64];

	assert_int_equal(zip_stat_index(z, 0, 0, &st), 0);
	assert_string_equal(st.name, "mimetype");
	assert_int_equal(st.comp_method, ZIP_CM_STORE);
	assert_memory_equal(data, "PK\3\4", 4);
	assert_memory_equal((char *)data + 30, "mimetypeapplication/epub+zip", 28);
	assert_non_null(s = entry(z, "OEBPS/title.xhtml"));
	assert_non_null(strstr(s, "홍길동 님이 구매한 책입니다."));
	assert_non_null(strstr(s, "달빛 &lt;우체국&gt;"));
	free(s);
	assert_non_null(s = entry(z, "OEBPS/ep1.xhtml"));
	assert_non_null(strstr(s, "&lt;b&gt;태그&lt;/b&gt; &amp; 앰퍼샌드</p>"));
	assert_null(strstr(s, "\x01"));
	assert_non_null(strstr(s, "<p>마지막 문단, 번호 1.</p>"));
	free(s);
	assert_non_null(s = entry(z, "OEBPS/nav.xhtml"));
	assert_non_null(strstr(s, "차례"));
	free(s);
	for (size_t i = 1; i <= N_EPISODES; i++) {
		snprintf(name, sizeof(name), "OEBPS/ep%zu.xhtml", i);
		assert_int_equal(zip_name_locate(z, name, 0) >= 0, i <= n);
	}
	zip_discard(z);
}

static void test_twelve_episodes_png_cover(void **state)
{
	ebook_writer w = epub_writer();
	ebook_doc d;
	size_t png_len, len;
	unsigned char *png = test_png(&png_len, 400, 600, TEST_PNG_RGB, 0, test_paint_bands);
	void *out;
	app_err err;

	(void)state;
	make_work();
	d = doc_of(N_EPISODES, chapters);
	d.cover = png;
	d.cover_len = png_len;
	d.cover_mime = "image/png";
	assert_int_equal(ebook_write_epub(&out, &len, &w, &d, &err), 0);
	assert_epubcheck_clean(write_file(out, len, "epub_png"));
	assert_package(out, len, N_EPISODES);
	free(out);
	free(png);
}

static void test_owned_episodes_svg_cover(void **state)
{
	ebook_writer w = epub_writer();
	ebook_doc d;
	aigen_image svg = {0};
	size_t len;
	void *out;
	app_err err;

	(void)state;
	make_work();
	assert_int_equal(offline_cover(&svg,
				       &(aigen_image_request){.title = "달빛 <우체국>",
							      .pen_name = "김하늘 & 친구"},
				       &err),
			 0);
	d = doc_of(5, chapters); /* the buyer owns episodes 1-5 */
	d.cover = svg.data;
	d.cover_len = svg.len;
	d.cover_mime = "image/svg+xml";
	assert_int_equal(ebook_write_epub(&out, &len, &w, &d, &err), 0);
	assert_package(out, len, 5);
	free(out);
	aigen_image_dispose(&svg);
}

static void test_english_without_cover(void **state)
{
	ebook_writer w = epub_writer();
	ebook_chapter ch[2] = {{.number = 3, .title = "Night", .text = "It rained."},
			       {.number = 9, .title = "Morning", .text = "It stopped."}};
	ebook_doc d = doc_of(2, ch);
	zip_t *z;
	size_t len;
	void *out;
	char *s;
	app_err err;

	(void)state;
	d.lang = "en";
	d.buyer = "Ada";
	assert_int_equal(ebook_write_epub(&out, &len, &w, &d, &err), 0);
	z = open_bytes(out, len);
	assert_non_null(s = entry(z, "OEBPS/title.xhtml"));
	assert_non_null(strstr(s, "Bought by Ada."));
	free(s);
	assert_non_null(s = entry(z, "OEBPS/ep9.xhtml"));
	assert_non_null(strstr(s, "Episode 9. Morning"));
	free(s);
	zip_discard(z);
	free(out);
}

static void test_refuses_bad_documents(void **state)
{
	ebook_writer w = epub_writer();
	ebook_chapter ch[2] = {{.number = 2, .title = "a", .text = "b"},
			       {.number = 2, .title = "c", .text = "d"}};
	ebook_doc d = doc_of(2, ch);
	size_t len;
	void *out;
	app_err err;

	(void)state;
	assert_int_equal(ebook_write_epub(&out, &len, &w, &d, &err), APP_EINVALID); /* numbering */
	assert_null(out);
	d.n = 0;
	assert_int_equal(ebook_write_epub(&out, &len, &w, &d, &err), APP_EINVALID);
	d = doc_of(1, ch);
	d.cover = "x";
	d.cover_len = 1;
	d.cover_mime = "image/gif";
	assert_int_equal(ebook_write_epub(&out, &len, &w, &d, &err), APP_EINVALID);
	d = doc_of(1, ch);
	d.title = "\xff\xfe broken";
	assert_int_equal(ebook_write_epub(&out, &len, &w, &d, &err), APP_EINVALID);
	assert_null(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_twelve_episodes_png_cover),
	    cmocka_unit_test(test_owned_episodes_svg_cover),
	    cmocka_unit_test(test_english_without_cover),
	    cmocka_unit_test(test_refuses_bad_documents),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
