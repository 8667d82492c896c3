/*
 * The reader's AI, its pure rules: when a returning reader gets a recap
 * ("지난 이야기"), the extractive recap from the per-episode summaries of what
 * they read, the check every recap passes before it is shown (each sentence
 * cites an episode the reader has read), and the retrieval that answers a
 * question from the readable episodes only (or refuses it when the answer
 * lies beyond them). No I/O: the core gathers what the access rule and the
 * reader's progress allow and hands it in.
 */
#ifndef WL_DOMAIN_READER_RULES_H
#define WL_DOMAIN_READER_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "domain/common/err.h"
#include "ports/story_model.h"

#define READER_RECAP_SENTENCES 6
#define READER_SENTENCE_BYTES  (300 * 4 + 1)		/* a recap sentence: 300 characters */
#define READER_AWAY_MS	       (3LL * 24 * 3600 * 1000) /* away this long: a recap */
#define READER_BEHIND	       3			/* or this many published episodes behind */
#define READER_PASSAGES	       3
#define READER_PASSAGE_BYTES   (400 * 4 + 1) /* a passage: 400 characters */
#define READER_TERMS	       16	     /* of a question that are looked at */
#define READER_QUESTION_CHARS  300

/* A read episode's summary made at publishing (the recap's only source). */
typedef struct reader_summary {
	int64_t number;
	const char *summary;
} reader_summary;

typedef struct reader_sentence {
	int64_t episode; /* the episode it comes from: 0 when it cites nothing */
	char text[READER_SENTENCE_BYTES];
} reader_sentence;

typedef struct reader_recap {
	reader_sentence s[READER_RECAP_SENTENCES];
	size_t n;
} reader_recap;

/*
 * 1 when a reader whose last read (of episode last_number) was at
 * last_read_at gets a recap now: away READER_AWAY_MS or more, or
 * READER_BEHIND or more published episodes (up to latest) behind it.
 */
int reader_recap_due(int64_t last_read_at, int64_t last_number, int64_t latest, int64_t now);

/*
 * The offline recap: the first sentence of up to READER_RECAP_SENTENCES
 * summaries spread evenly over src (sorted by number, all read; empty
 * summaries are skipped), each citing its episode. An empty recap when no
 * summary has text.
 */
void reader_recap_offline(reader_recap *out, const reader_summary *src, size_t n);

/*
 * 0 when r has 1..READER_RECAP_SENTENCES sentences, each with text and
 * citing one of the read episodes (sorted); APP_EINVALID when a sentence
 * cites nothing or an episode not read. Used on every recap a model writes.
 */
int reader_recap_check(const reader_recap *r, const int64_t *read, size_t nread, app_err *err);

/* An episode the question is asked against; text of unreadable ones only decides a refusal. */
typedef struct reader_episode {
	int64_t number;
	const char *text;
	int readable; /* the access rule allows it and the reader has reached it */
} reader_episode;

typedef struct reader_passage {
	int64_t episode;
	int64_t paragraph; /* 0-based index of the paragraph in its episode */
	char text[READER_PASSAGE_BYTES];
	int score;
} reader_passage;

typedef struct reader_answer {
	int refused; /* the question is about what the reader has not read yet */
	reader_passage p[READER_PASSAGES];
	size_t n; /* best first; only from readable episodes */
} reader_answer;

/*
 * APP_EINVALID ("question") unless the question is 1..READER_QUESTION_CHARS
 * characters of valid UTF-8 with something to look for.
 */
int reader_question_check(const char *question, app_err *err);

/*
 * Retrieval: the question's terms (words without Korean particles, question
 * words dropped) are looked for in every paragraph of the readable episodes;
 * the best READER_PASSAGES paragraphs that hold any come back. Refused when
 * a term occurs only in episodes that are not readable. Text of unreadable
 * episodes never reaches out.
 */
int reader_ask(reader_answer *out, const char *question, const reader_episode *eps, size_t n,
	       app_err *err);

/* 1 when every passage and citation of a model's answer lies in read (sorted). */
int reader_cites_within(const int64_t *cites, size_t ncites, const int64_t *read, size_t nread);

/*
 * 1 when text uses a word (as a question's terms are read) that no readable
 * episode of eps holds and an unreadable one does: a name or a thing the
 * reader meets only later. A Korean word unknown as a whole is judged by its
 * longest beginning (two characters or more) that some episode holds, so
 * "태오였다" spoils where only later episodes name 태오.
 */
int reader_spoils(const char *text, const reader_episode *eps, size_t n);

/* --- what a model wrote, judged (reader_judge.c) --------------------------------------- */

#define READER_ANSWER_SENTENCES 4

/* Why a model's reply is not shown (the offline result is, and says which). */
typedef enum reader_verdict {
	READER_MODEL_OK = 0,
	READER_MODEL_FAILED,	 /* the service failed or answered no JSON */
	READER_MODEL_TIMEOUT,	 /* it did not answer in time */
	READER_MODEL_MALFORMED,	 /* no sentence, too many, an empty or invalid one */
	READER_MODEL_UNCITED,	 /* a sentence cites no episode */
	READER_MODEL_UNREAD,	 /* a sentence cites an episode the reader has not read */
	READER_MODEL_UNGROUNDED, /* an answer cites a read episode no passage came from */
	READER_MODEL_SPOILER,	 /* a sentence names what only unread episodes hold */
	READER_MODEL_LIMITED,	 /* the member asked the model too often: not asked */
} reader_verdict;

/* The stable code of a verdict ("no_citation", ...); NULL for READER_MODEL_OK. */
const char *reader_verdict_code(reader_verdict v);

/* What a reply is judged against: all sorted, eps as reader_ask() takes them. */
typedef struct reader_grounds {
	size_t max_sentences;
	const int64_t *read; /* the episodes the reader read */
	size_t nread;
	const int64_t *cited_ok; /* an answer: the passages' episodes; NULL: any read one */
	size_t ncited_ok;
	const reader_episode *eps;
	size_t neps;
} reader_grounds;

/* READER_MODEL_OK when every sentence of r has text, cites a read (and allowed) episode, spoils
 * nothing. */
reader_verdict reader_reply_judge(const story_model_reply *r, const reader_grounds *g);

#endif
