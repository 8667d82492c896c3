/* The episodes repository: episodes and their text, schedules, holds, wait-free timers. */
#include "adapters/sqlite/sqlite_books_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EP_COLS_WITHOUT_SUMMARY                                                                    \
	"id, book_id, number, coalesce(manuscript_id, 0), title, price, own_price, characters,"    \
	" views, '', gen_summary, coalesce(scheduled_at, 0), coalesce(published_at, 0),"           \
	" created_at, updated_at"
#define EP_COLS                                                                                    \
	"id, book_id, number, coalesce(manuscript_id, 0), title, price, own_price, characters,"    \
	" views, summary, gen_summary, coalesce(scheduled_at, 0), coalesce(published_at, 0),"      \
	" created_at, updated_at"
#define ENT_COLS                                                                                   \
	"id, member_id, book_id, price, coalesce(ledger_id, 0), granted_at, number,"               \
	" kind = 'wait_free', coalesce(batch, 0)"

static const char SQL_INSERT[] =
    "INSERT INTO episodes(book_id, number, manuscript_id, title, price, own_price, characters,"
    " summary, gen_summary, scheduled_at, published_at, created_at, updated_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12) ON CONFLICT DO NOTHING";
static const char SQL_BY_MANUSCRIPT[] = "SELECT id, number FROM episodes WHERE manuscript_id = ?1";
static const char SQL_INSERT_CONTENT[] =
    "INSERT INTO episode_contents(episode_id, content) VALUES (?1, ?2)";
static const char SQL_FIND[] = "SELECT " EP_COLS " FROM episodes WHERE book_id = ?1"
			       " AND number = ?2";
/* the hold: NULL none, 0 bought, 1 waited for */
static const char SQL_FIND_HELD[] =
    "SELECT " EP_COLS ", (SELECT kind = 'wait_free' FROM episode_entitlements"
    " WHERE member_id = ?3 AND book_id = ?1 AND number = ?2) FROM episodes"
    " WHERE book_id = ?1 AND number = ?2";
static const char SQL_LIST[] = "SELECT " EP_COLS_WITHOUT_SUMMARY " FROM episodes"
			       " WHERE book_id = ?1 AND number > ?2 AND published_at IS NOT NULL"
			       " ORDER BY number LIMIT ?3";
static const char SQL_LIST_ALL[] = "SELECT " EP_COLS_WITHOUT_SUMMARY " FROM episodes"
				   " WHERE book_id = ?1 AND number > ?2 ORDER BY number LIMIT ?3";
static const char SQL_CONTENT[] = "SELECT c.content FROM episodes e JOIN episode_contents c"
				  " ON c.episode_id = e.id WHERE e.book_id = ?1 AND e.number = ?2";
static const char SQL_EDIT[] = "UPDATE episodes SET title = ?2, price = ?3, own_price = ?4,"
			       " characters = ?5, updated_at = ?6 WHERE id = ?1";
static const char SQL_EDIT_CONTENT[] = "UPDATE episode_contents SET content = ?2"
				       " WHERE episode_id = ?1";
static const char SQL_FOLLOW_PRICE[] = "UPDATE episodes SET price = ?2 WHERE book_id = ?1"
				       " AND own_price = 0";
static const char SQL_DUE[] = "SELECT " EP_COLS " FROM episodes WHERE published_at IS NULL"
			      " AND scheduled_at <= ?1 ORDER BY scheduled_at, id LIMIT ?2";
static const char SQL_PUBLISH[] = "UPDATE episodes SET published_at = ?2, updated_at = ?2"
				  " WHERE id = ?1 AND published_at IS NULL";
static const char SQL_LAST_PUBLISHED[] = "SELECT coalesce(max(number), 0) FROM episodes"
					 " WHERE book_id = ?1 AND published_at IS NOT NULL";
static const char SQL_LAST_ANY[] = "SELECT coalesce(max(number), 0) FROM episodes"
				   " WHERE book_id = ?1";
static const char SQL_ADD_VIEWS[] = "UPDATE episodes SET views = views + ?3"
				    " WHERE book_id = ?1 AND number = ?2";
