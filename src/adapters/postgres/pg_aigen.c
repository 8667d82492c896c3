/* Repository of the aigen core: generation jobs, claimed under a lease. */
#include "adapters/postgres/pg_repos.h"

#include <stdlib.h>
#include <string.h>

#define JOB_COLUMNS                                                                                \
	"id, manuscript_id, status, attempts, next_attempt_at, lease_until, last_error,"           \
	" generator, created_at, updated_at, kind, coalesce(book_id, 0), parts, variant,"          \
	" coalesce(requested_by, 0)"

static const char SQL_JOB_INSERT[] =
    "INSERT INTO aigen_jobs(manuscript_id, status, attempts, next_attempt_at, lease_until,"
    " last_error, generator, created_at, updated_at, kind, book_id, parts, variant, requested_by)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
static const char SQL_JOB_FIND[] = "SELECT " JOB_COLUMNS " FROM aigen_jobs WHERE id = $1";
static const char SQL_JOB_FIND_MS[] = "SELECT " JOB_COLUMNS " FROM aigen_jobs"
				      " WHERE manuscript_id = $1 AND kind = 'publish'";
static const char SQL_JOB_REGENS[] =
    "SELECT count(*), (SELECT id FROM aigen_jobs WHERE kind = 'regenerate' AND book_id = $1"
    "  AND status IN ('queued','running') ORDER BY id DESC LIMIT 1)"
    " FROM aigen_jobs WHERE kind = 'regenerate' AND book_id = $1";
/*
 * One statement: the pick and the take cannot be split by another worker;
 * SKIP LOCKED lets workers of several instances claim different jobs at once
 * instead of queueing on the same row.
 */
static const char SQL_JOB_CLAIM[] =
    "UPDATE aigen_jobs SET status = 'running', attempts = attempts + 1, lease_until = $2,"
    " updated_at = $1 WHERE id = (SELECT id FROM aigen_jobs"
    "  WHERE (status = 'queued' AND next_attempt_at <= $1)"
    "     OR (status = 'running' AND lease_until < $1)"
    "  ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
    " RETURNING " JOB_COLUMNS;
static const char SQL_JOB_UPDATE[] =
    "UPDATE aigen_jobs SET status = $2, attempts = $3, next_attempt_at = $4, lease_until = $5,"
    " last_error = $6, generator = $7, updated_at = $8"
    " WHERE id = $1 AND status = $9 AND lease_until = $10";
static const char SQL_JOB_EXISTS[] = "SELECT 1 FROM aigen_jobs WHERE id = $1";
static const char SQL_JOB_RELEASE[] =
    "UPDATE aigen_jobs SET status = 'queued', lease_until = 0, next_attempt_at = $1,"
    " updated_at = $1 WHERE status = 'running'";
static const char SQL_JOB_NEXT_DUE[] =
    "SELECT min(next_attempt_at) FROM aigen_jobs WHERE status = 'queued'";
static const char SQL_JOB_LIST[] = "SELECT " JOB_COLUMNS " FROM aigen_jobs"
				   " WHERE ($1::text IS NULL OR status = $1) AND id < $2"
				   " ORDER BY id DESC LIMIT $3";
static const char SQL_JOB_COUNTS[] = "SELECT status, count(*) FROM aigen_jobs GROUP BY status";
/*
 * The kept text: SQLite's JSON document, made and read by the server (the
 * motifs one a line: codes have none).
 */
static const char SQL_TEXT_KEEP[] =
    "INSERT INTO aigen_job_texts(job_id, text) SELECT $1, json_build_object("
    " 'summary', $2::text, 'tagline', $3::text, 'price', $4::bigint, 'priceReason', $5::text,"
    " 'coverPrompt', $6::text, 'genre', $7::text, 'priceBasis', json_build_object('code',"
    " $8::text, 'minutes', $9::bigint, 'lengthClass', $10::text), 'motifs',"
    " to_json(string_to_array($11::text, E'\\n')), 'by', json_build_object('summary', $12::text,"
    " 'price', $13::text, 'coverPrompt', $14::text))::text"
    " WHERE EXISTS (SELECT 1 FROM aigen_jobs WHERE id = $1)"
    " ON CONFLICT(job_id) DO UPDATE SET text = excluded.text";
