#include "adapters/sqlite/sqlite_db.h"
#include "adapters/sqlite/sqlite_schema.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>

#define STMT_CACHE_MAX	192
#define BUSY_TIMEOUT_MS 10000

typedef struct cached_stmt {
	const char *sql;
	sqlite3_stmt *st;
} cached_stmt;

struct conn;

/* A unit of work on one connection: the handle uow_begin() gives out. */
typedef struct sqlite_tx {
	uow_tx base; /* first: the handle is a pointer to it */
	struct conn *c;
	pthread_t thread; /* the thread that began it, the only one that may use it */
	int open;
} sqlite_tx;

typedef struct conn {
	sqlite3 *db;
	sqlite_db *owner;
	struct conn *next;
	sqlite_tx tx; /* the one unit this connection can have open (units do not nest) */
	int lent;     /* a borrower's: back to db->idle on release */
	struct conn *idle_next;
	size_t nstmt;
	cached_stmt stmts[STMT_CACHE_MAX];
} conn;

struct sqlite_db {
	char *path;
	pthread_key_t key;
	pthread_mutex_t lock; /* guards conns */
	conn *conns;
	/*
	 * Held from BEGIN IMMEDIATE to COMMIT/ROLLBACK: this process's writers
	 * queue here in order instead of in SQLite's sleeping busy handler (which
	 * still arbitrates with other processes, e.g. `admin create`).
	 */
	pthread_mutex_t write_lock;
	/*
	 * Connections lent to borrowing threads (HTTP workers, sqlite_db_borrow):
	 * there are far more workers than requests at once, and a connection per
	 * worker was ~200 KB each (1,536 of them: 300 MB). Borrowers take an idle
	 * one, at most BORROWED_MAX exist, and sqlite_db_release gives one back.
	 */
	conn *idle;
	int borrowed;
	pthread_cond_t returned;
};

#define BORROWED_MAX 32

/* The database this thread borrows connections of (see sqlite_db_borrow), if any. */
static _Thread_local sqlite_db *borrower_of;

static void conn_close(conn *c)
{
	for (size_t i = 0; i < c->nstmt; i++)
		sqlite3_finalize(c->stmts[i].st);
	sqlite3_close(c->db);
	free(c);
}

static void conn_unlink(sqlite_db *db, conn *c)
{
	pthread_mutex_lock(&db->lock);
	for (conn **p = &db->conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	pthread_mutex_unlock(&db->lock);
}

/* Thread exit: the thread's connection goes with it. */
static void conn_destructor(void *arg)
{
	conn *c = arg;

	conn_unlink(c->owner, c);
	conn_close(c);
}

int sqlite_rc_unavailable(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:     /* disk full, or max_page_count reached */
	case SQLITE_READONLY: /* a read-only file or directory */
	case SQLITE_IOERR:    /* every SQLITE_IOERR_* */
	case SQLITE_CANTOPEN: /* the file (or its -wal) cannot be opened */
	case SQLITE_BUSY:     /* another process held the lock past the busy timeout */
		return 1;
	default:
		return 0;
	}
}

int sqlite_db_error(sqlite_db *db, int rc, const char *what, app_err *err)
{
	conn *c = db ? pthread_getspecific(db->key) : NULL;
	const char *msg = c ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc);

	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "%s: already exists",
					   what);
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "%s: constraint failed: %s",
				   what, msg);
	}
	if (sqlite_rc_unavailable(rc))
		return app_err_set(err, APP_EUNAVAILABLE, NULL, NULL, "%s: %s", what, msg);
	return app_err_set(err, APP_EIO, NULL, NULL, "%s: %s", what, msg);
}

