/*
 * View recorder: reads are gathered here (in memory) and written in one
 * transaction per short interval by books_flush_views(), so serving a text
 * never waits for the database's write lock.
 */
#ifndef WL_PORT_VIEW_RECORDER_H
#define WL_PORT_VIEW_RECORDER_H

#include "ports/book_repo.h"

typedef struct view_recorder_vtbl {
	/* Queues a view; duplicates within one interval collapse. */
	int (*record)(void *self, const book_view *v, app_err *err);
} view_recorder_vtbl;

typedef struct view_recorder {
	const view_recorder_vtbl *vtbl;
	void *self;
} view_recorder;

static inline int view_recorder_record(const view_recorder *r, const book_view *v, app_err *err)
{
	return r->vtbl->record(r->self, v, err);
}

#endif
