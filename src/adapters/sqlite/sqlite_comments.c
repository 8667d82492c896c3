/* Comments on episodes, their replies and likes (the community core's repository). */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <string.h>

/* ?9 the viewer whose like is asked about */
#define COMMENT_COLUMNS                                                                            \
	"c.id, c.book_id, c.number, c.parent_id, c.member_id, coalesce(m.name, ''), c.text,"       \
	" c.spoiler, c.likes, c.created_at, c.updated_at, c.hidden_at IS NOT NULL,"                \
	" c.deleted_at IS NOT NULL,"                                                               \
	" (SELECT count(*) FROM comments r WHERE r.parent_id = c.id AND r.hidden_at IS NULL"       \
	"  AND r.deleted_at IS NULL),"                                                             \
	" EXISTS (SELECT 1 FROM comment_likes l WHERE l.comment_id = c.id AND l.member_id = ?9)"
#define COMMENT_FROM " FROM comments c LEFT JOIN members m ON m.id = c.member_id"
/* ?1 book, ?2 number, ?3 parent, ?4 with hidden ones */
#define COMMENT_PAGE                                                                               \
	"SELECT " COMMENT_COLUMNS COMMENT_FROM " WHERE c.book_id = ?1 AND c.number = ?2"           \
	" AND c.parent_id = ?3 AND (?4 OR c.hidden_at IS NULL) AND (c.deleted_at IS NULL OR"       \
	" EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id AND r.hidden_at IS NULL"       \
	" AND r.deleted_at IS NULL))"

static const char SQL_INSERT[] =
    "INSERT INTO comments(book_id, number, parent_id, member_id, text, spoiler, created_at,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
static const char SQL_FIND[] = "SELECT " COMMENT_COLUMNS COMMENT_FROM " WHERE c.id = ?1";
static const char SQL_UPDATE[] = "UPDATE comments SET text = ?2, spoiler = ?3, updated_at = ?4"
				 " WHERE id = ?1 AND deleted_at IS NULL";
static const char SQL_REMOVE[] = "UPDATE comments SET text = '', spoiler = 0, likes = 0,"
				 " deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL";
static const char SQL_REMOVE_LIKES[] = "DELETE FROM comment_likes WHERE comment_id = ?1";
static const char SQL_HIDE[] =
    "UPDATE comments SET hidden_at = CASE WHEN ?2 THEN ?3 END WHERE id = ?1";
static const char SQL_PAGE_NEW[] =
    COMMENT_PAGE " AND (?5 = 0 OR c.id < ?5) ORDER BY c.id DESC LIMIT ?7";
static const char SQL_PAGE_BEST[] =
    COMMENT_PAGE " AND (?5 = 0 OR c.likes < ?6 OR (c.likes = ?6 AND c.id < ?5))"
		 " ORDER BY c.likes DESC, c.id DESC LIMIT ?7";
static const char SQL_PAGE_REPLIES[] = COMMENT_PAGE " AND c.id > ?8 ORDER BY c.id LIMIT ?7";
static const char SQL_COUNT[] =
    "SELECT count(*) FROM comments WHERE book_id = ?1 AND number = ?2 AND hidden_at IS NULL"
    " AND deleted_at IS NULL AND (parent_id = 0 OR parent_id IN (SELECT id FROM comments"
    " WHERE book_id = ?1 AND number = ?2 AND parent_id = 0 AND hidden_at IS NULL))";
static const char SQL_LIKE[] =
    "INSERT INTO comment_likes(comment_id, member_id, created_at) VALUES (?1, ?2, ?3)"
    " ON CONFLICT DO NOTHING";
static const char SQL_UNLIKE[] =
    "DELETE FROM comment_likes WHERE comment_id = ?1 AND member_id = ?2";
static const char SQL_LIKES_ADD[] =
    "UPDATE comments SET likes = likes + ?2 WHERE id = ?1 RETURNING likes";
static const char SQL_LIKES_GET[] = "SELECT likes FROM comments WHERE id = ?1";
static const char SQL_MEMBER_UNLIKE[] =
    "UPDATE comments SET likes = likes - 1 WHERE id IN"
    " (SELECT comment_id FROM comment_likes WHERE member_id = ?1)";
static const char SQL_MEMBER_LIKES[] = "DELETE FROM comment_likes WHERE member_id = ?1";
static const char SQL_MEMBER_LIKED[] =
    "DELETE FROM comment_likes WHERE comment_id IN (SELECT id FROM comments WHERE member_id = ?1)";
static const char SQL_MEMBER_COMMENTS[] =
    "UPDATE comments SET text = '', spoiler = 0, likes = 0, deleted_at = ?2"
    " WHERE member_id = ?1 AND deleted_at IS NULL";

static int stmt(sqlite3_stmt **st, void *self, uow_tx *tx, const char *sql, app_err *err)
{
	return sqlite_db_stmt(st, self, tx, sql, err);
}

static void text_col(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, cap, "%s", s ? (const char *)s : "");
}

static int comment_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	comment *c = dst;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	c->book_id = sqlite3_column_int64(st, 1);
	c->number = sqlite3_column_int64(st, 2);
	c->parent_id = sqlite3_column_int64(st, 3);
	c->member_id = sqlite3_column_int64(st, 4);
	text_col(c->member_name, sizeof(c->member_name), st, 5);
	text_col(c->text, sizeof(c->text), st, 6);
	c->spoiler = sqlite3_column_int(st, 7);
	c->likes = sqlite3_column_int64(st, 8);
	c->created_at = sqlite3_column_int64(st, 9);
	c->updated_at = sqlite3_column_int64(st, 10);
	c->hidden = sqlite3_column_int(st, 11);
	c->deleted = sqlite3_column_int(st, 12);
	c->replies = sqlite3_column_int64(st, 13);
	c->liked = sqlite3_column_int(st, 14);
	(void)err;
	return 0;
}

