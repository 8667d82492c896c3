/* Mail queue: another core's way to have a message sent, inside its own unit of work. */
#ifndef WL_PORT_MAIL_QUEUE_H
#define WL_PORT_MAIL_QUEUE_H

#include <stdint.h>

#include "domain/common/err.h"
#include "domain/mail/mail_item.h"
#include "ports/uow.h"

typedef struct mail_queue_vtbl {
	/* Queues d in tx (it goes only if tx commits); APP_EINVALID for a bad draft. */
	int (*enqueue)(void *self, uow_tx *tx, const mail_draft *d, int64_t *id, app_err *err);
} mail_queue_vtbl;

typedef struct mail_queue {
	const mail_queue_vtbl *vtbl;
	void *self;
} mail_queue;

static inline int mail_queue_enqueue(const mail_queue *q, uow_tx *tx, const mail_draft *d,
				     int64_t *id, app_err *err)
{
	return q->vtbl->enqueue(q->self, tx, d, id, err);
}

#endif
