/* Routes of the aigen core: the admin's view of the generation jobs. */
#include "adapters/http/http_internal.h"

#include <stdlib.h>

static cJSON *job_json(const aigen_job *j)
{
	cJSON *o = cJSON_CreateObject();

	http_add_int(o, "id", j->id);
	http_add_int(o, "manuscriptId", j->manuscript_id);
	cJSON_AddStringToObject(o, "status", aigen_job_status_str(j->status));
	http_add_int(o, "attempts", j->attempts);
	if (j->last_error[0])
		cJSON_AddStringToObject(o, "lastError", j->last_error);
	else
		cJSON_AddNullToObject(o, "lastError");
	if (j->generator[0])
		cJSON_AddStringToObject(o, "generator", j->generator);
	else
		cJSON_AddNullToObject(o, "generator");
	http_add_time(o, "nextAttemptAt", j->status == AIGEN_JOB_QUEUED ? j->next_attempt_at : 0);
	http_add_time(o, "createdAt", j->created_at);
	http_add_time(o, "updatedAt", j->updated_at);
	return o;
}

/* GET /api/admin/ai-jobs?status=&limit=&cursor= */
static void list(http_req *r)
{
	aigen_job_status status = AIGEN_JOB_QUEUED;
	int filter = -1;
	aigen_job *items;
	char word[32];
	int64_t cursor, next;
	size_t limit, n;
	cJSON *arr;
	app_err err;

	if (http_query_limit(&limit, r) || http_query_cursor(&cursor, r, "cursor"))
		return;
	app_err_clear(&err);
	if (http_query(word, sizeof(word), r, "status") < 0)
		return;
	if (word[0]) {
		if (aigen_job_status_parse(&status, word, &err)) {
			http_send_error(r, &err);
			return;
		}
		filter = (int)status;
	}
	/* on the heap: request threads have small stacks */
	if (!(items = calloc(limit, sizeof(*items)))) {
		http_send_problem(r, 500, "internal", "out of memory", NULL);
		return;
	}
	if (aigen_list(items, &n, &next, r->svc->aigen, filter, cursor, limit, &err)) {
		free(items);
		http_send_error(r, &err);
		return;
	}
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, job_json(&items[i]));
	free(items);
	http_send_json(r, 200, http_list_next_id(arr, next), NULL);
}

const http_route http_aigen_routes[] = {
    {"GET", "/api/admin/ai-jobs", list, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
