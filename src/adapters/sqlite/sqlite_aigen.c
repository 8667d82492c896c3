/* Repository of the aigen core: generation jobs, claimed under a lease. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#define JOB_COLUMNS                                                                                \
	"id, manuscript_id, status, attempts, next_attempt_at, lease_until, last_error,"           \
	" generator, created_at, updated_at, kind, coalesce(book_id, 0), parts, variant,"          \
	" coalesce(requested_by, 0)"

static const char SQL_JOB_INSERT[] =
    "INSERT INTO aigen_jobs(manuscript_id, status, attempts, next_attempt_at, lease_until,"
    " last_error, generator, created_at, updated_at, kind, book_id, parts, variant, requested_by)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
static const char SQL_JOB_FIND[] = "SELECT " JOB_COLUMNS " FROM aigen_jobs WHERE id = ?1";
static const char SQL_JOB_FIND_MS[] = "SELECT " JOB_COLUMNS " FROM aigen_jobs"
				      " WHERE manuscript_id = ?1 AND kind = 'publish'";
static const char SQL_JOB_REGENS[] =
    "SELECT count(*), (SELECT id FROM aigen_jobs WHERE kind = 'regenerate' AND book_id = ?1"
    "  AND status IN ('queued','running') ORDER BY id DESC LIMIT 1)"
    " FROM aigen_jobs WHERE kind = 'regenerate' AND book_id = ?1";
/* One statement: the pick and the take cannot be split by another worker. */
static const char SQL_JOB_CLAIM[] =
    "UPDATE aigen_jobs SET status = 'running', attempts = attempts + 1, lease_until = ?2,"
    " updated_at = ?1 WHERE id = (SELECT id FROM aigen_jobs"
    "  WHERE (status = 'queued' AND next_attempt_at <= ?1)"
    "     OR (status = 'running' AND lease_until < ?1)"
    "  ORDER BY next_attempt_at, id LIMIT 1)"
    " RETURNING " JOB_COLUMNS;
static const char SQL_JOB_UPDATE[] =
    "UPDATE aigen_jobs SET status = ?2, attempts = ?3, next_attempt_at = ?4, lease_until = ?5,"
    " last_error = ?6, generator = ?7, updated_at = ?8"
    " WHERE id = ?1 AND status = ?9 AND lease_until = ?10";
static const char SQL_JOB_EXISTS[] = "SELECT 1 FROM aigen_jobs WHERE id = ?1";
static const char SQL_JOB_RELEASE[] =
    "UPDATE aigen_jobs SET status = 'queued', lease_until = 0, next_attempt_at = ?1,"
    " updated_at = ?1 WHERE status = 'running'";
static const char SQL_JOB_NEXT_DUE[] =
    "SELECT MIN(next_attempt_at) FROM aigen_jobs WHERE status = 'queued'";
static const char SQL_JOB_LIST[] = "SELECT " JOB_COLUMNS " FROM aigen_jobs"
				   " WHERE (?1 IS NULL OR status = ?1) AND id < ?2"
				   " ORDER BY id DESC LIMIT ?3";
static const char SQL_JOB_COUNTS[] = "SELECT status, COUNT(*) FROM aigen_jobs GROUP BY status";
static const char SQL_TEXT_KEEP[] = "INSERT INTO aigen_job_texts(job_id, text) SELECT ?1, ?2"
				    " WHERE EXISTS (SELECT 1 FROM aigen_jobs WHERE id = ?1)"
				    " ON CONFLICT(job_id) DO UPDATE SET text = excluded.text";
static const char SQL_TEXT_FIND[] = "SELECT text FROM aigen_job_texts WHERE job_id = ?1";
static const char SQL_TEXT_DROP[] = "DELETE FROM aigen_job_texts WHERE job_id = ?1";

static void column_text(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, cap, "%s", s ? (const char *)s : "");
}

