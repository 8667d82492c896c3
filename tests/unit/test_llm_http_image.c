/* The OpenAI-compatible image generator and its URL rule against in-process fake servers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <cjson/cJSON.h>

#include "support/llm_fixture.h"

static void test_image_b64(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	size_t len;
	const unsigned char *png = fake_openai_png(&len);
	char *body, *path, *auth;
	cJSON *root;
	image_generator g;

	llm_push_image(fx, "b64_json", fake_openai_png_b64());
	assert_int_equal(llm_run_image(fx, &img, "a lantern in stacks", &err), 0);
	assert_string_equal(img.mime, "image/png");
	assert_int_equal(img.len, len);
	assert_memory_equal(img.data, png, len);
	aigen_image_dispose(&img);

	path = fake_openai_last_path(fx->fake);
	auth = fake_openai_last_authorization(fx->fake);
	body = fake_openai_last_body(fx->fake);
	assert_string_equal(path, "/v1/images/generations");
	assert_string_equal(auth, "Bearer " KEY);
	root = cJSON_Parse(body);
	assert_non_null(root);
	assert_string_equal(cJSON_GetObjectItem(root, "model")->valuestring, "dall-e-3");
	assert_string_equal(cJSON_GetObjectItem(root, "prompt")->valuestring,
			    "a lantern in stacks");
	assert_string_equal(cJSON_GetObjectItem(root, "size")->valuestring, "1024x1536");
	assert_int_equal(cJSON_GetObjectItem(root, "n")->valueint, 1);
	assert_string_equal(cJSON_GetObjectItem(root, "response_format")->valuestring, "b64_json");
	cJSON_Delete(root);
	free(body);
	free(path);
	free(auth);

	assert_int_equal(llm_http_image_new(&g, &fx->cfg, &err), 0);
	assert_string_equal(image_generator_name(&g), "dall-e-3");
	g.vtbl->destroy(g.self);
}

static void test_image_gpt_image_model_without_response_format(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	char *body;
	cJSON *root;

	fx->cfg.image_model = "gpt-image-1";
	llm_push_image(fx, "b64_json", fake_openai_png_b64());
	assert_int_equal(llm_run_image(fx, &img, NULL, &err), 0);
	aigen_image_dispose(&img);
	body = fake_openai_last_body(fx->fake);
	root = cJSON_Parse(body);
	assert_non_null(root);
	assert_null(cJSON_GetObjectItem(root, "response_format"));
	/* no cover prompt: one is made from the title */
	assert_non_null(strstr(cJSON_GetObjectItem(root, "prompt")->valuestring, "Night Library"));
	cJSON_Delete(root);
	free(body);
}

static void test_image_url_is_downloaded(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	char url[128];
	size_t len;
	const unsigned char *png = fake_openai_png(&len);
	char *path, *auth;

	fake_openai_url(url, sizeof(url), fx->fake, "/img/cover.png");
	llm_push_image(fx, "url", url);
	assert_int_equal(llm_run_image(fx, &img, "c", &err), 0);
	assert_string_equal(img.mime, "image/png");
	assert_int_equal(img.len, len);
	assert_memory_equal(img.data, png, len);
	aigen_image_dispose(&img);
	assert_int_equal(fake_openai_requests(fx->fake), 2);
	path = fake_openai_last_path(fx->fake);
	auth = fake_openai_last_authorization(fx->fake);
	assert_string_equal(path, "/img/cover.png");
	/* the key stays with the API: the image host never sees it */
	assert_null(auth);
	free(path);
}

/* Percent-encodes s for a query value. */
static void query_escape(char *out, size_t cap, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *s && o + 4 < cap; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_') {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	out[o] = '\0';
}

/* A provider URL that redirects to target. */
static void redirect_url(char *out, size_t cap, fixture *fx, const char *target)
{
	char path[1024], q[900];

	query_escape(q, sizeof(q), target);
	snprintf(path, sizeof(path), "/redirect?to=%s", q);
	fake_openai_url(out, cap, fx->fake, path);
}

/* An image URL answer for url; the download must be refused with needle, reaching nobody. */
static void assert_download_refused(fixture *fx, fake_openai *other, const char *url,
				    const char *needle)
{
	aigen_image img = {0};
	int before = other ? fake_openai_requests(other) : 0;
	app_err err;

	llm_push_image(fx, "url", url);
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, needle);
	assert_null(img.data);
	if (other)
		assert_int_equal(fake_openai_requests(other), before);
	/* never worth a retry: the rule will say the same */
	assert_int_equal(llm_extra(&err, "attempts"), -1);
}

