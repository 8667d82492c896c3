#include "adapters/smtp/smtp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <sodium.h>

#include "domain/common/strbuf.h"
#include "domain/common/text.h"

#define SMTP_ADDR_MAX 320

typedef struct smtp_transport {
	char *url, *from, *from_addr, *username, *password, *ca_file;
	smtp_tls tls;
	long timeout_ms, connect_timeout_ms;
} smtp_transport;

/* --- the message ------------------------------------------------------------------------- */

static int has_line_break(const char *s)
{
	return s && strpbrk(s, "\r\n") != NULL;
}

/* A bare addr-spec as a mailbox: printable ASCII or UTF-8, one '@', no specials of the header. */
static int plain_address(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > SMTP_ADDR_MAX || !text_utf8_valid(s, n) || !text_email_plausible(s))
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x21 || *p == 0x7f || strchr("<>()[],;:\\\"", *p))
			return 0;
	return 1;
}

int smtp_from_address(char *out, size_t cap, const char *from)
{
	const char *lt = from ? strrchr(from, '<') : NULL, *gt;
	size_t n;

	if (!from)
		return -1;
	if (lt) {
		gt = strchr(lt, '>');
		if (!gt || gt[1] != '\0')
			return -1;
		n = (size_t)(gt - lt - 1);
		from = lt + 1;
	} else {
		n = strlen(from);
	}
	if (n + 1 > cap)
		return -1;
	memcpy(out, from, n);
	out[n] = '\0';
	return plain_address(out) ? 0 : -1;
}

static int ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static void add_base64(strbuf *b, const unsigned char *bin, size_t len)
{
	size_t room = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *p = strbuf_reserve(b, room);

	if (!p)
		return;
	sodium_bin2base64(p, room, bin, len, sodium_base64_VARIANT_ORIGINAL);
	b->len += strlen(p);
}

/*
 * RFC 2047 encoded words for a header value that is not plain ASCII, each at
 * most 75 characters (45 bytes of text; the first 39, after the header's
 * name), never splitting a UTF-8 sequence, folded onto continuation lines.
 */
static void add_encoded_words(strbuf *b, const char *s)
{
	size_t len = strlen(s), at = 0;

	while (at < len) {
		size_t most = at ? 45 : 39, take = len - at > most ? most : len - at;

		while (take > 0 && at + take < len && ((unsigned char)s[at + take] & 0xc0) == 0x80)
			take--;
		if (at)
			strbuf_str(b, "\r\n ");
		strbuf_str(b, "=?UTF-8?B?");
		add_base64(b, (const unsigned char *)s + at, take);
		strbuf_str(b, "?=");
		at += take;
	}
}

/* A header value: as it is when short printable ASCII, else encoded words. */
static void add_text_value(strbuf *b, const char *s)
{
	if (ascii_printable(s) && strlen(s) <= 60)
		strbuf_str(b, s);
	else
		add_encoded_words(b, s);
}

/* From: the display name (quoted or encoded) and the address. */
static void add_from(strbuf *b, const char *from, const char *addr)
{
	const char *lt = strrchr(from, '<');
	size_t n = lt ? (size_t)(lt - from) : 0;
	char name[256];

	while (n && from[n - 1] == ' ')
		n--;
	if (n == 0 || n >= sizeof(name)) {
		strbuf_fmt(b, "From: <%s>\r\n", addr);
		return;
	}
	memcpy(name, from, n);
	name[n] = '\0';
	strbuf_str(b, "From: ");
	if (ascii_printable(name) && !strpbrk(name, "\"\\")) {
		strbuf_fmt(b, "\"%s\"", name);
	} else {
		add_encoded_words(b, name);
	}
	strbuf_fmt(b, " <%s>\r\n", addr);
}

/* The body: '\n' made CRLF, base64 in lines of 76. */
static void add_body(strbuf *b, const char *text)
{
	strbuf crlf = {0};
	const char *p;

	for (p = text; *p; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			strbuf_add(&crlf, "\r", 1);
		strbuf_add(&crlf, p, 1);
	}
	for (size_t at = 0; at < crlf.len && !crlf.oom; at += 57) {
		size_t take = crlf.len - at > 57 ? 57 : crlf.len - at;

		add_base64(b, (const unsigned char *)crlf.s + at, take);
		strbuf_str(b, "\r\n");
	}
	if (crlf.oom)
		b->oom = 1;
	strbuf_dispose(&crlf);
}

