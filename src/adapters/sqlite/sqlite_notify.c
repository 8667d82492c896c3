/* Repositories of the community core: follows, notifications, mail settings, digests. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <string.h>

/* --- follows -------------------------------------------------------------------------------- */

static const char SQL_FOLLOW_ADD[] =
    "INSERT INTO follows(member_id, target_kind, target_id, created_at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT DO NOTHING";
static const char SQL_FOLLOW_REMOVE[] =
    "DELETE FROM follows WHERE member_id = ?1 AND target_kind = ?2 AND target_id = ?3";
static const char SQL_FOLLOW_STATE[] =
    "SELECT count(*), coalesce(sum(member_id = ?1), 0) FROM follows"
    " WHERE target_kind = ?2 AND target_id = ?3";
static const char SQL_FOLLOW_LIST[] =
    "SELECT target_kind, target_id, created_at FROM follows WHERE member_id = ?1"
    " AND (?2 = 0 OR created_at < ?2) ORDER BY created_at DESC, target_id DESC LIMIT ?3";
static const char SQL_FOLLOW_REMOVE_MEMBER[] = "DELETE FROM follows WHERE member_id = ?1";

static int follow_add(void *self, uow_tx *tx, int64_t member_id, follow_kind kind, int64_t target,
		      int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FOLLOW_ADD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_text(st, 2, follow_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, target);
	sqlite3_bind_int64(st, 4, now);
	return sqlite_stmt_exec(self, st, "follow", err);
}

static int follow_remove(void *self, uow_tx *tx, int64_t member_id, follow_kind kind,
			 int64_t target, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FOLLOW_REMOVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_text(st, 2, follow_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, target);
	return sqlite_stmt_exec(self, st, "unfollow", err);
}

static int follow_state(int *following, int64_t *followers, void *self, uow_tx *tx,
			int64_t member_id, follow_kind kind, int64_t target, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FOLLOW_STATE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_text(st, 2, follow_kind_name(kind), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, target);
	if ((rc = sqlite_stmt_row(self, st, "no state", "follow state", err)))
		return rc;
	*followers = sqlite3_column_int64(st, 0);
	*following = sqlite3_column_int64(st, 1) > 0;
	sqlite_stmt_done(st);
	return 0;
}

static int follow_read(void *dst, sqlite3_stmt *st, app_err *err)
{
	follow *f = dst;

	f->kind = strcmp((const char *)sqlite3_column_text(st, 0), "author") == 0 ? FOLLOW_AUTHOR
										  : FOLLOW_BOOK;
	f->target_id = sqlite3_column_int64(st, 1);
	f->created_at = sqlite3_column_int64(st, 2);
	(void)err;
	return 0;
}

static int follow_list(follow *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		       int64_t before, size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_FOLLOW_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)cap);
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, self, st, follow_read, "follows", err);
}

static int by_member(void *self, uow_tx *tx, const char *sql, int64_t member_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, sql, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	return sqlite_stmt_exec(self, st, "member removal", err);
}

static int follow_remove_member(void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	return by_member(self, tx, SQL_FOLLOW_REMOVE_MEMBER, member_id, err);
}

static const follow_repo_vtbl follow_vtbl = {
    .add = follow_add,
    .remove = follow_remove,
    .state = follow_state,
    .list = follow_list,
    .remove_member = follow_remove_member,
};

follow_repo sqlite_follow_repo(sqlite_db *db)
{
	return (follow_repo){.vtbl = &follow_vtbl, .self = db};
}

/* --- notifications ---------------------------------------------------------------------------- */

#define NOTE_COLUMNS                                                                               \
	"id, member_id, kind, dedupe, book_id, episode, comment_id, actor, title, detail, state,"  \
	" created_at, coalesce(read_at, 0), coalesce(mailed_at, 0)"

static const char SQL_NOTE_INSERT[] =
    "INSERT INTO notifications(member_id, kind, dedupe, book_id, episode, comment_id, actor,"
    " title, detail, state, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT DO NOTHING";
/* everyone who follows the work (when ?12) or its author, the author left out */
static const char SQL_NOTE_FAN_OUT[] =
    "INSERT INTO notifications(member_id, kind, dedupe, book_id, episode, comment_id, actor,"
    " title, detail, state, created_at)"
    " SELECT DISTINCT member_id, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 FROM follows"
    " WHERE ((?12 AND target_kind = 'book' AND target_id = ?4)"
    "     OR (target_kind = 'author' AND target_id = ?1)) AND member_id <> ?1"
    " ON CONFLICT DO NOTHING";
static const char SQL_NOTE_LIST[] =
    "SELECT " NOTE_COLUMNS " FROM notifications WHERE member_id = ?1"
    " AND (?2 = 0 OR read_at IS NULL) AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4";
static const char SQL_NOTE_UNREAD[] =
    "SELECT count(*) FROM notifications WHERE member_id = ?1 AND read_at IS NULL";
static const char SQL_NOTE_READ[] =
    "UPDATE notifications SET read_at = ?4 WHERE member_id = ?1 AND read_at IS NULL"
    " AND ((?2 > 0 AND id = ?2) OR (?3 > 0 AND id <= ?3))";
