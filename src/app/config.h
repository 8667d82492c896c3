/* Configuration: flags with environment fallbacks (a flag wins). */
#ifndef WL_APP_CONFIG_H
#define WL_APP_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct app_config {
	char listen[256];
	char db[1024];
	char ai[16];
	int threads;
	char web_root[1024];
	char log_level[16];
	int64_t subscription_price;
	int secure_cookies;
	int64_t pwhash_mem_kib;
	int pwhash_ops;
	int scheduler_interval_s;
	int demo;
	int64_t bestseller_threshold;
	/* hardening (issue 10) */
	int max_conns_per_client;
	char trusted_proxy[1024];
	int signup_limit;
	char metrics_token[256];
	/* AI generation */
	int ai_workers;
	int ai_attempts;
	char ai_fallback[16];  /* offline | none */
	char publish_mode[16]; /* auto | review */
	int64_t ai_backoff_ms;
	int64_t price_min, price_max;
	int64_t episode_price_min, episode_price_max;
	int64_t wait_free_exclude_latest;
	int64_t min_sale_chars; /* a one-episode book shorter than this is free; 0: any length */
	char llm_base_url[1024];
	char llm_model[256];
	char image_model[256];
	int llm_timeout_s;	/* one LLM request, its adapter retries included */
	char llm_api_key[1024]; /* environment only (WL_LLM_API_KEY): never logged */
	/* payments */
	char payments[16]; /* dev | toss; as given empty: dev while listening on loopback */
	char toss_client_key[128];
	char toss_secret_key[256]; /* environment only (WL_TOSS_SECRET_KEY): never logged */
	char toss_api_base[512];
	char toss_sdk_url[512];
	int author_share_percent;
	/* e-mail and links in it */
	char public_url[512]; /* empty: http://HOST:PORT of --listen */
	char smtp_url[512];   /* empty: mail waits in the outbox */
	char smtp_from[320];
	char smtp_tls[16]; /* starttls | try | none */
	char smtp_ca_file[1024];
	int64_t smtp_retry_max_s;
	char smtp_user[256];	 /* environment only (WL_SMTP_USER) */
	char smtp_password[512]; /* environment only (WL_SMTP_PASSWORD): never logged */
	int64_t digest_delay_s;
	int community_write_limit;
	int64_t reader_min_age_s; /* the reader rule's minimum account age; 0 none */
} app_config;

/* The built-in defaults only (no environment). */
void app_config_defaults(app_config *c);

/*
 * Defaults, then WL_* environment variables, then the flags in
 * argv[first..argc). On a bad value writes one line to msg and returns -1.
 */
int app_config_load(app_config *c, int argc, char **argv, int first, char *msg, size_t cap);

/* 1 when --listen names a loopback address (127.0.0.0/8, ::1, localhost). */
int app_config_listens_on_loopback(const app_config *c);

/* Prints every flag with its variable (for --help). */
void app_config_usage(FILE *out);

#endif
