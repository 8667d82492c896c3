#include "support/fake_smtp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "support/fake_smtp_internal.h"

/* --- the certificate -------------------------------------------------------------------- */

static int add_ext(X509 *x, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
	if (!(ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)))
		return -1;
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	return 0;
}

/* A P-256 key and a self-signed certificate for localhost and 127.0.0.1, a day valid. */
static int make_cert(fake_smtp *f)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");
	X509 *x = X509_new();
	X509_NAME *name;
	FILE *out = NULL;
	int rc = -1;

	if (!key || !x)
		goto out;
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), (long)time(NULL));
	X509_gmtime_adj(X509_getm_notBefore(x), -3600);
	X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
	X509_set_pubkey(x, key);
	name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1,
				   -1, 0);
	X509_set_issuer_name(x, name);
	if (add_ext(x, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1") ||
	    add_ext(x, NID_basic_constraints, "critical,CA:TRUE") ||
	    add_ext(x, NID_key_usage, "critical,digitalSignature,keyCertSign") ||
	    add_ext(x, NID_ext_key_usage, "serverAuth") || !X509_sign(x, key, EVP_sha256()))
		goto out;
	if (!(out = fopen(f->ca_file, "w")) || !PEM_write_X509(out, x))
		goto out;
	if (!(f->tls_ctx = SSL_CTX_new(TLS_server_method())) ||
	    SSL_CTX_use_certificate(f->tls_ctx, x) != 1 ||
	    SSL_CTX_use_PrivateKey(f->tls_ctx, key) != 1)
		goto out;
	rc = 0;
out:
	if (out)
		fclose(out);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}

/* --- listening ---------------------------------------------------------------------------------
 */

static int listen_on(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 16) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void *serve(void *arg)
{
	fake_smtp *f = arg;

	for (;;) {
		struct pollfd p = {.events = POLLIN};
		struct timeval tv = {5, 0};
		int fd;

		pthread_mutex_lock(&f->lock);
		if (f->stopping) {
			pthread_mutex_unlock(&f->lock);
			break;
		}
		p.fd = f->listen_fd;
		pthread_mutex_unlock(&f->lock);
		if (p.fd < 0 || poll(&p, 1, 50) <= 0) {
			if (p.fd < 0)
				usleep(20000);
			continue;
		}
		pthread_mutex_lock(&f->lock);
		fd = f->listen_fd == p.fd ? accept4(p.fd, NULL, NULL, SOCK_CLOEXEC) : -1;
		if (fd >= 0)
			f->connections++;
		pthread_mutex_unlock(&f->lock);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		fake_smtp_session(f, fd);
		close(fd);
	}
	return NULL;
}

int fake_smtp_start(fake_smtp **out, const fake_smtp_config *cfg, app_err *err)
{
	fake_smtp *f = calloc(1, sizeof(*f));
	struct sockaddr_in a;
	socklen_t alen = sizeof(a);
	char dir[512];

	if (!f)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->arrived, NULL);
	f->listen_fd = -1;
	f->cfg = *cfg;
	f->username = cfg->username ? strdup(cfg->username) : NULL;
	f->password = cfg->password ? strdup(cfg->password) : NULL;
	if (cfg->cert_dir)
		snprintf(dir, sizeof(dir), "%s", cfg->cert_dir);
	else {
		const char *base = getenv("WL_TEST_TMP") ? getenv("WL_TEST_TMP") : "/tmp";

		mkdir(base, 0700); /* the tests' own temp root may not exist yet */
		snprintf(dir, sizeof(dir), "%s/fake-smtp-XXXXXX", base);
		if (!mkdtemp(dir)) {
			fake_smtp_stop(f);
			return app_err_set(err, APP_EIO, NULL, NULL, "cannot make a temp dir");
		}
	}
	snprintf(f->ca_file, sizeof(f->ca_file), "%s/fake-smtp-ca.pem", dir);
	if (cfg->tls && make_cert(f)) {
		fake_smtp_stop(f);
		return app_err_set(err, APP_EIO, NULL, NULL, "cannot make the test certificate");
	}
	if ((f->listen_fd = listen_on(cfg->port)) < 0 ||
	    getsockname(f->listen_fd, (struct sockaddr *)&a, &alen) != 0) {
		fake_smtp_stop(f);
		return app_err_set(err, APP_EIO, NULL, NULL, "cannot listen: %s", strerror(errno));
	}
	f->port = ntohs(a.sin_port);
	snprintf(f->url, sizeof(f->url), "smtp://127.0.0.1:%d", f->port);
	if (pthread_create(&f->thread, NULL, serve, f) != 0) {
		fake_smtp_stop(f);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "cannot start a thread");
	}
	f->started = 1;
	*out = f;
	return 0;
}

