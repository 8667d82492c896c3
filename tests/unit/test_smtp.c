/* The SMTP adapter (libcurl) against the fake relay: STARTTLS, AUTH, refusals, outages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "adapters/smtp/smtp.h"
#include "support/fake_smtp.h"

#define FROM "걷다가서재 <noreply@library.test>"
#define SUBJECT                                                                                                                       \
	"새 회차가 올라왔어요: 시간의 서랍 12화 — 아주 긴 제목이 여러 줄로 접혀도 그대로 읽혀야 " \
	"합니다"
#define TEXT	 "안녕하세요.\n\n선호작에 새 회차가 올라왔어요.\n.a line starting with a dot\n"
#define RCPT	 "reader@example.com"
#define USER	 "relay-user"
#define PASSWORD "relay-Secr3t"

typedef struct fixture {
	fake_smtp *relay;
	mail_transport t;
} fixture;

static const mail_message *message(void)
{
	static const mail_message m = {
	    .to = RCPT,
	    .subject = SUBJECT,
	    .text = TEXT,
	    .message_id = "wl-mail-7",
	    .unsubscribe_url = "https://library.test/unsubscribe?m=3&s=abc",
	};

	return &m;
}

static int start(fixture *fx, const fake_smtp_config *rc, smtp_tls tls, const char *user,
		 const char *password, int trust)
{
	smtp_config sc = {0};
	app_err err = {0};

	if (fake_smtp_start(&fx->relay, rc, &err))
		return -1;
	sc.url = fake_smtp_url(fx->relay);
	sc.from = FROM;
	sc.username = user;
	sc.password = password;
	sc.ca_file = trust ? fake_smtp_ca_file(fx->relay) : NULL;
	sc.tls = tls;
	sc.timeout_ms = 5000;
	sc.connect_timeout_ms = 2000;
	return smtp_transport_new(&fx->t, &sc, &err);
}

static void stop(fixture *fx)
{
	mail_transport_destroy(&fx->t);
	fake_smtp_stop(fx->relay);
}

static void test_format(void **state)
{
	char *msg = NULL, *v;
	size_t len;
	app_err err = {0};
	mail_message bad = *message();

	(void)state;
	assert_int_equal(smtp_message_format(&msg, &len, FROM, message(), 0, &err), 0);
	assert_int_equal(strlen(msg), len);
	assert_non_null(strstr(msg, "Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"));
	assert_non_null(strstr(msg, "Message-ID: <wl-mail-7@library.test>\r\n"));
	assert_non_null(strstr(msg, "Content-Type: text/plain; charset=UTF-8\r\n"));
	assert_non_null(
	    strstr(msg, "List-Unsubscribe: <https://library.test/unsubscribe?m=3&s=abc>"));
	assert_non_null(strstr(msg, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	/* every line within RFC 5322's 78 characters, the subject folded */
	for (const char *p = msg; *p;) {
		const char *eol = strstr(p, "\r\n");

		assert_non_null(eol);
		assert_true(eol - p <= 78);
		p = eol + 2;
	}
	assert_string_equal((v = fake_smtp_header(msg, "Subject")), SUBJECT);
	free(v);
	assert_string_equal((v = fake_smtp_header(msg, "From")),
			    "걷다가서재 <noreply@library.test>");
	free(v);
	assert_string_equal((v = fake_smtp_body_text(msg)),
			    "안녕하세요.\r\n\r\n선호작에 새 회차가 올라왔어요.\r\n"
			    ".a line starting with a dot\r\n");
	free(v);
	free(msg);

	/* header injection and addresses that are not one mailbox */
	bad.subject = "hello\r\nBcc: victim@example.com";
	assert_int_equal(smtp_message_format(&msg, &len, FROM, &bad, 0, &err), APP_EINVALID);
	bad = *message();
	bad.to = "a@example.com, b@example.com";
	assert_int_equal(smtp_message_format(&msg, &len, FROM, &bad, 0, &err), APP_EINVALID);
	bad.to = "<a@example.com>";
	assert_int_equal(smtp_message_format(&msg, &len, FROM, &bad, 0, &err), APP_EINVALID);
	bad = *message();
	bad.unsubscribe_url = "https://x/>\r\nX: y";
	assert_int_equal(smtp_message_format(&msg, &len, FROM, &bad, 0, &err), APP_EINVALID);
	assert_null(msg);
}

static void test_config_refusals(void **state)
{
	mail_transport t;
	app_err err = {0};
	smtp_config c = {.url = "http://relay.test", .from = "a@b.test"};

	(void)state;
	assert_int_equal(smtp_transport_new(&t, &c, &err), APP_EINVALID);
	assert_string_equal(err.field, "url");
	c.url = "smtp://relay.test:587";
	c.from = "nobody";
	assert_int_equal(smtp_transport_new(&t, &c, &err), APP_EINVALID);
	assert_string_equal(err.field, "from");
	c.from = "Ops <ops@relay.test>\r\nBcc: x@y.z";
	assert_int_equal(smtp_transport_new(&t, &c, &err), APP_EINVALID);
}