static int open_handle(sqlite3 **out, const char *path, app_err *err)
{
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(
	    path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);

	if (rc != SQLITE_OK) {
		rc = app_err_set(err, sqlite_rc_unavailable(rc) ? APP_EUNAVAILABLE : APP_EIO, NULL,
				 NULL, "cannot open database %s: %s", path,
				 h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
		sqlite3_close(h);
		return rc;
	}
	sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(h, 1);
	/*
	 * Every worker thread has its own connection and so its own page cache: keep
	 * each small (256 KiB: the b-tree interiors and hot rows). The OS page cache
	 * holds the file once for all of them; 48 caches of 4 MB were 200 MB of RSS.
	 */
	rc = sqlite3_exec(h,
			  "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;"
			  " PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
			  " PRAGMA cache_size=-256;",
			  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = app_err_set(err, sqlite_rc_unavailable(rc) ? APP_EUNAVAILABLE : APP_EIO, NULL,
				 NULL, "cannot use database %s: %s", path, sqlite3_errmsg(h));
		sqlite3_close(h);
		return rc;
	}
	*out = h;
	return 0;
}

/* A borrower's connection: an idle one, or a new one while under the cap (else waits). */
static conn *borrow_idle(sqlite_db *db, int *fresh)
{
	conn *c;

	pthread_mutex_lock(&db->lock);
	while (!db->idle && db->borrowed >= BORROWED_MAX)
		pthread_cond_wait(&db->returned, &db->lock);
	if ((c = db->idle))
		db->idle = c->idle_next;
	else
		db->borrowed++;
	*fresh = !c;
	pthread_mutex_unlock(&db->lock);
	return c;
}

/* This thread's connection, opened on first use (or, for a borrower, lent). */
static int thread_conn(conn **out, sqlite_db *db, app_err *err)
{
	conn *c = pthread_getspecific(db->key);
	int rc = 0, lent = borrower_of == db, fresh = 1;

	if (c) {
		*out = c;
		return 0;
	}
	if (lent)
		c = borrow_idle(db, &fresh);
	if (!c && !(c = calloc(1, sizeof(*c))))
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if (fresh && (rc = open_handle(&c->db, db->path, err)))
		free(c);
	if (rc) {
		if (lent) { /* the slot it was to fill */
			pthread_mutex_lock(&db->lock);
			db->borrowed--;
			pthread_cond_signal(&db->returned);
			pthread_mutex_unlock(&db->lock);
		}
		return rc;
	}
	if (fresh) {
		c->owner = db;
		c->lent = lent;
		c->tx.c = c;
		pthread_mutex_lock(&db->lock);
		c->next = db->conns;
		db->conns = c;
		pthread_mutex_unlock(&db->lock);
	}
	pthread_setspecific(db->key, c);
	*out = c;
	return 0;
}

void sqlite_db_borrow(sqlite_db *db)
{
	borrower_of = db;
}

void sqlite_db_release(sqlite_db *db)
{
	conn *c = pthread_getspecific(db->key);

	if (!c || !c->lent || c->tx.open)
		return;
	pthread_mutex_lock(&db->lock);
	c->idle_next = db->idle;
	db->idle = c;
	pthread_setspecific(db->key, NULL);
	pthread_cond_signal(&db->returned);
	pthread_mutex_unlock(&db->lock);
}

sqlite3 *sqlite_db_conn(sqlite_db *db, app_err *err)
{
	conn *c;

	return thread_conn(&c, db, err) ? NULL : c->db;
}

/* The open unit behind a handle, checked: its own thread, this database. */
static sqlite_tx *tx_of(sqlite_db *db, uow_tx *tx)
{
	sqlite_tx *t = (sqlite_tx *)tx;

	assert(t->open);				  /* a handle used after its unit ended */
	assert(pthread_equal(t->thread, pthread_self())); /* a handle is its thread's */
	assert(t->c->owner == db);
	(void)db;
	return t;
}

int sqlite_db_stmt(sqlite3_stmt **out, sqlite_db *db, uow_tx *tx, const char *sql, app_err *err)
{
	sqlite3_stmt *st = NULL;
	conn *c;
	int rc;

	*out = NULL;
	if (tx) {
		c = tx_of(db, tx)->c;
	} else {
		if ((rc = thread_conn(&c, db, err)))
			return rc;
		assert(!c->tx.open); /* inside a unit, pass its handle */
	}
	for (size_t i = 0; i < c->nstmt; i++)
		if (c->stmts[i].sql == sql) {
			st = c->stmts[i].st;
			break;
		}
	if (!st) {
		rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
		if (rc != SQLITE_OK)
			return sqlite_db_error(db, rc, "prepare", err);
		if (c->nstmt == STMT_CACHE_MAX)
			abort(); /* more distinct statements than the cache holds: raise the limit
				  */
		c->stmts[c->nstmt++] = (cached_stmt){sql, st};
	}
	/* Every write goes through a unit: the writer lock, BEGIN IMMEDIATE, one COMMIT. */
	assert(tx || sqlite3_stmt_readonly(st));
	*out = st;
	return 0;
}

void sqlite_stmt_done(sqlite3_stmt *st)
{
	if (st) {
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
	}
}

int64_t sqlite_db_last_id(sqlite_db *db)
{
	return sqlite3_last_insert_rowid(sqlite_db_conn(db, NULL));
}

int sqlite_db_changes(sqlite_db *db)
{
	return sqlite3_changes(sqlite_db_conn(db, NULL));
}

int sqlite_stmt_row(sqlite_db *db, sqlite3_stmt *st, const char *notfound, const char *what,
		    app_err *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 0;
	sqlite_stmt_done(st);
	if (rc == SQLITE_DONE)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "%s", notfound);
	return sqlite_db_error(db, rc, what, err);
}

