/* The outbox: events as JSON rows, delivery marks per subscriber. */
#include "adapters/sqlite/sqlite_repos.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

static const char SQL_APPEND[] =
    "INSERT INTO outbox(type, payload, created_at) VALUES (?1, ?2, ?3)";
static const char SQL_PENDING[] =
    "SELECT o.id, o.type, o.payload, o.created_at FROM outbox o"
    " WHERE o.type = ?1 AND o.id > ?2 AND NOT EXISTS (SELECT 1 FROM outbox_delivery d"
    "  WHERE d.subscriber = ?3 AND d.event_id = o.id AND d.delivered_at IS NOT NULL)"
    " ORDER BY o.id LIMIT ?4";
/* one writer at a time (sqlite_db.c): a later commit never brings a smaller id */
static const char SQL_SETTLED_ID[] = "SELECT coalesce(max(id), 0) FROM outbox WHERE type = ?1";
static const char SQL_MARK_OK[] =
    "INSERT INTO outbox_delivery(subscriber, event_id, delivered_at, attempts)"
    " VALUES (?1, ?2, ?3, 1) ON CONFLICT(subscriber, event_id) DO UPDATE SET"
    " delivered_at = excluded.delivered_at, attempts = attempts + 1";
static const char SQL_MARK_FAIL[] =
    "INSERT INTO outbox_delivery(subscriber, event_id, attempts, last_error)"
    " VALUES (?1, ?2, 1, ?3) ON CONFLICT(subscriber, event_id) DO UPDATE SET"
    " attempts = attempts + 1, last_error = excluded.last_error";
static const char SQL_LIST_ALL[] = "SELECT id, type, payload, created_at FROM outbox"
				   " WHERE id > ?1 ORDER BY id LIMIT ?2";
static const char SQL_LIST_TYPE[] = "SELECT id, type, payload, created_at FROM outbox"
				    " WHERE id > ?1 AND type = ?3 ORDER BY id LIMIT ?2";
static const char SQL_FAILURES[] = "SELECT coalesce(sum(CASE WHEN delivered_at IS NULL"
				   " THEN attempts ELSE attempts - 1 END), 0) FROM outbox_delivery";

static const char SQL_PENDING_COUNT[] =
    "SELECT count(*) FROM outbox o WHERE o.type = ?1 AND NOT EXISTS (SELECT 1"
    " FROM outbox_delivery d WHERE d.subscriber = ?2 AND d.event_id = o.id"
    " AND d.delivered_at IS NOT NULL)";

static char *payload_json(const domain_event *ev)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	if (!o)
		return NULL;
	for (int i = 0; i < ev->nfields; i++) {
		const event_field *f = &ev->f[i];

		if (f->kind == EVENT_FIELD_STR)
			cJSON_AddStringToObject(o, f->name, f->s);
		else if (f->kind == EVENT_FIELD_BOOL)
			cJSON_AddBoolToObject(o, f->name, (int)f->i);
		else
			cJSON_AddNumberToObject(o, f->name, (double)f->i);
	}
	s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static int outbox_append_impl(void *self, uow_tx *tx, domain_event *ev, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	char *payload;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_APPEND, err)))
		return rc;
	if (!(payload = payload_json(ev)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	sqlite3_bind_text(st, 1, ev->type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, payload, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	free(payload);
	if (rc != SQLITE_DONE)
		return sqlite_db_error(self, rc, "outbox append", err);
	ev->id = sqlite_db_last_id(self);
	ev->created_at = now;
	return 0;
}

/* An event from its row; APP_ENOMEM, or APP_EIO for a payload that is not a JSON object. */
static int event_from_row(domain_event *ev, sqlite3_stmt *st, app_err *err)
{
	cJSON *o, *it;

	domain_event_init(ev, (const char *)sqlite3_column_text(st, 1));
	ev->id = sqlite3_column_int64(st, 0);
	ev->created_at = sqlite3_column_int64(st, 3);
	o = cJSON_Parse((const char *)sqlite3_column_text(st, 2));
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return app_err_set(err, APP_EIO, NULL, NULL, "outbox event %lld: bad payload",
				   (long long)ev->id);
	}
	cJSON_ArrayForEach(it, o)
	{
		if (cJSON_IsString(it))
			domain_event_add_str(ev, it->string, it->valuestring);
		else if (cJSON_IsBool(it))
			domain_event_add_bool(ev, it->string, cJSON_IsTrue(it));
		else if (cJSON_IsNumber(it))
			domain_event_add_int(ev, it->string, (int64_t)it->valuedouble);
	}
	cJSON_Delete(o);
	if (ev->error) {
		domain_event_dispose(ev);
		return app_err_set(err, ev->error, NULL, NULL, "outbox event %lld: cannot read it",
				   (long long)ev->id);
	}
	return 0;
}

static int read_events(domain_event *out, size_t *n, sqlite_db *db, sqlite3_stmt *st, size_t limit,
		       app_err *err)
{
	int rc = SQLITE_DONE, failed = 0;

	*n = 0;
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((failed = event_from_row(&out[*n], st, err)))
			break;
		(*n)++;
	}
	if (*n == limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	if (failed || rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			domain_event_dispose(&out[i]);
		*n = 0;
		return failed ? failed : sqlite_db_error(db, rc, "outbox read", err);
	}
	return 0;
}

static int outbox_pending_impl(domain_event *out, size_t *n, void *self, uow_tx *tx,
			       const char *subscriber, const char *type, int64_t after_id,
			       size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PENDING, err)))
		return rc;
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after_id);
	sqlite3_bind_text(st, 3, subscriber, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)limit);
	return read_events(out, n, self, st, limit, err);
}

