/* The community core's wiring: its view of members and works, its mail, its events. */
#include <stdio.h>
#include <string.h>

#include "adapters/sqlite/sqlite_repos.h"
#include "app/app.h"
#include "domain/common/log.h"

static int dir_member(member_brief *out, void *self, int64_t id, app_err *err)
{
	app *a = self;
	member m;
	int rc = members_get(&m, &a->members, id, err);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->id = m.id;
	snprintf(out->name, sizeof(out->name), "%s", m.name);
	snprintf(out->email, sizeof(out->email), "%s", m.email);
	out->roles = m.roles;
	out->created_at = m.created_at;
	out->banned_until = m.banned_until;
	out->deleted = m.deleted_at != 0;
	return 0;
}

/* A work as an anonymous reader sees it: not found is not visible. */
static int dir_work(work_brief *out, void *self, int64_t id, app_err *err)
{
	app *a = self;
	books_reader anyone = {0};
	book_access access;
	book b;
	int rc = books_get(&b, &access, &a->books, &anyone, id, err);

	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->id = b.id;
	out->author_id = b.author_id;
	snprintf(out->title, sizeof(out->title), "%s", b.title);
	snprintf(out->author_name, sizeof(out->author_name), "%s", b.author_name);
	out->visible = 1;
	return 0;
}

static int dir_episode(void *self, int64_t book_id, int64_t number, app_err *err)
{
	app *a = self;
	books_reader anyone = {0};
	books_episode_view v;
	int64_t prev, next;
	book b;

	return books_episode(&v, &prev, &next, &b, &a->books, &anyone, book_id, number, err);
}

static const community_directory_vtbl dir_vtbl = {
    .member = dir_member,
    .work = dir_work,
    .episode = dir_episode,
};

static int queue_enqueue(void *self, uow_tx *tx, const mail_draft *d, int64_t *id, app_err *err)
{
	app *a = self;

	return mail_enqueue_in(id, &a->mailing.mail, tx, d, err);
}

static const mail_queue_vtbl queue_vtbl = {.enqueue = queue_enqueue};

static int on_event(void *ctx, const domain_event *ev, app_err *err)
{
	return community_on_event(ctx, ev, err);
}

static int on_read(void *ctx, const domain_event *ev, app_err *err)
{
	return community_on_read(ctx, ev, err);
}

int app_community_open(app *a, app_err *err)
{
	static const char *const types[] = {"episode.published",
					    "book.published",
					    "author.approved",
					    "author.rejected",
					    "comment.replied",
					    "member.deleted",
					    NULL};
	community_deps d = {
	    .follows = sqlite_follow_repo(a->db),
	    .notes = sqlite_notification_repo(a->db),
	    .reviews = sqlite_review_repo(a->db),
	    .comments = sqlite_comment_repo(a->db),
	    .limiter = a->limiter,
	    .dir = {.vtbl = &dir_vtbl, .self = a},
	    .mail = {.vtbl = &queue_vtbl, .self = a},
	    .uow = bus_uow(a->bus),
	    .events = bus_publisher(a->bus),
	    .clock = a->clock,
	    .crypto = a->crypto,
	};
	community_config c = {
	    .digest_delay_ms = a->cfg.digest_delay_s * 1000,
	    .public_url = a->mailing.public_url,
	    .write_limit = a->cfg.community_write_limit,
	};
	static const char *const reads[] = {"book.viewed", "episode.viewed", NULL};
	int rc;

	community_service_init(&a->community, &d, &c);
	/* synchronous: a published episode's notification exists when its publish commits */
	if ((rc = bus_subscribe(a->bus, "community.notify", types, BUS_SYNC, on_event,
				&a->community, err)))
		return rc;
	/* who read what (may review it): off the flush path of the views */
	return bus_subscribe(a->bus, "community.readers", reads, BUS_ASYNC, on_read, &a->community,
			     err);
}

void app_community_tick(void *ctx)
{
	app *a = ctx;
	log_line l;
	app_err err;
	int sent = 0;

	app_err_clear(&err);
	if (community_digest_pass(&sent, &a->community, &err)) {
		log_error("digest pass failed", &err);
	} else if (sent) {
		log_begin(&l, "info", "digests");
		log_int(&l, "queued", sent);
		log_end(&l);
		app_mailing_wake(&a->mailing);
	}
}
