/* The SQLite adapter's own promises: migrations, pragmas, units of work, threads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/sqlite/sqlite_repos.h"
#include "support/test_env.h"

static void db_path(char *out, size_t cap, const char *name)
{
	char dir[512];

	test_tmpdir(dir, sizeof(dir), name);
	snprintf(out, cap, "%s/db.sqlite", dir);
}

static int pragma_int(sqlite_db *db, const char *sql)
{
	sqlite3_stmt *st;
	int v = -1;

	assert_int_equal(sqlite3_prepare_v2(sqlite_db_conn(db, NULL), sql, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void test_migrates_once_and_sets_pragmas(void **state)
{
	char path[600];
	sqlite_db *db;
	sqlite3_stmt *st;
	const char *mode;
	app_err err;

	(void)state;
	db_path(path, sizeof(path), "sqlite-migrate");
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	assert_int_equal(pragma_int(db, "PRAGMA user_version"), sqlite_db_schema_version());
	assert_int_equal(pragma_int(db, "PRAGMA foreign_keys"), 1);
	assert_true(pragma_int(db, "PRAGMA busy_timeout") >= 1000);
	assert_int_equal(
	    sqlite3_prepare_v2(sqlite_db_conn(db, NULL), "PRAGMA journal_mode", -1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	mode = (const char *)sqlite3_column_text(st, 0);
	assert_string_equal(mode, "wal");
	sqlite3_finalize(st);
	assert_int_equal(sqlite_db_ready(db, &err), 0);
	sqlite_db_close(db);
	/* opening again migrates nothing and keeps the data */
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	assert_int_equal(pragma_int(db, "PRAGMA user_version"), sqlite_db_schema_version());
	sqlite_db_close(db);
}

static void test_refuses_newer_schema(void **state)
{
	char path[600];
	sqlite3 *h;
	sqlite_db *db = NULL;
	app_err err;

	(void)state;
	db_path(path, sizeof(path), "sqlite-newer");
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, "PRAGMA user_version=999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
	assert_int_equal(sqlite_db_open(&db, path, &err), APP_EIO);
	assert_null(db);
	assert_non_null(strstr(err.msg, "newer than this binary"));
}

