/* Connections, statements, errors and the unit of work of the PostgreSQL adapter. */
#include "adapters/postgres/pg_internal.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libpq prints notices (an index that exists already, ...) on stderr: the log is JSON. */
static void notice_ignore(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

static void conn_close(pg_conn *c)
{
	PQfinish(c->pq);
	free(c->stmts);
	free(c);
}

static void conn_unlink(pg_db *db, pg_conn *c)
{
	pthread_mutex_lock(&db->lock);
	for (pg_conn **p = &db->conns; *p; p = &(*p)->next)
		if (*p == c) {
			*p = c->next;
			break;
		}
	pthread_mutex_unlock(&db->lock);
}

/* Thread exit: the thread's connection goes with it. */
static void conn_destructor(void *arg)
{
	pg_conn *c = arg;

	conn_unlink(c->owner, c);
	conn_close(c);
}

/* A connection that answers, or APP_EUNAVAILABLE saying why not. */
static int connect_pq(PGconn **out, const char *conninfo, app_err *err)
{
	PGconn *pq = PQconnectdb(conninfo);

	if (!pq)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (PQstatus(pq) != CONNECTION_OK) {
		int rc = app_err_set(err, APP_EUNAVAILABLE, NULL, NULL,
				     "cannot connect to PostgreSQL: %s", PQerrorMessage(pq));

		PQfinish(pq);
		return rc;
	}
	PQsetNoticeProcessor(pq, notice_ignore, NULL);
	*out = pq;
	return 0;
}

/*
 * A connection lost outside a unit is made again (its prepared statements
 * with it) before it is used; one that cannot be is storage unavailable.
 */
static int conn_check(pg_conn *c, app_err *err)
{
	if (PQstatus(c->pq) == CONNECTION_OK)
		return 0;
	PQreset(c->pq);
	c->nstmt = 0;
	if (PQstatus(c->pq) != CONNECTION_OK)
		return app_err_set(err, APP_EUNAVAILABLE, NULL, NULL,
				   "PostgreSQL connection lost: %s", PQerrorMessage(c->pq));
	return 0;
}

int pg_thread_conn(pg_conn **out, pg_db *db, app_err *err)
{
	pg_conn *c = pthread_getspecific(db->key);
	int rc;

	if (c) {
		*out = c;
		return c->tx.open ? 0 : conn_check(c, err);
	}
	if (!(c = calloc(1, sizeof(*c))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = connect_pq(&c->pq, db->conninfo, err))) {
		free(c);
		return rc;
	}
	c->owner = db;
	c->tx.c = c;
	pthread_mutex_lock(&db->lock);
	c->next = db->conns;
	db->conns = c;
	pthread_mutex_unlock(&db->lock);
	pthread_setspecific(db->key, c);
	*out = c;
	return 0;
}

int pg_db_error(PGconn *c, const PGresult *r, const char *what, app_err *err)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;

	if (!msg)
		msg = c ? PQerrorMessage(c) : "no connection";
	if (state && strcmp(state, "23505") == 0)
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "%s: already exists", what);
	if (state && strncmp(state, "23", 2) == 0)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "%s: constraint failed: %s",
				   what, msg);
	/*
	 * What SQLite's busy and I/O errors are: a conflict the engine gave up on
	 * (serialisation failure, deadlock), a connection lost or refused (class
	 * 08, the server shutting down 57P01..57P03), no room (53: disk full, out
	 * of memory, too many connections), a read-only server (25006), an I/O
	 * failure of the server's (58).
	 */
	if (!state || strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0 ||
	    strncmp(state, "53", 2) == 0 || strcmp(state, "25006") == 0 ||
	    strncmp(state, "58", 2) == 0 || (c && PQstatus(c) != CONNECTION_OK))
		return app_err_set(err, APP_EUNAVAILABLE, NULL, NULL, "%s: %s", what, msg);
	return app_err_set(err, APP_EIO, NULL, NULL, "%s: %s", what, msg);
}