int sqlite_stmt_exec(sqlite_db *db, sqlite3_stmt *st, const char *what, app_err *err)
{
	int rc = sqlite3_step(st);

	sqlite_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(db, rc, what, err);
}

int sqlite_bind_text_or_null(sqlite3_stmt *st, int idx, const char *s)
{
	return s ? sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, idx);
}

int sqlite_db_exec(sqlite_db *db, const char *sql, app_err *err)
{
	conn *c;
	int rc;

	if ((rc = thread_conn(&c, db, err)))
		return rc;
	rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sqlite_db_error(db, rc, "exec", err);
	return 0;
}

/* --- migrations ----------------------------------------------------------- */

int sqlite_db_schema_version(void)
{
	return (int)sqlite_schema_count;
}

static int user_version(sqlite3 *h, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static int migrate(sqlite3 *h, const char *path, app_err *err)
{
	int version, rc;
	char sql[64];

	/* Serialise concurrent starters (the CLI and a running server). */
	rc = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		goto fail;
	if ((rc = user_version(h, &version)) != SQLITE_OK)
		goto fail;
	if (version > (int)sqlite_schema_count) {
		sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
		return app_err_set(err, APP_EIO, NULL, NULL,
				   "database %s has schema version %d, newer than this binary "
				   "knows (%d): use a newer walking-library",
				   path, version, (int)sqlite_schema_count);
	}
	for (int v = version; v < (int)sqlite_schema_count; v++) {
		rc = sqlite3_exec(h, sqlite_schema[v], NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", v + 1);
		if ((rc = sqlite3_exec(h, sql, NULL, NULL, NULL)) != SQLITE_OK)
			goto fail;
	}
	if ((rc = sqlite3_exec(h, "COMMIT", NULL, NULL, NULL)) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	app_err_set(err, APP_EIO, NULL, NULL, "cannot migrate database %s: %s", path,
		    sqlite3_errmsg(h));
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	return APP_EIO;
}

/*
 * Once per process, before SQLite initialises: no memory statistics (nothing
 * reads them). With them every sqlite3_malloc and sqlite3_free takes one
 * process-wide mutex, which the request threads fought over.
 */
static void sqlite_process_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); /* SQLITE_MISUSE once SQLite runs: harmless */
}

int sqlite_db_open(sqlite_db **out, const char *path, app_err *err)
{
	static pthread_once_t configured = PTHREAD_ONCE_INIT;
	sqlite_db *db;
	sqlite3 *h = NULL;
	int rc;

	pthread_once(&configured, sqlite_process_config);
	db = calloc(1, sizeof(*db));

	if (!db || !(db->path = strdup(path))) {
		free(db);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	pthread_mutex_init(&db->lock, NULL);
	pthread_mutex_init(&db->write_lock, NULL);
	pthread_cond_init(&db->returned, NULL);
	if (pthread_key_create(&db->key, conn_destructor) != 0) {
		free(db->path);
		free(db);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "no thread key left");
	}
	if ((rc = open_handle(&h, path, err)))
		goto fail;
	rc = migrate(h, path, err);
	sqlite3_close(h);
	if (rc)
		goto fail;
	*out = db;
	return 0;
fail:
	pthread_key_delete(db->key);
	pthread_cond_destroy(&db->returned);
	pthread_mutex_destroy(&db->write_lock);
	pthread_mutex_destroy(&db->lock);
	free(db->path);
	free(db);
	return rc;
}

void sqlite_db_close(sqlite_db *db)
{
	conn *c;

	if (!db)
		return;
	pthread_mutex_lock(&db->lock);
	c = db->conns;
	db->conns = NULL;
	pthread_mutex_unlock(&db->lock);
	while (c) {
		conn *next = c->next;

		conn_close(c);
		c = next;
	}
	pthread_setspecific(db->key, NULL);
	pthread_key_delete(db->key);
	pthread_cond_destroy(&db->returned);
	pthread_mutex_destroy(&db->write_lock);
	pthread_mutex_destroy(&db->lock);
	free(db->path);
	free(db);
}

static int write_probe(sqlite_db *db, app_err *err);

/* The bytes free for this process on the filesystem holding path; -1 when unknown. */
static long long free_bytes(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct statvfs fs;

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	if (statvfs(dir, &fs) != 0)
		return -1;
	return (long long)fs.f_bavail * (long long)fs.f_frsize;
}

int sqlite_db_ready(sqlite_db *db, app_err *err)
{
	long long room;
	int version;
	conn *c;
	int rc;

	if ((rc = thread_conn(&c, db, err)))
		return rc;
	if ((rc = user_version(c->db, &version)) != SQLITE_OK)
		return sqlite_db_error(db, rc, "readiness", err);
	if (version != (int)sqlite_schema_count)
		return app_err_set(err, APP_EIO, NULL, NULL, "schema version %d, expected %d",
				   version, (int)sqlite_schema_count);
	/* Storage that cannot take writes is not ready: too little room, or a write that fails. */
	if ((room = free_bytes(db->path)) >= 0 && room < SQLITE_READY_FREE_MIN)
		return app_err_set(err, APP_EUNAVAILABLE, NULL, NULL,
				   "the database's filesystem has %lld KiB free", room / 1024);
	return write_probe(db, err);
}

int sqlite_db_backup(const char *src, const char *dst, app_err *err)
{
	sqlite3 *from = NULL, *to = NULL;
	sqlite3_backup *b;
	int rc;

	/* Read-only: a mistyped source must not leave an empty database behind. */
	rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		rc = app_err_set(err, APP_EIO, NULL, NULL, "cannot open %s: %s", src,
				 sqlite3_errmsg(from));
		goto out;
	}
	sqlite3_busy_timeout(from, BUSY_TIMEOUT_MS);
	rc = sqlite3_open_v2(dst, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		rc = app_err_set(err, APP_EIO, NULL, NULL, "cannot create %s: %s", dst,
				 sqlite3_errmsg(to));
		goto out;
	}
	b = sqlite3_backup_init(to, "main", from, "main");
	if (!b) {
		rc = app_err_set(err, APP_EIO, NULL, NULL, "cannot back up to %s: %s", dst,
				 sqlite3_errmsg(to));
		goto out;
	}
	/* One step copies everything under one read transaction: a consistent snapshot. */
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		rc = app_err_set(err, APP_EIO, NULL, NULL, "backup to %s failed: %s", dst,
				 sqlite3_errstr(rc));
		goto out;
	}
	rc = 0;
