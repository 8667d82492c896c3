/*
 * A fake OpenAI-compatible server for tests: civetweb on 127.0.0.1 with an
 * ephemeral port, in-process. Every POST under /v1/ takes the next scripted
 * response from a queue (or the default one when the queue is empty);
 * GET /img/cover.png serves a small real PNG, GET /img/broken.png a PNG
 * signature followed by HTML, GET /redirect?to=URL a 302 to URL (decoded).
 * Requests are counted and the last one is captured so tests can check what
 * the client sent.
 */
#ifndef WL_TEST_FAKE_OPENAI_H
#define WL_TEST_FAKE_OPENAI_H

#include <stddef.h>

#include "domain/common/err.h"

typedef struct fake_openai fake_openai;

/* One canned answer. Strings are copied when pushed. */
typedef struct fake_openai_response {
	int status;		  /* 0: 200 */
	const char *content_type; /* NULL: application/json */
	const char *headers;	  /* extra header lines, each ending "\r\n"; may be NULL */
	const char *body;	  /* may be NULL */
	size_t body_len;	  /* 0: strlen(body) */
	int delay_ms;		  /* wait before answering (cut short by fake_openai_stop) */
} fake_openai_response;

/* Starts the server on 127.0.0.1. APP_EUPSTREAM if civetweb cannot start, APP_ENOMEM. */
int fake_openai_start(fake_openai **out, app_err *err);
/* The same on another loopback address (e.g. "127.0.0.2": another internal host). */
int fake_openai_start_at(fake_openai **out, const char *host, app_err *err);
/* Stops the server and frees everything; NULL is fine. */
void fake_openai_stop(fake_openai *f);

int fake_openai_port(const fake_openai *f);
/* "http://<host>:<port>/v1"; owned by f. */
const char *fake_openai_base_url(const fake_openai *f);
/* Writes "http://<host>:<port><path>" into out. */
void fake_openai_url(char *out, size_t cap, const fake_openai *f, const char *path);

/* Queues a response; 0 or APP_ENOMEM. */
int fake_openai_push(fake_openai *f, const fake_openai_response *r);
/* A chat completion answer whose message content is `content`; free() it. NULL if out of memory. */
char *fake_openai_chat_json(const char *content);
/* Queues 200 with a chat completion whose message content is `content`. */
int fake_openai_push_chat(fake_openai *f, const char *content);
/* Queues a JSON answer with this status and body. */
int fake_openai_push_json(fake_openai *f, int status, const char *body);
/* The answer used when the queue is empty (default: 500 "no scripted response"). */
int fake_openai_set_default(fake_openai *f, const fake_openai_response *r);

/* Requests received so far (any path, including the image download). */
int fake_openai_requests(fake_openai *f);
/*
 * Copies of the last request's parts, freed by the caller with free(); NULL
 * when nothing was received (or, for the header, when it was absent).
 */
char *fake_openai_last_body(fake_openai *f);
char *fake_openai_last_path(fake_openai *f);
char *fake_openai_last_authorization(fake_openai *f);

/* The PNG served at /img/cover.png (static storage). */
const unsigned char *fake_openai_png(size_t *len);
/* The same PNG in base64 (static storage). */
const char *fake_openai_png_b64(void);

#endif
