#include "adapters/views/view_buffer.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct view_buffer {
	pthread_mutex_t lock;
	book_view *items;
	size_t n, cap;
	size_t *slots; /* open addressing over items: index + 1, 0 empty */
	size_t nslots;
};

static uint64_t mix(const book_view *v)
{
	uint64_t h = (uint64_t)v->member_id * 0x9E3779B97F4A7C15ULL;

	h ^= (uint64_t)v->book_id * 0xC2B2AE3D27D4EB4FULL;
	h ^= (uint64_t)v->day * 0x165667B19E3779F9ULL;
	h ^= (uint64_t)v->number * 0x27D4EB2F165667C5ULL;
	return h ^ (h >> 29);
}

static int same(const book_view *a, const book_view *b)
{
	return a->member_id == b->member_id && a->book_id == b->book_id && a->day == b->day &&
	       a->number == b->number;
}

/* Rebuilds the index with room for twice the items. */
static int grow(view_buffer *b)
{
	size_t cap = b->cap ? b->cap * 2 : 256, nslots = cap * 2;
	book_view *items = realloc(b->items, cap * sizeof(*items));
	size_t *slots;

	if (!items)
		return -1;
	b->items = items;
	if (!(slots = calloc(nslots, sizeof(*slots))))
		return -1;
	for (size_t i = 0; i < b->n; i++) {
		size_t s = mix(&b->items[i]) & (nslots - 1);

		while (slots[s])
			s = (s + 1) & (nslots - 1);
		slots[s] = i + 1;
	}
	free(b->slots);
	b->slots = slots;
	b->nslots = nslots;
	b->cap = cap;
	return 0;
}

static int record(void *self, const book_view *v, app_err *err)
{
	view_buffer *b = self;
	size_t s;
	int rc = 0;

	pthread_mutex_lock(&b->lock);
	if (b->n == b->cap && grow(b)) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	for (s = mix(v) & (b->nslots - 1); b->slots[s]; s = (s + 1) & (b->nslots - 1))
		if (same(&b->items[b->slots[s] - 1], v))
			goto out;
	b->items[b->n] = *v;
	b->slots[s] = ++b->n;
out:
	pthread_mutex_unlock(&b->lock);
	return rc;
}

static const view_recorder_vtbl recorder_vtbl = {.record = record};

view_recorder view_buffer_recorder(view_buffer *b)
{
	return (view_recorder){.vtbl = &recorder_vtbl, .self = b};
}

view_buffer *view_buffer_new(void)
{
	view_buffer *b = calloc(1, sizeof(*b));

	if (!b)
		return NULL;
	pthread_mutex_init(&b->lock, NULL);
	return b;
}

void view_buffer_drain(view_buffer *b, book_view **out, size_t *n)
{
	pthread_mutex_lock(&b->lock);
	*out = b->items;
	*n = b->n;
	b->items = NULL;
	free(b->slots);
	b->slots = NULL;
	b->n = b->cap = b->nslots = 0;
	pthread_mutex_unlock(&b->lock);
}

void view_buffer_free(view_buffer *b)
{
	if (!b)
		return;
	pthread_mutex_destroy(&b->lock);
	free(b->items);
	free(b->slots);
	free(b);
}
