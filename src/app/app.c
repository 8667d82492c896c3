#include "app/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/scheduler/passes.h"
#include "adapters/sodium/sodium_crypto.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/system/system.h"
#include "adapters/epub/epub.h"
#include "adapters/image/image_codec.h"
#include "adapters/llm_offline/llm_offline.h"
#include "adapters/xml/xml_feed.h"
#include "app/wallet.h"
#include "app/web_assets.h"
#include "domain/aigen/vocab.h"

static int genre_known(const char *code)
{
	return aigen_genre_find(code) != NULL;
}
#include "domain/common/log.h"

static int ready(void *ctx, app_err *err)
{
	app *a = ctx;

	return sqlite_db_ready(a->db, err);
}

/* HTTP workers are many and requests at once few: they borrow database connections. */
static void request_begin(void *ctx)
{
	sqlite_db_borrow(((app *)ctx)->db);
}

static void request_idle(void *ctx)
{
	sqlite_db_release(((app *)ctx)->db);
}

/* Appends to buf at *len the formatted text if it fits; 0 when it did. */
static int metric_text(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap - *len) {
		buf[*len] = '\0';
		return -1;
	}
	*len += (size_t)n;
	return 0;
}

/* One gauge. */
static int metric_add(char *buf, size_t cap, size_t *len, const char *name, long long v)
{
	return metric_text(buf, cap, len, "# TYPE %s gauge\n%s %lld\n", name, name, v);
}

/* The gauges the cores answer; one whose read failed is left out, never shown as 0. */
static size_t metrics(char *buf, size_t cap, void *ctx)
{
	app *a = ctx;
	member_totals totals;
	int64_t sessions, failures;
	mail_counts mc;
	size_t len = 0;

	if (cap == 0)
		return 0;
	buf[0] = '\0';
	if (members_totals(&totals, &sessions, &a->members, NULL) == 0 &&
	    (metric_add(buf, cap, &len, "wl_members_total", totals.members) ||
	     metric_add(buf, cap, &len, "wl_wallet_points_outstanding",
			totals.points_outstanding) ||
	     metric_add(buf, cap, &len, "wl_sessions_active", sessions)))
		return len;
	if (outbox_failures(&failures, &a->outbox, NULL, NULL) == 0 &&
	    metric_text(buf, cap, &len,
			"# TYPE wl_outbox_delivery_failures_total counter\n"
			"wl_outbox_delivery_failures_total %lld\n",
			(long long)failures))
		return len;
	if (metric_add(buf, cap, &len, "wl_outbox_backlog", (long long)bus_backlog(a->bus)))
		return len;
	if (mail_counts_get(&mc, &a->mailing.mail, NULL) == 0 &&
	    metric_text(buf, cap, &len,
			"# TYPE wl_mail gauge\nwl_mail{state=\"queued\"} %lld\n"
			"wl_mail{state=\"sent\"} %lld\nwl_mail{state=\"failed\"} %lld\n"
			"# TYPE wl_mail_oldest_queued_seconds gauge\n"
			"wl_mail_oldest_queued_seconds %lld\n",
			(long long)mc.queued, (long long)mc.sent, (long long)mc.failed,
			mc.oldest_queued_at
			    ? (long long)((clock_now_ms(&a->clock) - mc.oldest_queued_at) / 1000)
			    : 0LL))
		return len;
	return len + aigen_workers_metrics(buf + len, cap - len, a->aigen_workers);
}

/* author.approved -> the member gains the author role (idempotent: roles are a set). */
static int grant_author_role(void *ctx, const domain_event *ev, app_err *err)
{
	int64_t member_id = domain_event_int(ev, "memberId", 0);

	if (member_id <= 0)
		return app_err_set(err, APP_EINVALID, NULL, "memberId",
				   "author.approved without a memberId");
	return members_grant_role(ctx, member_id, MEMBER_ROLE_AUTHOR, err);
}

