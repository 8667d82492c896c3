/*
 * The PostgreSQL adapter's own contract (what test_sqlite_db.c holds SQLite
 * to): migrations run once and a newer schema is refused; a server that is
 * gone is storage unavailable, never a business answer; the secret is kept;
 * fifty threads spending from one wallet at once take exactly what it holds;
 * the schema has SQLite's tables and columns, and the search its trigram index.
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

#include "adapters/postgres/pg_repos.h"
#include "adapters/sqlite/sqlite_db.h"
#include "support/test_env.h"
#include "support/test_pg.h"

static void test_migrates_once_and_refuses_a_newer_schema(void **state)
{
	test_pg t;
	pg_db *db;
	app_err err;

	(void)state;
	test_pg_create(&t, "pg_migrate");
	assert_int_equal(pg_db_open(&db, t.conninfo, &err), 0);
	assert_int_equal(pg_db_ready(db, &err), 0);
	pg_db_close(db);
	/* again: nothing left to do, the data stays */
	test_pg_sql(&t, "INSERT INTO members(email, name, password_hash, roles, created_at)"
			" VALUES ('a@example.com', 'A', 'h', 1, 1)");
	assert_int_equal(pg_db_open(&db, t.conninfo, &err), 0);
	assert_int_equal(pg_db_ready(db, &err), 0);
	pg_db_close(db);
	test_pg_sql(&t, "UPDATE schema_version SET version = 999");
	assert_int_equal(pg_db_open(&db, t.conninfo, &err), APP_EIO);
	assert_non_null(strstr(err.msg, "newer than this binary"));
	test_pg_drop(&t);
}

static void test_a_server_that_is_gone_is_unavailable(void **state)
{
	char conninfo[700];
	test_pg t;
	member_repo members;
	member m;
	pg_db *db;
	uow u;
	uow_tx *tx;
	app_err err;

	(void)state;
	test_pg_create(&t, "pg_gone");
	assert_int_equal(pg_db_open(&db, t.conninfo, &err), 0);
	members = pg_member_repo(db);
	u = pg_db_uow(db);
	assert_int_equal(member_repo_find_by_id(&m, &members, NULL, 1, &err), APP_ENOTFOUND);
	/* the database goes (every connection to it closed): a lookup is not "not found" */
	test_pg_drop(&t);
	assert_int_equal(member_repo_find_by_id(&m, &members, NULL, 1, &err), APP_EUNAVAILABLE);
	assert_int_equal(uow_begin(&tx, &u, &err), APP_EUNAVAILABLE);
	assert_int_equal(pg_db_ready(db, &err), APP_EUNAVAILABLE);
	pg_db_close(db);
	/* and a server nobody listens for */
	snprintf(conninfo, sizeof(conninfo), "%s port=1", t.conninfo);
	assert_int_equal(pg_db_open(&db, conninfo, &err), APP_EUNAVAILABLE);
	assert_non_null(strstr(err.msg, "cannot connect to PostgreSQL"));
}

static void test_secret_is_stored_once(void **state)
{
	unsigned char a[32], b[32], first[32], second[32];
	test_pg t;
	pg_db *db;
	app_err err;

	(void)state;
	memset(a, 0xa5, sizeof(a));
	memset(b, 0x00, sizeof(b)); /* a NUL byte: stored as bytes, not text */
	b[5] = 7;
	test_pg_create(&t, "pg_secret");
	assert_int_equal(pg_db_open(&db, t.conninfo, &err), 0);
	assert_int_equal(pg_db_secret(first, db, "views", b, sizeof(b), &err), 0);
	assert_memory_equal(first, b, sizeof(b));
	assert_int_equal(pg_db_secret(second, db, "views", a, sizeof(a), &err), 0);
	assert_memory_equal(second, b, sizeof(b)); /* the stored one stands */
	assert_int_equal(pg_db_secret(second, db, "other", a, 16, &err), 0);
	assert_int_equal(pg_db_secret(second, db, "other", a, sizeof(a), &err), APP_EIO);
	pg_db_close(db);
	test_pg_drop(&t);
}

/* --- the schema ----------------------------------------------------------------------- */

#define COLUMNS_MAX 600

