/*
 * A work's cover: the image as the generator or the author gave it, and its
 * PNG renditions (600 x 900 for link previews, 300 x 450 for lists) made
 * through the image scaler when the generator sent none. An author's upload
 * is decoded completely through the image inspector before anything is kept.
 * Covers stored before renditions get theirs from books_cover_renditions.
 */
#include "domain/books/books.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/books/books_internal.h"
#include "ports/image_generator.h"

void books_cover_etag(char out[48], books_service *svc, const unsigned char *data, size_t len)
{
	char d[CRYPTO_DIGEST_HEX];

	/* a strong validator: 128 bits of the content's digest */
	crypto_content_digest(d, &svc->d.crypto, data, len);
	snprintf(out, 48, "\"%.32s\"", d);
}

int books_cover(unsigned char **data, size_t *len, char mime[32], char etag[48], books_service *svc,
		int64_t id, book_cover_size size, app_err *err)
{
	return book_repo_cover(data, len, mime, etag, &svc->d.books, NULL, id, size, err);
}

static int is_raster(const char *mime)
{
	return mime && (!strcmp(mime, "image/png") || !strcmp(mime, "image/jpeg"));
}

/*
 * Fills the renditions files lacks by scaling its raster image (*full and
 * *thumb hold what was made; the caller frees them). An SVG, or no scaler,
 * leaves them missing.
 */
static int scale_missing(book_cover_files *files, unsigned char **full, unsigned char **thumb,
			 books_service *svc, const image_limits *lim, app_err *err)
{
	const image_scaler *s = &svc->d.scaler;
	int rc = 0;

	*full = *thumb = NULL;
	if (!s->vtbl || !is_raster(files->mime))
		return 0;
	if (!files->full &&
	    !(rc = image_scaler_cover_png(full, &files->full_len, s, files->data, files->len, lim,
					  AIGEN_COVER_FULL_W, AIGEN_COVER_FULL_H, err)))
		files->full = *full;
	if (!rc && !files->thumb &&
	    !(rc = image_scaler_cover_png(thumb, &files->thumb_len, s, files->data, files->len, lim,
					  AIGEN_COVER_THUMB_W, AIGEN_COVER_THUMB_H, err)))
		files->thumb = *thumb;
	return rc;
}

int books_cover_store_in(books_service *svc, uow_tx *tx, const book *b,
			 const books_publish_req *req, app_err *err)
{
	book_cover_files files = {
	    .data = req->cover,
	    .len = req->cover_len,
	    .mime = b->cover_mime,
	    .etag = b->cover_etag,
	    .full = req->png_full,
	    .full_len = req->png_full_len,
	    .thumb = req->png_thumb,
	    .thumb_len = req->png_thumb_len,
	};
	unsigned char *full, *thumb;
	int rc = scale_missing(&files, &full, &thumb, svc, NULL, err);

	if (rc == 0 && (files.full || files.thumb))
		rc = book_repo_set_cover(&svc->d.books, tx, b->id, &files, err);
	free(full);
	free(thumb);
	return rc;
}

/* --- the author's own cover ------------------------------------------------------------- */

static int cover_event(books_service *svc, uow_tx *tx, const book *b, int64_t by, app_err *err)
{
	domain_event ev;

	domain_event_init(&ev, "book.updated");
	domain_event_add_int(&ev, "bookId", b->id);
	domain_event_add_int(&ev, "authorId", b->author_id);
	domain_event_add_int(&ev, "by", by);
	domain_event_add_str(&ev, "fields", "cover");
	return event_publish_owned(&svc->d.events, tx, &ev, err);
}

/*
 * Replaces b's cover (b the stored work) with files in tx: the change of
 * "cover" (ETag before and after) by by with generated_by ("" the author's
 * own), gen_cover set to it, book.updated; b refreshed.
 */
