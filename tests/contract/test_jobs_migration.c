/*
 * Migration 22 (the author's desk): generation jobs made by the schema before
 * it keep their ids, states and kept texts, become publishing jobs (still one
 * per manuscript), and regenerations can be stored beside them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/sqlite/sqlite_schema.h"
#include "support/test_env.h"

#define BEFORE 21 /* the schema version before regenerations */

static const char OLD_ROWS[] =
    "INSERT INTO aigen_jobs(id, manuscript_id, status, attempts, next_attempt_at, lease_until,"
    " last_error, generator, created_at, updated_at) VALUES"
    " (3, 30, 'succeeded', 1, 5, 0, NULL, 'offline', 1, 2),"
    " (4, 40, 'queued', 2, 9, 0, 'image (x): down', 'gpt', 1, 3);"
    "INSERT INTO aigen_job_texts(job_id, text) VALUES (4, '{\"summary\":\"kept\",\"tagline\":\"t\","
    "\"price\":1200,\"priceReason\":\"r\",\"coverPrompt\":\"c\"}');";

static void test_jobs_carry_over(void **state)
{
	char dir[512], path[600], sql[64];
	aigen_result kept;
	aigen_job j;
	sqlite_db *db;
	sqlite3 *h;
	app_err err;

	(void)state;
	test_tmpdir(dir, sizeof(dir), "jobs-migration");
	snprintf(path, sizeof(path), "%s/old.db", dir);
	assert_int_equal(sqlite3_open(path, &h), SQLITE_OK);
	for (int v = 0; v < BEFORE; v++)
		assert_int_equal(sqlite3_exec(h, sqlite_schema[v], NULL, NULL, NULL), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", BEFORE);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, OLD_ROWS, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);

	assert_int_equal(sqlite_db_open(&db, path, &err), 0);
	aigen_job_repo jobs = sqlite_aigen_job_repo(db);
	assert_int_equal(aigen_job_repo_find_by_manuscript(&j, &jobs, NULL, 40, &err), 0);
	assert_int_equal(j.id, 4);
	assert_int_equal(j.kind, AIGEN_JOB_PUBLISH);
	assert_int_equal(j.status, AIGEN_JOB_QUEUED);
	assert_int_equal(j.attempts, 2);
	assert_string_equal(j.last_error, "image (x): down");
	assert_int_equal(j.book_id, 0);
	memset(&kept, 0, sizeof(kept));
	assert_int_equal(aigen_job_repo_kept_text(&kept, &jobs, NULL, 4, &err), 0);
	assert_string_equal(kept.summary, "kept");
	aigen_result_dispose(&kept);

	/* still one publishing job per manuscript, and a regeneration beside it */
	{
		uow u = sqlite_db_uow(db);
		aigen_job dup = {.manuscript_id = 30, .status = AIGEN_JOB_QUEUED};
		aigen_job re = {.manuscript_id = 30,
				.kind = AIGEN_JOB_REGENERATE,
				.book_id = 1,
				.parts = AIGEN_REGEN_TAGLINE,
				.variant = 1,
				.status = AIGEN_JOB_QUEUED};
		uow_tx *tx;

		assert_int_equal(uow_begin(&tx, &u, &err), 0);
		assert_int_equal(aigen_job_repo_insert(&jobs, tx, &dup, &err), APP_EEXISTS);
		assert_int_equal(aigen_job_repo_insert(&jobs, tx, &re, &err), 0);
		assert_int_equal(uow_commit(tx, &err), 0);
		assert_true(re.id > 4);
	}
	sqlite_db_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_jobs_carry_over),
	};

	assert_true(sqlite_schema_count > BEFORE);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
