/*
 * The texts of the mails the platform sends, in Korean (the default) or
 * English ("en"). Pure: links and names come in, subject and text go out.
 */
#ifndef WL_DOMAIN_MAIL_TEXT_H
#define WL_DOMAIN_MAIL_TEXT_H

#include "domain/common/strbuf.h"

/* 1 for "en" (English), 0 for anything else (Korean). */
int mail_text_english(const char *lang);

void mail_text_password_reset(strbuf *subject, strbuf *text, const char *lang, const char *name,
			      const char *link, int minutes);
void mail_text_email_confirm(strbuf *subject, strbuf *text, const char *lang, const char *name,
			     const char *new_email, const char *link, int hours);
void mail_text_email_changed(strbuf *subject, strbuf *text, const char *lang, const char *name,
			     const char *new_email);

#endif
