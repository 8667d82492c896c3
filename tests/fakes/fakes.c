#include "fakes/fakes.h"

#include "adapters/payment_dev/payment_dev.h"

#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int fake_take_fail(int *fail_next, app_err *err)
{
	int rc = *fail_next;

	*fail_next = 0;
	if (rc)
		app_err_set(err, rc, NULL, NULL, "canned failure");
	return rc;
}

/* The rows of each fake, as a unit of work saves and restores them. */
static const fake_rows fm_rows = {.size = offsetof(fake_members, fail_next),
				  .state_size = sizeof(fake_members)};
static const fake_rows fs_rows = {.size = offsetof(fake_sessions, fail_next),
				  .state_size = sizeof(fake_sessions)};
static const fake_rows fl_rows = {.size = offsetof(fake_ledger, fail_next),
				  .state_size = sizeof(fake_ledger)};
static const fake_rows fsub_rows = {.size = offsetof(fake_subscriptions, fail_next),
				    .state_size = sizeof(fake_subscriptions)};
static const fake_rows fi_rows = {.size = offsetof(fake_idempotency, fail_next),
				  .state_size = sizeof(fake_idempotency)};

static void fo_rows_copy(void *dst, const void *src)
{
	fake_outbox *d = dst;
	const fake_outbox *o = src;

	for (size_t i = 0; i < o->n; i++)
		if (domain_event_copy(&d->events[i], &o->events[i]))
			abort();
}

static void fo_rows_release(void *rows)
{
	fake_outbox *o = rows;

	for (size_t i = 0; i < o->n; i++)
		domain_event_dispose(&o->events[i]);
}

static const fake_rows fo_rows = {
    .size = offsetof(fake_outbox, fail_next),
    .state_size = sizeof(fake_outbox),
    .copy = fo_rows_copy,
    .release = fo_rows_release,
};

/* --- members ----------------------------------------------------------------------------- */

static member *member_find(fake_members *f, int64_t id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].id == id)
			return &f->rows[i];
	return NULL;
}

static int fm_insert(void *self, uow_tx *tx, member *m, app_err *err)
{
	fake_members *f = self;
	int rc;

	fake_tx_touch(tx, self, &fm_rows);
	f->calls++;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (strcasecmp(f->rows[i].email, m->email) == 0)
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "exists");
	if (f->n == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	m->id = (int64_t)f->n + 1;
	m->points = 0;
	f->rows[f->n++] = *m;
	return 0;
}

