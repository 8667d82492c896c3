/* Reading Toss Payments' answers: the Payment object and the error object. */
#include "adapters/toss/toss.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "adapters/toss/toss_internal.h"

static const struct {
	const char *name;
	payment_status status;
} toss_statuses[] = {
    {"READY", PAYMENT_READY},
    {"IN_PROGRESS", PAYMENT_IN_PROGRESS},
    {"WAITING_FOR_DEPOSIT", PAYMENT_WAITING_FOR_DEPOSIT},
    {"DONE", PAYMENT_DONE},
    {"CANCELED", PAYMENT_CANCELED},
    {"PARTIAL_CANCELED", PAYMENT_PARTIAL_CANCELED},
    {"ABORTED", PAYMENT_ABORTED},
    {"EXPIRED", PAYMENT_EXPIRED},
};

payment_status toss_status_parse(const char *s)
{
	for (size_t i = 0; i < sizeof(toss_statuses) / sizeof(toss_statuses[0]); i++)
		if (strcmp(toss_statuses[i].name, s) == 0)
			return toss_statuses[i].status;
	return PAYMENT_UNKNOWN;
}

/* n, or less so that s[0..n) does not end inside a UTF-8 sequence. */
static size_t utf8_whole(const char *s, size_t n)
{
	size_t i = n, want;
	unsigned char lead;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return 0;
	lead = (unsigned char)s[i - 1];
	want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
	return n - (i - 1) < want ? i - 1 : n;
}

/* Copies text into out (cap bytes) without control characters, cut at a character boundary. */
void toss_copy_text(char *out, size_t cap, const char *s)
{
	size_t o = 0;

	for (; *s && o + 1 < cap; s++)
		if ((unsigned char)*s >= 0x20 && *s != 0x7f)
			out[o++] = *s;
	if (*s)
		o = utf8_whole(out, o);
	out[o] = '\0';
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char *s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (s[i] - '0');
	}
	return 0;
}

int toss_time_parse(int64_t *ms, const char *s)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0, frac = 0, scale = 1000;
	const char *p = s + 19;
	int sign = 0;

	if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 'T' || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (scale > 1)
				scale /= 10, frac += (*p - '0') * scale;
	if (*p == 'Z')
		p++;
	else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 ||
		    om > 59)
			return -1;
		p += 6;
	}
	if (*p)
		return -1;
	*ms = ((days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) -
	       (int64_t)sign * (oh * 3600 + om * 60)) *
		  1000 +
	      frac;
	return 0;
}

/* A JSON number that is a whole amount of won: 0 .. 2^53. */
static int amount_of(int64_t *out, const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9007199254740992.0 ||
	    floor(v->valuedouble) != v->valuedouble)
		return -1;
	*out = (int64_t)v->valuedouble;
	return 0;
}

/* A string field into out (cap bytes); absent or null gives "" unless required. */
static int text_of(char *out, size_t cap, const cJSON *o, const char *name, int required)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	out[0] = '\0';
	if (!v || cJSON_IsNull(v))
		return required ? -1 : 0;
	if (!cJSON_IsString(v) || !v->valuestring || strlen(v->valuestring) >= cap)
		return -1;
	if (required && !*v->valuestring)
		return -1;
	memcpy(out, v->valuestring, strlen(v->valuestring) + 1);
	return 0;
}

/* The latest entry of "cancels" (an array or null). */
static int last_cancel(payment_info *out, const cJSON *o)
{
	const cJSON *cancels = cJSON_GetObjectItemCaseSensitive(o, "cancels"), *c;
	int n;

	if (!cancels || cJSON_IsNull(cancels))
		return 0;
	if (!cJSON_IsArray(cancels))
		return -1;
	n = cJSON_GetArraySize(cancels);
	if (n == 0)
		return 0;
	c = cJSON_GetArrayItem(cancels, n - 1);
	if (!cJSON_IsObject(c) || amount_of(&out->cancel_amount, c, "cancelAmount") ||
	    text_of(out->cancel_key, sizeof(out->cancel_key), c, "transactionKey", 0))
		return -1;
	return 0;
}

static int failure_of(payment_info *out, const cJSON *o)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, "failure"), *v;

	if (!f || cJSON_IsNull(f))
		return 0;
	if (!cJSON_IsObject(f))
		return -1;
	v = cJSON_GetObjectItemCaseSensitive(f, "code");
	if (cJSON_IsString(v) && v->valuestring)
		toss_copy_text(out->failure_code, sizeof(out->failure_code), v->valuestring);
	v = cJSON_GetObjectItemCaseSensitive(f, "message");
	if (cJSON_IsString(v) && v->valuestring)
		toss_copy_text(out->failure_message, sizeof(out->failure_message), v->valuestring);
	return 0;
}

static int payment_fields(payment_info *out, const cJSON *o)
{
	char status[32], approved[48];

	if (!cJSON_IsObject(o) || text_of(out->key, sizeof(out->key), o, "paymentKey", 1) ||
	    text_of(out->order_id, sizeof(out->order_id), o, "orderId", 1) ||
	    text_of(status, sizeof(status), o, "status", 1) ||
	    amount_of(&out->total_amount, o, "totalAmount") ||
	    amount_of(&out->balance_amount, o, "balanceAmount") ||
	    text_of(out->method, sizeof(out->method), o, "method", 0) ||
	    text_of(approved, sizeof(approved), o, "approvedAt", 0) || last_cancel(out, o) ||
	    failure_of(out, o))
		return -1;
	if (out->balance_amount > out->total_amount)
		return -1;
	out->status = toss_status_parse(status);
	if (out->status == PAYMENT_UNKNOWN)
		return -1;
	if (*approved && toss_time_parse(&out->approved_at, approved))
		return -1;
	return 0;
}

int toss_payment_parse(payment_info *out, const char *body, size_t len, app_err *err)
{
	cJSON *root = cJSON_ParseWithLength(body, len);
	int bad;

	memset(out, 0, sizeof(*out));
	bad = !root || payment_fields(out, root);
	cJSON_Delete(root);
	if (bad) {
		memset(out, 0, sizeof(*out));
		return app_err_set(err, APP_EUPSTREAM, NULL, NULL,
				   "toss: the answer is not a payment object");
	}
	return 0;
}

int toss_error_parse(char code[PAYMENT_CODE_MAX], char message[PAYMENT_MESSAGE_MAX],
		     const char *body, size_t len)
{
	cJSON *root = body && len ? cJSON_ParseWithLength(body, len) : NULL;
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "code");
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(root, "message");
	int rc = -1;

	code[0] = message[0] = '\0';
	if (cJSON_IsString(c) && c->valuestring && *c->valuestring) {
		toss_copy_text(code, PAYMENT_CODE_MAX, c->valuestring);
		rc = 0;
	}
	if (cJSON_IsString(m) && m->valuestring)
		toss_copy_text(message, PAYMENT_MESSAGE_MAX, m->valuestring);
	cJSON_Delete(root);
	return rc;
}
