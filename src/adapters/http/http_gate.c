/*
 * The connection gate: at most max_per_client open connections per client
 * address (an IPv6 client is its /64), further ones closed at once.
 *
 * "At once" means before a worker thread is spent on the connection, and
 * civetweb 1.15 gives no hook there: its master thread accept()s and queues
 * the socket, and the first callback (init_connection) already runs on a
 * worker, with no way to refuse. So the gate sits in accept() itself. This
 * executable defines accept(); civetweb's shared library calls accept
 * through its PLT, and a definition in the executable comes first in symbol
 * lookup, so civetweb's call arrives here (under ASan the sanitizer's
 * interceptor is a weak definition, and this one still wins). The real
 * accept is the next definition (dlsym RTLD_NEXT). Only threads that
 * init_thread marked as a gated server's master thread are gated; any other
 * caller in the process passes straight through.
 *
 * Counting: accept() takes a slot for the peer; civetweb's connection_close
 * callback gives it back. That callback can run twice for one connection
 * (mg_close_connection from a handler, then civetweb's own close), so the
 * release is tied to the connection's user data, which civetweb clears
 * after the first call: init_connection sets it, the first close releases.
 *
 * Trusted proxies are not capped: behind one, every client shares its
 * address (cap clients at the proxy, see deploy/nginx.conf).
 */
#include "adapters/http/http_internal.h"

#include <arpa/inet.h>
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUCKETS 4096

/* Connections open per client. */
typedef struct slot {
	struct slot *next;
	http_addr key;
	int open;
} slot;

/* The socket of each connection accepted, by its peer's address and port. */
typedef struct sock {
	struct sock *next;
	http_addr peer;
	unsigned port;
	int fd;
} sock;

struct http_gate {
	pthread_mutex_t lock;
	int max_per_client; /* 0: no cap */
	const http_cidr *trusted;
	size_t ntrusted;
	uint64_t seed;
	slot *buckets[BUCKETS];
	sock *socks[BUCKETS];
	http_watch *watch;
	atomic_ullong refused, open;
};

/* The gate of the civetweb master thread running on this thread, if any. */
static _Thread_local http_gate *this_thread_gate;

http_gate *http_gate_new(int max_per_client, const http_cidr *trusted, size_t ntrusted,
			 size_t readers)
{
	http_gate *g = calloc(1, sizeof(*g));
	struct timespec ts;

	if (!g)
		return NULL;
	if (!(g->watch = http_watch_new(readers))) {
		free(g);
		return NULL;
	}
	pthread_mutex_init(&g->lock, NULL);
	g->max_per_client = max_per_client;
	g->trusted = trusted;
	g->ntrusted = ntrusted;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	/* Peers cannot choose their addresses freely (a TCP handshake), so a seeded mix is
	 * enough to spread them; chains stay short and are walked under the lock only. */
	g->seed = ((uint64_t)ts.tv_nsec << 32) ^ (uint64_t)ts.tv_sec ^ (uint64_t)(uintptr_t)g;
	return g;
}

void http_gate_free(http_gate *g)
{
	if (!g)
		return;
	http_watch_free(g->watch);
	for (size_t i = 0; i < BUCKETS; i++) {
		while (g->buckets[i]) {
			slot *s = g->buckets[i];

			g->buckets[i] = s->next;
			free(s);
		}
		while (g->socks[i]) {
			sock *k = g->socks[i];

			g->socks[i] = k->next;
			free(k);
		}
	}
	pthread_mutex_destroy(&g->lock);
	free(g);
}

void http_gate_enter_master(http_gate *g)
{
	this_thread_gate = g;
}

static size_t bucket_of(const http_gate *g, const http_addr *key, unsigned port)
{
	uint64_t h = g->seed ^ port, w[2];

	memcpy(w, key->b, 16);
	for (int i = 0; i < 2; i++) {
		h ^= w[i];
		h *= 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
	}
	return (size_t)(h % BUCKETS);
}

static int peer_of(http_addr *a, unsigned *port, const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		memset(a->b, 0, 10);
		a->b[10] = a->b[11] = 0xff;
		memcpy(a->b + 12, &in->sin_addr, 4);
		*port = ntohs(in->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		memcpy(a->b, &in6->sin6_addr, 16);
		*port = ntohs(in6->sin6_port);
	} else {
		return -1;
	}
	return 0;
}

/* Files the socket fd of peer:port (for http_gate_watch); a missing record only loses the watch. */
static void sock_add(http_gate *g, const http_addr *peer, unsigned port, int fd)
{
	sock *k = malloc(sizeof(*k));
	size_t b = bucket_of(g, peer, port);

	if (!k)
		return;
	*k = (sock){.peer = *peer, .port = port, .fd = fd};
	pthread_mutex_lock(&g->lock);
	k->next = g->socks[b];
	g->socks[b] = k;
	pthread_mutex_unlock(&g->lock);
}

/* The socket of peer:port, and with drop, forgets it. -1 when unknown. Under the lock. */
static int sock_find(http_gate *g, const http_addr *peer, unsigned port, int drop)
{
	sock **p, *k;
	int fd;

	for (p = &g->socks[bucket_of(g, peer, port)]; (k = *p); p = &k->next)
		if (k->port == port && memcmp(&k->peer, peer, sizeof(*peer)) == 0) {
			fd = k->fd;
			if (drop) {
				*p = k->next;
				free(k);
			}
			return fd;
		}
	return -1;
}

