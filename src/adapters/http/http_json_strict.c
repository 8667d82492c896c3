/*
 * Strict JSON bodies. cJSON's parser recurses once per nesting level and
 * takes the first of two equal keys, ignores what follows the value and
 * decodes \u0000 into a string it then cuts short. On civetweb's 100 KiB
 * worker stacks a body nested ~800 levels deep was a crash. So a body is
 * first scanned here without recursion (syntax of RFC 8259, depth at most
 * HTTP_JSON_DEPTH_MAX, exactly one object and nothing after it, where a
 * U+0000 or bytes that are not UTF-8 sit in a string); only then does cJSON
 * build the tree, whose depth is now bounded, and the tree is checked for
 * duplicate keys. (While the body arrives, http_json_depth_feed already
 * stops one that nests too deep.)
 *
 * Nothing else on a request's path recurses on what a client sends: the
 * trees cJSON deletes and prints are these bounded ones or the server's own
 * shallow answers; SQL is fixed text with bound values (a search is one
 * quoted FTS5 phrase, never an expression to parse); query strings, headers
 * and paths are read by loops. (Debian's civetweb gives its workers 100 KiB
 * stacks.)
 */
#include "adapters/http/http_internal.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

typedef const unsigned char *cursor;

/* The length of the UTF-8 sequence at p (its first byte >= 0x80), 0 when malformed. */
static size_t utf8_seq(cursor p, cursor end)
{
	unsigned c = *p, cp, n;

	if ((c & 0xE0) == 0xC0)
		n = 1, cp = c & 0x1F;
	else if ((c & 0xF0) == 0xE0)
		n = 2, cp = c & 0x0F;
	else if ((c & 0xF8) == 0xF0)
		n = 3, cp = c & 0x07;
	else
		return 0;
	if ((size_t)(end - p) <= n)
		return 0;
	for (unsigned k = 1; k <= n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[k] & 0x3F);
	}
	if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return n + 1;
}

static int hex4(cursor p, cursor end, unsigned *out)
{
	unsigned v = 0;

	if (end - p < 4)
		return 0;
	for (int i = 0; i < 4; i++) {
		unsigned c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			v |= (c | 0x20) - 'a' + 10;
		else
			return 0;
	}
	*out = v;
	return 1;
}

/* What can be wrong inside a well-formed string (422, naming the field). */
enum { STRING_OK, STRING_NUL, STRING_UTF8 };

/* The escape after a backslash at p; the position after it, or NULL. Notes \u0000 in *bad. */
static cursor scan_escape(cursor p, cursor end, int *bad)
{
	unsigned u, lo;

	if (p >= end)
		return NULL;
	if (*p && strchr("\"\\/bfnrt", *p))
		return p + 1;
	if (*p != 'u' || !hex4(p + 1, end, &u))
		return NULL;
	p += 5;
	if (u == 0 && !*bad)
		*bad = STRING_NUL;
	if (u >= 0xDC00 && u <= 0xDFFF)
		return NULL; /* a low surrogate alone */
	if (u < 0xD800 || u > 0xDBFF)
		return p;
	/* a high surrogate: its low half must follow */
	if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, end, &lo) || lo < 0xDC00 ||
	    lo > 0xDFFF)
		return NULL;
	return p + 6;
}

/*
 * A string whose opening quote is at p; the position after its closing
 * quote, or NULL. A U+0000 or bytes that are not UTF-8 are noted in *bad.
 */
static cursor scan_string(cursor p, cursor end, int *bad)
{
	for (p++; p < end;) {
		unsigned c = *p;
		size_t n;

		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL;
		if (c == '\\') {
			if (!(p = scan_escape(p + 1, end, bad)))
				return NULL;
			continue;
		}
		if (c < 0x80) {
			p++;
			continue;
		}
		if (!(n = utf8_seq(p, end))) {
			if (!*bad)
				*bad = STRING_UTF8;
			n = 1;
		}
		p += n;
	}
	return NULL;
}

