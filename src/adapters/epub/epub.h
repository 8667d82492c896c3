/* The e-book writer on libzip and libxml2's xmlTextWriter: EPUB 3 with an NCX. */
#ifndef WL_ADAPTER_EPUB_H
#define WL_ADAPTER_EPUB_H

#include "ports/ebook_writer.h"

/* Stateless: one writer serves every thread. */
ebook_writer epub_writer(void);

#endif
