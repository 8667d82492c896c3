/*
 * The OPDS token from the path: the {token} segment of /opds/{token}/ and
 * /opds/{token}/books/{id}.epub, and its lookup (digest, then the token
 * store on SQLite), on arbitrary bytes. A segment taken is 16 to 63
 * characters of base64url and exactly what the path held; a token opens a
 * catalog only when it is the member's own (made once, at start), which
 * still opens it after every input; nothing crashes or leaks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/http/http_internal.h"
#include "adapters/sodium/sodium_crypto.h"
#include "adapters/sqlite/sqlite_repos.h"
#include "adapters/system/system.h"
#include "domain/reader/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static reader_service svc;
static char token[CRYPTO_TOKEN_MAX];
static int64_t member_id;

static void start(void)
{
	char dir[] = "/tmp/fuzz-opds-XXXXXX", path[64];
	sodium_crypto_config cc = sodium_crypto_config_default();
	member_repo members;
	sqlite_db *db;
	member m = {.created_at = 1000};
	reader_deps d;
	uow_tx *tx;
	int64_t at;
	app_err err;

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/opds.db", dir);
	if (sqlite_db_open(&db, path, &err) || sodium_crypto_init(&d.crypto, &cc, &err))
		abort();
	d = (reader_deps){.crypto = d.crypto,
			  .clock = system_clock(),
			  .tokens = sqlite_opds_token_repo(db),
			  .uow = sqlite_db_uow(db)};
	reader_service_init(&svc, &d, NULL);
	members = sqlite_member_repo(db);
	snprintf(m.email, sizeof(m.email), "fuzz@example.com");
	snprintf(m.name, sizeof(m.name), "독자");
	snprintf(m.password_hash, sizeof(m.password_hash), "h");
	if (uow_begin(&tx, &d.uow, &err) || member_repo_insert(&members, tx, &m, &err) ||
	    uow_commit(tx, &err))
		abort();
	member_id = m.id;
	if (reader_opds_token_new(token, &at, &svc, member_id, &err))
		abort();
}

static int base64url(const char *s)
{
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* The segment of a matched path is the input, whole. */
static void check_route(const char *segment, const char *suffix, const char *pattern)
{
	char path[160];
	http_req r;
	size_t n;

	if (strlen(segment) > 100)
		return;
	snprintf(path, sizeof(path), "/opds/%s%s", segment, suffix);
	memset(&r, 0, sizeof(r));
	if (!http_route_match(&r, pattern, path))
		return;
	n = strlen(r.path_token);
	if (n < 16 || n >= CRYPTO_TOKEN_MAX || !base64url(r.path_token) ||
	    strcmp(r.path_token, segment) != 0)
		abort();
}

static int64_t opens(const char *t)
{
	int64_t id = 0;
	app_err err;
	int rc = reader_opds_member(&id, &svc, t, &err);

	if (rc == APP_ENOTFOUND)
		return 0;
	if (rc)
		abort();
	return id;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!member_id)
		start();
	memcpy(s, data, size);
	s[size] = '\0';
	check_route(s, "/", "/opds/{token}/");
	check_route(s, "/books/12.epub", "/opds/{token}/books/{id}.epub");
	if (opens(s) != (strcmp(s, token) == 0 ? member_id : 0))
		abort();
	if (opens(token) != member_id)
		abort();
	free(s);
	return 0;
}
