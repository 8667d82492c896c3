#include "domain/common/idempotency.h"

#include <string.h>

#include "domain/common/text.h"

int idem_key_check(const char *key, app_err *err)
{
	size_t len;

	if (!key)
		return 0;
	len = strlen(key);
	if (len == 0 || len > IDEM_KEY_MAX || !text_utf8_valid(key, len))
		return app_err_set(err, APP_EINVALID, NULL, "idempotencyKey",
				   "an idempotency key has 1 to %d characters", IDEM_KEY_MAX);
	return 0;
}

int idem_check(idem_state *state, int64_t *result, const idempotency_repo *r, uow_tx *tx,
	       int64_t member_id, const char *scope, const char *key, const char *request,
	       app_err *err)
{
	idem_entry e;
	int rc;

	*state = IDEM_FRESH;
	*result = 0;
	if (!key)
		return 0;
	if ((rc = idem_key_check(key, err)))
		return rc;
	rc = idempotency_repo_find(&e, r, tx, member_id, scope, key, err);
	if (rc == APP_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	/* rows kept before requests were recorded (request "") match any request */
	if (e.request[0] && strcmp(e.request, request) != 0)
		return app_err_set(err, APP_EINVALID, "idempotency_key_reused", "idempotencyKey",
				   "this idempotency key was used for another request");
	*state = e.result_id ? IDEM_DONE : IDEM_IN_FLIGHT;
	*result = e.result_id;
	return 0;
}

int idem_record(const idempotency_repo *r, uow_tx *tx, int64_t member_id, const char *scope,
		const char *key, const char *request, int64_t result_id, int64_t now, app_err *err)
{
	if (!key)
		return 0;
	return idempotency_repo_insert(r, tx, member_id, scope, key, request, result_id, now, err);
}
