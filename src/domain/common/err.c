#include "domain/common/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void app_err_clear(app_err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int app_err_set(app_err *err, int code, const char *word, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	snprintf(err->word, sizeof(err->word), "%s", word ? word : app_err_default_word(code));
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	err->nextra = 0;
	return code;
}

void app_err_extra(app_err *err, const char *name, long long value)
{
	if (!err || err->nextra >= (int)(sizeof(err->extra) / sizeof(err->extra[0])))
		return;
	snprintf(err->extra_name[err->nextra], sizeof(err->extra_name[0]), "%s", name);
	err->extra[err->nextra++] = value;
}

long long app_err_extra_get(const app_err *err, const char *name, long long dflt)
{
	for (int i = 0; err && i < err->nextra && i < 3; i++)
		if (strcmp(err->extra_name[i], name) == 0)
			return err->extra[i];
	return dflt;
}

const char *app_err_default_word(int code)
{
	switch (code) {
	case APP_EINVALID:
		return "validation_failed";
	case APP_ENOTFOUND:
		return "not_found";
	case APP_EEXISTS:
		return "conflict";
	case APP_ECONFLICT:
		return "conflict";
	case APP_EFORBIDDEN:
		return "forbidden";
	case APP_EUNAUTH:
		return "unauthenticated";
	case APP_EINSUFFICIENT:
		return "insufficient_points";
	case APP_ELIMITED:
		return "too_many_attempts";
	case APP_EUPSTREAM:
		return "upstream_failed";
	case APP_ETIMEOUT:
		return "upstream_timeout";
	case APP_ENOMEM:
		return "out_of_memory";
	case APP_EIO:
		return "storage_failed";
	case APP_EMALFORMED:
		return "malformed";
	case APP_ETOOLARGE:
		return "payload_too_large";
	case APP_EUNAVAILABLE:
		return "storage_unavailable";
	case APP_EDECLINED:
		return "payment_declined";
	case APP_EBUSY:
		return "busy";
	default:
		return "internal";
	}
}
