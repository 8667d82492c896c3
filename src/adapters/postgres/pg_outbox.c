/*
 * The outbox: events as JSON rows, delivery marks per subscriber. The
 * payload is written with cJSON and read back by the server (json_each: one
 * row per field, in the order written), so no JSON is parsed here.
 */
#include "adapters/postgres/pg_repos.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#define STMT(name, sql_text) static const char name[] = sql_text

STMT(SQL_APPEND, "INSERT INTO outbox(type, payload, created_at) VALUES ($1, $2, $3) RETURNING id");
/* events (the inner query: at most the limit), then a row per field of each */
#define FIELDS_OF(events)                                                                          \
	"SELECT e.id, e.type, e.created_at, f.key, json_typeof(f.value), f.value #>> '{}'"         \
	" FROM (" events ") e LEFT JOIN LATERAL json_each(e.payload::json) WITH ORDINALITY"        \
	" AS f(key, value, n) ON true ORDER BY e.id, f.n"
STMT(SQL_PENDING, FIELDS_OF("SELECT o.* FROM outbox o WHERE o.type = $1 AND o.id > $2"
			    " AND NOT EXISTS (SELECT 1 FROM outbox_delivery d"
			    "  WHERE d.subscriber = $3 AND d.event_id = o.id"
			    "  AND d.delivered_at IS NOT NULL) ORDER BY o.id LIMIT $4"));
STMT(SQL_LIST_ALL, FIELDS_OF("SELECT * FROM outbox WHERE id > $1 ORDER BY id LIMIT $2"));
STMT(SQL_LIST_TYPE,
     FIELDS_OF("SELECT * FROM outbox WHERE id > $1 AND type = $3 ORDER BY id LIMIT $2"));
STMT(SQL_MARK_OK, "INSERT INTO outbox_delivery(subscriber, event_id, delivered_at, attempts)"
		  " VALUES ($1, $2, $3, 1) ON CONFLICT(subscriber, event_id) DO UPDATE SET"
		  " delivered_at = excluded.delivered_at,"
		  " attempts = outbox_delivery.attempts + 1");
STMT(SQL_MARK_FAIL, "INSERT INTO outbox_delivery(subscriber, event_id, attempts, last_error)"
		    " VALUES ($1, $2, 1, $3) ON CONFLICT(subscriber, event_id) DO UPDATE SET"
		    " attempts = outbox_delivery.attempts + 1, last_error = excluded.last_error");
STMT(SQL_FAILURES, "SELECT coalesce(sum(CASE WHEN delivered_at IS NULL"
		   " THEN attempts ELSE attempts - 1 END), 0) FROM outbox_delivery");
STMT(SQL_PENDING_COUNT, "SELECT count(*) FROM outbox o WHERE o.type = $1 AND NOT EXISTS"
			" (SELECT 1 FROM outbox_delivery d WHERE d.subscriber = $2"
			" AND d.event_id = o.id AND d.delivered_at IS NOT NULL)");

