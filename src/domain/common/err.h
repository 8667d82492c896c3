/* Error codes and the error detail carried beside them. */
#ifndef WL_DOMAIN_ERR_H
#define WL_DOMAIN_ERR_H

#include <stddef.h>

/* Functions that can fail return 0 or one of these negative codes. */
enum {
	APP_OK = 0,
	APP_EINVALID = -1,	/* a field fails validation (422) */
	APP_ENOTFOUND = -2,	/* absent or not the caller's (404) */
	APP_EEXISTS = -3,	/* unique thing already there (409) */
	APP_ECONFLICT = -4,	/* state or revision conflict (409) */
	APP_EFORBIDDEN = -5,	/* authenticated but not allowed (403) */
	APP_EUNAUTH = -6,	/* no or bad session, bad credentials (401) */
	APP_EINSUFFICIENT = -7, /* not enough points (402) */
	APP_ELIMITED = -8,	/* too many attempts (429) */
	APP_EUPSTREAM = -9,	/* a remote service failed */
	APP_ETIMEOUT = -10,	/* a remote service did not answer in time */
	APP_ENOMEM = -11,	/* allocation failed */
	APP_EIO = -12,		/* storage failed */
	APP_EMALFORMED =
	    -13, /* request cannot be parsed (400; the HTTP adapter says invalid_json) */
	APP_ETOOLARGE = -14, /* request too large (413) */
	/*
	 * Storage cannot take writes now (disk full, read-only file, I/O error,
	 * a lock held too long): 503, and never turned into a business answer.
	 */
	APP_EUNAVAILABLE = -15,
	APP_EDECLINED = -16, /* a payment provider refused for good (402) */
	APP_EBUSY = -17,     /* overloaded now, e.g. every password-hashing slot taken (503) */
};

/*
 * Detail of a failure: `code` repeats the return code, `word` is the stable
 * machine word clients see (e.g. "email_taken"), `field` names the offending
 * field when there is one. Fixed buffers: no allocation on the error path.
 */
typedef struct app_err {
	int code;
	char word[32];
	char field[32];
	char msg[200];
	/* extra integers some errors carry (e.g. currentRevision, price) */
	long long extra[4];
	char extra_name[4][24];
	int nextra;
} app_err;

void app_err_clear(app_err *err);

/* Sets every part of err (err may be NULL) and returns code. */
int app_err_set(app_err *err, int code, const char *word, const char *field, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* Attaches a named integer to the error (e.g. "currentRevision"). */
void app_err_extra(app_err *err, const char *name, long long value);

/* The named integer err carries, or dflt when it carries none (err may be NULL). */
long long app_err_extra_get(const app_err *err, const char *name, long long dflt);

/* The default machine word for a code ("not_found", "validation_failed", ...). */
const char *app_err_default_word(int code);

#endif
