/* Admin routes that belong to no single core: the event log. */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *event_json(const domain_event *ev)
{
	cJSON *o = cJSON_CreateObject(), *p = cJSON_CreateObject();

	http_add_int(o, "id", ev->id);
	cJSON_AddStringToObject(o, "type", ev->type);
	for (int i = 0; i < ev->nfields; i++) {
		const event_field *f = &ev->f[i];

		if (f->kind == EVENT_FIELD_STR)
			cJSON_AddStringToObject(p, f->name, f->s);
		else if (f->kind == EVENT_FIELD_BOOL)
			cJSON_AddBoolToObject(p, f->name, (int)f->i);
		else
			http_add_int(p, f->name, f->i);
	}
	cJSON_AddItemToObject(o, "payload", p);
	http_add_time(o, "createdAt", ev->created_at);
	return o;
}

/* GET /api/admin/events?after=&type=&limit= (cursor= as another name for after) */
static int events_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t after,
			size_t limit, app_err *err)
{
	domain_event *evs = rows;
	char type[64];
	int rc;

	if ((after == 0 && (rc = http_parse_cursor(&after, r->ri->query_string, "cursor", err))) ||
	    (rc = http_query_value(type, sizeof(type), r->ri->query_string, "type", err)) < 0)
		return rc;
	if ((rc = outbox_list(evs, n, &r->svc->events, NULL, after, type[0] ? type : NULL, limit,
			      err)))
		return rc;
	*next = *n == limit ? evs[*n - 1].id : 0;
	return 0;
}

static cJSON *events_item(http_req *r, const void *row)
{
	(void)r;
	return event_json(row);
}

static void events_dispose(void *row)
{
	domain_event_dispose(row);
}

static void events(http_req *r)
{
	static const http_page page = {.row_size = sizeof(domain_event),
				       .cursor_name = "after",
				       .fetch = events_fetch,
				       .item = events_item,
				       .dispose = events_dispose};

	http_send_page(r, &page);
}

const http_route http_admin_routes[] = {
    {"GET", "/api/admin/events", events, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
