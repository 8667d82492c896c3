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

static void events(http_req *r)
{
	domain_event *evs;
	char type[64];
	int64_t after;
	size_t limit, n;
	cJSON *items;
	app_err err;

	if (http_query_limit(&limit, r) || http_query_cursor(&after, r, "after"))
		return;
	if (after == 0 && http_query_cursor(&after, r, "cursor"))
		return;
	if (http_query(type, sizeof(type), r, "type") < 0)
		return;
	app_err_clear(&err);
	/* on the heap: request threads have small stacks */
	if (!(evs = calloc(limit, sizeof(*evs)))) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	if (outbox_list(evs, &n, &r->svc->events, NULL, after, type[0] ? type : NULL, limit,
			&err)) {
		free(evs);
		http_send_error(r, &err);
		return;
	}
	items = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON_AddItemToArray(items, event_json(&evs[i]));
		domain_event_dispose(&evs[i]);
	}
	http_send_json(r, 200, http_list_next_id(items, n == limit ? evs[n - 1].id : 0), NULL);
	free(evs);
}

const http_route http_admin_routes[] = {
    {"GET", "/api/admin/events", events, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