/* Takes a slot for the peer of socket fd; 0 when over the cap. */
static int gate_admit(http_gate *g, const struct sockaddr *sa, int fd)
{
	http_addr key, peer;
	unsigned port;
	slot **head, *s;
	int ok = 1;

	if (peer_of(&peer, &port, sa))
		return 1; /* not an IP peer: not ours to count */
	if (g->max_per_client == 0 || http_cidr_contains(g->trusted, g->ntrusted, &peer)) {
		sock_add(g, &peer, port, fd);
		return 1;
	}
	http_addr_client_key(&key, &peer);
	pthread_mutex_lock(&g->lock);
	head = &g->buckets[bucket_of(g, &key, 0)];
	for (s = *head; s && memcmp(&s->key, &key, sizeof(key)) != 0; s = s->next)
		;
	if (!s && (s = calloc(1, sizeof(*s)))) {
		s->key = key;
		s->next = *head;
		*head = s;
	}
	if (!s || s->open >= g->max_per_client)
		ok = 0;
	else
		s->open++;
	pthread_mutex_unlock(&g->lock);
	if (ok) {
		atomic_fetch_add(&g->open, 1);
		sock_add(g, &peer, port, fd);
	} else {
		atomic_fetch_add(&g->refused, 1);
	}
	return ok;
}

static void gate_release(http_gate *g, const http_addr *key)
{
	slot **p, *s;

	pthread_mutex_lock(&g->lock);
	for (p = &g->buckets[bucket_of(g, key, 0)]; (s = *p); p = &s->next)
		if (memcmp(&s->key, key, sizeof(*key)) == 0) {
			if (--s->open <= 0) {
				*p = s->next;
				free(s);
			}
			break;
		}
	pthread_mutex_unlock(&g->lock);
	atomic_fetch_sub(&g->open, 1);
}

typedef int (*accept_fn)(int, __SOCKADDR_ARG, socklen_t *__restrict);

/* glibc's own prototype: with _GNU_SOURCE the address is a transparent union. */
int accept(int fd, __SOCKADDR_ARG addr, socklen_t *__restrict len)
{
	static _Atomic(accept_fn) real_accept;
	accept_fn real = atomic_load(&real_accept);
	struct sockaddr *sa = addr.__sockaddr__;
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	int c;

	if (!real) {
		void *sym = dlsym(RTLD_NEXT, "accept");

		if (!sym)
			abort();		   /* no libc accept: nothing can work */
		memcpy(&real, &sym, sizeof(real)); /* POSIX: a data pointer that is a function */
		atomic_store(&real_accept, real);
	}
	c = real(fd, addr, len);
	if (c < 0 || !this_thread_gate)
		return c;
	if (!sa && getpeername(c, (struct sockaddr *)&peer, &plen) == 0)
		sa = (struct sockaddr *)&peer;
	if (!sa || gate_admit(this_thread_gate, sa, c))
		return c;
	/*
	 * Over the cap: closed before any worker sees it. A reset rather than a
	 * FIN, so the socket does not linger in TIME_WAIT on this side. The
	 * master thread polls again and takes the next connection.
	 */
	setsockopt(c, SOL_SOCKET, SO_LINGER, &(struct linger){.l_onoff = 1, .l_linger = 0},
		   sizeof(struct linger));
	close(c);
	errno = EAGAIN;
	return -1;
}

/*
 * The request info, and so the peer's address, is not available before the
 * first request head is read (civetweb answers NULL): init_connection only
 * marks the connection, and the address is read when it closes.
 */
int http_gate_connection_open(http_gate *g, const struct mg_connection *conn, void **conn_data)
{
	(void)conn;
	*conn_data = g;
	return 0;
}

/* The peer of a request's connection; -1 when it is not an IP address. */
static int request_peer(http_addr *peer, const struct mg_request_info *ri)
{
	return ri ? http_addr_parse(peer, ri->remote_addr, strlen(ri->remote_addr)) : -1;
}

void http_gate_connection_close(const struct mg_connection *conn)
{
	http_gate *g = mg_get_user_connection_data(conn);
	const struct mg_request_info *ri = mg_get_request_info(conn);
	http_addr peer, key;

	if (!g || request_peer(&peer, ri))
		return;
	pthread_mutex_lock(&g->lock);
	sock_find(g, &peer, (unsigned)ri->remote_port, 1);
	pthread_mutex_unlock(&g->lock);
	if (g->max_per_client == 0 || http_cidr_contains(g->trusted, g->ntrusted, &peer))
		return; /* no slot was taken at accept */
	http_addr_client_key(&key, &peer);
	gate_release(g, &key);
}

int http_gate_watch(http_gate *g, const struct mg_request_info *ri, double deadline)
{
	http_addr peer;
	int fd;

	if (request_peer(&peer, ri))
		return -1;
	pthread_mutex_lock(&g->lock);
	fd = sock_find(g, &peer, (unsigned)ri->remote_port, 0);
	pthread_mutex_unlock(&g->lock);
	return http_watch_arm(g->watch, fd, deadline);
}

int http_gate_unwatch(http_gate *g, int handle)
{
	return http_watch_disarm(g->watch, handle);
}

void http_gate_counts(const http_gate *g, unsigned long long *open, unsigned long long *refused)
{
	*open = atomic_load(&g->open);
	*refused = atomic_load(&g->refused);
}

long long http_gate_raise_fd_limit(int threads)
{
	struct rlimit lim;
	/* each connection is a descriptor; SQLite, logs and curl need a few hundred more */
	rlim_t want = (rlim_t)threads * 2 + 512;

	if (getrlimit(RLIMIT_NOFILE, &lim) != 0)
		return -1;
	if (lim.rlim_cur < want) {
		lim.rlim_cur =
		    lim.rlim_max == RLIM_INFINITY || lim.rlim_max > want ? want : lim.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &lim) != 0 && getrlimit(RLIMIT_NOFILE, &lim) != 0)
			return -1;
	}
	return (long long)lim.rlim_cur;
}
