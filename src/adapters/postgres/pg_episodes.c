/* The episodes repository: episodes and their text, schedules, holds, wait-free timers. */
#include "adapters/postgres/pg_books_internal.h"

#include <string.h>

#include "domain/common/text.h"

#define EP_COLS_WITHOUT_SUMMARY                                                                    \
	"id, book_id, number, coalesce(manuscript_id, 0), title, price, own_price, characters,"    \
	" views, '', gen_summary, coalesce(scheduled_at, 0), coalesce(published_at, 0),"           \
	" created_at, updated_at"
#define EP_COLS                                                                                    \
	"id, book_id, number, coalesce(manuscript_id, 0), title, price, own_price, characters,"    \
	" views, summary, gen_summary, coalesce(scheduled_at, 0), coalesce(published_at, 0),"      \
	" created_at, updated_at"

static const char SQL_INSERT[] =
    "INSERT INTO episodes(book_id, number, manuscript_id, title, price, own_price, characters,"
    " summary, gen_summary, scheduled_at, published_at, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) ON CONFLICT DO NOTHING"
    " RETURNING id";
static const char SQL_BY_MANUSCRIPT[] = "SELECT id, number FROM episodes WHERE manuscript_id = $1";
static const char SQL_INSERT_CONTENT[] =
    "INSERT INTO episode_contents(episode_id, content) VALUES ($1, $2)";
static const char SQL_FIND[] = "SELECT " EP_COLS " FROM episodes WHERE book_id = $1"
			       " AND number = $2";
/* the hold: NULL none, 0 bought, 1 waited for */
static const char SQL_FIND_HELD[] =
    "SELECT " EP_COLS ", (SELECT (kind = 'wait_free')::int FROM episode_entitlements"
    " WHERE member_id = $3 AND book_id = $1 AND number = $2) FROM episodes"
    " WHERE book_id = $1 AND number = $2";
static const char SQL_LIST[] = "SELECT " EP_COLS_WITHOUT_SUMMARY " FROM episodes"
			       " WHERE book_id = $1 AND number > $2 AND published_at IS NOT NULL"
			       " ORDER BY number LIMIT $3";
static const char SQL_LIST_ALL[] = "SELECT " EP_COLS_WITHOUT_SUMMARY " FROM episodes"
				   " WHERE book_id = $1 AND number > $2 ORDER BY number LIMIT $3";
static const char SQL_CONTENT[] = "SELECT c.content FROM episodes e JOIN episode_contents c"
				  " ON c.episode_id = e.id WHERE e.book_id = $1 AND e.number = $2";
static const char SQL_EDIT[] = "UPDATE episodes SET title = $2, price = $3, own_price = $4,"
			       " characters = $5, updated_at = $6 WHERE id = $1";
static const char SQL_EDIT_CONTENT[] = "UPDATE episode_contents SET content = $2"
				       " WHERE episode_id = $1";
static const char SQL_FOLLOW_PRICE[] = "UPDATE episodes SET price = $2 WHERE book_id = $1"
				       " AND own_price = 0";
static const char SQL_DUE[] = "SELECT " EP_COLS " FROM episodes WHERE published_at IS NULL"
			      " AND scheduled_at <= $1 ORDER BY scheduled_at, id LIMIT $2";
static const char SQL_PUBLISH[] = "UPDATE episodes SET published_at = $2, updated_at = $2"
				  " WHERE id = $1 AND published_at IS NULL";
static const char SQL_LAST_PUBLISHED[] = "SELECT coalesce(max(number), 0) FROM episodes"
					 " WHERE book_id = $1 AND published_at IS NOT NULL";
static const char SQL_LAST_ANY[] = "SELECT coalesce(max(number), 0) FROM episodes"
				   " WHERE book_id = $1";
static const char SQL_ADD_VIEWS[] = "UPDATE episodes SET views = views + $3"
				    " WHERE book_id = $1 AND number = $2";
static const char SQL_HOLDS[] = "SELECT number, (kind = 'wait_free')::int FROM episode_entitlements"
				" WHERE member_id = $1 AND book_id = $2 AND number > $3"
				" ORDER BY number LIMIT $4";
static const char SQL_HOLD[] = "SELECT (kind = 'wait_free')::int FROM episode_entitlements"
			       " WHERE member_id = $1 AND book_id = $2 AND number = $3";
/* a timer is taken only when it is due: two unlocks at once, one wins (the row is locked) */
static const char SQL_TIMER_TAKE[] =
    "INSERT INTO wait_free_timers(member_id, book_id, next_at) VALUES ($1, $2, $4)"
    " ON CONFLICT(member_id, book_id) DO UPDATE SET next_at = excluded.next_at"
    " WHERE wait_free_timers.next_at <= $3";
static const char SQL_TIMER_NEXT[] = "SELECT next_at FROM wait_free_timers WHERE member_id = $1"
				     " AND book_id = $2";
static const char SQL_BATCH[] = "SELECT " ENTITLEMENT_COLS " FROM episode_entitlements"
				" WHERE member_id = $1 AND batch = $3 AND book_id = $2"
				" AND number > $4 ORDER BY number LIMIT $5";

