/* Inside the llm_http adapter: the generator state, the transport and the parsers. */
#ifndef WL_ADAPTER_LLM_HTTP_INTERNAL_H
#define WL_ADAPTER_LLM_HTTP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "adapters/llm_http/llm_http.h"

#define LLM_HTTP_SNIPPET 120

typedef struct llm_http {
	char *base_url; /* without a trailing '/' */
	char *api_key;	/* "" when none */
	char *model;
	char *image_model;
	char *image_size;
	long connect_timeout_ms;
	long total_timeout_ms;
	int max_retries;
	size_t max_response_bytes;
	size_t max_image_bytes;
	long retry_after_cap_ms;
	long backoff_ms;
} llm_http;

/* A response body growing up to a limit; always NUL-terminated once non-empty. */
typedef struct llm_http_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t limit;
	int too_large;
	int nomem;
} llm_http_buf;

void llm_http_buf_free(llm_http_buf *b);

/* One logical request: what the retry loop needs to know. */
typedef struct llm_http_call {
	const char *what; /* for messages: "chat/completions", "image download" */
	const char *url;
	const char *post; /* JSON body; NULL: GET */
	int auth;	  /* send the key (only ever to base_url) */
	/*
	 * An image URL the provider returned: every hop (redirects are followed
	 * here, at most LLM_HTTP_MAX_REDIRECTS) must be the provider's own
	 * origin, or https to an address llm_http_address_public() accepts.
	 */
	int guarded;
	size_t limit;
	int64_t deadline; /* monotonic ms */
} llm_http_call;

#define LLM_HTTP_MAX_REDIRECTS 3

/*
 * Runs call with retries on 429, 5xx and transport errors within its
 * deadline. 0 with a 2xx body in *body (caller frees it with
 * llm_http_buf_free). Otherwise body is empty and err says why:
 * APP_EUNAUTH for 401, APP_EFORBIDDEN for 403, APP_EINVALID for another
 * permanent 4xx, APP_ETIMEOUT, APP_EUPSTREAM, APP_ENOMEM; the extras
 * "status", "attempts" and, when the provider asked for a pause longer than
 * this adapter waits in place, "retryAfterMs".
 */
int llm_http_request(llm_http_buf *body, const llm_http *h, const llm_http_call *call,
		     app_err *err);

int64_t llm_http_now_ms(void);

/* Copies s (malloc); NULL when out of memory. */
char *llm_http_strdup(const char *s);

/*
 * Copies a provider's message into out: control characters become spaces,
 * api_key (if the provider echoes it) becomes "***", and the text is cut to
 * fit without splitting a UTF-8 sequence.
 */
void llm_http_snippet(char *out, size_t cap, const char *api_key, const char *msg);

/* The provider's own words in an error body: error.message, a string error, or its start. */
void llm_http_error_snippet(char *out, size_t cap, const char *api_key, const char *body,
			    size_t len);

/* 1 when JSON text s[0..n) holds a NUL byte or a \u0000 escape (which cJSON would cut at). */
int llm_http_json_has_nul(const char *s, size_t n);

#endif
