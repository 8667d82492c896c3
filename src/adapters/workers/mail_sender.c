#include "adapters/workers/mail_sender.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "domain/common/log.h"

struct mail_sender {
	mail_service *mail;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stopping, kicked;
};

static void log_pass(const mail_pass *p, const app_err *err, int rc)
{
	log_line l;

	if (rc) {
		log_error("mail pass failed", err);
	} else if (p->sent || p->retried || p->failed) {
		log_begin(&l, p->retried || p->failed ? "warn" : "info", "mail");
		log_int(&l, "sent", p->sent);
		log_int(&l, "retried", p->retried);
		log_int(&l, "failed", p->failed);
		log_end(&l);
	}
}

static void *sender_main(void *arg)
{
	mail_sender *s = arg;

	for (;;) {
		struct timespec ts;
		mail_pass pass;
		app_err err;
		int rc;

		app_err_clear(&err);
		rc = mail_deliver_due(&pass, s->mail, &err);
		log_pass(&pass, &err, rc);
		pthread_mutex_lock(&s->lock);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		/* a full batch: more is due at once */
		while (!s->kicked && !s->stopping && pass.sent + pass.retried + pass.failed < 20)
			if (pthread_cond_timedwait(&s->cond, &s->lock, &ts) == ETIMEDOUT)
				break;
		s->kicked = 0;
		if (s->stopping) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		pthread_mutex_unlock(&s->lock);
	}
}

int mail_sender_start(mail_sender **out, mail_service *mail, app_err *err)
{
	mail_sender *s;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	s->mail = mail;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
		pthread_cond_destroy(&s->cond);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "cannot start the mail sender");
	}
	*out = s;
	return 0;
}

void mail_sender_wake(mail_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->kicked = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
}

void mail_sender_stop(mail_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cond);
	pthread_mutex_destroy(&s->lock);
	free(s);
}