void fake_smtp_stop(fake_smtp *f)
{
	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	f->stopping = 1;
	pthread_mutex_unlock(&f->lock);
	if (f->started)
		pthread_join(f->thread, NULL);
	if (f->listen_fd >= 0)
		close(f->listen_fd);
	for (size_t i = 0; i < f->n; i++)
		fake_smtp_msg_dispose(&f->msgs[i]);
	free(f->msgs);
	free(f->username);
	free(f->password);
	if (f->tls_ctx)
		SSL_CTX_free(f->tls_ctx);
	pthread_cond_destroy(&f->arrived);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

const char *fake_smtp_url(const fake_smtp *f)
{
	return f->url;
}

const char *fake_smtp_ca_file(const fake_smtp *f)
{
	return f->ca_file;
}

int fake_smtp_set_down(fake_smtp *f, int down)
{
	int rc = 0;

	pthread_mutex_lock(&f->lock);
	if (down && f->listen_fd >= 0) {
		close(f->listen_fd);
		f->listen_fd = -1;
	} else if (!down && f->listen_fd < 0) {
		f->listen_fd = listen_on(f->port);
		rc = f->listen_fd < 0 ? -1 : 0;
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

void fake_smtp_script(fake_smtp *f, const char *stage, int code, int times)
{
	pthread_mutex_lock(&f->lock);
	if (f->nscripts < FAKE_SMTP_SCRIPTS) {
		fake_smtp_step *s = &f->scripts[f->nscripts++];

		snprintf(s->stage, sizeof(s->stage), "%s", stage);
		s->code = code;
		s->times = times > 0 ? times : 1;
	}
	pthread_mutex_unlock(&f->lock);
}

int fake_smtp_scripted(fake_smtp *f, const char *stage)
{
	int code = 0;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->nscripts && !code; i++) {
		fake_smtp_step *s = &f->scripts[i];

		if (s->times > 0 && strcasecmp(s->stage, stage) == 0) {
			code = s->code;
			s->times--;
		}
	}
	pthread_mutex_unlock(&f->lock);
	return code;
}

void fake_smtp_clear(fake_smtp *f)
{
	pthread_mutex_lock(&f->lock);
	f->nscripts = 0;
	for (size_t i = 0; i < f->n; i++)
		fake_smtp_msg_dispose(&f->msgs[i]);
	f->n = 0;
	pthread_mutex_unlock(&f->lock);
}

void fake_smtp_keep(fake_smtp *f, fake_smtp_msg *m)
{
	pthread_mutex_lock(&f->lock);
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;
		fake_smtp_msg *p = realloc(f->msgs, cap * sizeof(*p));

		if (!p) {
			pthread_mutex_unlock(&f->lock);
			fake_smtp_msg_dispose(m);
			return;
		}
		f->msgs = p;
		f->cap = cap;
	}
	f->msgs[f->n++] = *m;
	pthread_cond_broadcast(&f->arrived);
	pthread_mutex_unlock(&f->lock);
}

size_t fake_smtp_count(fake_smtp *f)
{
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = f->n;
	pthread_mutex_unlock(&f->lock);
	return n;
}

int fake_smtp_connections(fake_smtp *f)
{
	int n;

	pthread_mutex_lock(&f->lock);
	n = f->connections;
	pthread_mutex_unlock(&f->lock);
	return n;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int fake_smtp_get(fake_smtp_msg *out, fake_smtp *f, size_t i)
{
	int rc = 0;

	memset(out, 0, sizeof(*out));
	pthread_mutex_lock(&f->lock);
	if (i >= f->n) {
		rc = APP_ENOTFOUND;
	} else {
		out->from = dup_or_null(f->msgs[i].from);
		out->rcpt = dup_or_null(f->msgs[i].rcpt);
		out->data = dup_or_null(f->msgs[i].data);
		out->user = dup_or_null(f->msgs[i].user);
		out->tls = f->msgs[i].tls;
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

void fake_smtp_msg_dispose(fake_smtp_msg *m)
{
	free(m->from);
	free(m->rcpt);
	free(m->data);
	free(m->user);
	memset(m, 0, sizeof(*m));
}

int fake_smtp_wait(fake_smtp *f, size_t n, int timeout_ms)
{
	struct timespec ts;
	int rc = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&f->lock);
	while (f->n < n && rc == 0)
		if (pthread_cond_timedwait(&f->arrived, &f->lock, &ts) == ETIMEDOUT)
			rc = -1;
	if (f->n >= n)
		rc = 0;
	pthread_mutex_unlock(&f->lock);
	return rc;
}
