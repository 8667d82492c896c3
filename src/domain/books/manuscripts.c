#include "domain/books/manuscripts.h"

#include <stdlib.h>
#include <string.h>

#include "domain/books/book.h"
#include "domain/common/text.h"

void manuscripts_service_init(manuscripts_service *svc, const manuscripts_deps *deps)
{
	svc->d = *deps;
}

static int64_t now_ms(manuscripts_service *svc)
{
	return clock_now_ms(&svc->d.clock);
}

static int not_found(app_err *err)
{
	return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such manuscript");
}

static int not_draft(const manuscript *m, app_err *err)
{
	return app_err_set(err, APP_ECONFLICT, "not_draft", NULL,
			   "the manuscript is %s, not a draft", manuscript_status_name(m->status));
}

int manuscripts_validate(char **title_out, const char *title, const char *content,
			 size_t content_len, app_err *err)
{
	char t[MANUSCRIPT_TITLE_BYTES];
	int rc;

	*title_out = NULL;
	if (title && strlen(title) > sizeof(t) + 1024) /* no copy of a huge one to trim */
		return app_err_set(err, APP_EINVALID, "validation_failed", "title",
				   "title must have 1 to %d characters", MANUSCRIPT_TITLE_MAX);
	if ((rc = manuscript_title(t, sizeof(t), title, err)))
		return rc;
	if (content_len > MANUSCRIPT_CONTENT_MAX)
		return app_err_set(err, APP_EINVALID, NULL, "content",
				   "content must be at most %d bytes", MANUSCRIPT_CONTENT_MAX);
	if (content_len && !text_utf8_valid(content, content_len))
		return app_err_set(err, APP_EINVALID, NULL, "content",
				   "content is not valid UTF-8");
	if (!(*title_out = strdup(t)))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	return 0;
}

/* Builds the revision row for the state m has just been saved in. */
static void revision_of(manuscript_revision *r, const manuscript *m)
{
	memset(r, 0, sizeof(*r));
	r->manuscript_id = m->id;
	r->revision = m->revision;
	memcpy(r->title, m->title, sizeof(r->title));
	r->content = m->content;
	r->content_len = m->content_len;
	r->chars = (int64_t)text_utf8_chars(m->content, m->content_len);
	r->saved_at = m->updated_at;
}

/* Copies the accepted fields into m: the trimmed title and a copy of the content. */
static int take_text(manuscript *m, const char *title, const char *content, size_t content_len,
		     app_err *err)
{
	char *c = malloc(content_len + 1);

	if (!c)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if (content_len)
		memcpy(c, content, content_len);
	c[content_len] = '\0';
	free(m->content);
	m->content = c;
	m->content_len = content_len;
	memset(m->title, 0, sizeof(m->title));
	memcpy(m->title, title, strlen(title) + 1);
	return 0;
}

/* The work a new episode continues must be one of the author's. */
static int check_work(manuscripts_service *svc, uow_tx *tx, const manuscripts_new *req,
		      app_err *err)
{
	book *b;
	int rc;

	if (!req->book_id)
		return 0;
	if (req->serial || req->book_id < 0)
		return app_err_set(err, APP_EINVALID, "validation_failed", "bookId",
				   "a work's next episode cannot start a new work");
	if (!(b = malloc(sizeof(*b))))
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	rc = book_repo_find(b, &svc->d.books, tx, req->book_id, err);
	if (rc == APP_ENOTFOUND || (rc == 0 && b->author_id != req->author_id))
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "bookId",
				 "bookId must be a work of yours");
	free(b);
	return rc;
}

/*
 * A later episode is submitted once its work is on sale: a proof (review
 * mode) answers APP_ECONFLICT "not_accepted" until its author accepts it.
 */
static int work_on_sale(manuscripts_service *svc, uow_tx *tx, int64_t book_id, app_err *err)
{
	book *b = malloc(sizeof(*b));
	int rc;

	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	rc = book_repo_find(b, &svc->d.books, tx, book_id, err);
	if (rc == 0 && b->proof)
		rc = app_err_set(err, APP_ECONFLICT, "not_accepted", "bookId",
				 "the work is still a proof: accept it, then submit its next "
				 "episodes");
	free(b);
	return rc;
}

