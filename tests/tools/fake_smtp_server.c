/*
 * wl-fake-smtp: the fake SMTP relay (tests/support/fake_smtp.h) as a
 * program, for the node integration and browser tests.
 *
 *   wl-fake-smtp [--tls] [--require-tls] [--user U --password P]
 *
 * Prints {"smtp":"smtp://127.0.0.1:PORT","control":"http://127.0.0.1:PORT",
 * "caFile":PATH} once it answers, and runs until SIGTERM, SIGINT or the end
 * of stdin. The control server (civetweb, loopback):
 *
 *   GET  /messages -> [{from, rcpt:[…], data, user, tls, subject, text}]
 *   POST /down, POST /up, POST /clear
 *   POST /script?stage=RCPT&code=450&times=2
 *   GET  /stats -> {connections, messages}
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <civetweb.h>
#include <cjson/cJSON.h>

#include "support/fake_smtp.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void send_text(struct mg_connection *c, int status, const char *type, const char *body)
{
	mg_printf(c,
		  "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
		  "Connection: close\r\n\r\n%s",
		  status, status == 200 ? "OK" : "Error", type, strlen(body), body);
}

/* The messages with their subject and text decoded, for the tests' convenience. */
static char *messages(fake_smtp *f)
{
	char *raw = fake_smtp_messages_json(f), *out;
	cJSON *arr = raw ? cJSON_Parse(raw) : NULL, *m;

	free(raw);
	cJSON_ArrayForEach(m, arr)
	{
		const char *data = cJSON_GetStringValue(cJSON_GetObjectItem(m, "data"));
		char *subject = fake_smtp_header(data, "Subject"),
		     *text = fake_smtp_body_text(data);

		cJSON_AddStringToObject(m, "subject", subject ? subject : "");
		cJSON_AddStringToObject(m, "text", text ? text : "");
		free(subject);
		free(text);
	}
	out = arr ? cJSON_PrintUnformatted(arr) : NULL;
	cJSON_Delete(arr);
	return out;
}

static int control(struct mg_connection *c, void *arg)
{
	fake_smtp *f = arg;
	const struct mg_request_info *ri = mg_get_request_info(c);
	const char *path = ri->local_uri;
	char buf[128], stage[16] = "", code[8] = "", times[8] = "1";

	if (!strcmp(path, "/messages")) {
		char *body = messages(f);

		send_text(c, body ? 200 : 500, "application/json", body ? body : "[]");
		free(body);
	} else if (!strcmp(path, "/stats")) {
		snprintf(buf, sizeof(buf), "{\"connections\":%d,\"messages\":%zu}",
			 fake_smtp_connections(f), fake_smtp_count(f));
		send_text(c, 200, "application/json", buf);
	} else if (!strcmp(path, "/down") || !strcmp(path, "/up")) {
		int rc = fake_smtp_set_down(f, path[1] == 'd');

		send_text(c, rc ? 500 : 200, "application/json",
			  rc ? "{\"ok\":false}" : "{\"ok\":true}");
	} else if (!strcmp(path, "/clear")) {
		fake_smtp_clear(f);
		send_text(c, 200, "application/json", "{\"ok\":true}");
	} else if (!strcmp(path, "/script") && ri->query_string) {
		mg_get_var(ri->query_string, strlen(ri->query_string), "stage", stage,
			   sizeof(stage));
		mg_get_var(ri->query_string, strlen(ri->query_string), "code", code, sizeof(code));
		mg_get_var(ri->query_string, strlen(ri->query_string), "times", times,
			   sizeof(times));
		fake_smtp_script(f, stage, atoi(code), atoi(times));
		send_text(c, 200, "application/json", "{\"ok\":true}");
	} else {
		send_text(c, 404, "text/plain", "not found");
	}
	return 200;
}

int main(int argc, char **argv)
{
	fake_smtp_config cfg = {0};
	const char *opts[] = {"listening_ports", "127.0.0.1:0", "num_threads", "4", NULL};
	struct mg_callbacks cb = {0};
	struct mg_server_port port;
	struct mg_context *ctx;
	fake_smtp *f;
	app_err err = {0};

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--tls"))
			cfg.tls = 1;
		else if (!strcmp(argv[i], "--require-tls"))
			cfg.tls = cfg.require_tls = 1;
		else if (!strcmp(argv[i], "--user") && i + 1 < argc)
			cfg.username = argv[++i];
		else if (!strcmp(argv[i], "--password") && i + 1 < argc)
			cfg.password = argv[++i];
		else {
			fprintf(stderr, "wl-fake-smtp: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	if (fake_smtp_start(&f, &cfg, &err)) {
		fprintf(stderr, "wl-fake-smtp: %s\n", err.msg);
		return 1;
	}
	if (!(ctx = mg_start(&cb, NULL, opts)) || mg_get_server_ports(ctx, 1, &port) < 1) {
		fprintf(stderr, "wl-fake-smtp: cannot start the control server\n");
		fake_smtp_stop(f);
		return 1;
	}
	mg_set_request_handler(ctx, "/", control, f);
	printf("{\"smtp\":\"%s\",\"control\":\"http://127.0.0.1:%d\",\"caFile\":\"%s\"}\n",
	       fake_smtp_url(f), port.port, fake_smtp_ca_file(f));
	fflush(stdout);
	while (!stop) {
		struct pollfd p = {.fd = 0, .events = POLLIN};
		char buf[256];

		if (poll(&p, 1, 200) > 0 && read(0, buf, sizeof(buf)) <= 0)
			break;
	}
	mg_stop(ctx);
	fake_smtp_stop(f);
	return 0;
}
