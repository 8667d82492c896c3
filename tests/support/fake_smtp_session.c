/* The fake relay's side of one SMTP conversation (RFC 5321, 3207, 4954). */
#include "support/fake_smtp_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sodium.h>

#include "domain/common/strbuf.h"

#define LINE_MAX_BYTES 1000 /* RFC 5321 4.5.3.1.4, CRLF included */

typedef struct conn {
	int fd;
	SSL *ssl;
	char buf[4096];
	size_t len;
	/* the session */
	int ehlo, authed;
	char user[256];
	strbuf from, rcpt;
	int nrcpt;
} conn;

static int conn_write(conn *c, const char *s)
{
	size_t n = strlen(s);

	if (c->ssl)
		return SSL_write(c->ssl, s, (int)n) == (int)n ? 0 : -1;
	return write(c->fd, s, n) == (ssize_t)n ? 0 : -1;
}

static int reply(conn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int reply(conn *c, const char *fmt, ...)
{
	char line[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line) - 2, fmt, ap);
	va_end(ap);
	strcat(line, "\r\n");
	return conn_write(c, line);
}

static ssize_t conn_read(conn *c, char *p, size_t cap)
{
	if (c->ssl) {
		int n = SSL_read(c->ssl, p, (int)cap);

		return n > 0 ? n : -1;
	}
	return read(c->fd, p, cap);
}

/*
 * One line without its CRLF into out (cap bytes). Returns its length, -2
 * for a line too long (read to its end and dropped), -1 when the peer left.
 */
static int read_line(conn *c, char *out, size_t cap)
{
	int too_long = 0;

	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		ssize_t got;

		if (nl) {
			size_t n = (size_t)(nl - c->buf), take = n && nl[-1] == '\r' ? n - 1 : n;

			if (take >= cap)
				too_long = 1;
			else if (!too_long) {
				memcpy(out, c->buf, take);
				out[take] = '\0';
			}
			memmove(c->buf, nl + 1, c->len - n - 1);
			c->len -= n + 1;
			return too_long ? -2 : (int)take;
		}
		if (c->len == sizeof(c->buf)) { /* a line longer than the buffer */
			too_long = 1;
			c->len = 0;
		}
		got = conn_read(c, c->buf + c->len, sizeof(c->buf) - c->len);
		if (got <= 0)
			return -1;
		c->len += (size_t)got;
	}
}

static void transaction_reset(conn *c)
{
	strbuf_dispose(&c->from);
	strbuf_dispose(&c->rcpt);
	c->nrcpt = 0;
}

static int ehlo(fake_smtp *f, conn *c, const char *verb)
{
	int offer_auth = f->username && (c->ssl || !f->cfg.require_tls);

	transaction_reset(c);
	c->ehlo = 1;
	if (!strcasecmp(verb, "HELO"))
		return reply(c, "250 fake-smtp");
	if (reply(c, "250-fake-smtp greets you") || reply(c, "250-8BITMIME") ||
	    reply(c, "250-SIZE 10485760"))
		return -1;
	if (f->cfg.tls && !c->ssl && reply(c, "250-STARTTLS"))
		return -1;
	if (offer_auth && reply(c, "250-AUTH PLAIN LOGIN"))
		return -1;
	return reply(c, "250 HELP");
}

static int starttls(fake_smtp *f, conn *c)
{
	if (!f->cfg.tls || c->ssl)
		return reply(c, "454 4.7.0 TLS not available");
	if (c->len) /* pipelined plain text after STARTTLS is an attack (RFC 3207 5) */
		return reply(c, "501 5.5.1 nothing may follow STARTTLS");
	if (reply(c, "220 2.0.0 Ready to start TLS"))
		return -1;
	if (!(c->ssl = SSL_new(f->tls_ctx)) || SSL_set_fd(c->ssl, c->fd) != 1 ||
	    SSL_accept(c->ssl) != 1)
		return -1;
	c->ehlo = c->authed = 0; /* RFC 3207: forget everything said before */
	transaction_reset(c);
	return 0;
}

