/*
 * The view buffer: reads are queued in memory (duplicates collapse) and
 * drained into books_flush_views() once a second and at shutdown, so a read
 * never waits for the database's write lock. A crash loses at most the views
 * of the last interval; purchases never go through here.
 */
#ifndef WL_VIEW_BUFFER_H
#define WL_VIEW_BUFFER_H

#include <stddef.h>

#include "ports/view_recorder.h"

typedef struct view_buffer view_buffer;

view_buffer *view_buffer_new(void);
void view_buffer_free(view_buffer *b);
view_recorder view_buffer_recorder(view_buffer *b);

/* Takes everything queued: *out (malloc'd, caller frees) and its count. */
void view_buffer_drain(view_buffer *b, book_view **out, size_t *n);

#endif