static const char SQL_HOLDS[] = "SELECT number, kind = 'wait_free' FROM episode_entitlements"
				" WHERE member_id = ?1 AND book_id = ?2 AND number > ?3"
				" ORDER BY number LIMIT ?4";
static const char SQL_HOLD[] = "SELECT kind = 'wait_free' FROM episode_entitlements"
			       " WHERE member_id = ?1 AND book_id = ?2 AND number = ?3";
/* a timer is taken only when it is due: two unlocks at once, one wins */
static const char SQL_TIMER_TAKE[] =
    "INSERT INTO wait_free_timers(member_id, book_id, next_at) VALUES (?1, ?2, ?4)"
    " ON CONFLICT(member_id, book_id) DO UPDATE SET next_at = excluded.next_at"
    " WHERE wait_free_timers.next_at <= ?3";
static const char SQL_TIMER_NEXT[] = "SELECT next_at FROM wait_free_timers WHERE member_id = ?1"
				     " AND book_id = ?2";
static const char SQL_BATCH[] = "SELECT " ENT_COLS " FROM episode_entitlements"
				" WHERE member_id = ?1 AND batch = ?3 AND book_id = ?2"
				" AND number > ?4 ORDER BY number LIMIT ?5";

static int episode_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	episode *e = dst;

	e->id = sqlite3_column_int64(st, 0);
	e->book_id = sqlite3_column_int64(st, 1);
	e->number = sqlite3_column_int64(st, 2);
	e->manuscript_id = sqlite3_column_int64(st, 3);
	sqlite_text_col(e->title, sizeof(e->title), st, 4);
	e->price = sqlite3_column_int64(st, 5);
	e->own_price = sqlite3_column_int(st, 6);
	e->characters = sqlite3_column_int64(st, 7);
	e->views = sqlite3_column_int64(st, 8);
	sqlite_text_col(e->summary, sizeof(e->summary), st, 9);
	sqlite_text_col(e->gen_summary, sizeof(e->gen_summary), st, 10);
	e->scheduled_at = sqlite3_column_int64(st, 11);
	e->published_at = sqlite3_column_int64(st, 12);
	e->created_at = sqlite3_column_int64(st, 13);
	e->updated_at = sqlite3_column_int64(st, 14);
	(void)err;
	return 0;
}

static void bind_int_or_null(sqlite3_stmt *st, int idx, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, idx, v);
	else
		sqlite3_bind_null(st, idx);
}

/* The insert wrote nothing: the manuscript's episode exists (say which), or the number is taken. */
static int insert_conflict(sqlite_db *db, uow_tx *tx, episode *e, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if (e->manuscript_id) {
		if ((rc = sqlite_db_stmt(&st, db, tx, SQL_BY_MANUSCRIPT, err)))
			return rc;
		sqlite3_bind_int64(st, 1, e->manuscript_id);
		rc = sqlite_stmt_row(db, st, "", "episode lookup", err);
		if (rc == 0) {
			e->id = sqlite3_column_int64(st, 0);
			e->number = sqlite3_column_int64(st, 1);
			sqlite_stmt_done(st);
			return app_err_set(err, APP_EEXISTS, NULL, NULL,
					   "the manuscript has an episode");
		}
		if (rc != APP_ENOTFOUND)
			return rc;
	}
	e->id = 0;
	return app_err_set(err, APP_EEXISTS, NULL, NULL, "episode %lld exists",
			   (long long)e->number);
}

