/*
 * Mail transport: hands one finished message to the operator's relay. The
 * durable outbox (domain/mail) calls it outside any unit of work and records
 * the outcome; the transport itself keeps nothing.
 */
#ifndef WL_PORT_MAIL_TRANSPORT_H
#define WL_PORT_MAIL_TRANSPORT_H

#include "domain/common/err.h"

/* One message; every string UTF-8 and borrowed for the call. */
typedef struct mail_message {
	const char *to;		     /* one address */
	const char *subject;	     /* one line */
	const char *text;	     /* plain text body, '\n' line ends */
	const char *message_id;	     /* stable across resends ("wl-42"): receivers may dedupe */
	const char *unsubscribe_url; /* NULL: no List-Unsubscribe header */
} mail_message;

typedef struct mail_transport_vtbl {
	/*
	 * Sends m. APP_EUPSTREAM or APP_ETIMEOUT: the relay is unreachable,
	 * refused for now (4xx) or the TLS/authentication set-up failed, try
	 * again later; APP_EDECLINED: the relay refused this message for good
	 * (5xx for the recipient or the content); APP_EINVALID: m cannot be
	 * sent (a header would carry a line break, no recipient).
	 */
	int (*send)(void *self, const mail_message *m, app_err *err);
	void (*destroy)(void *self);
} mail_transport_vtbl;

typedef struct mail_transport {
	const mail_transport_vtbl *vtbl;
	void *self;
} mail_transport;

static inline int mail_transport_send(const mail_transport *t, const mail_message *m, app_err *err)
{
	return t->vtbl->send(t->self, m, err);
}

static inline void mail_transport_destroy(mail_transport *t)
{
	if (t->vtbl && t->vtbl->destroy)
		t->vtbl->destroy(t->self);
	t->vtbl = NULL;
	t->self = NULL;
}

#endif