static int job_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	aigen_job *j = dst;
	aigen_job_status status = AIGEN_JOB_QUEUED;

	memset(j, 0, sizeof(*j));
	j->id = sqlite3_column_int64(st, 0);
	j->manuscript_id = sqlite3_column_int64(st, 1);
	aigen_job_status_parse(&status, (const char *)sqlite3_column_text(st, 2), NULL);
	j->status = status;
	j->attempts = sqlite3_column_int(st, 3);
	j->next_attempt_at = sqlite3_column_int64(st, 4);
	j->lease_until = sqlite3_column_int64(st, 5);
	column_text(j->last_error, sizeof(j->last_error), st, 6);
	column_text(j->generator, sizeof(j->generator), st, 7);
	j->created_at = sqlite3_column_int64(st, 8);
	j->updated_at = sqlite3_column_int64(st, 9);
	j->kind = strcmp((const char *)sqlite3_column_text(st, 10), "regenerate") == 0
		      ? AIGEN_JOB_REGENERATE
		      : AIGEN_JOB_PUBLISH;
	j->book_id = sqlite3_column_int64(st, 11);
	j->parts = (unsigned)sqlite3_column_int64(st, 12);
	j->variant = sqlite3_column_int64(st, 13);
	j->requested_by = sqlite3_column_int64(st, 14);
	(void)err;
	return 0;
}

/* Steps a statement that yields at most one job into out. */
static int job_one(aigen_job *out, sqlite_db *db, sqlite3_stmt *st, const char *what, app_err *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW) {
		job_row(out, st, NULL);
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such job");
	} else {
		rc = sqlite_db_error(db, rc, what, err);
	}
	sqlite_stmt_done(st);
	return rc;
}

static int job_insert(void *self, uow_tx *tx, aigen_job *j, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_JOB_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, j->manuscript_id);
	sqlite3_bind_text(st, 2, aigen_job_status_str(j->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, j->attempts);
	sqlite3_bind_int64(st, 4, j->next_attempt_at);
	sqlite3_bind_int64(st, 5, j->lease_until);
	sqlite_bind_text_or_null(st, 6, j->last_error[0] ? j->last_error : NULL);
	sqlite_bind_text_or_null(st, 7, j->generator[0] ? j->generator : NULL);
	sqlite3_bind_int64(st, 8, j->created_at);
	sqlite3_bind_int64(st, 9, j->updated_at);
	sqlite3_bind_text(st, 10, j->kind == AIGEN_JOB_REGENERATE ? "regenerate" : "publish", -1,
			  SQLITE_STATIC);
	if (j->book_id > 0)
		sqlite3_bind_int64(st, 11, j->book_id);
	sqlite3_bind_int64(st, 12, j->parts);
	sqlite3_bind_int64(st, 13, j->variant);
	if (j->requested_by > 0)
		sqlite3_bind_int64(st, 14, j->requested_by);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlite_db_error(db, rc, "job insert", err);
	j->id = sqlite_db_last_id(db);
	return 0;
}

static int job_find(aigen_job *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_JOB_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return job_one(out, self, st, "job lookup", err);
}

static int job_find_by_manuscript(aigen_job *out, void *self, uow_tx *tx, int64_t manuscript_id,
				  app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_JOB_FIND_MS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, manuscript_id);
	return job_one(out, self, st, "job lookup", err);
}

static int job_regenerations(int64_t *count, aigen_job *pending, int *has_pending, void *self,
			     uow_tx *tx, int64_t book_id, app_err *err)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	int rc;

	*count = 0;
	*has_pending = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_JOB_REGENS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	if ((rc = sqlite_stmt_row(self, st, "no row", "job regenerations", err)))
		return rc;
	*count = sqlite3_column_int64(st, 0);
	id = sqlite3_column_int64(st, 1);
	sqlite_stmt_done(st);
	if (id <= 0)
		return 0;
	*has_pending = 1;
	return job_find(pending, self, tx, id, err);
}

static int job_claim(aigen_job *out, void *self, uow_tx *tx, int64_t now, int64_t lease_until,
		     app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_JOB_CLAIM, err)))
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, lease_until);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		job_row(out, st, NULL);
		/* RETURNING rows are produced before the change is final: finish it */
		rc = sqlite3_step(st);
		rc = rc == SQLITE_DONE ? 0 : sqlite_db_error(self, rc, "job claim", err);
	} else if (rc == SQLITE_DONE) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no job is due");
	} else {
		rc = sqlite_db_error(self, rc, "job claim", err);
	}
	sqlite_stmt_done(st);
	return rc;
}

