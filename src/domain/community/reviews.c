/* Reviews of works, reports, and the moderation of what was reported. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"
#include "domain/community/community_internal.h"

#define WRITE_WINDOW_MS (10LL * 60 * 1000)

static int64_t now_ms(community_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

const char *report_kind_name(report_kind k)
{
	return k == REPORT_COMMENT ? "comment" : "review";
}

int community_may_write(member_brief *m, community_service *svc, int64_t member_id, app_err *err)
{
	int rc = community_member(m, &svc->d.dir, member_id, err);

	if (rc)
		return rc == APP_ENOTFOUND ? app_err_set(err, APP_EUNAUTH, NULL, NULL, "no member")
					   : rc;
	if (m->banned_until > now_ms(svc)) {
		app_err_set(err, APP_EFORBIDDEN, "banned", NULL,
			    "this account may not write until the ban ends");
		app_err_extra(err, "until", m->banned_until);
		return APP_EFORBIDDEN;
	}
	return 0;
}

int community_write_take(int64_t *at, char key[48], community_service *svc, int64_t member_id,
			 app_err *err)
{
	limiter_rule rule = {key, svc->cfg.write_limit, WRITE_WINDOW_MS};
	int64_t retry;

	*at = 0;
	if (svc->cfg.write_limit <= 0)
		return 0;
	snprintf(key, 48, "community-write:%lld", (long long)member_id);
	*at = now_ms(svc);
	if (limiter_take(&svc->d.limiter, &rule, 1, *at, &retry) == 0)
		return 0;
	*at = 0;
	app_err_set(err, APP_ELIMITED, "too_many_attempts", NULL,
		    "too many comments, likes and reviews in a short time; try again later");
	app_err_extra(err, "retryAfter", retry > 0 ? (retry + 999) / 1000 : 1);
	return APP_ELIMITED;
}

int community_write_settle(community_service *svc, const char *key, int64_t at, int rc)
{
	if (rc && at)
		limiter_give_back(&svc->d.limiter, key, at);
	return rc;
}

int community_text_check(const char *s, size_t max_chars, const char *field, int required,
			 app_err *err)
{
	size_t n = s ? strlen(s) : 0;

	if (!n && !required)
		return 0;
	if (!n || !text_utf8_valid(s, n) || text_utf8_chars(s, n) > max_chars)
		return app_err_set(err, APP_EINVALID, NULL, field,
				   "%s must have 1 to %zu characters", field, max_chars);
	return 0;
}

static int publish(community_service *svc, uow_tx *tx, const char *type, int64_t book_id,
		   int64_t member_id, int64_t rating, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, type);
	domain_event_add_int(&ev, "bookId", book_id);
	domain_event_add_int(&ev, "memberId", member_id);
	if (rating)
		domain_event_add_int(&ev, "rating", rating);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

static int review_write(review *out, int *created, community_service *svc, int64_t member_id,
			int64_t book_id, int rating, const char *text, app_err *err)
{
	member_brief m;
	work_brief w;
	review r;
	int read = 0, rc;
	uow_tx *tx;

	if (rating < 1 || rating > 5)
		return app_err_set(err, APP_EINVALID, NULL, "rating", "rating must be 1 to 5");
	if ((rc = community_text_check(text, REVIEW_TEXT_MAX, "text", 0, err)) ||
	    (rc = community_work(&w, &svc->d.dir, book_id, err)) ||
	    (rc = community_may_write(&m, svc, member_id, err)))
		return rc;
	if (w.author_id == member_id)
		return app_err_set(err, APP_EFORBIDDEN, "own_work", NULL,
				   "authors do not review their own works");
	if ((rc = review_has_read(&read, &svc->d.reviews, NULL, member_id, book_id, err)))
		return rc;
	if (!read)
		return app_err_set(err, APP_EFORBIDDEN, "not_read", NULL,
				   "read at least one episode before reviewing");
	memset(&r, 0, sizeof(r));
	r.book_id = book_id;
	r.member_id = member_id;
	r.rating = rating;
	snprintf(r.text, sizeof(r.text), "%s", text ? text : "");
	r.created_at = r.updated_at = now_ms(svc);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = review_save(created, &svc->d.reviews, tx, &r, err)) ||
	    (rc = publish(svc, tx, "review.saved", book_id, member_id, rating, err)) ||
	    (rc = review_find_own(out, &svc->d.reviews, tx, book_id, member_id, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int community_review_save(review *out, int *created, community_service *svc, int64_t member_id,
			  int64_t book_id, int rating, const char *text, app_err *err)
{
	char key[48];
	int64_t at;
	int rc = community_write_take(&at, key, svc, member_id, err);

	return rc ? rc
		  : community_write_settle(
			svc, key, at,
			review_write(out, created, svc, member_id, book_id, rating, text, err));
}

int community_review_own(review *out, community_service *svc, int64_t member_id, int64_t book_id,
			 app_err *err)
{
	return review_find_own(out, &svc->d.reviews, NULL, book_id, member_id, err);
}

int community_review_delete(community_service *svc, int64_t member_id, int64_t book_id,
			    app_err *err)
{
	uow_tx *tx;
	int rc;

	/* taking one's words back stays open to a banned member */
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = review_remove_own(&svc->d.reviews, tx, book_id, member_id, err)) ||
	    (rc = publish(svc, tx, "review.deleted", book_id, member_id, 0, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int community_reviews(review *out, size_t *n, int64_t *next_before, int64_t *count,
		      int64_t *avg_x100, community_service *svc, int64_t book_id, int64_t before,
		      size_t limit, app_err *err)
{
	work_brief w;
	int rc;

	if ((rc = community_work(&w, &svc->d.dir, book_id, err)) ||
	    (rc = review_list(out, n, &svc->d.reviews, NULL, book_id, before, limit, err)) ||
	    (rc = review_summary(count, avg_x100, &svc->d.reviews, NULL, book_id, err)))
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

/* What is reported, as the report keeps it: its work and its opening; visible, not one's own. */
static int report_target(report *rp, community_service *svc, int64_t member_id, app_err *err)
{
	int64_t owner;
	const char *text;
	review r;
	comment c;
	int rc;

	if (rp->kind == REPORT_COMMENT) {
		rc = comment_find(&c, &svc->d.comments, NULL, rp->target_id, 0, err);
		if (rc == 0 && (c.hidden || c.deleted))
			rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such comment");
		owner = c.member_id, rp->book_id = c.book_id, text = c.text;
		rp->episode = c.number;
	} else {
		rc = review_find(&r, &svc->d.reviews, NULL, rp->target_id, err);
		if (rc == 0 && r.hidden)
			rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such review");
		owner = r.member_id, rp->book_id = r.book_id, text = r.text;
	}
	if (rc)
		return rc;
	if (owner == member_id)
		return app_err_set(err, APP_EINVALID, "own_work", NULL,
				   "members do not report themselves");
	community_excerpt(rp->excerpt, sizeof(rp->excerpt), text, 150);
	return 0;
}

static int report_write(community_service *svc, int64_t member_id, report_kind kind,
			int64_t target_id, const char *reason, app_err *err)
{
	member_brief m;
	report rp;
	uow_tx *tx;
	int rc;

	if ((rc = community_text_check(reason, REPORT_REASON_MAX, "reason", 1, err)) ||
	    (rc = community_may_write(&m, svc, member_id, err)))
		return rc;
	memset(&rp, 0, sizeof(rp));
	rp.kind = kind;
	rp.target_id = target_id;
	rp.reporter_id = member_id;
	if ((rc = report_target(&rp, svc, member_id, err)))
		return rc;
	snprintf(rp.reason, sizeof(rp.reason), "%s", reason);
	rp.created_at = now_ms(svc);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, review_report_add(&svc->d.reviews, tx, &rp, err), err);
}

int community_report(community_service *svc, int64_t member_id, report_kind kind, int64_t target_id,
		     const char *reason, app_err *err)
{
	char key[48];
	int64_t at;
	int rc = community_write_take(&at, key, svc, member_id, err);

	return rc ? rc
		  : community_write_settle(
			svc, key, at, report_write(svc, member_id, kind, target_id, reason, err));
}

int community_reports(report *out, size_t *n, int64_t *next_before, community_service *svc,
		      int64_t before, size_t limit, app_err *err)
{
	int rc = review_reports_open(out, n, &svc->d.reviews, NULL, before, limit, err);

	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

int community_review_hide(community_service *svc, int64_t review_id, int hidden, app_err *err)
{
	int64_t closed;
	review r;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = review_find(&r, &svc->d.reviews, tx, review_id, err)) ||
	    (rc = review_set_hidden(&svc->d.reviews, tx, review_id, hidden, now_ms(svc), err)) ||
	    (rc = review_reports_close(&closed, &svc->d.reviews, tx, REPORT_REVIEW, review_id, 0,
				       hidden ? "hidden" : "restored", now_ms(svc), err)) ||
	    (rc = publish(svc, tx, hidden ? "review.hidden" : "review.restored", r.book_id,
			  r.member_id, 0, err))) {
		uow_rollback(tx);
		return rc;
	}
	return uow_commit(tx, err);
}

int community_report_dismiss(community_service *svc, int64_t report_id, app_err *err)
{
	int64_t closed = 0;
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = review_reports_close(&closed, &svc->d.reviews, tx, REPORT_REVIEW, 0, report_id,
				  "dismissed", now_ms(svc), err);
	if (rc == 0 && closed == 0)
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such open report");
	return uow_finish(tx, rc, err);
}

/* book.viewed / episode.viewed: the member has read the work and may review it. */
int community_on_read(community_service *svc, const domain_event *ev, app_err *err)
{
	int64_t member = domain_event_int(ev, "memberId", 0);
	int64_t book = domain_event_int(ev, "bookId", 0);
	uow_tx *tx;
	int rc;

	if (member <= 0 || book <= 0)
		return 0;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(
	    tx, review_reader_add(&svc->d.reviews, tx, member, book, ev->created_at, err), err);
}
