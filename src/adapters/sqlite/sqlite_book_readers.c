/* A work's readers per day with the verdict of the reader rule, and the rankings made of them. */
#include "adapters/sqlite/sqlite_books_internal.h"

static const char SQL_RANKINGS[] =
    "SELECT " BOOK_COLS ", r.readers FROM (SELECT book_id, count(DISTINCT member_id) AS readers"
    " FROM book_readers WHERE day >= ?1 AND day <= ?2 AND verdict = 'counted' GROUP BY book_id) r"
    " JOIN books b ON b.id = r.book_id WHERE b.hidden = 0 AND (?4 = 0 OR b.gen_cover = '')"
    " ORDER BY r.readers DESC, b.id DESC LIMIT ?3";
static const char SQL_FROM[] =
    "SELECT count(*) FROM book_readers WHERE book_id = ?1 AND day = ?2 AND client = ?3"
    " AND verdict = 'counted'";
static const char SQL_ADD[] =
    "INSERT INTO book_readers(book_id, day, member_id, client, verdict, at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING";
/* a member counted on one of the days is not excluded for another */
#define COUNTS_BY_VERDICT                                                                          \
	"count(DISTINCT CASE WHEN verdict = 'counted' THEN member_id END) AS counted,"             \
	" count(DISTINCT CASE WHEN verdict = 'new_account' THEN member_id END) AS fresh,"          \
	" count(DISTINCT CASE WHEN verdict = 'crowded_address' THEN member_id END) AS crowded"     \
	" FROM book_readers r WHERE day >= ?1 AND day <= ?2"                                       \
	" AND (verdict = 'counted' OR NOT EXISTS (SELECT 1 FROM book_readers c"                    \
	"  WHERE c.book_id = r.book_id AND c.member_id = r.member_id AND c.day >= ?1"              \
	"  AND c.day <= ?2 AND c.verdict = 'counted'))"
static const char SQL_COUNTS[] = "SELECT " COUNTS_BY_VERDICT " AND book_id = ?3";
static const char SQL_EXCLUSIONS[] =
    "SELECT " BOOK_COLS ", x.counted, x.fresh, x.crowded FROM (SELECT book_id, " COUNTS_BY_VERDICT
    " GROUP BY book_id) x JOIN books b ON b.id = x.book_id WHERE x.fresh + x.crowded > 0"
    " ORDER BY x.fresh + x.crowded DESC, b.id DESC LIMIT ?3";

/* The three counts of COUNTS_BY_VERDICT from column col on. */
static void counts_row(void *dst, sqlite3_stmt *st, int col)
{
	book_reader_counts *out = dst;

	out->counted = sqlite3_column_int64(st, col);
	out->new_accounts = sqlite3_column_int64(st, col + 1);
	out->crowded_addresses = sqlite3_column_int64(st, col + 2);
}

static void readers_row(void *dst, sqlite3_stmt *st, int col)
{
	*(int64_t *)dst = sqlite3_column_int64(st, col);
}

/*
 * Up to limit rows of st (days and limit bound as ?1 ?2 ?3): a book each
 * into out, and what more() reads from the columns after the book's into
 * the matching element (of size each) of extra.
 */
static int book_rows(book *out, void *extra, size_t each, size_t *n, void *self, sqlite3_stmt *st,
		     int64_t first_day, int64_t last_day, size_t limit,
		     void (*more)(void *dst, sqlite3_stmt *st, int col), const char *what,
		     app_err *err)
{
	int rc = SQLITE_DONE;

	*n = 0;
	sqlite3_bind_int64(st, 1, first_day);
	sqlite3_bind_int64(st, 2, last_day);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	while (*n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite_book_row(&out[*n], st, NULL);
		more((char *)extra + *n * each, st, BOOK_NCOLS);
		(*n)++;
	}
	if (*n == limit)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(self, rc, what, err);
}

int sqlite_book_rankings(book *out, int64_t *readers, size_t *n, void *self, uow_tx *tx,
			 int64_t first_day, int64_t last_day, int no_ai_covers, size_t limit,
			 app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_RANKINGS, err)))
		return rc;
	sqlite3_bind_int(st, 4, no_ai_covers != 0);
	return book_rows(out, readers, sizeof(*readers), n, self, st, first_day, last_day, limit,
			 readers_row, "rankings", err);
}

int sqlite_book_readers_from(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t day,
			     const char *client, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FROM, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, day);
	sqlite3_bind_text(st, 3, client, -1, SQLITE_STATIC);
	if ((rc = sqlite_stmt_row(self, st, "no count", "readers", err)))
		return rc;
	*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

int sqlite_book_reader_add(int *added, void *self, uow_tx *tx, const book_view *v,
			   book_reader_verdict verdict, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ADD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, v->book_id);
	sqlite3_bind_int64(st, 2, v->day);
	sqlite3_bind_int64(st, 3, v->member_id);
	sqlite3_bind_text(st, 4, v->client, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, book_reader_verdict_name(verdict), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, v->at);
	if ((rc = sqlite_stmt_exec(self, st, "reader", err)))
		return rc;
	*added = sqlite_db_changes(self) > 0;
	return 0;
}

int sqlite_book_reader_counts(book_reader_counts *out, void *self, uow_tx *tx, int64_t book_id,
			      int64_t first_day, int64_t last_day, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_COUNTS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, first_day);
	sqlite3_bind_int64(st, 2, last_day);
	sqlite3_bind_int64(st, 3, book_id);
	if ((rc = sqlite_stmt_row(self, st, "no count", "reader counts", err)))
		return rc;
	counts_row(out, st, 0);
	sqlite_stmt_done(st);
	return 0;
}

int sqlite_book_exclusions(book *out, book_reader_counts *counts, size_t *n, void *self, uow_tx *tx,
			   int64_t first_day, int64_t last_day, size_t limit, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_EXCLUSIONS, err)))
		return rc;
	return book_rows(out, counts, sizeof(*counts), n, self, st, first_day, last_day, limit,
			 counts_row, "exclusions", err);
}
