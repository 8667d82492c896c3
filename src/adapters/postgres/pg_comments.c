/* Comments on episodes, their replies and likes (the community core's repository). */
#include "adapters/postgres/pg_repos.h"

#include <string.h>

/* viewer: the parameter naming the member whose like is asked about */
#define COMMENT_COLUMNS(viewer)                                                                    \
	"c.id, c.book_id, c.number, c.parent_id, c.member_id, coalesce(m.name, ''), c.text,"       \
	" c.spoiler, c.likes, c.created_at, c.updated_at, (c.hidden_at IS NOT NULL)::int,"         \
	" (c.deleted_at IS NOT NULL)::int,"                                                        \
	" (SELECT count(*) FROM comments r WHERE r.parent_id = c.id AND r.hidden_at IS NULL"       \
	"  AND r.deleted_at IS NULL),"                                                             \
	" (EXISTS (SELECT 1 FROM comment_likes l WHERE l.comment_id = c.id"                        \
	"  AND l.member_id = " viewer "))::int"
#define COMMENT_FROM " FROM comments c LEFT JOIN members m ON m.id = c.member_id"
/* $1 book, $2 number, $3 parent, $4 1: with hidden ones, $5 the viewer, $6 the limit */
#define COMMENT_PAGE                                                                               \
	"SELECT " COMMENT_COLUMNS("$5") COMMENT_FROM                                               \
	    " WHERE c.book_id = $1 AND c.number = $2"                                              \
	    " AND c.parent_id = $3 AND ($4 = 1 OR c.hidden_at IS NULL) AND (c.deleted_at IS NULL " \
	    "OR"                                                                                   \
	    " EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.hidden_at IS NULL"   \
	    " AND r.deleted_at IS NULL))"

static const char SQL_INSERT[] =
    "INSERT INTO comments(book_id, number, parent_id, member_id, text, spoiler, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id";
static const char SQL_FIND[] = "SELECT " COMMENT_COLUMNS("$2") COMMENT_FROM " WHERE c.id = $1";
static const char SQL_UPDATE[] = "UPDATE comments SET text = $2, spoiler = $3, updated_at = $4"
				 " WHERE id = $1 AND deleted_at IS NULL";
static const char SQL_REMOVE[] = "UPDATE comments SET text = '', spoiler = 0, likes = 0,"
				 " deleted_at = $2 WHERE id = $1 AND deleted_at IS NULL";
static const char SQL_REMOVE_LIKES[] = "DELETE FROM comment_likes WHERE comment_id = $1";
static const char SQL_HIDE[] =
    "UPDATE comments SET hidden_at = CASE WHEN $2 = 1 THEN $3::bigint END WHERE id = $1";
/* $7 the cursor's id (0: from the top), $8 its likes */
static const char SQL_PAGE_NEW[] =
    COMMENT_PAGE " AND ($7 = 0 OR c.id < $7) ORDER BY c.id DESC LIMIT $6";
static const char SQL_PAGE_BEST[] =
    COMMENT_PAGE " AND ($7 = 0 OR c.likes < $8 OR (c.likes = $8 AND c.id < $7))"
		 " ORDER BY c.likes DESC, c.id DESC LIMIT $6";
/* $7 the last reply seen */
static const char SQL_PAGE_REPLIES[] = COMMENT_PAGE " AND c.id > $7 ORDER BY c.id LIMIT $6";
static const char SQL_COUNT[] =
    "SELECT count(*) FROM comments WHERE book_id = $1 AND number = $2 AND hidden_at IS NULL"
    " AND deleted_at IS NULL AND (parent_id = 0 OR parent_id IN (SELECT id FROM comments"
    " WHERE book_id = $1 AND number = $2 AND parent_id = 0 AND hidden_at IS NULL))";
static const char SQL_LIKE[] =
    "INSERT INTO comment_likes(comment_id, member_id, created_at) VALUES ($1, $2, $3)"
    " ON CONFLICT DO NOTHING";
static const char SQL_UNLIKE[] =
    "DELETE FROM comment_likes WHERE comment_id = $1 AND member_id = $2";
static const char SQL_LIKES_ADD[] =
    "UPDATE comments SET likes = likes + $2 WHERE id = $1 RETURNING likes";