static void test_starttls_auth(void **state)
{
	fake_smtp_config rc = {.tls = 1, .require_tls = 1, .username = USER, .password = PASSWORD};
	fixture fx = {0};
	fake_smtp_msg got;
	app_err err = {0};
	char *v;

	(void)state;
	assert_int_equal(start(&fx, &rc, SMTP_TLS_STARTTLS, USER, PASSWORD, 1), 0);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), 0);
	assert_int_equal(fake_smtp_count(fx.relay), 1);
	assert_int_equal(fake_smtp_get(&got, fx.relay, 0), 0);
	assert_true(got.tls);
	assert_string_equal(got.user, USER);
	assert_string_equal(got.from, "noreply@library.test");
	assert_string_equal(got.rcpt, RCPT);
	assert_string_equal((v = fake_smtp_header(got.data, "Subject")), SUBJECT);
	free(v);
	assert_string_equal((v = fake_smtp_header(got.data, "To")), "<" RCPT ">");
	free(v);
	assert_non_null((v = fake_smtp_body_text(got.data)));
	assert_non_null(strstr(v, "선호작에 새 회차가 올라왔어요."));
	free(v);
	fake_smtp_msg_dispose(&got);
	stop(&fx);
}

static void test_tls_is_required(void **state)
{
	fake_smtp_config plain = {.tls = 0, .username = USER, .password = PASSWORD};
	fake_smtp_config tls = {.tls = 1, .require_tls = 1, .username = USER, .password = PASSWORD};
	fixture fx = {0};
	app_err err = {0};

	(void)state;
	/* a relay that offers no STARTTLS gets nothing: the password is never sent in clear */
	assert_int_equal(start(&fx, &plain, SMTP_TLS_STARTTLS, USER, PASSWORD, 1), 0);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EUPSTREAM);
	assert_int_equal(fake_smtp_count(fx.relay), 0);
	assert_null(strstr(err.msg, PASSWORD));
	stop(&fx);
	/* a certificate nobody trusts */
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(start(&fx, &tls, SMTP_TLS_STARTTLS, USER, PASSWORD, 0), 0);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EUPSTREAM);
	assert_int_equal(fake_smtp_count(fx.relay), 0);
	stop(&fx);
}

static void test_wrong_password(void **state)
{
	fake_smtp_config rc = {.tls = 1, .require_tls = 1, .username = USER, .password = PASSWORD};
	fixture fx = {0};
	app_err err = {0};

	(void)state;
	assert_int_equal(start(&fx, &rc, SMTP_TLS_STARTTLS, USER, "wrong-password", 1), 0);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EUPSTREAM);
	assert_null(strstr(err.msg, "wrong-password"));
	assert_int_equal(fake_smtp_count(fx.relay), 0);
	stop(&fx);
}

static void test_down_and_back(void **state)
{
	fake_smtp_config rc = {.tls = 1};
	fixture fx = {0};
	app_err err = {0};

	(void)state;
	assert_int_equal(start(&fx, &rc, SMTP_TLS_TRY, NULL, NULL, 1), 0);
	assert_int_equal(fake_smtp_set_down(fx.relay, 1), 0);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EUPSTREAM);
	assert_int_equal(fake_smtp_set_down(fx.relay, 0), 0);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), 0);
	assert_int_equal(fake_smtp_count(fx.relay), 1);
	/* 421 at the greeting (the relay is shutting down) is an outage too */
	fake_smtp_script(fx.relay, "CONNECT", 421, 1);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EUPSTREAM);
	assert_int_equal(fake_smtp_count(fx.relay), 1);
	stop(&fx);
}

static void test_refusals(void **state)
{
	fake_smtp_config rc = {.tls = 1, .require_tls = 1};
	fixture fx = {0};
	app_err err = {0};

	(void)state;
	assert_int_equal(start(&fx, &rc, SMTP_TLS_STARTTLS, NULL, NULL, 1), 0);
	fake_smtp_script(fx.relay, "RCPT", 550, 1);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EDECLINED);
	fake_smtp_script(fx.relay, "RCPT", 450, 1);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EUPSTREAM);
	fake_smtp_script(fx.relay, "DATA", 554, 1);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EDECLINED);
	fake_smtp_script(fx.relay, "DATA", 451, 1);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EUPSTREAM);
	/* the sender refused is the operator's setting to fix: kept for another try */
	fake_smtp_script(fx.relay, "MAIL", 550, 1);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), APP_EUPSTREAM);
	assert_int_equal(fake_smtp_count(fx.relay), 0);
	assert_int_equal(mail_transport_send(&fx.t, message(), &err), 0);
	assert_int_equal(fake_smtp_count(fx.relay), 1);
	stop(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format),	   cmocka_unit_test(test_config_refusals),
	    cmocka_unit_test(test_starttls_auth),  cmocka_unit_test(test_tls_is_required),
	    cmocka_unit_test(test_wrong_password), cmocka_unit_test(test_down_and_back),
	    cmocka_unit_test(test_refusals),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
