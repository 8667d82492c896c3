/*
 * A fake SMTP relay for tests on 127.0.0.1 with an ephemeral port,
 * in-process (C tests) or as the wl-fake-smtp program (node tests). It
 * speaks real SMTP (RFC 5321) so the real libcurl adapter is what is tested:
 *
 *   220 greeting; EHLO/HELO; STARTTLS (RFC 3207) with a certificate it makes
 *   for localhost and 127.0.0.1 at start (its PEM is the CA file to trust);
 *   AUTH PLAIN (with or without an initial response) and AUTH LOGIN
 *   (RFC 4954), offered only after STARTTLS when TLS is required;
 *   MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP, QUIT.
 *
 * MAIL before STARTTLS (when required) or before AUTH (when credentials are
 * set) answers 530. Tests take it down (the port refuses connections) and
 * bring it back on the same port, script refusals, and read what arrived.
 * Connections are served one at a time, as a relay would queue them.
 */
#ifndef WL_TEST_FAKE_SMTP_H
#define WL_TEST_FAKE_SMTP_H

#include <stddef.h>

#include "domain/common/err.h"

typedef struct fake_smtp fake_smtp;

typedef struct fake_smtp_config {
	int tls;	      /* offer STARTTLS */
	int require_tls;      /* 530 for MAIL before STARTTLS */
	const char *username; /* non-NULL: AUTH required before MAIL */
	const char *password;
	int port;	      /* 0: ephemeral */
	const char *cert_dir; /* where the certificate PEM is written; NULL: a new temp dir */
} fake_smtp_config;

int fake_smtp_start(fake_smtp **out, const fake_smtp_config *cfg, app_err *err);
/* Stops serving and frees everything; NULL is fine. */
void fake_smtp_stop(fake_smtp *f);

/* "smtp://127.0.0.1:<port>" and the certificate's PEM file (trust it); owned by f. */
const char *fake_smtp_url(const fake_smtp *f);
const char *fake_smtp_ca_file(const fake_smtp *f);

/*
 * Down: the listening socket is closed, so connections are refused (as when
 * the relay's host is off); up: listening again on the same port. 0 or -1.
 */
int fake_smtp_set_down(fake_smtp *f, int down);

/*
 * The next `times` messages are answered `code` at stage: "CONNECT" (the
 * greeting, then the connection closes), "MAIL", "RCPT" or "DATA" (after
 * the text arrived). A 4xx asks the client to try again later, a 5xx refuses.
 */
void fake_smtp_script(fake_smtp *f, const char *stage, int code, int times);
void fake_smtp_clear(fake_smtp *f); /* forgets scripts and messages */

typedef struct fake_smtp_msg {
	char *from; /* MAIL FROM address */
	char *rcpt; /* RCPT TO addresses, comma-separated */
	char *data; /* the message as sent after DATA, dot-unstuffed, CRLF line ends */
	char *user; /* the AUTH identity, or NULL */
	int tls;    /* arrived over STARTTLS */
} fake_smtp_msg;

/* Messages accepted so far (250 after DATA). */
size_t fake_smtp_count(fake_smtp *f);
/* A copy of message i; free with fake_smtp_msg_dispose. APP_ENOTFOUND past the end. */
int fake_smtp_get(fake_smtp_msg *out, fake_smtp *f, size_t i);
void fake_smtp_msg_dispose(fake_smtp_msg *m);
/* Waits until at least n messages arrived; 0, or -1 after timeout_ms. */
int fake_smtp_wait(fake_smtp *f, size_t n, int timeout_ms);
/* Connections accepted so far (refused ones while down are not). */
int fake_smtp_connections(fake_smtp *f);

/* Every message as a JSON array [{from, rcpt:[…], data, user, tls}] (free()); NULL on OOM. */
char *fake_smtp_messages_json(fake_smtp *f);

/* The decoded text body of a message written by the adapter (base64), malloc'd; NULL if none. */
char *fake_smtp_body_text(const char *data);
/* The value of header name (unfolded, RFC 2047 words decoded), malloc'd; NULL if absent. */
char *fake_smtp_header(const char *data, const char *name);

#endif
