/*
 * The SQLite adapter: one database file, WAL, foreign keys, a busy timeout,
 * one connection per thread with cached prepared statements, versioned
 * migrations, the unit of work and the repositories of every core.
 */
#ifndef WL_SQLITE_DB_H
#define WL_SQLITE_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct sqlite_db sqlite_db;

/* The schema version this binary migrates to. */
int sqlite_db_schema_version(void);

/*
 * Opens (creating if needed) and migrates the database at path. Refuses a
 * schema newer than this binary knows. *out is freed with sqlite_db_close().
 */
int sqlite_db_open(sqlite_db **out, const char *path, app_err *err);

/* Closes every connection; call after the threads that used it stopped. */
void sqlite_db_close(sqlite_db *db);

/* This thread's connection, opened on first use. NULL on failure. */
sqlite3 *sqlite_db_conn(sqlite_db *db, app_err *err);

/*
 * *st: a prepared statement for sql (a string literal: cached by address),
 * reset and unbound, on the connection of the unit tx, or on this thread's
 * when tx is NULL (a read outside any unit). Release it with
 * sqlite_stmt_done(). Asserted: a statement that writes has a tx (every
 * write goes through the writer lock and one COMMIT), tx is this thread's
 * and open, and no NULL tx while this thread has a unit open.
 */
int sqlite_db_stmt(sqlite3_stmt **st, sqlite_db *db, uow_tx *tx, const char *sql, app_err *err);
void sqlite_stmt_done(sqlite3_stmt *st);

/*
 * Steps st expecting one row: 0 with the row ready to read (release st with
 * sqlite_stmt_done() after), APP_ENOTFOUND with notfound as the message, or
 * the mapped failure; st is released in both of those.
 */
int sqlite_stmt_row(sqlite_db *db, sqlite3_stmt *st, const char *notfound, const char *what,
		    app_err *err);

/* Reads st's current row into dst, one element of the caller's array. */
typedef int (*sqlite_row_reader)(void *dst, sqlite3_stmt *st, app_err *err);

/* Copies a text column into dst (cap bytes), cut to fit at a character boundary. */
void sqlite_text_col(char *dst, size_t cap, sqlite3_stmt *st, int col);

/*
 * The one row loop: steps st and reads each row with read into out (elements
 * of size bytes), at most cap; *n says how many. Releases st. A reader's
 * failure (its code) or a step's (mapped as sqlite_db_error() with what) is
 * the answer, with *n 0: for rows that own nothing (or whose reader frees
 * what it took when it fails).
 */
int sqlite_stmt_rows(void *out, size_t size, size_t *n, size_t cap, sqlite_db *db, sqlite3_stmt *st,
		     sqlite_row_reader read, const char *what, app_err *err);
/* Readers of column 0 into an int64_t, and into an int. */
int sqlite_row_int64(void *dst, sqlite3_stmt *st, app_err *err);
int sqlite_row_int(void *dst, sqlite3_stmt *st, app_err *err);

/* Runs st, which returns no rows, and releases it; failures mapped as sqlite_db_error(). */
int sqlite_stmt_exec(sqlite_db *db, sqlite3_stmt *st, const char *what, app_err *err);

/*
 * The rowid of this thread's last insert, and the rows its last statement
 * changed (a unit's handle is its thread's, so this is the unit's connection).
 */
int64_t sqlite_db_last_id(sqlite_db *db);
int sqlite_db_changes(sqlite_db *db);

/*
 * Maps a SQLite result code to an APP_E* code with detail in err: a unique
 * or primary key violation is APP_EEXISTS, another constraint APP_ECONFLICT,
 * storage that cannot take writes (sqlite_rc_unavailable) APP_EUNAVAILABLE,
 * anything else APP_EIO.
 */
int sqlite_db_error(sqlite_db *db, int rc, const char *what, app_err *err);

/* 1 for the (extended) result codes of storage that cannot write now: full, read-only, I/O,
 * cannot open, busy past the timeout. */
int sqlite_rc_unavailable(int rc);

/* Runs SQL without results on this thread's connection. */
int sqlite_db_exec(sqlite_db *db, const char *sql, app_err *err);

/*
 * The unit of work on this database: BEGIN IMMEDIATE ... COMMIT on the
 * calling thread's connection, writers of this process queued in order on
 * one mutex (SQLite's busy timeout still arbitrates with other processes).
 * The handle lives in the connection: beginning allocates nothing.
 */
uow sqlite_db_uow(sqlite_db *db);

/*
 * Makes this thread a borrower: its connection is lent from a small shared
 * set (and waited for when all are lent) instead of opened for the thread
 * alone, and goes back with sqlite_db_release. For threads that serve short
 * tasks and are many more than the tasks at once (HTTP workers).
 */
void sqlite_db_borrow(sqlite_db *db);
/* Gives a borrower's connection back (not inside a unit of work); it may borrow again. */
void sqlite_db_release(sqlite_db *db);

/* Below this many free bytes on the database's filesystem, storage is not ready. */
#define SQLITE_READY_FREE_MIN (1024 * 1024)

/*
 * 0 when the database answers, is at this binary's schema version and takes
 * a write (a probe transaction commits, and the filesystem has at least
 * SQLITE_READY_FREE_MIN free); APP_EUNAVAILABLE when it cannot write.
 */
int sqlite_db_ready(sqlite_db *db, app_err *err);

/* Writes a consistent copy of the (possibly live) database at src to dst. */
int sqlite_db_backup(const char *src, const char *dst, app_err *err);

/*
 * The server secret called name (len bytes): the stored one, or candidate
 * stored now when there is none yet (so every start and process agrees).
 */
int sqlite_db_secret(unsigned char *out, sqlite_db *db, const char *name,
		     const unsigned char *candidate, size_t len, app_err *err);

/* Binds text or NULL when s is NULL. */
int sqlite_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s);

#endif
