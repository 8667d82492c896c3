/*
 * Comments on episodes: replies one level deep, edits and deletes of one's
 * own, likes once per member, and the work's author (or an admin) hiding
 * them. Every write but a delete checks the ban; posts, edits, likes (and
 * unlikes) and reports count against the write limit.
 */
#include <stdio.h>
#include <string.h>

#include "domain/community/community_internal.h"
#include "domain/members/member.h"

#define EXCERPT_CHARS 120 /* of a reply, in its notification */

static int64_t now_ms(community_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

void community_excerpt(char *dst, size_t cap, const char *s, size_t max_chars)
{
	size_t i = 0, chars = 0;

	/* whole characters only: a cut never splits a UTF-8 sequence */
	while (s && s[i] && chars < max_chars) {
		size_t len = 1;

		while ((s[i + len] & 0xC0) == 0x80)
			len++;
		if (i + len >= cap)
			break;
		i += len;
		chars++;
	}
	if (cap) {
		memcpy(dst, s ? s : "", i);
		dst[i] = '\0';
	}
}

/* A comment anyone may see: not hidden, not deleted, or APP_ENOTFOUND. */
static int find_visible(comment *c, community_service *svc, uow_tx *tx, int64_t id, app_err *err)
{
	int rc = comment_find(c, &svc->d.comments, tx, id, 0, err);

	if (rc == 0 && (c->hidden || c->deleted))
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
	return rc;
}

/* The parent of a reply: a visible comment (not a reply) on the same episode. */
static int parent_check(comment *p, community_service *svc, const comment *c, app_err *err)
{
	int rc = find_visible(p, svc, NULL, c->parent_id, err);

	if (rc)
		return rc == APP_ENOTFOUND ? app_err_set(err, APP_EINVALID, NULL, "parentId",
							 "no such comment to reply to")
					   : rc;
	if (p->book_id != c->book_id || p->number != c->number)
		return app_err_set(err, APP_EINVALID, NULL, "parentId",
				   "the comment replied to is on another episode");
	if (p->parent_id)
		return app_err_set(err, APP_EINVALID, NULL, "parentId",
				   "replies go one level deep: reply to the comment itself");
	return 0;
}

static int replied(community_service *svc, uow_tx *tx, const comment *c, const comment *p,
		   app_err *err)
{
	char excerpt[EXCERPT_CHARS * 4 + 1];
	domain_event ev;

	domain_event_init(&ev, "comment.replied");
	domain_event_add_int(&ev, "commentId", c->id);
	domain_event_add_int(&ev, "parentId", p->id);
	domain_event_add_int(&ev, "parentMemberId", p->member_id);
	domain_event_add_int(&ev, "memberId", c->member_id);
	domain_event_add_int(&ev, "bookId", c->book_id);
	domain_event_add_int(&ev, "episode", c->number);
	/* a spoiler stays covered in the notification and the mail */
	community_excerpt(excerpt, sizeof(excerpt), c->spoiler ? "" : c->text, EXCERPT_CHARS);
	domain_event_add_str(&ev, "excerpt", excerpt);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

static int post(comment *c, community_service *svc, app_err *err)
{
	member_brief m;
	comment parent = {0};
	uow_tx *tx;
	int rc;

	if ((rc = community_text_check(c->text, COMMENT_TEXT_MAX, "text", 1, err)) ||
	    (rc = community_episode(&svc->d.dir, c->book_id, c->number, err)) ||
	    (rc = community_may_write(&m, svc, c->member_id, err)) ||
	    (c->parent_id && (rc = parent_check(&parent, svc, c, err))))
		return rc;
	snprintf(c->member_name, sizeof(c->member_name), "%s", m.name);
	c->created_at = c->updated_at = now_ms(svc);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = comment_insert(&svc->d.comments, tx, c, err)) ||
	    (c->parent_id && parent.member_id != c->member_id &&
	     (rc = replied(svc, tx, c, &parent, err)))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int community_comment_post(comment *out, community_service *svc, int64_t member_id, int64_t book_id,
			   int64_t number, int64_t parent_id, const char *text, int spoiler,
			   app_err *err)
{
	char key[48];
	int64_t at;
	int rc;

	memset(out, 0, sizeof(*out));
	out->book_id = book_id;
	out->number = number;
	out->parent_id = parent_id;
	out->member_id = member_id;
	out->spoiler = spoiler ? 1 : 0;
	if (text && strlen(text) >= sizeof(out->text))
		return app_err_set(err, APP_EINVALID, NULL, "text",
				   "text must have 1 to %d characters", COMMENT_TEXT_MAX);
	snprintf(out->text, sizeof(out->text), "%s", text ? text : "");
	if ((rc = community_write_take(&at, key, svc, member_id, err)))
		return rc;
	return community_write_settle(svc, key, at, post(out, svc, err));
}

/* One's own comment, not deleted: APP_ENOTFOUND, APP_EFORBIDDEN for another's. */
static int own(comment *c, community_service *svc, int64_t member_id, int64_t id, app_err *err)
{
	int rc = comment_find(c, &svc->d.comments, NULL, id, member_id, err);

	if (rc == 0 && c->deleted)
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
	if (rc == 0 && c->member_id != member_id)
		rc = app_err_set(err, APP_EFORBIDDEN, NULL, NULL, "only its writer may change it");
	return rc;
}

static int edit(comment *out, community_service *svc, int64_t member_id, int64_t id,
		const char *text, int spoiler, app_err *err)
{
	member_brief m;
	uow_tx *tx;
	int rc;

	if ((text && (rc = community_text_check(text, COMMENT_TEXT_MAX, "text", 1, err))) ||
	    (rc = own(out, svc, member_id, id, err)) ||
	    (rc = community_may_write(&m, svc, member_id, err)))
		return rc;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = comment_update(&svc->d.comments, tx, id, text ? text : out->text,
				 spoiler < 0 ? out->spoiler : spoiler, now_ms(svc), err)) ||
	    (rc = comment_find(out, &svc->d.comments, tx, id, member_id, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int community_comment_edit(comment *out, community_service *svc, int64_t member_id, int64_t id,
			   const char *text, int spoiler, app_err *err)
{
	char key[48];
	int64_t at;
	int rc;

	if (!text && spoiler < 0)
		return app_err_set(err, APP_EINVALID, NULL, "text",
				   "give text or spoiler to change");
	if ((rc = community_write_take(&at, key, svc, member_id, err)))
		return rc;
	return community_write_settle(svc, key, at,
				      edit(out, svc, member_id, id, text, spoiler, err));
}

int community_comment_delete(community_service *svc, int64_t member_id, int64_t id, app_err *err)
{
	comment c;
	uow_tx *tx;
	int rc;

	/* taking one's words back stays open to a banned member */
	if ((rc = own(&c, svc, member_id, id, err)) || (rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, comment_remove(&svc->d.comments, tx, id, now_ms(svc), err), err);
}

static int like(int *liked, int64_t *likes, community_service *svc, int64_t member_id, int64_t id,
		int on, app_err *err)
{
	uow_tx *tx;
	int changed, rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = comment_like(&changed, likes, &svc->d.comments, tx, id, member_id, on,
			       now_ms(svc), err))) {
		uow_rollback(tx);
		return rc;
	}
	*liked = on ? 1 : 0;
	return uow_commit(tx, err);
}

int community_comment_like(int *liked, int64_t *likes, community_service *svc, int64_t member_id,
			   int64_t id, int on, app_err *err)
{
	member_brief m;
	comment c;
	char key[48];
	int64_t at;
	int rc;

	if ((rc = find_visible(&c, svc, NULL, id, err)) ||
	    (rc = community_may_write(&m, svc, member_id, err)))
		return rc;
	if (c.member_id == member_id)
		return app_err_set(err, APP_EINVALID, "own_comment", NULL,
				   "members do not like their own comments");
	if ((rc = community_write_take(&at, key, svc, member_id, err)))
		return rc;
	return community_write_settle(svc, key, at,
				      like(liked, likes, svc, member_id, id, on, err));
}

/* The work's author and admins moderate the comments on it; others get APP_EFORBIDDEN. */
static int moderator(int *is, community_service *svc, int64_t member_id, int64_t book_id,
		     app_err *err)
{
	member_brief m;
	work_brief w;
	int rc;

	*is = 0;
	if (member_id <= 0)
		return 0;
	if ((rc = community_member(&m, &svc->d.dir, member_id, err)))
		return rc == APP_ENOTFOUND ? 0 : rc;
	if (m.roles & MEMBER_ROLE_ADMIN) {
		*is = 1;
		return 0;
	}
	rc = community_work(&w, &svc->d.dir, book_id, err);
	if (rc == 0)
		*is = w.author_id == member_id;
	return rc == APP_ENOTFOUND ? 0 : rc;
}

int community_comment_hide(community_service *svc, int64_t member_id, int64_t id, int hidden,
			   app_err *err)
{
	int64_t closed;
	comment c;
	uow_tx *tx;
	int is, rc;

	if ((rc = comment_find(&c, &svc->d.comments, NULL, id, 0, err)) ||
	    (rc = moderator(&is, svc, member_id, c.book_id, err)))
		return rc;
	if (c.deleted)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
	if (!is)
		return app_err_set(err, APP_EFORBIDDEN, NULL, NULL,
				   "only the work's author or an admin hides its comments");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = comment_set_hidden(&svc->d.comments, tx, id, hidden, now_ms(svc), err)) ||
	    (rc = review_reports_close(&closed, &svc->d.reviews, tx, REPORT_COMMENT, id, 0,
				       hidden ? "hidden" : "restored", now_ms(svc), err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int community_comments(comment *out, size_t *n, int64_t *count, int *moderates,
		       community_service *svc, int64_t viewer, comment_query *q, size_t limit,
		       app_err *err)
{
	int rc;

	*n = 0;
	if ((rc = community_episode(&svc->d.dir, q->book_id, q->number, err)) ||
	    (rc = moderator(moderates, svc, viewer, q->book_id, err)))
		return rc;
	if (q->parent_id) {
		comment p;

		if ((rc = find_visible(&p, svc, NULL, q->parent_id, err)))
			return rc;
		if (p.book_id != q->book_id || p.number != q->number || p.parent_id)
			return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
	}
	q->with_hidden = *moderates;
	q->viewer = viewer;
	if (limit > COMMENT_PAGE_MAX)
		limit = COMMENT_PAGE_MAX;
	if ((rc = comment_list(out, n, &svc->d.comments, NULL, q, limit, err)))
		return rc;
	return comment_count(count, &svc->d.comments, NULL, q->book_id, q->number, err);
}