out:
	sqlite3_close(to);
	sqlite3_close(from);
	return rc;
}

/* --- server secrets ------------------------------------------------------------------ */

static const char SQL_SECRET_ADD[] =
    "INSERT INTO server_keys(name, value) VALUES (?1, ?2) ON CONFLICT DO NOTHING";
static const char SQL_SECRET_GET[] = "SELECT value FROM server_keys WHERE name = ?1";

int sqlite_db_secret(unsigned char *out, sqlite_db *db, const char *name,
		     const unsigned char *candidate, size_t len, app_err *err)
{
	uow u = sqlite_db_uow(db);
	sqlite3_stmt *st;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &u, err)))
		return rc;
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_SECRET_ADD, err)))
		goto fail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, candidate, (int)len, SQLITE_STATIC);
	if ((rc = sqlite_stmt_exec(db, st, "secret", err)) ||
	    (rc = sqlite_db_stmt(&st, db, tx, SQL_SECRET_GET, err)))
		goto fail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_row(db, st, "no secret", "secret", err)))
		goto fail;
	if ((size_t)sqlite3_column_bytes(st, 0) == len)
		memcpy(out, sqlite3_column_blob(st, 0), len);
	else
		rc = app_err_set(err, APP_EIO, NULL, NULL, "secret %s has the wrong size", name);
	sqlite_stmt_done(st);
	if (rc)
		goto fail;
	return uow_commit(tx, err);
