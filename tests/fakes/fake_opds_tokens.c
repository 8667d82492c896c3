/* The OPDS token store in memory. */
#include "fakes/fake_opds_tokens.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

static const fake_rows fo_rows = {.size = offsetof(fake_opds_tokens, fail_next),
				  .state_size = sizeof(fake_opds_tokens)};

static int fail(fake_opds_tokens *f, app_err *err)
{
	f->calls++;
	return fake_take_fail(&f->fail_next, err);
}

static fake_opds_token *of_member(fake_opds_tokens *f, int64_t member_id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].member_id == member_id)
			return &f->rows[i];
	return NULL;
}

static fake_opds_token *of_digest(fake_opds_tokens *f, const char *digest)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->rows[i].digest, digest) == 0)
			return &f->rows[i];
	return NULL;
}

static int fo_put(void *self, uow_tx *tx, int64_t member_id, const char *digest, int64_t created_at,
		  app_err *err)
{
	fake_opds_tokens *f = self;
	fake_opds_token *r, *held;
	int rc;

	fake_tx_touch(tx, f, &fo_rows);
	if ((rc = fail(f, err)))
		return rc;
	/* a digest is one member's: as the UNIQUE column of the table */
	held = of_digest(f, digest);
	if (held && held->member_id != member_id)
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "opds token put: already exists");
	if (!(r = of_member(f, member_id))) {
		if (f->n == FAKE_CAP)
			return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
		r = &f->rows[f->n++];
		r->member_id = member_id;
	}
	snprintf(r->digest, sizeof(r->digest), "%s", digest);
	r->created_at = created_at;
	return 0;
}

/* A read: the row of digest (or, digest NULL, of member_id); APP_ENOTFOUND when none. */
static int lookup(fake_opds_token **r, fake_opds_tokens *f, uow_tx *tx, int64_t member_id,
		  const char *digest, app_err *err)
{
	int rc;

	fake_tx_check(tx);
	if ((rc = fail(f, err)))
		return rc;
	if (!(*r = digest ? of_digest(f, digest) : of_member(f, member_id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such catalog token");
	return 0;
}

static int fo_member(int64_t *member_id, void *self, uow_tx *tx, const char *digest, app_err *err)
{
	fake_opds_token *r;
	int rc = lookup(&r, self, tx, 0, digest, err);

	if (rc == 0)
		*member_id = r->member_id;
	return rc;
}

static int fo_created(int64_t *at, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	fake_opds_token *r;
	int rc = lookup(&r, self, tx, member_id, NULL, err);

	if (rc == 0)
		*at = r->created_at;
	return rc;
}

static int fo_remove(int *removed, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	fake_opds_tokens *f = self;
	fake_opds_token *r;
	int rc;

	*removed = 0;
	fake_tx_touch(tx, f, &fo_rows);
	if ((rc = fail(f, err)))
		return rc;
	if ((r = of_member(f, member_id))) {
		*r = f->rows[--f->n];
		*removed = 1;
	}
	return 0;
}

static const opds_token_repo_vtbl fo_vtbl = {
    .put = fo_put,
    .member = fo_member,
    .created = fo_created,
    .remove = fo_remove,
};

opds_token_repo fake_opds_token_repo(fake_opds_tokens *f)
{
	return (opds_token_repo){.vtbl = &fo_vtbl, .self = f};
}