static int fm_find_by_id(member *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_members *f = self;
	member *m;
	int rc;

	fake_tx_check(tx);
	f->calls++;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(m = member_find(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no member");
	*out = *m;
	return 0;
}

static int fm_find_by_email(member *out, void *self, uow_tx *tx, const char *email, app_err *err)
{
	fake_members *f = self;
	int rc;

	fake_tx_check(tx);
	f->calls++;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (strcasecmp(f->rows[i].email, email) == 0) {
			*out = f->rows[i];
			return 0;
		}
	return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no member");
}

static int fm_add_roles(void *self, uow_tx *tx, int64_t id, unsigned roles, app_err *err)
{
	fake_members *f = self;
	member *m;
	int rc;

	fake_tx_touch(tx, self, &fm_rows);
	f->calls++;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(m = member_find(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no member");
	m->roles |= roles;
	return 0;
}

static int fm_balance(int64_t *balance, fake_members *f, uow_tx *tx, int64_t id, int64_t delta,
		      app_err *err)
{
	member *m;
	int rc;

	fake_tx_touch(tx, f, &fm_rows);
	f->calls++;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(m = member_find(f, id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no member");
	if (m->points + delta < 0)
		return app_err_set(err, APP_EINSUFFICIENT, "insufficient_points", NULL, "short");
	m->points += delta;
	*balance = m->points;
	return 0;
}

static int fm_credit(int64_t *balance, void *self, uow_tx *tx, int64_t id, int64_t amount,
		     app_err *err)
{
	if (amount <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "amount", "positive");
	return fm_balance(balance, self, tx, id, amount, err);
}

static int fm_debit(int64_t *balance, void *self, uow_tx *tx, int64_t id, int64_t amount,
		    app_err *err)
{
	if (amount <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "amount", "positive");
	return fm_balance(balance, self, tx, id, -amount, err);
}

static int fm_totals(member_totals *out, void *self, uow_tx *tx, app_err *err)
{
	fake_members *f = self;

	fake_tx_check(tx);
	(void)err;
	out->members = (int64_t)f->n;
	out->points_outstanding = 0;
	for (size_t i = 0; i < f->n; i++)
		out->points_outstanding += f->rows[i].points;
	return 0;
}

static int fm_save_account(void *self, uow_tx *tx, const member *m, app_err *err)
{
	fake_members *f = self;
	member *row;
	int rc;

	fake_tx_touch(tx, self, &fm_rows);
	f->calls++;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(row = member_find(f, m->id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no member");
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].id != m->id && strcasecmp(f->rows[i].email, m->email) == 0)
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "exists");
	*row = (member){.id = row->id, .points = row->points, .created_at = row->created_at};
	snprintf(row->email, sizeof(row->email), "%s", m->email);
	snprintf(row->name, sizeof(row->name), "%s", m->name);
	snprintf(row->password_hash, sizeof(row->password_hash), "%s", m->password_hash);
	snprintf(row->ban_reason, sizeof(row->ban_reason), "%s", m->ban_reason);
	row->roles = m->roles;
	row->banned_until = m->banned_until;
	row->deleted_at = m->deleted_at;
	return 0;
}

static int fm_matches(const member *m, const char *q, unsigned roles)
{
	if (m->deleted_at || (m->roles & roles) != roles)
		return 0;
	return !q || !*q || strcasestr(m->email, q) || strcasestr(m->name, q);
}

static int fm_search(member *out, size_t *n, void *self, uow_tx *tx, const char *q, unsigned roles,
		     int64_t before_id, size_t cap, app_err *err)
{
	fake_members *f = self;
	int rc;

	fake_tx_check(tx);
	f->calls++;
	*n = 0;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = f->n; i > 0 && *n < cap; i--)
		if ((before_id == 0 || f->rows[i - 1].id < before_id) &&
		    fm_matches(&f->rows[i - 1], q, roles))
			out[(*n)++] = f->rows[i - 1];
	return 0;
}

static const member_repo_vtbl fm_vtbl = {
    .insert = fm_insert,
    .find_by_id = fm_find_by_id,
    .find_by_email = fm_find_by_email,
    .add_roles = fm_add_roles,
    .credit = fm_credit,
    .debit = fm_debit,
    .totals = fm_totals,
    .save_account = fm_save_account,
    .search = fm_search,
};

member_repo fake_member_repo(fake_members *f)
{
	return (member_repo){.vtbl = &fm_vtbl, .self = f};
}

/* --- sessions ----------------------------------------------------------------------------------
 */

static int fs_insert(void *self, uow_tx *tx, const char *digest, int64_t member_id,
		     int64_t created_at, int64_t expires_at, app_err *err)
{
	fake_sessions *f = self;
	fake_session *s;
	int rc;

	fake_tx_touch(tx, self, &fs_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].live && strcmp(f->rows[i].digest, digest) == 0)
			return app_err_set(err, APP_EEXISTS, NULL, NULL, "exists");
	if (f->n == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	s = &f->rows[f->n++];
	snprintf(s->digest, sizeof(s->digest), "%s", digest);
	s->member_id = member_id;
	s->created_at = created_at;
	s->expires_at = expires_at;
	s->live = 1;
	return 0;
}

static fake_session *fs_lookup(fake_sessions *f, const char *digest)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].live && strcmp(f->rows[i].digest, digest) == 0)
			return &f->rows[i];
	return NULL;
}

static int fs_find(int64_t *member_id, int64_t *expires_at, void *self, uow_tx *tx,
		   const char *digest, app_err *err)
{
	fake_sessions *f = self;
	fake_session *s;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(s = fs_lookup(f, digest)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no session");
	*member_id = s->member_id;
	*expires_at = s->expires_at;
	return 0;
}

static int fs_find_member(member *out, int64_t *expires_at, void *self, uow_tx *tx,
			  const char *digest, app_err *err)
{
	fake_sessions *f = self;
	int64_t member_id;
	member *m;
	int rc;

	if ((rc = fs_find(&member_id, expires_at, self, tx, digest, err)))
		return rc;
	memset(out, 0, sizeof(*out));
	if (!f->members)
		return 0;
	f->members->calls++; /* the member's half of the lookup, as find_by_id counts it */
	if ((rc = fake_take_fail(&f->members->fail_next, err)))
		return rc;
	if ((m = member_find(f->members, member_id)))
		*out = *m;
	return 0;
}

static int fs_remove(void *self, uow_tx *tx, const char *digest, app_err *err)
{
	fake_sessions *f = self;
	fake_session *s;
	int rc;

	fake_tx_touch(tx, self, &fs_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if ((s = fs_lookup(f, digest)))
		s->live = 0;
	return 0;
}

static int fs_purge(int64_t *removed, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	fake_sessions *f = self;

	fake_tx_touch(tx, self, &fs_rows);
	(void)err;
	*removed = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].live && f->rows[i].expires_at <= now) {
			f->rows[i].live = 0;
			(*removed)++;
		}
	return 0;
}

static int fs_count(int64_t *out, void *self, uow_tx *tx, int64_t now, app_err *err)
{
	fake_sessions *f = self;

	fake_tx_check(tx);
	(void)err;
	*out = 0;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].live && f->rows[i].expires_at > now)
			(*out)++;
	return 0;
}

