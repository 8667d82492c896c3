/* Which readers count in rankings (pure). */
#include "domain/books/ranking_readers.h"

book_reader_verdict book_reader_judge(int64_t member_since, int64_t read_at, int64_t min_age_ms,
				      const char *client, int64_t from_address)
{
	if (min_age_ms > 0 && (member_since <= 0 || read_at - member_since < min_age_ms))
		return BOOK_READER_NEW_ACCOUNT;
	if (client && client[0] && from_address >= BOOK_READERS_PER_ADDRESS)
		return BOOK_READER_CROWDED_ADDRESS;
	return BOOK_READER_COUNTED;
}

const char *book_reader_verdict_name(book_reader_verdict v)
{
	return v == BOOK_READER_NEW_ACCOUNT	  ? "new_account"
	       : v == BOOK_READER_CROWDED_ADDRESS ? "crowded_address"
						  : "counted";
}