static int episode_row(void *dst, const PGresult *r, int row, app_err *err)
{
	episode *e = dst;

	e->id = pg_int(r, row, 0);
	e->book_id = pg_int(r, row, 1);
	e->number = pg_int(r, row, 2);
	e->manuscript_id = pg_int(r, row, 3);
	pg_copy(e->title, sizeof(e->title), r, row, 4);
	e->price = pg_int(r, row, 5);
	e->own_price = (int)pg_int(r, row, 6);
	e->characters = pg_int(r, row, 7);
	e->views = pg_int(r, row, 8);
	pg_copy(e->summary, sizeof(e->summary), r, row, 9);
	pg_copy(e->gen_summary, sizeof(e->gen_summary), r, row, 10);
	e->scheduled_at = pg_int(r, row, 11);
	e->published_at = pg_int(r, row, 12);
	e->created_at = pg_int(r, row, 13);
	e->updated_at = pg_int(r, row, 14);
	(void)err;
	return 0;
}

/* Parameters $1 and $2: (book, number), (member, book), (episode, time), ... */
static void pair(pg_params *p, int64_t first, int64_t second)
{
	pg_params_init(p);
	pg_param_int(p, first);
	pg_param_int(p, second);
}

/* The insert wrote nothing: the manuscript's episode exists (say which), or the number is taken. */
static int insert_conflict(pg_db *db, uow_tx *tx, episode *e, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	if (e->manuscript_id) {
		pg_params_init(&p);
		pg_param_int(&p, e->manuscript_id);
		rc = pg_db_row(&r, db, tx, SQL_BY_MANUSCRIPT, &p, "", "episode lookup", err);
		if (rc == 0) {
			e->id = pg_int(r, 0, 0);
			e->number = pg_int(r, 0, 1);
			PQclear(r);
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

static void insert_params(pg_params *p, const episode *e)
{
	pair(p, e->book_id, e->number);
	pg_param_id(p, e->manuscript_id);
	pg_param_text(p, e->title);
	pg_param_int(p, e->price);
	pg_param_int(p, e->own_price);
	pg_param_int(p, e->characters);
	pg_param_text(p, e->summary);
	pg_param_text(p, e->gen_summary);
	pg_param_id(p, e->scheduled_at);
	pg_param_id(p, e->published_at);
	pg_param_int(p, e->created_at);
}

/* Stores the text of episode id. */
static int content_put(pg_db *db, uow_tx *tx, const char *sql, int64_t id, const char *content,
		       size_t content_len, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_textn(&p, content, content_len);
	return pg_db_exec(NULL, db, tx, sql, &p, "episode text", err);
}

static int ep_insert(void *self, uow_tx *tx, episode *e, const char *content, size_t content_len,
		     app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	e->characters = (int64_t)text_utf8_chars(content, content_len);
	insert_params(&p, e);
	if ((rc = pg_db_query(&r, self, tx, SQL_INSERT, &p, "episode insert", err)))
		return rc;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return insert_conflict(self, tx, e, err);
	}
	e->id = pg_int(r, 0, 0);
	PQclear(r);
	e->updated_at = e->created_at;
	return content_put(self, tx, SQL_INSERT_CONTENT, e->id, content, content_len, err);
}

static int ep_find(episode *out, void *self, uow_tx *tx, int64_t book_id, int64_t number,
		   app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pair(&p, book_id, number);
	if ((rc = pg_db_row(&r, self, tx, SQL_FIND, &p, "no such episode", "episode lookup", err)))
		return rc;
	episode_row(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

static int ep_find_held(episode *out, int *hold, void *self, uow_tx *tx, int64_t book_id,
			int64_t number, int64_t member_id, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pair(&p, book_id, number);
	pg_param_int(&p, member_id);
	if ((rc = pg_db_row(&r, self, tx, SQL_FIND_HELD, &p, "no such episode", "episode lookup",
			    err)))
		return rc;
	episode_row(out, r, 0, NULL);
	*hold = pg_is_null(r, 0, 15) ? BOOK_OWN_NONE
		: pg_int(r, 0, 15)   ? BOOK_OWN_WAIT_FREE
				     : BOOK_OWN_PURCHASE;
	PQclear(r);
	return 0;
}

static int ep_list(episode *out, size_t *n, void *self, uow_tx *tx, int64_t book_id, int64_t after,
		   size_t limit, int with_unpublished, app_err *err)
{
	pg_params p;

	pair(&p, book_id, after);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(out, sizeof(*out), n, limit, self, tx,
			  with_unpublished ? SQL_LIST_ALL : SQL_LIST, &p, episode_row,
			  "episode list", err);
}

static int ep_content(char **out, size_t *len, void *self, uow_tx *tx, int64_t book_id,
		      int64_t number, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pair(&p, book_id, number);
	if ((rc = pg_db_row(&r, self, tx, SQL_CONTENT, &p, "no such episode", "episode text", err)))
		return rc;
	rc = pg_text_dup(out, len, r, 0, 0, err);
	PQclear(r);
	return rc;
}

static int ep_edit(void *self, uow_tx *tx, const episode *e, const char *content,
		   size_t content_len, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, e->id);
	pg_param_text(&p, e->title);
	pg_param_int(&p, e->price);
	pg_param_int(&p, e->own_price);
	pg_param_int(&p, content ? (int64_t)text_utf8_chars(content, content_len) : e->characters);
	pg_param_int(&p, e->updated_at);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_EDIT, &p, "episode edit", err)))
		return rc;
	if (changed == 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such episode");
	if (!content)
		return 0;
	return content_put(self, tx, SQL_EDIT_CONTENT, e->id, content, content_len, err);
}

static int ep_follow_price(void *self, uow_tx *tx, int64_t book_id, int64_t price, app_err *err)
{
	pg_params p;

	pair(&p, book_id, price);
	return pg_db_exec(NULL, self, tx, SQL_FOLLOW_PRICE, &p, "episode prices", err);
}

static int ep_due(episode *out, size_t *n, void *self, uow_tx *tx, int64_t now, size_t limit,
		  app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, now);
	pg_param_int(&p, (int64_t)limit);
	return pg_db_rows(out, sizeof(*out), n, limit, self, tx, SQL_DUE, &p, episode_row,
			  "due episodes", err);
}

