/*
 * Fakes of the aigen core's ports: the job repository (honest to
 * tests/contract/test_aigen_repo_contract.c), the publishing port (the
 * manuscripts, authors and books cores in miniature), scripted text and
 * image generators, and a fixed random source.
 */
#ifndef WL_TEST_FAKE_AIGEN_H
#define WL_TEST_FAKE_AIGEN_H

#include <stddef.h>
#include <stdint.h>

#include "domain/aigen/jobs.h"
#include "fakes/fakes.h"

#define FAKE_AIGEN_CAP 64

#define FAKE_AIGEN_TEXTS 8

/* A kept text (keep_text), its strings in fixed buffers so that a rollback can restore it by copy.
 */
typedef struct fake_kept_text {
	int64_t job_id;	    /* 0: a free slot */
	aigen_result fixed; /* every field but the strings, which are NULL here */
	char summary[AIGEN_SUMMARY_MAX * 4 + 1], tagline[AIGEN_TAGLINE_MAX * 4 + 1];
	char price_reason[AIGEN_PRICE_REASON_MAX * 4 + 1];
	char cover_prompt[AIGEN_COVER_PROMPT_MAX * 4 + 1];
} fake_kept_text;

typedef struct fake_aigen_jobs {
	aigen_job rows[FAKE_AIGEN_CAP];
	size_t n;
	fake_kept_text texts[FAKE_AIGEN_TEXTS];
	int fail_next;
	int calls;
} fake_aigen_jobs;
aigen_job_repo fake_aigen_job_repo(fake_aigen_jobs *f);

typedef struct fake_pub_manuscript {
	int64_t id, author_id, book_id;
	publishing_ms_state state;
	char title[256], pen_name[64], error[512];
	const char *content; /* static text */
	int serial;
	int64_t work_id, episode_number, publish_at; /* a later episode of work_id */
} fake_pub_manuscript;

typedef struct fake_pub_book {
	int64_t id, manuscript_id, price;
	char summary[4096], tagline[512], price_reason[1024];
	char cover_mime[32], gen_summary[64], gen_price[64], gen_cover[64];
	size_t cover_len;
	char cover_head[64]; /* the first bytes of the cover, NUL-terminated */
	int serial;
	char genre[32];
	int authors_cover; /* the author uploaded the cover (load_work says so) */
	char cover_by[64]; /* the generator of the latest regenerated cover */
} fake_pub_book;

typedef struct fake_pub_episode {
	int64_t manuscript_id, book_id, number, publish_at;
	char summary[4096], gen_summary[64];
} fake_pub_episode;

/* Publishing: manuscripts in memory; publish() appends book.published to outbox (may be NULL). */
typedef struct fake_publishing {
	fake_pub_manuscript ms[FAKE_AIGEN_CAP];
	size_t nms;
	fake_pub_book books[FAKE_AIGEN_CAP];
	size_t nbooks;
	fake_pub_episode episodes[FAKE_AIGEN_CAP];
	size_t nepisodes;
	int publishes;	      /* calls of publish(), replays included */
	int regenerations;    /* calls of apply_regenerated() */
	unsigned regen_parts; /* the parts of the latest apply_regenerated() */
	fake_outbox *outbox;
	int fail_publish; /* the APP_E* code the next publish() returns */
} fake_publishing;
publishing_port fake_publishing_port(fake_publishing *f);
/* Adds a submitted manuscript of author 1 with a long enough text; returns its id. */
int64_t fake_publishing_add(fake_publishing *f, const char *title, const char *content);
fake_pub_manuscript *fake_publishing_ms(fake_publishing *f, int64_t id);

/*
 * One scripted answer of the text generator: rc, or a draft when rc is 0.
 * A failure carries the extra "retryAfterMs" when retry_after_ms is set.
 */
typedef struct fake_text_answer {
	int rc;
	long long retry_after_ms;
	const char *summary, *tagline, *price_reason, *cover_prompt;
	int64_t price;
	int has_price;
} fake_text_answer;

typedef struct fake_text_gen {
	char name[64];
	fake_text_answer script[16];
	size_t nscript, next;
	fake_text_answer fallback; /* when the script is used up */
	int calls;
	int64_t last_variant; /* of the latest request */
} fake_text_gen;
text_generator fake_text_generator(fake_text_gen *f);
/* A well-formed answer with this price. */
fake_text_answer fake_text_ok(int64_t price);
void fake_text_push(fake_text_gen *f, fake_text_answer a);

typedef struct fake_image_gen {
	char name[64];
	int script[16]; /* rc per call; 0 draws a real 300 x 450 PNG (image/png) */
	size_t nscript, next;
	int fallback_rc;
	long long retry_after_ms; /* set: failures carry the extra "retryAfterMs" */
	/* set: drawn instead of the real PNG, claimed as mime (NULL: image/png) */
	const unsigned char *bytes;
	size_t nbytes;
	const char *mime;
	int calls;
} fake_image_gen;
image_generator fake_image_generator(fake_image_gen *f);

/* Always answers value. */
typedef struct fake_random {
	double value;
} fake_random;
random_port fake_random_port(fake_random *f);

#endif