/*
 * The tail of a write of m's text in tx: unless rc already failed, its
 * revision is kept and the unit committed (else rolled back); m is handed to
 * out (when given) on success.
 */
static int commit_revision(manuscript *out, manuscript *m, manuscripts_service *svc, uow_tx *tx,
			   int rc, app_err *err)
{
	manuscript_revision rev;

	if (rc == 0) {
		revision_of(&rev, m);
		rc = manuscript_repo_add_revision(&svc->d.manuscripts, tx, &rev,
						  MANUSCRIPT_REVISIONS_KEPT, err);
	}
	if ((rc = uow_finish(tx, rc, err)) == 0 && out) {
		*out = *m;
		memset(m, 0, sizeof(*m));
	}
	return rc;
}

int manuscripts_create(manuscript *out, manuscripts_service *svc, int64_t author_id, int is_author,
		       const char *title, const char *content, size_t content_len, app_err *err)
{
	manuscripts_new req = {author_id, is_author, title, content, content_len, 0, 0};

	return manuscripts_start(out, svc, &req, err);
}

int manuscripts_start(manuscript *out, manuscripts_service *svc, const manuscripts_new *req,
		      app_err *err)
{
	size_t content_len = req->content ? req->content_len : 0;
	manuscript m;
	char *t = NULL;
	uow_tx *tx = NULL;
	int rc;

	memset(&m, 0, sizeof(m));
	if (!req->is_author)
		return app_err_set(err, APP_EFORBIDDEN, "not_author", NULL,
				   "only authors write manuscripts; apply to become one");
	if ((rc = manuscripts_validate(&t, req->title, req->content, content_len, err)))
		return rc;
	if ((rc = take_text(&m, t, req->content, content_len, err)))
		goto out;
	m.author_id = req->author_id;
	m.revision = 1;
	m.status = MANUSCRIPT_DRAFT;
	m.serial = req->serial != 0;
	m.book_id = req->book_id;
	m.created_at = m.updated_at = now_ms(svc);

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		goto out;
	if ((rc = check_work(svc, tx, req, err)) == 0)
		rc = manuscript_repo_insert(&svc->d.manuscripts, tx, &m, err);
	rc = commit_revision(out, &m, svc, tx, rc, err);
out:
	free(t);
	manuscript_dispose(&m);
	return rc;
}

int manuscripts_list(manuscript *out, size_t *n, int64_t *next_before, manuscripts_service *svc,
		     int64_t author_id, int is_author, int64_t before_id, size_t limit,
		     app_err *err)
{
	int rc;

	*n = 0;
	*next_before = 0;
	if (!is_author)
		return app_err_set(err, APP_EFORBIDDEN, "not_author", NULL,
				   "only authors have manuscripts");
	rc = manuscript_repo_list(out, n, &svc->d.manuscripts, NULL, author_id, before_id, limit,
				  err);
	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].id : 0;
	return 0;
}

/* Loads manuscript id if member_id owns it; anyone else's is "not found". */
static int owned(manuscript *out, manuscripts_service *svc, uow_tx *tx, int64_t member_id,
		 int64_t id, int with_content, app_err *err)
{
	int rc = manuscript_repo_find(out, &svc->d.manuscripts, tx, id, with_content, err);

	if (rc == APP_ENOTFOUND)
		return not_found(err);
	if (rc)
		return rc;
	if (out->author_id != member_id) {
		manuscript_dispose(out);
		return not_found(err);
	}
	return 0;
}

int manuscripts_get(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
		    app_err *err)
{
	return owned(out, svc, NULL, member_id, id, 1, err);
}

int manuscripts_check_owner(manuscripts_service *svc, int64_t member_id, int64_t id, app_err *err)
{
	manuscript m;
	int rc = owned(&m, svc, NULL, member_id, id, 0, err);

	if (rc == 0)
		manuscript_dispose(&m);
	return rc;
}

static int revision_conflict(int64_t current, app_err *err)
{
	app_err_set(err, APP_ECONFLICT, "revision_conflict", "revision",
		    "the manuscript was saved elsewhere; the current revision is %lld",
		    (long long)current);
	app_err_extra(err, "currentRevision", current);
	return APP_ECONFLICT;
}

