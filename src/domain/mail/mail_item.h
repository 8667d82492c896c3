/* One message of the mail outbox. */
#ifndef WL_DOMAIN_MAIL_ITEM_H
#define WL_DOMAIN_MAIL_ITEM_H

#include <stdint.h>

typedef enum { MAIL_QUEUED = 0, MAIL_SENT = 1, MAIL_FAILED = 2 } mail_status;

typedef struct mail_item {
	int64_t id;
	char kind[24];	   /* "password_reset", "email_confirm", "email_changed", "digest" */
	int64_t member_id; /* 0: none */
	char *to, *subject, *text, *unsubscribe_url; /* owned; unsubscribe_url may be NULL */
	mail_status status;
	int attempts;
	int64_t next_attempt_at, created_at, sent_at;
	char last_error[200];
} mail_item;

/* What a use case wants sent; strings are copied. */
typedef struct mail_draft {
	const char *kind;
	int64_t member_id;
	const char *to, *subject, *text;
	const char *unsubscribe_url; /* NULL: none */
} mail_draft;

/* Frees the strings; m itself is the caller's. NULL is fine. */
void mail_item_dispose(mail_item *m);

const char *mail_status_name(mail_status s);

#endif
