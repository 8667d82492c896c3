/*
 * The PostgreSQL adapter: one database reached with libpq (a postgres:// or
 * postgresql:// URL, or libpq keywords), a connection per thread with its
 * prepared statements, versioned migrations in schema_version, the unit of
 * work at READ COMMITTED, and the repositories of the cores (pg_repos.h).
 * The same ports as the SQLite adapter, held to the same contract suites.
 */
#ifndef WL_PG_DB_H
#define WL_PG_DB_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct pg_db pg_db;

/* The schema version this binary migrates to. */
int pg_db_schema_version(void);

/*
 * Connects with conninfo (a URL or keywords) and migrates the database.
 * Refuses a schema newer than this binary knows (APP_EIO, saying so); a
 * server that cannot be reached is APP_EUNAVAILABLE. *out is freed with
 * pg_db_close().
 */
int pg_db_open(pg_db **out, const char *conninfo, app_err *err);

/* Closes every connection; call after the threads that used it stopped. */
void pg_db_close(pg_db *db);

/*
 * The unit of work: BEGIN ISOLATION LEVEL READ COMMITTED ... COMMIT on the
 * calling thread's connection. Units of different threads run at once; the
 * guarded statements (UPDATE ... WHERE balance >= $n, unique keys, ON
 * CONFLICT) keep them honest. A statement that fails inside a unit leaves
 * the unit usable, as on SQLite (each write runs under a savepoint).
 */
uow pg_db_uow(pg_db *db);

/*
 * 0 when the database answers, is at this binary's schema version and takes
 * a write (a probe transaction commits); APP_EUNAVAILABLE when it cannot.
 */
int pg_db_ready(pg_db *db, app_err *err);

/*
 * The server secret called name (len bytes): the stored one, or candidate
 * stored now when there is none yet (so every instance agrees).
 */
int pg_db_secret(unsigned char *out, pg_db *db, const char *name, const unsigned char *candidate,
		 size_t len, app_err *err);

/* --- statements ------------------------------------------------------------------ */

#define PG_PARAMS_MAX 32

/* A statement's parameters, $1 first: text (or binary bytea), no allocation. */
typedef struct pg_params {
	int n;
	const char *value[PG_PARAMS_MAX];
	int length[PG_PARAMS_MAX];
	int format[PG_PARAMS_MAX];
	char num[PG_PARAMS_MAX][24];
} pg_params;

void pg_params_init(pg_params *p);
void pg_param_int(pg_params *p, int64_t v);
/* NULL binds SQL NULL; the text must outlive the statement's run. */
void pg_param_text(pg_params *p, const char *s);
void pg_param_null(pg_params *p);
/* An id, or SQL NULL for 0 (none). */
void pg_param_id(pg_params *p, int64_t id);
/* Binary bytea; the bytes must outlive the statement's run. */
void pg_param_bytes(pg_params *p, const void *data, size_t len);
/* Text of len bytes, not NUL-terminated (sent in binary form: text's is its bytes). */
void pg_param_textn(pg_params *p, const char *s, size_t len);

/*
 * Runs sql (a string literal: prepared once per connection, cached by
 * address) with p (NULL: none) in the unit tx, or outside any unit when tx
 * is NULL (reads only: asserted). *res holds the rows (free it with
 * PQclear); failures are mapped as pg_db_error() with what, and leave a
 * unit usable.
 */
int pg_db_query(PGresult **res, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
		const char *what, app_err *err);

/* As pg_db_query() for a statement without rows; *changed (may be NULL): the rows it changed. */
int pg_db_exec(int64_t *changed, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
	       const char *what, app_err *err);

/*
 * As pg_db_query() expecting one row: APP_ENOTFOUND with notfound as the
 * message when there is none (and *res NULL).
 */
int pg_db_row(PGresult **res, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
	      const char *notfound, const char *what, app_err *err);

/* As pg_db_row() for a statement answering one integer (column 0 of its row) into *out. */
int pg_db_int(int64_t *out, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
	      const char *what, app_err *err);

/* Reads row of r into dst, one element of the caller's array. */
typedef int (*pg_row_reader)(void *dst, const PGresult *r, int row, app_err *err);

/*
 * The one row loop: runs sql and reads each row with read into out
 * (elements of size bytes), at most cap; *n says how many. A reader's
 * failure is the answer, with *n 0 (for rows that own nothing).
 */
int pg_db_rows(void *out, size_t size, size_t *n, size_t cap, pg_db *db, uow_tx *tx,
	       const char *sql, const pg_params *p, pg_row_reader read, const char *what,
	       app_err *err);
/* A reader of column 0 into an int64_t. */
int pg_row_int64(void *dst, const PGresult *r, int row, app_err *err);

/*
 * Column col of row as an integer (NULL: 0), as text (NULL: ""), copied into
 * dst (cap bytes, cut to fit at a character boundary).
 */
int64_t pg_int(const PGresult *r, int row, int col);
const char *pg_text(const PGresult *r, int row, int col);
void pg_copy(char *dst, size_t cap, const PGresult *r, int row, int col);
int pg_is_null(const PGresult *r, int row, int col);

/*
 * Maps a failed result (or none: the connection) to an APP_E* code with
 * detail in err: a unique violation is APP_EEXISTS, another integrity
 * violation APP_ECONFLICT; a serialisation failure or deadlock, a lost or
 * refused connection, a full disk or a read-only server APP_EUNAVAILABLE
 * (as SQLite's busy and I/O errors are); anything else APP_EIO.
 */
int pg_db_error(PGconn *c, const PGresult *r, const char *what, app_err *err);

#endif
