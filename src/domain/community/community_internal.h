/* Shared by the files of the community core: who may write, the write limit, text checks. */
#ifndef WL_DOMAIN_COMMUNITY_INTERNAL_H
#define WL_DOMAIN_COMMUNITY_INTERNAL_H

#include "domain/community/community.h"

/* The member exists (else APP_EUNAUTH) and no ban runs (APP_EFORBIDDEN "banned", extra until). */
int community_may_write(member_brief *m, community_service *svc, int64_t member_id, app_err *err);

/*
 * The write limit, taken before the write and atomically (parallel writes
 * cannot pass it): APP_ELIMITED with retryAfter. community_write_settle
 * gives it back when the write (rc) failed, and returns rc.
 */
int community_write_take(int64_t *at, char key[48], community_service *svc, int64_t member_id,
			 app_err *err);
int community_write_settle(community_service *svc, const char *key, int64_t at, int rc);

/* Valid UTF-8 of 1..max_chars characters (0 allowed when not required): else APP_EINVALID. */
int community_text_check(const char *s, size_t max_chars, const char *field, int required,
			 app_err *err);

/* s's first max_chars characters into dst (cap bytes), never cutting a UTF-8 sequence. */
void community_excerpt(char *dst, size_t cap, const char *s, size_t max_chars);

#endif