static int outbox_settled_id_impl(int64_t *out, void *self, uow_tx *tx, const char *type,
				  app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SETTLED_ID, err)))
		return rc;
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_row(self, st, "no events", "outbox settled id", err)))
		return rc;
	*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

static int mark(sqlite_db *db, uow_tx *tx, const char *sql, int64_t event_id,
		const char *subscriber, const char *error, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, sql, err)))
		return rc;
	sqlite3_bind_text(st, 1, subscriber, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, event_id);
	if (error)
		sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
	else
		sqlite3_bind_int64(st, 3, now);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(db, rc, "outbox mark", err);
}

static int outbox_mark_delivered_impl(void *self, uow_tx *tx, int64_t event_id,
				      const char *subscriber, int64_t now, app_err *err)
{
	return mark(self, tx, SQL_MARK_OK, event_id, subscriber, NULL, now, err);
}

static int outbox_mark_failed_impl(void *self, uow_tx *tx, int64_t event_id, const char *subscriber,
				   const char *error, int64_t now, app_err *err)
{
	return mark(self, tx, SQL_MARK_FAIL, event_id, subscriber, error ? error : "failed", now,
		    err);
}

static int outbox_list_impl(domain_event *out, size_t *n, void *self, uow_tx *tx, int64_t after_id,
			    const char *type, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, type ? SQL_LIST_TYPE : SQL_LIST_ALL, err)))
		return rc;
	sqlite3_bind_int64(st, 1, after_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	if (type)
		sqlite3_bind_text(st, 3, type, -1, SQLITE_STATIC);
	return read_events(out, n, self, st, limit, err);
}

static int outbox_failures_impl(int64_t *out, void *self, uow_tx *tx, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FAILURES, err)))
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return rc == SQLITE_ROW ? 0 : sqlite_db_error(self, rc, "outbox failures", err);
}

static int outbox_pending_count_impl(int64_t *out, void *self, uow_tx *tx, const char *subscriber,
				     const char *type, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PENDING_COUNT, err)))
		return rc;
	sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, subscriber, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return rc == SQLITE_ROW ? 0 : sqlite_db_error(self, rc, "outbox backlog", err);
}

static const outbox_port_vtbl outbox_vtbl = {
    .append = outbox_append_impl,
    .pending = outbox_pending_impl,
    .settled_id = outbox_settled_id_impl,
    .mark_delivered = outbox_mark_delivered_impl,
    .mark_failed = outbox_mark_failed_impl,
    .list = outbox_list_impl,
    .failures = outbox_failures_impl,
    .pending_count = outbox_pending_count_impl,
};

outbox_port sqlite_outbox(sqlite_db *db)
{
	return (outbox_port){.vtbl = &outbox_vtbl, .self = db};
}