int manuscripts_save(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
		     const char *title, const char *content, size_t content_len, int64_t revision,
		     app_err *err)
{
	manuscript m;
	char *t = NULL;
	uow_tx *tx = NULL;
	int rc;

	memset(&m, 0, sizeof(m));
	if (!content)
		content_len = 0;
	if ((rc = manuscripts_validate(&t, title, content, content_len, err)))
		return rc;
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		goto out;
	if ((rc = owned(&m, svc, tx, member_id, id, 0, err)))
		goto fail;
	if (m.status != MANUSCRIPT_DRAFT) {
		rc = not_draft(&m, err);
		goto fail;
	}
	if (m.revision != revision) {
		rc = revision_conflict(m.revision, err);
		goto fail;
	}
	if ((rc = take_text(&m, t, content, content_len, err)))
		goto fail;
	m.revision = revision + 1;
	m.updated_at = now_ms(svc);
	rc = manuscript_repo_save_draft(&svc->d.manuscripts, tx, &m, revision, err);
	if (rc == APP_ECONFLICT) { /* a writer got in between: tell the current revision */
		manuscript cur;

		/* the lookup that fails is the answer: no conflict is made up without it */
		if ((rc = manuscript_repo_find(&cur, &svc->d.manuscripts, tx, id, 0, err)) == 0) {
			rc = cur.status == MANUSCRIPT_DRAFT ? revision_conflict(cur.revision, err)
							    : not_draft(&cur, err);
			manuscript_dispose(&cur);
		}
	}
	rc = commit_revision(out, &m, svc, tx, rc, err);
	goto out;
fail:
	uow_rollback(tx);
out:
	free(t);
	manuscript_dispose(&m);
	return rc;
}

int manuscripts_delete(manuscripts_service *svc, int64_t member_id, int64_t id, app_err *err)
{
	manuscript m;
	uow_tx *tx = NULL;
	int rc;

	memset(&m, 0, sizeof(m));
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = owned(&m, svc, tx, member_id, id, 0, err)))
		goto fail;
	if (m.status != MANUSCRIPT_DRAFT) {
		rc = not_draft(&m, err);
		goto fail;
	}
	if ((rc = manuscript_repo_remove(&svc->d.manuscripts, tx, id, err)))
		goto fail;
	rc = uow_commit(tx, err);
	goto out;
fail:
	uow_rollback(tx);
out:
	manuscript_dispose(&m);
	return rc;
}

/* Moves m (loaded, in from) to its new status and stores it, guarded by from. */
static int store_status(manuscripts_service *svc, uow_tx *tx, manuscript *m, manuscript_status from,
			app_err *err)
{
	int rc;

	m->updated_at = now_ms(svc);
	rc = manuscript_repo_set_status(&svc->d.manuscripts, tx, m, from, err);
	if (rc == APP_ECONFLICT)
		rc = app_err_set(err, APP_ECONFLICT, NULL, NULL,
				 "the manuscript changed status meanwhile");
	return rc;
}

static int submitted_event(manuscripts_service *svc, uow_tx *tx, const manuscript *m, int retry,
			   app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "manuscript.submitted");
	domain_event_add_int(&ev, "manuscriptId", m->id);
	domain_event_add_int(&ev, "authorId", m->author_id);
	domain_event_add_str(&ev, "title", m->title);
	if (m->book_id) { /* a later episode of a work, its number reserved */
		domain_event_add_int(&ev, "bookId", m->book_id);
		domain_event_add_int(&ev, "episode", m->episode_number);
	}
	if (retry)
		domain_event_add_bool(&ev, "retry", 1);
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/* The next episode number of the work m continues, in tx. */
static int reserve_number(manuscript *m, manuscripts_service *svc, uow_tx *tx, app_err *err)
{
	int64_t episodes = 0, reserved = 0;
	int rc;

	if ((rc = episode_repo_last_number(&episodes, &svc->d.episodes, tx, m->book_id, 0, err)) ||
	    (rc =
		 manuscript_repo_last_episode(&reserved, &svc->d.manuscripts, tx, m->book_id, err)))
		return rc;
	m->episode_number = (episodes > reserved ? episodes : reserved) + 1;
	return 0;
}

