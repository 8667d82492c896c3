/*
 * AI generation core: builds the prompts, validates what a generator proposes,
 * clamps the price, merges a generator's draft with the offline fallback part
 * by part, and holds the job rules (status, retry, backoff). Pure: no I/O.
 */
#ifndef WL_DOMAIN_AIGEN_H
#define WL_DOMAIN_AIGEN_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/image_generator.h"
#include "ports/image_inspector.h"
#include "ports/text_generator.h"

/* The manuscript excerpt sent to a model is at most this many bytes. */
#define AIGEN_EXCERPT_MAX 6000

/* Field limits, in UTF-8 characters (code points), after trimming. */
#define AIGEN_SUMMARY_MIN      10
#define AIGEN_SUMMARY_MAX      1000
#define AIGEN_TAGLINE_MAX      120
#define AIGEN_PRICE_REASON_MAX 300
#define AIGEN_COVER_PROMPT_MAX 1000

/* Length of the generator-name buffers of aigen_result (name + NUL). */
#define AIGEN_NAME_MAX 64

/* The parts of a draft that are used (or replaced) together. */
enum {
	AIGEN_PART_SUMMARY = 1u << 0, /* summary + tagline */
	AIGEN_PART_PRICE = 1u << 1,   /* price + priceReason */
	AIGEN_PART_COVER = 1u << 2,   /* coverPrompt */
	AIGEN_PART_ALL = (1u << 3) - 1,
};

/* The two prompts of a text request; both owned, freed by aigen_prompts_dispose(). */
typedef struct aigen_prompts {
	char *system;
	char *user;
} aigen_prompts;

/*
 * Builds the system and user prompts for a book: title, pen name (may be NULL),
 * the price bounds and a bounded excerpt of content (see aigen_excerpt_len()).
 * APP_EINVALID when content is not valid UTF-8 or min > max, APP_ENOMEM.
 * On failure out is left zeroed.
 */
int aigen_prompts_build(aigen_prompts *out, const char *title, const char *pen_name,
			const char *content, size_t content_len, int64_t price_min,
			int64_t price_max, app_err *err);
void aigen_prompts_dispose(aigen_prompts *p);

/*
 * How many bytes of content (content_len bytes of UTF-8) go into an excerpt of
 * at most max bytes: all of it when it fits, else a prefix cut at a character
 * boundary, preferably after a paragraph or a sentence end in the last part.
 */
size_t aigen_excerpt_len(const char *content, size_t content_len, size_t max);

/*
 * Trims every string of d in place (ASCII whitespace and U+3000 at both ends;
 * control characters inside become spaces) and checks it:
 * summary 10..1000 characters, tagline 1..120, priceReason 1..300,
 * coverPrompt 1..1000, all valid UTF-8, and a price present. The price value
 * itself is not judged here: aigen_price_clamp() brings it into bounds. The
 * optional codes (genre, motifs, price basis) are cleaned with
 * aigen_draft_sanitize_codes() and never make a part unusable.
 * Returns the AIGEN_PART_* mask of unusable parts (0: all good); err (may be
 * NULL) describes the first failing field.
 */
unsigned aigen_draft_validate(aigen_draft *d, app_err *err);

/*
 * Clamps price to min..max, then rounds it to the nearest 100 P (half away
 * from zero: 1250 -> 1300, 1249 -> 1200), staying inside the bounds. Bounds
 * are expected to be multiples of 100; when no multiple of 100 lies in
 * min..max the clamped value is returned unrounded. Asserts min <= max.
 */
int64_t aigen_price_clamp(int64_t price, int64_t min, int64_t max);

/* The merged outcome of a generation; strings owned, freed by aigen_result_dispose(). */
typedef struct aigen_result {
	char *summary;
	char *tagline;
	int64_t price; /* clamped and rounded */
	char *price_reason;
	char *cover_prompt;
	char genre[AIGEN_CODE_MAX];		       /* "" when no generator suggested one */
	aigen_price_basis price_basis;		       /* with the price; code "" when none */
	char motifs[AIGEN_MOTIFS_MAX][AIGEN_CODE_MAX]; /* with the cover prompt */
	int nmotifs;
	char generated_by_summary[AIGEN_NAME_MAX];	/* summary + tagline */
	char generated_by_price[AIGEN_NAME_MAX];	/* price + priceReason */
	char generated_by_cover_prompt[AIGEN_NAME_MAX]; /* coverPrompt */
	char generated_by_cover[AIGEN_NAME_MAX];	/* the image: aigen_result_set_cover_by() */
} aigen_result;

