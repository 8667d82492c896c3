/*
 * Which peer addresses an image may be fetched from. The rule is a list of
 * what is not on the public Internet (IANA's special-purpose registries),
 * applied to the address actually connected to, so neither DNS nor a
 * redirect can lead a fetch inside.
 */
#include "adapters/llm_http/llm_http.h"

#include <netinet/in.h>
#include <stdint.h>
#include <string.h>

typedef struct net4 {
	uint32_t addr;
	int bits;
} net4;

static const net4 not_public4[] = {
    {0x00000000u, 8},  /* "this network", 0.0.0.0 */
    {0x0a000000u, 8},  /* private */
    {0x64400000u, 10}, /* shared address space (CGNAT; Alibaba's metadata 100.100.100.200) */
    {0x7f000000u, 8},  /* loopback */
    {0xa9fe0000u, 16}, /* link-local, 169.254.169.254 metadata among them */
    {0xac100000u, 12}, /* private */
    {0xc0000000u, 24}, /* IETF protocol assignments (192.0.0.192 Oracle metadata) */
    {0xc0000200u, 24}, /* documentation */
    {0xc0586300u, 24}, /* 6to4 relay anycast */
    {0xc0a80000u, 16}, /* private */
    {0xc6120000u, 15}, /* benchmarking */
    {0xc6336400u, 24}, /* documentation */
    {0xcb007100u, 24}, /* documentation */
    {0xe0000000u, 4},  /* multicast */
    {0xf0000000u, 4},  /* reserved, 255.255.255.255 broadcast */
    {0xa83f8110u, 32}, /* 168.63.129.16: Azure's platform endpoint, public-looking */
};

static int public4(uint32_t a)
{
	size_t i;

	for (i = 0; i < sizeof(not_public4) / sizeof(not_public4[0]); i++) {
		uint32_t mask = not_public4[i].bits ? 0xffffffffu << (32 - not_public4[i].bits) : 0;

		if ((a & mask) == not_public4[i].addr)
			return 0;
	}
	return 1;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int prefix(const unsigned char *a, const unsigned char *p, int bits)
{
	int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, p, (size_t)whole) != 0)
		return 0;
	return rest == 0 || ((a[whole] ^ p[whole]) & (0xff << (8 - rest))) == 0;
}

static int public6(const unsigned char *a)
{
	static const unsigned char zero[16] = {0};
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};
	static const struct {
		unsigned char p[16];
		int bits;
	} not_public6[] = {
	    {{0, 0x64, 0xff, 0x9b, 0, 1}, 48}, /* local-use NAT64 */
	    {{0x01, 0x00}, 64},		       /* discard-only */
	    {{0x20, 0x01, 0x00, 0x00}, 32},    /* Teredo: hides an IPv4 address */
	    {{0x20, 0x01, 0x0d, 0xb8}, 32},    /* documentation */
	    {{0x20, 0x01, 0x00, 0x10}, 28},    /* ORCHID */
	    {{0xfc}, 7},		       /* unique local (AWS metadata fd00:ec2::254) */
	    {{0xfe, 0x80}, 10},		       /* link-local */
	    {{0xfe, 0xc0}, 10},		       /* site-local (deprecated) */
	    {{0xff}, 8},		       /* multicast */
	};
	size_t i;

	/* forms that carry an IPv4 address are judged by that address */
	if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0)
		return public4(be32(a + 12));
	if (memcmp(a, zero, 12) == 0) /* ::, ::1 and IPv4-compatible (deprecated) */
		return 0;
	if (a[0] == 0x20 && a[1] == 0x02) /* 6to4 */
		return public4(be32(a + 2));
	for (i = 0; i < sizeof(not_public6) / sizeof(not_public6[0]); i++)
		if (prefix(a, not_public6[i].p, not_public6[i].bits))
			return 0;
	/* the global unicast block is 2000::/3; everything else is reserved */
	return (a[0] & 0xe0) == 0x20;
}

int llm_http_address_public(const struct sockaddr *sa, size_t len)
{
	if (!sa)
		return 0;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		return public4(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;

		return public6(in6->sin6_addr.s6_addr);
	}
	return 0;
}