int manuscripts_submit(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
		       app_err *err)
{
	return manuscripts_submit_at(out, svc, member_id, id, 0, err);
}

int manuscripts_submit_at(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
			  int64_t publish_at, app_err *err)
{
	manuscript m;
	uow_tx *tx = NULL;
	int rc;

	memset(&m, 0, sizeof(m));
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = owned(&m, svc, tx, member_id, id, 1, err)))
		goto fail;
	if (m.status != MANUSCRIPT_DRAFT) {
		rc = not_draft(&m, err);
		goto fail;
	}
	if (text_utf8_chars(m.content, m.content_len) < MANUSCRIPT_SUBMIT_MIN) {
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "content",
				 "a manuscript needs at least %d characters to be submitted",
				 MANUSCRIPT_SUBMIT_MIN);
		goto fail;
	}
	if (publish_at && !m.book_id) {
		rc = app_err_set(err, APP_EINVALID, "validation_failed", "publishAt",
				 "only a work's later episodes are scheduled");
		goto fail;
	}
	if (publish_at && (rc = book_schedule_check(publish_at, now_ms(svc), err)))
		goto fail;
	m.publish_at = publish_at;
	m.episode_number = 1; /* a work's first; a later episode takes the next number */
	if (m.book_id && ((rc = work_on_sale(svc, tx, m.book_id, err)) ||
			  (rc = reserve_number(&m, svc, tx, err))))
		goto fail;
	m.status = MANUSCRIPT_SUBMITTED;
	if ((rc = store_status(svc, tx, &m, MANUSCRIPT_DRAFT, err)))
		goto fail;
	if ((rc = submitted_event(svc, tx, &m, 0, err)))
		goto fail;
	if ((rc = uow_commit(tx, err)))
		goto out;
	if (out) {
		*out = m;
		return 0;
	}
	goto out;
fail:
	uow_rollback(tx);
out:
	manuscript_dispose(&m);
	return rc;
}

int manuscripts_retry(manuscript *out, manuscripts_service *svc, int64_t member_id, int64_t id,
		      app_err *err)
{
	manuscript m;
	uow_tx *tx = NULL;
	int rc;

	memset(&m, 0, sizeof(m));
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = owned(&m, svc, tx, member_id, id, 1, err)))
		goto fail;
	if (m.status != MANUSCRIPT_FAILED) {
		rc = app_err_set(err, APP_ECONFLICT, "not_failed", NULL,
				 "the manuscript is %s; only a failed one can be retried",
				 manuscript_status_name(m.status));
		goto fail;
	}
	m.status = MANUSCRIPT_SUBMITTED;
	free(m.error);
	m.error = NULL;
	if ((rc = store_status(svc, tx, &m, MANUSCRIPT_FAILED, err)))
		goto fail;
	if ((rc = submitted_event(svc, tx, &m, 1, err)))
		goto fail;
	if ((rc = uow_commit(tx, err)))
		goto out;
	if (out) {
		*out = m;
		return 0;
	}
	goto out;
fail:
	uow_rollback(tx);
out:
	manuscript_dispose(&m);
	return rc;
}

int manuscripts_revisions(manuscript_revision *out, size_t *n, int64_t *next_before,
			  manuscripts_service *svc, int64_t member_id, int64_t id,
			  int64_t before_revision, size_t limit, app_err *err)
{
	manuscript m;
	int rc;

	*n = 0;
	*next_before = 0;
	if ((rc = owned(&m, svc, NULL, member_id, id, 0, err)))
		return rc;
	manuscript_dispose(&m);
	rc = manuscript_repo_list_revisions(out, n, &svc->d.manuscripts, NULL, id, before_revision,
					    limit, err);
	if (rc)
		return rc;
	*next_before = *n == limit && limit > 0 ? out[*n - 1].revision : 0;
	return 0;
}

int manuscripts_revision(manuscript_revision *out, manuscripts_service *svc, int64_t member_id,
			 int64_t id, int64_t revision, app_err *err)
{
	manuscript m;
	int rc;

	if ((rc = owned(&m, svc, NULL, member_id, id, 0, err)))
		return rc;
	manuscript_dispose(&m);
	rc = manuscript_repo_find_revision(out, &svc->d.manuscripts, NULL, id, revision, err);
	if (rc == APP_ENOTFOUND)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such revision");
	return rc;
}