static int fs_remove_member(void *self, uow_tx *tx, int64_t member_id, const char *keep,
			    app_err *err)
{
	fake_sessions *f = self;
	int rc;

	fake_tx_touch(tx, self, &fs_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].live && f->rows[i].member_id == member_id &&
		    (!keep || strcmp(f->rows[i].digest, keep) != 0))
			f->rows[i].live = 0;
	return 0;
}

/* Newest first is the later row for equal creation times (SQLite breaks those by digest). */
static int fs_prune(void *self, uow_tx *tx, int64_t member_id, const char *keep_digest, int keep,
		    app_err *err)
{
	fake_sessions *f = self;
	fake_session *order[FAKE_CAP];
	size_t n = 0;
	int rc;

	fake_tx_touch(tx, self, &fs_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = f->n; i-- > 0;)
		if (f->rows[i].live && f->rows[i].member_id == member_id &&
		    strcmp(f->rows[i].digest, keep_digest) != 0)
			order[n++] = &f->rows[i];
	/* newest first: a stable insertion sort on created_at, descending */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && order[k]->created_at > order[k - 1]->created_at; k--) {
			fake_session *t = order[k];

			order[k] = order[k - 1];
			order[k - 1] = t;
		}
	for (size_t i = keep > 1 ? (size_t)keep - 1 : 0; i < n; i++)
		order[i]->live = 0;
	return 0;
}

static const session_repo_vtbl fs_vtbl = {
    .insert = fs_insert,
    .find = fs_find,
    .find_member = fs_find_member,
    .remove = fs_remove,
    .purge_expired = fs_purge,
    .count_active = fs_count,
    .remove_member = fs_remove_member,
    .prune = fs_prune,
};

session_repo fake_session_repo(fake_sessions *f)
{
	return (session_repo){.vtbl = &fs_vtbl, .self = f};
}

/* --- ledger --------------------------------------------------------------------------------------
 */

static int fl_append(void *self, uow_tx *tx, ledger_entry *e, app_err *err)
{
	fake_ledger *f = self;
	int rc;

	fake_tx_touch(tx, self, &fl_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (f->n == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	e->id = (int64_t)f->n + 1;
	f->rows[f->n++] = *e;
	return 0;
}

static int fl_find(ledger_entry *out, void *self, uow_tx *tx, int64_t id, app_err *err)
{
	fake_ledger *f = self;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (id < 1 || id > (int64_t)f->n)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no entry");
	*out = f->rows[id - 1];
	return 0;
}

static int fl_list(ledger_entry *out, size_t *n, void *self, uow_tx *tx, int64_t member_id,
		   int64_t before_id, size_t limit, app_err *err)
{
	fake_ledger *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = f->n; i-- > 0 && *n < limit;)
		if (f->rows[i].member_id == member_id &&
		    (before_id <= 0 || f->rows[i].id < before_id))
			out[(*n)++] = f->rows[i];
	return 0;
}

static const ledger_repo_vtbl fl_vtbl = {.append = fl_append, .find = fl_find, .list = fl_list};

ledger_repo fake_ledger_repo(fake_ledger *f)
{
	return (ledger_repo){.vtbl = &fl_vtbl, .self = f};
}

/* --- subscriptions
 * --------------------------------------------------------------------------------- */

static subscription *fsub_find(fake_subscriptions *f, int64_t member_id)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].member_id == member_id)
			return &f->rows[i];
	return NULL;
}

