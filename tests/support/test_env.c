#include "support/test_env.h"

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