int manuscripts_load_in(manuscript *out, manuscripts_service *svc, uow_tx *tx, int64_t id,
			app_err *err)
{
	int rc = manuscript_repo_find(out, &svc->d.manuscripts, tx, id, 1, err);

	return rc == APP_ENOTFOUND ? not_found(err) : rc;
}

int manuscripts_load(manuscript *out, manuscripts_service *svc, int64_t id, app_err *err)
{
	return manuscripts_load_in(out, svc, NULL, id, err);
}

/* The length of at most max bytes of s, cut at a character boundary. */
static size_t cut_utf8(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return len;
	len = max;
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
		len--;
	return len;
}

/* A pipeline state change in the unit tx: idempotent for the state already reached. */
static int mark(manuscripts_service *svc, uow_tx *tx, int64_t id, manuscript_status to,
		int64_t book_id, const char *error, app_err *err)
{
	manuscript m;
	manuscript_status from;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = manuscript_repo_find(&m, &svc->d.manuscripts, tx, id, 0, err);
	if (rc == APP_ENOTFOUND)
		rc = not_found(err);
	if (rc)
		goto out;
	if (m.status == to) { /* already there: nothing to write */
		if (to == MANUSCRIPT_PUBLISHED && m.book_id != book_id)
			rc = app_err_set(err, APP_ECONFLICT, NULL, NULL,
					 "the manuscript is published as another book");
		goto out;
	}
	if (!manuscript_can_transition(m.status, to)) {
		rc = app_err_set(err, APP_ECONFLICT, NULL, NULL, "a %s manuscript cannot become %s",
				 manuscript_status_name(m.status), manuscript_status_name(to));
		goto out;
	}
	from = m.status;
	m.status = to;
	if (to == MANUSCRIPT_PUBLISHED)
		m.book_id = book_id;
	if (to == MANUSCRIPT_FAILED) {
		size_t len = cut_utf8(error, MANUSCRIPT_ERROR_MAX);

		free(m.error);
		if (!(m.error = malloc(len + 1))) {
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
			goto out;
		}
		memcpy(m.error, error, len);
		m.error[len] = '\0';
	}
	rc = store_status(svc, tx, &m, from, err);
out:
	manuscript_dispose(&m);
	return rc;
}

/* mark() in a unit of its own. */
static int mark_unit(manuscripts_service *svc, int64_t id, manuscript_status to, int64_t book_id,
		     const char *error, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, mark(svc, tx, id, to, book_id, error, err), err);
}

static const char *error_or_default(const char *error)
{
	return error && *error ? error : "generation failed";
}

int manuscripts_mark_generating(manuscripts_service *svc, int64_t id, app_err *err)
{
	return mark_unit(svc, id, MANUSCRIPT_GENERATING, 0, NULL, err);
}

int manuscripts_mark_generating_in(manuscripts_service *svc, uow_tx *tx, int64_t id, app_err *err)
{
	return mark(svc, tx, id, MANUSCRIPT_GENERATING, 0, NULL, err);
}

int manuscripts_mark_published(manuscripts_service *svc, int64_t id, int64_t book_id, app_err *err)
{
	if (book_id <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "bookId", "a book id is required");
	return mark_unit(svc, id, MANUSCRIPT_PUBLISHED, book_id, NULL, err);
}

int manuscripts_mark_published_in(manuscripts_service *svc, uow_tx *tx, int64_t id, int64_t book_id,
				  app_err *err)
{
	if (book_id <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "bookId", "a book id is required");
	return mark(svc, tx, id, MANUSCRIPT_PUBLISHED, book_id, NULL, err);
}

int manuscripts_mark_failed(manuscripts_service *svc, int64_t id, const char *error, app_err *err)
{
	return mark_unit(svc, id, MANUSCRIPT_FAILED, 0, error_or_default(error), err);
}

int manuscripts_mark_failed_in(manuscripts_service *svc, uow_tx *tx, int64_t id, const char *error,
			       app_err *err)
{
	return mark(svc, tx, id, MANUSCRIPT_FAILED, 0, error_or_default(error), err);
}
