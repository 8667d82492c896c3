/* The fake SMTP relay's state, shared by its files. */
#ifndef WL_TEST_FAKE_SMTP_INTERNAL_H
#define WL_TEST_FAKE_SMTP_INTERNAL_H

#include <pthread.h>

#include <openssl/ssl.h>

#include "support/fake_smtp.h"

#define FAKE_SMTP_SCRIPTS 16

typedef struct fake_smtp_step {
	char stage[16];
	int code, times;
} fake_smtp_step;

struct fake_smtp {
	fake_smtp_config cfg;
	char *username, *password;
	char url[64];
	char ca_file[600];
	int port;
	SSL_CTX *tls_ctx;
	pthread_t thread;
	int started;
	pthread_mutex_t lock; /* everything below */
	pthread_cond_t arrived;
	int listen_fd; /* -1 while down */
	int stopping;
	int connections;
	fake_smtp_step scripts[FAKE_SMTP_SCRIPTS];
	size_t nscripts;
	fake_smtp_msg *msgs;
	size_t n, cap;
};

/* Serves one connection on fd (closed by the caller). */
void fake_smtp_session(fake_smtp *f, int fd);
/* The code scripted for the next message at stage (and uses it up), or 0. */
int fake_smtp_scripted(fake_smtp *f, const char *stage);
/* Takes m's strings into the message list. */
void fake_smtp_keep(fake_smtp *f, fake_smtp_msg *m);

#endif
