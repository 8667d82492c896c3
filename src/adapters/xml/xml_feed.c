#include "adapters/xml/xml_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/xmlwriter.h>

#define ATOM_NS	      "http://www.w3.org/2005/Atom"
#define OPDS_ACQ_TYPE "application/atom+xml;profile=opds-catalog;kind=acquisition"

static void rfc3339(char out[32], int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static const xmlChar *x(const char *s)
{
	return (const xmlChar *)s;
}

static int text_el(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteElement(w, x(name), x(value ? value : ""));
}

static int date_el(xmlTextWriterPtr w, const char *name, int64_t ms)
{
	char d[32];

	rfc3339(d, ms);
	return text_el(w, name, d);
}

static int link_el(xmlTextWriterPtr w, const char *rel, const char *href, const char *type)
{
	if (xmlTextWriterStartElement(w, x("link")) < 0 ||
	    xmlTextWriterWriteAttribute(w, x("rel"), x(rel)) < 0 ||
	    (type && xmlTextWriterWriteAttribute(w, x("type"), x(type)) < 0) ||
	    xmlTextWriterWriteAttribute(w, x("href"), x(href)) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

static int author_el(xmlTextWriterPtr w, const char *name)
{
	if (xmlTextWriterStartElement(w, x("author")) < 0 || text_el(w, "name", name) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

static int entry_el(xmlTextWriterPtr w, const feed_entry *e)
{
	if (xmlTextWriterStartElement(w, x("entry")) < 0 || text_el(w, "id", e->id) < 0 ||
	    xmlTextWriterStartElement(w, x("title")) < 0 ||
	    xmlTextWriterWriteAttribute(w, x("type"), x("text")) < 0 ||
	    xmlTextWriterWriteString(w, x(e->title)) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    link_el(w, "alternate", e->link, "text/html") < 0 ||
	    date_el(w, "published", e->published) < 0 || date_el(w, "updated", e->updated) < 0 ||
	    (e->author && author_el(w, e->author) < 0) ||
	    (e->acquisition && link_el(w, "http://opds-spec.org/acquisition", e->acquisition,
				       "application/epub+zip") < 0) ||
	    (e->image && link_el(w, "http://opds-spec.org/image", e->image, e->image_type) < 0))
		return -1;
	if (e->summary && e->summary[0] &&
	    (xmlTextWriterStartElement(w, x("summary")) < 0 ||
	     xmlTextWriterWriteAttribute(w, x("type"), x("text")) < 0 ||
	     xmlTextWriterWriteString(w, x(e->summary)) < 0 || xmlTextWriterEndElement(w) < 0))
		return -1;
	return xmlTextWriterEndElement(w);
}

static int feed_el(xmlTextWriterPtr w, const feed_doc *d)
{
	const char *self_type = d->opds ? OPDS_ACQ_TYPE : "application/atom+xml";

	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, x("feed"), x(ATOM_NS)) < 0 ||
	    (d->lang && xmlTextWriterWriteAttribute(w, x("xml:lang"), x(d->lang)) < 0) ||
	    text_el(w, "id", d->id) < 0 || text_el(w, "title", d->title) < 0 ||
	    (d->subtitle && d->subtitle[0] && text_el(w, "subtitle", d->subtitle) < 0) ||
	    date_el(w, "updated", d->updated) < 0 ||
	    link_el(w, "self", d->self_link, self_type) < 0 ||
	    (d->opds && link_el(w, "start", d->self_link, self_type) < 0) ||
	    link_el(w, "alternate", d->alt_link, "text/html") < 0 ||
	    author_el(w, d->author_name) < 0 ||
	    xmlTextWriterWriteElement(w, x("generator"), x("walking-library")) < 0)
		return -1;
	for (size_t i = 0; i < d->n; i++)
		if (entry_el(w, &d->entries[i]) < 0)
			return -1;
	if (xmlTextWriterEndElement(w) < 0)
		return -1;
	return xmlTextWriterEndDocument(w);
}

static int check(const feed_doc *d, app_err *err)
{
	if (!d->id || !d->title || !d->self_link || !d->alt_link || !d->author_name)
		return app_err_set(err, APP_EINVALID, NULL, NULL,
				   "a feed needs id, title, links and author");
	for (size_t i = 0; i < d->n; i++)
		if (!d->entries[i].id || !d->entries[i].title || !d->entries[i].link)
			return app_err_set(err, APP_EINVALID, NULL, NULL,
					   "an entry needs id, title and link");
	return 0;
}

static int atom(char **out, size_t *len, void *self, const feed_doc *d, app_err *err)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	int rc;

	(void)self;
	*out = NULL;
	if ((rc = check(d, err)))
		return rc;
	if (!(buf = xmlBufferCreate()))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (!(w = xmlNewTextWriterMemory(buf, 0))) {
		xmlBufferFree(buf);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	xmlTextWriterSetIndent(w, 1);
	rc = feed_el(w, d);
	xmlFreeTextWriter(w); /* flushes into buf */
	if (rc < 0) {
		xmlBufferFree(buf);
		/* libxml2 refuses text that is not UTF-8 or holds characters XML cannot carry */
		return app_err_set(err, APP_EINVALID, NULL, NULL, "the feed cannot be written");
	}
	*len = (size_t)xmlBufferLength(buf);
	if (!(*out = malloc(*len + 1))) {
		xmlBufferFree(buf);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	memcpy(*out, xmlBufferContent(buf), *len);
	(*out)[*len] = '\0';
	xmlBufferFree(buf);
	return 0;
}

static const feed_writer_vtbl xml_vtbl = {.atom = atom};

feed_writer xml_feed_writer(void)
{
	return (feed_writer){.vtbl = &xml_vtbl, .self = NULL};
}