static int ep_insert(void *self, uow_tx *tx, episode *e, const char *content, size_t content_len,
		     app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_INSERT, err)))
		return rc;
	e->characters = sqlite_utf8_chars(content, content_len);
	sqlite3_bind_int64(st, 1, e->book_id);
	sqlite3_bind_int64(st, 2, e->number);
	bind_int_or_null(st, 3, e->manuscript_id);
	sqlite3_bind_text(st, 4, e->title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, e->price);
	sqlite3_bind_int(st, 6, e->own_price);
	sqlite3_bind_int64(st, 7, e->characters);
	sqlite3_bind_text(st, 8, e->summary, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, e->gen_summary, -1, SQLITE_STATIC);
	bind_int_or_null(st, 10, e->scheduled_at);
	bind_int_or_null(st, 11, e->published_at);
	sqlite3_bind_int64(st, 12, e->created_at);
	if ((rc = sqlite_stmt_exec(db, st, "episode insert", err)))
		return rc;
	if (sqlite_db_changes(db) == 0)
		return insert_conflict(db, tx, e, err);
	e->id = sqlite_db_last_id(db);
	e->updated_at = e->created_at;
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_INSERT_CONTENT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_text(st, 2, content, (int)content_len, SQLITE_STATIC);
	return sqlite_stmt_exec(db, st, "episode text", err);
}

static int ep_find(episode *out, void *self, uow_tx *tx, int64_t book_id, int64_t number,
		   app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, number);
	if ((rc = sqlite_stmt_row(self, st, "no such episode", "episode lookup", err)))
		return rc;
	episode_row(out, st, NULL);
	sqlite_stmt_done(st);
	return 0;
}

static int ep_find_held(episode *out, int *hold, void *self, uow_tx *tx, int64_t book_id,
			int64_t number, int64_t member_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FIND_HELD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, number);
	sqlite3_bind_int64(st, 3, member_id);
	if ((rc = sqlite_stmt_row(self, st, "no such episode", "episode lookup", err)))
		return rc;
	episode_row(out, st, NULL);
	*hold = sqlite3_column_type(st, 15) == SQLITE_NULL ? BOOK_OWN_NONE
		: sqlite3_column_int(st, 15)		   ? BOOK_OWN_WAIT_FREE
							   : BOOK_OWN_PURCHASE;
	sqlite_stmt_done(st);
	return 0;
}

/* Steps st into out (episodes) until limit; the statement is released. */
static int episode_rows(episode *out, size_t *n, sqlite_db *db, sqlite3_stmt *st, size_t limit,
			const char *what, app_err *err)
{
	return sqlite_stmt_rows(out, sizeof(*out), n, limit, db, st, episode_row, what, err);
}

static int ep_list(episode *out, size_t *n, void *self, uow_tx *tx, int64_t book_id, int64_t after,
		   size_t limit, int with_unpublished, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, with_unpublished ? SQL_LIST_ALL : SQL_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)limit);
	return episode_rows(out, n, self, st, limit, "episode list", err);
}

static int ep_content(char **out, size_t *len, void *self, uow_tx *tx, int64_t book_id,
		      int64_t number, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_CONTENT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, number);
	if ((rc = sqlite_stmt_row(self, st, "no such episode", "episode text", err)))
		return rc;
	rc = sqlite_text_dup(out, len, st, 0, err);
	sqlite_stmt_done(st);
	return rc;
}

static int ep_edit(void *self, uow_tx *tx, const episode *e, const char *content,
		   size_t content_len, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_EDIT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_text(st, 2, e->title, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, e->price);
	sqlite3_bind_int(st, 4, e->own_price);
	sqlite3_bind_int64(st, 5,
			   content ? sqlite_utf8_chars(content, content_len) : e->characters);
	sqlite3_bind_int64(st, 6, e->updated_at);
	if ((rc = sqlite_stmt_exec(self, st, "episode edit", err)))
		return rc;
	if (sqlite_db_changes(self) == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such episode");
	if (!content)
		return 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_EDIT_CONTENT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, e->id);
	sqlite3_bind_text(st, 2, content, (int)content_len, SQLITE_STATIC);
	return sqlite_stmt_exec(self, st, "episode text", err);
}

static int ep_follow_price(void *self, uow_tx *tx, int64_t book_id, int64_t price, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FOLLOW_PRICE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, price);
	return sqlite_stmt_exec(self, st, "episode prices", err);
}

static int ep_due(episode *out, size_t *n, void *self, uow_tx *tx, int64_t now, size_t limit,
		  app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_DUE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return episode_rows(out, n, self, st, limit, "due episodes", err);
}

