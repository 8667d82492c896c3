/*
 * The request headers the server reads, on arbitrary values: Origin,
 * Sec-Fetch-Site and Host (the cross-site refusal), Authorization (the
 * bearer token), Cookie (the session cookie), X-Request-Id, Content-Type,
 * and X-Forwarded-For with the TCP peer and --trusted-proxy (the client
 * address). The input is the values separated by newlines, in that order.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <strings.h>

#include "adapters/http/http_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
	ORIGIN,
	SITE,
	HOST,
	AUTHORIZATION,
	COOKIE,
	REQUEST_ID,
	CONTENT_TYPE,
	XFF,
	PEER,
	TRUSTED,
	NFIELDS
};

/* Splits a copy of the input at newlines; missing fields are NULL. */
static char *split(const uint8_t *data, size_t size, char *field[NFIELDS])
{
	char *copy = malloc(size + 1), *p;

	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	p = copy;
	for (int i = 0; i < NFIELDS; i++) {
		field[i] = p;
		if (p && (p = strchr(p, '\n')))
			*p++ = '\0';
	}
	return copy;
}

static void check_token(const char *authorization, const char *cookie)
{
	char token[CRYPTO_TOKEN_MAX];
	int n;

	if (http_bearer_token(token, sizeof(token), authorization) == 0 &&
	    (!token[0] || strlen(token) >= sizeof(token) || strpbrk(token, " \t")))
		abort();
	if (!cookie)
		return;
	n = mg_get_cookie(cookie, "wl_session", token, sizeof(token));
	if (n >= 0 && (size_t)n != strlen(token))
		abort();
}

static void check_request_id(const char *id)
{
	size_t n;

	if (!id || !http_request_id_valid(id))
		return;
	n = strlen(id);
	if (n < 1 || n > 64 ||
	    strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789-_.") != n)
		abort();
}

/* An address printed and read back is the same address. */
static void check_round_trip(const http_addr *a)
{
	char text[INET6_ADDRSTRLEN];
	http_addr back;

	http_addr_format(text, sizeof(text), a);
	if (http_addr_parse(&back, text, strlen(text)) || memcmp(&back, a, sizeof(back)) != 0)
		abort();
}

/*
 * The client is the peer, or an address of the header; everything to its
 * right (and the peer) is a trusted proxy.
 */
static void check_client(const char *xff, const char *peer_text, const char *trusted_text)
{
	http_cidr trusted[HTTP_TRUSTED_MAX];
	http_addr peer, client;
	size_t ntrusted = 0;
	app_err err;

	if (!peer_text || http_addr_parse(&peer, peer_text, strlen(peer_text)))
		return;
	check_round_trip(&peer);
	app_err_clear(&err);
	if (trusted_text &&
	    http_cidrs_parse(trusted, HTTP_TRUSTED_MAX, &ntrusted, trusted_text, &err))
		return;
	for (size_t i = 0; i < ntrusted; i++)
		if (trusted[i].bits < 0 || trusted[i].bits > 128 ||
		    !http_cidr_contains(&trusted[i], 1, &trusted[i].addr))
			abort();
	http_client_addr(&client, &peer, xff ? &xff : NULL, xff ? 1 : 0, trusted, ntrusted);
	if (memcmp(&client, &peer, sizeof(peer)) == 0)
		return;
	if (!http_cidr_contains(trusted, ntrusted, &peer))
		abort(); /* an untrusted peer named someone else */
	check_round_trip(&client);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *field[NFIELDS], *copy = split(data, size, field);

	/* Sec-Fetch-Site: cross-site is refused whatever else is said; no headers, no refusal */
	if (!http_cross_site(field[ORIGIN], "cross-site", field[HOST]) ||
	    http_cross_site(NULL, NULL, field[HOST]))
		abort();
	(void)http_cross_site(field[ORIGIN], field[SITE], field[HOST]);
	check_token(field[AUTHORIZATION], field[COOKIE]);
	check_request_id(field[REQUEST_ID]);
	check_client(field[XFF], field[PEER], field[TRUSTED]);
	if (http_content_type_json(field[CONTENT_TYPE]) &&
	    !strcasestr(field[CONTENT_TYPE], "application/json"))
		abort();
	free(copy);
	return 0;
}
