/*
 * The EPUB container: a ZIP (libzip) whose first entry is "mimetype", stored
 * uncompressed, then META-INF/container.xml and the package under OEBPS/.
 * Built in memory; nothing touches the file system.
 */
#include "adapters/epub/epub.h"
#include "adapters/epub/epub_internal.h"

#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "domain/common/text.h"

static const char MIMETYPE[] = "application/epub+zip";
static const char CONTAINER[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";
static const char STYLE[] = "body { margin: 0 5%; line-height: 1.8; }\n"
			    "h1 { font-size: 1.4em; margin: 1.5em 0 1em; }\n"
			    "p { margin: 0 0 0.8em; text-indent: 0; }\n"
			    ".cover { text-align: center; }\n"
			    ".cover img { max-width: 100%; max-height: 60vh; }\n"
			    ".author { font-size: 1.1em; }\n"
			    ".buyer, .drm { font-size: 0.9em; color: #555; }\n";

/* Adds bytes under name; with take the zip owns data (freed with it, also on failure). */
static int add(zip_t *z, const char *name, void *data, size_t len, int take, int store)
{
	zip_source_t *src = zip_source_buffer(z, data, len, take);
	zip_int64_t idx;

	if (!src) {
		if (take)
			free(data);
		return -1;
	}
	if ((idx = zip_file_add(z, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		return -1;
	}
	if (store && zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
		return -1;
	return 0;
}

/* Hands part's bytes to the zip (which frees them), under OEBPS/. */
static int add_part(zip_t *z, epub_part *part)
{
	char name[48];
	char *data = part->data;

	strcpy(name, "OEBPS/");
	strcat(name, part->name);
	part->data = NULL;
	return add(z, name, data, part->len, 1, 0);
}

static int add_docs(zip_t *z, const ebook_doc *d)
{
	epub_part part = {0};
	char name[32];

	if (epub_opf(&part, d) < 0 || add_part(z, &part) < 0 || epub_ncx(&part, d) < 0 ||
	    add_part(z, &part) < 0 || epub_nav(&part, d) < 0 || add_part(z, &part) < 0 ||
	    epub_title_page(&part, d) < 0 || add_part(z, &part) < 0)
		return -1;
	for (size_t i = 0; i < d->n; i++)
		if (epub_chapter(&part, d, &d->chapters[i]) < 0 || add_part(z, &part) < 0)
			return -1;
	if (d->cover) {
		strcpy(name, "OEBPS/cover.");
		strcat(name, epub_cover_ext(d->cover_mime));
		if (add(z, name, (void *)d->cover, d->cover_len, 0, 0) < 0)
			return -1;
	}
	return 0;
}

/* Reads the finished archive out of its (kept) source into *out. */
static int take_bytes(void **out, size_t *len, zip_source_t *src)
{
	zip_stat_t st;
	zip_int64_t got;

	if (zip_source_open(src) < 0)
		return -1;
	if (zip_source_stat(src, &st) < 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    !(*out = malloc(st.size ? st.size : 1))) {
		zip_source_close(src);
		return -1;
	}
	got = zip_source_read(src, *out, st.size);
	zip_source_close(src);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		free(*out);
		*out = NULL;
		return -1;
	}
	*len = (size_t)st.size;
	return 0;
}

static int utf8(const char *s)
{
	return !s || text_utf8_valid(s, strlen(s));
}

static int check(const ebook_doc *d, app_err *err)
{
	int ok;

	if (!d->identifier || !d->title || !d->author || !d->lang || !d->buyer || d->n == 0)
		return app_err_set(err, APP_EINVALID, NULL, NULL,
				   "an e-book needs an identifier, title, author, language, "
				   "buyer and an episode");
	if (d->cover && !epub_cover_ext(d->cover_mime))
		return app_err_set(err, APP_EINVALID, NULL, NULL, "a cover of an unknown type");
	for (size_t i = 0; i < d->n; i++)
		if (d->chapters[i].number < 1 ||
		    (i && d->chapters[i].number <= d->chapters[i - 1].number))
			return app_err_set(err, APP_EINVALID, NULL, NULL,
					   "episodes must be numbered upwards from 1");
	ok = utf8(d->identifier) && utf8(d->title) && utf8(d->author) && utf8(d->lang) &&
	     utf8(d->buyer) && utf8(d->summary);
	for (size_t i = 0; ok && i < d->n; i++)
		ok = utf8(d->chapters[i].title) && utf8(d->chapters[i].text);
	return ok ? 0 : app_err_set(err, APP_EINVALID, NULL, NULL, "text that is not UTF-8");
}

static int epub(void **out, size_t *len, void *self, const ebook_doc *d, app_err *err)
{
	zip_source_t *src;
	zip_t *z;
	zip_error_t ze;
	int rc;

	(void)self;
	*out = NULL;
	*len = 0;
	if ((rc = check(d, err)))
		return rc;
	zip_error_init(&ze);
	if (!(src = zip_source_buffer_create(NULL, 0, 0, &ze))) {
		zip_error_fini(&ze);
		return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
	}
	if (!(z = zip_open_from_source(src, ZIP_TRUNCATE, &ze))) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "the archive cannot be opened");
		goto out;
	}
	zip_source_keep(src); /* the archive took one reference; ours reads it back after close */
	if (add(z, "mimetype", (void *)MIMETYPE, sizeof(MIMETYPE) - 1, 0, 1) < 0 ||
	    add(z, "META-INF/container.xml", (void *)CONTAINER, sizeof(CONTAINER) - 1, 0, 0) < 0 ||
	    add(z, "OEBPS/style.css", (void *)STYLE, sizeof(STYLE) - 1, 0, 0) < 0 ||
	    add_docs(z, d) < 0) {
		zip_discard(z);
		/* libxml2 refuses text that is not UTF-8; else memory */
		rc = app_err_set(err, APP_EINVALID, NULL, NULL, "the e-book cannot be written");
		goto out;
	}
	if (zip_close(z) < 0) {
		zip_discard(z);
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "the archive cannot be written");
		goto out;
	}
	if (take_bytes(out, len, src) < 0)
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
out:
	zip_source_free(src);
	zip_error_fini(&ze);
	return rc;
}

static const ebook_writer_vtbl epub_vtbl = {.epub = epub};

ebook_writer epub_writer(void)
{
	return (ebook_writer){.vtbl = &epub_vtbl, .self = NULL};
}
