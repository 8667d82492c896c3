/* A work's readers per day with the verdict of the reader rule, and the rankings made of them. */
#include "adapters/postgres/pg_books_internal.h"

static const char SQL_RANKINGS[] =
    "SELECT " BOOK_COLS ", r.readers FROM (SELECT book_id, count(DISTINCT member_id) AS readers"
    " FROM book_readers WHERE day >= $1 AND day <= $2 AND verdict = 'counted' GROUP BY book_id) r"
    " JOIN books b ON b.id = r.book_id WHERE b.hidden = 0 AND ($4 = 0 OR b.gen_cover = '')"
    " ORDER BY r.readers DESC, b.id DESC LIMIT $3";
static const char SQL_FROM[] =
    "SELECT count(*) FROM book_readers WHERE book_id = $1 AND day = $2 AND client = $3"
    " AND verdict = 'counted'";
static const char SQL_ADD[] =
    "INSERT INTO book_readers(book_id, day, member_id, client, verdict, at)"
    " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING";
/* a member counted on one of the days is not excluded for another */
#define COUNTS_BY_VERDICT                                                                          \
	"count(DISTINCT CASE WHEN verdict = 'counted' THEN member_id END) AS counted,"             \
	" count(DISTINCT CASE WHEN verdict = 'new_account' THEN member_id END) AS fresh,"          \
	" count(DISTINCT CASE WHEN verdict = 'crowded_address' THEN member_id END) AS crowded"     \
	" FROM book_readers r WHERE day >= $1 AND day <= $2"                                       \
	" AND (verdict = 'counted' OR NOT EXISTS (SELECT 1 FROM book_readers c"                    \
	"  WHERE c.book_id = r.book_id AND c.member_id = r.member_id AND c.day >= $1"              \
	"  AND c.day <= $2 AND c.verdict = 'counted'))"
static const char SQL_COUNTS[] = "SELECT " COUNTS_BY_VERDICT " AND book_id = $3";
static const char SQL_EXCLUSIONS[] =
    "SELECT " BOOK_COLS ", x.counted, x.fresh, x.crowded FROM (SELECT book_id, " COUNTS_BY_VERDICT
    " GROUP BY book_id) x JOIN books b ON b.id = x.book_id WHERE x.fresh + x.crowded > 0"
    " ORDER BY x.fresh + x.crowded DESC, b.id DESC LIMIT $3";

/* The three counts of COUNTS_BY_VERDICT from column col on. */
static void counts_row(void *dst, const PGresult *r, int row, int col)
{
	book_reader_counts *out = dst;

	out->counted = pg_int(r, row, col);
	out->new_accounts = pg_int(r, row, col + 1);
	out->crowded_addresses = pg_int(r, row, col + 2);
}

static void readers_row(void *dst, const PGresult *r, int row, int col)
{
	*(int64_t *)dst = pg_int(r, row, col);
}

/*
 * Up to limit rows of sql ($1 $2 the days, $3 the limit, then p's more): a
 * book each into out, and what more() reads from the columns after the
 * book's into the matching element (of size each) of extra.
 */
static int book_rows(book *out, void *extra, size_t each, size_t *n, pg_db *db, uow_tx *tx,
		     const char *sql, pg_params *p, size_t limit,
		     void (*more)(void *dst, const PGresult *r, int row, int col), const char *what,
		     app_err *err)
{
	PGresult *r;
	int rc, rows;

	*n = 0;
	if ((rc = pg_db_query(&r, db, tx, sql, p, what, err)))
		return rc;
	rows = PQntuples(r);
	for (int i = 0; i < rows && *n < limit; i++, (*n)++) {
		pg_book_columns(&out[*n], r, i);
		more((char *)extra + *n * each, r, i, BOOK_NCOLS);
	}
	PQclear(r);
	return 0;
}

static void days(pg_params *p, int64_t first_day, int64_t last_day, size_t limit)
{
	pg_params_init(p);
	pg_param_int(p, first_day);
	pg_param_int(p, last_day);
	pg_param_int(p, (int64_t)limit);
}

int pg_book_rankings(book *out, int64_t *readers, size_t *n, void *self, uow_tx *tx,
		     int64_t first_day, int64_t last_day, int no_ai_covers, size_t limit,
		     app_err *err)
{
	pg_params p;

	days(&p, first_day, last_day, limit);
	pg_param_int(&p, no_ai_covers != 0);
	return book_rows(out, readers, sizeof(*readers), n, self, tx, SQL_RANKINGS, &p, limit,
			 readers_row, "rankings", err);
}

int pg_book_readers_from(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t day,
			 const char *client, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, book_id);
	pg_param_int(&p, day);
	pg_param_text(&p, client);
	return pg_db_int(out, self, tx, SQL_FROM, &p, "readers", err);
}

int pg_book_reader_add(int *added, void *self, uow_tx *tx, const book_view *v,
		       book_reader_verdict verdict, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, v->book_id);
	pg_param_int(&p, v->day);
	pg_param_int(&p, v->member_id);
	pg_param_text(&p, v->client);
	pg_param_text(&p, book_reader_verdict_name(verdict));
	pg_param_int(&p, v->at);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_ADD, &p, "reader", err)))
		return rc;
	*added = changed > 0;
	return 0;
}

int pg_book_reader_counts(book_reader_counts *out, void *self, uow_tx *tx, int64_t book_id,
			  int64_t first_day, int64_t last_day, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, first_day);
	pg_param_int(&p, last_day);
	pg_param_int(&p, book_id);
	if ((rc = pg_db_row(&r, self, tx, SQL_COUNTS, &p, "no count", "reader counts", err)))
		return rc;
	counts_row(out, r, 0, 0);
	PQclear(r);
	return 0;
}

int pg_book_exclusions(book *out, book_reader_counts *counts, size_t *n, void *self, uow_tx *tx,
		       int64_t first_day, int64_t last_day, size_t limit, app_err *err)
{
	pg_params p;

	days(&p, first_day, last_day, limit);
	return book_rows(out, counts, sizeof(*counts), n, self, tx, SQL_EXCLUSIONS, &p, limit,
			 counts_row, "exclusions", err);
}