/* The event's fields as one JSON object (malloc'd), NULL when out of memory. */
static char *payload_of(const domain_event *ev)
{
	cJSON *o = cJSON_CreateObject(), *v;
	char *s = NULL;
	int i;

	for (i = 0; o && i < ev->nfields; i++) {
		const event_field *f = &ev->f[i];

		v = f->kind == EVENT_FIELD_STR	  ? cJSON_CreateString(f->s)
		    : f->kind == EVENT_FIELD_BOOL ? cJSON_CreateBool((int)f->i)
						  : cJSON_CreateNumber((double)f->i);
		if (!v || !cJSON_AddItemToObject(o, f->name, v)) {
			cJSON_Delete(v);
			break;
		}
	}
	if (o && i == ev->nfields)
		s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static int outbox_append_impl(void *self, uow_tx *tx, domain_event *ev, int64_t now, app_err *err)
{
	char *payload = payload_of(ev);
	pg_params p;
	PGresult *r;
	int rc;

	if (!payload)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	pg_params_init(&p);
	pg_param_text(&p, ev->type);
	pg_param_text(&p, payload);
	pg_param_int(&p, now);
	rc = pg_db_row(&r, self, tx, SQL_APPEND, &p, "no event id", "outbox append", err);
	free(payload);
	if (rc)
		return rc;
	ev->id = pg_int(r, 0, 0);
	ev->created_at = now;
	PQclear(r);
	return 0;
}

/* Adds the field of row i (none for an event without fields) to ev. */
static void field_from_row(domain_event *ev, const PGresult *r, int i)
{
	const char *name = pg_text(r, i, 3), *type = pg_text(r, i, 4), *value = pg_text(r, i, 5);

	if (pg_is_null(r, i, 3))
		return;
	if (strcmp(type, "string") == 0)
		domain_event_add_str(ev, name, value);
	else if (strcmp(type, "boolean") == 0)
		domain_event_add_bool(ev, name, strcmp(value, "true") == 0);
	else if (strcmp(type, "number") == 0)
		domain_event_add_int(ev, name, (int64_t)strtod(value, NULL));
}

/* The events of r's rows (a row per field, in event order) into out, at most limit. */
static int events_from_rows(domain_event *out, size_t *n, const PGresult *r, size_t limit,
			    app_err *err)
{
	int rows = PQntuples(r);

	*n = 0;
	for (int i = 0; i < rows; i++) {
		domain_event *ev = *n ? &out[*n - 1] : NULL;

		if (!ev || ev->id != pg_int(r, i, 0)) {
			if (*n == limit)
				break;
			ev = &out[(*n)++];
			domain_event_init(ev, pg_text(r, i, 1));
			ev->id = pg_int(r, i, 0);
			ev->created_at = pg_int(r, i, 2);
		}
		field_from_row(ev, r, i);
		if (ev->error) {
			int code = ev->error;

			for (size_t k = 0; k < *n; k++)
				domain_event_dispose(&out[k]);
			*n = 0;
			return app_err_set(err, code, NULL, NULL, "outbox event: cannot read it");
		}
	}
	return 0;
}

static int read_events(domain_event *out, size_t *n, pg_db *db, uow_tx *tx, const char *sql,
		       const pg_params *p, size_t limit, app_err *err)
{
	PGresult *r;
	int rc;

	*n = 0;
	if ((rc = pg_db_query(&r, db, tx, sql, p, "outbox read", err)))
		return rc;
	rc = events_from_rows(out, n, r, limit, err);
	PQclear(r);
	return rc;
}

static int outbox_pending_impl(domain_event *out, size_t *n, void *self, uow_tx *tx,
			       const char *subscriber, const char *type, int64_t after_id,
			       size_t limit, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, type);
	pg_param_int(&p, after_id);
	pg_param_text(&p, subscriber);
	pg_param_int(&p, (int64_t)limit);
	return read_events(out, n, self, tx, SQL_PENDING, &p, limit, err);
}

static int mark(pg_db *db, uow_tx *tx, const char *sql, int64_t event_id, const char *subscriber,
		const char *error, int64_t now, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, subscriber);
	pg_param_int(&p, event_id);
	if (error)
		pg_param_text(&p, error);
	else
		pg_param_int(&p, now);
	return pg_db_exec(NULL, db, tx, sql, &p, "outbox mark", err);
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
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, after_id);
	pg_param_int(&p, (int64_t)limit);
	if (type)
		pg_param_text(&p, type);
	return read_events(out, n, self, tx, type ? SQL_LIST_TYPE : SQL_LIST_ALL, &p, limit, err);
}

static int outbox_failures_impl(int64_t *out, void *self, uow_tx *tx, app_err *err)
{
	return pg_db_int(out, self, tx, SQL_FAILURES, NULL, "outbox failures", err);
}

static int outbox_pending_count_impl(int64_t *out, void *self, uow_tx *tx, const char *subscriber,
				     const char *type, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, type);
	pg_param_text(&p, subscriber);
	return pg_db_int(out, self, tx, SQL_PENDING_COUNT, &p, "outbox backlog", err);
}

/*
 * 0: no floor. A sequence hands ids out at INSERT and concurrent units commit in
 * any order, so a smaller id may still appear after a larger one is seen.
 */
static int outbox_settled_id_impl(int64_t *out, void *self, uow_tx *tx, const char *type,
				  app_err *err)
{
	(void)self;
	(void)tx;
	(void)type;
	(void)err;
	*out = 0;
	return 0;
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

outbox_port pg_outbox(pg_db *db)
{
	return (outbox_port){.vtbl = &outbox_vtbl, .self = db};
}
