/* Members repository: accounts, roles and the wallet balance. */
#ifndef WL_PORT_MEMBER_REPO_H
#define WL_PORT_MEMBER_REPO_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/uow.h"
#include "domain/members/member.h"

typedef struct member_totals {
	int64_t members;
	int64_t points_outstanding; /* sum of balances */
} member_totals;

typedef struct member_repo_vtbl {
	/* Sets m->id. APP_EEXISTS when the e-mail (case-insensitive) is taken. */
	int (*insert)(void *self, uow_tx *tx, member *m, app_err *err);
	int (*find_by_id)(member *out, void *self, uow_tx *tx, int64_t id, app_err *err);
	/* Case-insensitive. APP_ENOTFOUND when absent. */
	int (*find_by_email)(member *out, void *self, uow_tx *tx, const char *email, app_err *err);
	int (*add_roles)(void *self, uow_tx *tx, int64_t id, unsigned roles, app_err *err);
	/* Adds amount (> 0); writes the new balance. */
	int (*credit)(int64_t *balance, void *self, uow_tx *tx, int64_t id, int64_t amount,
		      app_err *err);
	/* Takes amount (> 0) only if the balance covers it, else APP_EINSUFFICIENT. */
	int (*debit)(int64_t *balance, void *self, uow_tx *tx, int64_t id, int64_t amount,
		     app_err *err);
	int (*totals)(member_totals *out, void *self, uow_tx *tx, app_err *err);
	/*
	 * Writes m's e-mail, name, password hash, roles, ban and deletion mark
	 * (not the balance). APP_EEXISTS when the e-mail is another's,
	 * APP_ENOTFOUND when there is no such member.
	 */
	int (*save_account)(void *self, uow_tx *tx, const member *m, app_err *err);
	/*
	 * Members whose e-mail or name contains q (NULL or "": all) and who hold
	 * every role in roles (0: any), deleted ones left out, id < before_id
	 * (0: from the newest), newest first, at most cap.
	 */
	int (*search)(member *out, size_t *n, void *self, uow_tx *tx, const char *q, unsigned roles,
		      int64_t before_id, size_t cap, app_err *err);
} member_repo_vtbl;

typedef struct member_repo {
	const member_repo_vtbl *vtbl;
	void *self;
} member_repo;

static inline int member_repo_insert(const member_repo *r, uow_tx *tx, member *m, app_err *err)
{
	return r->vtbl->insert(r->self, tx, m, err);
}
static inline int member_repo_find_by_id(member *out, const member_repo *r, uow_tx *tx, int64_t id,
					 app_err *err)
{
	return r->vtbl->find_by_id(out, r->self, tx, id, err);
}
static inline int member_repo_find_by_email(member *out, const member_repo *r, uow_tx *tx,
					    const char *email, app_err *err)
{
	return r->vtbl->find_by_email(out, r->self, tx, email, err);
}
static inline int member_repo_add_roles(const member_repo *r, uow_tx *tx, int64_t id,
					unsigned roles, app_err *err)
{
	return r->vtbl->add_roles(r->self, tx, id, roles, err);
}
static inline int member_repo_credit(int64_t *balance, const member_repo *r, uow_tx *tx, int64_t id,
				     int64_t amount, app_err *err)
{
	return r->vtbl->credit(balance, r->self, tx, id, amount, err);
}
static inline int member_repo_debit(int64_t *balance, const member_repo *r, uow_tx *tx, int64_t id,
				    int64_t amount, app_err *err)
{
	return r->vtbl->debit(balance, r->self, tx, id, amount, err);
}
static inline int member_repo_totals(member_totals *out, const member_repo *r, uow_tx *tx,
				     app_err *err)
{
	return r->vtbl->totals(out, r->self, tx, err);
}

static inline int member_repo_save_account(const member_repo *r, uow_tx *tx, const member *m,
					   app_err *err)
{
	return r->vtbl->save_account(r->self, tx, m, err);
}
static inline int member_repo_search(member *out, size_t *n, const member_repo *r, uow_tx *tx,
				     const char *q, unsigned roles, int64_t before_id, size_t cap,
				     app_err *err)
{
	return r->vtbl->search(out, n, r->self, tx, q, roles, before_id, cap, err);
}

#endif
