/*
 * OpenAI-compatible generators over libcurl: the text generator posts to
 * {base_url}/chat/completions with a json_schema response format, the image
 * generator to {base_url}/images/generations (b64_json, or a URL that is
 * downloaded at once because provider URLs expire).
 *
 * A generator is immutable once made and uses a fresh curl handle per call,
 * so several worker threads may call it at once. Call llm_http_global_init()
 * once at start, before any thread runs, and llm_http_global_cleanup() at exit.
 *
 * The API key is sent only as "Authorization: Bearer" to base_url, never to a
 * downloaded image URL, and never appears in an error message.
 *
 * An image URL is fetched only from the provider's own origin (base_url's
 * scheme, host and port) or over https from a public address: each address
 * actually connected to is checked (llm_http_address_public), each redirect
 * is judged again, no proxy is used for it, and at most three redirects are
 * followed.
 *
 * A 401 answers APP_EUNAUTH and a 403 APP_EFORBIDDEN, another 4xx but 408,
 * 409, 425 and 429 APP_EINVALID: asking again would not help. When the
 * provider asks for a pause (Retry-After in seconds or as an HTTP date,
 * retry-after-ms) longer than retry_after_cap_ms, or its last answer before
 * the retries ran out carried one, the error carries the extra
 * "retryAfterMs" for the caller's own scheduling.
 */
#ifndef WL_ADAPTER_LLM_HTTP_H
#define WL_ADAPTER_LLM_HTTP_H

#include <stddef.h>
#include <sys/socket.h>

#include "domain/common/err.h"
#include "ports/image_generator.h"
#include "ports/story_model.h"
#include "ports/text_generator.h"

typedef struct llm_http_config {
	const char *base_url;	 /* "https://api.openai.com/v1"; a trailing '/' is ignored */
	const char *api_key;	 /* NULL or "": no Authorization header */
	const char *model;	 /* chat model, required for the text generator */
	const char *image_model; /* NULL or "": this adapter makes no image generator */
	const char *image_size;	 /* NULL: "1024x1536" (portrait) */
	long connect_timeout_ms; /* per connection attempt; <= 0: 10 s */
	/*
	 * Budget of one generate() call, retries and waits included; each
	 * attempt gets what is left. <= 0: 120 s.
	 */
	long total_timeout_ms;
	int max_retries;	   /* extra attempts after 429, 5xx or transport errors; < 0: 0 */
	size_t max_response_bytes; /* chat answer limit; 0: 256 KiB */
	size_t max_image_bytes;	   /* decoded image limit; 0: 8 MiB */
	long retry_after_cap_ms;   /* longest wait honoured for Retry-After; <= 0: 30 s */
	long backoff_ms; /* first wait after a 5xx or transport error, doubled; <= 0: 500 */
} llm_http_config;

/* Fills cfg with the defaults above and NULL strings. */
void llm_http_config_defaults(llm_http_config *cfg);

/* curl_global_init(CURL_GLOBAL_DEFAULT): once, before threads. APP_EUPSTREAM if it fails. */
int llm_http_global_init(app_err *err);
void llm_http_global_cleanup(void);

/*
 * Makes a text generator from cfg (strings are copied). APP_EINVALID when
 * base_url or model is missing or base_url is not http(s), APP_ENOMEM.
 * Release with text_generator's destroy.
 */
int llm_http_text_new(text_generator *out, const llm_http_config *cfg, app_err *err);

/*
 * Makes the story model (the reader's recaps and answers) from cfg: the same
 * chat model, asked for {"sentences":[{"text","episode"}]} under a strict
 * json_schema. Errors as llm_http_text_new.
 */
int llm_http_story_new(story_model *out, const llm_http_config *cfg, app_err *err);

/*
 * Makes an image generator from cfg. APP_EINVALID (field "image_model") when
 * no image model is configured: the app then keeps the offline cover.
 */
int llm_http_image_new(image_generator *out, const llm_http_config *cfg, app_err *err);

/*
 * Makes every call in flight, in any thread, end soon with APP_ETIMEOUT, and
 * every later call fail at once (until llm_http_global_init()): for shutdown,
 * so a hung provider cannot hold the process.
 */
void llm_http_cancel(void);

/* --- the parsers, on their own for tests and fuzzing ------------------------------------ */

/*
 * Maps an OpenAI-compatible chat completion (body, len bytes) whose message
 * content is the asked JSON object into out (zeroed by the caller): strings
 * and an integer price where the model gave them with the right type,
 * absent otherwise (judging values is the core's business). APP_EUPSTREAM
 * when the body is not a chat completion, the model refused, the content is
 * not exactly one JSON object, or any of it holds U+0000; APP_ENOMEM. api_key
 * (may be "") is masked in messages quoting the provider.
 */
int llm_http_chat_parse(aigen_draft *out, const char *body, size_t len, const char *api_key,
			app_err *err);

/*
 * Maps a chat completion whose content is {"sentences":[...]} into out
 * (zeroed by the caller): each item's text where it is a string (else NULL)
 * and its episode where it is an integer of 1..2^53 (else 0: cites none).
 * APP_EUPSTREAM as llm_http_chat_parse, and when sentences is not an array
 * of objects or holds more than LLM_HTTP_STORY_MAX; APP_ENOMEM.
 */
#define LLM_HTTP_STORY_MAX 16
int llm_http_story_parse(story_model_reply *out, const char *body, size_t len, const char *api_key,
			 app_err *err);

/* What an images/generations answer holds: its first image's bytes or URL. */
typedef struct llm_http_image_answer {
	unsigned char *data; /* b64_json decoded (owned), or NULL */
	size_t len;
	char *url; /* owned, or NULL; http(s) only */
} llm_http_image_answer;

/*
 * Reads data[0].b64_json (decoded, at most max_bytes) or else data[0].url.
 * APP_EUPSTREAM for anything else (no image, bad base64, too large, a URL
 * that is not http(s), U+0000 anywhere); APP_ENOMEM.
 */
int llm_http_images_parse(llm_http_image_answer *out, const char *body, size_t len,
			  size_t max_bytes, app_err *err);
void llm_http_image_answer_dispose(llm_http_image_answer *a);

/*
 * 1 when an image may be fetched from this peer address: global unicast
 * IPv4 or IPv6. 0 for the unspecified, loopback, private (10/8, 172.16/12,
 * 192.168/16, fc00::/7), shared (100.64/10), link-local (169.254/16,
 * fe80::/10, cloud metadata among them), multicast, broadcast, reserved and
 * documentation ranges, well-known metadata addresses, and IPv4-mapped,
 * -compatible, NAT64, 6to4 and Teredo forms that carry or hide such an address.
 */
int llm_http_address_public(const struct sockaddr *sa, size_t len);

#endif