int app_subscribe_role_grant(bus *b, members_service *members, app_err *err)
{
	static const char *const types[] = {"author.approved", NULL};

	return bus_subscribe(b, "members.role_grant", types, BUS_SYNC, grant_author_role, members,
			     err);
}

/*
 * The crypto adapter, with the key of client-address digests the database
 * keeps across restarts; argon2id on its own bounded pool, never on the
 * HTTP workers (503 busy past its queue).
 */
static int open_crypto(app *a, const app_config *cfg, app_err *err)
{
	sodium_crypto_config cc = {.opslimit = (unsigned long long)cfg->pwhash_ops,
				   .memlimit = (size_t)cfg->pwhash_mem_kib * 1024};
	unsigned char candidate[CRYPTO_KEY_BYTES];
	int rc;

	sodium_crypto_random_key(candidate);
	rc = sqlite_db_secret(cc.key, a->db, "client-digest", candidate, sizeof(candidate), err);
	sodium_memzero_key(candidate);
	if (rc == 0)
		rc = sodium_crypto_init(&a->sodium, &cc, err);
	sodium_memzero_key(cc.key);
	return rc ? rc : system_pwpool_new(&a->crypto, a->sodium, NULL, err);
}

/* The books core on SQLite, after the members core (its wallet) and the view buffer. */
static void open_books(app *a, const app_config *cfg)
{
	books_config bc = {
	    .bestseller_threshold = cfg->bestseller_threshold,
	    .price_min = cfg->price_min,
	    .price_max = cfg->price_max,
	    .episode_price_min = cfg->episode_price_min,
	    .episode_price_max = cfg->episode_price_max,
	    .wait_free_exclude_latest = cfg->wait_free_exclude_latest,
	    .min_sale_chars = cfg->min_sale_chars,
	    .review = !strcmp(cfg->publish_mode, "review"),
	    .genre_known = genre_known,
	    .reader_min_age_ms = cfg->reader_min_age_s ? cfg->reader_min_age_s * 1000 : -1,
	};
	books_deps bd = {
	    .books = sqlite_book_repo(a->db),
	    .episodes = sqlite_episode_repo(a->db),
	    .reading = sqlite_reading_repo(a->db),
	    .changes = sqlite_book_change_repo(a->db),
	    .crypto = a->crypto,
	    .idempotency = sqlite_idempotency_repo(a->db),
	    .wallet = app_wallet(&a->members),
	    .views = view_buffer_recorder(a->views),
	    .uow = bus_uow(a->bus),
	    .events = bus_publisher(a->bus),
	    .clock = a->clock,
	    .inspector = image_codec_inspector(),
	    .scaler = image_codec_scaler(),
	    /* stateless, like the aigen core's offline generator: nothing to destroy */
	    .drawer = offline_image_generator_new(),
	};

	books_service_init(&a->books, &bd, &bc);
}

static int on_reader_event(void *ctx, const domain_event *ev, app_err *err)
{
	return reader_on_event(ctx, ev, err);
}

/*
 * The reader core: recaps, questions, EPUB downloads and OPDS catalogs over the books core;
 * a deleted member's catalog token goes in the same pass as the deletion's other effects.
 */
static int open_reader(app *a, app_err *err)
{
	static const char *const types[] = {"member.deleted", NULL};
	reader_deps rd = {
	    .books = &a->books,
	    .episodes = sqlite_episode_repo(a->db),
	    .limiter = a->limiter,
	    .clock = a->clock,
	    .ebooks = epub_writer(),
	    .tokens = sqlite_opds_token_repo(a->db),
	    .crypto = a->crypto,
	    .uow = bus_uow(a->bus),
	};

	reader_service_init(&a->reader, &rd, NULL);
	return bus_subscribe(a->bus, "reader.tokens", types, BUS_SYNC, on_reader_event, &a->reader,
			     err);
}

