/* The HTTP adapter's pure parts: the one place APP_E* codes become statuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "adapters/http/http_internal.h"

static void test_codes_map_to_statuses(void **state)
{
	(void)state;
	assert_int_equal(http_status_of(APP_EINVALID), 422);
	assert_int_equal(http_status_of(APP_ENOTFOUND), 404);
	assert_int_equal(http_status_of(APP_EEXISTS), 409);
	assert_int_equal(http_status_of(APP_ECONFLICT), 409);
	assert_int_equal(http_status_of(APP_EFORBIDDEN), 403);
	assert_int_equal(http_status_of(APP_EUNAUTH), 401);
	assert_int_equal(http_status_of(APP_EINSUFFICIENT), 402);
	/* a payment the provider refused for good */
	assert_int_equal(http_status_of(APP_EDECLINED), 402);
	assert_string_equal(app_err_default_word(APP_EDECLINED), "payment_declined");
	assert_int_equal(http_status_of(APP_ELIMITED), 429);
	assert_int_equal(http_status_of(APP_EMALFORMED), 400);
	assert_int_equal(http_status_of(APP_ETOOLARGE), 413);
	assert_int_equal(http_status_of(APP_EUPSTREAM), 502);
	assert_int_equal(http_status_of(APP_ETIMEOUT), 502);
	/* storage that cannot write is a 503 the client may retry, not an internal error */
	assert_int_equal(http_status_of(APP_EUNAVAILABLE), 503);
	assert_string_equal(app_err_default_word(APP_EUNAVAILABLE), "storage_unavailable");
	assert_int_equal(http_status_of(APP_EIO), 500);
	assert_int_equal(http_status_of(APP_ENOMEM), 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_codes_map_to_statuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