static const char SQL_LIKES_GET[] = "SELECT likes FROM comments WHERE id = $1";
static const char SQL_MEMBER_UNLIKE[] =
    "UPDATE comments SET likes = likes - 1 WHERE id IN"
    " (SELECT comment_id FROM comment_likes WHERE member_id = $1)";
static const char SQL_MEMBER_LIKES[] = "DELETE FROM comment_likes WHERE member_id = $1";
static const char SQL_MEMBER_LIKED[] =
    "DELETE FROM comment_likes WHERE comment_id IN (SELECT id FROM comments WHERE member_id = $1)";
static const char SQL_MEMBER_COMMENTS[] =
    "UPDATE comments SET text = '', spoiler = 0, likes = 0, deleted_at = $2"
    " WHERE member_id = $1 AND deleted_at IS NULL";

static int comment_row(void *dst, const PGresult *r, int row, app_err *err)
{
	comment *c = dst;

	memset(c, 0, sizeof(*c));
	c->id = pg_int(r, row, 0);
	c->book_id = pg_int(r, row, 1);
	c->number = pg_int(r, row, 2);
	c->parent_id = pg_int(r, row, 3);
	c->member_id = pg_int(r, row, 4);
	pg_copy(c->member_name, sizeof(c->member_name), r, row, 5);
	pg_copy(c->text, sizeof(c->text), r, row, 6);
	c->spoiler = (int)pg_int(r, row, 7);
	c->likes = pg_int(r, row, 8);
	c->created_at = pg_int(r, row, 9);
	c->updated_at = pg_int(r, row, 10);
	c->hidden = (int)pg_int(r, row, 11);
	c->deleted = (int)pg_int(r, row, 12);
	c->replies = pg_int(r, row, 13);
	c->liked = (int)pg_int(r, row, 14);
	(void)err;
	return 0;
}

static int insert(void *self, uow_tx *tx, comment *c, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, c->book_id);
	pg_param_int(&p, c->number);
	pg_param_int(&p, c->parent_id);
	pg_param_int(&p, c->member_id);
	pg_param_text(&p, c->text);
	pg_param_int(&p, c->spoiler ? 1 : 0);
	pg_param_int(&p, c->created_at);
	return pg_db_int(&c->id, self, tx, SQL_INSERT, &p, "comment", err);
}

/* Parameters $1 and $2: (comment, viewer), (comment, time), (member, time), ... */
static void pair(pg_params *p, int64_t first, int64_t second)
{
	pg_params_init(p);
	pg_param_int(p, first);
	pg_param_int(p, second);
}

static int find(comment *out, void *self, uow_tx *tx, int64_t id, int64_t viewer, app_err *err)
{
	pg_params p;
	PGresult *r;
	int rc;

	pair(&p, id, viewer);
	if ((rc = pg_db_row(&r, self, tx, SQL_FIND, &p, "no such comment", "comment lookup", err)))
		return rc;
	comment_row(out, r, 0, NULL);
	PQclear(r);
	return 0;
}

/* Runs sql and answers APP_ENOTFOUND when it changed nothing. */
static int changed_one(pg_db *db, uow_tx *tx, const char *sql, const pg_params *p, app_err *err)
{
	int64_t changed;
	int rc = pg_db_exec(&changed, db, tx, sql, p, "comment", err);

	if (rc)
		return rc;
	return changed ? 0 : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
}

static int update(void *self, uow_tx *tx, int64_t id, const char *text, int spoiler, int64_t now,
		  app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	pg_param_text(&p, text);
	pg_param_int(&p, spoiler ? 1 : 0);
	pg_param_int(&p, now);
	return changed_one(self, tx, SQL_UPDATE, &p, err);
}

/* A statement of $1 an id (a comment's or a member's), run. */
static int by_id(pg_db *db, uow_tx *tx, const char *sql, int64_t id, app_err *err)
{
	pg_params p;

	pg_params_init(&p);
	pg_param_int(&p, id);
	return pg_db_exec(NULL, db, tx, sql, &p, "comment", err);
}