int app_open(app *a, const app_config *cfg, app_err *err)
{
	members_config mc = members_config_default();
	members_deps md;
	authors_deps ad;
	manuscripts_deps msd;
	int rc;

	memset(a, 0, sizeof(*a));
	a->cfg = *cfg;
	if ((rc = sqlite_db_open(&a->db, cfg->db, err)))
		return rc;
	if ((rc = open_crypto(a, cfg, err)))
		goto fail;
	a->clock = system_clock();
	a->limiter = system_limiter_new();
	if ((rc = app_payments_open(a, err)))
		goto fail;
	a->outbox = sqlite_outbox(a->db);
	if ((rc = bus_new(&a->bus, a->outbox, sqlite_db_uow(a->db), a->clock, err)))
		goto fail;
	if ((rc = app_mailing_open(&a->mailing, cfg, sqlite_mail_repo(a->db), bus_uow(a->bus),
				   a->clock, err)))
		goto fail;

	md = (members_deps){
	    .members = sqlite_member_repo(a->db),
	    .sessions = sqlite_session_repo(a->db),
	    .ledger = sqlite_ledger_repo(a->db),
	    .subscriptions = sqlite_subscription_repo(a->db),
	    .idempotency = sqlite_idempotency_repo(a->db),
	    .uow = bus_uow(a->bus),
	    .events = bus_publisher(a->bus),
	    .clock = a->clock,
	    .crypto = a->crypto,
	    .payments = a->payments,
	    .limiter = a->limiter,
	    .orders = sqlite_order_repo(a->db),
	    .gateway = a->gateway,
	    .tokens = sqlite_account_token_repo(a->db),
	    .mail = app_account_mail(&a->mailing),
	};
	mc.subscription_price = cfg->subscription_price;
	mc.signup_limit = cfg->signup_limit;
	members_service_init(&a->members, &md, &mc);

	ad = (authors_deps){
	    .applications = sqlite_author_application_repo(a->db),
	    .uow = bus_uow(a->bus),
	    .events = bus_publisher(a->bus),
	    .clock = a->clock,
	};
	authors_service_init(&a->authors, &ad);
	msd = (manuscripts_deps){
	    .manuscripts = sqlite_manuscript_repo(a->db),
	    .uow = bus_uow(a->bus),
	    .events = bus_publisher(a->bus),
	    .clock = a->clock,
	    .books = sqlite_book_repo(a->db),
	    .episodes = sqlite_episode_repo(a->db),
	};
	manuscripts_service_init(&a->manuscripts, &msd);
	if (!(a->views = view_buffer_new())) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto fail;
	}
	open_books(a, cfg);
	if ((rc = open_reader(a, err)) || (rc = app_earnings_open(a, err)))
		goto fail;
	/* Before app_start's bus_start, which redelivers what a crash left undelivered. */
	if ((rc = app_subscribe_role_grant(a->bus, &a->members, err)))
		goto fail;
	if ((rc = app_aigen_open(a, err)))
		goto fail;
	if ((rc = app_community_open(a, err)))
		goto fail;
	return 0;
fail:
	app_close(a);
	return rc;
}

static http_log_level log_level(const char *s)
{
	if (!strcmp(s, "debug"))
		return HTTP_LOG_DEBUG;
	if (!strcmp(s, "warn"))
		return HTTP_LOG_WARN;
	if (!strcmp(s, "error"))
		return HTTP_LOG_ERROR;
	return HTTP_LOG_INFO;
}

static void flush_task(void *ctx)
{
	app_flush_views(ctx);
}

/*
 * Views and due episodes every second; the cores' passes every interval, the
 * first at once (the covers' at start-up gives covers from before renditions
 * theirs).
 */
