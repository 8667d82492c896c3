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
static int list_fetch(void *rows, size_t *n, int64_t *next, http_req *r, int64_t cursor,
		      size_t limit, app_err *err)
{
	aigen_job_status status = AIGEN_JOB_QUEUED;
	int filter = -1, rc;
	char word[32];

	if ((rc = http_query_value(word, sizeof(word), r->ri->query_string, "status", err)) < 0)
		return rc;
	if (word[0]) {
		if ((rc = aigen_job_status_parse(&status, word, err)))
			return rc;
		filter = (int)status;
	}
	return aigen_list(rows, n, next, r->svc->aigen, filter, cursor, limit, err);
}

static cJSON *list_item(http_req *r, const void *row)
{
	(void)r;
	return job_json(row);
}

static void list(http_req *r)
{
	static const http_page page = {
	    .row_size = sizeof(aigen_job), .fetch = list_fetch, .item = list_item};

	http_send_page(r, &page);
}

const http_route http_aigen_routes[] = {
    {"GET", "/api/admin/ai-jobs", list, ROUTE_ADMIN, NULL, NULL},
    {NULL, NULL, NULL, 0, NULL, NULL},
};