static cursor scan_digits(cursor p, cursor end)
{
	if (p >= end || *p < '0' || *p > '9')
		return NULL;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

static cursor scan_number(cursor p, cursor end)
{
	if (*p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (!(p = scan_digits(p, end)))
		return NULL;
	if (p < end && *p == '.' && !(p = scan_digits(p + 1, end)))
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (!(p = scan_digits(p, end)))
			return NULL;
	}
	return p;
}

static cursor scan_literal(cursor p, cursor end)
{
	static const char *const words[] = {"true", "false", "null"};

	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(end - p) >= n && memcmp(p, words[i], n) == 0)
			return p + n;
	}
	return NULL;
}

static cursor skip_ws(cursor p, cursor end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* What the scanner expects next. */
enum {
	EXPECT_VALUE,
	EXPECT_KEY,
	EXPECT_KEY_OR_END,
	EXPECT_COLON,
	EXPECT_VALUE_OR_END,
	EXPECT_NEXT
};

typedef struct scanner {
	cursor p, end;
	int expect;
	int depth;
	uint64_t in_array;   /* bit d: level d+1 is an array */
	cursor key, key_end; /* the current top-level key (raw text) */
	int bad;	     /* STRING_*: the first string that cannot be a value */
	char bad_field[sizeof(((app_err *)0)->field)];
} scanner;

static int malformed(app_err *err, const char *what)
{
	return app_err_set(err, APP_EMALFORMED, "invalid_json", NULL, "the body %s", what);
}

/* Opens an object or array at s->p. */
static int scan_open(scanner *s, int array, app_err *err)
{
	if (s->depth == 0 && array)
		return malformed(err, "must be a JSON object");
	if (s->depth >= HTTP_JSON_DEPTH_MAX)
		return app_err_set(err, APP_EMALFORMED, "invalid_json", NULL,
				   "the body is nested deeper than %d levels", HTTP_JSON_DEPTH_MAX);
	if (array)
		s->in_array |= 1ULL << s->depth;
	else
		s->in_array &= ~(1ULL << s->depth);
	s->depth++;
	s->p++;
	s->expect = array ? EXPECT_VALUE_OR_END : EXPECT_KEY_OR_END;
	return 0;
}

/* After a string: when it was the first bad one, the top-level field it is in. */
static void note_bad(scanner *s, int was, cursor key, cursor key_end)
{
	size_t n;

	if (was || !s->bad || !key)
		return;
	n = (size_t)(key_end - key);
	if (n >= sizeof(s->bad_field))
		n = sizeof(s->bad_field) - 1;
	memcpy(s->bad_field, key, n);
	s->bad_field[n] = '\0';
}

/* One scalar value at s->p (not the top level). */
static int scan_scalar(scanner *s, app_err *err)
{
	int was = s->bad;
	cursor q;

	if (s->depth == 0)
		return malformed(err, "must be a JSON object");
	if (*s->p == '"')
		q = scan_string(s->p, s->end, &s->bad);
	else if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
		q = scan_number(s->p, s->end);
	else
		q = scan_literal(s->p, s->end);
	if (!q)
		return malformed(err, "is not valid JSON");
	note_bad(s, was, s->key, s->key_end);
	s->p = q;
	s->expect = EXPECT_NEXT;
	return 0;
}

static int scan_key(scanner *s, app_err *err)
{
	int was = s->bad;
	cursor q;

	if (*s->p != '"' || !(q = scan_string(s->p, s->end, &s->bad)))
		return malformed(err, "is not valid JSON");
	if (s->depth == 1) {
		s->key = s->p + 1;
		s->key_end = q - 1;
	}
	note_bad(s, was, s->key, s->key_end);
	s->p = q;
	s->expect = EXPECT_COLON;
	return 0;
}

/* After a value: a comma, or the end of the enclosing container. */
static int scan_next(scanner *s, app_err *err)
{
	int array = (s->in_array >> (s->depth - 1)) & 1;

	if (*s->p == ',') {
		s->p++;
		s->expect = array ? EXPECT_VALUE : EXPECT_KEY;
		return 0;
	}
	if (*s->p != (array ? ']' : '}'))
		return malformed(err, "is not valid JSON");
	s->p++;
	s->depth--;
	s->expect = EXPECT_NEXT;
	return 0;
}

static int scan_step(scanner *s, app_err *err)
{
	switch (s->expect) {
	case EXPECT_KEY_OR_END:
		if (*s->p == '}')
			return scan_next(s, err);
		return scan_key(s, err);
	case EXPECT_KEY:
		return scan_key(s, err);
	case EXPECT_COLON:
		if (*s->p != ':')
			return malformed(err, "is not valid JSON");
		s->p++;
		s->expect = EXPECT_VALUE;
		return 0;
	case EXPECT_VALUE_OR_END:
		if (*s->p == ']')
			return scan_next(s, err);
		/* fall through */
	case EXPECT_VALUE:
		if (*s->p == '{' || *s->p == '[')
			return scan_open(s, *s->p == '[', err);
		return scan_scalar(s, err);
	default:
		return scan_next(s, err);
	}
}

int http_json_check(const char *text, size_t len, app_err *err)
{
	scanner s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = (cursor)text;
	s.end = s.p + len;
	s.expect = EXPECT_VALUE;
	for (;;) {
		s.p = skip_ws(s.p, s.end);
		if (s.depth == 0 && s.expect == EXPECT_NEXT)
			break; /* the object is complete */
		if (s.p >= s.end)
			return malformed(err, s.depth || len ? "ends too early" : "is empty");
		if ((rc = scan_step(&s, err)))
			return rc;
	}
	if (s.p != s.end)
		return malformed(err, "has data after the JSON object");
	if (s.bad)
		return app_err_set(err, APP_EINVALID, "validation_failed", s.bad_field, "%s %s",
				   s.bad_field[0] ? s.bad_field : "a key",
				   s.bad == STRING_NUL ? "must not contain U+0000"
						       : "must be valid UTF-8");
	return 0;
}

int http_json_depth_feed(http_json_depth *d, const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char c = text[i];

		if (d->escaped)
			d->escaped = 0;
		else if (d->in_string)
			d->escaped = c == '\\', d->in_string = c != '"';
		else if (c == '"')
			d->in_string = 1;
		else if ((c == '{' || c == '[') && ++d->depth > HTTP_JSON_DEPTH_MAX)
			return -1;
		else if ((c == '}' || c == ']') && d->depth > 0)
			d->depth--;
	}
	return 0;
}