/* Runs sql without parameters or results on c (BEGIN, SAVEPOINT, ...). */
int pg_conn_command(pg_conn *c, const char *sql, const char *what, app_err *err)
{
	PGresult *r = PQexec(c->pq, sql);
	int rc = 0;

	if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK)
		rc = pg_db_error(c->pq, r, what, err);
	PQclear(r);
	return rc;
}

/* The open unit behind a handle, checked: its own thread, this database. */
static pg_tx *tx_of(pg_db *db, uow_tx *tx)
{
	pg_tx *t = (pg_tx *)tx;

	assert(t->open);				  /* a handle used after its unit ended */
	assert(pthread_equal(t->thread, pthread_self())); /* a handle is its thread's */
	assert(t->c->owner == db);
	(void)db;
	return t;
}

/* The name of sql's prepared statement on c, prepared on first use. */
static int stmt_name(char *name, size_t cap, pg_conn *c, const char *sql, const char *what,
		     app_err *err)
{
	PGresult *r;
	size_t i;

	for (i = 0; i < c->nstmt; i++)
		if (c->stmts[i] == sql)
			break;
	snprintf(name, cap, "wl%zu", i);
	if (i < c->nstmt)
		return 0;
	if (c->nstmt == c->cap) {
		size_t cap2 = c->cap ? c->cap * 2 : 32;
		const char **grown = realloc(c->stmts, cap2 * sizeof(*grown));

		if (!grown)
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		c->stmts = grown;
		c->cap = cap2;
	}
	r = PQprepare(c->pq, name, sql, 0, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		int rc = pg_db_error(c->pq, r, what, err);

		PQclear(r);
		return rc;
	}
	PQclear(r);
	c->stmts[c->nstmt++] = sql;
	return 0;
}

/*
 * A statement that only reads: it may run outside a unit, and needs no
 * savepoint (the adapter's WITH queries read: none has a writing CTE).
 */
static int reads_only(const char *sql)
{
	return strncmp(sql, "SELECT", 6) == 0 || strncmp(sql, "WITH", 4) == 0;
}

/*
 * A write inside a unit runs under the savepoint wl: a failure rolls back to
 * it and leaves the unit usable, as a failed statement does on SQLite.
 */
static int savepoint_before(pg_tx *t, app_err *err)
{
	int rc = pg_conn_command(
	    t->c, t->savepoint ? "RELEASE SAVEPOINT wl; SAVEPOINT wl" : "SAVEPOINT wl", "savepoint",
	    err);

	if (rc == 0)
		t->savepoint = 1;
	return rc;
}

static PGresult *run_prepared(pg_conn *c, const char *name, const pg_params *p)
{
	return PQexecPrepared(c->pq, name, p ? p->n : 0, p ? p->value : NULL, p ? p->length : NULL,
			      p ? p->format : NULL, 0);
}

int pg_db_query(PGresult **res, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
		const char *what, app_err *err)
{
	char name[24];
	pg_tx *t = tx ? tx_of(db, tx) : NULL;
	int guarded = t && !reads_only(sql), rc;
	pg_conn *c;
	PGresult *r;

	*res = NULL;
	assert(tx || reads_only(sql)); /* every write goes through a unit */
	if (t) {
		c = t->c;
	} else {
		if ((rc = pg_thread_conn(&c, db, err)))
			return rc;
		assert(!c->tx.open); /* inside a unit, pass its handle */
	}
	if ((rc = stmt_name(name, sizeof(name), c, sql, what, err)) ||
	    (guarded && (rc = savepoint_before(t, err))))
		return rc;
	r = run_prepared(c, name, p);
	if (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK) {
		*res = r;
		return 0;
	}
	rc = pg_db_error(c->pq, r, what, err);
	PQclear(r);
	if (guarded && PQstatus(c->pq) == CONNECTION_OK)
		pg_conn_command(c, "ROLLBACK TO SAVEPOINT wl", "savepoint", NULL);
	return rc;
}

int pg_db_exec(int64_t *changed, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
	       const char *what, app_err *err)
{
	PGresult *r;
	int rc = pg_db_query(&r, db, tx, sql, p, what, err);

	if (rc)
		return rc;
	if (changed)
		*changed = strtoll(PQcmdTuples(r), NULL, 10);
	PQclear(r);
	return 0;
}

