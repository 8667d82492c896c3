/* Repository of the mail core: the durable mail outbox. */
#include "adapters/sqlite/sqlite_repos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAIL_COLUMNS                                                                               \
	"id, kind, member_id, to_addr, subject, text, unsubscribe_url, status, attempts,"          \
	" next_attempt_at, last_error, created_at, sent_at"

static const char SQL_MAIL_INSERT[] =
    "INSERT INTO mail_outbox(kind, member_id, to_addr, subject, text, unsubscribe_url, status,"
    " attempts, next_attempt_at, lease_until, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'queued', 0, ?7, 0, ?8)";
/* Picked and leased in one statement: two senders never take the same message. */
static const char SQL_MAIL_CLAIM[] =
    "UPDATE mail_outbox SET lease_until = ?2 WHERE id IN (SELECT id FROM mail_outbox"
    "  WHERE status = 'queued' AND next_attempt_at <= ?1 AND lease_until <= ?1"
    "  ORDER BY next_attempt_at, id LIMIT ?3) RETURNING " MAIL_COLUMNS;
static const char SQL_MAIL_RECORD[] =
    "UPDATE mail_outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5,"
    " sent_at = ?6, lease_until = 0 WHERE id = ?1";
static const char SQL_MAIL_FIND[] = "SELECT " MAIL_COLUMNS " FROM mail_outbox WHERE id = ?1";
static const char SQL_MAIL_COUNTS[] =
    "SELECT coalesce(sum(status = 'queued'), 0), coalesce(sum(status = 'sent'), 0),"
    " coalesce(sum(status = 'failed'), 0),"
    " coalesce(min(CASE WHEN status = 'queued' THEN created_at END), 0) FROM mail_outbox";

static char *text_dup(sqlite3_stmt *st, int col, int *oom)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup((const char *)s)))
		*oom = 1;
	return d;
}

static mail_status status_of(const unsigned char *s)
{
	if (s && !strcmp((const char *)s, "sent"))
		return MAIL_SENT;
	if (s && !strcmp((const char *)s, "failed"))
		return MAIL_FAILED;
	return MAIL_QUEUED;
}

static int mail_row(mail_item *m, sqlite3_stmt *st, app_err *err)
{
	const unsigned char *s;
	int oom = 0;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(st, 0);
	snprintf(m->kind, sizeof(m->kind), "%s", (const char *)sqlite3_column_text(st, 1));
	m->member_id = sqlite3_column_int64(st, 2);
	m->to = text_dup(st, 3, &oom);
	m->subject = text_dup(st, 4, &oom);
	m->text = text_dup(st, 5, &oom);
	m->unsubscribe_url = text_dup(st, 6, &oom);
	m->status = status_of(sqlite3_column_text(st, 7));
	m->attempts = sqlite3_column_int(st, 8);
	m->next_attempt_at = sqlite3_column_int64(st, 9);
	s = sqlite3_column_text(st, 10);
	snprintf(m->last_error, sizeof(m->last_error), "%s", s ? (const char *)s : "");
	m->created_at = sqlite3_column_int64(st, 11);
	m->sent_at = sqlite3_column_int64(st, 12);
	if (oom) {
		mail_item_dispose(m);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	return 0;
}

static int mail_insert(void *self, uow_tx *tx, mail_item *m, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MAIL_INSERT, err)))
		return rc;
	sqlite3_bind_text(st, 1, m->kind, -1, SQLITE_STATIC);
	if (m->member_id)
		sqlite3_bind_int64(st, 2, m->member_id);
	sqlite3_bind_text(st, 3, m->to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, m->subject, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m->text, -1, SQLITE_STATIC);
	sqlite_bind_text_or_null(st, 6, m->unsubscribe_url);
	sqlite3_bind_int64(st, 7, m->next_attempt_at);
	sqlite3_bind_int64(st, 8, m->created_at);
	if ((rc = sqlite_stmt_exec(db, st, "mail insert", err)))
		return rc;
	m->id = sqlite_db_last_id(db);
	return 0;
}

static int mail_claim_due(mail_item *out, size_t *n, void *self, uow_tx *tx, int64_t now,
			  int64_t lease_ms, size_t cap, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	*n = 0;
	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MAIL_CLAIM, err)))
		return rc;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, now + lease_ms);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)cap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
		if ((rc = mail_row(&out[*n], st, err)))
			goto fail;
		(*n)++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		rc = sqlite_db_error(db, rc, "mail claim", err);
		goto fail;
	}
	sqlite_stmt_done(st);
	return 0;
fail:
	sqlite_stmt_done(st);
	for (size_t i = 0; i < *n; i++)
		mail_item_dispose(&out[i]);
	*n = 0;
	return rc;
}

static int mail_record(void *self, uow_tx *tx, const mail_item *m, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MAIL_RECORD, err)))
		return rc;
	sqlite3_bind_int64(st, 1, m->id);
	sqlite3_bind_text(st, 2, mail_status_name(m->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, m->attempts);
	sqlite3_bind_int64(st, 4, m->next_attempt_at);
	sqlite_bind_text_or_null(st, 5, m->last_error[0] ? m->last_error : NULL);
	if (m->sent_at)
		sqlite3_bind_int64(st, 6, m->sent_at);
	return sqlite_stmt_exec(db, st, "mail record", err);
}

static int mail_find(mail_item *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MAIL_FIND, err)))
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if ((rc = sqlite_stmt_row(db, st, "no such mail", "mail lookup", err)))
		return rc;
	rc = mail_row(out, st, err);
	sqlite_stmt_done(st);
	return rc;
}

static int mail_counts_impl(mail_counts *out, void *self, uow_tx *tx, app_err *err)
{
	sqlite_db *db = self;
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_db_stmt(&st, db, tx, SQL_MAIL_COUNTS, err)))
		return rc;
	if ((rc = sqlite_stmt_row(db, st, "no counts", "mail counts", err)))
		return rc;
	out->queued = sqlite3_column_int64(st, 0);
	out->sent = sqlite3_column_int64(st, 1);
	out->failed = sqlite3_column_int64(st, 2);
	out->oldest_queued_at = sqlite3_column_int64(st, 3);
	sqlite_stmt_done(st);
	return 0;
}

static const mail_repo_vtbl mail_vtbl = {
    .insert = mail_insert,
    .claim_due = mail_claim_due,
    .record = mail_record,
    .find = mail_find,
    .counts = mail_counts_impl,
};

mail_repo sqlite_mail_repo(sqlite_db *db)
{
	return (mail_repo){.vtbl = &mail_vtbl, .self = db};
}
