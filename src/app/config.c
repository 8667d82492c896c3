#include "app/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OPT_STR, OPT_INT, OPT_FLAG } opt_kind;

typedef struct opt {
	const char *flag; /* "--listen" */
	const char *env;  /* "WL_LISTEN" */
	const char *help;
	opt_kind kind;
	size_t offset;
	size_t size; /* buffer size for strings */
	long long min, max;
} opt;

#define STR(f, e, field, h)                                                                        \
	{                                                                                          \
		f, e, h, OPT_STR, offsetof(app_config, field), sizeof(((app_config *)0)->field),   \
		    0, 0                                                                           \
	}
#define INT(f, e, field, lo, hi, h)                                                                \
	{                                                                                          \
		f, e, h, OPT_INT, offsetof(app_config, field), sizeof(((app_config *)0)->field),   \
		    lo, hi                                                                         \
	}
#define FLAG(f, e, field, h)                                                                       \
	{                                                                                          \
		f, e, h, OPT_FLAG, offsetof(app_config, field), sizeof(int), 0, 1                  \
	}

static const opt opts[] = {
    STR("--listen", "WL_LISTEN", listen,
	"HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks one)"),
    STR("--db", "WL_DB", db, "SQLite database file (default ./walking-library.db)"),
    STR("--ai", "WL_AI", ai,
	"AI generator: offline (default) or openai (an OpenAI-compatible API)"),
    INT("--threads", "WL_THREADS", threads, 1, 8192,
	"HTTP worker threads; each open connection holds one (default 1536)"),
    STR("--web-root", "WL_WEB_ROOT", web_root,
	"serve the web client from DIR instead of the embedded copy"),
    STR("--log-level", "WL_LOG_LEVEL", log_level, "debug, info (default), warn or error"),
    INT("--subscription-price", "WL_SUBSCRIPTION_PRICE", subscription_price, 0, 100000000,
	"monthly subscription price in points (default 9900)"),
    FLAG("--secure-cookies", "WL_SECURE_COOKIES", secure_cookies,
	 "mark the session cookie Secure (serve behind TLS)"),
    INT("--pwhash-mem-kib", "WL_PWHASH_MEM_KIB", pwhash_mem_kib, 8, 4194304,
	"argon2id memory per password hash in KiB (default 9216)"),
    INT("--pwhash-ops", "WL_PWHASH_OPS", pwhash_ops, 1, 64, "argon2id passes (default 4)"),
    INT("--scheduler-interval", "WL_SCHEDULER_INTERVAL", scheduler_interval_s, 1, 86400,
	"seconds between subscription renewal passes (default 60)"),
    INT("--bestseller-threshold", "WL_BESTSELLER_THRESHOLD", bestseller_threshold, 1, 1000000000,
	"honest readers that make a book a bestseller (default 30)"),
    FLAG("--demo", "WL_DEMO", demo, "seed demo accounts and books into an empty database"),
    INT("--max-conns-per-client", "WL_MAX_CONNS_PER_CLIENT", max_conns_per_client, 0, 100000,
	"open connections one client address may hold; more are closed at once (default 64, "
	"0: no cap)"),
    STR("--trusted-proxy", "WL_TRUSTED_PROXY", trusted_proxy,
	"CIDR[,CIDR...] of reverse proxies whose X-Forwarded-For names the client (default none)"),
    INT("--signup-limit", "WL_SIGNUP_LIMIT", signup_limit, 0, 1000000,
	"sign-ups per client address per hour (default 20, 0: no limit)"),
    STR("--metrics-token", "WL_METRICS_TOKEN", metrics_token,
	"bearer token that opens /metrics to non-loopback clients (default none: loopback only)"),
    INT("--ai-workers", "WL_AI_WORKERS", ai_workers, 1, 64,
	"AI generation worker threads (default 2)"),
    INT("--ai-attempts", "WL_AI_ATTEMPTS", ai_attempts, 1, 20,
	"attempts per generation before the fallback (default 4)"),
    STR("--ai-fallback", "WL_AI_FALLBACK", ai_fallback,
	"after the last attempt: offline (default) fills in, none fails the manuscript"),
    STR("--publish-mode", "WL_PUBLISH_MODE", publish_mode,
	"auto (default): a generated book goes on sale at once; review: it waits as a proof "
	"its author edits and accepts"),
    INT("--ai-backoff-ms", "WL_AI_BACKOFF_MS", ai_backoff_ms, 0, 3600000,
	"first retry delay in ms, doubled per attempt, with jitter (default 1000)"),
    INT("--price-min", "WL_PRICE_MIN", price_min, 0, 100000000,
	"lowest book price in points (default 1000)"),
    INT("--price-max", "WL_PRICE_MAX", price_max, 0, 100000000,
	"highest book price in points (default 50000)"),
    INT("--episode-price-min", "WL_EPISODE_PRICE_MIN", episode_price_min, 0, 100000000,
	"lowest episode price of a serial in points (default 100)"),
    INT("--episode-price-max", "WL_EPISODE_PRICE_MAX", episode_price_max, 0, 100000000,
	"highest episode price of a serial in points (default 500)"),
    INT("--min-sale-chars", "WL_MIN_SALE_CHARS", min_sale_chars, 0, 10000000,
	"a one-episode book shorter than this many characters is published free (default 1000)"),
    INT("--wait-free-exclude-latest", "WL_WAIT_FREE_EXCLUDE_LATEST", wait_free_exclude_latest, 0,
	1000, "the latest episodes of a work that waiting never opens (default 3)"),
    STR("--llm-base-url", "WL_LLM_BASE_URL", llm_base_url,
	"OpenAI-compatible API for --ai openai, e.g. https://api.openai.com/v1"),
    STR("--llm-model", "WL_LLM_MODEL", llm_model, "chat model for --ai openai"),
    STR("--image-model", "WL_IMAGE_MODEL", image_model,
	"image model for --ai openai (empty: the offline SVG cover)"),
    INT("--llm-timeout", "WL_LLM_TIMEOUT", llm_timeout_s, 1, 3600,
	"seconds one LLM request may take, its short retries included (default 120)"),
    STR("--payments", "WL_PAYMENTS", payments,
	"payment provider: dev (approves everything, points are free: the default only while "
	"--listen is a loopback address) or toss"),
    STR("--toss-client-key", "WL_TOSS_CLIENT_KEY", toss_client_key,
	"Toss Payments client key for the browser (test_ck_... or live_ck_...)"),
    STR("--toss-api-base", "WL_TOSS_API_BASE", toss_api_base,
	"Toss Payments API (default https://api.tosspayments.com)"),
    STR("--toss-sdk-url", "WL_TOSS_SDK_URL", toss_sdk_url,
	"Toss Payments browser SDK (default https://js.tosspayments.com/v2/standard)"),
    INT("--author-share-percent", "WL_AUTHOR_SHARE_PERCENT", author_share_percent, 0, 100,
	"the author's share of sales and of the subscription pool, percent (default 70)"),
    STR("--public-url", "WL_PUBLIC_URL", public_url,
	"the address readers use, for links in e-mail (default http://HOST:PORT)"),
    STR("--smtp-url", "WL_SMTP_URL", smtp_url,
	"mail relay: smtp://HOST:587 (STARTTLS) or smtps://HOST:465; empty: mail waits"),
    STR("--smtp-from", "WL_SMTP_FROM", smtp_from,
	"sender of the platform's mail, e.g. \"걷다가서재 <noreply@example.org>\""),
    STR("--smtp-tls", "WL_SMTP_TLS", smtp_tls,
	"starttls (default: required), try (when offered) or none (a local relay)"),
    STR("--smtp-ca-file", "WL_SMTP_CA_FILE", smtp_ca_file,
	"PEM file of the CA to trust for the relay (default: the system's)"),
    INT("--smtp-retry-max", "WL_SMTP_RETRY_MAX", smtp_retry_max_s, 1, 86400,
	"longest wait in seconds between attempts while the relay is down (default 300)"),
    INT("--community-write-limit", "WL_COMMUNITY_WRITE_LIMIT", community_write_limit, 0, 10000,
	"comment and review writes per member in 10 minutes; 0: no limit (default 30)"),
    INT("--reader-min-age", "WL_READER_MIN_AGE", reader_min_age_s, 0, 30 * 86400,
	"seconds an account must exist before its reads rank; 0: none (default 3600)"),
    INT("--digest-delay", "WL_DIGEST_DELAY", digest_delay_s, 0, 86400,
	"seconds a notification waits for others before the day's digest mail (default 900)"),
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static int set(app_config *c, const opt *o, const char *value, const char *from, char *msg,
	       size_t cap)
{
	char *p = (char *)c + o->offset;
	char *end;
	long long v;

	switch (o->kind) {
	case OPT_STR:
		if (strlen(value) >= o->size) {
			snprintf(msg, cap, "%s: value is too long", from);
			return -1;
		}
		memcpy(p, value, strlen(value) + 1);
		return 0;
	case OPT_FLAG:
		if (!strcmp(value, "1") || !strcmp(value, "true") || !strcmp(value, "yes"))
			*(int *)p = 1;
		else if (!strcmp(value, "0") || !strcmp(value, "false") || !strcmp(value, "no") ||
			 !*value)
			*(int *)p = 0;
		else {
			snprintf(msg, cap, "%s: expected true or false, got '%s'", from, value);
			return -1;
		}
		return 0;
	case OPT_INT:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (errno || !*value || *end || v < o->min || v > o->max) {
			snprintf(msg, cap, "%s: expected an integer from %lld to %lld, got '%s'",
				 from, o->min, o->max, value);
			return -1;
		}
		if (o->size == sizeof(int64_t))
			*(int64_t *)p = v;
		else
			*(int *)p = (int)v;
		return 0;
	}
	return -1;
}

void app_config_defaults(app_config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	snprintf(c->db, sizeof(c->db), "./walking-library.db");
	snprintf(c->ai, sizeof(c->ai), "offline");
	snprintf(c->log_level, sizeof(c->log_level), "info");
	/* 1,000 open connections from many addresses (each holds a worker until it times out)
	 * leave room for everyone else; ~25 MB of RSS per 1,000 idle workers */
	c->threads = 1536;
	c->max_conns_per_client = 64;
	c->signup_limit = 20;
	c->subscription_price = 9900;
	c->pwhash_mem_kib = 9 * 1024;
	c->pwhash_ops = 4;
	c->scheduler_interval_s = 60;
	c->bestseller_threshold = 30;
	c->ai_workers = 2;
	c->ai_attempts = 4;
	snprintf(c->ai_fallback, sizeof(c->ai_fallback), "offline");
	snprintf(c->publish_mode, sizeof(c->publish_mode), "auto");
	c->ai_backoff_ms = 1000;
	c->price_min = 1000;
	c->price_max = 50000;
	c->llm_timeout_s = 120;
	c->payments[0] = '\0'; /* dev on loopback, else one must be named (validate_payments) */
	c->author_share_percent = 70;
	snprintf(c->smtp_tls, sizeof(c->smtp_tls), "starttls");
	c->smtp_retry_max_s = 300;
	c->digest_delay_s = 900;
	c->community_write_limit = 30;
	c->reader_min_age_s = 3600;
	c->episode_price_min = 100;
	c->episode_price_max = 500;
	c->wait_free_exclude_latest = 3;
	c->min_sale_chars = 1000;
}

static int validate_mail(const app_config *c, char *msg, size_t cap)
{
	if (strcmp(c->smtp_tls, "starttls") && strcmp(c->smtp_tls, "try") &&
	    strcmp(c->smtp_tls, "none")) {
		snprintf(msg, cap, "--smtp-tls: expected starttls, try or none, got '%s'",
			 c->smtp_tls);
		return -1;
	}
	if (c->public_url[0] && strncmp(c->public_url, "http://", 7) != 0 &&
	    strncmp(c->public_url, "https://", 8) != 0) {
		snprintf(msg, cap, "--public-url: expected an http:// or https:// URL");
		return -1;
	}
	if (!c->smtp_url[0])
		return 0;
	if (strncmp(c->smtp_url, "smtp://", 7) != 0 && strncmp(c->smtp_url, "smtps://", 8) != 0) {
		snprintf(msg, cap,
			 "--smtp-url: expected smtp://HOST[:PORT] or smtps://HOST[:PORT]");
		return -1;
	}
	if (!c->smtp_from[0]) {
		snprintf(msg, cap, "--smtp-url needs --smtp-from, the sender address");
		return -1;
	}
	return 0;
}

static int validate_ai(const app_config *c, char *msg, size_t cap)
{
	if (strcmp(c->ai, "offline") != 0 && strcmp(c->ai, "openai") != 0) {
		snprintf(msg, cap, "--ai: expected offline or openai, got '%s'", c->ai);
		return -1;
	}
	if (strcmp(c->ai_fallback, "offline") != 0 && strcmp(c->ai_fallback, "none") != 0) {
		snprintf(msg, cap, "--ai-fallback: expected offline or none, got '%s'",
			 c->ai_fallback);
		return -1;
	}
	if (strcmp(c->publish_mode, "auto") != 0 && strcmp(c->publish_mode, "review") != 0) {
		snprintf(msg, cap, "--publish-mode: expected auto or review, got '%s'",
			 c->publish_mode);
		return -1;
	}
	if (c->price_min > c->price_max) {
		snprintf(msg, cap, "--price-min (%lld) is above --price-max (%lld)",
			 (long long)c->price_min, (long long)c->price_max);
		return -1;
	}
	if (c->episode_price_min > c->episode_price_max) {
		snprintf(msg, cap, "--episode-price-min (%lld) is above --episode-price-max (%lld)",
			 (long long)c->episode_price_min, (long long)c->episode_price_max);
		return -1;
	}
	if (strcmp(c->ai, "openai") != 0)
		return 0;
	if (!c->llm_base_url[0]) {
		snprintf(msg, cap,
			 "--ai openai needs WL_LLM_BASE_URL (or --llm-base-url), e.g. "
			 "https://api.openai.com/v1");
		return -1;
	}
	if (strncmp(c->llm_base_url, "http://", 7) != 0 &&
	    strncmp(c->llm_base_url, "https://", 8) != 0) {
		snprintf(msg, cap, "WL_LLM_BASE_URL: expected an http:// or https:// URL");
		return -1;
	}
	if (!c->llm_model[0]) {
		snprintf(msg, cap,
			 "--ai openai needs WL_LLM_MODEL (or --llm-model), the chat model");
		return -1;
	}
	return 0;
}

int app_config_listens_on_loopback(const app_config *c)
{
	const char *colon = strrchr(c->listen, ':');
	size_t n = colon ? (size_t)(colon - c->listen) : strlen(c->listen);
	const char *h = c->listen;

	if (n >= 2 && h[0] == '[' && h[n - 1] == ']')
		h++, n -= 2;
	return (n >= 4 && strncmp(h, "127.", 4) == 0) || (n == 3 && strncmp(h, "::1", 3) == 0) ||
	       (n == 9 && strncmp(h, "localhost", 9) == 0);
}

/*
 * The development provider approves every charge: points for free. It is
 * the default only while nobody else can reach the server (an empty
 * payments stands for it); elsewhere a provider must be named, and when it
 * is dev the start-up log says loudly what that means.
 */
static int validate_payments(const app_config *c, char *msg, size_t cap)
{
	if (c->payments[0] && strcmp(c->payments, "dev") != 0 && strcmp(c->payments, "toss") != 0) {
		snprintf(msg, cap, "--payments: expected dev or toss, got '%s'", c->payments);
		return -1;
	}
	if (!c->payments[0] && !app_config_listens_on_loopback(c)) {
		snprintf(msg, cap,
			 "--listen %s is not a loopback address: choose a payment provider "
			 "(--payments toss, or --payments dev, which approves every charge: points "
			 "would be free)",
			 c->listen);
		return -1;
	}
	if (strcmp(c->payments, "toss") != 0)
		return 0;
	if (!c->toss_secret_key[0]) {
		snprintf(msg, cap,
			 "--payments toss needs WL_TOSS_SECRET_KEY (the secret key, from the "
			 "environment only)");
		return -1;
	}
	if (!c->toss_client_key[0]) {
		snprintf(msg, cap,
			 "--payments toss needs WL_TOSS_CLIENT_KEY (or --toss-client-key), the "
			 "client key");
		return -1;
	}
	return 0;
}

static int validate(const app_config *c, char *msg, size_t cap)
{
	if (validate_ai(c, msg, cap) || validate_payments(c, msg, cap) ||
	    validate_mail(c, msg, cap))
		return -1;
	if (strcmp(c->log_level, "debug") && strcmp(c->log_level, "info") &&
	    strcmp(c->log_level, "warn") && strcmp(c->log_level, "error")) {
		snprintf(msg, cap, "--log-level: expected debug, info, warn or error, got '%s'",
			 c->log_level);
		return -1;
	}
	if (!strchr(c->listen, ':')) {
		snprintf(msg, cap, "--listen: expected HOST:PORT, got '%s'", c->listen);
		return -1;
	}
	return 0;
}

/* A secret has no flag: a command line is visible to every local user. */
static int secret(char *out, size_t size, const char *env, char *msg, size_t cap)
{
	const char *v = getenv(env);

	if (v && strlen(v) >= size) {
		snprintf(msg, cap, "%s: value is too long", env);
		return -1;
	}
	snprintf(out, size, "%s", v ? v : "");
	return 0;
}

int app_config_load(app_config *c, int argc, char **argv, int first, char *msg, size_t cap)
{
	app_config_defaults(c);
	for (size_t i = 0; i < NOPTS; i++) {
		const char *v = getenv(opts[i].env);

		if (v && set(c, &opts[i], v, opts[i].env, msg, cap) != 0)
			return -1;
	}
	if (secret(c->llm_api_key, sizeof(c->llm_api_key), "WL_LLM_API_KEY", msg, cap) ||
	    secret(c->toss_secret_key, sizeof(c->toss_secret_key), "WL_TOSS_SECRET_KEY", msg,
		   cap) ||
	    secret(c->smtp_user, sizeof(c->smtp_user), "WL_SMTP_USER", msg, cap) ||
	    secret(c->smtp_password, sizeof(c->smtp_password), "WL_SMTP_PASSWORD", msg, cap))
		return -1;
	for (int i = first; i < argc; i++) {
		const char *arg = argv[i], *value = NULL, *eq = strchr(arg, '=');
		size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
		const opt *o = NULL;

		for (size_t k = 0; k < NOPTS; k++)
			if (strlen(opts[k].flag) == name_len &&
			    strncmp(opts[k].flag, arg, name_len) == 0)
				o = &opts[k];
		if (!o) {
			snprintf(msg, cap, "unknown option '%s' (see --help)", arg);
			return -1;
		}
		if (eq)
			value = eq + 1;
		else if (o->kind == OPT_FLAG)
			value = "1";
		else if (i + 1 < argc)
			value = argv[++i];
		else {
			snprintf(msg, cap, "%s needs a value", o->flag);
			return -1;
		}
		if (set(c, o, value, o->flag, msg, cap))
			return -1;
	}
	if (validate(c, msg, cap))
		return -1;
	if (!c->payments[0])
		snprintf(c->payments, sizeof(c->payments), "dev"); /* on loopback: see validate */
	return 0;
}

void app_config_usage(FILE *out)
{
	for (size_t i = 0; i < NOPTS; i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s%s", opts[i].flag,
			 opts[i].kind == OPT_FLAG  ? ""
			 : opts[i].kind == OPT_INT ? " N"
						   : " VALUE");
		fprintf(out, "  %-26s %s [%s]\n", left, opts[i].help, opts[i].env);
	}
	fprintf(out, "  %-26s %s [%s]\n", "(environment only)",
		"bearer key for --ai openai; never logged", "WL_LLM_API_KEY");
	fprintf(out, "  %-26s %s [%s]\n", "(environment only)",
		"Toss Payments secret key for --payments toss; never logged", "WL_TOSS_SECRET_KEY");
	fprintf(out, "  %-26s %s [%s, %s]\n", "(environment only)",
		"relay login for --smtp-url (AUTH); the password is never logged", "WL_SMTP_USER",
		"WL_SMTP_PASSWORD");
}
