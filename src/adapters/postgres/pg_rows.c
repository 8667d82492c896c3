/* Parameters, columns and the row loop of the repositories (pg_db.h). */
#include "adapters/postgres/pg_db.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pg_params_init(pg_params *p)
{
	p->n = 0;
}

static int param_next(pg_params *p)
{
	assert(p->n < PG_PARAMS_MAX); /* more parameters than a statement here takes */
	p->length[p->n] = 0;
	p->format[p->n] = 0;
	return p->n++;
}

void pg_param_int(pg_params *p, int64_t v)
{
	int i = param_next(p);

	snprintf(p->num[i], sizeof(p->num[i]), "%" PRId64, v);
	p->value[i] = p->num[i];
}

void pg_param_text(pg_params *p, const char *s)
{
	p->value[param_next(p)] = s;
}

void pg_param_null(pg_params *p)
{
	p->value[param_next(p)] = NULL;
}

void pg_param_id(pg_params *p, int64_t id)
{
	if (id)
		pg_param_int(p, id);
	else
		pg_param_null(p);
}

void pg_param_bytes(pg_params *p, const void *data, size_t len)
{
	int i = param_next(p);

	p->value[i] = data ? data : "";
	p->length[i] = (int)len;
	p->format[i] = 1;
}

void pg_param_textn(pg_params *p, const char *s, size_t len)
{
	pg_param_bytes(p, s, len);
}

int64_t pg_int(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? 0 : strtoll(PQgetvalue(r, row, col), NULL, 10);
}

const char *pg_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? "" : PQgetvalue(r, row, col);
}

void pg_copy(char *dst, size_t cap, const PGresult *r, int row, int col)
{
	const char *s = pg_text(r, row, col);
	size_t n = strnlen(s, cap - 1);

	if (s[n]) /* cut: not inside a character */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int pg_is_null(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col);
}

int pg_db_rows(void *out, size_t size, size_t *n, size_t cap, pg_db *db, uow_tx *tx,
	       const char *sql, const pg_params *p, pg_row_reader read, const char *what,
	       app_err *err)
{
	PGresult *r;
	int rc, rows;

	*n = 0;
	if ((rc = pg_db_query(&r, db, tx, sql, p, what, err)))
		return rc;
	rows = PQntuples(r);
	for (int i = 0; i < rows && *n < cap; i++) {
		if ((rc = read((char *)out + *n * size, r, i, err))) {
			*n = 0;
			break;
		}
		(*n)++;
	}
	PQclear(r);
	return rc;
}

int pg_row_int64(void *dst, const PGresult *r, int row, app_err *err)
{
	(void)err;
	*(int64_t *)dst = pg_int(r, row, 0);
	return 0;
}

int pg_db_int(int64_t *out, pg_db *db, uow_tx *tx, const char *sql, const pg_params *p,
	      const char *what, app_err *err)
{
	PGresult *r;
	int rc = pg_db_row(&r, db, tx, sql, p, "no value", what, err);

	if (rc)
		return rc;
	*out = pg_int(r, 0, 0);
	PQclear(r);
	return 0;
}
