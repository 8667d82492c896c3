#include "app/mailing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "adapters/smtp/smtp.h"
#include "adapters/workers/mail_sender.h"
#include "domain/mail/mail_text.h"
#include "domain/common/log.h"

static smtp_tls tls_of(const char *s)
{
	if (!strcmp(s, "try"))
		return SMTP_TLS_TRY;
	if (!strcmp(s, "none"))
		return SMTP_TLS_NONE;
	return SMTP_TLS_STARTTLS;
}

int app_mailing_open(app_mailing *m, const app_config *cfg, mail_repo repo, uow u, clock_port clock,
		     app_err *err)
{
	mail_config mc = mail_config_default();
	mail_deps d = {.mails = repo, .uow = u, .clock = clock};
	int rc;

	memset(m, 0, sizeof(*m));
	if (cfg->smtp_url[0]) {
		smtp_config sc = {
		    .url = cfg->smtp_url,
		    .from = cfg->smtp_from,
		    .username = cfg->smtp_user[0] ? cfg->smtp_user : NULL,
		    .password = cfg->smtp_password,
		    .ca_file = cfg->smtp_ca_file[0] ? cfg->smtp_ca_file : NULL,
		    .tls = tls_of(cfg->smtp_tls),
		};

		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "cannot start libcurl");
		m->curl_inited = 1;
		if ((rc = smtp_transport_new(&d.transport, &sc, err)))
			return rc;
	}
	mc.retry_max_ms = cfg->smtp_retry_max_s * 1000;
	if (mc.retry_first_ms > mc.retry_max_ms)
		mc.retry_first_ms = mc.retry_max_ms;
	mail_service_init(&m->mail, &d, &mc);
	app_mailing_set_public_url(m, cfg, 0);
	return 0;
}

void app_mailing_set_public_url(app_mailing *m, const app_config *cfg, int port)
{
	size_t n;

	if (cfg->public_url[0]) {
		snprintf(m->public_url, sizeof(m->public_url), "%s", cfg->public_url);
	} else {
		const char *colon = strrchr(cfg->listen, ':');
		int hostlen = colon ? (int)(colon - cfg->listen) : (int)strlen(cfg->listen);

		snprintf(m->public_url, sizeof(m->public_url), "http://%.*s:%d", hostlen,
			 cfg->listen, port ? port : (colon ? atoi(colon + 1) : 80));
	}
	n = strlen(m->public_url);
	while (n && m->public_url[n - 1] == '/')
		m->public_url[--n] = '\0';
}

void app_mailing_link(char *out, size_t cap, const app_mailing *m, const char *path,
		      const char *query_name, const char *query_value)
{
	snprintf(out, cap, "%s%s%s%s%s%s", m->public_url, path, query_name ? "?" : "",
		 query_name ? query_name : "", query_name ? "=" : "",
		 query_value ? query_value : "");
}

int app_mailing_start(app_mailing *m, app_err *err)
{
	if (!mail_sending_enabled(&m->mail)) {
		log_line l;

		log_begin(&l, "warn", "e-mail is off: set --smtp-url; mail waits in the outbox");
		log_end(&l);
		return 0;
	}
	return mail_sender_start(&m->sender, &m->mail, err);
}

void app_mailing_wake(app_mailing *m)
{
	mail_sender_wake(m->sender);
}

void app_mailing_close(app_mailing *m)
{
	mail_sender_stop(m->sender);
	m->sender = NULL;
	mail_transport_destroy(&m->mail.d.transport);
	if (m->curl_inited) {
		curl_global_cleanup();
		m->curl_inited = 0;
	}
}

/* --- the account mails ---------------------------------------------------------------------------
 */

static int enqueue(app_mailing *m, uow_tx *tx, const char *kind, int64_t member_id, const char *to,
		   strbuf *subject, strbuf *text, app_err *err)
{
	mail_draft d = {.kind = kind, .member_id = member_id, .to = to};
	int rc;

	if (subject->oom || text->oom)
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	else {
		d.subject = subject->s;
		d.text = text->s;
		rc = mail_enqueue_in(NULL, &m->mail, tx, &d, err);
	}
	strbuf_dispose(subject);
	strbuf_dispose(text);
	return rc;
}

static int am_password_reset(void *self, uow_tx *tx, const member *mb, const char *token,
			     const char *lang, app_err *err)
{
	app_mailing *m = self;
	strbuf subject = {0}, text = {0};
	char link[1024];

	app_mailing_link(link, sizeof(link), m, "/reset-password", "token", token);
	mail_text_password_reset(&subject, &text, lang, mb->name, link, 30);
	return enqueue(m, tx, "password_reset", mb->id, mb->email, &subject, &text, err);
}

static int am_email_confirm(void *self, uow_tx *tx, const member *mb, const char *new_email,
			    const char *token, const char *lang, app_err *err)
{
	app_mailing *m = self;
	strbuf subject = {0}, text = {0};
	char link[1024];

	app_mailing_link(link, sizeof(link), m, "/confirm-email", "token", token);
	mail_text_email_confirm(&subject, &text, lang, mb->name, new_email, link, 24);
	return enqueue(m, tx, "email_confirm", mb->id, new_email, &subject, &text, err);
}

static int am_email_changed(void *self, uow_tx *tx, const member *mb, const char *old_email,
			    const char *lang, app_err *err)
{
	app_mailing *m = self;
	strbuf subject = {0}, text = {0};

	mail_text_email_changed(&subject, &text, lang, mb->name, mb->email);
	return enqueue(m, tx, "email_changed", mb->id, old_email, &subject, &text, err);
}

static const account_mail_vtbl am_vtbl = {
    .password_reset = am_password_reset,
    .email_confirm = am_email_confirm,
    .email_changed = am_email_changed,
};

account_mail app_account_mail(app_mailing *m)
{
	return (account_mail){.vtbl = &am_vtbl, .self = m};
}
