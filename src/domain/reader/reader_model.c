/*
 * The model's recap and answer. The prompt holds only what the reader may
 * read and has reached: the summaries of the episodes they read (recap), or
 * their question and the passages retrieval found in those episodes
 * (answer). What comes back is judged (reader_reply_judge) against the
 * texts of every episode before it replaces the offline result.
 */
#include "domain/reader/reader_internal.h"

#include <stdlib.h>
#include <string.h>

#include "domain/common/strbuf.h"

static const char RECAP_SYSTEM[] =
    "You write the recap (\"previously on\") of a web novel for a returning reader. Use only "
    "the episode summaries given: they are all the reader has read. Write at most 6 short "
    "sentences in the language of the summaries, in story order. Every sentence cites the one "
    "episode it comes from, by its number. Never guess what happens later. Answer with the "
    "JSON object asked for.";

static const char ANSWER_SYSTEM[] =
    "You answer a reader's question about a web novel from the passages given, which are all "
    "the reader has read of it that bears on the question. Use nothing else: no outside "
    "knowledge, no guesses about later episodes. Write at most 4 short sentences in the "
    "language of the question. Every sentence cites the episode of the passage it rests on, "
    "by its number. Answer with the JSON object asked for.";

/* Asks the model; its failure is a verdict, not an error of the request. */
static reader_verdict ask_model(story_model_reply *reply, reader_service *svc, const char *system,
				const char *user)
{
	story_model_request req = {.system_prompt = system, .user_prompt = user};
	app_err merr;
	int rc;

	memset(reply, 0, sizeof(*reply));
	app_err_clear(&merr);
	rc = story_model_write(reply, &svc->d.model, &req, &merr);
	if (rc == 0)
		return READER_MODEL_OK;
	story_model_reply_dispose(reply);
	return rc == APP_ETIMEOUT ? READER_MODEL_TIMEOUT : READER_MODEL_FAILED;
}

/* The sorted numbers of the episodes the reader read, into read[w->n]. */
static size_t read_numbers(int64_t *read, const work_view *w)
{
	size_t n = 0;

	for (size_t i = 0; i < w->n; i++)
		if (reader_reached(w, i))
			read[n++] = w->v[i].e.number;
	return n;
}

static reader_verdict judge(const story_model_reply *reply, const work_view *w, reader_grounds *g,
			    const reader_episode *eps, int64_t *read)
{
	g->read = read;
	g->nread = read_numbers(read, w);
	g->eps = eps;
	g->neps = w->n;
	return reader_reply_judge(reply, g);
}

static void take_sentences(reader_sentence *out, const story_model_reply *reply)
{
	for (size_t i = 0; i < reply->n; i++) {
		out[i].episode = reply->s[i].episode;
		reader_copy_cut(out[i].text, READER_SENTENCE_BYTES, reply->s[i].text,
				strlen(reply->s[i].text));
	}
}

/* The recap's prompt: the read episodes' summaries, each with its number. */
static char *recap_prompt(const reader_summary *src, size_t m)
{
	strbuf b = {0};

	strbuf_str(&b, "Summaries of the episodes the reader has read:\n");
	for (size_t i = 0; i < m; i++)
		if (src[i].summary && src[i].summary[0])
			strbuf_fmt(&b, "Episode %lld: %s\n", (long long)src[i].number,
				   src[i].summary);
	return strbuf_take(&b);
}

int reader_model_recap(reader_recap_view *out, reader_service *svc, const work_view *w,
		       int64_t member_id, const reader_summary *src, size_t m, app_err *err)
{
	reader_grounds g = {.max_sentences = READER_RECAP_SENTENCES};
	story_model_reply reply = {0};
	reader_episode *eps = calloc(w->n + 1, sizeof(*eps));
	char **texts = calloc(w->n + 1, sizeof(*texts));
	int64_t *read = calloc(w->n + 1, sizeof(*read));
	char *user = recap_prompt(src, m);
	reader_verdict v;
	int64_t retry;
	int rc = 0;

	if (!eps || !texts || !read || !user) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	if (reader_limited(&retry, svc, "recap", member_id)) {
		out->fallback = reader_verdict_code(READER_MODEL_LIMITED);
		goto out;
	}
	if ((rc = reader_load_texts(eps, texts, svc, w, err)))
		goto out;
	v = ask_model(&reply, svc, RECAP_SYSTEM, user);
	if (v == READER_MODEL_OK)
		v = judge(&reply, w, &g, eps, read);
	if (v != READER_MODEL_OK) {
		out->fallback = reader_verdict_code(v);
		goto out;
	}
	memset(&out->recap, 0, sizeof(out->recap));
	take_sentences(out->recap.s, &reply);
	out->recap.n = reply.n;
	out->made_by = story_model_name(&svc->d.model);
out:
	story_model_reply_dispose(&reply);
	for (size_t i = 0; texts && i < w->n; i++)
		free(texts[i]);
	free(texts);
	free(eps);
	free(read);
	free(user);
	return rc;
}

/* The answer's prompt: the question and the passages, each with its episode. */
static char *answer_prompt(const char *question, const reader_answer *a)
{
	strbuf b = {0};

	strbuf_fmt(&b, "Question: %s\n\nPassages:\n", question);
	for (size_t i = 0; i < a->n; i++)
		strbuf_fmt(&b, "[Episode %lld] %s\n", (long long)a->p[i].episode, a->p[i].text);
	return strbuf_take(&b);
}

/* The passages' episodes, sorted and distinct, into out[READER_PASSAGES]. */
static size_t passage_episodes(int64_t *out, const reader_answer *a)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n; i++) {
		size_t at = 0;

		while (at < n && out[at] < a->p[i].episode)
			at++;
		if (at < n && out[at] == a->p[i].episode)
			continue;
		memmove(out + at + 1, out + at, (n - at) * sizeof(*out));
		out[at] = a->p[i].episode;
		n++;
	}
	return n;
}

int reader_model_answer(reader_ask_view *out, reader_service *svc, const work_view *w,
			const char *question, const reader_episode *eps, app_err *err)
{
	int64_t grounds[READER_PASSAGES];
	reader_grounds g = {.max_sentences = READER_ANSWER_SENTENCES, .cited_ok = grounds};
	story_model_reply reply = {0};
	int64_t *read = calloc(w->n + 1, sizeof(*read));
	char *user = answer_prompt(question, &out->a);
	reader_verdict v;
	int rc = 0;

	if (!read || !user) {
		rc = app_err_set(err, APP_ENOMEM, NULL, NULL, "out of memory");
		goto out;
	}
	g.ncited_ok = passage_episodes(grounds, &out->a);
	v = ask_model(&reply, svc, ANSWER_SYSTEM, user);
	if (v == READER_MODEL_OK)
		v = judge(&reply, w, &g, eps, read);
	if (v != READER_MODEL_OK) {
		out->fallback = reader_verdict_code(v);
		goto out;
	}
	take_sentences(out->said, &reply);
	out->nsaid = reply.n;
	out->made_by = story_model_name(&svc->d.model);
out:
	story_model_reply_dispose(&reply);
	free(read);
	free(user);
	return rc;
}
