/* What tests read from the fake relay: the messages as JSON, a body, a header. */
#include "support/fake_smtp_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>
#include <sodium.h>

#include "domain/common/strbuf.h"

char *fake_smtp_messages_json(fake_smtp *f)
{
	cJSON *arr = cJSON_CreateArray();
	char *out;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->n; i++) {
		cJSON *o = cJSON_CreateObject(), *rcpt = cJSON_CreateArray();
		char *list = strdup(f->msgs[i].rcpt ? f->msgs[i].rcpt : ""), *save = NULL;

		for (char *a = list ? strtok_r(list, ",", &save) : NULL; a;
		     a = strtok_r(NULL, ",", &save))
			cJSON_AddItemToArray(rcpt, cJSON_CreateString(a));
		free(list);
		cJSON_AddStringToObject(o, "from", f->msgs[i].from ? f->msgs[i].from : "");
		cJSON_AddItemToObject(o, "rcpt", rcpt);
		cJSON_AddStringToObject(o, "data", f->msgs[i].data ? f->msgs[i].data : "");
		if (f->msgs[i].user)
			cJSON_AddStringToObject(o, "user", f->msgs[i].user);
		else
			cJSON_AddNullToObject(o, "user");
		cJSON_AddBoolToObject(o, "tls", f->msgs[i].tls);
		cJSON_AddItemToArray(arr, o);
	}
	pthread_mutex_unlock(&f->lock);
	out = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	return out;
}

static char *unbase64_dup(const char *b64, size_t len)
{
	size_t n = 0;
	char *out = malloc(len + 1);

	if (!out)
		return NULL;
	if (sodium_base642bin((unsigned char *)out, len, b64, len, "\r\n ", &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(out);
		return NULL;
	}
	out[n] = '\0';
	return out;
}

char *fake_smtp_body_text(const char *data)
{
	const char *body = data ? strstr(data, "\r\n\r\n") : NULL;

	if (!body)
		return NULL;
	body += 4;
	return unbase64_dup(body, strlen(body));
}

/* Decodes "=?UTF-8?B?...?=" words of an unfolded value into b, the rest as it is. */
static void decode_words(strbuf *b, const char *v)
{
	while (*v) {
		const char *start = strstr(v, "=?UTF-8?B?"), *end;
		char *text;

		if (!start || !(end = strstr(start + 10, "?="))) {
			strbuf_str(b, v);
			return;
		}
		/* whitespace between two encoded words is not part of the text (RFC 2047 6.2) */
		if (start > v && strspn(v, " \t") != (size_t)(start - v))
			strbuf_add(b, v, (size_t)(start - v));
		text = unbase64_dup(start + 10, (size_t)(end - start - 10));
		if (text)
			strbuf_str(b, text);
		free(text);
		v = end + 2;
	}
}

char *fake_smtp_header(const char *data, const char *name)
{
	size_t nlen = strlen(name);
	const char *end = data ? strstr(data, "\r\n\r\n") : NULL;
	strbuf raw = {0}, out = {0};

	if (!end)
		return NULL;
	for (const char *line = data; line < end;) {
		const char *eol = strstr(line, "\r\n");

		if (!strncasecmp(line, name, nlen) && line[nlen] == ':') {
			const char *v = line + nlen + 1;

			for (;;) { /* unfold continuation lines */
				while (*v == ' ' || *v == '\t')
					v++;
				strbuf_add(&raw, v, (size_t)(eol - v));
				if (eol >= end || (eol[2] != ' ' && eol[2] != '\t'))
					break;
				v = eol + 2;
				eol = strstr(v, "\r\n");
				strbuf_str(&raw, " ");
			}
			decode_words(&out, raw.s ? raw.s : "");
			strbuf_dispose(&raw);
			return out.s ? strbuf_take(&out) : strdup("");
		}
		line = eol + 2;
	}
	return NULL;
}
