#include "support/test_env.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

void test_tmpdir(char *out, size_t cap, const char *name)
{
	const char *base = getenv("WL_TEST_TMP");
	char cmd[1200];

	if (!base || !*base)
		base = "/tmp/wl-test";
	mkdir(base, 0700);
	snprintf(out, cap, "%s/%s-%ld", base, name, (long)getpid());
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", out);
	if (system(cmd) != 0)
		abort();
	if (mkdir(out, 0700) != 0)
		abort();
}

uow_tx *test_tx;

uow_tx *test_unit_begin(const uow *u)
{
	app_err e;

	assert_int_equal(uow_begin(&test_tx, u, &e), 0);
	return test_tx;
}

int test_unit_end(int rc)
{
	app_err e;

	if (rc)
		uow_rollback(test_tx);
	else
		assert_int_equal(uow_commit(test_tx, &e), 0);
	return rc;
}
