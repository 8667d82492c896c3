/* The community core's records: follows, notifications and their mail settings. */
#ifndef WL_DOMAIN_NOTIFICATION_H
#define WL_DOMAIN_NOTIFICATION_H

#include <stdint.h>

typedef enum { FOLLOW_BOOK = 1, FOLLOW_AUTHOR = 2 } follow_kind;

typedef struct follow {
	follow_kind kind;
	int64_t target_id;
	int64_t created_at;
} follow;

/* What happened, for whom: the UI and the digest write the sentence. */
typedef enum {
	NOTE_EPISODE = 1, /* a followed work (or a work of a followed author) published episode */
	NOTE_WORK = 2,	  /* a followed author published a new work */
	NOTE_APPLICATION = 3, /* an author application was decided (state), detail the reason */
	NOTE_REPLY = 4,	      /* someone replied to the member's comment */
} note_kind;

typedef struct notification {
	int64_t id, member_id;
	note_kind kind;
	char dedupe[64]; /* one notification per member per key: redelivery adds nothing */
	int64_t book_id, episode, comment_id; /* 0: none */
	char actor[201];		      /* who did it (a replier's name), or "" */
	char title[801];		      /* the work's title, or "" */
	char detail[601]; /* an episode title, a reason, a reply's opening, or "" */
	char state[16];	  /* an application's "approved" or "rejected", else "" */
	int64_t created_at, read_at, mailed_at; /* 0: not yet */
} notification;

#define NOTIFY_TOKEN_MAX 64

typedef struct notify_settings {
	int64_t member_id;
	int email_digest;			  /* 1: a daily digest mail */
	char lang[8];				  /* the digest's language: "ko" or "en" */
	char unsubscribe_token[NOTIFY_TOKEN_MAX]; /* the mail's one-click link */
} notify_settings;

const char *note_kind_name(note_kind k);
const char *follow_kind_name(follow_kind k);

#endif