static int fsub_get(subscription *out, void *self, uow_tx *tx, int64_t member_id, app_err *err)
{
	fake_subscriptions *f = self;
	subscription *s;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(s = fsub_find(f, member_id)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "none");
	*out = *s;
	return 0;
}

static int fsub_save(void *self, uow_tx *tx, const subscription *s, app_err *err)
{
	fake_subscriptions *f = self;
	subscription *row;
	int rc;

	fake_tx_touch(tx, self, &fsub_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(row = fsub_find(f, s->member_id))) {
		if (f->n == FAKE_CAP)
			return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
		row = &f->rows[f->n++];
	}
	*row = *s;
	return 0;
}

static int fsub_due(int64_t *ids, size_t *n, void *self, uow_tx *tx, int64_t now, size_t limit,
		    app_err *err)
{
	fake_subscriptions *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; i < f->n && *n < limit; i++)
		if (!f->rows[i].expired && f->rows[i].expires_at <= now)
			ids[(*n)++] = f->rows[i].member_id;
	return 0;
}

static const subscription_repo_vtbl fsub_vtbl = {
    .find = fsub_get,
    .save = fsub_save,
    .list_due = fsub_due,
};

subscription_repo fake_subscription_repo(fake_subscriptions *f)
{
	return (subscription_repo){.vtbl = &fsub_vtbl, .self = f};
}

/* --- idempotency
 * ------------------------------------------------------------------------------------- */

static fake_idem_row *fi_row(fake_idempotency *f, int64_t member_id, const char *scope,
			     const char *key)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->rows[i].member_id == member_id && !strcmp(f->rows[i].scope, scope) &&
		    !strcmp(f->rows[i].key, key))
			return &f->rows[i];
	return NULL;
}

static int fi_find(idem_entry *out, void *self, uow_tx *tx, int64_t member_id, const char *scope,
		   const char *key, app_err *err)
{
	fake_idempotency *f = self;
	fake_idem_row *row;
	int rc;

	fake_tx_check(tx);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(row = fi_row(f, member_id, scope, key)))
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "new key");
	out->result_id = row->result_id;
	snprintf(out->request, sizeof(out->request), "%s", row->request);
	return 0;
}

