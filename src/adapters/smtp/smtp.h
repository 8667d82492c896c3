/*
 * The mail transport over libcurl's SMTP: one connection per message to the
 * operator's relay, STARTTLS (or implicit TLS with smtps://), AUTH when
 * credentials are given. The message is written here (RFC 5322 headers,
 * RFC 2047 subject, base64 UTF-8 text body, List-Unsubscribe with RFC 8058
 * one-click), so the relay gets exactly what a mail client would send.
 *
 * A transport is immutable once made and uses a fresh curl handle per send,
 * so several threads may send at once. curl_global_init() must have run
 * (llm_http_global_init() or the program's own) before the first send.
 * The password never appears in an error message or a log line.
 */
#ifndef WL_ADAPTER_SMTP_H
#define WL_ADAPTER_SMTP_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/mail_transport.h"

typedef enum {
	SMTP_TLS_STARTTLS = 0, /* smtp://: STARTTLS is required, or nothing is sent */
	SMTP_TLS_TRY = 1,      /* smtp://: STARTTLS when the relay offers it */
	SMTP_TLS_NONE = 2,     /* smtp://: plain text (a relay on this machine) */
} smtp_tls;

typedef struct smtp_config {
	const char *url;      /* smtp://host[:port] or smtps://host[:port] (implicit TLS) */
	const char *from;     /* "addr@host" or "Display Name <addr@host>" */
	const char *username; /* NULL or "": no AUTH */
	const char *password;
	const char *ca_file; /* PEM bundle to trust instead of the system's; NULL: system */
	smtp_tls tls;
	long timeout_ms;	 /* one whole exchange; <= 0: 30 s */
	long connect_timeout_ms; /* <= 0: 10 s */
} smtp_config;

/*
 * Makes a transport (strings are copied). APP_EINVALID (field "url" or
 * "from") for a URL that is not smtp:// or smtps:// or a sender that is not
 * an address; APP_ENOMEM. Release with mail_transport_destroy().
 */
int smtp_transport_new(mail_transport *out, const smtp_config *cfg, app_err *err);

/* The bare address of a From value ("Name <a@b>" -> "a@b") into out; -1 when there is none. */
int smtp_from_address(char *out, size_t cap, const char *from);

/*
 * The whole message as it goes after DATA (CRLF line ends, no dot-stuffing:
 * libcurl does that), written at now_ms. *out is malloc'd. APP_EINVALID
 * when a header value would carry a line break or the recipient is not a
 * plain address; APP_ENOMEM.
 */
int smtp_message_format(char **out, size_t *len, const char *from, const mail_message *m,
			int64_t now_ms, app_err *err);

#endif
