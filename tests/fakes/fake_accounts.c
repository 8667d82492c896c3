/* Fakes of the account ports: one-time tokens and the account mails. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fakes/fakes.h"

static int take_fail(int *fail_next, app_err *err)
{
	int rc = *fail_next;

	*fail_next = 0;
	if (rc)
		app_err_set(err, rc, NULL, NULL, "canned failure");
	return rc;
}

static const fake_rows ft_rows = {.size = offsetof(fake_account_tokens, fail_next),
				  .state_size = sizeof(fake_account_tokens)};
static const fake_rows fam_rows = {.size = offsetof(fake_account_mails, fail_next),
				   .state_size = sizeof(fake_account_mails)};

static account_token *ft_lookup(fake_account_tokens *f, const char *digest)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->rows[i].digest, digest) == 0)
			return &f->rows[i];
	return NULL;
}

static int ft_insert(void *self, uow_tx *tx, const account_token *t, app_err *err)
{
	fake_account_tokens *f = self;
	int rc;

	fake_tx_touch(tx, self, &ft_rows);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (ft_lookup(f, t->digest))
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "exists");
	if (f->n == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	f->rows[f->n++] = *t;
	return 0;
}

static int ft_find(account_token *out, void *self, uow_tx *tx, const char *digest, app_err *err)
{
	fake_account_tokens *f = self;
	account_token *t;
	int rc;

	fake_tx_check(tx);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (!(t = ft_lookup(f, digest)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no token");
	*out = *t;
	return 0;
}

static int ft_use(void *self, uow_tx *tx, const char *digest, int64_t now, app_err *err)
{
	fake_account_tokens *f = self;
	account_token *t;
	int rc;

	fake_tx_touch(tx, self, &ft_rows);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (!(t = ft_lookup(f, digest)) || t->used_at)
		return app_err_set(err, APP_ECONFLICT, NULL, NULL, "used");
	t->used_at = now;
	return 0;
}

static int ft_remove_member(void *self, uow_tx *tx, int64_t member_id, const char *purpose,
			    app_err *err)
{
	fake_account_tokens *f = self;
	size_t keep = 0;
	int rc;

	fake_tx_touch(tx, self, &ft_rows);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].member_id != member_id ||
		    (purpose && strcmp(f->rows[i].purpose, purpose) != 0))
			f->rows[keep++] = f->rows[i];
	f->n = keep;
	return 0;
}

static const account_token_repo_vtbl ft_vtbl = {
    .insert = ft_insert,
    .find = ft_find,
    .use = ft_use,
    .remove_member = ft_remove_member,
};

account_token_repo fake_account_token_repo(fake_account_tokens *f)
{
	return (account_token_repo){.vtbl = &ft_vtbl, .self = f};
}

static int fam_add(fake_account_mails *f, uow_tx *tx, const char *kind, const member *m,
		   const char *to, const char *token, const char *lang, app_err *err)
{
	fake_account_mail_row *row;
	int rc;

	fake_tx_touch(tx, f, &fam_rows);
	if ((rc = take_fail(&f->fail_next, err)))
		return rc;
	if (f->n == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	row = &f->rows[f->n++];
	memset(row, 0, sizeof(*row));
	snprintf(row->kind, sizeof(row->kind), "%s", kind);
	snprintf(row->to, sizeof(row->to), "%s", to);
	snprintf(row->token, sizeof(row->token), "%s", token ? token : "");
	snprintf(row->lang, sizeof(row->lang), "%s", lang ? lang : "");
	row->member_id = m->id;
	return 0;
}

static int fam_reset(void *self, uow_tx *tx, const member *m, const char *token, const char *lang,
		     app_err *err)
{
	return fam_add(self, tx, "password_reset", m, m->email, token, lang, err);
}

static int fam_confirm(void *self, uow_tx *tx, const member *m, const char *new_email,
		       const char *token, const char *lang, app_err *err)
{
	return fam_add(self, tx, "email_confirm", m, new_email, token, lang, err);
}

static int fam_changed(void *self, uow_tx *tx, const member *m, const char *old_email,
		       const char *lang, app_err *err)
{
	return fam_add(self, tx, "email_changed", m, old_email, NULL, lang, err);
}

static const account_mail_vtbl fam_vtbl = {
    .password_reset = fam_reset,
    .email_confirm = fam_confirm,
    .email_changed = fam_changed,
};

account_mail fake_account_mail_port(fake_account_mails *f)
{
	return (account_mail){.vtbl = &fam_vtbl, .self = f};
}
