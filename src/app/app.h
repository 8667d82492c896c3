/* The composition root: builds every adapter and core and wires them together. */
#ifndef WL_APP_H
#define WL_APP_H

#include "adapters/http/http_server.h"
#include "adapters/sqlite/sqlite_db.h"
#include "app/bus.h"
#include "app/config.h"
#include "domain/members/members.h"

typedef struct app {
	app_config cfg;
	sqlite_db *db;
	clock_port clock;
	crypto_port crypto;
	limiter_port limiter;
	payment_port payments;
	outbox_port outbox;
	bus *bus;
	members_service members;
	http_server *http;
} app;

/* Opens and migrates the database and builds the cores (no threads yet). */
int app_open(app *a, const app_config *cfg, app_err *err);

/* Redelivers pending events, starts the bus and the HTTP server. */
int app_start(app *a, app_err *err);

/* One pass of the periodic jobs: subscription renewals, expired sessions. */
void app_tick(app *a);

/* Stops the server (requests in flight finish) and the bus, closes the database. */
void app_close(app *a);

#endif
