/*
 * Manuscripts: an author's drafts and their saved revisions. The status
 * moves draft -> submitted -> generating -> published | failed, and
 * failed -> submitted on a retry; only a draft is edited or deleted.
 */
#ifndef WL_DOMAIN_MANUSCRIPT_H
#define WL_DOMAIN_MANUSCRIPT_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "domain/common/text.h"

#define MANUSCRIPT_TITLE_MAX	  200		    /* characters, after trimming */
#define MANUSCRIPT_CONTENT_MAX	  (2 * 1024 * 1024) /* bytes of UTF-8 */
#define MANUSCRIPT_SUBMIT_MIN	  100		    /* characters of content */
#define MANUSCRIPT_ERROR_MAX	  500		    /* bytes kept of a failure */
#define MANUSCRIPT_REVISIONS_KEPT 21		    /* the current and 20 before it */
#define MANUSCRIPT_TITLE_BYTES	  (MANUSCRIPT_TITLE_MAX * 4 + 1)

/*
 * The one title rule, for manuscripts, works and episodes: trimmed, 1 to
 * MANUSCRIPT_TITLE_MAX characters of UTF-8 on one line; into dst (cap bytes).
 */
static inline int manuscript_title(char *dst, size_t cap, const char *title, app_err *err)
{
	return text_take(dst, cap, title, MANUSCRIPT_TITLE_MAX, 1, 1, "title", err);
}

typedef enum {
	MANUSCRIPT_DRAFT = 1,
	MANUSCRIPT_SUBMITTED = 2,
	MANUSCRIPT_GENERATING = 3,
	MANUSCRIPT_PUBLISHED = 4,
	MANUSCRIPT_FAILED = 5,
} manuscript_status;

/*
 * A manuscript. content (content_len bytes plus a NUL) and error are owned
 * and freed by manuscript_dispose(); content is NULL when listed without it,
 * error is NULL unless generation failed.
 */
typedef struct manuscript {
	int64_t id;
	int64_t author_id;
	char title[MANUSCRIPT_TITLE_BYTES];
	char *content;
	size_t content_len;
	int64_t revision; /* 1 on creation, +1 per save */
	manuscript_status status;
	/*
	 * The work: 0 until published for a work's first manuscript; for a later
	 * episode the work it continues, from its creation on.
	 */
	int64_t book_id;
	char *error;
	int64_t created_at;
	int64_t updated_at;
	int serial;		/* the first episode of a serial work */
	int64_t episode_number; /* reserved at submission (1 for a work's first); 0 before */
	int64_t publish_at;	/* an episode to publish at this time; 0: when generated */
} manuscript;

/* A saved revision; content is owned (NULL when listed) and freed by _dispose. */
typedef struct manuscript_revision {
	int64_t manuscript_id;
	int64_t revision;
	char title[MANUSCRIPT_TITLE_BYTES];
	char *content;
	size_t content_len;
	int64_t chars; /* characters (code points) of content */
	int64_t saved_at;
} manuscript_revision;

void manuscript_dispose(manuscript *m);
void manuscript_revision_dispose(manuscript_revision *r);

/* Deep copies into storage not yet holding strings; APP_ENOMEM leaves dst zeroed. */
int manuscript_copy(manuscript *dst, const manuscript *src);
int manuscript_revision_copy(manuscript_revision *dst, const manuscript_revision *src);

/* "draft", "submitted", "generating", "published", "failed". */
const char *manuscript_status_name(manuscript_status s);
/* APP_EINVALID for another word. */
int manuscript_status_parse(manuscript_status *out, const char *s, app_err *err);

/*
 * 1 when the status may move from -> to: draft -> submitted,
 * submitted -> generating | published | failed, generating -> published |
 * failed, failed -> submitted. Everything else is 0.
 */
int manuscript_can_transition(manuscript_status from, manuscript_status to);

#endif
