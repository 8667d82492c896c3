/*
 * A fresh PostgreSQL database per test on the throwaway cluster that ctest's
 * fixture pg starts (tests/support/pg_cluster.sh; its socket directory in
 * $WL_PG_SOCKET). No cluster is a failure, never a skip.
 */
#ifndef WL_TEST_PG_H
#define WL_TEST_PG_H

#include <stddef.h>

typedef struct test_pg {
	char name[64];	    /* the database's */
	char conninfo[600]; /* libpq keywords that reach it */
} test_pg;

/* Creates database <name>_<pid>_<n> (dropped first if it is there) and names it in t. */
void test_pg_create(test_pg *t, const char *name);

/* Drops t's database, closing what is still connected to it. */
void test_pg_drop(const test_pg *t);

/*
 * The suite's database, as if new: created on the process's first call (the
 * adapter migrates it when it opens it), emptied on the next ones (every
 * table but schema_version, ids restarted), dropped when the process exits.
 * Close the adapter on it before the next call. CREATE DATABASE takes a
 * second or more on a busy machine; emptying takes a few milliseconds.
 */
void test_pg_suite_db(test_pg *t, const char *name);

/* Runs sql on t's database (asserted to succeed). */
void test_pg_sql(const test_pg *t, const char *sql);

#endif
