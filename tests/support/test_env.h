/* Helpers shared by the C tests: a private temporary directory per test. */
#ifndef WL_TEST_ENV_H
#define WL_TEST_ENV_H

#include <stddef.h>

/* Writes a fresh, empty directory path under $WL_TEST_TMP (or /tmp) into out. */
void test_tmpdir(char *out, size_t cap, const char *name);

#endif