static int key_cmp(const void *a, const void *b)
{
	return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

/* 1 when an object of n members holds one key twice; -1 when out of memory. */
static int object_has_duplicate(const cJSON *o, size_t n)
{
	const cJSON **keys;
	int dup = 0;
	size_t i = 0;

	if (n < 2)
		return 0;
	if (n <= 8) { /* most bodies: no allocation */
		for (const cJSON *a = o->child; a; a = a->next)
			for (const cJSON *b = a->next; b; b = b->next)
				if (strcmp(a->string, b->string) == 0)
					return 1;
		return 0;
	}
	if (!(keys = malloc(n * sizeof(*keys))))
		return -1;
	for (const cJSON *c = o->child; c; c = c->next)
		keys[i++] = c;
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (i = 1; i < n && !dup; i++)
		dup = strcmp(keys[i - 1]->string, keys[i]->string) == 0;
	free(keys);
	return dup;
}

/* Recursion is bounded by the depth http_json_check allowed. */
static int has_duplicate(const cJSON *node)
{
	size_t n = 0;
	int rc;

	for (const cJSON *c = node->child; c; c = c->next, n++)
		if ((cJSON_IsObject(c) || cJSON_IsArray(c)) && (rc = has_duplicate(c)))
			return rc;
	return cJSON_IsObject(node) ? object_has_duplicate(node, n) : 0;
}

int http_json_parse(cJSON **out, const char *text, size_t len, app_err *err)
{
	app_err nul;
	cJSON *o;
	int rc, dup;

	*out = NULL;
	app_err_clear(&nul);
	rc = http_json_check(text, len, &nul);
	if (rc && rc != APP_EINVALID) {
		*err = nul;
		return rc;
	}
	if (!(o = cJSON_ParseWithLength(text, len)))
		return malformed(err, "is not valid JSON"); /* e.g. a number too long for cJSON */
	if ((dup = has_duplicate(o))) {
		cJSON_Delete(o);
		if (dup < 0)
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		return malformed(err, "has a duplicate key");
	}
	if (rc) { /* a bad string: after the syntax and the keys */
		cJSON_Delete(o);
		*err = nul;
		return rc;
	}
	*out = o;
	return 0;
}

static int missing(const char *name, int required, app_err *err)
{
	if (!required)
		return 0;
	return app_err_set(err, APP_EINVALID, "validation_failed", name, "%s is required", name);
}

static int wrong_type(const char *name, const char *type, app_err *err)
{
	return app_err_set(err, APP_EMALFORMED, "invalid_json", name, "%s must be %s", name, type);
}

static int map_field(http_value *v, const http_field *f, const cJSON *obj, app_err *err)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, f->name);
	double d;

	memset(v, 0, sizeof(*v));
	if (!j || cJSON_IsNull(j))
		return missing(f->name, f->required, err);
	switch (f->type) {
	case HTTP_FIELD_STR:
		if (!cJSON_IsString(j))
			return wrong_type(f->name, "a string", err);
		v->s = j->valuestring;
		v->len = strlen(j->valuestring);
		break;
	case HTTP_FIELD_INT:
		d = j->valuedouble;
		/* the range first: converting a double out of int64_t's range is undefined */
		if (!cJSON_IsNumber(j) || d > 9007199254740991.0 || d < -9007199254740991.0 ||
		    d != (double)(int64_t)d)
			return wrong_type(f->name, "an integer", err);
		v->i = (int64_t)d;
		break;
	case HTTP_FIELD_BOOL:
		if (!cJSON_IsBool(j))
			return wrong_type(f->name, "true or false", err);
		v->b = cJSON_IsTrue(j);
		break;
	}
	v->present = 1;
	return 0;
}

