/* The library that leaves the site: an owned work as a DRM-free EPUB. */
#include "domain/reader/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/reader/reader_internal.h"

/* What goes into the e-book: what the member owns for good, and the free episodes. */
static int kept(book_access_reason r)
{
	return r == BOOK_ACCESS_OWNED || r == BOOK_ACCESS_WAIT_FREE || r == BOOK_ACCESS_FREE ||
	       r == BOOK_ACCESS_AUTHOR || r == BOOK_ACCESS_ADMIN;
}

static int owns_some(const work_view *w)
{
	for (size_t i = 0; i < w->n; i++) {
		book_access_reason r = w->v[i].access.reason;

		if (w->v[i].access.can_read && r != BOOK_ACCESS_FREE &&
		    r != BOOK_ACCESS_SUBSCRIPTION)
			return 1;
	}
	return 0;
}

/* The chapters of w that go in, their texts loaded (texts[i] malloc'd, the caller frees). */
static int chapters_of(ebook_chapter *ch, char **texts, size_t *n, reader_service *svc,
		       const work_view *w, app_err *err)
{
	*n = 0;
	for (size_t i = 0; i < w->n; i++) {
		size_t len;
		int rc;

		if (!w->v[i].access.can_read || !kept(w->v[i].access.reason))
			continue;
		if ((rc = episode_repo_content(&texts[*n], &len, &svc->d.episodes, NULL, w->b.id,
					       w->v[i].e.number, err)))
			return rc;
		ch[*n] = (ebook_chapter){
		    .number = w->v[i].e.number, .title = w->v[i].e.title, .text = texts[*n]};
		(*n)++;
	}
	return 0;
}

static int write_book(void **out, size_t *len, reader_service *svc, const work_view *w,
		      const ebook_chapter *ch, size_t n, const char *buyer, const char *lang,
		      app_err *err)
{
	unsigned char *cover = NULL;
	size_t cover_len = 0;
	char mime[32] = "", etag[48], id[64];
	ebook_doc d;
	int rc = books_cover(&cover, &cover_len, mime, etag, svc->d.books, w->b.id,
			     BOOK_COVER_ORIGINAL, err);

	if (rc == APP_ENOTFOUND) { /* a work without a cover is still a book */
		app_err_clear(err);
		rc = 0;
	}
	if (rc)
		return rc;
	snprintf(id, sizeof(id), "urn:walking-library:book:%lld", (long long)w->b.id);
	d = (ebook_doc){.identifier = id,
			.title = w->b.title,
			.author = w->b.author_name,
			.lang = lang,
			.buyer = buyer,
			.summary = w->b.summary,
			.cover = cover,
			.cover_len = cover_len,
			.cover_mime = mime,
			.modified = w->b.updated_at ? w->b.updated_at : w->b.published_at,
			.chapters = ch,
			.n = n};
	rc = ebook_write_epub(out, len, &svc->d.ebooks, &d, err);
	free(cover);
	return rc;
}

int reader_service_epub(void **out, size_t *len, size_t *episodes, reader_service *svc,
			const books_reader *who, const char *buyer, const char *lang,
			int64_t book_id, app_err *err)
{
	ebook_chapter *ch = NULL;
	char **texts = NULL;
	size_t n = 0;
	work_view w;
	int rc;

	*out = NULL;
	*len = *episodes = 0;
	if ((rc = reader_gather(&w, svc, who, book_id, err)))
		return rc;
	if (!owns_some(&w)) {
		rc = app_err_set(err, APP_EFORBIDDEN, "purchase_required", NULL,
				 "buy the work or one of its episodes to download it");
		goto out;
	}
	if (!(ch = calloc(w.n, sizeof(*ch))) || !(texts = calloc(w.n, sizeof(*texts)))) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if ((rc = chapters_of(ch, texts, &n, svc, &w, err)) ||
	    (rc = write_book(out, len, svc, &w, ch, n, buyer, lang, err)))
		goto out;
	*episodes = n;
out:
	for (size_t i = 0; texts && i < n; i++)
		free(texts[i]);
	free(texts);
	free(ch);
	reader_work_dispose(&w);
	return rc;
}
