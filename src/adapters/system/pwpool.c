/*
 * Password hashing on a bounded pool: a crypto port that runs the inner
 * port's hash and verify on `threads` threads of its own, with at most
 * `queue` calls waiting. A call beyond that fails at once with APP_EBUSY
 * (503 busy), so a login storm costs the pool and a few waiting requests,
 * never every HTTP worker. The pool's threads run at a lower priority
 * (nice): argon2id takes whole cores, and every other route keeps answering.
 * Tokens and (keyed) digests are cheap and stay on the caller's thread.
 */
#include "adapters/system/system.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef enum { JOB_HASH, JOB_VERIFY } job_kind;

typedef struct job {
	job_kind kind;
	const char *password, *hash;
	char *out; /* JOB_HASH: CRYPTO_HASH_MAX bytes */
	int rc;	   /* hash: 0 or APP_E*; verify: 1 match, 0 not */
	app_err err;
	int done;
	pthread_cond_t done_cond;
	struct job *next;
} job;

typedef struct pool {
	crypto_port inner;
	system_pwpool_config cfg;
	pthread_mutex_t lock;
	pthread_cond_t work;
	job *head, *tail;
	int queued, stop;
	size_t nthreads;
	pthread_t threads[];
} pool;

static void run_job(pool *p, job *j)
{
	app_err_clear(&j->err);
	if (j->kind == JOB_HASH)
		j->rc = crypto_password_hash(j->out, &p->inner, j->password, &j->err);
	else
		j->rc = crypto_password_verify(&p->inner, j->hash, j->password, &j->err);
}

static void *worker(void *arg)
{
	pool *p = arg;

	/* below the HTTP workers: a hash waits, a catalog page does not (Linux: per thread) */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), p->cfg.nice);
	pthread_mutex_lock(&p->lock);
	for (;;) {
		job *j;

		while (!p->head && !p->stop)
			pthread_cond_wait(&p->work, &p->lock);
		if (!p->head)
			break;
		j = p->head;
		p->head = j->next;
		if (!p->head)
			p->tail = NULL;
		p->queued--;
		pthread_mutex_unlock(&p->lock);
		run_job(p, j);
		pthread_mutex_lock(&p->lock);
		j->done = 1;
		pthread_cond_signal(&j->done_cond);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* Runs j on the pool and waits for it; APP_EBUSY when the queue is full. */
static int submit(pool *p, job *j, app_err *err)
{
	pthread_cond_init(&j->done_cond, NULL);
	j->done = 0;
	j->next = NULL;
	pthread_mutex_lock(&p->lock);
	/* queued counts jobs not yet picked up: `threads` run, `queue` more may wait */
	if (p->queued >= p->cfg.queue) {
		pthread_mutex_unlock(&p->lock);
		pthread_cond_destroy(&j->done_cond);
		return app_err_set(err, APP_EBUSY, "busy", NULL,
				   "password checks are busy; try again in a moment");
	}
	if (p->tail)
		p->tail->next = j;
	else
		p->head = j;
	p->tail = j;
	p->queued++;
	pthread_cond_signal(&p->work);
	while (!j->done)
		pthread_cond_wait(&j->done_cond, &p->lock);
	pthread_mutex_unlock(&p->lock);
	pthread_cond_destroy(&j->done_cond);
	return 0;
}

static int hash_impl(char out[CRYPTO_HASH_MAX], void *self, const char *password, app_err *err)
{
	job j = {.kind = JOB_HASH, .password = password, .out = out};
	int rc = submit(self, &j, err);

	if (rc)
		return rc;
	if (j.rc && err)
		*err = j.err;
	return j.rc;
}

static int verify_impl(void *self, const char *hash, const char *password, app_err *err)
{
	job j = {.kind = JOB_VERIFY, .password = password, .hash = hash};
	int rc = submit(self, &j, err);

	if (rc)
		return rc;
	if (j.rc < 0 && err)
		*err = j.err;
	return j.rc;
}

static int token_impl(char out[CRYPTO_TOKEN_MAX], void *self, app_err *err)
{
	return crypto_token_new(out, &((pool *)self)->inner, err);
}

static void digest_impl(char out[CRYPTO_DIGEST_HEX], void *self, const char *token)
{
	crypto_token_digest(out, &((pool *)self)->inner, token);
}

static void keyed_impl(char out[CRYPTO_KEYED_HEX], void *self, const char *text)
{
	crypto_keyed_digest(out, &((pool *)self)->inner, text);
}

static void content_impl(char out[CRYPTO_DIGEST_HEX], void *self, const void *data, size_t len)
{
	crypto_content_digest(out, &((pool *)self)->inner, data, len);
}

static const crypto_port_vtbl pool_vtbl = {
    .password_hash = hash_impl,
    .password_verify = verify_impl,
    .token_new = token_impl,
    .token_digest = digest_impl,
    .keyed_digest = keyed_impl,
    .content_digest = content_impl,
};

system_pwpool_config system_pwpool_config_default(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	system_pwpool_config c = {.threads = cpus > 0 ? (int)cpus : 1, .nice = 10};

	/* 8 per thread: at ~85 ms an argon2id hash (9 MiB x 4), under a second of waiting */
	c.queue = 8 * c.threads;
	return c;
}

int system_pwpool_new(crypto_port *out, crypto_port inner, const system_pwpool_config *cfg,
		      app_err *err)
{
	system_pwpool_config c = cfg ? *cfg : system_pwpool_config_default();
	pool *p;

	if (c.threads < 1)
		c.threads = 1;
	if (!(p = calloc(1, sizeof(*p) + (size_t)c.threads * sizeof(pthread_t))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	p->inner = inner;
	p->cfg = c;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->work, NULL);
	for (; p->nthreads < (size_t)c.threads; p->nthreads++)
		if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) != 0) {
			*out = (crypto_port){.vtbl = &pool_vtbl, .self = p};
			system_pwpool_free(out);
			return app_err_set(err, APP_EIO, NULL, NULL,
					   "cannot start the password hashing threads");
		}
	*out = (crypto_port){.vtbl = &pool_vtbl, .self = p};
	return 0;
}

void system_pwpool_free(crypto_port *c)
{
	pool *p = c->self;

	if (!p)
		return;
	pthread_mutex_lock(&p->lock);
	p->stop = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
	for (size_t i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	pthread_cond_destroy(&p->work);
	pthread_mutex_destroy(&p->lock);
	free(p);
	c->self = NULL;
}
