/*
 * The Toss adapter against the fake Toss on loopback: what it sends (HTTP
 * Basic with the secret and an empty password, Idempotency-Key), how it reads
 * every kind of answer (documented errors, slow answers, answers that never
 * come, dropped connections, 5xx pages) and how it parses what comes back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "adapters/toss/toss.h"
#include "adapters/toss/toss_internal.h"
#include "support/fake_toss.h"

#define SECRET "test_sk_Secr3t0123456789"
#define CLIENT "test_ck_Cl1ent0123456789"

typedef struct fixture {
	fake_toss *fake;
	payment_gateway g;
	int seq;
} fixture;

static int setup(void **state)
{
	fixture *fx = calloc(1, sizeof(*fx));
	fake_toss_config fc = {.client_key = CLIENT, .secret_key = SECRET};
	toss_config tc = {0};
	app_err err;

	assert_non_null(fx);
	assert_int_equal(fake_toss_start(&fx->fake, &fc, &err), 0);
	tc.api_base = fake_toss_base_url(fx->fake);
	tc.secret_key = SECRET;
	tc.client_key = CLIENT;
	tc.timeout_ms = 3000; /* generous: the machine may be loaded */
	assert_int_equal(toss_gateway_new(&fx->g, &tc, &err), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture *fx = *state;

	payment_gateway_destroy(&fx->g);
	fake_toss_stop(fx->fake);
	free(fx);
	return 0;
}

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void pay(fixture *fx, char order[32], char key[64], int64_t amount, int reject)
{
	snprintf(order, 32, "wl-test-%04d", ++fx->seq);
	assert_int_equal(fake_toss_authorize(key, fx->fake, order, amount, "포인트", reject), 0);
}

static void test_sends_basic_auth_with_the_secret_and_an_idempotency_key(void **state)
{
	fixture *fx = *state;
	char order[32], key[64], want[128], *auth, *idem;
	unsigned char raw[64];
	size_t len;
	payment_info p;
	app_err err;

	pay(fx, order, key, 10000, 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 10000, order, &err), 0);
	auth = fake_toss_last_authorization(fx->fake);
	idem = fake_toss_last_idempotency_key(fx->fake);
	assert_non_null(auth);
	assert_memory_equal(auth, "Basic ", 6);
	assert_int_equal(sodium_base642bin(raw, sizeof(raw), auth + 6, strlen(auth + 6), NULL, &len,
					   NULL, sodium_base64_VARIANT_ORIGINAL),
			 0);
	snprintf(want, sizeof(want), "%s:", SECRET);
	assert_int_equal(len, strlen(want));
	assert_memory_equal(raw, want, len);
	assert_string_equal(idem, order);
	free(auth);
	free(idem);
	/* a lookup is a plain GET: no idempotency key */
	assert_int_equal(payment_gateway_find(&p, &fx->g, key, &err), 0);
	assert_null(fake_toss_last_idempotency_key(fx->fake));
}

static void test_checkout_gives_the_client_key_never_the_secret(void **state)
{
	fixture *fx = *state;
	payment_checkout c;

	payment_gateway_checkout(&c, &fx->g);
	assert_string_equal(c.provider, "toss");
	assert_string_equal(c.client_key, CLIENT);
	assert_string_equal(c.script_url, TOSS_DEFAULT_SDK_URL);
	assert_null(strstr((char *)&c, SECRET));
}

static void test_documented_refusals(void **state)
{
	fixture *fx = *state;
	char order[32], key[64];
	payment_info p;
	fake_toss_view v;
	app_err err;

	/* a tampered amount: the payment stays as it was */
	pay(fx, order, key, 8000, 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 80, order, &err),
			 APP_EDECLINED);
	assert_string_equal(p.failure_code, "INVALID_REQUEST");
	assert_int_equal(fake_toss_payment(&v, fx->fake, key), 0);
	assert_string_equal(v.status, "IN_PROGRESS");
	/* rejected card */
	pay(fx, order, key, 8000, 1);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 8000, order, &err),
			 APP_EDECLINED);
	assert_string_equal(p.failure_code, "REJECT_CARD_PAYMENT");
	assert_non_null(strstr(err.msg, "REJECT_CARD_PAYMENT"));
	assert_int_equal(payment_gateway_find(&p, &fx->g, key, &err), 0);
	assert_int_equal(p.status, PAYMENT_ABORTED);
	assert_string_equal(p.failure_code, "REJECT_CARD_PAYMENT");
	/* no such payment, an expired session */
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, "nope", "wl-none-1", 100, "k", &err),
			 APP_ENOTFOUND);
	pay(fx, order, key, 8000, 0);
	assert_int_equal(fake_toss_expire(fx->fake, key), 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 8000, order, &err),
			 APP_ENOTFOUND);
	assert_string_equal(p.failure_code, "NOT_FOUND_PAYMENT_SESSION");
	/* already processed, when asked without the first request's key */
	pay(fx, order, key, 8000, 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 8000, order, &err), 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 8000, "other", &err),
			 APP_ECONFLICT);
	assert_string_equal(p.failure_code, "ALREADY_PROCESSED_PAYMENT");
}

