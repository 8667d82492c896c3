/* The feed writer on libxml2's xmlTextWriter (which escapes for us). */
#ifndef WL_ADAPTER_XML_FEED_H
#define WL_ADAPTER_XML_FEED_H

#include "ports/feed_writer.h"

/* Stateless: one writer serves every thread. */
feed_writer xml_feed_writer(void);

#endif