/*
 * The provider is on loopback here, so "another internal host" is played by
 * 127.0.0.2 and by another port of 127.0.0.1: both are refused, directly and
 * through a redirect from the provider, while the provider's own origin is fine.
 */
static void test_image_url_only_provider_or_public_https(void **state)
{
	fixture *fx = *state;
	fake_openai *other = NULL;
	app_err err = {0};
	char url[512], inner[512], alias[256];
	int port;

	assert_int_equal(fake_openai_start_at(&other, "127.0.0.2", &err), 0);
	port = fake_openai_port(other);

	snprintf(alias, sizeof(alias), "https://127.0.0.2:%d/img/cover.png", port);
	assert_download_refused(fx, other, alias, "127.0.0.2 is not a public address");
	snprintf(url, sizeof(url), "http://127.0.0.2:%d/img/cover.png", port);
	assert_download_refused(fx, other, url, "only https outside the provider");
	snprintf(url, sizeof(url), "https://localhost:%d/img/cover.png", port);
	assert_download_refused(fx, other, url, "is not a public address");
	snprintf(url, sizeof(url), "https://[::ffff:127.0.0.2]:%d/img/cover.png", port);
	assert_download_refused(fx, other, url, "::ffff:127.0.0.2 is not a public address");
	assert_download_refused(fx, NULL, "https://169.254.169.254/latest/meta-data/",
				"169.254.169.254 is not a public address");

	/* the provider's host on another port is another host */
	fake_openai_stop(other);
	other = NULL;
	assert_int_equal(fake_openai_start(&other, &err), 0);
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/img/cover.png", fake_openai_port(other));
	assert_download_refused(fx, other, url, "127.0.0.1 is not a public address");
	fake_openai_url(url, sizeof(url), other, "/img/cover.png");
	assert_download_refused(fx, other, url, "only https outside the provider");

	/* redirects are judged hop by hop: the provider may not send the fetch inside */
	redirect_url(url, sizeof(url), fx, alias);
	assert_download_refused(fx, NULL, url, "127.0.0.2 is not a public address");
	fake_openai_url(inner, sizeof(inner), other, "/img/cover.png");
	redirect_url(url, sizeof(url), fx, inner);
	assert_download_refused(fx, other, url, "only https outside the provider");
	fake_openai_stop(other);
}

static void test_image_url_redirects_within_the_provider(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	char url[2048], a[2048], b[2048];
	size_t len;
	const unsigned char *png = fake_openai_png(&len);
	app_err err;

	/* a relative redirect on the provider's own origin is followed */
	redirect_url(url, sizeof(url), fx, "/img/cover.png");
	llm_push_image(fx, "url", url);
	assert_int_equal(llm_run_image(fx, &img, "c", &err), 0);
	assert_int_equal(img.len, len);
	assert_memory_equal(img.data, png, len);
	aigen_image_dispose(&img);

	/* three redirects are followed, a fourth is not */
	redirect_url(a, sizeof(a), fx, "/img/cover.png");
	redirect_url(b, sizeof(b), fx, a);
	redirect_url(url, sizeof(url), fx, b);
	llm_push_image(fx, "url", url);
	assert_int_equal(llm_run_image(fx, &img, "c", &err), 0);
	aigen_image_dispose(&img);
	redirect_url(a, sizeof(a), fx, url);
	llm_push_image(fx, "url", a);
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "more than 3 redirects");
	assert_null(img.data);
}

/* A b64_json that U+0000 would cut short is no image. */
static void test_image_nul_in_answer_is_refused(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	char body[256];

	snprintf(body, sizeof(body), "{\"data\":[{\"b64_json\":\"%s\\u0000AAAA\"}]}",
		 fake_openai_png_b64());
	assert_int_equal(fake_openai_push_json(fx->fake, 200, body), 0);
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "U+0000");
	assert_null(img.data);
}

static void test_image_jpeg_and_rejected_formats(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;

	/* FF D8 FF E0 'J' 'F' */
	llm_push_image(fx, "b64_json", "/9j/4EpG");
	assert_int_equal(llm_run_image(fx, &img, "c", &err), 0);
	assert_string_equal(img.mime, "image/jpeg");
	assert_int_equal(img.len, 6);
	aigen_image_dispose(&img);

	llm_push_image(fx, "b64_json", "R0lGODlhAQABAAAAACw="); /* GIF89a... */
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "neither PNG nor JPEG");
	assert_null(img.data);

	llm_push_image(fx, "b64_json", "UklGRgAAAABXRUJQVlA4"); /* RIFF....WEBPVP8 */
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);

	llm_push_image(fx, "b64_json", "iVBORw0K!!!!");
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "not valid base64");

	llm_push_image(fx, "b64_json", "iVBORw0KGgo=A");
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);

	assert_int_equal(fake_openai_push_json(fx->fake, 200, "{\"data\":[]}"), 0);
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "no data[0]");
}

