#include "app/cli.h"

#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "app/demo.h"
#include "domain/common/log.h"

static void usage(FILE *out)
{
	fprintf(out,
		"walking-library %s: a self-hosted web-novel publishing platform\n\n"
		"usage:\n"
		"  walking-library [serve] [OPTIONS]\n"
		"  walking-library admin create --db PATH --email EMAIL --name NAME  (password on "
		"stdin)\n"
		"  walking-library backup --db PATH OUT.db\n"
		"  walking-library routes                 (the HTTP route table)\n"
		"  walking-library --help | --version\n\n"
		"serve options (each also read from the environment variable in brackets;\n"
		"a flag wins):\n",
		WL_VERSION);
	app_config_usage(out);
	fprintf(
	    out,
	    "\nAI generation: --ai offline (the default) needs no network. --ai openai talks to\n"
	    "an OpenAI-compatible API (OpenAI, Ollama, llama.cpp, vLLM): set WL_LLM_BASE_URL,\n"
	    "WL_LLM_MODEL, WL_LLM_API_KEY if the server wants one, and WL_IMAGE_MODEL for\n"
	    "drawn covers (empty: the offline SVG cover).\n");
}

static int fail(const char *msg)
{
	fprintf(stderr, "walking-library: %s\n", msg);
	return 2;
}

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int serve(int argc, char **argv, int first)
{
	double started = mono_ms();
	app_config cfg;
	char msg[512], address[300];
	sigset_t set;
	log_line l;
	app a;
	app_err err;
	int sig;

	if (app_config_load(&cfg, argc, argv, first, msg, sizeof(msg)))
		return fail(msg);
	/*
	 * A catalog page is ~150 KB of book rows: above glibc's default mmap
	 * threshold, every request would map and unmap (and fault in) fresh pages.
	 * Keep such blocks in the heap, and do not trim it after every free.
	 */
	mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
	mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
	/* Signals are taken by this thread alone, with sigtimedwait below. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	app_err_clear(&err);
	if (app_open(&a, &cfg, &err))
		return fail(err.msg);
	if (cfg.demo && app_demo_seed(&a, stdout, &err)) {
		app_close(&a);
		return fail(err.msg);
	}
	fflush(stdout);
	if (app_start(&a, &err)) {
		app_close(&a);
		return fail(err.msg);
	}
	snprintf(address, sizeof(address), "%.*s:%d", (int)(strrchr(cfg.listen, ':') - cfg.listen),
		 cfg.listen, http_server_port(a.http));
	log_begin(&l, "info", "listening");
	log_str(&l, "address", address);
	log_double(&l, "readyMs", mono_ms() - started);
	log_str(&l, "version", WL_VERSION);
	log_end(&l);
	if (!strcmp(cfg.payments, "dev") && !app_config_listens_on_loopback(&cfg)) {
		log_begin(&l, "warn",
			  "POINTS ARE FREE: the development payment provider (--payments dev) "
			  "approves every charge without taking money, and this server listens on "
			  "another address than loopback");
		log_str(&l, "listen", cfg.listen);
		log_end(&l);
	}
	/* the scheduler flushes views and runs the periodic passes; this thread waits */
	do
		sig = sigwaitinfo(&set, NULL);
	while (sig != SIGINT && sig != SIGTERM);
	log_begin(&l, "info", "shutting down");
	log_str(&l, "signal", sig == SIGINT ? "SIGINT" : "SIGTERM");
	log_end(&l);
	app_close(&a);
	log_begin(&l, "info", "stopped");
	log_end(&l);
	return 0;
}