static int replace_in(book *b, books_service *svc, uow_tx *tx, const book_cover_files *files,
		      int64_t by, const char *generated_by, app_err *err)
{
	char before[48];
	int rc;

	snprintf(before, sizeof(before), "%s", b->cover_etag);
	snprintf(b->gen_cover, sizeof(b->gen_cover), "%s", generated_by);
	if ((rc = book_repo_set_cover(&svc->d.books, tx, b->id, files, err)) ||
	    (rc = book_repo_update(&svc->d.books, tx, b, 0, err)) ||
	    (rc = books_change(svc, tx, b->id, by, "cover", before, files->etag, generated_by,
			       err)) ||
	    (rc = cover_event(svc, tx, b, by, err)))
		return rc;
	return book_repo_refresh(b, &svc->d.books, tx, b->id, err);
}

int books_cover_generated_in(book *b, books_service *svc, uow_tx *tx, const books_regen_req *req,
			     app_err *err)
{
	book_cover_files files = {
	    .data = req->cover,
	    .len = req->cover_len,
	    .mime = req->cover_mime,
	    .full = req->png_full,
	    .full_len = req->png_full_len,
	    .thumb = req->png_thumb,
	    .thumb_len = req->png_thumb_len,
	};
	unsigned char *full, *thumb;
	char etag[48];
	int rc;

	if (!req->cover || !req->cover_len || !req->cover_mime || !req->cover_by)
		return app_err_set(err, APP_EINVALID, NULL, "cover", "a cover was asked for");
	books_cover_etag(etag, svc, req->cover, req->cover_len);
	files.etag = etag;
	if ((rc = scale_missing(&files, &full, &thumb, svc, NULL, err)) == 0)
		rc = replace_in(b, svc, tx, &files, 0, req->cover_by, err);
	free(full);
	free(thumb);
	return rc;
}

/* Stores files as the author's cover of book_id in one unit (see replace_in). */
static int upload_in(book *b, books_service *svc, const books_reader *who, int64_t book_id,
		     const book_cover_files *files, app_err *err)
{
	uow_tx *tx;
	int rc;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	if ((rc = book_repo_find(b, &svc->d.books, tx, book_id, err)) == 0 &&
	    b->author_id != who->member_id)
		rc = app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such book");
	if (rc == 0) /* the author's own: no generator made it */
		rc = replace_in(b, svc, tx, files, who->member_id, "", err);
	return uow_finish(tx, rc, err);
}

int books_cover_upload(book *out, books_service *svc, const books_reader *who, int64_t book_id,
		       const unsigned char *data, size_t len, const char *mime, app_err *err)
{
	image_limits lim = {
	    .max_bytes = BOOKS_COVER_MAX_BYTES,
	    .min_side = BOOKS_COVER_MIN_SIDE,
	    .max_side = BOOKS_COVER_MAX_SIDE,
	};
	book_cover_files files = {.data = data, .len = len};
	unsigned char *full = NULL, *thumb = NULL;
	char etag[48];
	image_info info;
	int rc;

	if (!who || who->member_id <= 0)
		return app_err_set(err, APP_EUNAUTH, "unauthenticated", NULL, "sign in first");
	if (!svc->d.inspector.vtbl)
		return app_err_set(err, APP_EIO, NULL, NULL, "no image decoder");
	if ((rc = image_inspector_inspect(&info, &svc->d.inspector, data, len, &lim, err)))
		return rc;
	if (!mime || strcmp(mime, info.mime))
		return app_err_set(err, APP_EINVALID, "validation_failed", "image",
				   "the image is a %s, not the %s its Content-Type says", info.mime,
				   mime ? mime : "type");
	files.len = info.len; /* what follows the image's end is not kept */
	files.mime = info.mime;
	books_cover_etag(etag, svc, data, files.len);
	files.etag = etag;
	if ((rc = scale_missing(&files, &full, &thumb, svc, &lim, err)) == 0)
		rc = upload_in(out, svc, who, book_id, &files, err);
	free(full);
	free(thumb);
	return rc;
}

/* --- covers stored before renditions ------------------------------------------------------- */

#define RENDITIONS_BATCH 32

/*
 * Stores files for book id in one unit, unless its cover is no longer the one
 * whose ETag was read (an upload meanwhile): its renditions, or with
 * drawn_by the whole cover anew (replace_in). *stored 1 when it was.
 */