static void rfc5322_date(char out[40], int64_t now_ms)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t t = (time_t)(now_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
		 months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int smtp_message_format(char **out, size_t *len, const char *from, const mail_message *m,
			int64_t now_ms, app_err *err)
{
	char addr[SMTP_ADDR_MAX + 1], date[40];
	const char *domain;
	strbuf b = {0};

	*out = NULL;
	if (!plain_address(m->to))
		return app_err_set(err, APP_EINVALID, NULL, "to",
				   "the recipient is not an address");
	if (smtp_from_address(addr, sizeof(addr), from))
		return app_err_set(err, APP_EINVALID, NULL, "from", "the sender is not an address");
	if (!m->subject || !m->text || !m->message_id || has_line_break(m->subject) ||
	    has_line_break(m->message_id) || has_line_break(m->unsubscribe_url) ||
	    has_line_break(from) || !text_utf8_valid(m->subject, strlen(m->subject)) ||
	    !text_utf8_valid(m->text, strlen(m->text)) || !ascii_printable(m->message_id) ||
	    strpbrk(m->message_id, "<> ") ||
	    (m->unsubscribe_url &&
	     (!ascii_printable(m->unsubscribe_url) || strpbrk(m->unsubscribe_url, "<> "))))
		return app_err_set(err, APP_EINVALID, NULL, "message",
				   "a header would break its line or is not text");
	domain = strchr(addr, '@') + 1;
	rfc5322_date(date, now_ms);
	strbuf_fmt(&b, "Date: %s\r\n", date);
	add_from(&b, from, addr);
	strbuf_fmt(&b, "To: <%s>\r\n", m->to);
	strbuf_str(&b, "Subject: ");
	add_text_value(&b, m->subject);
	strbuf_fmt(&b, "\r\nMessage-ID: <%s@%s>\r\n", m->message_id, domain);
	strbuf_str(&b, "MIME-Version: 1.0\r\n"
		       "Content-Type: text/plain; charset=UTF-8\r\n"
		       "Content-Transfer-Encoding: base64\r\n"
		       "Auto-Submitted: auto-generated\r\n");
	if (m->unsubscribe_url)
		strbuf_fmt(&b,
			   "List-Unsubscribe: <%s>\r\n"
			   "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
			   m->unsubscribe_url);
	strbuf_str(&b, "\r\n");
	add_body(&b, m->text);
	*len = b.len;
	if (!(*out = strbuf_take(&b)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	return 0;
}

/* --- the exchange ------------------------------------------------------------------------------
 */

typedef struct upload {
	const char *data;
	size_t len, at;
	char last_cmd[8]; /* the verb of the last command sent but QUIT */
} upload;

static size_t on_read(char *buf, size_t size, size_t nitems, void *arg)
{
	upload *u = arg;
	size_t room = size * nitems, n = u->len - u->at;

	if (n > room)
		n = room;
	memcpy(buf, u->data + u->at, n);
	u->at += n;
	return n;
}

static int on_debug(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	upload *u = arg;
	size_t n = 0;

	(void)c;
	if (type != CURLINFO_HEADER_OUT || (size >= 4 && memcmp(data, "QUIT", 4) == 0))
		return 0; /* the QUIT after a refusal must not hide what was refused */
	while (n < size && n < sizeof(u->last_cmd) - 1 && data[n] != ' ' && data[n] != '\r')
		n++;
	memcpy(u->last_cmd, data, n);
	u->last_cmd[n] = '\0';
	return 0;
}

static void setup(CURL *c, const smtp_transport *t, struct curl_slist *rcpt, upload *u,
		  char *errbuf)
{
	curl_easy_setopt(c, CURLOPT_URL, t->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, t->timeout_ms);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, t->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_USE_SSL,
			 t->tls == SMTP_TLS_STARTTLS ? (long)CURLUSESSL_ALL
			 : t->tls == SMTP_TLS_TRY    ? (long)CURLUSESSL_TRY
						     : (long)CURLUSESSL_NONE);
	if (t->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, t->ca_file);
	if (t->username) {
		curl_easy_setopt(c, CURLOPT_USERNAME, t->username);
		curl_easy_setopt(c, CURLOPT_PASSWORD, t->password ? t->password : "");
	}
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, t->from_addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(c, CURLOPT_READDATA, u);
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->len);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, u);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); /* feeds on_debug; it prints nothing */
}

