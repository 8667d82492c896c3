/*
 * Unit of work: the writes a use case makes between begin and commit land
 * together or not at all. Repositories called in between join the unit.
 * Units nest: only the outermost commit commits; a rollback at any depth
 * dooms the whole unit.
 */
#ifndef WL_PORT_UOW_H
#define WL_PORT_UOW_H

#include "domain/common/err.h"

typedef struct uow_vtbl {
	int (*begin)(void *self, app_err *err);
	int (*commit)(void *self, app_err *err);
	void (*rollback)(void *self);
} uow_vtbl;

typedef struct uow {
	const uow_vtbl *vtbl;
	void *self;
} uow;

static inline int uow_begin(const uow *u, app_err *err)
{
	return u->vtbl->begin(u->self, err);
}

static inline int uow_commit(const uow *u, app_err *err)
{
	return u->vtbl->commit(u->self, err);
}

static inline void uow_rollback(const uow *u)
{
	u->vtbl->rollback(u->self);
}

#endif
