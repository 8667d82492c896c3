/* The member's OPDS catalog: its token and the works in it. */
#include "domain/reader/reader.h"

#include <stdlib.h>
#include <string.h>

int reader_opds_token_new(char token[CRYPTO_TOKEN_MAX], int64_t *created_at, reader_service *svc,
			  int64_t member_id, app_err *err)
{
	char digest[CRYPTO_DIGEST_HEX];
	uow_tx *tx;
	int rc;

	if ((rc = crypto_token_new(token, &svc->d.crypto, err)))
		return rc;
	crypto_token_digest(digest, &svc->d.crypto, token);
	*created_at = clock_now_ms(&svc->d.clock);
	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(
	    tx, opds_token_put(&svc->d.tokens, tx, member_id, digest, *created_at, err), err);
}

int reader_opds_token_revoke(reader_service *svc, int64_t member_id, app_err *err)
{
	int removed, rc;
	uow_tx *tx;

	if ((rc = uow_begin(&tx, &svc->d.uow, err)))
		return rc;
	return uow_finish(tx, opds_token_remove(&removed, &svc->d.tokens, tx, member_id, err), err);
}

int reader_on_event(reader_service *svc, const domain_event *ev, app_err *err)
{
	int64_t member = domain_event_int(ev, "memberId", 0);

	if (strcmp(ev->type, "member.deleted") || member <= 0)
		return 0;
	return reader_opds_token_revoke(svc, member, err);
}

int reader_opds_token_created(int64_t *at, reader_service *svc, int64_t member_id, app_err *err)
{
	return opds_token_created(at, &svc->d.tokens, NULL, member_id, err);
}

int reader_opds_member(int64_t *member_id, reader_service *svc, const char *token, app_err *err)
{
	char digest[CRYPTO_DIGEST_HEX];
	size_t len = token ? strlen(token) : 0;
	int rc;

	if (len < 16 || len >= CRYPTO_TOKEN_MAX)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such catalog");
	crypto_token_digest(digest, &svc->d.crypto, token);
	rc = opds_token_member(member_id, &svc->d.tokens, NULL, digest, err);
	if (rc == APP_ENOTFOUND)
		return app_err_set(err, APP_ENOTFOUND, NULL, NULL, "no such catalog");
	return rc;
}

int reader_opds_works(book *out, size_t *n, reader_service *svc, int64_t member_id, size_t cap,
		      app_err *err)
{
	enum { PAGE = 100 };
	book_shelf *shelf = malloc(PAGE * sizeof(*shelf));
	book *page = malloc(PAGE * sizeof(*page));
	book_shelf_cursor at = {0, 0}, next;
	size_t got;
	int rc = shelf && page ? 0 : app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");

	*n = 0;
	while (rc == 0 && *n < cap) {
		if ((rc = books_library(page, shelf, &got, &next, svc->d.books, member_id, at, PAGE,
					err)))
			break;
		for (size_t i = 0; i < got && *n < cap; i++)
			if (shelf[i].owned_episodes > 0)
				out[(*n)++] = page[i];
		if (next.book_id == 0)
			break;
		at = next;
	}
	free(shelf);
	free(page);
	return rc;
}