static const char SQL_NOTE_DUE[] =
    "SELECT DISTINCT n.member_id FROM notifications n"
    " JOIN notification_settings s ON s.member_id = n.member_id AND s.email_digest = 1"
    " WHERE n.mailed_at IS NULL AND n.read_at IS NULL AND n.created_at <= ?1"
    " AND NOT EXISTS (SELECT 1 FROM mail_digests d WHERE d.member_id = n.member_id"
    "                 AND d.day = ?2) LIMIT ?3";
static const char SQL_NOTE_PENDING[] =
    "SELECT " NOTE_COLUMNS " FROM notifications WHERE member_id = ?1 AND mailed_at IS NULL"
    " AND read_at IS NULL ORDER BY id LIMIT ?2";
static const char SQL_DIGEST_INSERT[] =
    "INSERT INTO mail_digests(member_id, day, mail_id, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_NOTE_MAILED[] =
    "UPDATE notifications SET mailed_at = ?3 WHERE member_id = ?1 AND mailed_at IS NULL"
    " AND id <= ?2";
static const char SQL_NOTE_REMOVE_MEMBER[] = "DELETE FROM notifications WHERE member_id = ?1";
static const char SQL_SETTINGS_REMOVE_MEMBER[] =
    "DELETE FROM notification_settings WHERE member_id = ?1";
static const char SQL_DIGEST_REMOVE_MEMBER[] = "DELETE FROM mail_digests WHERE member_id = ?1";

static void bind_note(sqlite3_stmt *st, const notification *n)
{
	sqlite3_bind_text(st, 2, note_kind_name(n->kind), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, n->dedupe, -1, SQLITE_STATIC);
	if (n->book_id)
		sqlite3_bind_int64(st, 4, n->book_id);
	if (n->episode)
		sqlite3_bind_int64(st, 5, n->episode);
	if (n->comment_id)
		sqlite3_bind_int64(st, 6, n->comment_id);
	sqlite3_bind_text(st, 7, n->actor, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, n->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, n->detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, n->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, n->created_at);
}

static note_kind kind_parse(const char *s)
{
	if (!strcmp(s, "work"))
		return NOTE_WORK;
	if (!strcmp(s, "application"))
		return NOTE_APPLICATION;
	if (!strcmp(s, "reply"))
		return NOTE_REPLY;
	return NOTE_EPISODE;
}

static void text_col(char *dst, size_t cap, sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	snprintf(dst, cap, "%s", s ? (const char *)s : "");
}

static int note_row(void *dst, sqlite3_stmt *st, app_err *err)
{
	notification *n = dst;

	memset(n, 0, sizeof(*n));
	n->id = sqlite3_column_int64(st, 0);
	n->member_id = sqlite3_column_int64(st, 1);
	n->kind = kind_parse((const char *)sqlite3_column_text(st, 2));
	text_col(n->dedupe, sizeof(n->dedupe), st, 3);
	n->book_id = sqlite3_column_int64(st, 4);
	n->episode = sqlite3_column_int64(st, 5);
	n->comment_id = sqlite3_column_int64(st, 6);
	text_col(n->actor, sizeof(n->actor), st, 7);
	text_col(n->title, sizeof(n->title), st, 8);
	text_col(n->detail, sizeof(n->detail), st, 9);
	text_col(n->state, sizeof(n->state), st, 10);
	n->created_at = sqlite3_column_int64(st, 11);
	n->read_at = sqlite3_column_int64(st, 12);
	n->mailed_at = sqlite3_column_int64(st, 13);
	(void)err;
	return 0;
}

static int note_fan_out(int64_t *added, void *self, uow_tx *tx, const notification *n,
			int64_t author_id, int of_book, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_NOTE_FAN_OUT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, author_id);
	bind_note(st, n);
	sqlite3_bind_int(st, 12, of_book ? 1 : 0);
	if ((rc = sqlite_stmt_exec(self, st, "notification fan-out", err)))
		return rc;
	*added = sqlite_db_changes(self);
	return 0;
}

static int note_insert(int *added, void *self, uow_tx *tx, notification *n, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_NOTE_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, n->member_id);
	bind_note(st, n);
	if ((rc = sqlite_stmt_exec(self, st, "notification", err)))
		return rc;
	*added = sqlite_db_changes(self);
	if (*added)
		n->id = sqlite_db_last_id(self);
	return 0;
}

static int note_rows(notification *out, size_t *n, sqlite_db *db, sqlite3_stmt *st, size_t cap,
		     app_err *err)
{
	return sqlite_stmt_rows(out, sizeof(*out), n, cap, db, st, note_row, "notes", err);
}

static int note_list(notification *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		     int unread_only, int64_t before, size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_NOTE_LIST, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int(st, 2, unread_only ? 1 : 0);
	sqlite3_bind_int64(st, 3, before);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)cap);
	return note_rows(out, n, self, st, cap, err);
}