void aigen_result_dispose(aigen_result *r);

/*
 * Validates gen (may be NULL: the generator failed) and fallback (may be NULL:
 * not computed) with aigen_draft_validate() and takes each part from gen when
 * it is usable there, else from fallback, recording the generator's name
 * (truncated to AIGEN_NAME_MAX - 1 bytes). The taken strings are moved out of
 * the drafts (their pointers become NULL); the caller still disposes both.
 * The price is clamped with aigen_price_clamp(min, max). The suggestions
 * travel with their part (price basis with the price, motifs with the cover
 * prompt, the genre with the summary); one the chosen draft lacks is taken
 * from the other draft when that has it.
 * APP_EINVALID (field names the part) when a part is usable in neither; out is
 * then left zeroed. out must not hold strings on entry.
 */
int aigen_result_merge(aigen_result *out, aigen_draft *gen, const char *gen_name,
		       aigen_draft *fallback, const char *fallback_name, int64_t price_min,
		       int64_t price_max, app_err *err);

/* Records which image generator drew the cover. */
void aigen_result_set_cover_by(aigen_result *r, const char *generator_name);

/* What a generated cover may be (the bounds of uploaded covers, and the adapter's byte limit). */
#define AIGEN_COVER_MIN_SIDE  300
#define AIGEN_COVER_MAX_SIDE  4000
#define AIGEN_COVER_MAX_BYTES ((size_t)8 * 1024 * 1024)

/*
 * Checks a cover an image generator drew, whichever generator: it must
 * decode completely as PNG or JPEG with AIGEN_COVER_MIN_SIDE to
 * AIGEN_COVER_MAX_SIDE px a side (in decides), and PNG renditions sent with
 * it must decode at their sizes. An SVG (with whatever renditions) is taken
 * from the built-in generator only (builtin non-zero): it is drawn here. On
 * success img->mime is the type the decoder found, whatever the generator
 * claimed, and img->len stops at the image's end. APP_EUPSTREAM otherwise (a
 * bad answer, worth another attempt), APP_ENOMEM.
 */
int aigen_cover_check(aigen_image *img, const image_inspector *in, int builtin, app_err *err);

/* --- jobs ------------------------------------------------------------------ */

typedef enum {
	AIGEN_JOB_QUEUED = 0,
	AIGEN_JOB_RUNNING = 1,
	AIGEN_JOB_SUCCEEDED = 2,
	AIGEN_JOB_FAILED = 3,
} aigen_job_status;

/* "queued", "running", "succeeded", "failed" (as stored and shown). */
const char *aigen_job_status_str(aigen_job_status s);
/* APP_EINVALID for an unknown word. */
int aigen_job_status_parse(aigen_job_status *out, const char *s, app_err *err);

/*
 * 1 when a job may move from one status to another: queued -> running,
 * running -> succeeded | failed | queued (a retry is scheduled), running ->
 * running (a worker restarted after a crash takes the job again),
 * failed -> queued (the owner asks for a retry). Everything else is 0.
 */
int aigen_job_can_transition(aigen_job_status from, aigen_job_status to);

/*
 * Delay before the next attempt after attempt number `attempt` (1-based) has
 * failed. "Equal jitter": ceiling = min(max_ms, base_ms * 2^(attempt-1)), and
 * the delay is ceiling/2 + jitter_unit * ceiling/2, so it always grows with
 * the ceiling yet two workers never retry in lockstep. jitter_unit is a random
 * value in [0, 1] supplied by the caller (clamped into it). Never exceeds
 * max_ms; 0 when base_ms <= 0.
 */
int64_t aigen_backoff_ms(int attempt, int64_t base_ms, int64_t max_ms, double jitter_unit);

/*
 * 1 when attempt `attempt` (1-based) failed with err_code and another may be
 * made: the error is transient (APP_EUPSTREAM, APP_ETIMEOUT) and
 * attempt < max_attempts. Anything else is final.
 */
int aigen_should_retry(int attempt, int max_attempts, int err_code);

#endif
