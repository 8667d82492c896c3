/* What the files of the PostgreSQL adapter share beyond pg_db.h. */
#ifndef WL_PG_INTERNAL_H
#define WL_PG_INTERNAL_H

#include <pthread.h>

#include "adapters/postgres/pg_db.h"

struct pg_conn;

/* A unit of work on one connection: the handle uow_begin() gives out. */
typedef struct pg_tx {
	uow_tx base; /* first: the handle is a pointer to it */
	struct pg_conn *c;
	pthread_t thread; /* the thread that began it, the only one that may use it */
	int open;
	int savepoint; /* the savepoint wl is set in this unit */
} pg_tx;

typedef struct pg_conn {
	PGconn *pq;
	pg_db *owner;
	struct pg_conn *next;
	pg_tx tx; /* the one unit this connection can have open (units do not nest) */
	/* prepared statements: stmts[i] (the SQL's address) is prepared as "wl<i>" */
	const char **stmts;
	size_t nstmt, cap;
} pg_conn;

struct pg_db {
	char *conninfo;
	pthread_key_t key;
	pthread_mutex_t lock; /* guards conns */
	pg_conn *conns;
};

/* This thread's connection, opened on first use (and made again when it was lost). */
int pg_thread_conn(pg_conn **out, pg_db *db, app_err *err);

/* Runs sql (no parameters; several statements allowed) on c; failures mapped with what. */
int pg_conn_command(pg_conn *c, const char *sql, const char *what, app_err *err);

/* Migrates the database on c to this binary's schema (pg_migrate.c). */
int pg_migrate(pg_conn *c, app_err *err);

/* The unit of work's implementation, for the adapter's own units (the secret, the probe). */
int pg_tx_begin(uow_tx **out, pg_db *db, app_err *err);
int pg_tx_commit(pg_db *db, uow_tx *tx, app_err *err);
void pg_tx_rollback(pg_db *db, uow_tx *tx);

#endif