static int ep_publish(int *changed, void *self, uow_tx *tx, int64_t episode_id, int64_t at,
		      app_err *err)
{
	pg_params p;
	int64_t n;
	int rc;

	pair(&p, episode_id, at);
	if ((rc = pg_db_exec(&n, self, tx, SQL_PUBLISH, &p, "episode publish", err)))
		return rc;
	*changed = n > 0;
	return 0;
}

static int ep_last_number(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int published,
			  app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, book_id);
	return pg_db_int(out, self, tx, published ? SQL_LAST_PUBLISHED : SQL_LAST_ANY, &p,
			 "episode numbers", err);
}

static int ep_add_views(void *self, uow_tx *tx, int64_t book_id, int64_t number, int64_t n,
			app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pair(&p, book_id, number);
	pg_param_int(&p, n);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_ADD_VIEWS, &p, "episode views", err)))
		return rc;
	return changed ? 0 : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such episode");
}

static int hold_row(void *dst, const PGresult *r, int row, app_err *err)
{
	episode_hold *h = dst;

	h->number = pg_int(r, row, 0);
	h->kind = pg_int(r, row, 1) ? BOOK_OWN_WAIT_FREE : BOOK_OWN_PURCHASE;
	(void)err;
	return 0;
}

static int ep_holds(episode_hold *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int64_t book_id, int64_t after, size_t cap, app_err *err)
{
	pg_params p;

	pair(&p, member_id, book_id);
	pg_param_int(&p, after);
	pg_param_int(&p, (int64_t)cap);
	return pg_db_rows(out, sizeof(*out), n, cap, self, tx, SQL_HOLDS, &p, hold_row, "holds",
			  err);
}

static int ep_hold(void *self, uow_tx *tx, int64_t member_id, int64_t book_id, int64_t number,
		   app_err *err)
{
	pg_params p;
	int64_t wait_free;
	int rc;

	pair(&p, member_id, book_id);
	pg_param_int(&p, number);
	rc = pg_db_int(&wait_free, self, tx, SQL_HOLD, &p, "hold", err);
	if (rc == APP_ENOTFOUND)
		return BOOK_OWN_NONE;
	if (rc)
		return rc;
	return wait_free ? BOOK_OWN_WAIT_FREE : BOOK_OWN_PURCHASE;
}

static int ep_timer_take(int *taken, void *self, uow_tx *tx, int64_t member_id, int64_t book_id,
			 int64_t now, int64_t next_at, app_err *err)
{
	pg_params p;
	int64_t changed;
	int rc;

	pair(&p, member_id, book_id);
	pg_param_int(&p, now);
	pg_param_int(&p, next_at);
	if ((rc = pg_db_exec(&changed, self, tx, SQL_TIMER_TAKE, &p, "wait-free timer", err)))
		return rc;
	*taken = changed > 0;
	return 0;
}

static int ep_timer_next(int64_t *next_at, void *self, uow_tx *tx, int64_t member_id,
			 int64_t book_id, app_err *err)
{
	pg_params p;
	int rc;

	pair(&p, member_id, book_id);
	rc = pg_db_int(next_at, self, tx, SQL_TIMER_NEXT, &p, "wait-free timer", err);
	if (rc == APP_ENOTFOUND) {
		*next_at = 0;
		return 0;
	}
	return rc;
}

static int ep_batch(book_entitlement *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int64_t book_id, int64_t batch, int64_t after, size_t cap, app_err *err)
{
	pg_params p;

	pair(&p, member_id, book_id);
	pg_param_int(&p, batch);
	pg_param_int(&p, after);
	pg_param_int(&p, (int64_t)cap);
	return pg_db_rows(out, sizeof(*out), n, cap, self, tx, SQL_BATCH, &p, pg_entitlement_row,
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

episode_repo pg_episode_repo(pg_db *db)
{
	return (episode_repo){.vtbl = &episodes_vtbl, .self = db};
}