static void test_a_wrong_secret_is_not_a_decline_and_is_never_echoed(void **state)
{
	fixture *fx = *state;
	toss_config tc = {.api_base = fake_toss_base_url(fx->fake),
			  .secret_key = "test_sk_WRONGWRONG",
			  .client_key = CLIENT};
	payment_gateway bad;
	char order[32], key[64];
	payment_info p;
	app_err err;

	assert_int_equal(toss_gateway_new(&bad, &tc, &err), 0);
	pay(fx, order, key, 1000, 0);
	/* the payment can still be confirmed once the operator fixes the key */
	assert_int_equal(payment_gateway_confirm(&p, &bad, key, order, 1000, order, &err),
			 APP_EUPSTREAM);
	assert_string_equal(p.failure_code, "UNAUTHORIZED_KEY");
	assert_null(strstr(err.msg, "WRONGWRONG"));
	payment_gateway_destroy(&bad);
}

static void test_cancel_keeps_its_idempotency_key(void **state)
{
	fixture *fx = *state;
	char order[32], key[64], *idem;
	payment_info p;
	fake_toss_view v;
	app_err err;

	pay(fx, order, key, 9000, 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 9000, order, &err), 0);
	assert_int_equal(payment_gateway_cancel(&p, &fx->g, key, 9000, "환불", "refund-7", &err),
			 0);
	idem = fake_toss_last_idempotency_key(fx->fake);
	assert_string_equal(idem, "refund-7");
	free(idem);
	assert_int_equal(p.status, PAYMENT_CANCELED);
	assert_int_equal(p.cancel_amount, 9000);
	/* the answer was lost, the refund is sent again: nothing more is canceled */
	assert_int_equal(payment_gateway_cancel(&p, &fx->g, key, 9000, "환불", "refund-7", &err),
			 0);
	assert_int_equal(fake_toss_payment(&v, fx->fake, key), 0);
	assert_int_equal(v.cancels, 1);
	assert_int_equal(v.canceled, 9000);
}

static void test_slow_answers_within_the_time_out_succeed(void **state)
{
	fixture *fx = *state;
	fake_toss_script s = {.op = "confirm", .delay_ms = 300};
	char order[32], key[64];
	payment_info p;
	app_err err;

	pay(fx, order, key, 1000, 0);
	assert_int_equal(fake_toss_push(fx->fake, &s), 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 1000, order, &err), 0);
	assert_int_equal(p.status, PAYMENT_DONE);
}

static void test_no_answer_is_a_time_out_and_the_outcome_unknown(void **state)
{
	fixture *fx = *state;
	fake_toss_script hang = {.op = "confirm", .hang = 1, .after = 1};
	char order[32], key[64];
	payment_info p;
	app_err err;
	int64_t t0;

	pay(fx, order, key, 2000, 0);
	assert_int_equal(fake_toss_push(fx->fake, &hang), 0);
	t0 = mono_ms();
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 2000, order, &err),
			 APP_ETIMEOUT);
	assert_true(mono_ms() - t0 < 10000);
	/* it did take effect: read back, and repeat with the key */
	assert_int_equal(payment_gateway_find_by_order(&p, &fx->g, order, &err), 0);
	assert_int_equal(p.status, PAYMENT_DONE);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 2000, order, &err), 0);
	assert_int_equal(p.status, PAYMENT_DONE);
}

static void test_dropped_connections_and_server_errors_are_unknown(void **state)
{
	fixture *fx = *state;
	fake_toss_script drop = {.op = "confirm", .drop = 1};
	fake_toss_script busy = {.op = "any", .status = 500};
	char order[32], key[64];
	payment_info p;
	app_err err;

	pay(fx, order, key, 3000, 0);
	assert_int_equal(fake_toss_push(fx->fake, &drop), 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 3000, order, &err),
			 APP_EUPSTREAM);
	assert_int_equal(fake_toss_push(fx->fake, &busy), 0);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 3000, order, &err),
			 APP_EUPSTREAM);
	assert_string_equal(p.failure_code, "FAILED_INTERNAL_SYSTEM_PROCESSING");
	fake_toss_set_down(fx->fake, 1);
	assert_int_equal(payment_gateway_find(&p, &fx->g, key, &err), APP_EUPSTREAM);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 3000, order, &err),
			 APP_EUPSTREAM);
	fake_toss_set_down(fx->fake, 0);
	/* nothing happened before: the confirm goes through now */
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, key, order, 3000, order, &err), 0);
}

