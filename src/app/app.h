/* The composition root: builds every adapter and core and wires them together. */
#ifndef WL_APP_H
#define WL_APP_H

#include "adapters/http/http_server.h"
#include "adapters/scheduler/scheduler.h"
#include "adapters/sqlite/sqlite_db.h"
#include "adapters/bus/bus.h"
#include "adapters/workers/aigen_workers.h"
#include "app/config.h"
#include "app/mailing.h"
#include "app/publishing.h"
#include "domain/authors/authors.h"
#include "adapters/views/view_buffer.h"
#include "domain/books/books.h"
#include "domain/reader/reader.h"
#include "domain/books/manuscripts.h"
#include "domain/earnings/earnings.h"
#include "domain/community/community.h"
#include "domain/members/members.h"

typedef struct app {
	app_config cfg;
	sqlite_db *db;
	clock_port clock;
	crypto_port sodium; /* argon2id and tokens */
	crypto_port crypto; /* the same, with password hashing on the bounded pool */
	limiter_port limiter;
	payment_port payments;	 /* one-step charges (app_payments.c) */
	payment_gateway gateway; /* points orders */
	int toss_inited;
	outbox_port outbox;
	bus *bus;
	app_mailing mailing;
	members_service members;
	authors_service authors;
	manuscripts_service manuscripts;
	books_service books;
	reader_service reader;
	earnings_service earnings;
	community_service community;
	view_buffer *views;
	/* AI generation (app_aigen.c): primaries are the offline ones unless --ai openai */
	text_generator ai_text, ai_text_offline;
	story_model story_model; /* the reader's recaps and answers; vtbl NULL: offline */
	image_generator ai_image, ai_image_offline;
	int llm_http_inited;
	app_publishing publishing;
	aigen_service aigen;
	aigen_workers *aigen_workers;
	http_server *http;
	scheduler *scheduler; /* the views flush and the cores' passes */
} app;

/*
 * Subscribes the members core to author.approved (subscriber
 * "members.role_grant", synchronous): the approved member gains the author
 * role. Idempotent, so redelivery after a crash is harmless. members must
 * outlive the bus.
 */
int app_subscribe_role_grant(bus *b, members_service *members, app_err *err);

/*
 * Subscribes the manuscripts core to book.published (subscriber
 * "manuscripts.published", synchronous): the manuscript becomes published
 * with its bookId. Idempotent. manuscripts must outlive the bus.
 */
int app_subscribe_manuscript_published(bus *b, manuscripts_service *manuscripts, app_err *err);

/*
 * Builds the generators (--ai), the aigen core, its (not yet started)
 * workers, and subscribes "aigen.enqueue" and "manuscripts.published".
 * Called by app_open after the other cores; undone by app_aigen_close.
 */
int app_aigen_open(app *a, app_err *err);
void app_aigen_close(app *a);

/* Builds the payment provider of --payments (app_payments.c); undone by app_payments_close. */
int app_payments_open(app *a, app_err *err);
void app_payments_close(app *a);
/*
 * Builds the community core (follows, notifications, digests) and
 * subscribes "community.notify" (synchronous) to the events it tells about.
 */
int app_community_open(app *a, app_err *err);
/* The digest pass of the periodic jobs (a scheduler task; ctx: the app). */
void app_community_tick(void *ctx);

/*
 * Builds the earnings core and subscribes it to points.spent ("earnings.sales")
 * and episode.viewed ("earnings.reads"), both asynchronous. After the books core.
 */
int app_earnings_open(app *a, app_err *err);

/* Opens and migrates the database and builds the cores (no threads yet). */
int app_open(app *a, const app_config *cfg, app_err *err);

/*
 * Redelivers pending events, starts the bus, the AI workers, the scheduler
 * (views flush and due episodes are published every second; renewals,
 * orders, earnings, digests and the session purge every scheduler interval,
 * the first at once) and the HTTP server.
 */
int app_start(app *a, app_err *err);

/* Writes the views gathered since the last flush (every second and at shutdown). */
void app_flush_views(app *a);

/* Stops the server (requests in flight finish) and the bus, closes the database. */
void app_close(app *a);

#endif