static int job_update(void *self, uow_tx *tx, const aigen_job *j, aigen_job_status from,
		      int64_t from_lease, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_JOB_UPDATE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, j->id);
	sqlite3_bind_text(st, 2, aigen_job_status_str(j->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, j->attempts);
	sqlite3_bind_int64(st, 4, j->next_attempt_at);
	sqlite3_bind_int64(st, 5, j->lease_until);
	sqlite_bind_text_or_null(st, 6, j->last_error[0] ? j->last_error : NULL);
	sqlite_bind_text_or_null(st, 7, j->generator[0] ? j->generator : NULL);
	sqlite3_bind_int64(st, 8, j->updated_at);
	sqlite3_bind_text(st, 9, aigen_job_status_str(from), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, from_lease);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlite_db_error(db, rc, "job update", err);
	if (sqlite_db_changes(db) == 1)
		return 0;
	/* nothing changed: absent, or the guard did not hold */
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_JOB_EXISTS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, j->id);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	if (rc == SQLITE_DONE)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such job");
	if (rc != SQLITE_ROW)
		return sqlite_db_error(db, rc, "job lookup", err);
	return app_err_set(err, APP_ECONFLICT, NULL, NULL, "the job changed meanwhile");
}

static int job_release_running(size_t *n, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_JOB_RELEASE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, now);
	rc = sqlite3_step(st);
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlite_db_error(db, rc, "job release", err);
	*n = (size_t)sqlite_db_changes(db);
	return 0;
}

static int job_next_due(int64_t *at, void *self, uow_tx *tx, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_JOB_NEXT_DUE, err)))
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*at = sqlite3_column_int64(st, 0);
		rc = 0;
	} else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no job is queued");
	} else {
		rc = sqlite_db_error(self, rc, "job due", err);
	}
	sqlite_stmt_done(st);
	return rc;
}

static int job_list(aigen_job *out, size_t *n, void *self, uow_tx *tx, int status,
		    int64_t before_id, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc = SQLITE_DONE;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_JOB_LIST, err)))
		return rc;
	if (status >= 0)
		sqlite3_bind_text(st, 1, aigen_job_status_str((aigen_job_status)status), -1,
				  SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, before_id > 0 ? before_id : INT64_MAX);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return sqlite_stmt_rows(out, sizeof(*out), n, limit, self, st, job_row, "job list", err);
}

static int job_counts(int64_t out[AIGEN_JOB_STATUS_COUNT], void *self, uow_tx *tx, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(int64_t) * AIGEN_JOB_STATUS_COUNT);
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_JOB_COUNTS, err)))
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		aigen_job_status s;

		if (aigen_job_status_parse(&s, (const char *)sqlite3_column_text(st, 0), NULL) ==
			0 &&
		    (unsigned)s < AIGEN_JOB_STATUS_COUNT)
			out[s] = sqlite3_column_int64(st, 1);
	}
	sqlite_stmt_done(st);
	if (rc != SQLITE_DONE)
		return sqlite_db_error(self, rc, "job counts", err);
	return 0;
}

/* --- the kept text: one JSON document per job ------------------------------------------- */

static int text_add(cJSON *o, const char *name, const char *value)
{
	return cJSON_AddStringToObject(o, name, value ? value : "") ? 0 : -1;
}

static char *text_to_json(const aigen_result *t)
{
	cJSON *root = cJSON_CreateObject(), *basis, *motifs, *by;
	char *s = NULL;

	if (!root || text_add(root, "summary", t->summary) ||
	    text_add(root, "tagline", t->tagline) ||
	    !cJSON_AddNumberToObject(root, "price", (double)t->price) ||
	    text_add(root, "priceReason", t->price_reason) ||
	    text_add(root, "coverPrompt", t->cover_prompt) || text_add(root, "genre", t->genre) ||
	    !(basis = cJSON_AddObjectToObject(root, "priceBasis")) ||
	    text_add(basis, "code", t->price_basis.code) ||
	    !cJSON_AddNumberToObject(basis, "minutes", t->price_basis.minutes) ||
	    text_add(basis, "lengthClass", t->price_basis.length_class) ||
	    !(motifs = cJSON_AddArrayToObject(root, "motifs")) ||
	    !(by = cJSON_AddObjectToObject(root, "by")) ||
	    text_add(by, "summary", t->generated_by_summary) ||
	    text_add(by, "price", t->generated_by_price) ||
	    text_add(by, "coverPrompt", t->generated_by_cover_prompt))
		goto out;
	for (int i = 0; i < t->nmotifs && i < AIGEN_MOTIFS_MAX; i++) {
		cJSON *m = cJSON_CreateString(t->motifs[i]);

		if (!m || !cJSON_AddItemToArray(motifs, m)) {
			cJSON_Delete(m);
			goto out;
		}
	}
	s = cJSON_PrintUnformatted(root);
out:
	cJSON_Delete(root);
	return s;
}

