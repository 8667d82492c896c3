/* The EPUB writer's XML documents (libxml2's xmlTextWriter). Internal to the adapter. */
#ifndef WL_ADAPTER_EPUB_INTERNAL_H
#define WL_ADAPTER_EPUB_INTERNAL_H

#include <stddef.h>

#include <libxml/xmlwriter.h>

#include "ports/ebook_writer.h"

/* One file of the package: its name inside OEBPS/ and its bytes (malloc'd). */
typedef struct epub_part {
	char name[32];
	char *data;
	size_t len;
} epub_part;

/* The href of a chapter ("ep12.xhtml"), of the cover ("cover.png") and its extension. */
void epub_chapter_href(char out[32], int64_t number);
const char *epub_cover_ext(const char *mime);
/* "12화. Title" / "Episode 12. Title" */
void epub_chapter_label(char *out, size_t cap, const ebook_doc *d, const ebook_chapter *c);

/* Each fills part (name and bytes). -1 when libxml2 refuses (text XML cannot carry, memory). */
int epub_opf(epub_part *part, const ebook_doc *d);
int epub_ncx(epub_part *part, const ebook_doc *d);
int epub_nav(epub_part *part, const ebook_doc *d);
int epub_title_page(epub_part *part, const ebook_doc *d);
int epub_chapter(epub_part *part, const ebook_doc *d, const ebook_chapter *c);

/* Shared by the documents: a writer into memory, and the XHTML frame. */
xmlTextWriterPtr epub_xml_begin(xmlBufferPtr *buf);
int epub_xml_end(epub_part *part, const char *name, xmlBufferPtr buf, xmlTextWriterPtr w, int rc);
int epub_xhtml_open(xmlTextWriterPtr w, const char *lang, const char *title);
int epub_xhtml_close(xmlTextWriterPtr w);
int epub_el(xmlTextWriterPtr w, const char *name, const char *text);

/* The labels in the book's language: "ko" or anything else (English). */
typedef struct epub_labels {
	const char *toc, *bought_by_fmt, *drm_free, *cover_alt, *episode_fmt;
} epub_labels;
const epub_labels *epub_labels_for(const char *lang);

#endif
