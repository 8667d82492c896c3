/*
 * What the community core needs to know of members and works, answered by
 * the cores that own them (the members and books cores, wired in app).
 */
#ifndef WL_PORT_COMMUNITY_DIRECTORY_H
#define WL_PORT_COMMUNITY_DIRECTORY_H

#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"

typedef struct member_brief {
	int64_t id;
	char name[201];
	char email[255];
	unsigned roles; /* MEMBER_ROLE_* */
	int64_t created_at;
	int64_t banned_until; /* 0: not banned */
	int deleted;
} member_brief;

typedef struct work_brief {
	int64_t id, author_id;
	char title[801];
	char author_name[201];
	int visible; /* published and not hidden: anyone may see it */
} work_brief;

typedef struct community_directory_vtbl {
	/* APP_ENOTFOUND when there is no such member. */
	int (*member)(member_brief *out, void *self, int64_t id, app_err *err);
	/* APP_ENOTFOUND when there is no such work. */
	int (*work)(work_brief *out, void *self, int64_t id, app_err *err);
	/* APP_ENOTFOUND unless the episode is published and anyone may see its work. */
	int (*episode)(void *self, int64_t book_id, int64_t number, app_err *err);
} community_directory_vtbl;

typedef struct community_directory {
	const community_directory_vtbl *vtbl;
	void *self;
} community_directory;

static inline int community_member(member_brief *out, const community_directory *d, int64_t id,
				   app_err *err)
{
	return d->vtbl->member(out, d->self, id, err);
}
static inline int community_work(work_brief *out, const community_directory *d, int64_t id,
				 app_err *err)
{
	return d->vtbl->work(out, d->self, id, err);
}

static inline int community_episode(const community_directory *d, int64_t book_id, int64_t number,
				    app_err *err)
{
	return d->vtbl->episode(d->self, book_id, number, err);
}

#endif