static const char SQL_TEXT_FIND[] =
    "SELECT json_typeof(t) = 'object' AND json_typeof(t->'price') = 'number',"
    " t->>'summary', t->>'tagline', t->>'price', t->>'priceReason', t->>'coverPrompt',"
    " t->>'genre', t#>>'{priceBasis,code}', t#>>'{priceBasis,minutes}',"
    " t#>>'{priceBasis,lengthClass}', CASE WHEN json_typeof(t->'motifs') = 'array' THEN"
    " (SELECT string_agg(m, E'\\n') FROM json_array_elements_text(t->'motifs') m) END,"
    " t#>>'{by,summary}', t#>>'{by,price}', t#>>'{by,coverPrompt}'"
    " FROM (SELECT text::json AS t FROM aigen_job_texts WHERE job_id = $1) x";
static const char SQL_TEXT_DROP[] = "DELETE FROM aigen_job_texts WHERE job_id = $1";

static int job_row(void *dst, const PGresult *r, int row, app_err *err)
{
	aigen_job *j = dst;
	aigen_job_status status = AIGEN_JOB_QUEUED;

	memset(j, 0, sizeof(*j));
	j->id = pg_int(r, row, 0);
	j->manuscript_id = pg_int(r, row, 1);
	aigen_job_status_parse(&status, pg_text(r, row, 2), NULL);
	j->status = status;
	j->attempts = (int)pg_int(r, row, 3);
	j->next_attempt_at = pg_int(r, row, 4);
	j->lease_until = pg_int(r, row, 5);
	pg_copy(j->last_error, sizeof(j->last_error), r, row, 6);
	pg_copy(j->generator, sizeof(j->generator), r, row, 7);
	j->created_at = pg_int(r, row, 8);
	j->updated_at = pg_int(r, row, 9);
	j->kind = strcmp(pg_text(r, row, 10), "regenerate") == 0 ? AIGEN_JOB_REGENERATE
								 : AIGEN_JOB_PUBLISH;
	j->book_id = pg_int(r, row, 11);
	j->parts = (unsigned)pg_int(r, row, 12);
	j->variant = pg_int(r, row, 13);
	j->requested_by = pg_int(r, row, 14);
	(void)err;
	return 0;
}

/* The job a lookup by one id ($1) finds. */
static int job_one(aigen_job *out, pg_db *db, uow_tx *tx, const char *sql, int64_t key,
		   const char *notfound, const char *what, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, key);
	if ((rc = pg_db_row(&r, db, tx, sql, &p, notfound, what, err)))
		return rc;
	job_row(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static int job_insert(void *self, uow_tx *tx, aigen_job *j, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, j->manuscript_id);
	pg_param_text(&p, aigen_job_status_str(j->status));
	pg_param_int(&p, j->attempts);
	pg_param_int(&p, j->next_attempt_at);
	pg_param_int(&p, j->lease_until);
	pg_param_text(&p, j->last_error[0] ? j->last_error : NULL);
	pg_param_text(&p, j->generator[0] ? j->generator : NULL);
	pg_param_int(&p, j->created_at);
	pg_param_int(&p, j->updated_at);
	pg_param_text(&p, j->kind == AIGEN_JOB_REGENERATE ? "regenerate" : "publish");
	pg_param_id(&p, j->book_id > 0 ? j->book_id : 0);
	pg_param_int(&p, j->parts);
	pg_param_int(&p, j->variant);
	pg_param_id(&p, j->requested_by > 0 ? j->requested_by : 0);
	return pg_db_int(&j->id, self, tx, SQL_JOB_INSERT, &p, "job insert", err);
}

static int job_find(aigen_job *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	return job_one(out, self, tx, SQL_JOB_FIND, id, "no such job", "job lookup", err);
}

static int job_find_by_manuscript(aigen_job *out, void *self, uow_tx *tx, int64_t manuscript_id,
				  app_err *err)
{
	return job_one(out, self, tx, SQL_JOB_FIND_MS, manuscript_id, "no such job", "job lookup",
		       err);
}