/* Reads the named flags (--db, --email, --name) into values; the rest are positional. */
static int cli_flags(const char **db, const char **email, const char **name, const char **pos,
		     int npos, int argc, char **argv, int first, char *msg, size_t cap)
{
	int have = 0;

	for (int i = first; i < argc; i++) {
		const char **slot = NULL;

		if (!strcmp(argv[i], "--db"))
			slot = db;
		else if (!strcmp(argv[i], "--email") && email)
			slot = email;
		else if (!strcmp(argv[i], "--name") && name)
			slot = name;
		else if (argv[i][0] == '-') {
			snprintf(msg, cap, "unknown option '%s' (see --help)", argv[i]);
			return -1;
		} else if (have < npos) {
			pos[have++] = argv[i];
			continue;
		} else {
			snprintf(msg, cap, "unexpected argument '%s' (see --help)", argv[i]);
			return -1;
		}
		if (i + 1 >= argc) {
			snprintf(msg, cap, "%s needs a value", argv[i]);
			return -1;
		}
		*slot = argv[++i];
	}
	if (!*db)
		*db = getenv("WL_DB");
	if (!*db) {
		snprintf(msg, cap, "--db PATH is required");
		return -1;
	}
	if (have < npos) {
		snprintf(msg, cap, "missing argument (see --help)");
		return -1;
	}
	return 0;
}

static int admin_create(int argc, char **argv)
{
	const char *db = NULL, *email = NULL, *name = NULL;
	char msg[512], password[1024];
	app_config cfg;
	member m;
	app_err err;
	size_t len;
	app a;

	if (cli_flags(&db, &email, &name, NULL, 0, argc, argv, 3, msg, sizeof(msg)))
		return fail(msg);
	if (!email || !name)
		return fail("admin create needs --email EMAIL and --name NAME");
	if (!fgets(password, sizeof(password), stdin))
		return fail("admin create reads the password from stdin: none was given");
	len = strcspn(password, "\r\n");
	password[len] = '\0';
	/*
	 * The environment gives the password hash cost; a server-only setting that
	 * does not validate here (say WL_AI without its model) must not stop an admin.
	 */
	if (app_config_load(&cfg, 0, argv, 0, msg, sizeof(msg)))
		app_config_defaults(&cfg);
	snprintf(cfg.db, sizeof(cfg.db), "%s", db);
	app_err_clear(&err);
	if (app_open(&a, &cfg, &err))
		return fail(err.msg);
	if (members_create_admin(&m, &a.members, email, password, name, &err)) {
		app_close(&a);
		if (err.code == APP_EEXISTS)
			return fail("an account with this email already exists");
		snprintf(msg, sizeof(msg), "%s%s%s", err.field[0] ? err.field : "",
			 err.field[0] ? ": " : "", err.msg);
		return fail(msg);
	}
	app_close(&a);
	printf("created admin %s (id %lld)\n", m.email, (long long)m.id);
	return 0;
}

static int backup(int argc, char **argv)
{
	const char *db = NULL, *out = NULL;
	char msg[512];
	app_err err;

	if (cli_flags(&db, NULL, NULL, &out, 1, argc, argv, 2, msg, sizeof(msg)))
		return fail(msg);
	app_err_clear(&err);
	if (sqlite_db_backup(db, out, &err))
		return fail(err.msg);
	printf("backed up %s to %s\n", db, out);
	return 0;
}

int wl_cli_main(int argc, char **argv)
{
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
			usage(stdout);
			return 0;
		}
		if (argc >= 2 && !strcmp(argv[1], "--version")) {
			printf("walking-library %s\n", WL_VERSION);
			return 0;
		}
		return serve(argc, argv, 1);
	}
	if (!strcmp(argv[1], "serve"))
		return serve(argc, argv, 2);
	if (!strcmp(argv[1], "admin") && argc >= 3 && !strcmp(argv[2], "create"))
		return admin_create(argc, argv);
	if (!strcmp(argv[1], "backup"))
		return backup(argc, argv);
	if (!strcmp(argv[1], "routes")) {
		http_routes_print();
		return 0;
	}
	fprintf(stderr, "walking-library: unknown command '%s' (see --help)\n", argv[1]);
	return 2;
}