static int note_unread(int64_t *out, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_NOTE_UNREAD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	if ((rc = sqlite_stmt_row(self, st, "no count", "unread count", err)))
		return rc;
	*out = sqlite3_column_int64(st, 0);
	sqlite_stmt_done(st);
	return 0;
}

static int note_mark_read(int64_t *changed, void *self, uow_tx *tx, int64_t member_id, int64_t id,
			  int64_t up_to, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_NOTE_READ, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, id);
	sqlite3_bind_int64(st, 3, up_to);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = sqlite_stmt_exec(self, st, "mark read", err)))
		return rc;
	*changed = sqlite_db_changes(self);
	return 0;
}

static int note_digest_due(int64_t *members, size_t *n, void *self, uow_tx *tx, int64_t older_than,
			   int64_t day, size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_NOTE_DUE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, older_than);
	sqlite3_bind_int64(st, 2, day);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)cap);
	return sqlite_stmt_rows(members, sizeof(*members), n, cap, self, st, sqlite_row_int64,
				"due", err);
}

static int note_digest_pending(notification *out, size_t *n, void *self, uow_tx *tx,
			       int64_t member_id, size_t cap, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_NOTE_PENDING, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
	return note_rows(out, n, self, st, cap, err);
}

static int note_digest_record(void *self, uow_tx *tx, int64_t member_id, int64_t day, int64_t up_to,
			      int64_t mail_id, int64_t now, app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_DIGEST_INSERT, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, day);
	sqlite3_bind_int64(st, 3, mail_id);
	sqlite3_bind_int64(st, 4, now);
	if ((rc = sqlite_stmt_exec(self, st, "digest record", err)))
		return rc;
	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_NOTE_MAILED, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	sqlite3_bind_int64(st, 2, up_to);
	sqlite3_bind_int64(st, 3, now);
	return sqlite_stmt_exec(self, st, "mark mailed", err);
}

static int note_remove_member(void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	int rc;

	if ((rc = by_member(self, tx, SQL_NOTE_REMOVE_MEMBER, member_id, err)) ||
	    (rc = by_member(self, tx, SQL_SETTINGS_REMOVE_MEMBER, member_id, err)))
		return rc;
	return by_member(self, tx, SQL_DIGEST_REMOVE_MEMBER, member_id, err);
}

/* --- settings ------------------------------------------------------------------------------------
 */

static const char SQL_SETTINGS_GET[] =
    "SELECT member_id, email_digest, lang, unsubscribe_token FROM notification_settings"
    " WHERE member_id = ?1";
static const char SQL_SETTINGS_BY_TOKEN[] =
    "SELECT member_id, email_digest, lang, unsubscribe_token FROM notification_settings"
    " WHERE unsubscribe_token = ?1";
static const char SQL_SETTINGS_SAVE[] =
    "INSERT INTO notification_settings(member_id, email_digest, lang, unsubscribe_token,"
    " updated_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(member_id) DO UPDATE SET"
    " email_digest = excluded.email_digest, lang = excluded.lang,"
    " updated_at = excluded.updated_at";

static int settings_row(notify_settings *out, sqlite_db *db, sqlite3_stmt *st, app_err *err)
{
	int rc = sqlite_stmt_row(db, st, "no settings", "notification settings", err);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->member_id = sqlite3_column_int64(st, 0);
	out->email_digest = sqlite3_column_int(st, 1);
	text_col(out->lang, sizeof(out->lang), st, 2);
	text_col(out->unsubscribe_token, sizeof(out->unsubscribe_token), st, 3);
	sqlite_stmt_done(st);
	return 0;
}

static int settings_get(notify_settings *out, void *self, uow_tx *tx, int64_t member_id,
			app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SETTINGS_GET, err)))
		return rc;
	sqlite3_bind_int64(st, 1, member_id);
	return settings_row(out, self, st, err);
}

static int settings_by_token(notify_settings *out, void *self, uow_tx *tx, const char *token,
			     app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SETTINGS_BY_TOKEN, err)))
		return rc;
	sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
	return settings_row(out, self, st, err);
}

static int settings_save(void *self, uow_tx *tx, const notify_settings *s, int64_t now,
			 app_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, self, tx, SQL_SETTINGS_SAVE, err)))
		return rc;
	sqlite3_bind_int64(st, 1, s->member_id);
	sqlite3_bind_int(st, 2, s->email_digest);
	sqlite3_bind_text(st, 3, s->lang, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, s->unsubscribe_token, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, now);
	return sqlite_stmt_exec(self, st, "notification settings", err);
}

static const notification_repo_vtbl note_vtbl = {
    .fan_out = note_fan_out,
    .insert = note_insert,
    .list = note_list,
    .unread = note_unread,
    .mark_read = note_mark_read,
    .settings = settings_get,
    .settings_by_token = settings_by_token,
    .settings_save = settings_save,
    .digest_due = note_digest_due,
    .digest_pending = note_digest_pending,
    .digest_record = note_digest_record,
    .remove_member = note_remove_member,
};

notification_repo sqlite_notification_repo(sqlite_db *db)
{
	return (notification_repo){.vtbl = &note_vtbl, .self = db};
}
