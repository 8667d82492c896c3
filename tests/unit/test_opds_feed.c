/*
 * The feed writer as an OPDS 1.2 acquisition feed, read back the way OPDS
 * clients read one (libxml2 with XPath over the Atom namespace): the feed
 * says it is an acquisition catalog, every entry has its EPUB acquisition
 * link, its cover and its author, and everything is escaped. A plain Atom
 * feed has none of the OPDS links.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "adapters/xml/xml_feed.h"

#define ACQ "application/atom+xml;profile=opds-catalog;kind=acquisition"

static xmlDocPtr doc;
static xmlXPathContextPtr ctx;

static void parse(const char *xml, size_t len)
{
	assert_non_null(doc = xmlReadMemory(xml, (int)len, "feed.xml", NULL, XML_PARSE_NONET));
	assert_non_null(ctx = xmlXPathNewContext(doc));
	xmlXPathRegisterNs(ctx, (const xmlChar *)"a",
			   (const xmlChar *)"http://www.w3.org/2005/Atom");
}

static void unparse(void)
{
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
}

static int count(const char *xpath)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	int n;

	assert_non_null(o);
	n = o->nodesetval ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

static char *str(const char *xpath)
{
	xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)xpath, ctx);
	char *s;

	assert_non_null(o);
	s = (char *)xmlXPathCastToString(o);
	xmlXPathFreeObject(o);
	return s;
}

static void assert_str(const char *xpath, const char *want)
{
	char *s = str(xpath);

	assert_string_equal(s, want);
	xmlFree(s);
}

static const feed_entry entries[2] = {
    {.id = "urn:walking-library:book:7",
     .title = "달빛 <우체국>",
     .link = "http://127.0.0.1:1/books/7",
     .summary = "편지 & 비밀",
     .published = 1764633600000LL,
     .updated = 1764633600000LL,
     .author = "김하늘",
     .acquisition = "http://127.0.0.1:1/opds/tok/books/7.epub",
     .image = "http://127.0.0.1:1/api/books/7/cover",
     .image_type = "image/png"},
    {.id = "urn:walking-library:book:9",
     .title = "Night Mail",
     .link = "http://127.0.0.1:1/books/9",
     .published = 1764633600000LL,
     .updated = 1764720000000LL,
     .author = "Ada",
     .acquisition = "http://127.0.0.1:1/opds/tok/books/9.epub"},
};

static void test_acquisition_feed(void **state)
{
	feed_writer w = xml_feed_writer();
	feed_doc d = {.id = "urn:walking-library:opds:42",
		      .title = "홍길동의 서재",
		      .self_link = "http://127.0.0.1:1/opds/tok/",
		      .alt_link = "http://127.0.0.1:1/library",
		      .author_name = "걷다가서재",
		      .lang = "ko",
		      .updated = 1764720000000LL,
		      .entries = entries,
		      .n = 2,
		      .opds = 1};
	char *xml;
	size_t len;
	app_err err;

	(void)state;
	assert_int_equal(feed_write_atom(&xml, &len, &w, &d, &err), 0);
	parse(xml, len);
	assert_str("string(/a:feed/a:link[@rel='self']/@type)", ACQ);
	assert_str("string(/a:feed/a:link[@rel='start']/@href)", "http://127.0.0.1:1/opds/tok/");
	assert_int_equal(count("/a:feed/a:entry"), 2);
	assert_str("string(/a:feed/a:entry[1]/a:title)", "달빛 <우체국>");
	assert_str("string(/a:feed/a:entry[1]/a:author/a:name)", "김하늘");
	assert_str(
	    "string(/a:feed/a:entry[1]/a:link[@rel='http://opds-spec.org/acquisition']/@href)",
	    "http://127.0.0.1:1/opds/tok/books/7.epub");
	assert_str(
	    "string(/a:feed/a:entry[1]/a:link[@rel='http://opds-spec.org/acquisition']/@type)",
	    "application/epub+zip");
	assert_str("string(/a:feed/a:entry[1]/a:link[@rel='http://opds-spec.org/image']/@type)",
		   "image/png");
	assert_int_equal(count("/a:feed/a:entry[2]/a:link[@rel='http://opds-spec.org/image']"), 0);
	assert_str("string(/a:feed/a:entry[2]/a:updated)", "2025-12-03T00:00:00Z");
	unparse();
	free(xml);
}

static void test_plain_atom_has_no_opds_links(void **state)
{
	feed_writer w = xml_feed_writer();
	feed_entry e = {.id = "urn:x:1", .title = "t", .link = "http://127.0.0.1:1/b/1"};
	feed_doc d = {.id = "urn:x",
		      .title = "T",
		      .self_link = "http://127.0.0.1:1/f",
		      .alt_link = "http://127.0.0.1:1/",
		      .author_name = "A",
		      .entries = &e,
		      .n = 1};
	char *xml;
	size_t len;
	app_err err;

	(void)state;
	assert_int_equal(feed_write_atom(&xml, &len, &w, &d, &err), 0);
	parse(xml, len);
	assert_str("string(/a:feed/a:link[@rel='self']/@type)", "application/atom+xml");
	assert_int_equal(count("//a:link[@rel='start']"), 0);
	assert_int_equal(count("//a:link[starts-with(@rel, 'http://opds-spec.org/')]"), 0);
	assert_int_equal(count("/a:feed/a:entry/a:author"), 0);
	unparse();
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_acquisition_feed),
	    cmocka_unit_test(test_plain_atom_has_no_opds_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
