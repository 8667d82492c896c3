#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/community/community.h"

static int64_t now_ms(community_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

int community_unread(int64_t *unread, community_service *svc, int64_t member_id, app_err *err)
{
	return notification_unread(unread, &svc->d.notes, NULL, member_id, err);
}

int community_notifications(notification *out, size_t *n, int64_t *next_before, int64_t *unread,
			    community_service *svc, int64_t member_id, int unread_only,
			    int64_t before, size_t limit, app_err *err)
{
	int rc = notification_list(out, n, &svc->d.notes, NULL, member_id, unread_only, before,
				   limit, err);

	if (rc || (rc = community_unread(unread, svc, member_id, err)))
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

int community_mark_read(int64_t *unread, community_service *svc, int64_t member_id, int64_t id,
			int64_t up_to, app_err *err)
{
	int64_t changed;
	uow_tx *tx;
	int rc;

	if ((id <= 0) == (up_to <= 0))
		return app_err_set(err, APP_EINVALID, NULL, id > 0 ? "upTo" : "id",
				   "give either id or upTo");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = notification_mark_read(&changed, &svc->d.notes, tx, member_id, id, up_to,
					 now_ms(svc), err)) ||
	    (rc = notification_unread(unread, &svc->d.notes, tx, member_id, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

/* --- mail settings ------------------------------------------------------------------------- */

static void settings_default(notify_settings *s, int64_t member_id)
{
	memset(s, 0, sizeof(*s));
	s->member_id = member_id;
	snprintf(s->lang, sizeof(s->lang), "ko");
}

int community_settings(notify_settings *out, community_service *svc, int64_t member_id,
		       app_err *err)
{
	int rc = notification_settings(out, &svc->d.notes, NULL, member_id, err);

	if (rc == APP_ENOTFOUND) {
		settings_default(out, member_id);
		return 0;
	}
	return rc;
}

int community_settings_save(notify_settings *out, community_service *svc, int64_t member_id,
			    int email_digest, const char *lang, app_err *err)
{
	notify_settings s;
	uow_tx *tx;
	int rc;

	if (lang && strcmp(lang, "ko") != 0 && strcmp(lang, "en") != 0)
		return app_err_set(err, APP_EINVALID, NULL, "lang", "lang must be ko or en");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = notification_settings(&s, &svc->d.notes, tx, member_id, err);
	if (rc == APP_ENOTFOUND) {
		settings_default(&s, member_id);
		rc = crypto_token_new(s.unsubscribe_token, &svc->d.crypto, err);
	}
	if (rc)
		goto done;
	s.email_digest = email_digest ? 1 : 0;
	if (lang)
		snprintf(s.lang, sizeof(s.lang), "%s", lang);
	rc = notification_settings_save(&svc->d.notes, tx, &s, now_ms(svc), err);
done:
	if ((rc = uow_finish(tx, rc, err)) == 0 && out)
		*out = s;
	return rc;
}

int community_unsubscribe(community_service *svc, const char *token, app_err *err)
{
	notify_settings s;
	uow_tx *tx;
	int rc;

	if (!token || !*token || strlen(token) >= NOTIFY_TOKEN_MAX)
		return app_err_set(err, APP_EINVALID, "invalid_token", "token",
				   "this unsubscribe link is unknown");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = notification_settings_by_token(&s, &svc->d.notes, tx, token, err);
	if (rc == APP_ENOTFOUND)
		rc = app_err_set(err, APP_EINVALID, "invalid_token", "token",
				 "this unsubscribe link is unknown");
	if (rc == 0 && s.email_digest) {
		s.email_digest = 0;
		rc = notification_settings_save(&svc->d.notes, tx, &s, now_ms(svc), err);
	}
	return uow_finish(tx, rc, err);
}

/* --- notifications from events ---------------------------------------------------------------- */

static void note_init(notification *n, note_kind kind, const domain_event *ev)
{
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->created_at = ev->created_at; /* when it happened: a scheduled episode's publish time */
}

static void copy_str(char *dst, size_t cap, const char *s)
{
	snprintf(dst, cap, "%s", s ? s : "");
}

/* Runs one fan-out or insert in a unit of its own. */
static int note_write(community_service *svc, notification *n, int64_t author_id, int fan_out,
		      int of_book, app_err *err)
{
	int64_t added64;
	int added;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = fan_out ? notification_fan_out(&added64, &svc->d.notes, tx, n, author_id, of_book, err)
		     : notification_insert(&added, &svc->d.notes, tx, n, err);
	return uow_finish(tx, rc, err);
}

static int on_episode(community_service *svc, const domain_event *ev, app_err *err)
{
	int64_t book = domain_event_int(ev, "bookId", 0);
	int64_t number = domain_event_int(ev, "number", domain_event_int(ev, "episode", 0));
	const char *title = domain_event_str(ev, "episodeTitle");
	notification n;
	work_brief w;
	int rc;

	if (book <= 0 || number <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "bookId",
				   "episode.published without bookId and number");
	rc = community_work(&w, &svc->d.dir, book, err);
	if (rc == APP_ENOTFOUND || (rc == 0 && !w.visible))
		return 0; /* nobody but its author sees it: nothing to tell */
	if (rc)
		return rc;
	note_init(&n, NOTE_EPISODE, ev);
	n.book_id = book;
	n.episode = number;
	copy_str(n.title, sizeof(n.title), w.title);
	copy_str(n.detail, sizeof(n.detail), title ? title : domain_event_str(ev, "title"));
	snprintf(n.dedupe, sizeof(n.dedupe), "ep:%lld:%lld", (long long)book, (long long)number);
	return note_write(svc, &n, w.author_id, 1, 1, err);
}

static int on_work(community_service *svc, const domain_event *ev, app_err *err)
{
	int64_t book = domain_event_int(ev, "bookId", 0);
	notification n;
	work_brief w;
	int rc;

	if (book <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "bookId",
				   "book.published without bookId");
	rc = community_work(&w, &svc->d.dir, book, err);
	if (rc == APP_ENOTFOUND || (rc == 0 && !w.visible))
		return 0;
	if (rc)
		return rc;
	note_init(&n, NOTE_WORK, ev);
	n.book_id = book;
	n.episode = 1;
	copy_str(n.title, sizeof(n.title), w.title);
	copy_str(n.actor, sizeof(n.actor), w.author_name);
	/* the same key as its first episode: a new serial work is told once */
	snprintf(n.dedupe, sizeof(n.dedupe), "ep:%lld:1", (long long)book);
	return note_write(svc, &n, w.author_id, 1, 0, err);
}

static int on_application(community_service *svc, const domain_event *ev, app_err *err)
{
	int64_t member = domain_event_int(ev, "memberId", 0);
	notification n;

	if (member <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "memberId", "%s without memberId",
				   ev->type);
	note_init(&n, NOTE_APPLICATION, ev);
	n.member_id = member;
	copy_str(n.title, sizeof(n.title), domain_event_str(ev, "penName"));
	copy_str(n.state, sizeof(n.state),
		 strcmp(ev->type, "author.approved") == 0 ? "approved" : "rejected");
	copy_str(n.detail, sizeof(n.detail), domain_event_str(ev, "reason"));
	snprintf(n.dedupe, sizeof(n.dedupe), "app:%lld",
		 (long long)domain_event_int(ev, "applicationId", ev->id));
	return note_write(svc, &n, 0, 0, 0, err);
}

static int on_reply(community_service *svc, const domain_event *ev, app_err *err)
{
	int64_t to = domain_event_int(ev, "parentMemberId", 0);
	int64_t from = domain_event_int(ev, "memberId", 0);
	notification n;
	member_brief who;
	work_brief w;
	int rc;

	if (to <= 0 || to == from)
		return 0;
	if ((rc = community_member(&who, &svc->d.dir, from, err)) ||
	    (rc = community_work(&w, &svc->d.dir, domain_event_int(ev, "bookId", 0), err)))
		return rc == APP_ENOTFOUND ? 0 : rc;
	note_init(&n, NOTE_REPLY, ev);
	n.member_id = to;
	n.book_id = w.id;
	n.episode = domain_event_int(ev, "episode", 0);
	n.comment_id = domain_event_int(ev, "commentId", 0);
	copy_str(n.actor, sizeof(n.actor), who.name);
	copy_str(n.title, sizeof(n.title), w.title);
	copy_str(n.detail, sizeof(n.detail), domain_event_str(ev, "excerpt"));
	snprintf(n.dedupe, sizeof(n.dedupe), "reply:%lld", (long long)n.comment_id);
	return note_write(svc, &n, 0, 0, 0, err);
}

static int on_deleted(community_service *svc, const domain_event *ev, app_err *err)
{
	int64_t member = domain_event_int(ev, "memberId", 0);
	uow_tx *tx;
	int rc;

	if (member <= 0)
		return 0;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = follow_repo_remove_member(&svc->d.follows, tx, member, err)) ||
	    (rc = notification_remove_member(&svc->d.notes, tx, member, err)) ||
	    (rc = review_remove_member(&svc->d.reviews, tx, member, err)) ||
	    (rc = comment_remove_member(&svc->d.comments, tx, member, ev->created_at, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int community_on_event(community_service *svc, const domain_event *ev, app_err *err)
{
	if (!strcmp(ev->type, "episode.published"))
		return on_episode(svc, ev, err);
	if (!strcmp(ev->type, "book.published"))
		return on_work(svc, ev, err);
	if (!strcmp(ev->type, "author.approved") || !strcmp(ev->type, "author.rejected"))
		return on_application(svc, ev, err);
	if (!strcmp(ev->type, "comment.replied"))
		return on_reply(svc, ev, err);
	if (!strcmp(ev->type, "member.deleted"))
		return on_deleted(svc, ev, err);
	return 0;
}