static int ep_publish(int *changed, void *self, uow_tx *tx, int64_t episode_id, int64_t at,
		      app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_PUBLISH, err)))
		return rc;
	sqlite3_bind_int64(st, 1, episode_id);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = sqlite_stmt_exec(self, st, "episode publish", err)))
		return rc;
	*changed = sqlite_db_changes(self) > 0;
	return 0;
}

/* Runs st (bound) expecting one integer; st is released. */
static int one_int(int64_t *out, sqlite_db *db, sqlite3_stmt *st, const char *what, app_err *err)
{
	int rc = sqlite_stmt_row(db, st, "none", what, err);

	if (rc)
		return rc;
	*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

static int ep_last_number(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int published,
			  app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc =
		 sqlite_db_stmt(&st, self, tx, published ? SQL_LAST_PUBLISHED : SQL_LAST_ANY, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	return one_int(out, self, st, "episode numbers", err);
}

static int ep_add_views(void *self, uow_tx *tx, int64_t book_id, int64_t number, int64_t n,
			app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_ADD_VIEWS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, number);
	sqlite3_bind_int64(st, 3, n);
	if ((rc = sqlite_stmt_exec(self, st, "episode views", err)))
		return rc;
	return sqlite_db_changes(self)
		   ? 0
		   : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such episode");
}

static int ep_holds(episode_hold *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int64_t book_id, int64_t after, size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_HOLDS, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	sqlite3_bind_int64(st, 3, after);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)cap);
	while (*n < cap && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		out[*n].number = sqlite3_column_int64(st, 0);
		out[(*n)++].kind =
		    sqlite3_column_int(st, 1) ? BOOK_OWN_WAIT_FREE : BOOK_OWN_PURCHASE;
	}
	if (*n == cap)
		rc = SQLITE_DONE;
	sqlite_stmt_done(st);
	return rc == SQLITE_DONE ? 0 : sqlite_db_error(self, rc, "holds", err);
}

static int ep_hold(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, int64_t number,
		   app_err *err)
{
	sqlite3_stmt *st;
	int64_t wait_free;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_HOLD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	sqlite3_bind_int64(st, 3, number);
	rc = one_int(&wait_free, self, st, "hold", err);
	if (rc == APP_ENOTFOUND)
		return BOOK_OWN_NONE;
	if (rc)
		return rc;
	return wait_free ? BOOK_OWN_WAIT_FREE : BOOK_OWN_PURCHASE;
}

static int ep_timer_take(int *taken, void *self, uow_tx *tx, int64_t member_id, int64_t book_id,
			 int64_t now, int64_t next_at, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_TIMER_TAKE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int64(st, 4, next_at);
	if ((rc = sqlite_stmt_exec(self, st, "wait-free timer", err)))
		return rc;
	*taken = sqlite_db_changes(self) > 0;
	return 0;
}

static int ep_timer_next(int64_t *next_at, void *self, uow_tx *tx, int64_t member_id,
			 int64_t book_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_TIMER_NEXT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	rc = one_int(next_at, self, st, "wait-free timer", err);
	if (rc == APP_ENOTFOUND) {
		*next_at = 0;
		return 0;
	}
	return rc;
}

static int ep_batch(book_entitlement *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int64_t book_id, int64_t batch, int64_t after, size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_BATCH, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, book_id);
	sqlite3_bind_int64(st, 3, batch);
	sqlite3_bind_int64(st, 4, after);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)cap);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, self, st, sqlite_entitlement_row,
				"purchase lookup", err);
}

static const episode_repo_vtbl episodes_vtbl = {
    .insert = ep_insert,
    .find = ep_find,
    .find_held = ep_find_held,
    .list = ep_list,
    .content = ep_content,
    .edit = ep_edit,
    .follow_price = ep_follow_price,
    .due = ep_due,
    .publish = ep_publish,
    .last_number = ep_last_number,
    .add_views = ep_add_views,
    .holds = ep_holds,
    .hold = ep_hold,
    .timer_take = ep_timer_take,
    .timer_next = ep_timer_next,
    .batch = ep_batch,
};

episode_repo sqlite_episode_repo(sqlite_db *db)
{
	return (episode_repo){.vtbl = &episodes_vtbl, .self = db};
}
