#include "fakes/fake_books_world.h"

#include <stdlib.h>
#include <string.h>

books_world *books_world_new(const books_config *cfg)
{
	books_world *w = calloc(1, sizeof(*w));
	books_deps d;

	if (!w)
		abort();
	w->m = fake_world_new(NULL);
	w->wallet.members = &w->m->svc;
	d = (books_deps){
	    .books = fake_book_repo(&w->books),
	    .episodes = fake_episode_repo(&w->books),
	    .reading = fake_reading_repo(&w->books),
	    .changes = fake_book_change_repo(&w->books),
	    .idempotency = fake_idempotency_repo(&w->m->idem),
	    .wallet = fake_wallet_port(&w->wallet),
	    .views = fake_view_recorder(&w->views),
	    .uow = fake_uow_port(&w->m->uow),
	    .events = fake_publisher(&w->m->outbox),
	    .clock = fake_clock_port(&w->m->clock),
	    .crypto = fake_crypto_port(&w->m->crypto),
	};
	books_service_init(&w->svc, &d, cfg);
	return w;
}

void books_world_free(books_world *w)
{
	fake_books_dispose(&w->books);
	fake_world_free(w->m);
	free(w);
}

int books_world_publish(book *out, books_world *w, int64_t manuscript_id, int64_t author_id,
			int64_t price, const char *content, app_err *err)
{
	static const unsigned char svg[] = "<svg/>";
	books_publish_req req = {
	    .manuscript_id = manuscript_id,
	    .author_id = author_id,
	    .title = "서랍",
	    .author_name = "펜네임",
	    .content = content,
	    .content_len = strlen(content),
	    .summary = "처음 요약입니다.",
	    .tagline = "처음 한 줄",
	    .price_reason = "길이 기준",
	    .price = price,
	    .cover = svg,
	    .cover_len = sizeof(svg) - 1,
	    .cover_mime = "image/svg+xml",
	    .gen_summary = "offline",
	    .gen_price = "offline",
	    .gen_cover = "offline",
	    .price_basis = {.code = "length", .minutes = 2, .length_class = "flash"},
	};

	return books_publish(out, &w->svc, &req, err);
}