int pg_db_row(PGresult **res, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
	      const char *notfound, const char *what, app_err *err)
{
	int rc = pg_db_query(res, db, tx, sql, p, what, err);

	if (rc || PQntuples(*res) > 0)
		return rc;
	PQclear(*res);
	*res = NULL;
	return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "%s", notfound);
}

/* --- unit of work ------------------------------------------------------------ */

static void tx_end(pg_tx *t)
{
	t->open = 0;
	t->savepoint = 0;
	event_list_dispose(&t->base.pending); /* a wrapper took what it dispatches */
}

int pg_tx_begin(uow_tx **out, pg_db *db, app_err *err)
{
	pg_conn *c;
	int rc;

	if ((rc = pg_thread_conn(&c, db, err)))
		return rc;
	assert(!c->tx.open); /* units do not nest: join one with an _in(tx, ...) form */
	if ((rc = pg_conn_command(c, "BEGIN ISOLATION LEVEL READ COMMITTED", "begin", err)))
		return rc;
	c->tx.thread = pthread_self();
	c->tx.open = 1;
	c->tx.savepoint = 0;
	*out = &c->tx.base;
	return 0;
}

int pg_tx_commit(pg_db *db, uow_tx *tx, app_err *err)
{
	pg_tx *t = tx_of(db, tx);
	PGresult *r = PQexec(t->c->pq, "COMMIT");
	int rc = 0;

	/* COMMIT of a transaction that failed answers ROLLBACK: nothing landed */
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		rc = pg_db_error(t->c->pq, r, "commit", err);
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		rc = app_err_set(err, APP_EIO, NULL, NULL,
				 "commit: the transaction was rolled back");
	PQclear(r);
	if (rc && PQstatus(t->c->pq) == CONNECTION_OK)
		pg_conn_command(t->c, "ROLLBACK", "rollback", NULL);
	tx_end(t);
	return rc;
}

void pg_tx_rollback(pg_db *db, uow_tx *tx)
{
	pg_tx *t = tx_of(db, tx);

	if (PQstatus(t->c->pq) == CONNECTION_OK)
		pg_conn_command(t->c, "ROLLBACK", "rollback", NULL);
	tx_end(t);
}

static int uow_begin_impl(uow_tx **out, void *self, app_err *err)
{
	return pg_tx_begin(out, self, err);
}

static int uow_commit_impl(void *self, uow_tx *tx, app_err *err)
{
	return pg_tx_commit(self, tx, err);
}

static void uow_rollback_impl(void *self, uow_tx *tx)
{
	pg_tx_rollback(self, tx);
}

static const uow_vtbl pg_uow_vtbl = {
    .begin = uow_begin_impl,
    .commit = uow_commit_impl,
    .rollback = uow_rollback_impl,
};

uow pg_db_uow(pg_db *db)
{
	return (uow){.vtbl = &pg_uow_vtbl, .self = db};
}

/* --- open and close ---------------------------------------------------------- */

int pg_db_open(pg_db **out, const char *conninfo, app_err *err)
{
	pg_db *db = calloc(1, sizeof(*db));
	pg_conn *c;
	int rc;

	if (!db || !(db->conninfo = strdup(conninfo))) {
		free(db);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	pthread_mutex_init(&db->lock, NULL);
	if (pthread_key_create(&db->key, conn_destructor) != 0) {
		free(db->conninfo);
		free(db);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "no thread key left");
	}
	if ((rc = pg_thread_conn(&c, db, err)) || (rc = pg_migrate(c, err))) {
		pg_db_close(db);
		return rc;
	}
	*out = db;
	return 0;
}

void pg_db_close(pg_db *db)
{
	pg_conn *c;

	if (!db)
		return;
	pthread_mutex_lock(&db->lock);
	c = db->conns;
	db->conns = NULL;
	pthread_mutex_unlock(&db->lock);
	while (c) {
		pg_conn *next = c->next;

		conn_close(c);
		c = next;
	}
	pthread_setspecific(db->key, NULL);
	pthread_key_delete(db->key);
	pthread_mutex_destroy(&db->lock);
	free(db->conninfo);
	free(db);
}
