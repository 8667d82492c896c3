/*
 * The request headers the server acts on, read by pure functions (the
 * header fuzz target drives them): Origin and Sec-Fetch-Site, the bearer
 * token, X-Request-Id.
 */
#include "adapters/http/http_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

int http_request_id_valid(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (n >= 64 ||
		    !(s[n] == '-' || s[n] == '_' || s[n] == '.' || (s[n] >= '0' && s[n] <= '9') ||
		      (s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z')))
			return 0;
	return n > 0;
}

/* len of s without a trailing ":port" that is the default one for scheme. */
static size_t without_default_port(const char *s, size_t len, const char *scheme)
{
	const char *port = strcasecmp(scheme, "https") == 0 ? ":443" : ":80";
	size_t n = strlen(port);

	if (len > n && strncmp(s + len - n, port, n) == 0)
		return len - n;
	return len;
}

int http_cross_site(const char *origin, const char *fetch_site, const char *host)
{
	const char *sep, *authority;
	char scheme[8];
	size_t alen, hlen, slen;

	if (fetch_site && strcasecmp(fetch_site, "cross-site") == 0)
		return 1;
	if (!origin)
		return 0;
	/* "null" (a sandboxed or file: page), no Host to compare with, or not scheme://authority */
	if (!host || !(sep = strstr(origin, "://")))
		return 1;
	slen = (size_t)(sep - origin);
	if (slen == 0 || slen >= sizeof(scheme))
		return 1;
	memcpy(scheme, origin, slen);
	scheme[slen] = '\0';
	authority = sep + 3;
	alen = without_default_port(authority, strlen(authority), scheme);
	hlen = without_default_port(host, strlen(host), scheme);
	return alen == 0 || alen != hlen || strncasecmp(authority, host, alen) != 0;
}

int http_bearer_token(char *out, size_t cap, const char *authorization)
{
	const char *t;
	size_t n;

	if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
		return -1;
	for (t = authorization + 7; *t == ' '; t++)
		;
	n = strcspn(t, " \t");
	if (n == 0 || n >= cap || t[n])
		return -1;
	memcpy(out, t, n);
	out[n] = '\0';
	return 0;
}

int http_secret_equal(const char *given, const char *secret)
{
	size_t n = strlen(secret);
	/* a wrong length still costs a full comparison (of the secret with itself) */
	const char *g = strlen(given) == n ? given : secret;
	unsigned char diff = g != given;

	/* every byte compared whatever differs first: the time does not tell how much matched */
	for (size_t i = 0; i < n; i++)
		diff |= (unsigned char)(g[i] ^ secret[i]);
	return diff == 0;
}
