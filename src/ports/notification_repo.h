/* Notifications, the members' mail settings for them, and the daily digests sent. */
#ifndef WL_PORT_NOTIFICATION_REPO_H
#define WL_PORT_NOTIFICATION_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/community/notification.h"
#include "ports/uow.h"

typedef struct notification_repo_vtbl {
	/*
	 * One notification like n for every member who follows book n->book_id
	 * or author author_id, but author_id themself; (member, n->dedupe) that
	 * exists already is skipped. *added counts the new ones.
	 */
	int (*fan_out)(int64_t *added, void *self, uow_tx *tx, const notification *n,
		       int64_t author_id, int followers_of_book, app_err *err);
	/* n->member_id's notification; a (member, dedupe) that exists is skipped (*added 0). */
	int (*insert)(int *added, void *self, uow_tx *tx, notification *n, app_err *err);
	/* Newest first, id < before (0: from the newest), unread ones only when unread_only. */
	int (*list)(notification *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		    int unread_only, int64_t before, size_t cap, app_err *err);
	int (*unread)(int64_t *out, void *self, uow_tx *tx, int64_t member_id, app_err *err);
	/* Marks read at now: the one id (up_to 0) or every one with id <= up_to. */
	int (*mark_read)(int64_t *changed, void *self, uow_tx *tx, int64_t member_id, int64_t id,
			 int64_t up_to, int64_t now, app_err *err);
	/* APP_ENOTFOUND when the member never saved settings. */
	int (*settings)(notify_settings *out, void *self, uow_tx *tx, int64_t member_id,
			app_err *err);
	int (*settings_by_token)(notify_settings *out, void *self, uow_tx *tx, const char *token,
				 app_err *err);
	int (*settings_save)(void *self, uow_tx *tx, const notify_settings *s, int64_t now,
			     app_err *err);
	/*
	 * Members with the digest on, an unread notification not yet mailed and
	 * made at or before older_than, and no digest on day (days since the
	 * epoch, UTC); at most cap.
	 */
	int (*digest_due)(int64_t *members, size_t *n, void *self, uow_tx *tx, int64_t older_than,
			  int64_t day, size_t cap, app_err *err);
	/* The member's unread, unmailed notifications, oldest first, at most cap. */
	int (*digest_pending)(notification *out, size_t *n, void *self, uow_tx *tx,
			      int64_t member_id, size_t cap, app_err *err);
	/*
	 * Records the member's digest of day and marks their notifications with
	 * id <= up_to mailed. APP_EEXISTS when that day's digest exists.
	 */
	int (*digest_record)(void *self, uow_tx *tx, int64_t member_id, int64_t day, int64_t up_to,
			     int64_t mail_id, int64_t now, app_err *err);
	/* Removes the member's notifications, settings and digest records. */
	int (*remove_member)(void *self, uow_tx *tx, int64_t member_id, app_err *err);
} notification_repo_vtbl;

typedef struct notification_repo {
	const notification_repo_vtbl *vtbl;
	void *self;
} notification_repo;

static inline int notification_fan_out(int64_t *added, const notification_repo *r, uow_tx *tx,
				       const notification *n, int64_t author_id,
				       int followers_of_book, app_err *err)
{
	return r->vtbl->fan_out(added, r->self, tx, n, author_id, followers_of_book, err);
}
static inline int notification_insert(int *added, const notification_repo *r, uow_tx *tx,
				      notification *n, app_err *err)
{
	return r->vtbl->insert(added, r->self, tx, n, err);
}
static inline int notification_list(notification *out, size_t *n, const notification_repo *r,
				    uow_tx *tx, int64_t member_id, int unread_only, int64_t before,
				    size_t cap, app_err *err)
{
	return r->vtbl->list(out, n, r->self, tx, member_id, unread_only, before, cap, err);
}
static inline int notification_unread(int64_t *out, const notification_repo *r, uow_tx *tx,
				      int64_t member_id, app_err *err)
{
	return r->vtbl->unread(out, r->self, tx, member_id, err);
}
static inline int notification_mark_read(int64_t *changed, const notification_repo *r, uow_tx *tx,
					 int64_t member_id, int64_t id, int64_t up_to, int64_t now,
					 app_err *err)
{
	return r->vtbl->mark_read(changed, r->self, tx, member_id, id, up_to, now, err);
}
static inline int notification_settings(notify_settings *out, const notification_repo *r,
					uow_tx *tx, int64_t member_id, app_err *err)
{
	return r->vtbl->settings(out, r->self, tx, member_id, err);
}
static inline int notification_settings_by_token(notify_settings *out, const notification_repo *r,
						 uow_tx *tx, const char *token, app_err *err)
{
	return r->vtbl->settings_by_token(out, r->self, tx, token, err);
}
static inline int notification_settings_save(const notification_repo *r, uow_tx *tx,
					     const notify_settings *s, int64_t now, app_err *err)
{
	return r->vtbl->settings_save(r->self, tx, s, now, err);
}
static inline int notification_digest_due(int64_t *members, size_t *n, const notification_repo *r,
					  uow_tx *tx, int64_t older_than, int64_t day, size_t cap,
					  app_err *err)
{
	return r->vtbl->digest_due(members, n, r->self, tx, older_than, day, cap, err);
}
static inline int notification_digest_pending(notification *out, size_t *n,
					      const notification_repo *r, uow_tx *tx,
					      int64_t member_id, size_t cap, app_err *err)
{
	return r->vtbl->digest_pending(out, n, r->self, tx, member_id, cap, err);
}
static inline int notification_digest_record(const notification_repo *r, uow_tx *tx,
					     int64_t member_id, int64_t day, int64_t up_to,
					     int64_t mail_id, int64_t now, app_err *err)
{
	return r->vtbl->digest_record(r->self, tx, member_id, day, up_to, mail_id, now, err);
}
static inline int notification_remove_member(const notification_repo *r, uow_tx *tx,
					     int64_t member_id, app_err *err)
{
	return r->vtbl->remove_member(r->self, tx, member_id, err);
}

#endif
