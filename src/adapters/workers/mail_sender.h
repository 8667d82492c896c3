/*
 * The mail sender: a thread that delivers what the mail core has due, a pass
 * every second, at once again after a full batch, and at once when woken (a
 * message was queued). Stopping lets the message in flight finish.
 */
#ifndef WL_MAIL_SENDER_H
#define WL_MAIL_SENDER_H

#include "domain/mail/mail.h"

typedef struct mail_sender mail_sender;

/* Starts the sender of mail (which must outlive it) into *out. */
int mail_sender_start(mail_sender **out, mail_service *mail, app_err *err);
/* The sender looks now; safe from any thread. NULL: nothing. */
void mail_sender_wake(mail_sender *s);
/* Stops and frees the sender. NULL: nothing. */
void mail_sender_stop(mail_sender *s);

#endif