/* base64 text into out (NUL-terminated, NULs inside kept); -1 when not base64. */
static int unbase64(char *out, size_t cap, size_t *len, const char *b64)
{
	if (sodium_base642bin((unsigned char *)out, cap - 1, b64, strlen(b64), NULL, len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0)
		return -1;
	out[*len] = '\0';
	return 0;
}

static int auth_check(fake_smtp *f, conn *c, const char *user, const char *pass)
{
	if (strcmp(user, f->username) == 0 && f->password && strcmp(pass, f->password) == 0) {
		c->authed = 1;
		snprintf(c->user, sizeof(c->user), "%s", user);
		return reply(c, "235 2.7.0 Authentication successful");
	}
	return reply(c, "535 5.7.8 Authentication credentials invalid");
}

static int auth_plain(fake_smtp *f, conn *c, const char *arg)
{
	char line[LINE_MAX_BYTES], raw[LINE_MAX_BYTES];
	size_t n;
	const char *user, *pass;

	if (!arg || !*arg) {
		if (reply(c, "334 ") || read_line(c, line, sizeof(line)) < 0)
			return -1;
		arg = line;
	}
	if (unbase64(raw, sizeof(raw), &n, arg))
		return reply(c, "501 5.5.2 cannot decode the response");
	/* authzid NUL authcid NUL password */
	user = memchr(raw, '\0', n);
	pass = user ? memchr(user + 1, '\0', n - (size_t)(user + 1 - raw)) : NULL;
	if (!user || !pass)
		return reply(c, "501 5.5.2 malformed PLAIN response");
	return auth_check(f, c, user + 1, pass + 1);
}

static int auth_login(fake_smtp *f, conn *c)
{
	char line[LINE_MAX_BYTES], user[LINE_MAX_BYTES], pass[LINE_MAX_BYTES];
	size_t n;

	if (reply(c, "334 VXNlcm5hbWU6") || read_line(c, line, sizeof(line)) < 0)
		return -1;
	if (unbase64(user, sizeof(user), &n, line))
		return reply(c, "501 5.5.2 cannot decode the response");
	if (reply(c, "334 UGFzc3dvcmQ6") || read_line(c, line, sizeof(line)) < 0)
		return -1;
	if (unbase64(pass, sizeof(pass), &n, line))
		return reply(c, "501 5.5.2 cannot decode the response");
	return auth_check(f, c, user, pass);
}

static int auth(fake_smtp *f, conn *c, const char *args)
{
	if (!f->username || (f->cfg.require_tls && !c->ssl))
		return reply(c, "503 5.5.1 AUTH not available");
	if (c->authed)
		return reply(c, "503 5.5.1 already authenticated");
	if (!strncasecmp(args, "PLAIN", 5) && (args[5] == '\0' || args[5] == ' '))
		return auth_plain(f, c, args[5] ? args + 6 : NULL);
	if (!strcasecmp(args, "LOGIN"))
		return auth_login(f, c);
	return reply(c, "504 5.5.4 mechanism not supported");
}

/* The address inside <...> of a MAIL FROM / RCPT TO argument into b. */
static int path_of(strbuf *b, const char *arg)
{
	const char *lt = strchr(arg, '<'), *gt = lt ? strchr(lt, '>') : NULL;

	if (!lt || !gt)
		return -1;
	strbuf_add(b, lt + 1, (size_t)(gt - lt - 1));
	return 0;
}

static int mail_from(fake_smtp *f, conn *c, const char *arg)
{
	int code;

	if (!c->ehlo)
		return reply(c, "503 5.5.1 EHLO first");
	if (f->cfg.require_tls && !c->ssl)
		return reply(c, "530 5.7.0 Must issue a STARTTLS command first");
	if (f->username && !c->authed)
		return reply(c, "530 5.7.0 Authentication required");
	if ((code = fake_smtp_scripted(f, "MAIL")))
		return reply(c, "%d sender refused (scripted)", code);
	transaction_reset(c);
	if (path_of(&c->from, arg))
		return reply(c, "501 5.1.7 bad sender address syntax");
	if (!c->from.s)
		strbuf_str(&c->from, "");
	return reply(c, "250 2.1.0 Ok");
}

static int rcpt_to(fake_smtp *f, conn *c, const char *arg)
{
	strbuf addr = {0};
	int code;

	if (!c->from.s)
		return reply(c, "503 5.5.1 MAIL first");
	if ((code = fake_smtp_scripted(f, "RCPT")))
		return reply(c, "%d recipient refused (scripted)", code);
	if (path_of(&addr, arg) || !addr.s) {
		strbuf_dispose(&addr);
		return reply(c, "501 5.1.3 bad recipient address syntax");
	}
	if (c->nrcpt++)
		strbuf_str(&c->rcpt, ",");
	strbuf_str(&c->rcpt, addr.s);
	strbuf_dispose(&addr);
	return reply(c, "250 2.1.5 Ok");
}

static int data(fake_smtp *f, conn *c)
{
	char line[LINE_MAX_BYTES];
	strbuf text = {0};
	fake_smtp_msg m = {0};
	int n, code;

	if (!c->nrcpt)
		return reply(c, "503 5.5.1 RCPT first");
	if (reply(c, "354 End data with <CR><LF>.<CR><LF>"))
		return -1;
	for (;;) {
		if ((n = read_line(c, line, sizeof(line))) == -1) {
			strbuf_dispose(&text);
			return -1;
		}
		if (n == -2) { /* RFC 5321 4.5.3.1.6: the text line limit */
			strbuf_dispose(&text);
			return reply(c, "500 5.5.0 line too long");
		}
		if (!strcmp(line, "."))
			break;
		strbuf_str(&text, line[0] == '.' ? line + 1 : line); /* dot-unstuffing */
		strbuf_str(&text, "\r\n");
	}
	if ((code = fake_smtp_scripted(f, "DATA"))) {
		strbuf_dispose(&text);
		return reply(c, "%d message refused (scripted)", code);
	}
	m.from = strbuf_take(&c->from);
	m.rcpt = strbuf_take(&c->rcpt);
	m.data = strbuf_take(&text);
	m.user = c->authed ? strdup(c->user) : NULL;
	m.tls = c->ssl != NULL;
	c->nrcpt = 0;
	fake_smtp_keep(f, &m);
	return reply(c, "250 2.0.0 Ok: queued");
}

/* One command; 1 after QUIT, -1 when the connection is gone. */
static int command(fake_smtp *f, conn *c, char *line)
{
	char *args = strchr(line, ' ');

	if (args)
		*args++ = '\0';
	else
		args = line + strlen(line);
	if (!strcasecmp(line, "EHLO") || !strcasecmp(line, "HELO"))
		return ehlo(f, c, line);
	if (!strcasecmp(line, "STARTTLS"))
		return starttls(f, c);
	if (!strcasecmp(line, "AUTH"))
		return auth(f, c, args);
	if (!strcasecmp(line, "MAIL") && !strncasecmp(args, "FROM:", 5))
		return mail_from(f, c, args + 5);
	if (!strcasecmp(line, "RCPT") && !strncasecmp(args, "TO:", 3))
		return rcpt_to(f, c, args + 3);
	if (!strcasecmp(line, "DATA"))
		return data(f, c);
	if (!strcasecmp(line, "RSET")) {
		transaction_reset(c);
		return reply(c, "250 2.0.0 Ok");
	}
	if (!strcasecmp(line, "NOOP"))
		return reply(c, "250 2.0.0 Ok");
	if (!strcasecmp(line, "QUIT"))
		return reply(c, "221 2.0.0 Bye") ? -1 : 1;
	return reply(c, "502 5.5.2 command not recognized");
}

void fake_smtp_session(fake_smtp *f, int fd)
{
	conn c = {.fd = fd};
	char line[LINE_MAX_BYTES];
	int code = fake_smtp_scripted(f, "CONNECT"), n;

	if (code) {
		reply(&c, "%d fake-smtp service not available (scripted)", code);
		return;
	}
	if (reply(&c, "220 fake-smtp ESMTP ready"))
		return;
	for (;;) {
		if ((n = read_line(&c, line, sizeof(line))) == -1)
			break;
		if (n == -2) {
			if (reply(&c, "500 5.5.2 line too long"))
				break;
			continue;
		}
		if (command(f, &c, line))
			break;
	}
	transaction_reset(&c);
	if (c.ssl) {
		SSL_shutdown(c.ssl);
		SSL_free(c.ssl);
	}
}
