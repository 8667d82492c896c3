/* Migrations, readiness and server secrets of the PostgreSQL adapter. */
#include "adapters/postgres/pg_internal.h"
#include "adapters/postgres/pg_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any number of starters (instances, the CLI) migrate one at a time under this lock. */
#define MIGRATE_LOCK "SELECT pg_advisory_xact_lock(7261636)"

int pg_db_schema_version(void)
{
	return (int)pg_schema_count;
}

/* The recorded schema version, the table that records it made when missing. */
static int recorded_version(int *out, pg_conn *c, app_err *err)
{
	PGresult *r;
	int rc;

	if ((rc = pg_conn_command(
		 c,
		 "CREATE TABLE IF NOT EXISTS schema_version ("
		 "  one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),"
		 "  version INTEGER NOT NULL);"
		 "INSERT INTO schema_version(version) VALUES (0) ON CONFLICT DO NOTHING",
		 "schema version", err)))
		return rc;
	r = PQexec(c->pq, "SELECT version FROM schema_version");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		rc = pg_db_error(c->pq, r, "schema version", err);
		PQclear(r);
		return rc;
	}
	*out = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int migrate_in(pg_conn *c, app_err *err)
{
	char sql[80];
	int version = 0, rc;
	app_err why;

	if ((rc = pg_conn_command(c, MIGRATE_LOCK, "migration lock", err)) ||
	    (rc = recorded_version(&version, c, err)))
		return rc;
	if (version > (int)pg_schema_count)
		return app_err_set(err, APP_EIO, NULL, NULL,
				   "database has schema version %d, newer than this binary "
				   "knows (%d): use a newer walking-library",
				   version, (int)pg_schema_count);
	for (int v = version; v < (int)pg_schema_count; v++) {
		snprintf(sql, sizeof(sql), "UPDATE schema_version SET version = %d", v + 1);
		if ((rc = pg_conn_command(c, pg_schema[v], "migration", &why)) ||
		    (rc = pg_conn_command(c, sql, "migration", &why)))
			return app_err_set(err, rc, NULL, NULL, "cannot migrate to version %d: %s",
					   v + 1, why.msg);
	}
	return 0;
}

int pg_migrate(pg_conn *c, app_err *err)
{
	int rc = pg_conn_command(c, "BEGIN", "migration", err);

	if (rc)
		return rc;
	if ((rc = migrate_in(c, err))) {
		pg_conn_command(c, "ROLLBACK", "migration", NULL);
		return rc;
	}
	return pg_conn_command(c, "COMMIT", "migration", err);
}

static const char SQL_VERSION[] = "SELECT version FROM schema_version";
static const char SQL_PROBE[] = "UPDATE schema_version SET version = version";

int pg_db_ready(pg_db *db, app_err *err)
{
	PGresult *r;
	uow_tx *tx;
	int rc, version;

	if ((rc =
		 pg_db_row(&r, db, NULL, SQL_VERSION, NULL, "no schema version", "readiness", err)))
		return rc;
	version = (int)pg_int(r, 0, 0);
	PQclear(r);
	if (version != (int)pg_schema_count)
		return app_err_set(err, APP_EIO, NULL, NULL, "schema version %d, expected %d",
				   version, (int)pg_schema_count);
	/* a real write, committed: a read-only or full server fails it as it fails anyone's */
	if ((rc = pg_tx_begin(&tx, db, err)))
		return rc;
	if ((rc = pg_db_exec(NULL, db, tx, SQL_PROBE, NULL, "write probe", err))) {
		pg_tx_rollback(db, tx);
		return rc;
	}
	return pg_tx_commit(db, tx, err);
}

static const char SQL_SECRET_ADD[] =
    "INSERT INTO server_keys(name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING";
static const char SQL_SECRET_GET[] = "SELECT value FROM server_keys WHERE name = $1";

/* The stored secret of r's row 0 into out, when it has len bytes. */
static int secret_copy(unsigned char *out, const PGresult *r, const char *name, size_t len,
		       app_err *err)
{
	size_t n = 0;
	unsigned char *bytes = PQunescapeBytea((const unsigned char *)pg_text(r, 0, 0), &n);
	int rc = 0;

	if (!bytes)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (n == len)
		memcpy(out, bytes, len);
	else
		rc = app_err_set(err, APP_EIO, NULL, NULL, "secret %s has the wrong size", name);
	PQfreemem(bytes);
	return rc;
}

int pg_db_secret(unsigned char *out, pg_db *db, const char *name, const unsigned char *candidate,
		 size_t len, app_err *err)
{
	pg_params p;
	PGresult *r;
	uow_tx *tx;
	int rc;

	if ((rc = pg_tx_begin(&tx, db, err)))
		return rc;
	pg_params_init(&p);
	pg_param_text(&p, name);
	pg_param_bytes(&p, candidate, len);
	if ((rc = pg_db_exec(NULL, db, tx, SQL_SECRET_ADD, &p, "secret", err)))
		goto fail;
	p.n = 1;
	if ((rc = pg_db_row(&r, db, tx, SQL_SECRET_GET, &p, "no secret", "secret", err)))
		goto fail;
	rc = secret_copy(out, r, name, len, err);
	PQclear(r);
	if (rc)
		goto fail;
	return pg_tx_commit(db, tx, err);
fail:
	pg_tx_rollback(db, tx);
	return rc;
}