/*
 * A 5xx answer to RCPT or to the message itself refuses this message for
 * good; everything else (no connection, 4xx, TLS or AUTH failing, a 5xx to
 * MAIL FROM, which is the operator's sender) is worth another try.
 */
static int outcome(CURLcode rc, long code, const upload *u, const char *errbuf, app_err *err)
{
	const char *why = errbuf[0] ? errbuf : curl_easy_strerror(rc);

	if (rc == CURLE_OK)
		return 0;
	if (code >= 500 && code < 600 &&
	    ((rc == CURLE_SEND_ERROR && strcmp(u->last_cmd, "RCPT") == 0) ||
	     (rc == CURLE_WEIRD_SERVER_REPLY && u->at == u->len)))
		return app_err_set(err, APP_EDECLINED, "mail_refused", NULL,
				   "the relay refused the message (%ld): %.120s", code, why);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		return app_err_set(err, APP_ETIMEOUT, NULL, NULL,
				   "the relay did not answer: %.120s", why);
	return app_err_set(err, APP_EUPSTREAM, NULL, NULL, "the relay failed (%ld): %.120s", code,
			   why);
}

static int smtp_send(void *self, const mail_message *m, app_err *err)
{
	smtp_transport *t = self;
	char errbuf[CURL_ERROR_SIZE] = "", rcpt_addr[SMTP_ADDR_MAX + 3];
	struct curl_slist *rcpt = NULL;
	upload u = {0};
	char *msg = NULL;
	long code = 0;
	CURL *c = NULL;
	CURLcode crc;
	int rc;

	if ((rc = smtp_message_format(&msg, &u.len, t->from, m, (int64_t)time(NULL) * 1000, err)))
		return rc;
	u.data = msg;
	snprintf(rcpt_addr, sizeof(rcpt_addr), "<%s>", m->to);
	if (!(c = curl_easy_init()) || !(rcpt = curl_slist_append(NULL, rcpt_addr))) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	setup(c, t, rcpt, &u, errbuf);
	crc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	rc = outcome(crc, code, &u, errbuf, err);
out:
	curl_slist_free_all(rcpt);
	if (c)
		curl_easy_cleanup(c);
	free(msg);
	return rc;
}

static void smtp_destroy(void *self)
{
	smtp_transport *t = self;

	if (!t)
		return;
	free(t->url);
	free(t->from);
	free(t->from_addr);
	free(t->username);
	if (t->password) {
		sodium_memzero(t->password, strlen(t->password));
		free(t->password);
	}
	free(t->ca_file);
	free(t);
}

static const mail_transport_vtbl smtp_vtbl = {.send = smtp_send, .destroy = smtp_destroy};

static char *dup_or_null(const char *s, int *oom)
{
	char *d;

	if (!s || !*s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = 1;
	return d;
}

int smtp_transport_new(mail_transport *out, const smtp_config *cfg, app_err *err)
{
	char addr[SMTP_ADDR_MAX + 3];
	smtp_transport *t;
	int oom = 0;

	if (!cfg->url ||
	    (strncmp(cfg->url, "smtp://", 7) != 0 && strncmp(cfg->url, "smtps://", 8) != 0) ||
	    has_line_break(cfg->url))
		return app_err_set(
		    err, APP_EINVALID, NULL, "url",
		    "the relay URL must be smtp://HOST[:PORT] or smtps://HOST[:PORT]");
	if (has_line_break(cfg->from) || smtp_from_address(addr + 1, sizeof(addr) - 2, cfg->from))
		return app_err_set(err, APP_EINVALID, NULL, "from",
				   "the sender must be an address or \"Name <address>\"");
	addr[0] = '<';
	strcat(addr, ">");
	if (!(t = calloc(1, sizeof(*t))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	t->url = dup_or_null(cfg->url, &oom);
	t->from = dup_or_null(cfg->from, &oom);
	t->from_addr = dup_or_null(addr, &oom);
	t->username = dup_or_null(cfg->username, &oom);
	t->password = t->username ? dup_or_null(cfg->password, &oom) : NULL;
	t->ca_file = dup_or_null(cfg->ca_file, &oom);
	t->tls = cfg->tls;
	t->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
	t->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
	if (oom) {
		smtp_destroy(t);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	*out = (mail_transport){.vtbl = &smtp_vtbl, .self = t};
	return 0;
}
