/*
 * The mail outbox core: messages are written in the unit of work of the use
 * case that wants them sent (a password reset and its token, a digest and
 * the notifications it covers), and a delivery pass hands them to the mail
 * transport afterwards, outside any unit: record the intent, call out,
 * record the outcome. A message stays queued until the relay took it: an
 * outage or a 4xx only delays it (retries back off to retry_max_ms, for
 * ever); only a refusal for good (5xx for the recipient or the text) ends it
 * as failed. A crash between sending and recording sends it again once its
 * lease ran out, under the same Message-ID (at least once).
 */
#ifndef WL_DOMAIN_MAIL_H
#define WL_DOMAIN_MAIL_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/mail/mail_item.h"
#include "ports/clock.h"
#include "ports/mail_repo.h"
#include "ports/mail_transport.h"
#include "ports/uow.h"

#define MAIL_SUBJECT_MAX 200   /* bytes */
#define MAIL_TEXT_MAX	 65536 /* bytes */

typedef struct mail_config {
	int64_t retry_first_ms; /* wait after the first failed attempt, doubled; default 2 s */
	int64_t retry_max_ms;	/* the longest wait between attempts; default 5 min */
	int64_t lease_ms;	/* a claimed message is someone's for this long; default 2 min */
	size_t batch;		/* messages per pass; default 20 */
} mail_config;

mail_config mail_config_default(void);

typedef struct mail_deps {
	mail_repo mails;
	uow uow;
	clock_port clock;
	mail_transport transport; /* vtbl NULL: no relay configured, messages wait */
} mail_deps;

typedef struct mail_service {
	mail_deps d;
	mail_config cfg;
} mail_service;

void mail_service_init(mail_service *svc, const mail_deps *deps, const mail_config *cfg);

/*
 * Queues d inside the caller's open unit tx (the message goes only if the
 * unit commits). APP_EINVALID for an empty or over-long subject or text, a
 * recipient that is not an address. *id may be NULL.
 */
int mail_enqueue_in(int64_t *id, mail_service *svc, uow_tx *tx, const mail_draft *d, app_err *err);

typedef struct mail_pass {
	int sent, retried, failed;
} mail_pass;

/*
 * One delivery pass: claims what is due, sends each message, records each
 * outcome. Storage failures are returned; a relay failure is an outcome.
 */
int mail_deliver_due(mail_pass *out, mail_service *svc, app_err *err);

/* 1 when a relay is configured. */
int mail_sending_enabled(const mail_service *svc);

int mail_counts_get(mail_counts *out, mail_service *svc, app_err *err);

/* The stored message (the caller disposes it). APP_ENOTFOUND. */
int mail_get(mail_item *out, mail_service *svc, int64_t id, app_err *err);

#endif
