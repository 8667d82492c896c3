/* The row-iteration helper of the repositories (sqlite_db.h). */
#include "adapters/sqlite/sqlite_db.h"

int sqlite_stmt_rows(void *out, size_t size, size_t *n, size_t cap, sqlite_db *db, sqlite3_stmt *st,
		     sqlite_row_reader read, const char *what, app_err *err)
{
	char *row = out;
	int rc = SQLITE_DONE, failed = 0;

	*n = 0;
	while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((failed = read(row + *n * size, st, err)))
			break;
		(*n)++;
	}
	sqlite_stmt_done(st);
	if (failed || (rc != SQLITE_DONE && rc != SQLITE_ROW)) {
		*n = 0;
		return failed ? failed : sqlite_db_error(db, rc, what, err);
	}
	return 0;
}

int sqlite_row_int64(void *dst, sqlite3_stmt *st, app_err *err)
{
	(void)err;
	*(int64_t *)dst = sqlite3_column_int64(st, 0);
	return 0;
}

int sqlite_row_int(void *dst, sqlite3_stmt *st, app_err *err)
{
	(void)err;
	*(int *)dst = sqlite3_column_int(st, 0);
	return 0;
}
