/*
 * A watchdog for blocking reads: a reader arms a deadline on its socket
 * before it blocks, and disarms it after; a deadline that passes first
 * shuts the socket for reading, which wakes the reader with an end of data.
 *
 * Why: civetweb's mg_read returns only once it has every byte asked for, or
 * after request_timeout_ms without a single byte. A client sending a byte
 * every few seconds therefore keeps one mg_read (and its worker) for as long
 * as it likes, and a rate cannot be checked between reads. One thread per
 * server sleeps until the nearest deadline instead.
 */
#include "adapters/http/http_internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

enum { WATCH_FREE, WATCH_ARMED, WATCH_FIRED };

typedef struct watch {
	int fd;
	int state;
	double deadline;
} watch;

struct http_watch {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_t thread;
	int stop;
	double planned; /* when the thread wakes next, 0 for not before a signal */
	size_t cap;
	watch slots[];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fires every passed deadline; the nearest one still ahead, or 0 for none. Under the lock. */
static double fire_due(http_watch *w)
{
	double now = now_s(), next = 0;

	for (size_t i = 0; i < w->cap; i++) {
		watch *s = &w->slots[i];

		if (s->state != WATCH_ARMED)
			continue;
		if (s->deadline <= now) {
			shutdown(s->fd, SHUT_RD); /* the reader's poll wakes, recv gives 0 */
			s->state = WATCH_FIRED;
		} else if (next == 0 || s->deadline < next) {
			next = s->deadline;
		}
	}
	return next;
}

static void *run(void *arg)
{
	http_watch *w = arg;

	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		double next = fire_due(w);

		w->planned = next;
		if (next == 0) {
			pthread_cond_wait(&w->wake, &w->lock);
		} else {
			struct timespec until = {.tv_sec = (time_t)next,
						 .tv_nsec =
						     (long)((next - (double)(time_t)next) * 1e9)};

			pthread_cond_timedwait(&w->wake, &w->lock, &until);
		}
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

http_watch *http_watch_new(size_t cap)
{
	http_watch *w = calloc(1, sizeof(*w) + cap * sizeof(watch));
	pthread_condattr_t attr;

	if (!w)
		return NULL;
	w->cap = cap;
	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &attr);
	pthread_condattr_destroy(&attr);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		pthread_cond_destroy(&w->wake);
		pthread_mutex_destroy(&w->lock);
		free(w);
		return NULL;
	}
	return w;
}

void http_watch_free(http_watch *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

int http_watch_arm(http_watch *w, int fd, double deadline)
{
	int handle = -1;

	if (!w || fd < 0)
		return -1;
	pthread_mutex_lock(&w->lock);
	for (size_t i = 0; i < w->cap; i++)
		if (w->slots[i].state == WATCH_FREE) {
			w->slots[i] = (watch){.fd = fd, .state = WATCH_ARMED, .deadline = deadline};
			handle = (int)i;
			break;
		}
	if (handle >= 0 && (w->planned == 0 || deadline < w->planned)) {
		w->planned = deadline;
		pthread_cond_signal(&w->wake);
	}
	pthread_mutex_unlock(&w->lock);
	return handle;
}

int http_watch_disarm(http_watch *w, int handle)
{
	int fired;

	if (!w || handle < 0)
		return 0;
	pthread_mutex_lock(&w->lock);
	fired = w->slots[handle].state == WATCH_FIRED;
	w->slots[handle].state = WATCH_FREE;
	pthread_mutex_unlock(&w->lock);
	return fired;
}
