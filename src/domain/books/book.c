#include "domain/books/book.h"

#include <string.h>

#include "domain/common/money.h"
#include "domain/common/text.h"

int episode_is_free(const episode *e, int64_t free_episodes)
{
	return e->price == 0 || (e->number >= 1 && e->number <= free_episodes);
}

/* The rest of the decision once the episode exists for a signed-in reader. */
static book_access decide_signed_in(const book_access_facts *f)
{
	int free_ = f->price == 0 || (f->number >= 1 && f->number <= f->free_episodes);

	if (f->is_author_of_book)
		return (book_access){1, BOOK_ACCESS_AUTHOR, 1};
	if (f->is_admin)
		return (book_access){1, BOOK_ACCESS_ADMIN, 1};
	/* a withdrawn work: what was bought or unlocked stays, nothing else is open */
	if (!f->hidden && free_)
		return (book_access){1, BOOK_ACCESS_FREE, 1};
	if (f->owned == BOOK_OWN_PURCHASE)
		return (book_access){1, BOOK_ACCESS_OWNED, 1};
	if (f->owned == BOOK_OWN_WAIT_FREE)
		return (book_access){1, BOOK_ACCESS_WAIT_FREE, 1};
	if (!f->hidden && f->subscribed)
		return (book_access){1, BOOK_ACCESS_SUBSCRIPTION, 1};
	return (book_access){0, BOOK_ACCESS_PURCHASE_REQUIRED, 1};
}

book_access book_access_decide(const book_access_facts *f)
{
	if (f->unpublished) /* exists for its author alone, until its time */
		return f->signed_in && f->is_author_of_book
			   ? (book_access){1, BOOK_ACCESS_AUTHOR, 1}
			   : (book_access){0, BOOK_ACCESS_PURCHASE_REQUIRED, 0};
	if (!f->signed_in)
		return (book_access){0, BOOK_ACCESS_LOGIN_REQUIRED, 1};
	return decide_signed_in(f);
}

const char *book_access_reason_name(book_access_reason r)
{
	switch (r) {
	case BOOK_ACCESS_FREE:
		return "free";
	case BOOK_ACCESS_AUTHOR:
		return "author";
	case BOOK_ACCESS_ADMIN:
		return "admin";
	case BOOK_ACCESS_OWNED:
		return "owned";
	case BOOK_ACCESS_SUBSCRIPTION:
		return "subscription";
	case BOOK_ACCESS_LOGIN_REQUIRED:
		return "login_required";
	case BOOK_ACCESS_PURCHASE_REQUIRED:
		return "purchase_required";
	case BOOK_ACCESS_WAIT_FREE:
		return "wait_free";
	}
	return "purchase_required";
}

int64_t book_price_clamp(int64_t price, int64_t min, int64_t max, int64_t step)
{
	return money_clamp(price, min, max, step);
}

int book_price_check(int64_t price, int64_t min, int64_t max, int64_t step, const char *field,
		     app_err *err)
{
	if (price < min || price > max || price % step != 0)
		return app_err_set(err, APP_EINVALID, "validation_failed", field,
				   "%s must be %lld to %lld points in steps of %lld", field,
				   (long long)min, (long long)max, (long long)step);
	return 0;
}

int book_wait_free_hours_valid(int64_t hours)
{
	return hours == 0 || hours == 12 || hours == 24 || hours == 48 || hours == 72;
}

int book_wait_free_eligible(const book *b, const episode *e, int owned, int64_t latest_number,
			    int64_t exclude_latest)
{
	if (b->wait_free_hours <= 0 || b->hidden || !e->published_at || owned)
		return 0;
	if (episode_is_free(e, b->free_episodes))
		return 0;
	return e->number <= latest_number - (exclude_latest > 0 ? exclude_latest : 0);
}

int64_t book_wait_free_next(int64_t unlocked_at, int64_t hours)
{
	return unlocked_at + hours * 3600 * 1000;
}

int book_schedule_check(int64_t at, int64_t now, app_err *err)
{
	if (at <= now || at > now + BOOK_SCHEDULE_MAX_MS)
		return app_err_set(err, APP_EINVALID, "validation_failed", "publishAt",
				   "publishAt must be in the future and within a year");
	return 0;
}

int64_t book_view_day(int64_t now_ms)
{
	return now_ms / (24LL * 3600 * 1000);
}

int book_view_counts(int is_author_of_book, int is_admin)
{
	return !is_author_of_book && !is_admin;
}

int book_bestseller_due(int64_t count, int64_t threshold, int already)
{
	return !already && count >= threshold;
}

int book_age_rating_valid(const char *s)
{
	return s && (!strcmp(s, "all") || !strcmp(s, "12") || !strcmp(s, "15") || !strcmp(s, "19"));
}

int book_tag_normalize(char out[BOOK_TAG_BYTES], const char *tag, app_err *err)
{
	const char *s = tag, *e;
	size_t len, chars;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	len = (size_t)(e - s);
	chars = len < BOOK_TAG_BYTES && text_utf8_valid(s, len) ? text_utf8_chars(s, len) : 0;
	if (chars < 1 || chars > BOOK_TAG_CHARS)
		return app_err_set(err, APP_EINVALID, "validation_failed", "tags",
				   "each tag has 1 to %d characters", BOOK_TAG_CHARS);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == ',')
			return app_err_set(err, APP_EINVALID, "validation_failed", "tags",
					   "a tag is one line without commas");
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

void book_tags_parse(book *b, const char *s)
{
	b->ntags = 0;
	while (s && *s && b->ntags < BOOK_TAGS_MAX) {
		size_t n = strcspn(s, "\n");

		if (n > 0 && n < BOOK_TAG_BYTES) {
			memcpy(b->tags[b->ntags], s, n);
			b->tags[b->ntags++][n] = '\0';
		}
		s += n + (s[n] == '\n');
	}
}

void book_tags_join(char *out, size_t cap, const book *b)
{
	size_t k = 0;

	out[0] = '\0';
	for (int i = 0; i < b->ntags; i++) {
		size_t n = strlen(b->tags[i]);

		if (k + n + 2 > cap)
			break;
		if (k)
			out[k++] = '\n';
		memcpy(out + k, b->tags[i], n + 1);
		k += n;
	}
}
