/*
 * The mails of the account use cases, written into the caller's unit of work
 * (the token and its mail land together). The implementation composes the
 * text and the links; the members core only says what happened.
 */
#ifndef WL_PORT_ACCOUNT_MAIL_H
#define WL_PORT_ACCOUNT_MAIL_H

#include "domain/common/err.h"
#include "domain/members/member.h"
#include "ports/uow.h"

typedef struct account_mail_vtbl {
	/* A link to set a new password with token, to m's address. */
	int (*password_reset)(void *self, uow_tx *tx, const member *m, const char *token,
			      const char *lang, app_err *err);
	/* A link to confirm new_email with token, to new_email. */
	int (*email_confirm)(void *self, uow_tx *tx, const member *m, const char *new_email,
			     const char *token, const char *lang, app_err *err);
	/* A notice to old_email that the account's address is now m->email. */
	int (*email_changed)(void *self, uow_tx *tx, const member *m, const char *old_email,
			     const char *lang, app_err *err);
} account_mail_vtbl;

typedef struct account_mail {
	const account_mail_vtbl *vtbl;
	void *self;
} account_mail;

static inline int account_mail_password_reset(const account_mail *a, uow_tx *tx, const member *m,
					      const char *token, const char *lang, app_err *err)
{
	return a->vtbl->password_reset(a->self, tx, m, token, lang, err);
}
static inline int account_mail_email_confirm(const account_mail *a, uow_tx *tx, const member *m,
					     const char *new_email, const char *token,
					     const char *lang, app_err *err)
{
	return a->vtbl->email_confirm(a->self, tx, m, new_email, token, lang, err);
}
static inline int account_mail_email_changed(const account_mail *a, uow_tx *tx, const member *m,
					     const char *old_email, const char *lang, app_err *err)
{
	return a->vtbl->email_changed(a->self, tx, m, old_email, lang, err);
}

#endif
