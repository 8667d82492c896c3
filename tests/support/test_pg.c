#include "support/test_pg.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <cmocka.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The cluster's socket directory, failing the test when the fixture did not start one. */
static const char *socket_dir(void)
{
	const char *dir = getenv("WL_PG_SOCKET");

	if (!dir || !*dir)
		fail_msg("WL_PG_SOCKET is not set: run this suite through ctest, whose fixture pg "
			 "starts the PostgreSQL cluster (tests/support/pg_cluster.sh)");
	return dir;
}

static void notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void run_on(const char *conninfo, const char *sql)
{
	PGconn *c = PQconnectdb(conninfo);
	PGresult *r;

	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("cannot reach the test cluster (%s): %s", conninfo, PQerrorMessage(c));
	PQsetNoticeProcessor(c, notice_ignore, NULL);
	r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		fail_msg("%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

static void run_admin(const char *sql)
{
	char conninfo[600];

	snprintf(conninfo, sizeof(conninfo), "host=%s user=postgres dbname=postgres", socket_dir());
	run_on(conninfo, sql);
}

void test_pg_create(test_pg *t, const char *name)
{
	static int serial;
	char sql[160];
	size_t i;

	snprintf(t->name, sizeof(t->name), "%s_%ld_%d", name, (long)getpid(), ++serial);
	for (i = 0; t->name[i]; i++)
		if (t->name[i] == '-')
			t->name[i] = '_';
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->name);
	run_admin(sql);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", t->name);
	run_admin(sql);
	snprintf(t->conninfo, sizeof(t->conninfo), "host=%s user=postgres dbname=%s", socket_dir(),
		 t->name);
}

void test_pg_drop(const test_pg *t)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->name);
	run_admin(sql);
}

void test_pg_sql(const test_pg *t, const char *sql)
{
	run_on(t->conninfo, sql);
}

static test_pg suite;

static void suite_drop(void)
{
	test_pg_drop(&suite);
}

void test_pg_suite_db(test_pg *t, const char *name)
{
	if (!suite.name[0]) {
		test_pg_create(&suite, name);
		atexit(suite_drop);
	} else {
		test_pg_sql(&suite,
			    "DO $$ BEGIN EXECUTE (SELECT 'TRUNCATE '"
			    " || string_agg(format('%I', tablename), ', ')"
			    " || ' RESTART IDENTITY CASCADE' FROM pg_tables"
			    " WHERE schemaname = 'public' AND tablename <> 'schema_version');"
			    " END $$");
	}
	*t = suite;
}