static void test_image_too_large(void **state)
{
	fixture *fx = *state;
	aigen_image img = {0};
	app_err err;
	char url[128];

	/* the 69-byte PNG is over a 32-byte limit, as base64 and as a download */
	fx->cfg.max_image_bytes = 32;
	llm_push_image(fx, "b64_json", fake_openai_png_b64());
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "too large");

	fake_openai_url(url, sizeof(url), fx->fake, "/img/cover.png");
	llm_push_image(fx, "url", url);
	assert_int_equal(llm_run_image(fx, &img, "c", &err), APP_EUPSTREAM);
	llm_assert_msg_has(&err, "too large");
	assert_null(img.data);
}

/* --- the pure parts ------------------------------------------------------------------- */

static int public_ip(const char *ip)
{
	struct sockaddr_in in4 = {.sin_family = AF_INET};
	struct sockaddr_in6 in6 = {.sin6_family = AF_INET6};

	if (inet_pton(AF_INET, ip, &in4.sin_addr) == 1)
		return llm_http_address_public((struct sockaddr *)&in4, sizeof(in4));
	assert_int_equal(inet_pton(AF_INET6, ip, &in6.sin6_addr), 1);
	return llm_http_address_public((struct sockaddr *)&in6, sizeof(in6));
}

static void test_address_public(void **state)
{
	static const char *const public[] = {
	    "8.8.8.8",		"1.1.1.1",	  "93.184.216.34",  "100.63.255.255",
	    "100.128.0.1",	"172.15.255.255", "172.32.0.1",	    "192.169.0.1",
	    "2606:4700::1",	"2a00:1450::1",	  "::ffff:8.8.8.8", "2002:808:808::1",
	    "64:ff9b::808:808",
	};
	static const char *const internal[] = {
	    "0.0.0.0",
	    "0.1.2.3",
	    "10.0.0.1",
	    "10.255.255.255",
	    "100.64.0.1",
	    "100.100.100.200",
	    "127.0.0.1",
	    "127.0.0.2",
	    "127.255.255.254",
	    "169.254.169.254",
	    "169.254.0.1",
	    "172.16.0.1",
	    "172.31.255.255",
	    "192.0.0.192",
	    "192.0.2.1",
	    "192.168.1.1",
	    "198.18.0.1",
	    "198.19.255.255",
	    "198.51.100.1",
	    "203.0.113.9",
	    "224.0.0.1",
	    "239.255.255.250",
	    "240.0.0.1",
	    "255.255.255.255",
	    "168.63.129.16",
	    "::",
	    "::1",
	    "::127.0.0.1",
	    "::ffff:127.0.0.1",
	    "::ffff:10.0.0.1",
	    "::ffff:169.254.169.254",
	    "64:ff9b::a00:1",
	    "64:ff9b:1::1",
	    "2002:7f00:1::1",
	    "2002:a9fe:a9fe::1",
	    "2001::1",
	    "2001:db8::1",
	    "fc00::1",
	    "fd00:ec2::254",
	    "fe80::1",
	    "fec0::1",
	    "ff02::1",
	    "100::1",
	    "4000::1",
	};
	struct sockaddr_in short4 = {.sin_family = AF_INET};

	(void)state;
	for (size_t i = 0; i < sizeof(public) / sizeof(public[0]); i++)
		if (!public_ip(public[i]))
			fail_msg("%s should be public", public[i]);
	for (size_t i = 0; i < sizeof(internal) / sizeof(internal[0]); i++)
		if (public_ip(internal[i]))
			fail_msg("%s should not be public", internal[i]);
	assert_int_equal(llm_http_address_public(NULL, 0), 0);
	assert_int_equal(llm_http_address_public((struct sockaddr *)&short4, 4), 0);
}

/* Ollama's OpenAI-compatible endpoint: no refusal field, a system fingerprint, usage. */
int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_image_b64, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_image_gpt_image_model_without_response_format,
					    llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_image_url_is_downloaded, llm_setup, llm_teardown),
	    cmocka_unit_test_setup_teardown(test_image_url_only_provider_or_public_https, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_image_url_redirects_within_the_provider, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_image_nul_in_answer_is_refused, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_image_jpeg_and_rejected_formats, llm_setup,
					    llm_teardown),
	    cmocka_unit_test_setup_teardown(test_image_too_large, llm_setup, llm_teardown),
	    cmocka_unit_test(test_address_public),
	};

	return llm_fixture_run(tests, sizeof(tests) / sizeof(tests[0]));
}