static const char *text_get(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

static int text_dup(char **out, const cJSON *o, const char *name)
{
	return (*out = strdup(text_get(o, name))) ? 0 : -1;
}

/* Reads what text_to_json wrote; -1 when out of memory or not such a document. */
static int text_from_json(aigen_result *t, const char *json)
{
	cJSON *root = cJSON_Parse(json);
	const cJSON *basis = cJSON_GetObjectItemCaseSensitive(root, "priceBasis");
	const cJSON *by = cJSON_GetObjectItemCaseSensitive(root, "by");
	const cJSON *price = cJSON_GetObjectItemCaseSensitive(root, "price"), *m;
	int rc = -1;

	if (!cJSON_IsObject(root) || !cJSON_IsNumber(price) ||
	    text_dup(&t->summary, root, "summary") || text_dup(&t->tagline, root, "tagline") ||
	    text_dup(&t->price_reason, root, "priceReason") ||
	    text_dup(&t->cover_prompt, root, "coverPrompt"))
		goto out;
	t->price = (int64_t)price->valuedouble;
	snprintf(t->genre, sizeof(t->genre), "%s", text_get(root, "genre"));
	snprintf(t->price_basis.code, sizeof(t->price_basis.code), "%s", text_get(basis, "code"));
	snprintf(t->price_basis.length_class, sizeof(t->price_basis.length_class), "%s",
		 text_get(basis, "lengthClass"));
	m = cJSON_GetObjectItemCaseSensitive(basis, "minutes");
	t->price_basis.minutes = cJSON_IsNumber(m) ? m->valueint : 0;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(root, "motifs"))
	{
		if (t->nmotifs < AIGEN_MOTIFS_MAX && cJSON_IsString(m))
			snprintf(t->motifs[t->nmotifs++], AIGEN_CODE_MAX, "%s", m->valuestring);
	}
	snprintf(t->generated_by_summary, AIGEN_NAME_MAX, "%s", text_get(by, "summary"));
	snprintf(t->generated_by_price, AIGEN_NAME_MAX, "%s", text_get(by, "price"));
	snprintf(t->generated_by_cover_prompt, AIGEN_NAME_MAX, "%s", text_get(by, "coverPrompt"));
	rc = 0;
out:
	if (rc)
		aigen_result_dispose(t);
	cJSON_Delete(root);
	return rc;
}

static int job_keep_text(void *self, uow_tx *tx, int64_t id, const aigen_result *text, app_err *err)
{
	sqlite_db *db = self;
	char *json = text_to_json(text);
	sqlite3_stmt *st;
	int rc;

	if (!json)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_TEXT_KEEP, err)) == 0) {
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, json, -1, SQLITE_STATIC);
		rc = sqlite_stmt_exec(db, st, "job text keep", err);
	}
	cJSON_free(json);
	if (rc == 0 && sqlite_db_changes(db) == 0)
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such job");
	return rc;
}

static int job_kept_text(aigen_result *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_TEXT_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(db, st, "no text kept", "job text lookup", err)))
		return rc;
	if (text_from_json(out, (const char *)sqlite3_column_text(st, 0)) != 0)
		rc = app_err_set(err, APP_EIO, NULL, NULL,
				 "the kept text of job %lld is unreadable", (long long)id);
	sqlite_stmt_done(st);
	return rc;
}

static int job_drop_text(void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_TEXT_DROP, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	return sqlite_stmt_exec(self, st, "job text drop", err);
}

static const aigen_job_repo_vtbl job_vtbl = {
    .insert = job_insert,
    .find = job_find,
    .find_by_manuscript = job_find_by_manuscript,
    .regenerations = job_regenerations,
    .claim = job_claim,
    .update = job_update,
    .release_running = job_release_running,
    .next_due = job_next_due,
    .list = job_list,
    .counts = job_counts,
    .keep_text = job_keep_text,
    .kept_text = job_kept_text,
    .drop_text = job_drop_text,
};

aigen_job_repo sqlite_aigen_job_repo(sqlite_db *db)
{
	return (aigen_job_repo){.vtbl = &job_vtbl, .self = db};
}
