/* Helpers shared by the C tests: a private temporary directory per test, one write in a unit. */
#ifndef WL_TEST_ENV_H
#define WL_TEST_ENV_H

#include <stddef.h>

#include "ports/uow.h"

/* Writes a fresh, empty directory path under $WL_TEST_TMP (or /tmp) into out. */
void test_tmpdir(char *out, size_t cap, const char *name);

/*
 * One repository write in a unit of its own: TEST_IN_UNIT(&uow, write(..., test_tx, ...))
 * begins (asserted), commits when the write returns 0 (asserted) and rolls back otherwise;
 * its value is the write's code. Single-threaded tests only.
 */
extern uow_tx *test_tx;
uow_tx *test_unit_begin(const uow *u);
int test_unit_end(int rc);
#define TEST_IN_UNIT(u, call) (test_unit_begin(u), test_unit_end(call))

#endif