typedef struct racer {
	fixture *fx;
	const char *order, *key;
	int rc;
} racer;

static void *race_confirm(void *arg)
{
	racer *r = arg;
	payment_info p;
	app_err err;

	r->rc = payment_gateway_confirm(&p, &r->fx->g, r->key, r->order, 4000, r->order, &err);
	return NULL;
}

static void test_a_repeat_while_the_first_runs_is_unknown_not_a_second_payment(void **state)
{
	fixture *fx = *state;
	fake_toss_script slow = {.op = "confirm", .delay_ms = 400, .after = 1};
	char order[32], key[64];
	pthread_t t;
	racer a, b;
	fake_toss_view v;

	pay(fx, order, key, 4000, 0);
	assert_int_equal(fake_toss_push(fx->fake, &slow), 0);
	a = (racer){fx, order, key, 1};
	b = a;
	assert_int_equal(pthread_create(&t, NULL, race_confirm, &a), 0);
	{
		struct timespec ts = {0, 100 * 1000000L};

		nanosleep(&ts, NULL);
	}
	race_confirm(&b);
	pthread_join(t, NULL);
	assert_int_equal(a.rc, 0);
	/* either the first result again or "still being processed" */
	assert_true(b.rc == 0 || b.rc == APP_EUPSTREAM);
	assert_int_equal(fake_toss_payment(&v, fx->fake, key), 0);
	assert_string_equal(v.status, "DONE");
}

static void test_keys_are_escaped_in_paths_and_refused_in_headers(void **state)
{
	fixture *fx = *state;
	payment_info p;
	app_err err;

	assert_int_equal(payment_gateway_find(&p, &fx->g, "../orders/x", &err), APP_ENOTFOUND);
	assert_int_equal(payment_gateway_find(&p, &fx->g, "a b?c#d", &err), APP_ENOTFOUND);
	assert_int_equal(fake_toss_calls(fx->fake, "any"), 2);
	assert_int_equal(
	    payment_gateway_cancel(&p, &fx->g, "k", 100, "환불", "x\r\nX-Evil: 1", &err),
	    APP_EINVALID);
	assert_int_equal(payment_gateway_confirm(&p, &fx->g, "k", "wl-order-1", 100, "", &err),
			 APP_EINVALID);
	assert_int_equal(fake_toss_calls(fx->fake, "any"), 2);
}

static void test_configuration_is_checked(void **state)
{
	payment_gateway g;
	toss_config tc = {.secret_key = SECRET, .client_key = CLIENT};
	app_err err;

	(void)state;
	assert_int_equal(toss_gateway_new(&g, &tc, &err), 0);
	payment_gateway_destroy(&g);
	tc.secret_key = NULL;
	assert_int_equal(toss_gateway_new(&g, &tc, &err), APP_EINVALID);
	assert_string_equal(err.field, "WL_TOSS_SECRET_KEY");
	tc.secret_key = "test_sk_a\r\nX: y";
	assert_int_equal(toss_gateway_new(&g, &tc, &err), APP_EINVALID);
	tc.secret_key = SECRET;
	tc.client_key = "";
	assert_int_equal(toss_gateway_new(&g, &tc, &err), APP_EINVALID);
	assert_string_equal(err.field, "WL_TOSS_CLIENT_KEY");
	tc.client_key = CLIENT;
	tc.api_base = "ftp://api.example";
	assert_int_equal(toss_gateway_new(&g, &tc, &err), APP_EINVALID);
	assert_string_equal(err.field, "WL_TOSS_API_BASE");
	assert_null(strstr(err.msg, SECRET));
}