/* Each "table.column" of SQLite's schema into cols, sorted; how many. */
static size_t sqlite_columns(char (*cols)[80], size_t cap)
{
	char dir[512], path[600];
	sqlite_db *db;
	sqlite3_stmt *st;
	size_t n = 0;
	app_err err;

	test_tmpdir(dir, sizeof(dir), "pg-schema");
	snprintf(path, sizeof(path), "%s/wl.db", dir);
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	assert_int_equal(sqlite3_prepare_v2(sqlite_db_conn(db, &err),
					    "SELECT m.name || '.' || p.name FROM sqlite_master m,"
					    " pragma_table_info(m.name) p WHERE m.type = 'table'"
					    " AND m.name NOT LIKE 'books_fts%' ORDER BY 1",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (n < cap && sqlite3_step(st) == SQLITE_ROW)
		snprintf(cols[n++], sizeof(cols[0]), "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite_db_close(db);
	return n;
}

/* The same of t's PostgreSQL schema (schema_version is PostgreSQL's alone). */
static size_t pg_columns(char (*cols)[80], size_t cap, const test_pg *t)
{
	PGconn *c = PQconnectdb(t->conninfo);
	PGresult *r;
	size_t n = 0;

	assert_int_equal(PQstatus(c), CONNECTION_OK);
	r = PQexec(c, "SELECT table_name || '.' || column_name FROM information_schema.columns"
		      " WHERE table_schema = 'public' AND table_name <> 'schema_version'"
		      " ORDER BY (table_name || '.' || column_name) COLLATE \"C\"");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	for (int i = 0; i < PQntuples(r) && n < cap; i++)
		snprintf(cols[n++], sizeof(cols[0]), "%s", PQgetvalue(r, i, 0));
	PQclear(r);
	PQfinish(c);
	return n;
}

/*
 * Both engines store the same things: a migration added on SQLite wants its
 * PostgreSQL twin in src/adapters/postgres/pg_schema.c (and the repositories
 * that read it), which this test names.
 */
static void test_schema_has_sqlites_tables_and_columns(void **state)
{
	static char lite[COLUMNS_MAX][80], pg[COLUMNS_MAX][80];
	size_t nl = sqlite_columns(lite, COLUMNS_MAX), np, i = 0, j = 0;
	int differ = 0;
	test_pg t;
	pg_db *db;
	app_err err;

	(void)state;
	test_pg_create(&t, "pg_schema");
	assert_int_equal(pg_db_open(&db, t.conninfo, &err), 0);
	pg_db_close(db);
	np = pg_columns(pg, COLUMNS_MAX, &t);
	test_pg_drop(&t);
	assert_true(nl > 100 && nl < COLUMNS_MAX);
	while (i < nl || j < np) {
		int cmp = i == nl ? 1 : j == np ? -1 : strcmp(lite[i], pg[j]);

		if (cmp < 0)
			fprintf(stderr,
				"SQLite has %s and PostgreSQL has not: add a migration to "
				"src/adapters/postgres/pg_schema.c\n",
				lite[i]);
		else if (cmp > 0)
			fprintf(stderr, "PostgreSQL has %s and SQLite has not\n", pg[j]);
		differ += cmp != 0;
		i += cmp <= 0;
		j += cmp >= 0;
	}
	assert_int_equal(differ, 0);
}

/* The catalog's search (three characters or more) is answered by the pg_trgm index. */
static void test_search_uses_the_trigram_index(void **state)
{
	test_pg t;
	pg_db *db;
	app_err err;

	(void)state;
	test_pg_create(&t, "pg_trgm");
	assert_int_equal(pg_db_open(&db, t.conninfo, &err), 0);
	pg_db_close(db);
	test_pg_sql(&t,
		    "DO $$ DECLARE line text; plan text := ''; BEGIN"
		    " SET LOCAL enable_seqscan = off;"
		    " FOR line IN EXECUTE 'EXPLAIN SELECT id FROM books b WHERE"
		    "  lower(b.title) LIKE ''%걷다가%'' OR lower(b.author_name) LIKE ''%걷다가%''"
		    "  OR lower(b.summary) LIKE ''%걷다가%''' LOOP plan := plan || line; END LOOP;"
		    " IF position('books_search' IN plan) = 0 THEN"
		    "  RAISE EXCEPTION 'the search does not use books_search: %', plan; END IF;"
		    " END $$");
	test_pg_drop(&t);
}

/* --- fifty spends of one wallet at once ------------------------------------------- */

#define SPENDERS 50
#define PRICE	 300

typedef struct spender {
	pg_db *db;
	int64_t member_id;
	pthread_barrier_t *start;
	int rc;
} spender;

/* One purchase as the books core makes it: the guarded debit and its ledger row, one unit. */
static void *spend(void *arg)
{
	spender *s = arg;
	member_repo members = pg_member_repo(s->db);
	ledger_repo ledger = pg_ledger_repo(s->db);
	uow u = pg_db_uow(s->db);
	ledger_entry e = {.member_id = s->member_id, .kind = LEDGER_PURCHASE, .amount = -PRICE};
	uow_tx *tx;
	app_err err;

	pthread_barrier_wait(s->start);
	if ((s->rc = uow_begin(&tx, &u, &err)))
		return NULL;
	if ((s->rc =
		 member_repo_debit(&e.balance_after, &members, tx, s->member_id, PRICE, &err)) ||
	    (s->rc = ledger_repo_append(&ledger, tx, &e, &err))) {
		uow_rollback(tx);
		return NULL;
	}
	s->rc = uow_commit(tx, &err);
	return NULL;
}

static void test_fifty_spends_at_once_take_what_the_wallet_holds(void **state)
{
	pthread_t threads[SPENDERS];
	spender s[SPENDERS];
	pthread_barrier_t start;
	ledger_entry rows[SPENDERS + 1];
	int ok = 0, short_ = 0;
	int64_t spent = 0;
	test_pg t;
	member m = {.roles = 1, .created_at = 1};
	member_repo members;
	ledger_repo ledger;
	pg_db *db;
	uow u;
	size_t n;
	app_err err;

	(void)state;
	test_pg_create(&t, "pg_spenders");
	assert_int_equal(pg_db_open(&db, t.conninfo, &err), 0);
	members = pg_member_repo(db);
	ledger = pg_ledger_repo(db);
	u = pg_db_uow(db);
	snprintf(m.email, sizeof(m.email), "w@example.com");
	snprintf(m.password_hash, sizeof(m.password_hash), "h");
	{
		uow_tx *tx;
		int64_t balance;

		assert_int_equal(uow_begin(&tx, &u, &err), 0);
		assert_int_equal(member_repo_insert(&members, tx, &m, &err), 0);
		/* 17 purchases' worth and a little: 33 of the 50 must be refused */
		assert_int_equal(
		    member_repo_credit(&balance, &members, tx, m.id, 17 * PRICE + 150, &err), 0);
		assert_int_equal(uow_commit(tx, &err), 0);
	}
	pthread_barrier_init(&start, NULL, SPENDERS);
	for (int i = 0; i < SPENDERS; i++) {
		s[i] = (spender){.db = db, .member_id = m.id, .start = &start};
		assert_int_equal(pthread_create(&threads[i], NULL, spend, &s[i]), 0);
	}
	for (int i = 0; i < SPENDERS; i++) {
		pthread_join(threads[i], NULL);
		ok += s[i].rc == 0;
		short_ += s[i].rc == APP_EINSUFFICIENT;
	}
	pthread_barrier_destroy(&start);
	assert_int_equal(ok, 17);
	assert_int_equal(short_, SPENDERS - 17);
	assert_int_equal(member_repo_find_by_id(&m, &members, NULL, m.id, &err), 0);
	assert_int_equal(m.points, 150);
	/* the balance is what the ledger says: every debit has its row, each row its balance */
	assert_int_equal(ledger_repo_list(rows, &n, &ledger, NULL, m.id, 0, SPENDERS + 1, &err), 0);
	assert_int_equal(n, 17);
	for (size_t i = 0; i < n; i++) {
		spent -= rows[i].amount;
		assert_int_equal(rows[i].balance_after, 150 + (int64_t)i * PRICE);
	}
	assert_int_equal(spent, 17 * PRICE);
	pg_db_close(db);
	test_pg_drop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrates_once_and_refuses_a_newer_schema),
	    cmocka_unit_test(test_a_server_that_is_gone_is_unavailable),
	    cmocka_unit_test(test_secret_is_stored_once),
	    cmocka_unit_test(test_schema_has_sqlites_tables_and_columns),
	    cmocka_unit_test(test_search_uses_the_trigram_index),
	    cmocka_unit_test(test_fifty_spends_at_once_take_what_the_wallet_holds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