static int job_regenerations(int64_t *count, aigen_job *pending, int *has_pending, void *self,
			     uow_tx *tx, int64_t book_id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int64_t id;
	int rc;

	*count = 0;
	*has_pending = 0;
	pg_params_init(&p);
	pg_param_int(&p, book_id);
	if ((rc = pg_db_row(&r, self, tx, SQL_JOB_REGENS, &p, "no row", "job regenerations", err)))
		return rc;
	*count = pg_int(r, 0, 0);
	id = pg_int(r, 0, 1);
	PQclear(r);
	if (id <= 0)
		return 0;
	*has_pending = 1;
	return job_find(pending, self, tx, id, err);
}

static int job_claim(aigen_job *out, void *self, uow_tx *tx, int64_t now, int64_t lease_until,
		     app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, now);
	pg_param_int(&p, lease_until);
	if ((rc = pg_db_row(&r, self, tx, SQL_JOB_CLAIM, &p, "no job is due", "job claim", err)))
		return rc;
	job_row(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static int job_update(void *self, uow_tx *tx, const aigen_job *j, aigen_job_status from,
		      int64_t from_lease, app_err *err)
{
	pg_params p;
	int64_t changed, one;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, j->id);
	pg_param_text(&p, aigen_job_status_str(j->status));
	pg_param_int(&p, j->attempts);
	pg_param_int(&p, j->next_attempt_at);
	pg_param_int(&p, j->lease_until);
	pg_param_text(&p, j->last_error[0] ? j->last_error : NULL);
	pg_param_text(&p, j->generator[0] ? j->generator : NULL);
	pg_param_int(&p, j->updated_at);
	pg_param_text(&p, aigen_job_status_str(from));
	pg_param_int(&p, from_lease);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_JOB_UPDATE, &p, "job update", err)))
		return rc;
	if (changed == 1)
		return 0;
	/* nothing changed: absent, or the guard did not hold */
	p.n = 1;
	rc = pg_db_int(&one, self, tx, SQL_JOB_EXISTS, &p, "job lookup", err);
	if (rc == APP_ENOTFOUND)
		return app_err_set(err, rc, NULL, NULL, "no such job");
	return rc ? rc : app_err_set(err, APP_ECONFLICT, NULL, NULL, "the job changed meanwhile");
}

static int job_release_running(size_t *n, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	pg_params p;
	int64_t changed = 0;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, now);
	rc = pg_db_exec(&changed, self, tx, SQL_JOB_RELEASE, &p, "job release", err);
	*n = rc ? 0 : (size_t)changed;
	return rc;
}

static int job_next_due(int64_t *at, void *self, uow_tx *tx, app_err *err)
{
	PGresult *r;
	int rc =
	    pg_db_row(&r, self, tx, SQL_JOB_NEXT_DUE, NULL, "no job is queued", "job due", err);

	if (rc)
		return rc;
	if (pg_is_null(r, 0, 0))
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no job is queued");
	else
		*at = pg_int(r, 0, 0);
	PQclear(r);
	return rc;
}

static int job_list(aigen_job *out, size_t *n, void *self, uow_tx *tx, int status,
		    int64_t before_id, size_t limit, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_text(&p, status >= 0 ? aigen_job_status_str((aigen_job_status)status) : NULL);
	pg_param_int(&p, before_id > 0 ? before_id : INT64_MAX);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(out, sizeof(*out), n, limit, self, tx, SQL_JOB_LIST, &p, job_row,
			  "job list", err);
}

static int job_counts(int64_t out[AIGEN_JOB_STATUS_COUNT], void *self, uow_tx *tx, app_err *err)
{
	PGresult *r;
	int rc;

	memset(out, 0, sizeof(int64_t) * AIGEN_JOB_STATUS_COUNT);
	if ((rc = pg_db_query(&r, self, tx, SQL_JOB_COUNTS, NULL, "job counts", err)))
		return rc;
	for (int i = 0; i < PQntuples(r); i++) {
		aigen_job_status s;

		if (aigen_job_status_parse(&s, pg_text(r, i, 0), NULL) == 0 &&
		    (unsigned)s < AIGEN_JOB_STATUS_COUNT)
			out[s] = pg_int(r, i, 1);
	}
	PQclear(r);
	return 0;
}

