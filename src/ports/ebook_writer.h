/*
 * E-book writer: a DRM-free EPUB 3 of a work from plain values. The caller
 * decides what goes in (only the episodes the buyer owns); the writer only
 * packages it, escaping everything.
 */
#ifndef WL_PORT_EBOOK_WRITER_H
#define WL_PORT_EBOOK_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"

typedef struct ebook_chapter {
	int64_t number;	   /* the episode's */
	const char *title; /* text */
	const char *text;  /* the episode's text: paragraphs split at line breaks */
} ebook_chapter;

typedef struct ebook_doc {
	const char *identifier; /* unique and permanent, e.g. an URN */
	const char *title, *author;
	const char *lang;    /* "ko" or "en": also the language of the labels */
	const char *buyer;   /* the member's name, set on the title page */
	const char *summary; /* may be NULL */
	const void *cover;   /* may be NULL */
	size_t cover_len;
	const char *cover_mime; /* "image/png", "image/jpeg" or "image/svg+xml" */
	int64_t modified;	/* ms since the epoch */
	const ebook_chapter *chapters;
	size_t n; /* at least 1 */
} ebook_doc;

typedef struct ebook_writer_vtbl {
	/* The EPUB file in *out (malloc'd, *len bytes). APP_EINVALID, APP_ENOMEM. */
	int (*epub)(void **out, size_t *len, void *self, const ebook_doc *doc, app_err *err);
} ebook_writer_vtbl;

typedef struct ebook_writer {
	const ebook_writer_vtbl *vtbl;
	void *self;
} ebook_writer;

static inline int ebook_write_epub(void **out, size_t *len, const ebook_writer *w,
				   const ebook_doc *doc, app_err *err)
{
	return w->vtbl->epub(out, len, w->self, doc, err);
}

#endif
