#include "fakes/fake_books_world.h"

#include <stdlib.h>

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
