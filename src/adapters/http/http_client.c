/*
 * Who the client is. Without trusted proxies it is the TCP peer. With
 * --trusted-proxy, a request from a trusted peer names its client in
 * X-Forwarded-For, each proxy appending the address it saw: the client is
 * the right-most address that is not itself a trusted proxy, so nothing a
 * client writes into the header (to its left) is believed. Pure functions
 * over text: the header fuzz target drives them.
 */
#include "adapters/http/http_internal.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

static int parse_v4(http_addr *out, const char *s, size_t len)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr v4;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (inet_pton(AF_INET, buf, &v4) != 1)
		return -1;
	memcpy(out->b, v4_mapped, 12);
	memcpy(out->b + 12, &v4, 4);
	return 0;
}

int http_addr_parse(http_addr *out, const char *s, size_t len)
{
	char buf[INET6_ADDRSTRLEN];
	const char *colon = memchr(s, ':', len);

	/* a bare IPv4 address, or "v4:port" */
	if (parse_v4(out, s, len) == 0 || (colon && parse_v4(out, s, (size_t)(colon - s)) == 0 &&
					   !memchr(colon + 1, ':', len - (size_t)(colon - s) - 1)))
		return 0;
	/* a bare IPv6 address, "[v6]" or "[v6]:port" */
	if (len && s[0] == '[') {
		const char *close = memchr(s, ']', len);

		if (!close || (close + 1 != s + len && close[1] != ':'))
			return -1;
		len = (size_t)(close - s - 1);
		s++;
	}
	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, out->b) == 1 ? 0 : -1;
}

int http_addr_is_v4(const http_addr *a)
{
	return memcmp(a->b, v4_mapped, 12) == 0;
}

void http_addr_format(char *out, size_t cap, const http_addr *a)
{
	if (http_addr_is_v4(a))
		inet_ntop(AF_INET, a->b + 12, out, (socklen_t)cap);
	else
		inet_ntop(AF_INET6, a->b, out, (socklen_t)cap);
}

int http_addr_is_loopback(const http_addr *a)
{
	static const unsigned char v6_loopback[16] = {[15] = 1};

	return (http_addr_is_v4(a) && a->b[12] == 127) || memcmp(a->b, v6_loopback, 16) == 0;
}

void http_addr_client_key(http_addr *key, const http_addr *a)
{
	*key = *a;
	if (!http_addr_is_v4(a)) /* one IPv6 client is a /64, which it can fill with addresses */
		memset(key->b + 8, 0, 8);
}

static int cidr_parse(http_cidr *out, const char *s, size_t len)
{
	const char *slash = memchr(s, '/', len);
	size_t alen = slash ? (size_t)(slash - s) : len;
	char bits[8];
	long v;
	char *end;

	if (http_addr_parse(&out->addr, s, alen))
		return -1;
	out->bits = 128;
	if (!slash)
		return 0;
	if (len - alen - 1 == 0 || len - alen - 1 >= sizeof(bits))
		return -1;
	memcpy(bits, slash + 1, len - alen - 1);
	bits[len - alen - 1] = '\0';
	v = strtol(bits, &end, 10);
	if (*end || bits[0] < '0' || bits[0] > '9' || v > (http_addr_is_v4(&out->addr) ? 32 : 128))
		return -1;
	out->bits = (int)v + (http_addr_is_v4(&out->addr) ? 96 : 0);
	return 0;
}

int http_cidrs_parse(http_cidr *out, size_t cap, size_t *n, const char *list, app_err *err)
{
	const char *p = list;

	*n = 0;
	while (p && *p) {
		size_t len = strcspn(p, ",");
		const char *s = p;

		while (len && (*s == ' ' || *s == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			len--;
		if (*n == cap)
			return app_err_set(err, APP_EINVALID, NULL, "trusted-proxy",
					   "--trusted-proxy: at most %zu networks", cap);
		if (cidr_parse(&out[*n], s, len))
			return app_err_set(err, APP_EINVALID, NULL, "trusted-proxy",
					   "--trusted-proxy: '%.*s' is not an address or CIDR",
					   (int)(len > 60 ? 60 : len), s);
		(*n)++;
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
	}
	return 0;
}

int http_cidr_contains(const http_cidr *set, size_t n, const http_addr *a)
{
	for (size_t i = 0; i < n; i++) {
		int full = set[i].bits / 8, rest = set[i].bits % 8;

		if (memcmp(set[i].addr.b, a->b, (size_t)full) != 0)
			continue;
		if (rest && ((set[i].addr.b[full] ^ a->b[full]) & (0xff00 >> rest) & 0xff))
			continue;
		return 1;
	}
	return 0;
}

/* The address of the element of list (a header value) that ends at end, walking left. */
static int last_element(http_addr *out, const char *list, const char **end)
{
	const char *e = *end, *b;

	while (e > list && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == ','))
		e--;
	if (e == list)
		return 1; /* nothing left */
	for (b = e; b > list && b[-1] != ','; b--)
		;
	*end = b;
	while (b < e && (*b == ' ' || *b == '\t'))
		b++;
	return http_addr_parse(out, b, (size_t)(e - b)) ? -1 : 0;
}

void http_client_addr(http_addr *client, const http_addr *peer, const char *const *xff, size_t nxff,
		      const http_cidr *trusted, size_t ntrusted)
{
	*client = *peer;
	/* headers in order; the last one is the right-most part of the list */
	for (size_t h = nxff; h-- > 0 && http_cidr_contains(trusted, ntrusted, client);) {
		const char *end = xff[h] + strlen(xff[h]);
		http_addr a;
		int rc;

		while ((rc = last_element(&a, xff[h], &end)) == 0) {
			*client = a;
			if (!http_cidr_contains(trusted, ntrusted, &a))
				return;
		}
		if (rc < 0)
			return; /* garbage: what a trusted proxy handed over is the client */
	}
}
