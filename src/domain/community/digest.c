/* The daily digest mail: the unread notifications of a member, one mail per UTC day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/common/strbuf.h"
#include "domain/community/community.h"

#define DIGEST_BATCH 50

/* One line (and its link) of the digest for n. */
static void digest_line(strbuf *b, const community_service *svc, const notification *n, int en)
{
	const char *base = svc->cfg.public_url;

	switch (n->kind) {
	case NOTE_EPISODE:
		if (en)
			strbuf_fmt(b, "- \"%s\" episode %lld is out%s%s%s\n", n->title,
				   (long long)n->episode, n->detail[0] ? ": \"" : "", n->detail,
				   n->detail[0] ? "\"" : "");
		else
			strbuf_fmt(b, "· 「%s」 %lld화가 올라왔어요.%s%s%s\n", n->title,
				   (long long)n->episode, n->detail[0] ? " 「" : "", n->detail,
				   n->detail[0] ? "」" : "");
		strbuf_fmt(b, "  %s/books/%lld\n", base, (long long)n->book_id);
		break;
	case NOTE_WORK:
		if (en)
			strbuf_fmt(b, "- %s published a new work: \"%s\"\n", n->actor, n->title);
		else
			strbuf_fmt(b, "· %s 작가가 새 작품을 냈어요: 「%s」\n", n->actor, n->title);
		strbuf_fmt(b, "  %s/books/%lld\n", base, (long long)n->book_id);
		break;
	case NOTE_APPLICATION:
		if (!strcmp(n->state, "approved"))
			strbuf_str(b, en ? "- Your author application was approved. Welcome!\n"
					 : "· 작가 신청이 승인되었어요. 환영합니다!\n");
		else
			strbuf_fmt(b,
				   en ? "- Your author application was declined%s%s\n"
				      : "· 작가 신청이 반려되었어요.%s%s\n",
				   n->detail[0] ? (en ? ": " : " 사유: ") : (en ? "." : ""),
				   n->detail);
		strbuf_fmt(b, "  %s/apply\n", base);
		break;
	case NOTE_REPLY:
		if (en)
			strbuf_fmt(b, "- %s replied to your comment on \"%s\": \"%s\"\n", n->actor,
				   n->title, n->detail);
		else
			strbuf_fmt(b, "· %s님이 「%s」에 남긴 내 댓글에 답글을 달았어요: \"%s\"\n",
				   n->actor, n->title, n->detail);
		strbuf_fmt(b, "  %s/books/%lld\n", base, (long long)n->book_id);
		break;
	}
}

static void digest_text(strbuf *subject, strbuf *text, const community_service *svc,
			const member_brief *m, const notify_settings *s, const notification *notes,
			size_t n)
{
	int en = strcmp(s->lang, "en") == 0;
	const char *base = svc->cfg.public_url;

	if (en) {
		strbuf_fmt(subject, "[Walking Library] %zu new update%s", n, n == 1 ? "" : "s");
		strbuf_fmt(text, "Hello %s, here is what is new.\n\n",
			   m->name[0] ? m->name : "reader");
	} else {
		strbuf_fmt(subject, "[걷다가서재] 새 소식 %zu건", n);
		strbuf_fmt(text, "%s님, 새 소식이 있어요.\n\n", m->name[0] ? m->name : "회원");
	}
	for (size_t i = 0; i < n; i++)
		digest_line(text, svc, &notes[i], en);
	strbuf_fmt(text,
		   en ? "\nAll notifications: %s/notifications\n"
			"No more of these mails (no sign-in needed): %s/unsubscribe?token=%s\n"
		      : "\n알림 모두 보기: %s/notifications\n"
			"이메일 알림 그만 받기 (로그인 없이): %s/unsubscribe?token=%s\n",
		   base, base, s->unsubscribe_token);
}

/* The digest of one member, in a unit of its own; *sent 1 when a mail was queued. */
static int digest_one(int *sent, community_service *svc, int64_t member_id, int64_t day,
		      notification *notes, app_err *err)
{
	strbuf subject = {0}, text = {0};
	char unsub[512];
	notify_settings s;
	member_brief m;
	mail_draft d;
	int64_t mail_id = 0;
	size_t n = 0;
	uow_tx *tx;
	int rc;

	*sent = 0;
	rc = community_member(&m, &svc->d.dir, member_id, err);
	if (rc == APP_ENOTFOUND || (rc == 0 && m.deleted))
		return 0;
	if (rc || (rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = notification_settings(&s, &svc->d.notes, tx, member_id, err)) ||
	    (rc = notification_digest_pending(notes, &n, &svc->d.notes, tx, member_id,
					      COMMUNITY_DIGEST_MAX, err)))
		goto done;
	if (n == 0 || !s.email_digest) {
		uow_rollback(tx);
		return 0;
	}
	digest_text(&subject, &text, svc, &m, &s, notes, n);
	snprintf(unsub, sizeof(unsub), "%s/api/notifications/unsubscribe?token=%s",
		 svc->cfg.public_url, s.unsubscribe_token);
	d = (mail_draft){.kind = "digest",
			 .member_id = member_id,
			 .to = m.email,
			 .subject = subject.s,
			 .text = text.s,
			 .unsubscribe_url = unsub};
	if (subject.oom || text.oom)
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	else if ((rc = mail_queue_enqueue(&svc->d.mail, tx, &d, &mail_id, err)) == 0)
		rc = notification_digest_record(&svc->d.notes, tx, member_id, day, notes[n - 1].id,
						mail_id, clock_now_ms(&svc->d.clock), err);
	strbuf_dispose(&subject);
	strbuf_dispose(&text);
	if (rc == APP_EEXISTS) { /* another pass sent today's: at most one a day */
		uow_rollback(tx);
		return 0;
	}
done:
	if ((rc = uow_finish(tx, rc, err)) == 0)
		*sent = 1;
	return rc;
}

int community_digest_pass(int *sent, community_service *svc, app_err *err)
{
	int64_t now = clock_now_ms(&svc->d.clock), members[DIGEST_BATCH];
	int64_t day = now / COMMUNITY_DAY_MS;
	notification *notes;
	size_t n;
	int rc, one;

	*sent = 0;
	if (!(notes = calloc(COMMUNITY_DIGEST_MAX, sizeof(*notes))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	do {
		rc =
		    notification_digest_due(members, &n, &svc->d.notes, NULL,
					    now - svc->cfg.digest_delay_ms, day, DIGEST_BATCH, err);
		for (size_t i = 0; rc == 0 && i < n; i++)
			if ((rc = digest_one(&one, svc, members[i], day, notes, err)) == 0)
				*sent += one;
	} while (rc == 0 && n == DIGEST_BATCH && *sent > 0);
	free(notes);
	return rc;
}
