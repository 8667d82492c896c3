/*
 * Feed writer: a syndication document (Atom, RFC 4287) from plain values.
 * The caller decides what goes in (only what anonymous readers may see);
 * the writer only writes it, escaping everything.
 */
#ifndef WL_PORT_FEED_WRITER_H
#define WL_PORT_FEED_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"

typedef struct feed_entry {
	const char *id;	     /* an IRI, unique and permanent */
	const char *title;   /* text */
	const char *link;    /* the page to read it on */
	const char *summary; /* text, or NULL */
	int64_t published;   /* ms since the epoch */
	int64_t updated;
	/* OPDS acquisition feeds (all may be NULL): */
	const char *author;	 /* the entry's author */
	const char *acquisition; /* the EPUB's URL (rel http://opds-spec.org/acquisition) */
	const char *image;	 /* the cover's URL (rel http://opds-spec.org/image) */
	const char *image_type;	 /* its media type */
} feed_entry;

typedef struct feed_doc {
	const char *id, *title, *subtitle; /* subtitle may be NULL */
	const char *self_link;		   /* this feed's URL */
	const char *alt_link;		   /* the page it is the feed of */
	const char *author_name;
	const char *lang; /* xml:lang, e.g. "ko" */
	int64_t updated;
	const feed_entry *entries;
	size_t n;
	int opds; /* an OPDS 1.2 acquisition feed: its self and start links say so */
} feed_doc;

typedef struct feed_writer_vtbl {
	/* The Atom document in *out (malloc'd, *len bytes). APP_EINVALID, APP_ENOMEM. */
	int (*atom)(char **out, size_t *len, void *self, const feed_doc *doc, app_err *err);
} feed_writer_vtbl;

typedef struct feed_writer {
	const feed_writer_vtbl *vtbl;
	void *self;
} feed_writer;

static inline int feed_write_atom(char **out, size_t *len, const feed_writer *w,
				  const feed_doc *doc, app_err *err)
{
	return w->vtbl->atom(out, len, w->self, doc, err);
}

#endif
