/*
 * wl-fake-toss: the fake Toss Payments (tests/support/fake_toss.h) as a
 * program, for the node integration and browser tests.
 *
 *   wl-fake-toss [--client-key K] [--secret-key S] [--webhook URL] [--port N]
 *
 * Prints {"listening":"http://127.0.0.1:PORT"} on stdout once it answers,
 * and runs until SIGTERM, SIGINT or the end of stdin.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "support/fake_toss.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	fake_toss_config cfg = {0};
	fake_toss *f;
	app_err err = {0};

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--client-key"))
			cfg.client_key = argv[i + 1];
		else if (!strcmp(argv[i], "--secret-key"))
			cfg.secret_key = argv[i + 1];
		else if (!strcmp(argv[i], "--webhook"))
			cfg.webhook_url = argv[i + 1];
		else if (!strcmp(argv[i], "--port"))
			cfg.port = atoi(argv[i + 1]);
		else {
			fprintf(stderr, "wl-fake-toss: unknown option %s\n", argv[i]);
			return 2;
		}
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (fake_toss_start(&f, &cfg, &err)) {
		fprintf(stderr, "wl-fake-toss: %s\n", err.msg);
		return 1;
	}
	printf("{\"listening\":\"%s\"}\n", fake_toss_base_url(f));
	fflush(stdout);
	while (!stop) {
		struct pollfd p = {.fd = 0, .events = POLLIN};
		char buf[256];

		if (poll(&p, 1, 200) > 0 && read(0, buf, sizeof(buf)) <= 0)
			break;
	}
	fake_toss_stop(f);
	curl_global_cleanup();
	return 0;
}