int http_body_map(http_value *vals, const http_field *fields, const cJSON *obj, app_err *err)
{
	int rc;

	for (size_t i = 0; fields[i].name; i++) {
		assert(i < HTTP_FIELDS_MAX);
		if ((rc = map_field(&vals[i], &fields[i], obj, err)))
			return rc;
	}
	return 0;
}

/* --- bodies a handler maps itself ------------------------------------------------------------ */

cJSON *http_body_object(http_req *r)
{
	if (!r->body && !(r->body = cJSON_CreateObject()))
		http_send_problem(r, 500, "internal", "out of memory", NULL);
	return r->body;
}

int http_field_string(const char **out, const cJSON *obj, const char *name, int required,
		      app_err *err)
{
	http_field f = {name, HTTP_FIELD_STR, required};
	http_value v;
	int rc = map_field(&v, &f, obj, err);

	if (rc == 0 && v.present)
		*out = v.s;
	return rc;
}

int http_field_int(int64_t *out, const cJSON *obj, const char *name, int required, app_err *err)
{
	http_field f = {name, HTTP_FIELD_INT, required};
	http_value v;
	int rc = map_field(&v, &f, obj, err);

	if (rc == 0 && v.present)
		*out = v.i;
	return rc;
}

int http_field_bool(int *out, const cJSON *obj, const char *name, int required, app_err *err)
{
	http_field f = {name, HTTP_FIELD_BOOL, required};
	http_value v;
	int rc = map_field(&v, &f, obj, err);

	if (rc == 0 && v.present)
		*out = v.b;
	return rc;
}