fail:
	uow_rollback(tx);
	return rc;
}

/* --- unit of work ------------------------------------------------------------ */

/* Ends the unit: the connection is free again and the writer lock released. */
static void tx_end(sqlite_db *db, sqlite_tx *t)
{
	t->open = 0;
	event_list_dispose(&t->base.pending); /* a wrapper took what it dispatches */
	pthread_mutex_unlock(&db->write_lock);
}

static int uow_begin_impl(uow_tx **out, void *self, app_err *err)
{
	sqlite_db *db = self;
	conn *c;
	int rc;

	if ((rc = thread_conn(&c, db, err)))
		return rc;
	assert(!c->tx.open); /* units do not nest: join one with an _in(tx, ...) form */
	pthread_mutex_lock(&db->write_lock);
	rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		pthread_mutex_unlock(&db->write_lock);
		return sqlite_db_error(db, rc, "begin", err);
	}
	c->tx.thread = pthread_self();
	c->tx.open = 1;
	*out = &c->tx.base;
	return 0;
}

static int uow_commit_impl(void *self, uow_tx *tx, app_err *err)
{
	sqlite_db *db = self;
	sqlite_tx *t = tx_of(db, tx);
	int rc = sqlite3_exec(t->c->db, "COMMIT", NULL, NULL, NULL);

	if (rc != SQLITE_OK) {
		rc = sqlite_db_error(db, rc, "commit", err);
		sqlite3_exec(t->c->db, "ROLLBACK", NULL, NULL, NULL);
	}
	tx_end(db, t);
	return rc;
}

static void uow_rollback_impl(void *self, uow_tx *tx)
{
	sqlite_db *db = self;
	sqlite_tx *t = tx_of(db, tx);

	sqlite3_exec(t->c->db, "ROLLBACK", NULL, NULL, NULL);
	tx_end(db, t);
}

static const uow_vtbl sqlite_uow_vtbl = {
    .begin = uow_begin_impl,
    .commit = uow_commit_impl,
    .rollback = uow_rollback_impl,
};

uow sqlite_db_uow(sqlite_db *db)
{
	return (uow){.vtbl = &sqlite_uow_vtbl, .self = db};
}

/*
 * A real write, queued like any writer: the schema version written again in
 * its own transaction (a read-only file, a full disk or an I/O error fail
 * its commit as they fail anyone's).
 */
static int write_probe(sqlite_db *db, app_err *err)
{
	char sql[48];
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin_impl(&tx, db, err)))
		return rc;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", (int)sqlite_schema_count);
	rc = sqlite3_exec(tx_of(db, tx)->c->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		rc = sqlite_db_error(db, rc, "write probe", err);
		uow_rollback_impl(db, tx);
		return rc;
	}
	return uow_commit_impl(db, tx, err);
}
