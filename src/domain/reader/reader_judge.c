/*
 * A model's recap or answer, judged before any reader sees it: every
 * sentence has text, cites an episode the reader read (an answer: one its
 * passages came from) and names nothing that only unread episodes hold.
 */
#include "domain/reader/reader_rules.h"

#include <stdlib.h>
#include <string.h>

#include "domain/common/text.h"

void story_model_reply_dispose(story_model_reply *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->s[i].text);
	free(r->s);
	r->s = NULL;
	r->n = 0;
}

const char *reader_verdict_code(reader_verdict v)
{
	static const char *const codes[] = {
	    [READER_MODEL_FAILED] = "model_failed",    [READER_MODEL_TIMEOUT] = "model_timeout",
	    [READER_MODEL_MALFORMED] = "malformed",    [READER_MODEL_UNCITED] = "no_citation",
	    [READER_MODEL_UNREAD] = "unread_citation", [READER_MODEL_UNGROUNDED] = "ungrounded",
	    [READER_MODEL_SPOILER] = "spoiler",	       [READER_MODEL_LIMITED] = "rate_limited",
	};

	return v > READER_MODEL_OK && (size_t)v < sizeof(codes) / sizeof(codes[0]) ? codes[v]
										   : NULL;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

reader_verdict reader_reply_judge(const story_model_reply *r, const reader_grounds *g)
{
	if (r->n == 0 || r->n > g->max_sentences)
		return READER_MODEL_MALFORMED;
	for (size_t i = 0; i < r->n; i++) {
		const story_model_sentence *s = &r->s[i];

		if (!s->text || blank(s->text) || !text_utf8_valid(s->text, strlen(s->text)))
			return READER_MODEL_MALFORMED;
		if (s->episode <= 0)
			return READER_MODEL_UNCITED;
		if (!reader_cites_within(&s->episode, 1, g->read, g->nread))
			return READER_MODEL_UNREAD;
		if (g->cited_ok && !reader_cites_within(&s->episode, 1, g->cited_ok, g->ncited_ok))
			return READER_MODEL_UNGROUNDED;
	}
	for (size_t i = 0; i < r->n; i++)
		if (reader_spoils(r->s[i].text, g->eps, g->neps))
			return READER_MODEL_SPOILER;
	return READER_MODEL_OK;
}