static int scheduler_open(app *a, app_err *err)
{
	int64_t every = (int64_t)a->cfg.scheduler_interval_s * 1000;
	int rc;

	if ((rc = scheduler_new(&a->scheduler, err)) ||
	    (rc = scheduler_add(a->scheduler, "views", 1000, 0, flush_task, a, err)) ||
	    (rc = scheduler_add(a->scheduler, "episodes", 1000, 1, scheduler_pass_episodes,
				&a->books, err)) ||
	    (rc = scheduler_add(a->scheduler, "covers", every, 1, scheduler_pass_covers, &a->books,
				err)) ||
	    (rc = scheduler_add(a->scheduler, "subscriptions", every, 1,
				scheduler_pass_subscriptions, &a->members, err)) ||
	    (rc = scheduler_add(a->scheduler, "orders", every, 1, scheduler_pass_orders,
				&a->members, err)) ||
	    (rc = scheduler_add(a->scheduler, "earnings", every, 1, scheduler_pass_earnings,
				&a->earnings, err)) ||
	    (rc = scheduler_add(a->scheduler, "digests", every, 1, app_community_tick, a, err)) ||
	    (rc = scheduler_add(a->scheduler, "sessions", every, 1, scheduler_pass_sessions,
				&a->members, err)))
		return rc;
	return scheduler_start(a->scheduler, err);
}

int app_start(app *a, app_err *err)
{
	http_config hc = {
	    .listen = a->cfg.listen,
	    .threads = a->cfg.threads,
	    .web_root = a->cfg.web_root[0] ? a->cfg.web_root : NULL,
	    .assets = wl_web_assets,
	    .log_level = log_level(a->cfg.log_level),
	    .secure_cookies = a->cfg.secure_cookies,
	    .max_conns_per_client = a->cfg.max_conns_per_client,
	    .trusted_proxies = a->cfg.trusted_proxy,
	    .metrics_token = a->cfg.metrics_token,
	};
	http_services hs = {
	    .members = &a->members,
	    .authors = &a->authors,
	    .manuscripts = &a->manuscripts,
	    .books = &a->books,
	    .community = &a->community,
	    .aigen = &a->aigen,
	    .earnings = &a->earnings,
	    .reader = &a->reader,
	    .events = a->outbox,
	    .feeds = xml_feed_writer(),
	    .public_url = a->mailing.public_url,
	    .ready = ready,
	    .metrics = metrics,
	    .request_begin = request_begin,
	    .request_idle = request_idle,
	    .ctx = a,
	};
	int rc;

	if ((rc = bus_start(a->bus, err)))
		return rc;
	if ((rc = aigen_workers_start(a->aigen_workers, err)))
		return rc;
	if ((rc = http_server_start(&a->http, &hc, &hs, err)))
		return rc;
	app_mailing_set_public_url(&a->mailing, &a->cfg, http_server_port(a->http));
	if ((rc = app_mailing_start(&a->mailing, err)))
		return rc;
	return scheduler_open(a, err); /* its passes may wake the mailer */
}

void app_flush_views(app *a)
{
	book_view *views;
	size_t n, counted;
	log_line l;
	app_err err;

	view_buffer_drain(a->views, &views, &n);
	app_err_clear(&err);
	if (n && books_flush_views(&counted, &a->books, views, n, &err)) {
		log_begin(&l, "error", "view flush failed");
		log_int(&l, "views", (long long)n);
		log_str(&l, "detail", err.msg);
		log_end(&l);
	}
	free(views);
}

void app_close(app *a)
{
	http_server_stop(a->http);
	a->http = NULL;
	scheduler_free(a->scheduler); /* a flush or pass running finishes first */
	a->scheduler = NULL;
	/* after the last request: every counted read is written */
	if (a->views) {
		app_flush_views(a);
		view_buffer_free(a->views);
		a->views = NULL;
	}
	/* workers publish through the bus: they stop (finishing or parking their job) first */
	app_aigen_close(a);
	app_mailing_close(&a->mailing);
	bus_free(a->bus);
	a->bus = NULL;
	system_pwpool_free(&a->crypto);
	if (a->sodium.self)
		sodium_crypto_dispose(&a->sodium);
	if (a->limiter.self)
		system_limiter_free(&a->limiter);
	app_payments_close(a);
	sqlite_db_close(a->db);
	a->db = NULL;
}
