/*
 * Honest rankings: which readers of a work count. A reader counts once per
 * work and UTC day when the account is older than an hour at the read and
 * the client address has not already supplied BOOK_READERS_PER_ADDRESS
 * counted readers to that work that day. The others are kept as excluded,
 * with why, and shown to the work's author and to admins.
 */
#ifndef WL_DOMAIN_RANKING_READERS_H
#define WL_DOMAIN_RANKING_READERS_H

#include <stdint.h>

#define BOOK_READER_MIN_AGE_MS	 (3600LL * 1000) /* the default of books_config.reader_min_age_ms */
#define BOOK_READERS_PER_ADDRESS 3

typedef enum {
	BOOK_READER_COUNTED = 0,
	BOOK_READER_NEW_ACCOUNT = 1,	/* the account was younger than the minimum age */
	BOOK_READER_CROWDED_ADDRESS = 2 /* its address had supplied its readers for the day */
} book_reader_verdict;

/*
 * The verdict on a member who joined at member_since (0: unknown, taken as
 * new) and read at read_at (min_age_ms 0: no minimum age) from an address (client "" unknown: the
 * address rule cannot apply) that had already supplied from_address counted readers to the work
 * that day.
 */
book_reader_verdict book_reader_judge(int64_t member_since, int64_t read_at, int64_t min_age_ms,
				      const char *client, int64_t from_address);

const char *book_reader_verdict_name(book_reader_verdict v);

#endif
