#include "domain/mail/mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"

mail_config mail_config_default(void)
{
	return (mail_config){
	    .retry_first_ms = 2000,
	    .retry_max_ms = 5 * 60 * 1000,
	    .lease_ms = 2 * 60 * 1000,
	    .batch = 20,
	};
}

void mail_service_init(mail_service *svc, const mail_deps *deps, const mail_config *cfg)
{
	svc->d = *deps;
	svc->cfg = cfg ? *cfg : mail_config_default();
	if (svc->cfg.batch == 0 || svc->cfg.batch > 100)
		svc->cfg.batch = 20;
}

void mail_item_dispose(mail_item *m)
{
	if (!m)
		return;
	free(m->to);
	free(m->subject);
	free(m->text);
	free(m->unsubscribe_url);
	m->to = m->subject = m->text = m->unsubscribe_url = NULL;
}

const char *mail_status_name(mail_status s)
{
	return s == MAIL_SENT ? "sent" : s == MAIL_FAILED ? "failed" : "queued";
}

int mail_sending_enabled(const mail_service *svc)
{
	return svc->d.transport.vtbl != NULL;
}

static int valid_text(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= max && text_utf8_valid(s, n);
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = 1;
	return d;
}

int mail_enqueue_in(int64_t *id, mail_service *svc, uow_tx *tx, const mail_draft *d, app_err *err)
{
	mail_item m;
	int oom = 0, rc;

	if (!d->to || !text_email_plausible(d->to))
		return app_err_set(err, APP_EINVALID, NULL, "to",
				   "the recipient is not an address");
	if (!valid_text(d->subject, MAIL_SUBJECT_MAX) || strpbrk(d->subject, "\r\n"))
		return app_err_set(err, APP_EINVALID, NULL, "subject",
				   "the subject is not one line");
	if (!valid_text(d->text, MAIL_TEXT_MAX))
		return app_err_set(err, APP_EINVALID, NULL, "text",
				   "the text is empty or too long");
	memset(&m, 0, sizeof(m));
	snprintf(m.kind, sizeof(m.kind), "%s", d->kind ? d->kind : "mail");
	m.member_id = d->member_id;
	m.to = dup_or_null(d->to, &oom);
	m.subject = dup_or_null(d->subject, &oom);
	m.text = dup_or_null(d->text, &oom);
	m.unsubscribe_url = dup_or_null(d->unsubscribe_url, &oom);
	m.status = MAIL_QUEUED;
	m.created_at = m.next_attempt_at = clock_now_ms(&svc->d.clock);
	rc = oom ? app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory")
		 : mail_repo_insert(&svc->d.mails, tx, &m, err);
	if (rc == 0 && id)
		*id = m.id;
	mail_item_dispose(&m);
	return rc;
}

static int64_t retry_wait(const mail_service *svc, int attempts)
{
	int64_t wait = svc->cfg.retry_first_ms > 0 ? svc->cfg.retry_first_ms : 1;

	for (int i = 1; i < attempts && wait < svc->cfg.retry_max_ms; i++)
		wait *= 2;
	return wait < svc->cfg.retry_max_ms ? wait : svc->cfg.retry_max_ms;
}

/* Sends one claimed message and records what happened, in a unit of its own. */
static int deliver_one(mail_pass *out, mail_service *svc, mail_item *m, app_err *err)
{
	char mid[40];
	mail_message msg;
	app_err send_err;
	uow_tx *tx;
	int rc, sent;

	snprintf(mid, sizeof(mid), "wl-mail-%lld", (long long)m->id);
	msg = (mail_message){.to = m->to,
			     .subject = m->subject,
			     .text = m->text,
			     .message_id = mid,
			     .unsubscribe_url = m->unsubscribe_url};
	app_err_clear(&send_err);
	rc = mail_transport_send(&svc->d.transport, &msg, &send_err);
	sent = rc == 0;
	m->attempts++;
	if (sent) {
		m->status = MAIL_SENT;
		m->sent_at = clock_now_ms(&svc->d.clock);
		m->last_error[0] = '\0';
		out->sent++;
	} else if (rc == APP_EDECLINED || rc == APP_EINVALID) {
		m->status = MAIL_FAILED;
		snprintf(m->last_error, sizeof(m->last_error), "%s", send_err.msg);
		out->failed++;
	} else {
		m->next_attempt_at = clock_now_ms(&svc->d.clock) + retry_wait(svc, m->attempts);
		snprintf(m->last_error, sizeof(m->last_error), "%s", send_err.msg);
		out->retried++;
	}
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, mail_repo_record(&svc->d.mails, tx, m, err), err);
}

int mail_deliver_due(mail_pass *out, mail_service *svc, app_err *err)
{
	mail_item items[100];
	size_t n = 0;
	uow_tx *tx;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!mail_sending_enabled(svc))
		return 0;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = mail_repo_claim_due(items, &n, &svc->d.mails, tx, clock_now_ms(&svc->d.clock),
				 svc->cfg.lease_ms, svc->cfg.batch, err);
	if (rc) {
		uow_rollback(tx);
		return rc;
	}
	if ((rc = uow_commit(tx, err))) {
		for (size_t i = 0; i < n; i++)
			mail_item_dispose(&items[i]);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		if (rc == 0)
			rc = deliver_one(out, svc, &items[i], err);
		mail_item_dispose(&items[i]);
	}
	return rc;
}

int mail_counts_get(mail_counts *out, mail_service *svc, app_err *err)
{
	return mail_repo_counts(out, &svc->d.mails, NULL, err);
}

int mail_get(mail_item *out, mail_service *svc, int64_t id, app_err *err)
{
	return mail_repo_find(out, &svc->d.mails, NULL, id, err);
}