static void test_payment_objects_are_parsed_strictly(void **state)
{
	static const char ok[] =
	    "{\"paymentKey\":\"pk1\",\"orderId\":\"wl-1\",\"status\":\"PARTIAL_CANCELED\","
	    "\"totalAmount\":10000,\"balanceAmount\":6000,\"method\":\"카드\","
	    "\"approvedAt\":\"2024-01-01T09:00:00+09:00\",\"cancels\":[{\"cancelAmount\":1000,"
	    "\"transactionKey\":\"t1\"},{\"cancelAmount\":3000,\"transactionKey\":\"t2\"}],"
	    "\"failure\":null}";
	static const char *const bad[] = {
	    "",
	    "[]",
	    "{\"paymentKey\":\"pk\",\"orderId\":\"o\",\"status\":\"DONE\",\"totalAmount\":1}",
	    "{\"paymentKey\":\"pk\",\"orderId\":\"o\",\"status\":\"DONE\",\"totalAmount\":1.5,"
	    "\"balanceAmount\":1}",
	    "{\"paymentKey\":\"pk\",\"orderId\":\"o\",\"status\":\"DONE\",\"totalAmount\":-1,"
	    "\"balanceAmount\":0}",
	    "{\"paymentKey\":\"pk\",\"orderId\":\"o\",\"status\":\"WHATEVER\",\"totalAmount\":1,"
	    "\"balanceAmount\":1}",
	    "{\"paymentKey\":\"pk\",\"orderId\":\"o\",\"status\":\"DONE\",\"totalAmount\":1,"
	    "\"balanceAmount\":2}",
	    "{\"paymentKey\":7,\"orderId\":\"o\",\"status\":\"DONE\",\"totalAmount\":1,"
	    "\"balanceAmount\":1}",
	    "{\"paymentKey\":\"pk\",\"orderId\":\"o\",\"status\":\"DONE\",\"totalAmount\":1,"
	    "\"balanceAmount\":1,\"approvedAt\":\"yesterday\"}",
	    "{\"paymentKey\":\"pk\",\"orderId\":\"o\",\"status\":\"DONE\",\"totalAmount\":1,"
	    "\"balanceAmount\":1,\"cancels\":{}}",
	};
	char big[600];
	payment_info p;
	app_err err;

	(void)state;
	assert_int_equal(toss_payment_parse(&p, ok, strlen(ok), &err), 0);
	assert_int_equal(p.status, PAYMENT_PARTIAL_CANCELED);
	assert_int_equal(p.total_amount, 10000);
	assert_int_equal(p.balance_amount, 6000);
	assert_string_equal(p.cancel_key, "t2");
	assert_int_equal(p.cancel_amount, 3000);
	assert_int_equal(p.approved_at, 1704067200000LL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(toss_payment_parse(&p, bad[i], strlen(bad[i]), &err),
				 APP_EUPSTREAM);
		assert_string_equal(p.key, "");
	}
	/* a payment key longer than Toss's 200 characters */
	snprintf(big, sizeof(big),
		 "{\"paymentKey\":\"%0300d\",\"orderId\":\"o\",\"status\":\"DONE\","
		 "\"totalAmount\":1,\"balanceAmount\":1}",
		 7);
	assert_int_equal(toss_payment_parse(&p, big, strlen(big), &err), APP_EUPSTREAM);
}

static void test_error_bodies_and_times(void **state)
{
	char code[PAYMENT_CODE_MAX], msg[PAYMENT_MESSAGE_MAX];
	static const char body[] = "{\"code\":\"REJECT_CARD_PAYMENT\",\"message\":\"한도\\n초과\"}";
	int64_t ms;

	(void)state;
	assert_int_equal(toss_error_parse(code, msg, body, strlen(body)), 0);
	assert_string_equal(code, "REJECT_CARD_PAYMENT");
	assert_string_equal(msg, "한도초과");
	assert_int_equal(toss_error_parse(code, msg, "<html>", 6), -1);
	assert_int_equal(toss_error_parse(code, msg, NULL, 0), -1);
	assert_int_equal(toss_time_parse(&ms, "2022-01-01T11:31:51+09:00"), 0);
	assert_int_equal(ms, 1641004311000LL);
	assert_int_equal(toss_time_parse(&ms, "2022-01-01T02:31:51.250Z"), 0);
	assert_int_equal(ms, 1641004311250LL);
	assert_int_equal(toss_time_parse(&ms, "2022-01-01T11:31:51.123456"), 0);
	assert_int_equal(toss_time_parse(&ms, "2022-13-01T11:31:51+09:00"), -1);
	assert_int_equal(toss_time_parse(&ms, "2022-01-01T11:31:51+09"), -1);
	assert_int_equal(toss_time_parse(&ms, "2022-01-01"), -1);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_sends_basic_auth_with_the_secret_and_an_idempotency_key),
	    T(test_checkout_gives_the_client_key_never_the_secret),
	    T(test_documented_refusals),
	    T(test_a_wrong_secret_is_not_a_decline_and_is_never_echoed),
	    T(test_cancel_keeps_its_idempotency_key),
	    T(test_slow_answers_within_the_time_out_succeed),
	    T(test_no_answer_is_a_time_out_and_the_outcome_unknown),
	    T(test_dropped_connections_and_server_errors_are_unknown),
	    T(test_a_repeat_while_the_first_runs_is_unknown_not_a_second_payment),
	    T(test_keys_are_escaped_in_paths_and_refused_in_headers),
	    cmocka_unit_test(test_configuration_is_checked),
	    cmocka_unit_test(test_payment_objects_are_parsed_strictly),
	    cmocka_unit_test(test_error_bodies_and_times),
	};
	app_err err;

	toss_global_init(&err);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