static int insert(void *self, uow_tx *tx, comment *c, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, c->book_id);
	sqlite3_bind_int64(st, 2, c->number);
	sqlite3_bind_int64(st, 3, c->parent_id);
	sqlite3_bind_int64(st, 4, c->member_id);
	sqlite3_bind_text(st, 5, c->text, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, c->spoiler ? 1 : 0);
	sqlite3_bind_int64(st, 7, c->created_at);
	if ((rc = sqlite_stmt_exec(self, st, "comment", err)))
		return rc;
	c->id = sqlite_db_last_id(self);
	return 0;
}

static int find(comment *out, void *self, uow_tx *tx, int64_t id, int64_t viewer, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 9, viewer);
	if ((rc = sqlite_stmt_row(self, st, "no such comment", "comment lookup", err)))
		return rc;
	comment_row(out, st, NULL);
	sqlite_stmt_done(st);
	return 0;
}

/* Runs st and answers APP_ENOTFOUND when it changed nothing. */
static int changed_one(void *self, sqlite3_stmt *st, app_err *err)
{
	int rc = sqlite_stmt_exec(self, st, "comment", err);

	if (rc)
		return rc;
	return sqlite_db_changes(self)
		   ? 0
		   : app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
}

static int update(void *self, uow_tx *tx, int64_t id, const char *text, int spoiler, int64_t now,
		  app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_UPDATE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 3, spoiler ? 1 : 0);
	sqlite3_bind_int64(st, 4, now);
	return changed_one(self, st, err);
}

/* A statement of ?1 an id (a comment's or a member's) and, when it has one, ?2 a time, run. */
static int by_id(void *self, uow_tx *tx, const char *sql, int64_t id, int64_t at, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, sql, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_int64(st, 2, at);
	return sqlite_stmt_exec(self, st, "comment", err);
}

static int remove_comment(void *self, uow_tx *tx, int64_t id, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_REMOVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = changed_one(self, st, err)))
		return rc;
	return by_id(self, tx, SQL_REMOVE_LIKES, id, 0, err);
}

static int set_hidden(void *self, uow_tx *tx, int64_t id, int hidden, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_HIDE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, hidden ? 1 : 0);
	sqlite3_bind_int64(st, 3, now);
	return changed_one(self, st, err);
}

static int list(comment *out, size_t *n, void *self, uow_tx *tx, const comment_query *q, size_t cap,
		app_err *err)
{
	const char *sql = q->parent_id			 ? SQL_PAGE_REPLIES
			  : q->sort == COMMENT_SORT_BEST ? SQL_PAGE_BEST
							 : SQL_PAGE_NEW;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = stmt(&st, self, tx, sql, err)))
		return rc;
	sqlite3_bind_int64(st, 1, q->book_id);
	sqlite3_bind_int64(st, 2, q->number);
	sqlite3_bind_int64(st, 3, q->parent_id);
	sqlite3_bind_int(st, 4, q->with_hidden ? 1 : 0);
	sqlite3_bind_int64(st, 5, q->before_id);
	sqlite3_bind_int64(st, 6, q->before_likes);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)cap);
	sqlite3_bind_int64(st, 8, q->after_id);
	sqlite3_bind_int64(st, 9, q->viewer);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, self, st, comment_row, "comments", err);
}

static int count(int64_t *out, void *self, uow_tx *tx, int64_t book_id, int64_t number,
		 app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, SQL_COUNT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, book_id);
	sqlite3_bind_int64(st, 2, number);
	if ((rc = sqlite_stmt_row(self, st, "no count", "comment count", err)))
		return rc;
	*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

/* The comment's likes plus delta (0: as they are). */
static int likes_add(int64_t *likes, void *self, uow_tx *tx, int64_t id, int delta, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = stmt(&st, self, tx, delta ? SQL_LIKES_ADD : SQL_LIKES_GET, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (delta)
		sqlite3_bind_int(st, 2, delta);
	if ((rc = sqlite_stmt_row(self, st, "no such comment", "comment likes", err)))
		return rc;
	*likes = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

static int like(int *changed, int64_t *likes, void *self, uow_tx *tx, int64_t id, int64_t member_id,
		int on, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	/* a comment that is not there: APP_ENOTFOUND, before a like could name it */
	if ((rc = likes_add(likes, self, tx, id, 0, err)) ||
	    (rc = stmt(&st, self, tx, on ? SQL_LIKE : SQL_UNLIKE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, member_id);
	if (on)
		sqlite3_bind_int64(st, 3, now);
	if ((rc = sqlite_stmt_exec(self, st, "comment like", err)))
		return rc;
	*changed = sqlite_db_changes(self) > 0;
	return *changed ? likes_add(likes, self, tx, id, on ? 1 : -1, err) : 0;
}

static int remove_member(void *self, uow_tx *tx, int64_t member_id, int64_t now, app_err *err)
{
	int rc;

	if ((rc = by_id(self, tx, SQL_MEMBER_UNLIKE, member_id, 0, err)) ||
	    (rc = by_id(self, tx, SQL_MEMBER_LIKES, member_id, 0, err)) ||
	    (rc = by_id(self, tx, SQL_MEMBER_LIKED, member_id, 0, err)))
		return rc;
	return by_id(self, tx, SQL_MEMBER_COMMENTS, member_id, now, err);
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

comment_repo sqlite_comment_repo(sqlite_db *db)
{
	return (comment_repo){.vtbl = &comment_vtbl, .self = db};
}