static int fi_insert(void *self, uow_tx *tx, int64_t member_id, const char *scope, const char *key,
		     const char *request, int64_t result_id, int64_t now, app_err *err)
{
	fake_idempotency *f = self;
	fake_idem_row *row;
	int rc;

	(void)now;
	fake_tx_touch(tx, self, &fi_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (fi_row(f, member_id, scope, key))
		return app_err_set(err, APP_EEXISTS, NULL, NULL, "exists");
	if (f->n == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	row = &f->rows[f->n++];
	row->member_id = member_id;
	row->result_id = result_id;
	snprintf(row->scope, sizeof(row->scope), "%s", scope);
	snprintf(row->key, sizeof(row->key), "%s", key);
	snprintf(row->request, sizeof(row->request), "%s", request);
	return 0;
}

static int fi_complete(void *self, uow_tx *tx, int64_t member_id, const char *scope,
		       const char *key, int64_t result_id, app_err *err)
{
	fake_idempotency *f = self;
	fake_idem_row *row;
	int rc;

	fake_tx_touch(tx, self, &fi_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (!(row = fi_row(f, member_id, scope, key)) || row->result_id != 0)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such key in flight");
	row->result_id = result_id;
	return 0;
}

static int fi_remove(void *self, uow_tx *tx, int64_t member_id, const char *scope, const char *key,
		     app_err *err)
{
	fake_idempotency *f = self;
	fake_idem_row *row;
	int rc;

	fake_tx_touch(tx, self, &fi_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if ((row = fi_row(f, member_id, scope, key)) && row->result_id == 0)
		*row = f->rows[--f->n];
	return 0;
}

static const idempotency_repo_vtbl fi_vtbl = {
    .find = fi_find,
    .insert = fi_insert,
    .complete = fi_complete,
    .remove = fi_remove,
};

idempotency_repo fake_idempotency_repo(fake_idempotency *f)
{
	return (idempotency_repo){.vtbl = &fi_vtbl, .self = f};
}

/* --- unit of work ---------------------------------------------------------------------- */

#define FAKE_TX_MAGIC 0x66616b65u
#define FAKE_TX_SAVED 16

typedef struct fake_saved {
	void *state;
	const fake_rows *rows;
	void *copy; /* the rows as they were before the unit wrote */
} fake_saved;

typedef struct fake_tx {
	uow_tx base; /* first: the handle points here */
	unsigned magic;
	fake_uow *owner;
	fake_saved saved[FAKE_TX_SAVED];
	int nsaved;
} fake_tx;

static fake_tx *fake_tx_of(uow_tx *tx)
{
	fake_tx *t = (fake_tx *)tx;

	assert(t && t->magic == FAKE_TX_MAGIC); /* a handle of an open fake unit */
	return t;
}

void fake_tx_check(uow_tx *tx)
{
	if (tx)
		fake_tx_of(tx);
}

void fake_tx_touch(uow_tx *tx, void *state, const fake_rows *rows)
{
	fake_tx *t = fake_tx_of(tx); /* writes need a unit */
	fake_saved *sv;

	for (int i = 0; i < t->nsaved; i++)
		if (t->saved[i].state == state)
			return;
	assert(t->nsaved < FAKE_TX_SAVED);
	sv = &t->saved[t->nsaved++];
	sv->state = state;
	sv->rows = rows;
	if (!(sv->copy = calloc(1, rows->state_size)))
		abort();
	memcpy(sv->copy, state, rows->size);
	if (rows->copy)
		rows->copy(sv->copy, state);
}

/* Ends the unit: the saved rows go back (rollback) or away (commit). */
static void fake_tx_end(fake_tx *t, int restore)
{
	for (int i = t->nsaved; i-- > 0;) {
		fake_saved *sv = &t->saved[i];

		if (restore) {
			if (sv->rows->release)
				sv->rows->release(sv->state);
			memcpy(sv->state, sv->copy, sv->rows->size);
		} else if (sv->rows->release) {
			sv->rows->release(sv->copy);
		}
		free(sv->copy);
	}
	t->owner->depth--;
	event_list_dispose(&t->base.pending);
	t->magic = 0;
	free(t);
}

static int fu_begin(uow_tx **tx, void *self, app_err *err)
{
	fake_uow *f = self;
	fake_tx *t;
	int rc;

	assert(f->depth == 0); /* units do not nest */
	if ((rc = fake_take_fail(&f->fail_begin, err)))
		return rc;
	if (!(t = calloc(1, sizeof(*t))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	t->magic = FAKE_TX_MAGIC;
	t->owner = f;
	f->begins++;
	f->depth++;
	*tx = &t->base;
	return 0;
}

static int fu_commit(void *self, uow_tx *tx, app_err *err)
{
	fake_uow *f = self;
	fake_tx *t = fake_tx_of(tx);

	if (f->fail_commit && f->pass_commits > 0) {
		f->pass_commits--;
	} else if (f->fail_commit) {
		f->fail_commit = 0;
		fake_tx_end(t, 1); /* a failed COMMIT rolls the unit back */
		return app_err_set(err, APP_EIO, NULL, NULL, "canned commit failure");
	}
	fake_tx_end(t, 0);
	f->commits++;
	return 0;
}

static void fu_rollback(void *self, uow_tx *tx)
{
	fake_uow *f = self;

	fake_tx_end(fake_tx_of(tx), 1);
	f->rollbacks++;
}

static const uow_vtbl fu_vtbl = {
    .begin = fu_begin,
    .commit = fu_commit,
    .rollback = fu_rollback,
};

uow fake_uow_port(fake_uow *f)
{
	return (uow){.vtbl = &fu_vtbl, .self = f};
}

/* --- outbox
 * ------------------------------------------------------------------------------------------------
 */

static fake_mark *mark_find(fake_outbox *f, int64_t event_id, const char *subscriber, int create)
{
	for (size_t i = 0; i < f->nmarks; i++)
		if (f->marks[i].event_id == event_id && !strcmp(f->marks[i].subscriber, subscriber))
			return &f->marks[i];
	if (!create || f->nmarks == sizeof(f->marks) / sizeof(f->marks[0]))
		return NULL;
	f->marks[f->nmarks].event_id = event_id;
	snprintf(f->marks[f->nmarks].subscriber, sizeof(f->marks[0].subscriber), "%s", subscriber);
	return &f->marks[f->nmarks++];
}

static int fo_append(void *self, uow_tx *tx, domain_event *ev, int64_t now, app_err *err)
{
	fake_outbox *f = self;
	int rc;

	fake_tx_touch(tx, self, &fo_rows);
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	if (f->n == FAKE_CAP)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	ev->id = (int64_t)f->n + 1;
	ev->created_at = now;
	return domain_event_copy(&f->events[f->n++], ev);
}

static int fo_pending(domain_event *out, size_t *n, void *self, uow_tx *tx, const char *subscriber,
		      const char *type, int64_t after_id, size_t limit, app_err *err)
{
	fake_outbox *f = self;
	int rc;

	fake_tx_check(tx);
	*n = 0;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	f->last_after = after_id;
	for (size_t i = 0; i < f->n && *n < limit; i++) {
		fake_mark *m = mark_find(f, f->events[i].id, subscriber, 0);

		if (f->events[i].id > after_id && !strcmp(f->events[i].type, type) &&
		    !(m && m->delivered))
			domain_event_copy(&out[(*n)++], &f->events[i]);
	}
	return 0;
}

static int fo_settled_id(int64_t *out, void *self, uow_tx *tx, const char *type, app_err *err)
{
	fake_outbox *f = self;

	fake_tx_check(tx);
	(void)err;
	*out = 0;
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->events[i].type, type) && f->events[i].id > *out)
			*out = f->events[i].id;
	return 0;
}

static int fo_mark_delivered(void *self, uow_tx *tx, int64_t event_id, const char *subscriber,
			     int64_t now, app_err *err)
{
	fake_mark *m;

	fake_tx_touch(tx, self, &fo_rows);
	m = mark_find(self, event_id, subscriber, 1);
	(void)now;
	if (!m)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	m->delivered = 1;
	m->attempts++;
	return 0;
}

static int fo_mark_failed(void *self, uow_tx *tx, int64_t event_id, const char *subscriber,
			  const char *error, int64_t now, app_err *err)
{
	fake_mark *m;

	fake_tx_touch(tx, self, &fo_rows);
	m = mark_find(self, event_id, subscriber, 1);
	(void)now;
	(void)error;
	if (!m)
		return app_err_set(err, APP_EIO, NULL, NULL, "fake full");
	m->attempts++;
	return 0;
}

static int fo_list(domain_event *out, size_t *n, void *self, uow_tx *tx, int64_t after_id,
		   const char *type, size_t limit, app_err *err)
{
	fake_outbox *f = self;

	fake_tx_check(tx);
	(void)err;
	*n = 0;
	for (size_t i = 0; i < f->n && *n < limit; i++)
		if (f->events[i].id > after_id && (!type || !strcmp(f->events[i].type, type)))
			domain_event_copy(&out[(*n)++], &f->events[i]);
	return 0;
}

static int fo_failures(int64_t *out, void *self, uow_tx *tx, app_err *err)
{
	fake_outbox *f = self;

	fake_tx_check(tx);
	(void)err;
	*out = 0;
	for (size_t i = 0; i < f->nmarks; i++)
		*out += f->marks[i].attempts - (f->marks[i].delivered ? 1 : 0);
	return 0;
}

static int fo_pending_count(int64_t *out, void *self, uow_tx *tx, const char *subscriber,
			    const char *type, app_err *err)
{
	fake_outbox *f = self;

	fake_tx_check(tx);
	(void)err;
	*out = 0;
	for (size_t i = 0; i < f->n; i++) {
		fake_mark *m = mark_find(f, f->events[i].id, subscriber, 0);

		if (!strcmp(f->events[i].type, type) && !(m && m->delivered))
			(*out)++;
	}
	return 0;
}

static const outbox_port_vtbl fo_vtbl = {
    .append = fo_append,
    .pending = fo_pending,
    .settled_id = fo_settled_id,
    .mark_delivered = fo_mark_delivered,
    .mark_failed = fo_mark_failed,
    .list = fo_list,
    .failures = fo_failures,
    .pending_count = fo_pending_count,
};

outbox_port fake_outbox_port(fake_outbox *f)
{
	return (outbox_port){.vtbl = &fo_vtbl, .self = f};
}

void fake_outbox_dispose(fake_outbox *f)
{
	for (size_t i = 0; i < f->n; i++)
		domain_event_dispose(&f->events[i]);
	f->n = 0;
}

size_t fake_outbox_count(const fake_outbox *f, const char *type)
{
	size_t c = 0;

	for (size_t i = 0; i < f->n; i++)
		if (!type || !strcmp(f->events[i].type, type))
			c++;
	return c;
}

static int fp_publish(void *self, uow_tx *tx, domain_event *ev, app_err *err)
{
	return fo_append(self, tx, ev, 0, err);
}

static const event_publisher_vtbl fp_vtbl = {.publish = fp_publish};

event_publisher fake_publisher(fake_outbox *f)
{
	return (event_publisher){.vtbl = &fp_vtbl, .self = f};
}

/* --- clock, crypto, payments, limiter
 * ------------------------------------------------------------------------- */

static int64_t fc_now(void *self)
{
	return ((fake_clock *)self)->now;
}

static const clock_port_vtbl fc_vtbl = {.now_ms = fc_now};

clock_port fake_clock_port(fake_clock *f)
{
	return (clock_port){.vtbl = &fc_vtbl, .self = f};
}

static int fcr_hash(char out[CRYPTO_HASH_MAX], void *self, const char *password, app_err *err)
{
	fake_crypto *f = self;
	int rc;

	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	f->hashes++;
	snprintf(out, CRYPTO_HASH_MAX, "hash:%s", password);
	return 0;
}

static int fcr_verify(void *self, const char *hash, const char *password, app_err *err)
{
	fake_crypto *f = self;
	int rc;

	if ((rc = fake_take_fail(&f->fail_verify_next, err)))
		return rc;
	f->verifies++;
	return strncmp(hash, "hash:", 5) == 0 && strcmp(hash + 5, password) == 0;
}

static int fcr_token(char out[CRYPTO_TOKEN_MAX], void *self, app_err *err)
{
	fake_crypto *f = self;

	(void)err;
	snprintf(out, CRYPTO_TOKEN_MAX, "token-%d", ++f->tokens);
	return 0;
}

static void fcr_digest(char out[CRYPTO_DIGEST_HEX], void *self, const char *token)
{
	(void)self;
	snprintf(out, CRYPTO_DIGEST_HEX, "digest-%s", token);
}

/* Two FNV-1a hashes of the bytes as 32 hex digits: stable, and not the bytes. */
static void fcr_hash_hex(char out[CRYPTO_KEYED_HEX], const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t a = 1469598103934665603ULL, b = 0x9E3779B97F4A7C15ULL;

	for (size_t i = 0; i < len; i++) {
		a = (a ^ p[i]) * 1099511628211ULL;
		b = (b ^ p[i]) * 0x100000001B3ULL + 7;
	}
	snprintf(out, CRYPTO_KEYED_HEX, "%016llx%016llx", (unsigned long long)a,
		 (unsigned long long)b);
}

/* Stable, and not the text (which a real key would also hide). */
static void fcr_keyed(char out[CRYPTO_KEYED_HEX], void *self, const char *text)
{
	(void)self;
	fcr_hash_hex(out, text, strlen(text));
}

/* The bytes' two hashes twice over with the length: 64 hex digits, as SHA-256 has. */
static void fcr_content(char out[CRYPTO_DIGEST_HEX], void *self, const void *data, size_t len)
{
	char h[CRYPTO_KEYED_HEX];

	(void)self;
	fcr_hash_hex(h, data, len);
	snprintf(out, CRYPTO_DIGEST_HEX, "%s%016zx%016zx", h, len, len ^ 0x5bd1e995u);
}

static const crypto_port_vtbl fcr_vtbl = {
    .password_hash = fcr_hash,
    .password_verify = fcr_verify,
    .token_new = fcr_token,
    .token_digest = fcr_digest,
    .keyed_digest = fcr_keyed,
    .content_digest = fcr_content,
};

crypto_port fake_crypto_port(fake_crypto *f)
{
	return (crypto_port){.vtbl = &fcr_vtbl, .self = f};
}

static int fpay_charge(char ref[PAYMENT_REF_MAX], void *self, int64_t member_id, int64_t amount,
		       const char *key, app_err *err)
{
	fake_payments *f = self;
	int rc;

	if (f->uow && f->uow->depth)
		f->charged_in_unit++;
	if ((rc = fake_take_fail(&f->fail_next, err)))
		return rc;
	for (size_t i = 0; key && i < f->nkeys && i < FAKE_PAYMENT_KEYS; i++)
		if (!strcmp(f->keys[i].key, key)) {
			snprintf(ref, PAYMENT_REF_MAX, "%s", f->keys[i].ref);
			return 0;
		}
	f->charges++;
	f->charged += amount;
	snprintf(ref, PAYMENT_REF_MAX, "fake-%lld-%d", (long long)member_id, f->charges);
	if (key) {
		size_t i = f->nkeys++ % FAKE_PAYMENT_KEYS;

		snprintf(f->keys[i].key, sizeof(f->keys[i].key), "%s", key);
		snprintf(f->keys[i].ref, sizeof(f->keys[i].ref), "%s", ref);
	}
	return 0;
}

static const payment_port_vtbl fpay_vtbl = {.charge = fpay_charge};

payment_port fake_payment_port(fake_payments *f)
{
	return (payment_port){.vtbl = &fpay_vtbl, .self = f};
}

static fake_limiter_row *flim_row(fake_limiter *f, const char *key, int create)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->rows[i].key, key))
			return &f->rows[i];
	if (!create || f->n == FAKE_LIMITER_ROWS)
		return NULL;
	snprintf(f->rows[f->n].key, sizeof(f->rows[0].key), "%s", key);
	f->rows[f->n].n = 0;
	return &f->rows[f->n++];
}

/* Hits of r within window at now; *oldest the earliest of them. */
static int flim_count(const fake_limiter_row *r, int64_t now, int64_t window, int64_t *oldest)
{
	int c = 0;

	for (int i = 0; r && i < r->n; i++)
		if (r->at[i] > now - window) {
			if (!c || r->at[i] < *oldest)
				*oldest = r->at[i];
			c++;
		}
	return c;
}

/* The exact sliding window the system adapter approximates (never for less than window). */
static int flim_take(void *self, const limiter_rule *rules, size_t n, int64_t now,
		     int64_t *retry_after_ms)
{
	fake_limiter *f = self;

	*retry_after_ms = 0;
	f->takes++;
	for (size_t k = 0; k < n; k++) {
		int64_t oldest = 0;

		if (flim_count(flim_row(f, rules[k].key, 0), now, rules[k].window_ms, &oldest) >=
		    rules[k].max) {
			*retry_after_ms = oldest + rules[k].window_ms - now;
			return (int)k + 1;
		}
	}
	for (size_t k = 0; k < n; k++) {
		fake_limiter_row *r = flim_row(f, rules[k].key, 1);

		if (r && r->n < FAKE_LIMITER_HITS)
			r->at[r->n++] = now;
	}
	return 0;
}

static void flim_give_back(void *self, const char *key, int64_t taken_at)
{
	fake_limiter_row *r = flim_row(self, key, 0);

	for (int i = 0; r && i < r->n; i++)
		if (r->at[i] == taken_at) {
			r->at[i] = r->at[--r->n];
			return;
		}
}

static void flim_reset(void *self, const char *key)
{
	fake_limiter_row *r = flim_row(self, key, 0);

	if (r)
		r->n = 0;
}

static const limiter_port_vtbl flim_vtbl = {
    .take = flim_take,
    .give_back = flim_give_back,
    .reset = flim_reset,
};

limiter_port fake_limiter_port(fake_limiter *f)
{
	return (limiter_port){.vtbl = &flim_vtbl, .self = f};
}

/* --- a whole world
 * ---------------------------------------------------------------------------------------------- */

fake_world *fake_world_new(const members_config *cfg)
{
	fake_world *w = calloc(1, sizeof(*w));
	members_deps d;

	if (!w)
		abort();
	w->clock.now = 1767225600000LL; /* 2026-01-01T00:00:00Z */
	w->payments.uow = &w->uow;
	w->sessions.members = &w->members;
	d = (members_deps){
	    .members = fake_member_repo(&w->members),
	    .sessions = fake_session_repo(&w->sessions),
	    .ledger = fake_ledger_repo(&w->ledger),
	    .subscriptions = fake_subscription_repo(&w->subs),
	    .idempotency = fake_idempotency_repo(&w->idem),
	    .uow = fake_uow_port(&w->uow),
	    .events = fake_publisher(&w->outbox),
	    .clock = fake_clock_port(&w->clock),
	    .crypto = fake_crypto_port(&w->crypto),
	    .payments = fake_payment_port(&w->payments),
	    .limiter = fake_limiter_port(&w->limiter),
	    .orders = fake_order_repo(&w->orders),
	    .tokens = fake_account_token_repo(&w->tokens),
	    .mail = fake_account_mail_port(&w->mails),
	};
	if (payment_dev_gateway_new(&w->gateway, NULL))
		abort();
	d.gateway = w->gateway;
	members_service_init(&w->svc, &d, cfg);
	return w;
}

void fake_world_free(fake_world *w)
{
	if (!w)
		return;
	fake_outbox_dispose(&w->outbox);
	payment_gateway_destroy(&w->gateway);
	free(w);
}