static int renditions_store(int *stored, books_service *svc, int64_t id, const char *etag_read,
			    const book_cover_files *files, const char *drawn_by, app_err *err)
{
	book *b = malloc(sizeof(*b));
	uow_tx *tx;
	int rc;

	*stored = 0;
	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = uow_begin(&tx, &svc->d.uow, err)) == 0) {
		rc = book_repo_find(b, &svc->d.books, tx, id, err);
		if (rc == 0 && !strcmp(b->cover_etag, etag_read)) {
			*stored = 1;
			rc = drawn_by ? replace_in(b, svc, tx, files, 0, drawn_by, err)
				      : book_repo_set_cover(&svc->d.books, tx, id, files, err);
		}
		rc = uow_finish(tx, rc, err);
	}
	free(b);
	if (rc)
		*stored = 0;
	return rc;
}

/* b's SVG cover drawn anew with its renditions into *img (img->data NULL: none made). */
static int redraw(aigen_image *img, books_service *svc, const book *b, app_err *err)
{
	aigen_image_request req = {
	    .title = b->title, .pen_name = b->author_name, .genre = b->genre};
	int rc;

	memset(img, 0, sizeof(*img));
	if (!svc->d.drawer.vtbl || !b->gen_cover[0])
		return 0; /* only a generator's cover is a generator's to draw again */
	if ((rc = image_generator_generate(img, &svc->d.drawer, &req, err)))
		return rc;
	if (!img->png_full.data || !img->png_thumb.data)
		aigen_image_dispose(img); /* no renditions: nothing gained */
	return 0;
}

/* Renditions for the cover of book id, read and made outside any unit; *made 1 when stored. */
static int renditions_of(int *made, books_service *svc, int64_t id, app_err *err)
{
	book_cover_files files = {0};
	unsigned char *data = NULL, *full = NULL, *thumb = NULL;
	char mime[32], etag[48], drawn_etag[48];
	book *b = malloc(sizeof(*b));
	aigen_image img = {0};
	size_t len = 0;
	int rc;

	*made = 0;
	if (!b)
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	if ((rc = book_repo_find(b, &svc->d.books, NULL, id, err)) ||
	    (rc = book_repo_cover(&data, &len, mime, etag, &svc->d.books, NULL, id,
				  BOOK_COVER_ORIGINAL, err)))
		goto out;
	files = (book_cover_files){.data = data, .len = len, .mime = mime, .etag = etag};
	if (is_raster(mime)) {
		rc = scale_missing(&files, &full, &thumb, svc, NULL, err);
	} else if ((rc = redraw(&img, svc, b, err)) == 0 && img.data) {
		books_cover_etag(drawn_etag, svc, img.data, img.len);
		files = (book_cover_files){
		    .data = img.data,
		    .len = img.len,
		    .mime = img.mime,
		    .etag = drawn_etag,
		    .full = img.png_full.data,
		    .full_len = img.png_full.len,
		    .thumb = img.png_thumb.data,
		    .thumb_len = img.png_thumb.len,
		};
	}
	if (rc == 0 && files.full && files.thumb)
		rc = renditions_store(made, svc, id, etag, &files,
				      img.data ? image_generator_name(&svc->d.drawer) : NULL, err);
out:
	aigen_image_dispose(&img);
	free(full);
	free(thumb);
	free(data);
	free(b);
	return rc;
}

int books_cover_renditions(size_t *made, books_service *svc, app_err *err)
{
	int64_t ids[RENDITIONS_BATCH], after = 0;
	size_t n;
	int rc, one;

	*made = 0;
	do {
		if ((rc = book_repo_lacking_renditions(ids, &n, &svc->d.books, NULL, after,
						       RENDITIONS_BATCH, err)))
			return rc;
		for (size_t i = 0; i < n; i++) {
			after = ids[i];
			rc = renditions_of(&one, svc, ids[i], err);
			if (rc == APP_EINVALID || rc == APP_ENOTFOUND) { /* left as it is */
				app_err_clear(err);
				continue;
			}
			if (rc)
				return rc;
			*made += (size_t)one;
		}
	} while (n == RENDITIONS_BATCH);
	return 0;
}
