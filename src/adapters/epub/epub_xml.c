/*
 * The XML of an EPUB 3 package: the OPF package document, the EPUB 3
 * navigation document and an NCX for EPUB 2 readers, the title page with the
 * buyer's name (a social watermark) and one XHTML document per episode.
 */
#include "adapters/epub/epub_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define XHTML_NS "http://www.w3.org/1999/xhtml"
#define OPS_NS	 "http://www.idpf.org/2007/ops"
#define OPF_NS	 "http://www.idpf.org/2007/opf"
#define DC_NS	 "http://purl.org/dc/elements/1.1/"
#define NCX_NS	 "http://www.daisy.org/z3986/2005/ncx/"

static const xmlChar *x(const char *s)
{
	return (const xmlChar *)s;
}

static const epub_labels labels_ko = {
    .toc = "차례",
    .bought_by_fmt = "%s 님이 구매한 책입니다.",
    .drm_free = "DRM 없이 드리는 전자책입니다. 구매하신 분만 읽어 주세요.",
    .cover_alt = "표지",
    .episode_fmt = "%lld화. %s",
};
static const epub_labels labels_en = {
    .toc = "Contents",
    .bought_by_fmt = "Bought by %s.",
    .drm_free = "This e-book comes without DRM. Please keep it for your own reading.",
    .cover_alt = "Cover",
    .episode_fmt = "Episode %lld. %s",
};

const epub_labels *epub_labels_for(const char *lang)
{
	return lang && strcmp(lang, "ko") == 0 ? &labels_ko : &labels_en;
}

void epub_chapter_href(char out[32], int64_t number)
{
	snprintf(out, 32, "ep%lld.xhtml", (long long)number);
}

const char *epub_cover_ext(const char *mime)
{
	if (mime && strcmp(mime, "image/png") == 0)
		return "png";
	if (mime && strcmp(mime, "image/jpeg") == 0)
		return "jpg";
	if (mime && strcmp(mime, "image/svg+xml") == 0)
		return "svg";
	return NULL;
}

xmlTextWriterPtr epub_xml_begin(xmlBufferPtr *buf)
{
	xmlTextWriterPtr w;

	if (!(*buf = xmlBufferCreate()))
		return NULL;
	if (!(w = xmlNewTextWriterMemory(*buf, 0))) {
		xmlBufferFree(*buf);
		*buf = NULL;
		return NULL;
	}
	xmlTextWriterSetIndent(w, 1);
	if (xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL) < 0) {
		xmlFreeTextWriter(w);
		xmlBufferFree(*buf);
		*buf = NULL;
		return NULL;
	}
	return w;
}

int epub_xml_end(epub_part *part, const char *name, xmlBufferPtr buf, xmlTextWriterPtr w, int rc)
{
	if (rc >= 0)
		rc = xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w); /* flushes into buf */
	if (rc >= 0) {
		part->len = (size_t)xmlBufferLength(buf);
		if ((part->data = malloc(part->len + 1))) {
			memcpy(part->data, xmlBufferContent(buf), part->len);
			part->data[part->len] = '\0';
			snprintf(part->name, sizeof(part->name), "%s", name);
		} else {
			rc = -1;
		}
	}
	xmlBufferFree(buf);
	return rc < 0 ? -1 : 0;
}

int epub_el(xmlTextWriterPtr w, const char *name, const char *text)
{
	return xmlTextWriterWriteElement(w, x(name), x(text ? text : ""));
}

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, x(name), x(value));
}

int epub_xhtml_open(xmlTextWriterPtr w, const char *lang, const char *title)
{
	if (xmlTextWriterWriteDTD(w, x("html"), NULL, NULL, NULL) < 0 ||
	    xmlTextWriterStartElementNS(w, NULL, x("html"), x(XHTML_NS)) < 0 ||
	    xmlTextWriterWriteAttributeNS(w, x("xmlns"), x("epub"), NULL, x(OPS_NS)) < 0 ||
	    attr(w, "lang", lang) < 0 || attr(w, "xml:lang", lang) < 0 ||
	    xmlTextWriterStartElement(w, x("head")) < 0 ||
	    xmlTextWriterStartElement(w, x("meta")) < 0 || attr(w, "charset", "UTF-8") < 0 ||
	    xmlTextWriterEndElement(w) < 0 || epub_el(w, "title", title) < 0 ||
	    xmlTextWriterStartElement(w, x("link")) < 0 || attr(w, "rel", "stylesheet") < 0 ||
	    attr(w, "type", "text/css") < 0 || attr(w, "href", "style.css") < 0 ||
	    xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0)
		return -1;
	return xmlTextWriterStartElement(w, x("body"));
}