/* --- the kept text ------------------------------------------------------------------- */

static int job_keep_text(void *self, uow_tx *tx, int64_t id, const aigen_result *t, app_err *err)
{
	char motifs[AIGEN_MOTIFS_MAX * AIGEN_CODE_MAX] = "";
	size_t k = 0;
	pg_params p;
	int64_t changed;
	int rc;

	for (int i = 0; i < t->nmotifs && i < AIGEN_MOTIFS_MAX; i++)
		k += (size_t)snprintf(motifs + k, sizeof(motifs) - k, "%s%s", i ? "\n" : "",
				      t->motifs[i]);
	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_text(&p, t->summary ? t->summary : "");
	pg_param_text(&p, t->tagline ? t->tagline : "");
	pg_param_int(&p, t->price);
	pg_param_text(&p, t->price_reason ? t->price_reason : "");
	pg_param_text(&p, t->cover_prompt ? t->cover_prompt : "");
	pg_param_text(&p, t->genre);
	pg_param_text(&p, t->price_basis.code);
	pg_param_int(&p, t->price_basis.minutes);
	pg_param_text(&p, t->price_basis.length_class);
	pg_param_text(&p, motifs);
	pg_param_text(&p, t->generated_by_summary);
	pg_param_text(&p, t->generated_by_price);
	pg_param_text(&p, t->generated_by_cover_prompt);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_TEXT_KEEP, &p, "job text keep", err)))
		return rc;
	return changed ? 0 : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such job");
}

/* The motifs of column col (one a line) into t. */
static void motifs_of(aigen_result *t, const PGresult *r, int col)
{
	const char *s = pg_text(r, 0, col);

	while (*s && t->nmotifs < AIGEN_MOTIFS_MAX) {
		size_t n = strcspn(s, "\n");

		snprintf(t->motifs[t->nmotifs++], AIGEN_CODE_MAX, "%.*s", (int)n, s);
		s += n + (s[n] == '\n');
	}
}

/* Reads what SQL_TEXT_FIND made of the document; -1 when out of memory or not such a one. */
static int text_of(aigen_result *t, const PGresult *r)
{
	if (strcmp(pg_text(r, 0, 0), "t") != 0 || !(t->summary = strdup(pg_text(r, 0, 1))) ||
	    !(t->tagline = strdup(pg_text(r, 0, 2))) ||
	    !(t->price_reason = strdup(pg_text(r, 0, 4))) ||
	    !(t->cover_prompt = strdup(pg_text(r, 0, 5)))) {
		aigen_result_dispose(t);
		return -1;
	}
	t->price = (int64_t)strtod(pg_text(r, 0, 3), NULL);
	pg_copy(t->genre, sizeof(t->genre), r, 0, 6);
	pg_copy(t->price_basis.code, sizeof(t->price_basis.code), r, 0, 7);
	t->price_basis.minutes = pg_int(r, 0, 8);
	pg_copy(t->price_basis.length_class, sizeof(t->price_basis.length_class), r, 0, 9);
	motifs_of(t, r, 10);
	pg_copy(t->generated_by_summary, AIGEN_NAME_MAX, r, 0, 11);
	pg_copy(t->generated_by_price, AIGEN_NAME_MAX, r, 0, 12);
	pg_copy(t->generated_by_cover_prompt, AIGEN_NAME_MAX, r, 0, 13);
	return 0;
}

static int job_kept_text(aigen_result *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	if ((rc = pg_db_row(&r, self, tx, SQL_TEXT_FIND, &p, "no text kept", "job text lookup",
			    err)))
		return rc;
	if (text_of(out, r) != 0)
		rc = app_err_set(err, APP_EIO, NULL, NULL,
				 "the kept text of job %lld is unreadable", (long long)id);
	PQclear(r);
	return rc;
}

static int job_drop_text(void *self, uow_tx *tx, int64_t id, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	return pg_db_exec(NULL, self, tx, SQL_TEXT_DROP, &p, "job text drop", err);
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

aigen_job_repo pg_aigen_job_repo(pg_db *db)
{
	return (aigen_job_repo){.vtbl = &job_vtbl, .self = db};
}
