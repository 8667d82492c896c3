#include "domain/common/event.h"
#include "domain/common/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void domain_event_init(domain_event *ev, const char *type)
{
	memset(ev, 0, sizeof(*ev));
	snprintf(ev->type, sizeof(ev->type), "%s", type);
}

void domain_event_dispose(domain_event *ev)
{
	for (int i = 0; i < ev->nfields; i++)
		free(ev->f[i].s);
	ev->nfields = 0;
}

/* Records the first failure of a builder and returns code. */
static int stick(domain_event *ev, int code)
{
	if (!ev->error)
		ev->error = code;
	return code;
}

static event_field *field_add(domain_event *ev, const char *name, event_field_kind kind)
{
	event_field *f;

	if (ev->nfields >= DOMAIN_EVENT_MAX_FIELDS) {
		stick(ev, APP_EINVALID);
		return NULL;
	}
	f = &ev->f[ev->nfields++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->kind = kind;
	return f;
}

int domain_event_add_int(domain_event *ev, const char *name, int64_t v)
{
	event_field *f = field_add(ev, name, EVENT_FIELD_INT);

	if (!f)
		return APP_EINVALID;
	f->i = v;
	return 0;
}

int domain_event_add_bool(domain_event *ev, const char *name, int v)
{
	event_field *f = field_add(ev, name, EVENT_FIELD_BOOL);

	if (!f)
		return APP_EINVALID;
	f->i = v ? 1 : 0;
	return 0;
}

int domain_event_add_str(domain_event *ev, const char *name, const char *v)
{
	event_field *f = field_add(ev, name, EVENT_FIELD_STR);

	if (!f)
		return APP_EINVALID;
	f->s = strdup(v ? v : "");
	if (!f->s) {
		ev->nfields--;
		return stick(ev, APP_ENOMEM);
	}
	return 0;
}

int domain_event_copy(domain_event *dst, const domain_event *src)
{
	*dst = *src;
	for (int i = 0; i < src->nfields; i++) {
		dst->f[i].s = NULL;
		if (src->f[i].s && !(dst->f[i].s = strdup(src->f[i].s))) {
			dst->nfields = i;
			domain_event_dispose(dst);
			return APP_ENOMEM;
		}
	}
	return 0;
}

static const event_field *field_find(const domain_event *ev, const char *name)
{
	for (int i = 0; i < ev->nfields; i++)
		if (strcmp(ev->f[i].name, name) == 0)
			return &ev->f[i];
	return NULL;
}

int64_t domain_event_int(const domain_event *ev, const char *name, int64_t dflt)
{
	const event_field *f = field_find(ev, name);

	return f && f->kind != EVENT_FIELD_STR ? f->i : dflt;
}

const char *domain_event_str(const domain_event *ev, const char *name)
{
	const event_field *f = field_find(ev, name);

	return f && f->kind == EVENT_FIELD_STR ? f->s : NULL;
}

int event_list_push(event_list *l, const domain_event *ev)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		domain_event *p = realloc(l->items, cap * sizeof(*p));

		if (!p)
			return APP_ENOMEM;
		l->items = p;
		l->cap = cap;
	}
	if (domain_event_copy(&l->items[l->n], ev))
		return APP_ENOMEM;
	l->n++;
	return 0;
}

event_list event_list_take(event_list *l)
{
	event_list out = *l;

	l->items = NULL;
	l->n = l->cap = 0;
	return out;
}

void event_list_dispose(event_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		domain_event_dispose(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}