static int remove_comment(void *self, uow_tx *tx, int64_t id, int64_t now, app_err *err)
{
	pg_params p;
	int rc;

	pair(&p, id, now);
	if ((rc = changed_one(self, tx, SQL_REMOVE, &p, err)))
		return rc;
	return by_id(self, tx, SQL_REMOVE_LIKES, id, err);
}

static int set_hidden(void *self, uow_tx *tx, int64_t id, int hidden, int64_t now, app_err *err)
{
	pg_params p;

	pair(&p, id, hidden ? 1 : 0);
	pg_param_int(&p, now);
	return changed_one(self, tx, SQL_HIDE, &p, err);
}

static int list(comment *out, size_t *n, void *self, uow_tx *tx, const comment_query *q, size_t cap,
		app_err *err)
{
	const char *sql = q->parent_id			 ? SQL_PAGE_REPLIES
			  : q->sort == COMMENT_SORT_BEST ? SQL_PAGE_BEST
							 : SQL_PAGE_NEW;
	pg_params p;

	pair(&p, q->book_id, q->number);
	pg_param_int(&p, q->parent_id);
	pg_param_int(&p, q->with_hidden ? 1 : 0);
	pg_param_int(&p, q->viewer);
	pg_param_int(&p, (int64_t)cap);
	pg_param_int(&p, q->parent_id ? q->after_id : q->before_id);
	if (sql == SQL_PAGE_BEST)
		pg_param_int(&p, q->before_likes);
	return pg_db_rows(out, sizeof(*out), n, cap, self, tx, sql, &p, comment_row, "comments",
			  err);
}

static int count(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t number,
		 app_err *err)
{
	pg_params p;

	pair(&p, book_id, number);
	return pg_db_int(out, self, tx, SQL_COUNT, &p, "comment count", err);
}

/* The comment's likes plus delta (0: as they are). */
static int likes_add(int64_t *likes, pg_db *db, uow_tx *tx, int64_t id, int delta, app_err *err)
{
	pg_params p;
	int rc;

	pg_params_init(&p);
	pg_param_int(&p, id);
	if (delta)
		pg_param_int(&p, delta);
	rc = pg_db_int(likes, db, tx, delta ? SQL_LIKES_ADD : SQL_LIKES_GET, &p, "comment likes",
		       err);
	return rc == APP_ENOTFOUND ? app_err_set(err, rc, NULL, NULL, "no such comment") : rc;
}

static int like(int *changed, int64_t *likes, void *self, uow_tx *tx, int64_t id, int64_t member_id,
		int on, int64_t now, app_err *err)
{
	pg_params p;
	int64_t n;
	int rc;

	/* a comment that is not there: APP_ENOTFOUND, before a like could name it */
	if ((rc = likes_add(likes, self, tx, id, 0, err)))
		return rc;
	pair(&p, id, member_id);
	if (on)
		pg_param_int(&p, now);
	if ((rc = pg_db_exec(&n, self, tx, on ? SQL_LIKE : SQL_UNLIKE, &p, "comment like", err)))
		return rc;
	*changed = n > 0;
	return *changed ? likes_add(likes, self, tx, id, on ? 1 : -1, err) : 0;
}

static int remove_member(void *self, uow_tx *tx, int64_t member_id, int64_t now, app_err *err)
{
	pg_params p;
	int rc;

	if ((rc = by_id(self, tx, SQL_MEMBER_UNLIKE, member_id, err)) ||
	    (rc = by_id(self, tx, SQL_MEMBER_LIKES, member_id, err)) ||
	    (rc = by_id(self, tx, SQL_MEMBER_LIKED, member_id, err)))
		return rc;
	pair(&p, member_id, now);
	return pg_db_exec(NULL, self, tx, SQL_MEMBER_COMMENTS, &p, "comment", err);
}

static const comment_repo_vtbl comment_vtbl = {
    .insert = insert,
    .find = find,
    .update = update,
    .remove = remove_comment,
    .set_hidden = set_hidden,
    .list = list,
    .count = count,
    .like = like,
    .remove_member = remove_member,
};

comment_repo pg_comment_repo(pg_db *db)
{
	return (comment_repo){.vtbl = &comment_vtbl, .self = db};
}