int epub_xhtml_close(xmlTextWriterPtr w)
{
	if (xmlTextWriterEndElement(w) < 0) /* body */
		return -1;
	return xmlTextWriterEndElement(w); /* html */
}

void epub_chapter_label(char *out, size_t cap, const ebook_doc *d, const ebook_chapter *c)
{
	snprintf(out, cap, epub_labels_for(d->lang)->episode_fmt, (long long)c->number,
		 c->title ? c->title : "");
}

static void rfc3339(char out[32], int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int item(xmlTextWriterPtr w, const char *id, const char *href, const char *type,
		const char *props)
{
	if (xmlTextWriterStartElement(w, x("item")) < 0 || attr(w, "id", id) < 0 ||
	    attr(w, "href", href) < 0 || attr(w, "media-type", type) < 0 ||
	    (props && attr(w, "properties", props) < 0))
		return -1;
	return xmlTextWriterEndElement(w);
}

static int itemref(xmlTextWriterPtr w, const char *idref)
{
	if (xmlTextWriterStartElement(w, x("itemref")) < 0 || attr(w, "idref", idref) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

static int opf_metadata(xmlTextWriterPtr w, const ebook_doc *d)
{
	char modified[32];

	rfc3339(modified, d->modified);
	if (xmlTextWriterStartElement(w, x("metadata")) < 0 ||
	    xmlTextWriterWriteAttributeNS(w, x("xmlns"), x("dc"), NULL, x(DC_NS)) < 0 ||
	    xmlTextWriterStartElement(w, x("dc:identifier")) < 0 || attr(w, "id", "pub-id") < 0 ||
	    xmlTextWriterWriteString(w, x(d->identifier)) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    epub_el(w, "dc:title", d->title) < 0 || epub_el(w, "dc:creator", d->author) < 0 ||
	    epub_el(w, "dc:language", d->lang) < 0 ||
	    (d->summary && d->summary[0] && epub_el(w, "dc:description", d->summary) < 0) ||
	    xmlTextWriterStartElement(w, x("meta")) < 0 ||
	    attr(w, "property", "dcterms:modified") < 0 ||
	    xmlTextWriterWriteString(w, x(modified)) < 0 || xmlTextWriterEndElement(w) < 0)
		return -1;
	if (d->cover &&
	    (xmlTextWriterStartElement(w, x("meta")) < 0 || attr(w, "name", "cover") < 0 ||
	     attr(w, "content", "cover-image") < 0 || xmlTextWriterEndElement(w) < 0))
		return -1;
	return xmlTextWriterEndElement(w);
}

static int opf_manifest(xmlTextWriterPtr w, const ebook_doc *d)
{
	char href[32], id[32];

	if (xmlTextWriterStartElement(w, x("manifest")) < 0 ||
	    item(w, "nav", "nav.xhtml", "application/xhtml+xml", "nav") < 0 ||
	    item(w, "ncx", "toc.ncx", "application/x-dtbncx+xml", NULL) < 0 ||
	    item(w, "css", "style.css", "text/css", NULL) < 0 ||
	    item(w, "title-page", "title.xhtml", "application/xhtml+xml", NULL) < 0)
		return -1;
	if (d->cover) {
		snprintf(href, sizeof(href), "cover.%s", epub_cover_ext(d->cover_mime));
		if (item(w, "cover-image", href, d->cover_mime, "cover-image") < 0)
			return -1;
	}
	for (size_t i = 0; i < d->n; i++) {
		epub_chapter_href(href, d->chapters[i].number);
		snprintf(id, sizeof(id), "ep%lld", (long long)d->chapters[i].number);
		if (item(w, id, href, "application/xhtml+xml", NULL) < 0)
			return -1;
	}
	return xmlTextWriterEndElement(w);
}

int epub_opf(epub_part *part, const ebook_doc *d)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w = epub_xml_begin(&buf);
	char id[32];
	int rc;

	if (!w)
		return -1;
	rc = xmlTextWriterStartElementNS(w, NULL, x("package"), x(OPF_NS)) < 0 ||
		     attr(w, "version", "3.0") < 0 || attr(w, "unique-identifier", "pub-id") < 0 ||
		     attr(w, "xml:lang", d->lang) < 0 || opf_metadata(w, d) < 0 ||
		     opf_manifest(w, d) < 0 || xmlTextWriterStartElement(w, x("spine")) < 0 ||
		     attr(w, "toc", "ncx") < 0 || itemref(w, "title-page") < 0 ||
		     itemref(w, "nav") < 0
		 ? -1
		 : 0;
	for (size_t i = 0; rc == 0 && i < d->n; i++) {
		snprintf(id, sizeof(id), "ep%lld", (long long)d->chapters[i].number);
		rc = itemref(w, id);
	}
	if (rc == 0 && (xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0))
		rc = -1;
	return epub_xml_end(part, "content.opf", buf, w, rc);
}

static int nav_point(xmlTextWriterPtr w, const ebook_doc *d, size_t i)
{
	char id[32], order[24], href[32], label[1200];

	snprintf(id, sizeof(id), "np%zu", i + 1);
	snprintf(order, sizeof(order), "%zu", i + 1);
	epub_chapter_href(href, d->chapters[i].number);
	epub_chapter_label(label, sizeof(label), d, &d->chapters[i]);
	if (xmlTextWriterStartElement(w, x("navPoint")) < 0 || attr(w, "id", id) < 0 ||
	    attr(w, "playOrder", order) < 0 || xmlTextWriterStartElement(w, x("navLabel")) < 0 ||
	    epub_el(w, "text", label) < 0 || xmlTextWriterEndElement(w) < 0 ||
	    xmlTextWriterStartElement(w, x("content")) < 0 || attr(w, "src", href) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

static int ncx_meta(xmlTextWriterPtr w, const char *name, const char *content)
{
	if (xmlTextWriterStartElement(w, x("meta")) < 0 || attr(w, "name", name) < 0 ||
	    attr(w, "content", content) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

int epub_ncx(epub_part *part, const ebook_doc *d)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w = epub_xml_begin(&buf);
	int rc;

	if (!w)
		return -1;
	rc = xmlTextWriterStartElementNS(w, NULL, x("ncx"), x(NCX_NS)) < 0 ||
		     attr(w, "version", "2005-1") < 0 || attr(w, "xml:lang", d->lang) < 0 ||
		     xmlTextWriterStartElement(w, x("head")) < 0 ||
		     ncx_meta(w, "dtb:uid", d->identifier) < 0 ||
		     ncx_meta(w, "dtb:depth", "1") < 0 ||
		     ncx_meta(w, "dtb:totalPageCount", "0") < 0 ||
		     ncx_meta(w, "dtb:maxPageNumber", "0") < 0 || xmlTextWriterEndElement(w) < 0 ||
		     xmlTextWriterStartElement(w, x("docTitle")) < 0 ||
		     epub_el(w, "text", d->title) < 0 || xmlTextWriterEndElement(w) < 0 ||
		     xmlTextWriterStartElement(w, x("navMap")) < 0
		 ? -1
		 : 0;
	for (size_t i = 0; rc == 0 && i < d->n; i++)
		rc = nav_point(w, d, i);
	if (rc == 0 && (xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0))
		rc = -1;
	return epub_xml_end(part, "toc.ncx", buf, w, rc);
}

static int toc_li(xmlTextWriterPtr w, const ebook_doc *d, const ebook_chapter *c)
{
	char href[32], label[1200];

	epub_chapter_href(href, c->number);
	epub_chapter_label(label, sizeof(label), d, c);
	if (xmlTextWriterStartElement(w, x("li")) < 0 || xmlTextWriterStartElement(w, x("a")) < 0 ||
	    attr(w, "href", href) < 0 || xmlTextWriterWriteString(w, x(label)) < 0 ||
	    xmlTextWriterEndElement(w) < 0)
		return -1;
	return xmlTextWriterEndElement(w);
}

int epub_nav(epub_part *part, const ebook_doc *d)
{
	const epub_labels *l = epub_labels_for(d->lang);
	xmlBufferPtr buf;
	xmlTextWriterPtr w = epub_xml_begin(&buf);
	int rc;

	if (!w)
		return -1;
	rc = epub_xhtml_open(w, d->lang, l->toc) < 0 ||
		     xmlTextWriterStartElement(w, x("nav")) < 0 ||
		     xmlTextWriterWriteAttributeNS(w, x("epub"), x("type"), NULL, x("toc")) < 0 ||
		     attr(w, "id", "toc") < 0 || epub_el(w, "h1", l->toc) < 0 ||
		     xmlTextWriterStartElement(w, x("ol")) < 0
		 ? -1
		 : 0;
	for (size_t i = 0; rc == 0 && i < d->n; i++)
		rc = toc_li(w, d, &d->chapters[i]);
	if (rc == 0 && (xmlTextWriterEndElement(w) < 0 || xmlTextWriterEndElement(w) < 0 ||
			epub_xhtml_close(w) < 0))
		rc = -1;
	return epub_xml_end(part, "nav.xhtml", buf, w, rc);
}
