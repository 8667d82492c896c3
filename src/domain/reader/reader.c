/* The reader core: recaps and questions over what the reader may read and has reached. */
#include "domain/reader/reader.h"
#include "domain/reader/reader_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 100

void reader_service_init(reader_service *svc, const reader_deps *deps, const reader_config *cfg)
{
	svc->d = *deps;
	svc->cfg = cfg ? *cfg : (reader_config){.ask_limit = READER_ASK_LIMIT};
}

void reader_service_use_model(reader_service *svc, story_model model)
{
	svc->d.model = model;
}

void reader_work_dispose(work_view *w)
{
	free(w->v);
	w->v = NULL;
}

int reader_gather(work_view *w, reader_service *svc, const books_reader *who, int64_t book_id,
		  app_err *err)
{
	int64_t after = 0;
	int more = 1, rc;

	memset(w, 0, sizeof(*w));
	if (!who || who->member_id <= 0)
		return app_err_set(err, APP_EUNAUTH, "unauthenticated", NULL, "sign in first");
	while (more && w->n < READER_EPISODES_MAX) {
		books_episode_view *grown = realloc(w->v, (w->n + PAGE) * sizeof(*w->v));
		size_t got = 0;

		if (!grown) {
			reader_work_dispose(w);
			return app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		}
		w->v = grown;
		if ((rc = books_episodes(w->v + w->n, &got, &more, &w->b, svc->d.books, who,
					 book_id, after, PAGE, err))) {
			reader_work_dispose(w);
			return rc;
		}
		w->n += got;
		if (got == 0)
			break;
		after = w->v[w->n - 1].e.number;
	}
	rc = books_progress_get(&w->p, svc->d.books, who->member_id, book_id, err);
	if (rc == APP_ENOTFOUND) {
		memset(&w->p, 0, sizeof(w->p));
		app_err_clear(err);
		rc = 0;
	}
	if (rc)
		reader_work_dispose(w);
	return rc;
}

int reader_reached(const work_view *w, size_t i)
{
	return w->v[i].access.can_read && w->v[i].e.number <= w->p.number;
}

/*
 * The summaries of the reached episodes (lists carry none: each is looked up),
 * into src[*m] with copies in held[*m] (the caller frees them).
 */
static int reached_summaries(reader_summary *src, char **held, size_t *m, reader_service *svc,
			     const work_view *w, app_err *err)
{
	episode *e = malloc(sizeof(*e));
	int rc = e ? 0 : app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");

	for (size_t i = 0; rc == 0 && i < w->n; i++) {
		if (!reader_reached(w, i))
			continue;
		if ((rc = episode_repo_find(e, &svc->d.episodes, NULL, w->b.id, w->v[i].e.number,
					    err)))
			break;
		if (!(held[*m] = strdup(e->summary))) {
			rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
			break;
		}
		src[*m] = (reader_summary){.number = e->number, .summary = held[*m]};
		(*m)++;
	}
	free(e);
	return rc;
}

int reader_service_recap(reader_recap_view *out, reader_service *svc, const books_reader *who,
			 int64_t book_id, app_err *err)
{
	reader_summary *src = NULL;
	char **held = NULL;
	size_t m = 0;
	work_view w;
	int rc;

	memset(out, 0, sizeof(*out));
	out->made_by = "offline";
	if ((rc = reader_gather(&w, svc, who, book_id, err)))
		return rc;
	if (w.n && (!(src = malloc(w.n * sizeof(*src))) || !(held = calloc(w.n, sizeof(*held))))) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if ((rc = reached_summaries(src, held, &m, svc, &w, err)))
		goto out;
	for (size_t i = 0; i < w.n && !out->next; i++)
		if (w.v[i].e.number > w.p.number)
			out->next = w.v[i].e.number;
	reader_recap_offline(&out->recap, src, m);
	out->upto = w.p.number;
	out->due = w.p.number > 0 && out->recap.n > 0 && w.n > 0 &&
		   reader_recap_due(w.p.updated_at, w.p.number, w.v[w.n - 1].e.number,
				    clock_now_ms(&svc->d.clock));
	if (svc->d.model.vtbl && out->recap.n > 0)
		rc = reader_model_recap(out, svc, &w, who->member_id, src, m, err);
out:
	for (size_t i = 0; held && i < m; i++)
		free(held[i]);
	free(held);
	free(src);
	reader_work_dispose(&w);
	return rc;
}

int reader_limited(int64_t *retry, reader_service *svc, const char *what, int64_t member_id)
{
	char key[48];
	limiter_rule rule = {key, svc->cfg.ask_limit, READER_ASK_WINDOW_MS};

	*retry = 0;
	if (svc->cfg.ask_limit <= 0)
		return 0;
	snprintf(key, sizeof(key), "%s:%lld", what, (long long)member_id);
	/* counts every call, taken atomically: parallel ones cannot pass the limit */
	return limiter_take(&svc->d.limiter, &rule, 1, clock_now_ms(&svc->d.clock), retry) != 0;
}

static int ask_limited(reader_service *svc, int64_t member_id, app_err *err)
{
	int64_t retry;

	if (!reader_limited(&retry, svc, "ask", member_id))
		return 0;
	app_err_set(err, APP_ELIMITED, "too_many_requests", NULL,
		    "too many questions: try again in a few minutes");
	app_err_extra(err, "retryAfter", retry > 0 ? (retry + 999) / 1000 : 1);
	return APP_ELIMITED;
}

int reader_load_texts(reader_episode *eps, char **texts, reader_service *svc, const work_view *w,
		      app_err *err)
{
	for (size_t i = 0; i < w->n; i++) {
		size_t len;
		int rc = episode_repo_content(&texts[i], &len, &svc->d.episodes, NULL, w->b.id,
					      w->v[i].e.number, err);

		if (rc)
			return rc;
		eps[i] = (reader_episode){
		    .number = w->v[i].e.number, .text = texts[i], .readable = reader_reached(w, i)};
	}
	return 0;
}

int reader_service_ask(reader_ask_view *out, reader_service *svc, const books_reader *who,
		       int64_t book_id, const char *question, app_err *err)
{
	reader_episode *eps = NULL;
	char **texts = NULL;
	work_view w;
	int rc;

	memset(out, 0, sizeof(*out));
	out->made_by = "offline";
	if ((rc = reader_gather(&w, svc, who, book_id, err)))
		return rc;
	if ((rc = reader_question_check(question, err)) ||
	    (rc = ask_limited(svc, who->member_id, err)))
		goto out;
	if (w.n && (!(eps = calloc(w.n, sizeof(*eps))) || !(texts = calloc(w.n, sizeof(*texts))))) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if ((rc = reader_load_texts(eps, texts, svc, &w, err)))
		goto out;
	out->upto = w.p.number;
	if ((rc = reader_ask(&out->a, question, eps, w.n, err)))
		goto out;
	if (svc->d.model.vtbl && !out->a.refused && out->a.n > 0)
		rc = reader_model_answer(out, svc, &w, question, eps, err);
out:
	for (size_t i = 0; texts && i < w.n; i++)
		free(texts[i]);
	free(texts);
	free(eps);
	reader_work_dispose(&w);
	return rc;
}
