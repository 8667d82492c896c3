/*
 * Domain events: a type and a flat set of named integer or string fields.
 * The outbox adapter turns them into JSON; no JSON type enters the domain.
 */
#ifndef WL_DOMAIN_EVENT_H
#define WL_DOMAIN_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define DOMAIN_EVENT_MAX_FIELDS 12

typedef enum { EVENT_FIELD_INT, EVENT_FIELD_STR, EVENT_FIELD_BOOL } event_field_kind;

typedef struct event_field {
	char name[32];
	event_field_kind kind;
	int64_t i;
	char *s; /* owned */
} event_field;

typedef struct domain_event {
	int64_t id;	    /* set by the outbox when appended */
	int64_t created_at; /* ms since the epoch, set by the outbox */
	char type[48];
	int nfields;
	/*
	 * The first failure of an add (APP_ENOMEM, or APP_EINVALID when full): it
	 * sticks, so a builder may add field after field and check once; a
	 * publisher refuses an event that carries one.
	 */
	int error;
	event_field f[DOMAIN_EVENT_MAX_FIELDS];
} domain_event;

void domain_event_init(domain_event *ev, const char *type);
void domain_event_dispose(domain_event *ev);
/* Deep copy; returns APP_ENOMEM on failure (dst is then disposed). */
int domain_event_copy(domain_event *dst, const domain_event *src);

/*
 * Adding fails (returns APP_ENOMEM / APP_EINVALID) when full or out of
 * memory; the failure also sticks in ev->error.
 */
int domain_event_add_int(domain_event *ev, const char *name, int64_t v);
int domain_event_add_bool(domain_event *ev, const char *name, int v);
int domain_event_add_str(domain_event *ev, const char *name, const char *v);

/* Events in order, each a deep copy owned by the list. */
typedef struct event_list {
	domain_event *items;
	size_t n, cap;
} event_list;

/* Appends a copy of ev. APP_ENOMEM (the list is unchanged). */
int event_list_push(event_list *l, const domain_event *ev);
/* Moves every event out into the returned list; l is left empty. */
event_list event_list_take(event_list *l);
/* Disposes every event and frees the list's memory. */
void event_list_dispose(event_list *l);

int64_t domain_event_int(const domain_event *ev, const char *name, int64_t dflt);
const char *domain_event_str(const domain_event *ev, const char *name);

#endif