/* A lone write is a unit of its own (every write goes through the writer path). */
static int insert_member(sqlite_db *db, member *m, app_err *err)
{
	member_repo members = sqlite_member_repo(db);
	uow u = sqlite_db_uow(db);
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &u, err)))
		return rc;
	if ((rc = member_repo_insert(&members, tx, m, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

static void test_unit_of_work_commits_or_rolls_back_together(void **state)
{
	char path[600];
	sqlite_db *db;
	member_repo members;
	uow u;
	uow_tx *tx;
	member m, got;
	int64_t bal;
	app_err err;

	(void)state;
	db_path(path, sizeof(path), "sqlite-uow");
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	members = sqlite_member_repo(db);
	u = sqlite_db_uow(db);
	memset(&m, 0, sizeof(m));
	snprintf(m.email, sizeof(m.email), "a@example.com");
	snprintf(m.password_hash, sizeof(m.password_hash), "h");
	assert_int_equal(insert_member(db, &m, &err), 0);

	/* two writes, rolled back: neither lands; inside the unit both were seen */
	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	assert_int_equal(member_repo_credit(&bal, &members, tx, m.id, 100, &err), 0);
	assert_int_equal(member_repo_credit(&bal, &members, tx, m.id, 50, &err), 0);
	assert_int_equal(member_repo_find_by_id(&got, &members, tx, m.id, &err), 0);
	assert_int_equal(got.points, 150);
	uow_rollback(tx);
	assert_int_equal(member_repo_find_by_id(&got, &members, NULL, m.id, &err), 0);
	assert_int_equal(got.points, 0);

	/* committed: it lands */
	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	assert_int_equal(member_repo_credit(&bal, &members, tx, m.id, 70, &err), 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	assert_int_equal(member_repo_find_by_id(&got, &members, NULL, m.id, &err), 0);
	assert_int_equal(got.points, 70);
	sqlite_db_close(db);
}

typedef struct spender {
	sqlite_db *db;
	int64_t member_id;
	int ok, short_;
} spender;

static void *spend_thread(void *arg)
{
	spender *s = arg;
	member_repo members = sqlite_member_repo(s->db);
	ledger_repo ledger = sqlite_ledger_repo(s->db);
	uow u = sqlite_db_uow(s->db);

	for (int i = 0; i < 4; i++) {
		ledger_entry e = {0};
		uow_tx *tx;
		app_err err;
		int rc;

		if (uow_begin(&tx, &u, &err) != 0)
			continue;
		rc = member_repo_debit(&e.balance_after, &members, tx, s->member_id, 30, &err);
		if (rc == 0) {
			e.member_id = s->member_id;
			e.kind = LEDGER_PURCHASE;
			e.amount = -30;
			rc = ledger_repo_append(&ledger, tx, &e, &err);
		}
		if (rc == 0 && uow_commit(tx, &err) == 0)
			s->ok++;
		else {
			if (rc)
				uow_rollback(tx);
			if (rc == APP_EINSUFFICIENT)
				s->short_++;
		}
	}
	return NULL;
}

static void test_fifty_threads_never_overdraw(void **state)
{
	enum { THREADS = 50 };
	char path[600];
	sqlite_db *db;
	member_repo members;
	ledger_repo ledger;
	pthread_t th[THREADS];
	spender sp[THREADS];
	ledger_entry *entries = calloc(400, sizeof(*entries));
	member m, got;
	int64_t bal, sum = 1000;
	uow u;
	uow_tx *tx;
	size_t n;
	int ok = 0;
	app_err err;

	(void)state;
	db_path(path, sizeof(path), "sqlite-threads");
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	members = sqlite_member_repo(db);
	ledger = sqlite_ledger_repo(db);
	memset(&m, 0, sizeof(m));
	snprintf(m.email, sizeof(m.email), "a@example.com");
	snprintf(m.password_hash, sizeof(m.password_hash), "h");
	assert_int_equal(insert_member(db, &m, &err), 0);
	u = sqlite_db_uow(db);
	assert_int_equal(uow_begin(&tx, &u, &err), 0);
	assert_int_equal(member_repo_credit(&bal, &members, tx, m.id, 1000, &err), 0);
	assert_int_equal(uow_commit(tx, &err), 0);
	for (int i = 0; i < THREADS; i++) {
		sp[i] = (spender){db, m.id, 0, 0};
		assert_int_equal(pthread_create(&th[i], NULL, spend_thread, &sp[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(th[i], NULL);
		ok += sp[i].ok;
	}
	assert_int_equal(ok, 1000 / 30); /* 33 debits fit, no more */
	assert_int_equal(member_repo_find_by_id(&got, &members, NULL, m.id, &err), 0);
	assert_int_equal(got.points, 1000 - 30 * ok);
	assert_int_equal(ledger_repo_list(entries, &n, &ledger, NULL, m.id, 0, 400, &err), 0);
	assert_int_equal(n, (size_t)ok);
	for (size_t i = 0; i < n; i++)
		sum += entries[i].amount;
	assert_int_equal(sum, got.points);
	free(entries);
	sqlite_db_close(db);
}

static void test_backup_is_a_consistent_copy(void **state)
{
	char path[600], copy[700];
	sqlite_db *db;
	member_repo members;
	member m, got;
	app_err err;

	(void)state;
	db_path(path, sizeof(path), "sqlite-backup");
	snprintf(copy, sizeof(copy), "%s.copy", path);
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	memset(&m, 0, sizeof(m));
	snprintf(m.email, sizeof(m.email), "kept@example.com");
	snprintf(m.password_hash, sizeof(m.password_hash), "h");
	assert_int_equal(insert_member(db, &m, &err), 0);
	assert_int_equal(sqlite_db_backup(path, copy, &err), 0); /* while open */
	sqlite_db_close(db);
	assert_int_equal(sqlite_db_open(&db, copy, &err), 0);
	members = sqlite_member_repo(db);
	assert_int_equal(member_repo_find_by_email(&got, &members, NULL, "kept@example.com", &err),
			 0);
	sqlite_db_close(db);
	assert_int_equal(sqlite_db_backup("/nonexistent/dir/x.db", copy, &err), APP_EIO);
}

/*
 * Storage that cannot take writes answers APP_EUNAVAILABLE (503
 * storage_unavailable), never a business answer; reads go on.
 */
static void test_storage_that_cannot_write_is_unavailable(void **state)
{
	char path[600];
	sqlite_db *db;
	member_repo members;
	member m, got;
	app_err err;
	int rc;

	(void)state;
	db_path(path, sizeof(path), "sqlite-unavailable");
	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	members = sqlite_member_repo(db);
	memset(&m, 0, sizeof(m));
	snprintf(m.email, sizeof(m.email), "first@example.com");
	snprintf(m.password_hash, sizeof(m.password_hash), "h");
	assert_int_equal(insert_member(db, &m, &err), 0);

	/* a read-only connection: SQLITE_READONLY */
	assert_int_equal(sqlite_db_exec(db, "PRAGMA query_only=1", &err), 0);
	snprintf(m.email, sizeof(m.email), "second@example.com");
	assert_int_equal(insert_member(db, &m, &err), APP_EUNAVAILABLE);
	assert_string_equal(err.word, "storage_unavailable");
	assert_int_equal(member_repo_find_by_email(&got, &members, NULL, "first@example.com", &err),
			 0);
	assert_int_equal(sqlite_db_exec(db, "PRAGMA query_only=0", &err), 0);

	/* a full disk: no page left (SQLITE_FULL) */
	assert_int_equal(sqlite_db_exec(db, "PRAGMA max_page_count=1", &err), 0);
	for (int i = 0; i < 200; i++) {
		snprintf(m.email, sizeof(m.email), "filler-%d-%0120d@example.com", i, 0);
		if ((rc = insert_member(db, &m, &err)))
			break;
	}
	assert_int_equal(rc, APP_EUNAVAILABLE);
	assert_string_equal(err.word, "storage_unavailable");
	assert_int_equal(member_repo_find_by_email(&got, &members, NULL, "first@example.com", &err),
			 0);
	sqlite_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_migrates_once_and_sets_pragmas),
	    cmocka_unit_test(test_refuses_newer_schema),
	    cmocka_unit_test(test_unit_of_work_commits_or_rolls_back_together),
	    cmocka_unit_test(test_fifty_threads_never_overdraw),
	    cmocka_unit_test(test_backup_is_a_consistent_copy),
	    cmocka_unit_test(test_storage_that_cannot_write_is_unavailable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
