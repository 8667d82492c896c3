/*
 * Request bodies: the strict JSON check, the parse and every route's field
 * mapping on arbitrary bytes. Whatever comes in, nothing may crash, leak or
 * recurse past the depth limit; the depth guard fed in two pieces must agree
 * with one piece; a body it calls too deep never parses; an accepted body is
 * an object whose mapped fields are present when required, and whose
 * strings are UTF-8 without U+0000.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http_internal.h"
#include "domain/common/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_mapping(const cJSON *o)
{
	const http_route *rt;
	http_value v[HTTP_FIELDS_MAX];
	app_err err;

	for (size_t i = 0; (rt = http_route_at(i)); i++) {
		if (!rt->body)
			continue;
		app_err_clear(&err);
		if (http_body_map(v, rt->body, o, &err) != 0) {
			if (err.code != APP_EINVALID && err.code != APP_EMALFORMED)
				abort();
			continue;
		}
		for (size_t k = 0; rt->body[k].name; k++) {
			if (rt->body[k].required && !v[k].present)
				abort();
			if (v[k].present && rt->body[k].type == HTTP_FIELD_STR &&
			    (strlen(v[k].s) != v[k].len || !text_utf8_valid(v[k].s, v[k].len)))
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	http_json_depth whole = {0}, parts = {0};
	size_t cut = size ? data[0] % (size + 1) : 0;
	int too_deep, rc;
	cJSON *o = NULL;
	app_err err;

	too_deep = http_json_depth_feed(&whole, text, size);
	if (http_json_depth_feed(&parts, text, cut) == 0)
		http_json_depth_feed(&parts, text + cut, size - cut);
	if (!too_deep && (whole.depth != parts.depth || whole.in_string != parts.in_string))
		abort();
	app_err_clear(&err);
	rc = http_json_parse(&o, text, size, &err);
	if (rc == 0) {
		if (too_deep || !cJSON_IsObject(o))
			abort();
		check_mapping(o);
		cJSON_Delete(o);
	} else if (o || !(rc == APP_EMALFORMED || rc == APP_EINVALID || rc == APP_ENOMEM) ||
		   !err.word[0]) {
		abort();
	}
	return 0;
}
