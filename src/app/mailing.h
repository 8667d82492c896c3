/*
 * E-mail wiring: the relay transport (--smtp-url), the mail outbox core, the
 * sender thread that delivers what is due (adapters/workers/mail_sender.h),
 * and the account mails (links to --public-url) the members core writes
 * through its account_mail port.
 */
#ifndef WL_APP_MAILING_H
#define WL_APP_MAILING_H

#include "adapters/workers/mail_sender.h"
#include "app/config.h"
#include "domain/mail/mail.h"
#include "ports/account_mail.h"
#include "ports/mail_repo.h"

typedef struct app_mailing {
	mail_service mail;
	char public_url[512]; /* no trailing '/' */
	mail_sender *sender;
	int curl_inited;
} app_mailing;

/*
 * Builds the transport (none without --smtp-url: messages wait) and the
 * mail core over repo and u (the bus's unit of work), without threads.
 */
int app_mailing_open(app_mailing *m, const app_config *cfg, mail_repo repo, uow u, clock_port clock,
		     app_err *err);

/* The links' base once the listening port is known (port: the bound one). */
void app_mailing_set_public_url(app_mailing *m, const app_config *cfg, int port);

/* Starts the sender thread: a pass every second (and at once when woken). */
int app_mailing_start(app_mailing *m, app_err *err);
/* A message was queued: the sender looks now. Safe from any thread, also before start. */
void app_mailing_wake(app_mailing *m);
/* Stops the sender (the message in flight finishes) and frees the transport. */
void app_mailing_close(app_mailing *m);

/* The members core's account mails into the outbox; m must outlive the port. */
account_mail app_account_mail(app_mailing *m);

/* "https://host/path?token=..." for a link of the platform, into out. */
void app_mailing_link(char *out, size_t cap, const app_mailing *m, const char *path,
		      const char *query_name, const char *query_value);

#endif
