#include <stdio.h>
#include <string.h>

#include "domain/community/community.h"
#include "domain/members/member.h"

void community_service_init(community_service *svc, const community_deps *deps,
			    const community_config *cfg)
{
	svc->d = *deps;
	svc->cfg = cfg ? *cfg : (community_config){.digest_delay_ms = 15 * 60 * 1000};
	if (!svc->cfg.public_url)
		svc->cfg.public_url = "";
}

const char *note_kind_name(note_kind k)
{
	switch (k) {
	case NOTE_EPISODE:
		return "episode";
	case NOTE_WORK:
		return "work";
	case NOTE_APPLICATION:
		return "application";
	case NOTE_REPLY:
		return "reply";
	}
	return "episode";
}

const char *follow_kind_name(follow_kind k)
{
	return k == FOLLOW_AUTHOR ? "author" : "book";
}

/* The target exists and anyone may see it; the author of a work is written to *author. */
static int target_check(int64_t *author, community_service *svc, follow_kind kind, int64_t target,
			app_err *err)
{
	if (kind == FOLLOW_BOOK) {
		work_brief w;
		int rc = community_work(&w, &svc->d.dir, target, err);

		if (rc == 0 && !w.visible)
			rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
		if (rc == 0)
			*author = w.author_id;
		return rc;
	} else {
		member_brief m;
		int rc = community_member(&m, &svc->d.dir, target, err);

		if (rc == 0 && (m.deleted || !(m.roles & MEMBER_ROLE_AUTHOR)))
			rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such author");
		if (rc == 0)
			*author = m.id;
		return rc;
	}
}

int community_follow_state(int *following, int64_t *followers, community_service *svc,
			   int64_t member_id, follow_kind kind, int64_t target, app_err *err)
{
	int64_t author;
	int rc;

	if ((rc = target_check(&author, svc, kind, target, err)))
		return rc;
	return follow_repo_state(following, followers, &svc->d.follows, NULL, member_id, kind,
				 target, err);
}

int community_follow(int *following, int64_t *followers, community_service *svc, int64_t member_id,
		     follow_kind kind, int64_t target, int on, app_err *err)
{
	int64_t author = 0, now = clock_now_ms(&svc->d.clock);
	uow_tx *tx;
	int rc;

	/* unfollowing works also for a work that went hidden meanwhile */
	if ((rc = target_check(&author, svc, kind, target, err)) && (on || rc != APP_ENOTFOUND))
		return rc;
	if (on && author == member_id)
		return app_err_set(err, APP_EINVALID, "own_work", NULL,
				   "authors do not follow themselves");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	rc = on ? follow_repo_add(&svc->d.follows, tx, member_id, kind, target, now, err)
		: follow_repo_remove(&svc->d.follows, tx, member_id, kind, target, err);
	if (rc == 0)
		rc = follow_repo_state(following, followers, &svc->d.follows, tx, member_id, kind,
				       target, err);
	return uow_finish(tx, rc, err);
}

int community_follows(follow *out, size_t *n, int64_t *next_before, community_service *svc,
		      int64_t member_id, int64_t before, size_t limit, app_err *err)
{
	int rc = follow_repo_list(out, n, &svc->d.follows, NULL, member_id, before, limit, err);

	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].created_at : 0;
	return 0;
}
