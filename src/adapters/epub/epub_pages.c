/* The title page (with the buyer's name) and the episodes' pages. */
#include "adapters/epub/epub_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const xmlChar *x(const char *s)
{
	return (const xmlChar *)s;
}

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, x(name), x(value));
}

static int para(xmlTextWriterPtr w, const char *class, const char *text)
{
	if (xmlTextWriterStartElement(w, x("p")) < 0 || (class && attr(w, "class", class) < 0) ||
	    xmlTextWriterWriteString(w, x(text)) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

/*
 * One <p> per non-blank line of text. Control characters XML 1.0 cannot carry
 * are dropped; a line is copied so that it can be cut and cleaned.
 */
static int paragraphs(xmlTextWriterPtr w, const char *text)
{
	const char *p = text ? text : "";
	char *line = malloc(strlen(p) + 1);
	int rc = line ? 0 : -1;

	while (rc == 0 && *p) {
		size_t n = 0, lead;

		for (; *p && *p != '\n'; p++)
			if ((unsigned char)*p >= 0x20 || *p == '\t')
				line[n++] = *p;
		if (*p == '\n')
			p++;
		while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			n--;
		line[n] = '\0';
		lead = strspn(line, " \t");
		if (line[lead])
			rc = para(w, NULL, line + lead);
	}
	free(line);
	return rc;
}

static int cover_img(xmlTextWriterPtr w, const ebook_doc *d)
{
	char src[32];

	snprintf(src, sizeof(src), "cover.%s", epub_cover_ext(d->cover_mime));
	if (xmlTextWriterStartElement(w, x("div")) < 0 || attr(w, "class", "cover") < 0 ||
	    xmlTextWriterStartElement(w, x("img")) < 0 || attr(w, "src", src) < 0 ||
	    attr(w, "alt", epub_labels_for(d->lang)->cover_alt) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

int epub_title_page(epub_part *part, const ebook_doc *d)
{
	const epub_labels *l = epub_labels_for(d->lang);
	char bought[400];
	xmlBufferPtr buf;
	xmlTextWriterPtr w = epub_xml_begin(&buf);
	int rc;

	if (!w)
		return -1;
	snprintf(bought, sizeof(bought), l->bought_by_fmt, d->buyer);
	rc = epub_xhtml_open(w, d->lang, d->title) < 0 ||
		     xmlTextWriterStartElement(w, x("section")) < 0 ||
		     xmlTextWriterWriteAttributeNS(w, x("epub"), x("type"), NULL, x("titlepage")) <
			 0 ||
		     (d->cover && cover_img(w, d) < 0) || epub_el(w, "h1", d->title) < 0 ||
		     para(w, "author", d->author) < 0 || para(w, "buyer", bought) < 0 ||
		     para(w, "drm", l->drm_free) < 0 || xmlTextWriterEndElement(w) < 0 ||
		     epub_xhtml_close(w) < 0
		 ? -1
		 : 0;
	return epub_xml_end(part, "title.xhtml", buf, w, rc);
}

int epub_chapter(epub_part *part, const ebook_doc *d, const ebook_chapter *c)
{
	char label[1200], name[32];
	xmlBufferPtr buf;
	xmlTextWriterPtr w = epub_xml_begin(&buf);
	int rc;

	if (!w)
		return -1;
	epub_chapter_label(label, sizeof(label), d, c);
	epub_chapter_href(name, c->number);
	rc = epub_xhtml_open(w, d->lang, label) < 0 ||
		     xmlTextWriterStartElement(w, x("section")) < 0 ||
		     xmlTextWriterWriteAttributeNS(w, x("epub"), x("type"), NULL, x("chapter")) <
			 0 ||
		     epub_el(w, "h1", label) < 0 || paragraphs(w, c->text) < 0 ||
		     xmlTextWriterEndElement(w) < 0 || epub_xhtml_close(w) < 0
		 ? -1
		 : 0;
	return epub_xml_end(part, name, buf, w, rc);
}
